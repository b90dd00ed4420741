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
from analysis.job import Job

from .bounds import abstract_bounded_products
from .cdecl import Pos, Program, Unsupported
from .vcgen import CertLoops, Executor, Target, Timeout
from .walk import scan

__all__ = ["Verdict", "check_certificate", "CHECK_IDS"]

CHECK_IDS = frozenset(
    [f"overflow.signed.{k}" for k in ("add", "sub", "mul", "div", "rem", "neg", "inc", "dec")]
    + ["div-by-zero.div", "div-by-zero.rem", "shift.negative", "shift.too-wide", "shift.negative-value",
       "shift.overflow", "bounds.index", "assert.violated", "reach-error.reachable", "precondition.violated",
       "postcondition.violated", "invariant.initiation", "invariant.consecution", "termination.loop"])
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
    unrolls: dict[Pos, int] = {}
    for entry in cert.get("loops", []) if method == "invariants" else []:
        if not isinstance(entry, dict):
            raise ValueError("loop entry is not an object")
        ln, col, inv, k = entry.get("line"), entry.get("column"), entry.get("invariant"), entry.get("unroll")
        if type(ln) is not int or type(col) is not int:
            raise ValueError("loop entry needs an integer line and column")
        if k is not None:  # this loop is executed exactly, at most k iterations
            if type(k) is not int or not 0 <= k <= MAX_UNROLL or inv is not None or (ln, col) in invariants or \
                    unrolls.get((ln, col), k) != k:
                raise ValueError("a loop entry's unroll must be one integer in 0..1000, without an invariant")
            unrolls[(ln, col)] = k
            continue
        if not isinstance(inv, str) or (ln, col) in unrolls:
            raise ValueError("loop entry needs a string invariant (or an unroll bound)")
        invariants.setdefault((ln, col), []).append(inv)
    ranking = None
    if "ranking" in cert:
        rk = cert["ranking"]
        comps = []
        for comp in rk.get("components", []):
            coeffs = comp.get("coeffs", {})
            if type(comp.get("const")) is not int or not isinstance(coeffs, dict) or not all(
                    isinstance(k, str) and type(v) is int for k, v in coeffs.items()):
                raise ValueError("a ranking component is an integer const and integer coeffs by variable")
            comps.append((comp["const"], dict(coeffs)))
        if type(rk.get("line")) is not int or type(rk.get("column")) is not int or not comps:
            raise ValueError("a ranking needs the loop's line and column and at least one component")
        ranking = ((rk["line"], rk["column"]), comps)
    unreachable, entry_mode = cert.get("unreachable", False), cert.get("entry", False)
    if not isinstance(unreachable, bool) or not isinstance(entry_mode, bool):
        raise ValueError("unreachable/entry must be booleans")
    return CertLoops(method, unroll if method == "unrolling" else 0, invariants, unrolls, ranking), unreachable, \
        entry_mode


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
    for p in [*loops.invariants, *loops.unrolls]:
        if p not in known:
            return False, f"certificate: no loop at line {p[0]}, column {p[1]}"
    # twice the engine's per-check time: the checker has no invariant-specific tricks
    budget = max(2 * float(job.options.timeout), 0.1)
    ctx = z3.Context()
    ex = Executor(prog, ctx, Target(check_id, pos, unreachable), loops, job.options.inline_depth, start + budget)
    ex.run(fd, entry_mode and job.function == "main")
    if ex.hits == 0:
        # constant folding may have pruned every path to the check: then it must exist in an
        # unpruned run, and the obligations (loop exhaustion, invariants) must still hold
        from . import vcgen

        vcgen.PRUNE = False
        try:
            probe = Executor(prog, z3.Context(), Target(check_id, pos, unreachable), loops, job.options.inline_depth,
                             start + budget)
            probe.run(fd, entry_mode and job.function == "main")
        finally:
            vcgen.PRUNE = True
        if probe.hits == 0:
            return False, f"checker: no {check_id} check at line {pos[0]}, column {pos[1]} in {job.function}"
    if not ex.obligations:
        return True, "all conditions hold trivially"
    # one query per loop condition (a product in one loop's consecution does not slow down the
    # others), and one for all the instances of the check itself (ten unrolled iterations: one query)
    instances = [bad for bad, what in ex.obligations if what.startswith(check_id)]
    grouped = [(bad, what) for bad, what in ex.obligations if not what.startswith(check_id)]
    if instances:
        grouped.append((z3.Or(instances), f"{check_id} at line {pos[0]}"))
    for bad, what in grouped:
        r, why = _decide(ctx, bad, start + budget, int(job.options.rlimit))
        if r == z3.unknown:
            return False, f"checker: solver gave up ({why})"
        if r == z3.sat:
            return False, "condition does not hold: " + what
    return True, f"{len(ex.obligations)} condition(s) valid"


