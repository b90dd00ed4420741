"""Acceleration: bugs that need thousands or billions of iterations, found without unrolling.

For a loop whose every variable changes by a constant per iteration (counters, sums of
constants), the state after k iterations has a closed form S(k) = S(0) + k·d. A check of
the abstract run is then asked at S(k) for a symbolic k, together with "every earlier
iteration j < k ran through the body to S(j+1)" (a quantified formula over bit-vectors):
the body relation excludes undefined behaviour and leaving the loop, so a model is a real
execution that reaches the failure in iteration k, and it replays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import z3

from analysis.engine.solve import solve

if TYPE_CHECKING:
    from analysis.engine import Run
    from analysis.engine.symexec import CheckInst

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


def refute(run: Run, insts: list[CheckInst], limits: tuple[float, int]) -> tuple[CheckInst, Any, int, list[Any]] | None:
    """A model reaching one of ``insts`` after k iterations of the run's only loop:
    (instance, model, k, the substitution of the loop-head constants by their closed form)."""
    ex = run.ex
    # the abstract run is exact apart from its one loop only without contract summaries
    if len(ex.loops) != 1 or ex.markers or ex.summarised:
        return None
    rec = ex.loops[0]
    deltas = accelerable(rec)
    if deltas is None or rec.entry_env is None:
        return None
    model = rec.model
    keys = model.extra["keys"]
    ctx = ex.ctx
    k = z3.BitVec("accel_k", K_BITS, ctx)
    j = z3.BitVec("accel_j", K_BITS, ctx)

    def state(n: Any) -> list[Any]:
        out = []
        for key, d in zip(keys, deltas, strict=True):
            e = rec.entry_env[key].z
            w = e.size()
            out.append(e + z3.Extract(w - 1, 0, n) * d if w <= K_BITS else e + z3.ZeroExt(w - K_BITS, n) * d)
        return out

    s_k, s_j, s_j1 = state(k), state(j), state(j + 1)
    step = z3.substitute(model.body, *zip(model.pre, s_j, strict=True), *zip(model.post, s_j1, strict=True))
    history = z3.ForAll([j], z3.Implies(z3.ULT(j, k), step))
    heads = [(rec.head_vars[key], v) for key, v in zip(keys, s_k, strict=True)
             if key in rec.head_vars and z3.is_const(rec.head_vars[key])
             and rec.head_vars[key].decl().kind() == z3.Z3_OP_UNINTERPRETED]
    # at most 2^62 iterations keeps every product in range of the 64-bit counter
    bound = z3.ULT(k, z3.BitVecVal(1 << 62, K_BITS, ctx))
    budget = (min(limits[0], 4.0), limits[1])
    for inst in insts:
        f = z3.substitute(inst.cond, *heads) if heads else inst.cond
        out = solve(ctx, z3.And(bound, history, f), *budget)
        if out.status == "sat":
            iterations = out.model.eval(k, model_completion=True)
            return (inst, out.model, int(iterations.as_long()) if z3.is_bv_value(iterations) else -1, heads)
    return None


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
