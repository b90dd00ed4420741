"""Acceleration: bugs that need thousands or billions of iterations, found without unrolling.

For a loop whose every variable changes by a constant per iteration (counters, sums of
constants), the state after k iterations has a closed form S(k) = S(0) + k·d. A check of
the abstract run is then asked at S(k) for a symbolic k, together with "every earlier
iteration j < k ran through the body to S(j+1)" (a quantified formula over bit-vectors):
the body relation excludes undefined behaviour and leaving the loop, so a model is a real
execution that reaches the failure in iteration k, and it replays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import z3

from analysis.bv2int import constants_of, integer_model, mark_heavy, unsat_over_integers
from analysis.engine.solve import solve

if TYPE_CHECKING:
    from analysis.engine.symexec import CheckInst
    from analysis.engine.verify import Run

K_BITS = 64


def accelerable(rec: Any) -> list[Any] | None:
    """Per state variable, its constant increment per iteration, or None if the loop is not a translation."""
    model = rec.model
    if model is None or not model.extra.get("exact") or model.extra.get("aux") or not model.names:
        return None
    deltas = []
    for pre, post in zip(model.pre, model.extra["post_terms"], strict=True):
        d = z3.simplify(post - pre)
        if not z3.is_bv_value(d):
            return None
        deltas.append(d)
    return deltas


def _affine(e: Any, allowed: set[int]) -> bool:
    """``e`` is affine (same width throughout, no extension) in the constants ``allowed``."""
    if z3.is_bv_value(e):
        return True
    if z3.is_const(e):
        return e.get_id() in allowed
    if not z3.is_app(e):
        return False
    k, ch = e.decl().kind(), e.children()
    if k in (z3.Z3_OP_BADD, z3.Z3_OP_BSUB, z3.Z3_OP_BNEG):
        return all(_affine(c, allowed) for c in ch)
    if k == z3.Z3_OP_BMUL and len(ch) == 2:
        return any(z3.is_bv_value(c) for c in ch) and all(_affine(c, allowed) for c in ch)
    return False


def closed_form(rec: Any) -> tuple[Callable[[Any], list[Any]], str] | None:
    """The loop-head state after n iterations (n a 64-bit term) from the entry values, and its text.

    Counters move by a constant (``i = i0 + d·n``); sums of counters by the sum of an affine
    function of them (``s = s0 + n·A + B·n(n-1)/2``, n(n-1)/2 taken modulo 2^64).
    Both are exact in C's modular bit-vector arithmetic. None if the loop has another shape."""
    model = rec.model
    if model is None or not model.extra.get("exact") or model.extra.get("aux") or not model.names:
        return None
    if rec.entry_env is None or any(rec.entry_env.get(k) is None or rec.entry_env[k].z is None
                                    for k in model.extra["keys"]):
        return None
    keys = model.extra["keys"]
    entry = [rec.entry_env[key].z for key in keys]
    deltas = [z3.simplify(post - pre) for pre, post in zip(model.pre, model.extra["post_terms"], strict=True)]
    first = {i for i, d in enumerate(deltas) if z3.is_bv_value(d)}
    allowed = {model.pre[i].get_id() for i in first}
    at0 = [(model.pre[i], entry[i]) for i in first]
    at1 = [(model.pre[i], entry[i] + deltas[i]) for i in first]
    sums: dict[int, tuple[Any, Any]] = {}
    for i, d in enumerate(deltas):
        if i in first:
            continue
        if not _affine(d, allowed):
            return None
        a = z3.substitute(d, *at0) if at0 else d
        b = z3.simplify((z3.substitute(d, *at1) if at1 else d) - a)
        if not z3.is_bv_value(b):
            return None
        sums[i] = (a, b)

    def trunc(n: Any, w: int) -> Any:
        return z3.Extract(w - 1, 0, n) if w <= n.size() else z3.ZeroExt(w - n.size(), n)

    def state(n: Any) -> list[Any]:
        # n(n-1)/2 modulo 2^64 (all the low bits C's widths need): halve the even factor first
        one = z3.BitVecVal(1, n.size(), n.ctx)
        tri = z3.If(z3.Extract(0, 0, n) == 0, z3.LShR(n, 1) * (n - one), n * z3.LShR(n - one, 1))
        out = []
        for i, e in enumerate(entry):
            w = e.size()
            if i in first:
                out.append(e + trunc(n, w) * deltas[i])
            else:
                a, b = sums[i]
                out.append(e + trunc(n, w) * a + trunc(tri, w) * b)
        return out

    parts = []
    for i, name in enumerate(model.names):
        if i in first:
            step = _c_value(deltas[i], model.signed[i])
            if step:
                parts.append(f"{name} = {name}0 + {step}*k")
        else:
            parts.append(f"{name} = {name}0 + (sum over the k iterations of its increment)")
    return state, "after k iterations, " + ", ".join(parts)


