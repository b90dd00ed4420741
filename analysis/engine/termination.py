"""Termination checks: one per loop of the function (at its keyword), one for recursion.

proved: a ranking function verified over the exact bit-vector transition relation
(``analysis.inference.ranking``); refuted: a recurrent set reached from concrete inputs of
the exact run; unknown otherwise. A loop whose body goes through anything unmodelled is
unknown: the callee itself might not return."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.engine.certificates import loops_certificate, ranking_certificate, unrolling_certificate
from analysis.engine.solve import solve
from analysis.model import CheckResult, Counterexample, Status
from analysis.names import fresh_const

if TYPE_CHECKING:
    from analysis.engine.symexec import FuncInfo
    from analysis.engine.verify import Run
    from analysis.job import Job


def termination_checks(exact: Run, abstract: Run | None, info: FuncInfo, job: Job, limits: tuple[float, int],
                       unsupported: list[Any]) -> list[CheckResult]:
    out: list[CheckResult] = []
    abstract_recs = {r.node_id: r for r in abstract.ex.loops} if abstract is not None else {}
    seen: set[int] = set()
    for erec in exact.ex.loops:
        if erec.node_id in seen:
            continue
        seen.add(erec.node_id)
        t0 = time.perf_counter()
        same = [r for r in exact.ex.loops if r.node_id == erec.node_id]
        # "fully unrolled" speaks for every execution only if no path was cut anywhere: an inner
        # loop bounded by `j < i` runs at most 11 times only in the contexts that an outer loop
        # cut at 12 iterations let through (the certificate checker caught that wrong proof)
        # (every cut path counts: a recursion bound, or a library value only the replayed run has)
        if all(z3.is_false(e) for e in exact.ex.exhausted) and not erec.unmodelled_inside and not any(
                "goto" in what for what, _ in unsupported):
            most = max(r.iterations for r in same)
            out.append(CheckResult("termination.loop", Status.PROVED, erec.keyword_span,
                                   witness=f"the loop runs at most {most} times on every path (fully unrolled)",
                                   time_ms=(time.perf_counter() - t0) * 1000,
                                   certificate=_unrolled_certificate(exact, abstract, erec)))
        elif erec.node_id in abstract_recs and abstract_recs[erec.node_id].unrolled is not None \
                and abstract is not None and not erec.unmodelled_inside:
            # the abstract run executed this loop exactly: from every state reaching it, every path
            # left within that many iterations (its certificate says so, and the checker re-proves it)
            arec = abstract_recs[erec.node_id]
            out.append(CheckResult("termination.loop", Status.PROVED, erec.keyword_span,
                                   witness=f"every execution leaves the loop within {arec.unrolled} iterations "
                                           "(executed exactly from every state that reaches it)",
                                   time_ms=(time.perf_counter() - t0) * 1000,
                                   certificate=loops_certificate(abstract.ex.cert_loops)))
        elif erec.node_id in abstract_recs:
            res = _one(exact, abstract_recs[erec.node_id], limits, unsupported, t0,
                       abstract.ex.cert_loops if abstract is not None else [])
            if res.status is Status.UNKNOWN and not erec.unmodelled_inside and not any(
                    "goto" in what for what, _ in unsupported):
                res = _explored(exact, same, limits, t0, abstract) or res
            out.append(res)
        else:
            out.append(CheckResult("termination.loop", Status.UNKNOWN, erec.keyword_span,
                                   reason="loop not analysed", time_ms=(time.perf_counter() - t0) * 1000))
    return out


def _unrolled_certificate(exact: Run, abstract: Run | None, erec: Any) -> dict[str, Any] | None:
    """Every loop of the function unrolled to the exact run's bound (the exploration was complete)."""
    return unrolling_certificate(exact.ex.bound)


def _explored(exact: Run, same: list[Any], limits: tuple[float, int], t0: float,
              abstract: Run | None = None) -> CheckResult | None:
    """No path is still in the loop after the unrolling: every execution left it (a bound the
    solver shows, e.g. a value that reaches a small cycle through 0 after one step)."""
    # every path of the function, not only this loop's: contexts cut elsewhere were never explored
    out = solve(exact.ex.ctx, z3.Or(*[r.exhausted for r in exact.ex.loops], *exact.ex.exhausted), *limits)
    if out.status != "unsat":
        return None
    most = max(r.iterations for r in same)
    return CheckResult("termination.loop", Status.PROVED, same[0].keyword_span,
                       witness=f"every execution leaves the loop within {most} iterations (all paths explored)",
                       time_ms=(time.perf_counter() - t0) * 1000,
                       certificate=_unrolled_certificate(exact, abstract, same[0]))


