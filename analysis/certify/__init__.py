"""An independent certificate checker for the engine's "proved" verdicts (the de Bruijn principle).

The engine's proofs are only trusted once this small checker, which shares no inference or
encoding code with the engine (only the parser, the type sizes and the source positions),
re-derives the verification conditions from the C text and the certificate and finds them
valid. Anything it does not understand is rejected: rejecting is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import z3
from pycparser import c_ast

from analysis.clock import Deadline
from analysis.ctypes import DataModel
from analysis.job import Job
from analysis.z3context import new_context

from . import vcgen
from .bounds import abstract_bounded_products
from .cdecl import Pos, Program, Unsupported, pos_of
from .memory import Memory
from .vcgen import CertLoops, Target, Timeout, nodes
from .walk import scan

__all__ = ["Claim", "Verdict", "check_certificate", "check_certificates"]
MAX_UNROLL = 1000


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    time_ms: float


def check_certificate(job: Job, check_id: str, line: int, column: int, cert: dict[str, Any]) -> Verdict:
    """Accept the engine's claim that check ``check_id`` at (line, column) holds, or say why not."""
    return check_certificates(job, [Claim(check_id, line, column, cert)])[0]


@dataclass(frozen=True)
class Claim:
    """The engine's claim that check ``check_id`` at (line, column) holds, with its certificate."""

    check_id: str
    line: int
    column: int
    cert: dict[str, Any]


# checks whose conditions the walk derives only when they are the one certified (a loop's ranking,
# the leak at a call, the frame and the postcondition at the returns): one walk each
_ALONE = ("termination.loop", "memory.leak", "assigns.violated", "postcondition.violated")


def check_certificates(job: Job, claims: list[Claim]) -> list[Verdict]:
    """A verdict per claim. Claims with the same certificate (up to its ``unreachable`` flag) are
    checked by one walk of the function: its conditions are those of each claim's own walk (every
    other check is assumed past its point in both), so only the claims' own instances differ.
    Measured on base64's encode: 55 walks (3.6 s, and 2 s hashing their loop conditions) became one."""
    batches: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        key = f"#{i}"
        if c.check_id not in _ALONE and isinstance(c.cert, dict):
            with contextlib.suppress(TypeError, ValueError):
                key = json.dumps({k: v for k, v in c.cert.items() if k != "unreachable"}, sort_keys=True)
        batches.setdefault(key, []).append(i)
    verdicts: list[Verdict | None] = [None] * len(claims)
    for idxs in batches.values():
        for i, v in zip(idxs, _guarded(job, [claims[i] for i in idxs]), strict=True):
            verdicts[i] = v
    assert all(v is not None for v in verdicts)
    return verdicts  # type: ignore[return-value]


def _guarded(job: Job, claims: list[Claim]) -> list[Verdict]:
    """The batch's verdicts; any failure of the checker itself rejects (never accepts or crashes)."""
    start = time.monotonic()
    # twice the engine's per-check time (CPU time, as the engine's): the checker has no
    # invariant-specific tricks
    budget = max(2 * float(job.options.timeout), 0.1)
    own_ms = [0.0] * len(claims)
    try:
        answers = _check(job, claims, budget, own_ms)
    except Unsupported as e:
        answers = [(False, str(e))] * len(claims)
    except Timeout:
        answers = [(False, "checker: time limit exceeded while generating conditions")] * len(claims)
    except z3.Z3Exception as e:
        answers = [(False, f"checker: solver error: {e}")] * len(claims)
    except RecursionError:
        answers = [(False, "checker: program nested too deeply")] * len(claims)
    except Exception as e:  # noqa: BLE001 - a checker bug must reject, never accept or crash
        answers = [(False, f"checker: internal error: {type(e).__name__}: {e}")] * len(claims)
    shared_ms = ((time.monotonic() - start) * 1000 - sum(own_ms)) / len(claims)
    return [Verdict(ok, why, shared_ms + own) for (ok, why), own in zip(answers, own_ms, strict=True)]


def _bounded(k: Any) -> bool:
    return type(k) is int and 0 <= k <= MAX_UNROLL