def _decide(ctx: z3.Context, bad: Any, deadline: float, rlimit: int) -> tuple[Any, str]:
    """Is ``bad`` satisfiable? First with products of bounded values abstracted by their ranges
    (unsat only), then with bit-widths shrunk to the bounds the path implies, then with the
    general solvers."""
    why = "no time left"
    found = scan(bad)
    if found.divisions:
        bad = _divisions_by_constants(ctx, bad, found.divisions)
        found = scan(bad)
    # (solver, share of the time left, cap in seconds, formula built on demand): cheap and usually
    # decisive first; a formula is None when it does not apply
    attempts: list[tuple[Any, float, float, Any]] = []
    if found.pure_bv:
        # only the unsat of the ranges counts: a model may pick a value no product takes
        attempts.append((_bounded_bits, 0.5, 2.0, lambda: abstract_bounded_products(bad, found.products,
                                                                                    found.predicates)))
        attempts.append((_bounded_bits, 0.5, 1.0, lambda: bad))
        attempts.append((lambda c: z3.Tactic("qfbv", c).solver(), 1.0, float("inf"), lambda: bad))
    else:
        attempts.append((lambda c: z3.Solver(ctx=c), 1.0, float("inf"), lambda: bad))
    for make_solver, share, cap, build in attempts:
        if deadline - time.monotonic() <= 0:
            break
        formula = build()
        left = deadline - time.monotonic()
        if formula is None or left <= 0:
            continue
        solver = make_solver(ctx)
        solver.set("timeout", max(1, int(min(left * share, cap) * 1000)))
        solver.set("rlimit", rlimit)
        solver.add(formula)
        try:
            r = solver.check()
        except z3.Z3Exception as e:
            why = str(e)
            continue
        if r == z3.unsat or (r == z3.sat and formula is bad):
            return r, ""
        if r == z3.sat:
            continue  # a model of the ranges is not used: the exact solvers confirm
        why = solver.reason_unknown()
    return z3.unknown, why


def _bounded_bits(ctx: z3.Context) -> Any:
    return z3.Then("simplify", "propagate-values", "solve-eqs", "propagate-bv-bounds", "reduce-bv-size", "bit-blast",
                   "sat", ctx=ctx).solver()


def _divisions_by_constants(ctx: z3.Context, goal: Any, divisions: list[Any]) -> Any:
    """``a srem m`` / ``a sdiv m`` (and unsigned) for a constant ``m`` as their definition,
    ``a == q*m + r`` with the sign and size of ``r`` (C11 6.5.5p6), at double width: a product by
    a constant bit-blasts to additions, where a divider circuit stalls the SAT solver (a
    congruence invariant ``(x - n) % 3 == 0`` took seconds). The result is equisatisfiable."""
    found = {t.get_id(): t for t in divisions}
    facts, pairs = [], []
    for n, t in enumerate(found.values()):
        a, m, w = t.arg(0), t.arg(1), t.size()
        k = t.decl().kind()
        signed = k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I)
        mv = m.as_signed_long() if signed else m.as_long()
        if signed and mv == -1:
            continue  # INT_MIN / -1 wraps: keep the operator
        q, r = z3.BitVec(f"certify_q{n}", w, ctx), z3.BitVec(f"certify_r{n}", w, ctx)
        ext = (lambda x, w=w: z3.SignExt(w, x)) if signed else (lambda x, w=w: z3.ZeroExt(w, x))
        wide_m = z3.BitVecVal(mv, 2 * w, ctx)
        facts.append(ext(a) == ext(q) * wide_m + ext(r))
        if signed:  # |r| < |m| compared at double width: -r and |INT_MIN| do not fit in w bits
            zero = z3.BitVecVal(0, w, ctx)
            top, bottom = z3.BitVecVal(abs(mv), 2 * w, ctx), z3.BitVecVal(-abs(mv), 2 * w, ctx)
            facts.append(z3.Or(r == zero, z3.And(a > zero, r > zero, ext(r) < top),
                               z3.And(a < zero, r < zero, ext(r) > bottom)))
        else:
            facts.append(z3.ULT(r, m))
        pairs.append((t, r if k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BUREM, z3.Z3_OP_BUREM_I) else q))
    return z3.And(z3.substitute(goal, *pairs), *facts) if pairs else goal


def _loops_of(ast: c_ast.Node) -> list[c_ast.Node]:
    out, stack = [], [ast]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.While | c_ast.DoWhile | c_ast.For) and n.coord is not None:
            out.append(n)
        stack.extend(c for _, c in n.children())
    return out