def _nondet_fixpoint(exact: Run, rec: Any, limits: tuple[float, int], span: Any, ms: Any) -> CheckResult:
    """Nontermination that rests on the values of nondet calls inside the loop, as a witness that
    replays: a loop-head state that one iteration leaves unchanged when every nondet call in the
    body returns the same value c (a harness returns its recorded values in order, then repeats
    the last one, so recording c after the values read before the loop repeats the iteration
    forever). A run that needs the values to change from one iteration to the next is not such a
    witness: the check stays unknown."""
    model = rec.model
    calls = model.extra["aux_calls"]
    first = calls[0][1]
    if any(z.sort() != first.sort() for _, z in calls):
        return CheckResult("termination.loop", Status.UNKNOWN, span, time_ms=ms(),
                           reason="nontermination depends on nondet values of different types in the loop")
    fixed = z3.And(model.guard, model.body, *[q == p for p, q in zip(model.pre, model.post, strict=True)],
                   *[z == first for _, z in calls[1:]])
    # ... at a state some input brings to the loop (its first entry in the exact run)
    erec = next((r for r in exact.ex.loops if r.node_id == rec.node_id), None)
    entry = [erec.entry_env.get(k) if erec is not None and erec.entry_env is not None else None
             for k in model.extra["keys"]]
    if erec is None or any(v is None or v.z is None for v in entry):
        return CheckResult("termination.loop", Status.UNKNOWN, span, time_ms=ms(),
                           reason="loop entry not reached in the exact execution")
    at_entry = [(p, v.z) for p, v in zip(model.pre, entry, strict=True)]  # type: ignore[union-attr]
    out = solve(model.ctx, z3.And(erec.entry_pc, z3.substitute(fixed, *at_entry)), *limits)
    if out.status != "sat":
        return CheckResult("termination.loop", Status.UNKNOWN, span, time_ms=ms(),
                           reason="the loop runs forever only if its nondet values change from one iteration to the next")
    state = {n: _int_value(out.model, z) for n, (_, z) in zip(model.names, at_entry, strict=True)}
    cx, why = _witness_inputs(exact, rec, _State(state), limits)
    if cx is None:
        return CheckResult("termination.loop", Status.UNKNOWN, span, reason=why, time_ms=ms())
    value = _int_value(out.model, first)
    cx = Counterexample(cx.inputs, cx.nondet + tuple((f, value) for f, _ in calls), (), cx.values)
    shown = ", ".join(f"{n} = {v}" for n, v in state.items() if n not in model.extra.get("passive", ()))
    return CheckResult("termination.loop", Status.REFUTED, span, counterexample=cx, time_ms=ms(),
                       witness=f"from {shown}, if the nondet calls in the loop return {value} every time, "
                               "an iteration leaves the state unchanged: the loop never exits")


class _State:
    """A single loop-head state as a nontermination region (``_witness_inputs`` reads ``state``)."""

    def __init__(self, state: dict[str, int]) -> None:
        self.recurrent = None
        self.state = state


def _one(exact: Run, rec: Any, limits: tuple[float, int], unsupported: list[Any], t0: float,
         cert_loops: list[Any]) -> CheckResult:
    span = rec.keyword_span
    ms = lambda: (time.perf_counter() - t0) * 1000  # noqa: E731
    model = rec.model
    if model is None:
        return CheckResult("termination.loop", Status.UNKNOWN, span, reason="loop shape not modelled for termination",
                           time_ms=ms())
    if rec.unmodelled_inside:
        return CheckResult("termination.loop", Status.UNKNOWN, span,
                           reason=f"the loop depends on {rec.unmodelled_inside}", time_ms=ms())
    if not model.names:
        return _stateless(exact, rec, limits, span, ms)
    # The translation query is quantified: decisive in a few milliseconds on `i += 4` until
    # `i == 10`, but seconds of MBQI on a plain countdown that a ranking function proves at once.
    # So: a short try, then rankings, then the translation again with its full time.
    accelerated = _translation(exact, rec, limits, span, ms, unsupported, QUICK_TRANSLATION_S)
    if accelerated is not None and accelerated.status is not Status.PROVED:
        return accelerated
    try:
        from analysis.inference.ranking import prove_termination

        res = prove_termination(model, limits[0], limits[1], invariant=rec.invariant)
    except Exception as e:  # noqa: BLE001
        return accelerated or CheckResult("termination.loop", Status.UNKNOWN, span,
                                          reason=f"termination analysis failed: {e}", time_ms=ms())
    if res.status == "proved" and not unsupported:
        cert = ranking_certificate(cert_loops, rec, res)
        if accelerated is not None and cert is None:
            return accelerated  # proved, but with no certificate: the gate makes it unknown
        return CheckResult("termination.loop", Status.PROVED, span, witness=res.witness, time_ms=ms(),
                           certificate=cert)
    if accelerated is not None:
        return accelerated
    if res.status != "refuted":
        accelerated = _translation(exact, rec, limits, span, ms, unsupported, TRANSLATION_S)
        if accelerated is not None:
            return accelerated
    if res.status == "refuted" and model.extra.get("exact") and model.extra.get("aux_calls"):
        return _nondet_fixpoint(exact, rec, limits, span, ms)
    if res.status == "refuted" and model.extra.get("exact"):
        cx, why = _witness_inputs(exact, rec, res, limits)
        if cx is not None:
            return CheckResult("termination.loop", Status.REFUTED, span, counterexample=cx,
                               witness=res.witness, time_ms=ms())
        return CheckResult("termination.loop", Status.UNKNOWN, span, reason=why, time_ms=ms())
    reason = res.reason or "no ranking function or nontermination witness found"
    if unsupported:
        reason = f"unsupported: {unsupported[0][0]}"
    return CheckResult("termination.loop", Status.UNKNOWN, span, reason=reason, time_ms=ms())