def _shape(cert: dict[str, Any]) -> tuple[CertLoops, bool, bool, list[str]]:
    """Validate the certificate's shape: (loops, unreachable, entry mode, requires)."""
    if not isinstance(cert, dict) or cert.get("version") != 1:
        raise ValueError("certificate version must be 1")
    method, unroll = cert.get("method"), cert.get("unroll", 0)
    if method not in ("invariants", "unrolling") or method == "unrolling" and not _bounded(unroll):
        raise ValueError(f"method must be invariants or unrolling (with unroll in 0..{MAX_UNROLL}), not {method!r}")
    invariants: dict[Pos, list[str]] = {}
    unrolls: dict[Pos, int] = {}
    for entry in cert.get("loops", []) if method == "invariants" else []:
        if not isinstance(entry, dict) or type(entry.get("line")) is not int or type(entry.get("column")) is not int:
            raise ValueError("loop entry needs an integer line and column")
        at, inv, k = (entry["line"], entry["column"]), entry.get("invariant"), entry.get("unroll")
        if k is not None:  # this loop is executed exactly, at most k iterations
            if not _bounded(k) or inv is not None or at in invariants or unrolls.get(at, k) != k:
                raise ValueError("a loop entry's unroll must be one integer in 0..1000, without an invariant")
            unrolls[at] = k
        elif not isinstance(inv, str) or at in unrolls:
            raise ValueError("loop entry needs a string invariant (or an unroll bound)")
        else:
            invariants.setdefault(at, []).append(inv)
    ranking = None
    if "ranking" in cert:
        rk = cert["ranking"]
        comps = [(c.get("const"), c.get("coeffs", {})) for c in rk.get("components", [])]
        if type(rk.get("line")) is not int or type(rk.get("column")) is not int or not comps or not all(
                type(k) is int and isinstance(co, dict) and all(isinstance(n, str) and type(v) is int
                                                                for n, v in co.items()) for k, co in comps):
            raise ValueError("a ranking needs the loop's line and column and components, each an integer const "
                             "and integer coeffs by variable")
        ranking = ((rk["line"], rk["column"]), [(k, dict(co)) for k, co in comps])
    unreachable, entry_mode = cert.get("unreachable", False), cert.get("entry", False)
    requires = cert.get("requires", [])  # ACSL preconditions the proof assumes (memory.py reads them)
    if not isinstance(unreachable, bool) or not isinstance(entry_mode, bool):
        raise ValueError("unreachable/entry must be booleans")
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise ValueError("requires must be a list of strings")
    return CertLoops(method, unroll if method == "unrolling" else 0, invariants, unrolls, ranking), unreachable, \
        entry_mode, requires


def _check(job: Job, claims: list[Claim], budget: float, own_ms: list[float]) -> list[tuple[bool, str]]:
    """Walk the function once for all ``claims`` (one certificate) and decide their conditions:
    the shared ones (loops, calls) first, then each claim's own instances."""
    from analysis.engine.parse import parse_job

    deadline = Deadline(budget)
    try:
        shapes = [_shape(c.cert) for c in claims]
    except (ValueError, TypeError, AttributeError) as e:
        return [(False, f"certificate: {e}")] * len(claims)
    loops, _unreachable, entry_mode, requires = shapes[0]
    ast = parse_job(job.context, job.target).ast
    if ast is None:
        return [(False, "checker: the function does not parse")] * len(claims)
    ann = {int(aid): (span.start.line, span.start.column)
           for unit in (*job.context, job.target) for aid, span in unit.annotations if aid.isdigit()}
    prog = Program(ast, DataModel(job.options.data_model), ann)
    fd = prog.funcs.get(job.function)
    if fd is None:
        return [(False, f"checker: no definition of {job.function}")] * len(claims)
    known = {pos_of(n) for n in nodes(ast) if isinstance(n, c_ast.While | c_ast.DoWhile | c_ast.For)}
    for p in [*loops.invariants, *loops.unrolls]:
        if p not in known:
            return [(False, f"certificate: no loop at line {p[0]}, column {p[1]}")] * len(claims)
    targets = [Target(c.check_id, (c.line, c.column), shape[1]) for c, shape in zip(claims, shapes, strict=True)]

    def execute(prune: bool, of: list[Target]) -> Memory:
        vcgen.PRUNE = prune
        try:
            ex = Memory(prog, new_context(), of[0], loops, job.options.inline_depth, deadline, requires=requires,
                        also=tuple(of[1:]))
            ex.run(fd, entry_mode and job.function == "main")
        finally:
            vcgen.PRUNE = True
        return ex

    ex = execute(True, targets)
    answers: dict[int, tuple[bool, str]] = {}

    def hits(walk: Memory, t: Target) -> int:
        return walk.target_hits.get((t.check_id, t.pos), 0)

    # constant folding may have pruned every path to a check: then it must exist in an unpruned
    # run, and the obligations (loop exhaustion, invariants) must still hold
    pruned = [t for t in targets if hits(ex, t) == 0]
    if pruned:
        unpruned = execute(False, pruned)
        for i, t in enumerate(targets):
            if t in pruned and hits(unpruned, t) == 0:
                answers[i] = (False, f"checker: no {t.check_id} check at line {t.pos[0]}, column {t.pos[1]} "
                                     f"in {job.function}")
    own = {i: ex.target_obligations.get((t.check_id, t.pos), []) for i, t in enumerate(targets) if i not in answers}
    shared = ex.obligations  # the loops' (and a ranking's), whichever check is certified
    if not shared and not any(own.values()):
        return [answers.get(i, (True, "all conditions hold trivially")) for i in range(len(claims))]
    # one query per loop condition (a product in one loop's consecution does not slow down the
    # others), and one for all the instances of a check (ten unrolled iterations: one query)
    rlimit = int(job.options.rlimit)
    for bad, what in shared:
        key = hashlib.sha256(bad.sexpr().encode()).digest()  # the same loop's conditions, per certificate
        if key in _VALID:
            continue
        r, why = _decide(ex.ctx, bad, deadline, rlimit)
        if r == z3.unknown:
            return [answers.get(i, (False, f"checker: solver gave up ({why})")) for i in range(len(claims))]
        if r == z3.sat:
            return [answers.get(i, (False, "condition does not hold: " + what)) for i in range(len(claims))]
        _VALID[key] = None
        while len(_VALID) > 4096:
            del _VALID[next(iter(_VALID))]
    for i, instances in own.items():
        total = len(shared) + len(instances)
        if not instances:
            answers[i] = (True, f"{total} condition(s) valid")
            continue
        t0 = time.monotonic()
        r, why = _decide(ex.ctx, z3.Or(instances), Deadline(budget), rlimit)
        own_ms[i] = (time.monotonic() - t0) * 1000
        answers[i] = (True, f"{total} condition(s) valid") if r == z3.unsat else \
            (False, f"checker: solver gave up ({why})") if r == z3.unknown else \
            (False, f"condition does not hold: {targets[i].check_id} at line {targets[i].pos[0]}")
    return [answers[i] for i in range(len(claims))]


