"""An independent certificate checker for the engine's "proved" verdicts (the de Bruijn principle).

The engine's proofs are only trusted once this small checker, which shares no inference or
encoding code with the engine (only the parser, the type sizes and the source positions),
re-derives the verification conditions from the C text and the certificate and finds them
valid. Anything it does not understand is rejected: rejecting is always safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import z3
from pycparser import c_ast

from analysis.ctypes import DataModel
from analysis.service import Job

from .cdecl import Pos, Program, Unsupported
from .vcgen import CertLoops, Executor, Target, Timeout

__all__ = ["Verdict", "check_certificate", "CHECK_IDS"]

CHECK_IDS = frozenset(
    [f"overflow.signed.{k}" for k in ("add", "sub", "mul", "div", "rem", "neg", "inc", "dec")]
    + ["div-by-zero.div", "div-by-zero.rem", "shift.negative", "shift.too-wide", "shift.negative-value",
       "shift.overflow", "bounds.index", "assert.violated", "reach-error.reachable", "precondition.violated",
       "postcondition.violated", "invariant.initiation", "invariant.consecution"])
MAX_UNROLL = 1000


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    time_ms: float


def check_certificate(job: Job, check_id: str, line: int, column: int, cert: dict[str, Any]) -> Verdict:
    """Accept the engine's claim that check ``check_id`` at (line, column) holds, or say why not."""
    start = time.monotonic()

    def verdict(ok: bool, reason: str) -> Verdict:
        return Verdict(ok, reason, (time.monotonic() - start) * 1000)

    try:
        accepted, reason = _check(job, check_id, (line, column), cert, start)
    except Unsupported as e:
        return verdict(False, str(e))
    except Timeout:
        return verdict(False, "checker: time limit exceeded while generating conditions")
    except z3.Z3Exception as e:
        return verdict(False, f"checker: solver error: {e}")
    except RecursionError:
        return verdict(False, "checker: program nested too deeply")
    except Exception as e:  # noqa: BLE001 - a checker bug must reject, never accept or crash
        return verdict(False, f"checker: internal error: {type(e).__name__}: {e}")
    return verdict(accepted, reason)


def _loops(cert: dict[str, Any]) -> tuple[CertLoops, bool, bool]:
    """Validate the certificate's shape: (loops, unreachable, entry mode)."""
    if not isinstance(cert, dict) or cert.get("version") != 1:
        raise ValueError("certificate version must be 1")
    method = cert.get("method")
    if method not in ("invariants", "unrolling"):
        raise ValueError(f"unknown method {method!r}")
    unroll = cert.get("unroll", 0)
    if method == "unrolling" and (type(unroll) is not int or not 0 <= unroll <= MAX_UNROLL):
        raise ValueError(f"unroll must be an integer in 0..{MAX_UNROLL}")
    invariants: dict[Pos, list[str]] = {}
    for entry in cert.get("loops", []) if method == "invariants" else []:
        if not isinstance(entry, dict):
            raise ValueError("loop entry is not an object")
        ln, col, inv = entry.get("line"), entry.get("column"), entry.get("invariant")
        if type(ln) is not int or type(col) is not int or not isinstance(inv, str):
            raise ValueError("loop entry needs integer line/column and a string invariant")
        invariants.setdefault((ln, col), []).append(inv)
    unreachable, entry_mode = cert.get("unreachable", False), cert.get("entry", False)
    if not isinstance(unreachable, bool) or not isinstance(entry_mode, bool):
        raise ValueError("unreachable/entry must be booleans")
    return CertLoops(method, unroll if method == "unrolling" else 0, invariants), unreachable, entry_mode


def _check(job: Job, check_id: str, pos: Pos, cert: dict[str, Any], start: float) -> tuple[bool, str]:
    from analysis.engine.parse import parse_job

    if check_id not in CHECK_IDS:
        return False, f"checker: unknown check id {check_id!r}"
    try:
        loops, unreachable, entry_mode = _loops(cert)
    except (ValueError, TypeError, AttributeError) as e:
        return False, f"certificate: {e}"
    ast = parse_job(job.context, job.target).ast
    if ast is None:
        return False, "checker: the function does not parse"
    ann: dict[int, Pos] = {}
    for unit in (*job.context, job.target):
        for aid, span in unit.annotations:
            if aid.isdigit():
                ann[int(aid)] = (span.start.line, span.start.column)
    prog = Program(ast, DataModel(job.options.data_model), ann)
    fd = prog.funcs.get(job.function)
    if fd is None:
        return False, f"checker: no definition of {job.function}"
    known = {(n.coord.line, n.coord.column) for n in _loops_of(ast)}
    for p in loops.invariants:
        if p not in known:
            return False, f"certificate: no loop at line {p[0]}, column {p[1]}"
    budget = max(float(job.options.timeout), 0.1)
    ctx = z3.Context()
    ex = Executor(prog, ctx, Target(check_id, pos, unreachable), loops, job.options.inline_depth, start + budget)
    ex.run(fd, entry_mode and job.function == "main")
    if ex.hits == 0:
        return False, f"checker: no {check_id} check at line {pos[0]}, column {pos[1]} in {job.function}"
    if not ex.obligations:
        return True, "all conditions hold trivially"
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", max(1, int((start + budget - time.monotonic()) * 1000)))
    solver.set("rlimit", int(job.options.rlimit))
    solver.add(z3.Or([bad for bad, _ in ex.obligations]))
    r = solver.check()
    if r == z3.unsat:
        return True, f"{len(ex.obligations)} condition(s) valid"
    if r == z3.unknown:
        return False, f"checker: solver gave up ({solver.reason_unknown()})"
    model = solver.model()
    failing = [what for bad, what in ex.obligations if z3.is_true(model.eval(bad, model_completion=True))]
    return False, "condition does not hold: " + (failing[0] if failing else "?")


def _loops_of(ast: c_ast.Node) -> list[c_ast.Node]:
    out, stack = [], [ast]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.While | c_ast.DoWhile | c_ast.For) and n.coord is not None:
            out.append(n)
        stack.extend(c for _, c in n.children())
    return out