def _witness_inputs(exact: Run, rec: Any, res: Any, limits: tuple[float, int]) -> tuple[Counterexample | None, str]:
    """Concrete function inputs from which the exact run enters the loop inside the recurrent set."""
    from analysis.engine.counterexample import input_values, int_of

    erec = next((r for r in exact.ex.loops if r.node_id == rec.node_id), None)
    if erec is None or erec.entry_env is None:
        return None, "loop not reached in the exact execution"
    model = rec.model
    keys = model.extra["keys"]
    subst = []
    for k, p in zip(keys, model.pre, strict=True):
        v = erec.entry_env.get(k)
        if v is None or v.z is None:
            return None, f"value of {k} at loop entry unknown"
        subst.append((p, v.z))
    # variables the loop neither reads nor writes cannot keep it running: whatever values the
    # witness gave them, any value at this entry will do (they become free constants)
    passive = model.extra.get("passive", frozenset())
    if res.recurrent is not None:
        free = [(p, fresh_const(p.sort(), n)) for n, p in zip(model.names, model.pre, strict=True) if n in passive]
        region = z3.substitute(res.recurrent, *free) if free else res.recurrent
    else:
        region = z3.And(*[p == z3.BitVecVal(res.state[n], p.size(), p.ctx)
                          for n, p in zip(model.names, model.pre, strict=True) if n in res.state and n not in passive])
    query = z3.And(erec.entry_pc, z3.substitute(region, *subst))
    out = solve(exact.ex.ctx, query, *limits)
    if out.status != "sat":
        return None, "no input reaches the nonterminating states" if out.status == "unsat" else (out.reason or "")
    for what, pc, _span in exact.ex.markers:
        if z3.is_true(out.model.eval(pc, model_completion=True)):
            return None, f"nontermination depends on {what}"
    ex = exact.ex
    nondet = tuple((f, int_of(out.model, z, True)) for f, z, pc in ex.nondet[:erec.nondet_at_entry]
                   if z3.is_true(out.model.eval(pc, model_completion=True)))
    state = tuple((n, int_of(out.model, v, s)) for n, v, s in
                  zip(model.names, [s[1] for s in subst], model.signed, strict=True))
    return Counterexample(tuple(input_values(exact, out.model)), nondet, (), state), ""


class _Fixpoint:
    """A recurrent set for a loop without state: the whole guard."""

    def __init__(self, region: Any) -> None:
        self.recurrent = region
        self.state: dict[str, int] = {}