def _c_value(v: Any, signed: bool) -> int:
    n = v.as_long()
    return n - (1 << v.size()) if signed and n >> (v.size() - 1) else n


def _single_loop(run: Run) -> Any | None:
    """The run's one loop, when the rest of the run is exact (no contract summaries, nothing unmodelled)."""
    ex = run.ex
    if len(ex.loops) != 1 or ex.markers or ex.summarised:
        return None
    return ex.loops[0]


def _heads(rec: Any, values: list[Any]) -> list[tuple[Any, Any]]:
    keys = rec.model.extra["keys"]
    return [(rec.head_vars[key], v) for key, v in zip(keys, values, strict=True)
            if key in rec.head_vars and z3.is_const(rec.head_vars[key])
            and rec.head_vars[key].decl().kind() == z3.Z3_OP_UNINTERPRETED]


def refute(run: Run, insts: list[CheckInst], limits: tuple[float, int]) -> tuple[CheckInst, Any, int, list[Any]] | None:
    """A model reaching one of ``insts`` after k iterations of the run's only loop:
    (instance, model, k, the substitution of the loop-head constants by their closed form)."""
    rec = _single_loop(run)
    found = closed_form(rec) if rec is not None else None
    if rec is None or found is None:
        return None
    state, _ = found
    model = rec.model
    ctx = run.ex.ctx
    # counters alone: Z3 handles the quantified history well; sums of counters (products of the
    # iteration count) it does not, so their candidates are confirmed by ground queries instead,
    # over a 34-bit count when every variable has at most 32 bits (the state then repeats
    # within 2^33 iterations, so k < 2^33 misses no failure) to keep the multipliers small
    quantified = accelerable(rec) is not None
    bits = K_BITS if quantified or any(p.size() > 32 for p in model.pre) else 34
    k = z3.BitVec("accel_k", bits, ctx)
    j = z3.BitVec("accel_j", bits, ctx)
    s_k, s_j, s_j1 = state(k), state(j), state(j + 1)
    step = z3.substitute(model.body, *zip(model.pre, s_j, strict=True), *zip(model.post, s_j1, strict=True))
    heads = _heads(rec, s_k)
    # at most 2^62 iterations keeps every product in range of the 64-bit counter
    bound = z3.ULT(k, z3.BitVecVal(1 << (62 if bits == K_BITS else 33), bits, ctx))
    budget = (min(limits[0], 4.0), limits[1])
    for inst in insts:
        f = z3.substitute(inst.cond, *heads) if heads else inst.cond
        if quantified:
            history = z3.ForAll([j], z3.Implies(z3.ULT(j, k), step))
            out = solve(ctx, z3.And(bound, history, f), *budget)
            if out.status == "sat":
                iterations = out.model.eval(k, model_completion=True)
                return (inst, out.model, int(iterations.as_long()) if z3.is_bv_value(iterations) else -1, heads)
            continue
        # the post-state of iteration j is the body's own result at S(j) (it equals S(j+1) by
        # construction): the ground question is then only "guard and no UB at every j < k"
        at_j = list(zip(model.pre, s_j, strict=True))
        posts = [z3.substitute(t, *at_j) for t in model.extra["post_terms"]]
        ran = z3.substitute(model.body, *at_j, *zip(model.post, posts, strict=True))
        hit = _refute_by_candidates(ctx, f, k, bound, ran, j, (min(limits[0], 1.0), limits[1]))
        if hit is not None:
            return (inst, hit[0], hit[1], heads)
    return None