# formulas (by their text) shown unsatisfiable: every check of a function re-derives its loops' conditions
_VALID: dict[bytes, None] = {}


def _decide(ctx: z3.Context, bad: Any, deadline: Deadline, rlimit: int) -> tuple[Any, str]:
    """Is ``bad`` satisfiable? First with products of bounded values abstracted by their ranges
    (unsat only: a model may pick a value no product takes), then with bit-widths shrunk to the
    bounds the path implies, then with the general solvers."""
    found = scan(bad)
    if found.divisions:
        bad = _divisions_by_constants(ctx, bad, found.divisions)
        found = scan(bad)
    # (tactics, share of the time left, cap in seconds, formula or None): cheap and usually decisive first
    attempts = [(_BITS, 0.5, 2.0, abstract_bounded_products(bad, found.products, found.predicates)),
                (_BITS, 0.5, 1.0, bad), (("qfbv",), 1.0, float("inf"), bad)] if found.pure_bv else \
        [((), 1.0, float("inf"), bad)]
    why = "no time left"
    for tactics, share, cap, formula in attempts:
        left = deadline.remaining()
        if formula is None or left <= 0:
            continue
        solver = z3.Solver(ctx=ctx) if not tactics else \
            (z3.Then(*tactics, ctx=ctx) if len(tactics) > 1 else z3.Tactic(tactics[0], ctx)).solver()
        solver.set("timeout", max(1, deadline.z3_ms(min(left * share, cap))))
        solver.set("rlimit", rlimit)
        solver.add(formula)
        try:
            r = solver.check()
        except z3.Z3Exception as e:
            why = str(e)
            continue
        if r == z3.unsat or (r == z3.sat and formula is bad):
            return r, ""
        if r == z3.unknown:
            why = solver.reason_unknown()
    return z3.unknown, why


_BITS = ("simplify", "propagate-values", "solve-eqs", "propagate-bv-bounds", "reduce-bv-size", "bit-blast", "sat")


def _divisions_by_constants(ctx: z3.Context, goal: Any, divisions: list[Any]) -> Any:
    """``a srem m`` / ``a sdiv m`` (and unsigned) for a constant ``m`` as their definition,
    ``a == q*m + r`` with the sign and size of ``r`` (C11 6.5.5p6), at double width: a product by
    a constant bit-blasts to additions, where a divider circuit stalls the SAT solver (a
    congruence invariant ``(x - n) % 3 == 0`` took seconds). The result is equisatisfiable."""
    facts, pairs = [], []
    for n, t in enumerate({t.get_id(): t for t in divisions}.values()):
        a, m, w, k = t.arg(0), t.arg(1), t.size(), t.decl().kind()
        signed = k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I)
        mv = m.as_signed_long() if signed else m.as_long()
        if signed and mv == -1:
            continue  # INT_MIN / -1 wraps: keep the operator
        q, r = z3.BitVec(f"certify_q{n}", w, ctx), z3.BitVec(f"certify_r{n}", w, ctx)
        ext = functools.partial(z3.SignExt if signed else z3.ZeroExt, w)
        facts.append(ext(a) == ext(q) * z3.BitVecVal(mv, 2 * w, ctx) + ext(r))
        # |r| < |m|, compared at double width: -r and |INT_MIN| do not fit in w bits
        facts.append(z3.Or(r == 0, z3.And(a > 0, r > 0, ext(r) < abs(mv)), z3.And(a < 0, r < 0, ext(r) > -abs(mv)))
                     if signed else z3.ULT(r, m))
        pairs.append((t, r if k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BUREM, z3.Z3_OP_BUREM_I) else q))
    return z3.And(z3.substitute(goal, *pairs), *facts) if pairs else goal