def _stateless(exact: Run, rec: Any, limits: tuple[float, int], span: Any, ms: Any) -> CheckResult:
    """A loop that reads and writes no variable (`while (1) {}`): it runs forever iff its body can."""
    model = rec.model
    ctx = model.ctx
    iterate = solve(ctx, z3.And(model.guard, model.body), *limits)
    if iterate.status == "unsat":
        return CheckResult("termination.loop", Status.PROVED, span, witness="the body never completes an iteration",
                           time_ms=ms())
    if iterate.status == "sat" and model.extra.get("exact") and model.extra.get("aux_calls"):
        # nondet values decide: the same values in every iteration repeat the same iteration
        cx, why = _witness_inputs(exact, rec, _Fixpoint(z3.BoolVal(True, ctx)), limits)
        if cx is not None:
            loop_values = tuple((f, _int_value(iterate.model, z)) for f, z in model.extra["aux_calls"])
            cx = Counterexample(cx.inputs, cx.nondet + loop_values, (), cx.values)
            return CheckResult("termination.loop", Status.REFUTED, span, counterexample=cx,
                               witness="if the nondet calls in the loop return " +
                               ", ".join(str(v) for _, v in loop_values) + " every time, the loop never exits",
                               time_ms=ms())
        return CheckResult("termination.loop", Status.UNKNOWN, span, reason=why, time_ms=ms())
    if iterate.status == "sat" and model.extra.get("exact"):
        # no state: if one iteration can complete, every iteration can (same formula each time)
        always = solve(ctx, z3.Not(z3.And(model.guard, model.body)), *limits)
        if always.status == "unsat":
            cx, why = _witness_inputs(exact, rec, _Fixpoint(z3.BoolVal(True, ctx)), limits)
            if cx is not None:
                return CheckResult("termination.loop", Status.REFUTED, span, counterexample=cx,
                                   witness="the loop condition is always true and nothing in the body leaves the loop",
                                   time_ms=ms())
            return CheckResult("termination.loop", Status.UNKNOWN, span, reason=why, time_ms=ms())
    return CheckResult("termination.loop", Status.UNKNOWN, span, reason="loop without state: not decided",
                       time_ms=ms())


def recursion_checks(exact: Run, abstract: Run | None, limits: tuple[float, int],
                     unsupported: list[Any]) -> list[CheckResult]:
    """Direct recursion: the calls as a transition from the parameters to the arguments.

    A ranking function over the integer parameters proves that the recursion ends; a recurrent
    set of parameter values refutes it (the exact run's call conditions are exact when the
    function has no loop). Anything else is unknown."""
    t0 = time.perf_counter()
    ms = lambda: (time.perf_counter() - t0) * 1000  # noqa: E731
    # recursion through other functions (ping -> pong -> ping): the top function's parameters to
    # its arguments where the inlined callees enter it again; sound only if no chain was cut first
    through = _cycle_through_others(exact.ex.funcs, exact.info.name)
    calls = exact.ex.self_calls + (exact.ex.cycle_calls if through is not None else [])
    via = "" if through is None else (through.name.name if isinstance(through, c_ast.FuncCall) else through.name)
    if not calls:
        if through is None:
            return []
        return [CheckResult("termination.recursion", Status.UNKNOWN, exact.ex.span(through), time_ms=ms(),
                            reason=f"recursion through {via}() is not inlined deep enough to be "
                                   "analysed")]
    span = exact.ex.span(through) if through is not None else calls[0][0]
    if through is not None and exact.ex.cycle_cut:
        return [CheckResult("termination.recursion", Status.UNKNOWN, span, time_ms=ms(),
                            reason=f"recursion through {via}(): a call chain that may enter "
                                   f"{exact.info.name}() again was cut by the inline depth")]
    params = [(n, v) for n, v in exact.params]
    from analysis.ctypes import IntType
    from analysis.inference.loopmodel import LoopModel

    if not params or not all(isinstance(v.ty, IntType) and v.z is not None for _, v in params) or \
            any(len(args) != len(params) for _, _, args in calls):
        return [CheckResult("termination.recursion", Status.UNKNOWN, span,
                            reason="recursion over non-integer parameters is not analysed", time_ms=ms())]
    ctx = exact.ex.ctx
    pre = tuple(v.z for _, v in params)
    post = tuple(z3.BitVec(f"{n}_next", v.z.size(), ctx) for n, v in params)
    guard = z3.Or(*[pc for _, pc, _ in calls])
    body = z3.Or(*[z3.And(pc, *[q == a.z for q, a in zip(post, args, strict=True) if a.z is not None])
                   for _, pc, args in calls])
    model = LoopModel(ctx, tuple(n for n, _ in params), tuple(bool(getattr(v.ty, "signed", False)) for _, v in params),
                      pre, post, z3.BoolVal(True, ctx), guard, body)
    exact_ok = not exact.ex.loops and not exact.ex.markers
    try:
        from analysis.inference.ranking import prove_termination

        res = prove_termination(model, limits[0], limits[1])
    except Exception as e:  # noqa: BLE001
        return [CheckResult("termination.recursion", Status.UNKNOWN, span, reason=f"analysis failed: {e}",
                            time_ms=ms())]
    if res.status == "proved" and not unsupported and not exact.ex.markers:
        return [CheckResult("termination.recursion", Status.PROVED, span, witness=res.witness, time_ms=ms())]
    if res.status == "refuted" and exact_ok and res.state:
        from analysis.model import Counterexample

        inputs = tuple((n, res.state[n]) for n, _ in params if n in res.state)
        return [CheckResult("termination.recursion", Status.REFUTED, span,
                            counterexample=Counterexample(inputs, (), (), inputs),
                            witness=(res.witness or "").replace("the loop never exits", "the recursion never ends"),
                            time_ms=ms())]
    return [CheckResult("termination.recursion", Status.UNKNOWN, span,
                        reason=res.reason or "no decreasing measure found", time_ms=ms())]