def _refute_by_candidates(ctx: Any, f: Any, k: Any, bound: Any, step: Any, j: Any,
                          budget: tuple[float, int], rounds: int = 4) -> tuple[Any, int] | None:
    """Without the quantifier: a failure at S(k) for some k (a candidate), kept only if, for its
    inputs, no earlier iteration j < k leaves the loop or hits undefined behaviour (asked as a
    ground query). A spurious candidate narrows the search to k <= j."""
    limit = bound
    for _ in range(rounds):
        m = _model(ctx, z3.And(limit, f), budget)
        if m is None:
            return None
        kk = m.eval(k, model_completion=True)
        pinned = [c == m.eval(c, model_completion=True) for c in constants_of(f) if not c.eq(k)]
        early_q = z3.And(k == kk, *pinned, z3.ULT(j, k), z3.Not(step))
        if unsat_over_integers(early_q, budget[0]) or solve(ctx, early_q, *budget).status == "unsat":
            return m, int(kk.as_long())
        early = _model(ctx, early_q, budget)
        if early is None:
            return None
        limit = z3.And(bound, z3.ULE(k, early.eval(j, model_completion=True)))
    return None


def _model(ctx: Any, formula: Any, budget: tuple[float, int]) -> Any | None:
    """A model of ``formula``: over the integers first (products of the iteration count), then
    as bit-vectors with those values pinned (immediate) or, failing that, directly."""
    pins = integer_model(formula, budget[0])
    if pins is not None:
        out = solve(ctx, z3.And(formula, *pins), *budget)
        if out.status == "sat":
            return out.model
    out = solve(ctx, formula, *budget)
    return out.model if out.status == "sat" else None
def prove(run: Run, insts: list[CheckInst], limits: tuple[float, int]) -> str | None:
    """A proof that none of ``insts`` (checks of the abstract run) fails at any iteration count.

    Every execution reaching the loop head for the k-th time is in the closed-form state S(k)
    of its entry values, so asking the checks at S(k) for every k covers them all (the history
    of earlier iterations is dropped: an over-approximation, fine for a proof). With state
    variables of at most 32 bits, S is periodic with a period dividing 2^33, so k < 2^33 covers
    every iteration count. Returns the witness text, or None."""
    rec = _single_loop(run)
    found = closed_form(rec) if rec is not None else None
    if rec is None or found is None or any(p.size() > 32 for p in rec.model.pre):
        return None
    state, text = found
    ctx = run.ex.ctx
    k = z3.BitVec("closed_k", K_BITS, ctx)
    heads = _heads(rec, state(k))
    if not heads:
        return None
    mark_heavy(ctx)  # products of the iteration count: the integer reading answers fast
    bound = z3.ULT(k, z3.BitVecVal(1 << 33, K_BITS, ctx))
    # the one piece of history kept: iteration k - 1, if any, ran, so the guard held before it
    one = z3.BitVecVal(1, K_BITS, ctx)
    ran = z3.Or(k == 0, z3.substitute(rec.model.guard, *zip(rec.model.pre, state(k - one), strict=True)))
    f = z3.Or(*[z3.substitute(inst.cond, *heads) for inst in insts])
    out = solve(ctx, z3.And(bound, ran, f), min(limits[0], 1.5), limits[1])
    return f"closed form of the loop: {text}" if out.status == "unsat" else None


def runs_forever(rec: Any, entry_pc: Any, entry_env: dict[str, Any]) -> Any | None:
    """For a translation loop over variables of at most 32 bits: "from this entry, the guard and a
    defined iteration hold for 2^32 consecutive iterations" — the states repeat with a period
    dividing 2^32, so that means forever. None if the loop is not a translation."""
    deltas = accelerable(rec)
    if deltas is None:
        return None
    model = rec.model
    keys = model.extra["keys"]
    if any(p.size() > 32 for p in model.pre):
        return None
    ctx = model.ctx
    k = z3.BitVec("forever_k", K_BITS, ctx)

    def state(n: Any) -> list[Any]:
        return [entry_env[key].z + z3.Extract(entry_env[key].z.size() - 1, 0, n) * d
                for key, d in zip(keys, deltas, strict=True)]

    if any(entry_env.get(key) is None or entry_env[key].z is None for key in keys):
        return None
    s_k, s_k1 = state(k), state(k + 1)
    step = z3.substitute(z3.And(model.guard, model.body), *zip(model.pre, s_k, strict=True),
                         *zip(model.post, s_k1, strict=True))
    period = z3.BitVecVal(1 << 32, K_BITS, ctx)
    return z3.And(entry_pc, z3.ForAll([k], z3.Implies(z3.ULT(k, period), step)))
