"""Loop termination over a :class:`LoopModel`: ranking functions (proof) and recurrent sets (refutation).

Proof: a linear ranking function ``r(x) = sum c_i*x_i + c0`` over the C values of the state
variables (mathematical integers, read signed or unsigned per ``model.signed``), found by CEGIS:
integer coefficients are synthesised from sampled transitions, then the *exact* bit-vector check
``guard && body && Inv  =>  r(pre) >= 0 && r(post) <= r(pre) - 1`` is made with ``r`` evaluated
in a bit-vector wide enough that nothing wraps. A counterexample becomes a new sample. If no
linear function exists with small coefficients, lexicographic tuples of 2 and 3 components
(Ben-Amram & Genaim's weak lexicographic condition: per transition, some component k has
``r_k >= 0`` and decreases by at least 1 while earlier ones do not increase). ``Inv`` is an
inductive invariant (the caller's, re-checked, or Houdini's from ``loops.py``).

Why that is sound: ``body`` contains every UB-free iteration that returns to the loop head, so
every iteration of a run without UB decreases a quantity that is bounded below before each
iteration (for lexicographic tuples: the usual well-foundedness argument per component).
Iterations that leave the loop (``break``/``return``) are not in ``body``: they end the loop,
which only helps. UB in the body is a separate check, hence the "assuming no signed overflow"
in every witness.

Refutation: a nonempty set ``R`` of loop-head states with ``R => guard``, reachable from
``entry``, where every state of ``R`` has a UB-free, non-exiting iteration leading back into
``R`` (checked as ``R(pre) && forall post, aux. !(body && R(post))`` unsat). Found as a lasso
(an execution of up to 4 iterations that revisits a state; the cycle is a finite ``R``) or as
a conjunction of atoms closed under the body (Houdini on a seed execution that stays in the
loop). Refutation trusts that entry states are reachable and body transitions are real; the
engine switches it off with ``model.extra["entry_exact"/"body_exact"] = False``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import z3

from analysis.inference.invariants import (
    Budget,
    Cand,
    Unrolling,
    body_aux,
    candidate_atoms,
    houdini,
    invariant_text,
    prune,
    recheck,
    refutation_trusted,
    sample_traces,
    state_formula,
    state_values,
    to_post,
    type_range,
    widen,
)
from analysis.inference.loopmodel import LoopModel

TermStatus = Literal["proved", "refuted", "unknown"]
Ranking = tuple[tuple[tuple[int, ...], int], ...]  # per component: (coefficients per state var, constant)

NOTE = "valid assuming no signed overflow or other undefined behaviour in the body, which is checked separately"


@dataclass(frozen=True)
class TerminationResult:
    """Answer of :func:`prove_termination`.

    ``witness``: for proved, the ranking function in C names with its argument; for refuted, a
    sentence naming the non-terminating state. ``state``: for refuted, a loop-head state (C values)
    allowed by ``entry`` from which an execution never leaves the loop. ``recurrent``: the
    recurrent set as a z3 formula over ``model.pre``. ``ranking``: the coefficients, for tools
    (per component: one coefficient per state variable, and the constant). ``invariant``: the
    inductive invariant (over ``model.pre``) the ranking function needs, or None.
    """

    status: TermStatus
    witness: str | None
    state: dict[str, int] | None
    recurrent: Any
    reason: str | None
    ranking: Ranking | None = None
    invariant: Any = None
    # a proof by cases: per case, (the region of entry states, its ranking, the invariant it needs)
    cases: tuple[tuple[Any, Ranking | None, Any], ...] | None = None


def prove_termination(model: LoopModel, timeout_s: float, rlimit: int, invariant: Any = None) -> TerminationResult:
    """Decide whether the loop terminates from every entry state, within the limits.

    ``invariant`` (a formula over ``model.pre``) is used only after it is re-checked inductive;
    without one, a Houdini invariant is computed (it carries e.g. entry facts about variables the
    loop never modifies, like ``y > 0``).
    """
    budget = Budget(timeout_s, rlimit)
    try:
        return _prove(model, budget, invariant)
    except z3.Z3Exception as e:
        return TerminationResult("unknown", None, None, None, f"z3 error: {e}")


def _prove(model: LoopModel, budget: Budget, invariant: Any, split: bool = True) -> TerminationResult:
    ctx = model.ctx
    reasons: list[str] = []
    trusted = refutation_trusted(model)
    if trusted:
        res = _lasso(model, budget.share(0.1), 1)
        if res is not None:
            return res
    # An invariant to strengthen the guard.
    traces = sample_traces(model, budget.share(0.1))
    samples = [st for tr in traces for st in tr]
    inv: Any = None
    inv_text = ""
    if invariant is not None:
        a, b, _ = recheck(model, invariant, budget)
        if a == "ok" and b == "ok":
            inv, inv_text = invariant, invariant_text(model, invariant)
        else:
            reasons.append(f"given invariant not inductive (initiation {a}, consecution {b}); ignored")
    if inv is None:
        kept = houdini(model, candidate_atoms(model, samples), budget.share(0.25), samples=samples)
        if kept:
            kept = prune(model, kept, budget.share(0.1))
        if kept:
            h = z3.And([c.formula for c in kept])
            a, b, _ = recheck(model, h, budget)
            if a == "ok" and b == "ok":
                inv, inv_text = h, " && ".join(c.text for c in kept)
    inv_f = inv if inv is not None else z3.BoolVal(True, ctx)
    # No iteration can complete: nothing to rank.
    s = budget.solver(ctx)
    s.add(inv_f, model.guard, model.body)
    r = budget.check(s)
    if r == "unsat":
        return TerminationResult("proved", "no iteration returns to the loop head (" + NOTE + ")", None, None, None,
                                 None, inv)
    transitions = [(tr[j], tr[j + 1]) for tr in traces for j in range(len(tr) - 1)]
    rank_budget = budget.share(0.7 if trusted else 1.0)
    # The guard's own distances first (`i < n` suggests `n - i`): readable and often right.
    for coeffs in _guard_distances(model):
        if rank_budget.expired():
            break
        if _verify(model, inv_f, ((coeffs, 0),), rank_budget, bounded=False) == "unsat":
            ranking = _constants(model, inv_f, ((coeffs, 0),), rank_budget)
            if ranking is not None:
                return _proved(model, ranking, inv, inv_text, budget)
    for ncomp, frac in ((1, 0.35), (2, 0.6), (3, 1.0)):
        if rank_budget.expired():
            reasons.append("ranking: timeout")
            break
        status, ranking = _cegis(model, inv_f, rank_budget.share(frac), transitions, ncomp, rank_budget)
        if status == "proved" and ranking is not None:
            return _proved(model, ranking, inv, inv_text, budget)
        reasons.append(f"{'linear' if ncomp == 1 else f'lexicographic({ncomp})'} ranking: {status}")
    if trusted:
        res = _lasso(model, budget.share(0.3), 4)
        if res is not None:
            return res
    if split:  # after the cheap lasso: a loop that runs forever would only waste the split's time
        by_cases = _by_cases(model, budget.share(0.5 if trusted else 1.0))
        if by_cases is not None:
            return by_cases
    if trusted:
        res = _recurrent(model, budget)
        if res is not None:
            return res
        reasons.append("no recurrent set found")
    else:
        reasons.append("refutation disabled: entry or body over-approximated")
    return TerminationResult("unknown", None, None, None, "; ".join(reasons))


def _by_cases(model: LoopModel, budget: Budget) -> TerminationResult | None:
    """A guard ``a != b`` splits the entries in two: ``a < b`` and ``a > b`` (entries where the
    guard fails leave at once). The loop terminates if it terminates from each half, each
    proved separately with its own invariant and ranking (``|x|`` for a walk toward 0 from
    either side, which no single linear ranking covers). Proofs only: a half's entry set is
    not the real one, so its nontermination witnesses are not used."""
    for lo, hi in _disequalities(model):
        if budget.expired():
            return None
        texts = []
        cases = []
        for region in (lo, hi):
            half = dataclasses.replace(model, entry=z3.And(model.entry, region),
                                       extra={**model.extra, "entry_exact": False})
            res = _prove(half, budget.share(0.5), region, split=False)
            if res.status != "proved":
                break
            texts.append(f"{invariant_text(model, region)}: {(res.witness or '').replace('; ' + NOTE, '')}")
            cases.append((region, res.ranking, res.invariant))
        else:
            return TerminationResult("proved", "cases on the loop's entry state, " + "; ".join(texts) + f" ({NOTE})",
                                     None, None, None, cases=tuple(cases))
    return None


def _disequalities(model: LoopModel) -> list[tuple[Any, Any]]:
    """For each guard conjunct ``a != b`` over bit-vectors: (``a < b``, ``a > b``), signed."""
    out = []
    todo = [z3.simplify(model.guard)]
    while todo:
        g = todo.pop()
        if z3.is_and(g):
            todo.extend(g.children())
            continue
        pair = None
        if z3.is_not(g) and z3.is_eq(g.arg(0)) and z3.is_bv(g.arg(0).arg(0)):
            pair = g.arg(0).arg(0), g.arg(0).arg(1)
        elif z3.is_distinct(g) and g.num_args() == 2 and z3.is_bv(g.arg(0)):
            pair = g.arg(0), g.arg(1)
        if pair is not None:
            out.append((pair[0] < pair[1], pair[0] > pair[1]))
    return out


# ---------------------------------------------------------------------------------------------
# Ranking functions


def _proved(model: LoopModel, ranking: Ranking, inv: Any, inv_text: str, budget: Budget) -> TerminationResult:
    """The result for a verified ranking; names the invariant only if the ranking needs it."""
    needs_inv = inv is not None and _verify(model, z3.BoolVal(True, model.ctx), ranking, budget) != "unsat"
    return TerminationResult("proved", _witness_text(model, ranking, inv_text if needs_inv else ""),
                             None, None, None, ranking, inv if needs_inv else None)


def _linear_form(model: LoopModel, e: Any) -> dict[int, int] | None:
    """Coefficients of ``e`` over the state variables when it is linear (constants dropped)."""
    idx = {p.get_id(): i for i, p in enumerate(model.pre)}
    if z3.is_bv_value(e):
        return {}
    if z3.is_const(e):
        return {idx[e.get_id()]: 1} if e.get_id() in idx else None
    if not z3.is_app(e):
        return None
    k = e.decl().kind()
    ch = e.children()
    if k in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_ZERO_EXT):
        return _linear_form(model, ch[0])
    if k in (z3.Z3_OP_BADD, z3.Z3_OP_BSUB):
        out: dict[int, int] = {}
        for n, c in enumerate(ch):
            f = _linear_form(model, c)
            if f is None:
                return None
            for i, v in f.items():
                out[i] = out.get(i, 0) + (v if n == 0 or k == z3.Z3_OP_BADD else -v)
        return out
    if k == z3.Z3_OP_BNEG:
        f = _linear_form(model, ch[0])
        return None if f is None else {i: -v for i, v in f.items()}
    if k == z3.Z3_OP_BMUL and len(ch) == 2 and z3.is_bv_value(ch[0]):
        f = _linear_form(model, ch[1])
        c = ch[0].as_long()
        c = c - (1 << ch[0].size()) if c >> (ch[0].size() - 1) else c
        return None if f is None else {i: c * v for i, v in f.items()}
    return None


def _guard_distances(model: LoopModel) -> list[tuple[int, ...]]:
    """Coefficients of ``b - a`` for each guard conjunct ``a < b`` / ``a <= b`` (and mirrored).

    The guard is simplified first: a C condition arrives as ``0 != If(i < n, 1, 0)``, which z3
    turns into ``Not(n <= i)``; unread, the loop's own distance was never tried and the general
    search spent seconds finding it (base64's encode: 2.8 s)."""
    out: list[tuple[int, ...]] = []
    todo = [z3.simplify(model.guard)]
    lt = {z3.Z3_OP_SLT, z3.Z3_OP_SLEQ, z3.Z3_OP_ULT, z3.Z3_OP_ULEQ}
    gt = {z3.Z3_OP_SGT, z3.Z3_OP_SGEQ, z3.Z3_OP_UGT, z3.Z3_OP_UGEQ}
    while todo:
        g = todo.pop()
        if z3.is_and(g):
            todo.extend(g.children())
            continue
        negated = z3.is_not(g)
        if negated:
            g = g.arg(0)
        if not z3.is_app(g) or len(g.children()) != 2:
            continue
        k = g.decl().kind()
        if k not in lt | gt:
            continue
        a, b = (_linear_form(model, c) for c in g.children())
        if a is None or b is None:
            continue
        if (k in gt) != negated:  # not (a <= b) is b < a
            a, b = b, a
        vec = tuple(b.get(i, 0) - a.get(i, 0) for i in range(len(model.pre)))
        if any(vec) and vec not in out:
            out.append(vec)
    return out


def _rank_terms(model: LoopModel, ranking: Ranking, terms: Sequence[Any], width: int) -> list[Any]:
    ctx = model.ctx
    out = []
    for coeffs, c0 in ranking:
        acc: Any = z3.BitVecVal(c0 % (1 << width), width, ctx)
        for i, c in enumerate(coeffs):
            if c:
                acc = acc + z3.BitVecVal(c % (1 << width), width, ctx) * widen(terms[i], model.signed[i], width)
        out.append(acc)
    return out


def _rank_width(model: LoopModel, ranking: Ranking) -> int:
    """Bits such that every r_k and r_k - 1 over C values fit as signed: no wrap-around."""
    bound = 1
    for coeffs, c0 in ranking:
        b = abs(c0) + 1
        for i, c in enumerate(coeffs):
            b += abs(c) << model.width(i)
        bound = max(bound, b)
    return max(bound.bit_length() + 2, max(model.width(i) for i in range(len(model.pre))) + 2)


def _lex_condition(r: list[Any], r2: list[Any], bounded: bool = True) -> Any:
    """Some component k decreases by at least 1 (and is >= 0 if ``bounded``), earlier ones do not increase."""
    disj = []
    for k in range(len(r)):
        conj = [r2[j] <= r[j] for j in range(k)]
        conj += ([r[k] >= 0] if bounded else []) + [r2[k] <= r[k] - 1]
        disj.append(z3.And(conj))
    return z3.Or(disj)


def _verify(model: LoopModel, inv: Any, ranking: Ranking, budget: Budget, bounded: bool = True) -> str:
    """Exact bit-vector check of the ranking condition: ``unsat`` means it holds."""
    w = _rank_width(model, ranking)
    r = _rank_terms(model, ranking, model.pre, w)
    r2 = _rank_terms(model, ranking, model.post, w)
    s = budget.solver(model.ctx)
    s.add(inv, model.guard, model.body, z3.Not(_lex_condition(r, r2, bounded)))
    return budget.check(s)


def _cegis(model: LoopModel, inv: Any, budget: Budget, transitions: list[tuple[dict[str, int], dict[str, int]]],
           ncomp: int, tidy_budget: Budget) -> tuple[str, Ranking | None]:
    """Counterexample-guided synthesis of an ``ncomp``-component ranking function.

    Synthesises only the coefficients, against the *decrease* part of the condition: over
    bit-vectors every ``c . x`` is bounded, so a constant making each component >= 0 always
    exists and is chosen afterwards (:func:`_constants`). Coefficients bounded by 1, then 4,
    then 16 in absolute value, preferring zeros (soft constraints): simple witnesses first.
    ``transitions`` (shared across calls) grows with counterexamples.
    """
    ctx = model.ctx
    n = len(model.names)
    for bound in (1, 4, 16):
        cs = [[z3.Int(f"c{k}_{i}", ctx) for i in range(n)] for k in range(ncomp)]
        syn = z3.Optimize(ctx=ctx)
        syn.set("rlimit", budget.rlimit)
        for k in range(ncomp):
            for c in cs[k]:
                syn.add(c >= -bound, c <= bound)
                syn.add_soft(c == 0)

        def sample(pre: dict[str, int], post: dict[str, int], cs: list[list[Any]] = cs) -> Any:
            rv = [z3.Sum([cs[k][i] * pre[model.names[i]] for i in range(n)]) for k in range(ncomp)]
            rv2 = [z3.Sum([cs[k][i] * post[model.names[i]] for i in range(n)]) for k in range(ncomp)]
            return _lex_condition(rv, rv2, bounded=False)

        for pre, post in transitions:
            syn.add(sample(pre, post))
        for _ in range(60):
            r = budget.check(syn)
            if r == "unknown":
                return "timeout", None
            if r == "unsat":
                break
            m = syn.model()
            ranking: Ranking = tuple(
                (tuple(m.eval(cs[k][i], model_completion=True).as_long() for i in range(n)), 0) for k in range(ncomp))
            w = _rank_width(model, ranking)
            rr = _rank_terms(model, ranking, model.pre, w)
            rr2 = _rank_terms(model, ranking, model.post, w)
            s = budget.solver(ctx)
            s.add(inv, model.guard, model.body, z3.Not(_lex_condition(rr, rr2, bounded=False)))
            v = budget.check(s)
            if v == "unsat":
                full = _constants(model, inv, ranking, tidy_budget)
                if full is None:
                    return "timeout", None
                return "proved", full
            if v == "unknown":
                return "timeout", None
            mm = s.model()
            pre, post = state_values(model, mm), state_values(model, mm, model.post)
            transitions.append((pre, post))
            syn.add(sample(pre, post))
        else:
            return "too many refinements", None
    return "none with small coefficients", None


def _constants(model: LoopModel, inv: Any, ranking: Ranking, budget: Budget) -> Ranking | None:
    """Constants making every component >= 0 when the body runs; the full condition re-verified.

    Starts from the type-range bound (always valid), then per component tries 0 and the exact
    minimum over ``guard && body`` (then ``&& inv``) by z3 Optimize, for a readable witness.
    """
    def static(coeffs: tuple[int, ...]) -> int:
        lo = 0
        for i, c in enumerate(coeffs):
            tlo, thi = type_range(model.width(i), model.signed[i])
            lo += c * (tlo if c > 0 else thi)
        return -lo

    cur: Ranking = tuple((coeffs, static(coeffs)) for coeffs, _ in ranking)
    verified = False  # every change below is verified, so `cur` is proved once anything changed
    true = z3.BoolVal(True, model.ctx)
    for k, (coeffs, c0) in enumerate(cur):
        # 0; the minimum without the invariant (a witness that does not need it); with it.
        for attempt in range(3):
            if budget.expired():
                break
            c = 0 if attempt == 0 else _minimum(model, true if attempt == 1 else inv, coeffs, budget)
            if c is None:
                continue
            c = -c if attempt else c
            if c == c0:
                continue
            cand = cur[:k] + ((coeffs, c),) + cur[k + 1:]
            if _verify(model, inv, cand, budget) == "unsat":
                cur, verified = cand, True
                break
    if not verified and _verify(model, inv, cur, budget) != "unsat":
        return None  # the type-range constants always work once the decrease holds: a timeout
    return cur


def _minimum(model: LoopModel, inv: Any, coeffs: tuple[int, ...], budget: Budget) -> int | None:
    """min of ``coeffs . x`` over states where the body runs (None when z3 does not say)."""
    ranking: Ranking = ((coeffs, 0),)
    w = _rank_width(model, ranking)
    r = _rank_terms(model, ranking, model.pre, w)[0]
    ms = budget.z3_ms()
    if ms < 5:
        return None
    o = z3.Optimize(ctx=model.ctx)
    o.set("timeout", ms)
    o.set("rlimit", budget.rlimit)
    o.add(inv, model.guard, model.body)
    o.minimize(r + z3.BitVecVal(1 << (w - 1), w, model.ctx))  # signed order as unsigned
    try:
        if o.check() != z3.sat:
            return None
        return int(o.model().eval(r, model_completion=True).as_signed_long())
    except z3.Z3Exception:
        return None


def _lin_text(names: Sequence[str], coeffs: Sequence[int], c0: int) -> str:
    parts: list[str] = []
    order = [k for k in range(len(names)) if coeffs[k] > 0] + [k for k in range(len(names)) if coeffs[k] < 0]
    for name, c in ((names[k], coeffs[k]) for k in order):
        if c == 0:
            continue
        mag = abs(c)
        t = name if mag == 1 else f"{mag}*{name}"
        if not parts:
            parts.append(t if c > 0 else "-" + t)
        else:
            parts.append(("+ " if c > 0 else "- ") + t)
    if c0 > 0 and parts and not any(coeffs[k] > 0 for k in range(len(names))):
        return " ".join([f"{c0} - {parts[0][1:]}", *parts[1:]])
    if c0 or not parts:
        parts.append(str(c0) if not parts else ("+ " if c0 > 0 else "- ") + str(abs(c0)))
    return " ".join(parts)


def _witness_text(model: LoopModel, ranking: Ranking, inv_text: str) -> str:
    comps = [_lin_text(model.names, coeffs, c0) for coeffs, c0 in ranking]
    under = f"; uses the loop invariant {inv_text}" if inv_text else ""
    if len(comps) == 1:
        return f"{comps[0]} (>= 0 whenever the body runs and decreases by at least 1 each iteration{under}; {NOTE})"
    return (f"lexicographic ({', '.join(comps)}) (each iteration some component is >= 0 and decreases by at "
            f"least 1 while the earlier ones do not increase{under}; {NOTE})")


# ---------------------------------------------------------------------------------------------
# Non-termination


def _small_model(model: LoopModel, s: z3.Solver, budget: Budget) -> z3.ModelRef:
    """The model of a sat ``s``, preferring small C values of the entry state (readable witnesses)."""
    m = s.model()
    for lim in (16, 1024):
        s.push()
        for i, p in enumerate(model.pre):
            if model.signed[i]:
                s.add(p >= -lim, p <= lim)
            else:
                s.add(z3.ULE(p, lim))
        r = budget.check(s)
        if r == "sat":
            m = s.model()
        s.pop()
        if r == "sat":
            break
    return m


def _fmt_state(state: dict[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in state.items())


def _lasso(model: LoopModel, budget: Budget, k: int) -> TerminationResult | None:
    """An execution from entry of ``k`` iterations that revisits a loop-head state: a cycle.

    The cycle's states form a finite recurrent set (each has a UB-free, non-exiting iteration to
    the next; the per-iteration nondet values of the cycle can be chosen again each round).
    """
    un = Unrolling(model, k)
    s = budget.solver(model.ctx)
    s.add(model.entry, *un.steps)
    pairs = [(i, j) for j in range(1, k + 1) for i in range(j)]
    s.add(z3.Or([z3.And([a == b for a, b in zip(un.states[i], un.states[j], strict=True)]) for i, j in pairs]))
    if budget.check(s) != "sat":
        return None
    m = _small_model(model, s, budget)
    states = [state_values(model, m, un.states[j]) for j in range(k + 1)]
    i, j = next((i, j) for i, j in pairs if states[i] == states[j])
    # Independent confirmation: every step of stem and cycle is a real iteration.
    for t in range(j):
        c = budget.solver(model.ctx)
        c.add(state_formula(model, states[t]), model.guard, model.body, state_formula(model, states[t + 1], model.post))
        if budget.check(c) != "sat":
            return None
    cycle = states[i:j]
    rec = z3.Or([state_formula(model, st) for st in cycle])
    if j - i == 1:
        what = f"it stays at {_fmt_state(states[i])} forever"
    else:
        what = f"it cycles through {j - i} states starting at {_fmt_state(states[i])}"
    stem = "" if i == 0 else f" after {i} iteration(s)"
    return TerminationResult("refuted", f"from {_fmt_state(states[0])} the loop never exits: {what}{stem}",
                             states[0], rec, None)


def _recurrent(model: LoopModel, budget: Budget, seeds: int = 4, depth: int = 10) -> TerminationResult | None:
    """A recurrent set ``guard && atoms`` grown from seed executions that stay in the loop."""
    ctx = model.ctx
    un = Unrolling(model, depth)
    seed_s = budget.solver(ctx)
    seed_s.add(model.entry, *un.steps, un.at(model.guard, depth))
    guard_post = to_post(model, model.guard)
    for _ in range(seeds):
        if budget.expired():
            return None
        if budget.check(seed_s) != "sat":
            return None
        m = seed_s.model()
        traj = [state_values(model, m, un.states[j]) for j in range(depth + 1)]
        cands = [c for c in candidate_atoms(model, traj) if all(c.value(st) for st in traj)]
        kept = _closed_subset(model, cands, guard_post, budget)
        if kept:
            kept = prune(model, kept, budget.share(0.2), model.guard)
        rec_f = z3.And(model.guard, *[c.formula for c in kept]) if kept is not None else None
        if rec_f is not None:
            res = _confirm_recurrent(model, rec_f, budget, kept or [])
            if res is not None:
                return res
        # The next seed must start outside every set that failed.
        seed_s.add(z3.Not(rec_f) if rec_f is not None else z3.Not(state_formula(model, traj[0])))
    return None


def _closed_subset(model: LoopModel, cands: list[Cand], guard_post: Any, budget: Budget) -> list[Cand] | None:
    """Houdini for closure: drop atoms a successor falsifies; give up when a successor exits."""
    alive = list(cands)
    posts = {id(c): to_post(model, c.formula) for c in alive}
    s = budget.solver(model.ctx)
    s.add(model.guard, model.body)
    while True:
        s.push()
        s.add(*[c.formula for c in alive])
        s.add(z3.Not(z3.And(guard_post, *[posts[id(c)] for c in alive])))
        r = budget.check(s)
        if r == "unsat":
            s.pop()
            return alive
        if r == "unknown":
            s.pop()
            return None
        mm = s.model()
        s.pop()
        if not z3.is_true(mm.eval(guard_post, model_completion=True)):
            return None
        alive = [c for c in alive if z3.is_true(mm.eval(posts[id(c)], model_completion=True))]


def _confirm_recurrent(model: LoopModel, rec: Any, budget: Budget, kept: list[Cand]) -> TerminationResult | None:
    """The exact recurrent-set conditions, then a concrete entry state inside the set."""
    ctx = model.ctx
    rec_post = to_post(model, rec)
    bound = list(model.post) + body_aux(model)
    s = budget.solver(ctx)
    s.add(rec, z3.ForAll(bound, z3.Not(z3.And(model.body, rec_post))))
    if budget.check(s) != "unsat":
        return None
    s = budget.solver(ctx)
    s.add(rec, z3.Not(model.guard))
    if budget.check(s) != "unsat":
        return None
    s = budget.solver(ctx)
    s.add(model.entry, rec)
    if budget.check(s) != "sat":
        return None
    state = state_values(model, _small_model(model, s, budget))
    text = " && ".join(c.text for c in kept) if kept else "true"
    return TerminationResult(
        "refuted",
        f"from {_fmt_state(state)} the loop never exits: every state with {invariant_text(model, model.guard)}"
        f" && {text} has an iteration staying in that set",
        state, rec, None)