def _cycle_through_others(funcs: dict[str, Any], top: str) -> Any:
    """The first call in ``top``'s body of another function from which ``top`` is reachable
    (mutual recursion), or None. Calls are read syntactically: any mention of a function's name."""
    def mentioned(name: str) -> list[Any]:
        f = funcs.get(name)
        if f is None or f.node is None:
            return []
        out, stack = [], [f.node.body]
        while stack:
            n = stack.pop()
            if isinstance(n, c_ast.ID) and n.name in funcs:
                out.append(n)
            stack.extend(c for _, c in reversed(n.children()))
        return out

    def reaches(start: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for m in mentioned(n):
                if m.name == top:
                    return True
                todo.append(m.name)
        return False

    f = funcs.get(top)
    if f is None or f.node is None:
        return None
    stack = [f.node.body]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in funcs and \
                n.name.name != top and reaches(n.name.name):
            return n
        if isinstance(n, c_ast.ID) and n.name in funcs and n.name != top and reaches(n.name):
            return n  # its address taken: a call through a pointer may enter top again
        stack.extend(c for _, c in reversed(n.children()))
    return None


def _int_value(model: Any, z: Any) -> int:
    v = model.eval(z, model_completion=True)
    return int(v.as_signed_long()) if z3.is_bv_value(v) else 0


QUICK_TRANSLATION_S = 0.3
TRANSLATION_S = 3.0


def _translation(exact: Run, rec: Any, limits: tuple[float, int], span: Any, ms: Any,
                 unsupported: list[Any], cap_s: float) -> CheckResult | None:
    """Loops whose variables all move by constants (`i += 4` until `i == 10`): decided exactly by
    asking whether some entry state keeps the loop going for a whole period of its states."""
    from analysis.engine.accelerate import runs_forever
    from analysis.engine.counterexample import input_values, int_of

    if rec.entry_env is None:
        return None
    over = runs_forever(rec, rec.entry_pc, rec.entry_env)  # abstract entry: every real entry is in it
    if over is None:
        return None
    budget = (min(limits[0], cap_s), limits[1])
    out = solve(rec.model.ctx, over, *budget)
    if out.status == "unsat" and not unsupported:
        return CheckResult("termination.loop", Status.PROVED, span, time_ms=ms(),
                           witness="every variable of the loop moves by a constant step; from no entry state "
                                   "does the condition hold for a whole period of 2^32 steps (valid assuming no "
                                   "undefined behaviour in the body, which is checked separately)")
    if out.status != "sat" or not rec.model.extra.get("exact"):
        return None
    erec = next((r for r in exact.ex.loops if r.node_id == rec.node_id), None)
    if erec is None or erec.entry_env is None:
        return None
    real = runs_forever(rec, erec.entry_pc, erec.entry_env)
    if real is None:
        return None
    hit = solve(rec.model.ctx, real, *budget)
    if hit.status != "sat":
        return None
    for _what, pc, _span in exact.ex.markers:
        if z3.is_true(hit.model.eval(pc, model_completion=True)):
            return None
    ex = exact.ex
    nondet = tuple((f, int_of(hit.model, z, True)) for f, z, pc in ex.nondet[:erec.nondet_at_entry]
                   if z3.is_true(hit.model.eval(pc, model_completion=True)))
    keys = rec.model.extra["keys"]
    state = tuple((n, int_of(hit.model, erec.entry_env[k].z, s))
                  for n, k, s in zip(rec.model.names, keys, rec.model.signed, strict=True))
    return CheckResult("termination.loop", Status.REFUTED, span, time_ms=ms(),
                       counterexample=Counterexample(tuple(input_values(exact, hit.model)), nondet, (), state),
                       witness="from " + ", ".join(f"{n} = {v}" for n, v in state) +
                       " the constant steps never make the loop condition false")
