"""Loop invariants over a :class:`LoopModel`: inference (Houdini, then Spacer) and checking.

Soundness rule of this module: nothing is reported ``proved`` unless a fresh plain z3 solver,
over the exact bit-vector semantics of the model, has shown (a) ``entry => Inv``,
(b) ``Inv && guard && body => Inv[pre := post]`` and, when ``model.bad`` is given,
(c) ``Inv && bad`` unsat. Houdini, sampling and Spacer (over bit-vectors or over integers) are
only *candidate generators*: a wrong candidate costs time, never soundness. Every timeout,
``unknown`` or exception maps to ``unknown``.

Budget: ``timeout_s`` bounds the CPU time of the whole call (every z3 query gets the time that is
left), ``rlimit`` bounds each single z3 query deterministically: neither grows with the load of
the machine, so neither does the answer (see :mod:`analysis.clock`).

Why ``body`` excluding undefined behaviour is fine for invariants: the UB checks of the loop body
may assume ``Inv`` at the loop head; by induction on the iteration count, iteration k starts in
``Inv`` (induction hypothesis), has no UB (the separate check), so it is in ``body`` and ends in
``Inv`` (consecution).

Refutation (a reachable ``bad`` state, shown by bounded model checking) trusts that every state
allowed by ``entry`` is reachable and every ``body`` transition is a real execution. The engine
must say otherwise with ``model.extra["entry_exact"] = False`` or ``model.extra["body_exact"] =
False`` (e.g. after havocking a call or summarising an earlier loop by an invariant); then no
refutation is reported.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, NamedTuple

import z3

from analysis import querycache
from analysis.bv2int import unsat_over_integers
from analysis.clock import Deadline
from analysis.inference.loopmodel import LoopModel
from analysis.names import fresh_bool, fresh_const, fresh_int

InvStatus = Literal["proved", "unknown", "refuted"]


@dataclass(frozen=True)
class InvariantResult:
    """Answer of :func:`find_invariant`.

    ``invariant`` is a z3 formula over ``model.pre`` (in ``model.ctx``) only when ``status`` is
    ``proved``; ``text`` renders it with the C names. For ``refuted``, ``trace`` lists the loop-head
    states (C values) of an execution from ``entry`` that reaches ``bad``.
    """

    status: InvStatus
    invariant: Any
    text: str | None
    reason: str | None
    trace: tuple[dict[str, int], ...] | None = None


class UserInvariantCheck(NamedTuple):
    """Answer of :func:`check_user_invariant`; ``None`` means unknown (timeout or z3 gave up).

    ``counterexamples`` maps ``"initiation"`` to an entry state violating the invariant and
    ``"consecution.pre"`` / ``"consecution.post"`` to one iteration leaving it (C values).
    """

    initiation_ok: bool | None
    consecution_ok: bool | None
    counterexamples: dict[str, dict[str, int]]


# ---------------------------------------------------------------------------------------------
# Budget and small z3 helpers (also used by termination.py)


class Budget(Deadline):
    """A :class:`~analysis.clock.Deadline` (CPU time: the answer does not change with the
    machine's load) for a whole call, plus an rlimit per z3 query."""

    def __init__(self, timeout_s: float, rlimit: int, *, _parent: Budget | None = None) -> None:
        super().__init__(timeout_s, _parent=_parent)
        self.rlimit = int(rlimit)

    def share(self, fraction: float) -> Budget:
        """A child budget getting ``fraction`` of what is left, so later phases keep some time."""
        return Budget(max(0.0, self.remaining()) * fraction, self.rlimit, _parent=self)

    def solver(self, ctx: z3.Context, logic: str | None = None) -> Any:
        """A solver for ``logic``; without one, a :class:`BitBlasting` solver (the loop models'
        queries are bit-vector formulas, asked in long series)."""
        if not logic:
            return BitBlasting(ctx, self.rlimit)
        s = z3.SolverFor(logic, ctx=ctx)
        s.set("rlimit", self.rlimit)
        return s

    def check(self, s: z3.Solver | z3.Optimize, *assumptions: Any) -> str:
        """``sat`` / ``unsat`` / ``unknown``; resets the solver's timeout to the time left."""
        ms = self.z3_ms()
        if ms < 5:
            return "unknown"
        cached = querycache.Lookup(None)
        start = time.perf_counter()
        if isinstance(s, z3.Solver | BitBlasting):  # not Optimize: its objectives are not assertions
            cached = querycache.lookup([*s.assertions(), *assumptions])
            if cached.status == "unsat":
                return "unsat"
            if cached.status == "sat" and isinstance(s, BitBlasting):  # a z3.Solver cannot take a model
                s.answered(cached.model)
                return "sat"
        if not assumptions and isinstance(s, z3.Solver | BitBlasting) and self._integers_first(s, self.z3_ms(INTEGER_SLICE_S)):
            querycache.record(cached, "unsat", elapsed_s=time.perf_counter() - start)
            return "unsat"
        ms = self.z3_ms()  # again: the integer slice may have used the rest
        if ms < 5:
            return "unknown"
        s.set("timeout", ms)
        try:
            r = s.check(*assumptions)
        except z3.Z3Exception:
            return "unknown"
        if r == z3.sat:
            if cached.index is not None:
                with contextlib.suppress(z3.Z3Exception):
                    querycache.record(cached, "sat", s.model(), time.perf_counter() - start)
            return "sat"
        if r == z3.unsat:
            querycache.record(cached, "unsat", elapsed_s=time.perf_counter() - start)
            return "unsat"
        return "unknown"


    @staticmethod
    def _integers_first(s: Any, ms: int) -> bool:
        """Nonlinear questions (products, divisions) are asked over the integers first: an
        exact reading whose ``unsat`` stands, answered where bit-blasting a multiplier is slow."""
        facts = s.assertions()
        return len(facts) > 0 and ms >= 5 and unsat_over_integers(z3.And(*facts), ms / 1000)


INTEGER_SLICE_S = 0.3  # CPU seconds


class BitBlasting:
    """The push/pop/add/check/model surface of ``z3.Solver``, answering each query from scratch
    with simplification, bit-blasting and SAT.

    Why: Houdini, pruning and ranking checks ask long series of bit-vector queries over the
    same loop body; z3's incremental core answers them about twice as slowly as bit-blasting
    each one (SV-COMP-style bench: median 1.34 s -> 0.96 s per task). A query the tactic cannot
    take (integers, quantifiers) is asked again of the general solver, so nothing is lost."""

    def __init__(self, ctx: z3.Context, rlimit: int) -> None:
        self.ctx = ctx
        self.frames: list[list[Any]] = [[]]
        self.params: dict[str, Any] = {"rlimit": rlimit}
        self.last: Any = None

    def set(self, key: str, value: Any) -> None:
        self.params[key] = value

    def add(self, *facts: Any) -> None:
        for f in facts:
            self.frames[-1].extend(f if isinstance(f, list | tuple) else [f])

    def push(self) -> None:
        self.frames.append([])

    def pop(self) -> None:
        self.frames.pop()

    def assertions(self) -> list[Any]:
        return [f for frame in self.frames for f in frame]

    def check(self, *assumptions: Any) -> Any:
        facts = [*self.assertions(), *assumptions]
        s = z3.Then("simplify", "propagate-values", "solve-eqs", "bit-blast", "sat", ctx=self.ctx).solver()
        try:
            r = self._run(s, facts)
        except z3.Z3Exception:
            r = z3.unknown
        if r == z3.unknown and not any(w in s.reason_unknown() for w in ("timeout", "canceled", "resource")):
            s = z3.Solver(ctx=self.ctx)
            r = self._run(s, facts)
        self.last = s
        return r

    def _run(self, s: Any, facts: list[Any]) -> Any:
        for k, v in self.params.items():
            s.set(k, v)
        s.add(*facts)
        return s.check()

    def answered(self, model: Any) -> None:
        """Take a ``sat`` answer from the query cache: ``model()`` returns this (checked) model."""
        self.last = _Answered(model)

    def model(self) -> Any:
        return self.last.model()

    def reason_unknown(self) -> str:
        return str(self.last.reason_unknown())


class _Answered:
    """The solver surface of an answer that came from the query cache."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def model(self) -> Any:
        return self._model

    def reason_unknown(self) -> str:
        return ""


def c_value(bits: int, width: int, signed: bool) -> int:
    """The C value of a bit pattern (two's complement when signed)."""
    bits &= (1 << width) - 1
    if signed and bits >> (width - 1):
        return bits - (1 << width)
    return bits


def type_range(width: int, signed: bool) -> tuple[int, int]:
    if signed:
        return -(1 << (width - 1)), (1 << (width - 1)) - 1
    return 0, (1 << width) - 1


def widen(term: Any, signed: bool, width: int) -> Any:
    """``term``'s C value as a ``width``-bit bit-vector to be read as signed: exact integers."""
    extra = width - int(term.size())
    if extra <= 0:
        return term
    return z3.SignExt(extra, term) if signed else z3.ZeroExt(extra, term)


def free_consts(*formulas: Any) -> list[Any]:
    """Uninterpreted constants of ``formulas`` (in first-seen order)."""
    seen: set[int] = set()
    out: list[Any] = []
    done: set[int] = set()
    stack = [f for f in formulas if f is not None]
    while stack:
        e = stack.pop()
        eid = e.get_id()
        if eid in done:
            continue
        done.add(eid)
        if z3.is_quantifier(e):
            stack.append(e.body())
            continue
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            if eid not in seen:
                seen.add(eid)
                out.append(e)
            continue
        if z3.is_app(e):
            stack.extend(e.children())
    return out


def to_post(model: LoopModel, f: Any) -> Any:
    return z3.substitute(f, *zip(model.pre, model.post, strict=True))


def body_aux(model: LoopModel) -> list[Any]:
    """Nondet constants of ``body`` that may take a new value each iteration.

    Constants that also occur in entry/guard/bad are kept fixed across iterations (choosing the
    same value every time is one of the allowed executions, so that is sound for refutations too).
    """
    state = {v.get_id() for v in (*model.pre, *model.post)}
    shared = {c.get_id() for c in free_consts(model.entry, model.guard, model.bad)}
    return [c for c in free_consts(model.body) if c.get_id() not in state and c.get_id() not in shared]


def state_values(model: LoopModel, m: z3.ModelRef, terms: Sequence[Any] | None = None) -> dict[str, int]:
    """C values of the state variables (or of ``terms``, same order as ``model.pre``) in ``m``."""
    terms = model.pre if terms is None else terms
    out: dict[str, int] = {}
    for i, t in enumerate(terms):
        v = m.eval(t, model_completion=True)
        out[model.names[i]] = c_value(v.as_long(), model.width(i), model.signed[i])
    return out


def state_formula(model: LoopModel, state: dict[str, int], terms: Sequence[Any] | None = None) -> Any:
    terms = model.pre if terms is None else terms
    return z3.And(
        [t == z3.BitVecVal(state[n] % (1 << model.width(i)), model.width(i), model.ctx)
         for i, (n, t) in enumerate(zip(model.names, terms, strict=True))]
    )


def refutation_trusted(model: LoopModel) -> bool:
    """Whether a concrete run of the model is a run of the C program (see module docstring)."""
    return bool(model.extra.get("entry_exact", True)) and bool(model.extra.get("body_exact", True))


class Unrolling:
    """``k`` copies of the loop body chained from ``pre`` (state 0), for BMC, lassos and sampling."""

    def __init__(self, model: LoopModel, k: int) -> None:
        self.model = model
        self.states: list[tuple[Any, ...]] = [tuple(model.pre)]
        self.steps: list[Any] = []  # steps[j]: guard(s_j) && body(s_j, s_j+1)
        aux = body_aux(model)
        for j in range(k):
            self.extend(aux, j)

    def extend(self, aux: list[Any] | None = None, j: int | None = None) -> None:
        m = self.model
        aux = body_aux(m) if aux is None else aux
        j = len(self.steps) if j is None else j
        cur = self.states[-1]
        nxt = tuple(fresh_const(p.sort(), f"{n}@{j + 1}") for n, p in zip(m.names, m.pre, strict=True))
        subst = list(zip(m.pre, cur, strict=True)) + list(zip(m.post, nxt, strict=True))
        subst += [(a, fresh_const(a.sort(), f"aux@{j}")) for a in aux]
        self.steps.append(z3.And(z3.substitute(m.guard, *subst[: len(m.pre)]), z3.substitute(m.body, *subst)))
        self.states.append(nxt)

    def at(self, f: Any, j: int) -> Any:
        """``f`` (over pre) evaluated in state j."""
        return z3.substitute(f, *zip(self.model.pre, self.states[j], strict=True))


# ---------------------------------------------------------------------------------------------
# Sampling reachable loop-head states


def sample_traces(model: LoopModel, budget: Budget, traces: int = 3, depth: int = 8) -> list[list[dict[str, int]]]:
    """A few concrete executions from ``entry`` (loop-head states, C values), different starts.

    Only used to guess candidates and to discard them cheaply: any reachable state refutes a
    candidate invariant. Prefers executions that stay in the loop for ``depth`` iterations.
    """
    out: list[list[dict[str, int]]] = []
    unroll = Unrolling(model, depth)
    s = budget.solver(model.ctx)
    s.add(model.entry)
    starts: list[dict[str, int]] = []
    for _ in range(traces):
        if budget.expired():
            break
        block = [z3.Not(state_formula(model, st)) for st in starts]
        got = False
        for k in sorted({depth, min(depth, 3), 1, 0}, reverse=True):
            s.push()
            s.add(*block)
            s.add(*unroll.steps[:k])
            r = budget.check(s)
            if r == "sat":
                m = s.model()
                trace = [state_values(model, m, unroll.states[j]) for j in range(k + 1)]
                s.pop()
                out.append(trace)
                starts.append(trace[0])
                got = True
                break
            s.pop()
            if r == "unknown":
                return out
        if not got:
            break
    return out


# ---------------------------------------------------------------------------------------------
# Candidate atoms


@dataclass(frozen=True)
class Cand:
    """A candidate conjunct: z3 formula over pre, C-like text, and a cheap Python evaluator."""

    formula: Any
    text: str
    value: Callable[[dict[str, int]], bool | None]
    key: tuple[tuple[tuple[int, int], ...], str] | None = None  # linear atoms: (coefficients, op)
    d: int = 0  # linear atoms: the right-hand constant


def program_constants(model: LoopModel, limit: int = 16) -> list[int]:
    """Integer constants of the loop's formulas (as signed and unsigned), plus 0, 1, -1, and c±1."""
    seen: set[int] = set()
    stack = [f for f in (model.entry, model.guard, model.body, model.bad) if f is not None]
    done: set[int] = set()
    while stack:
        e = stack.pop()
        if e.get_id() in done:
            continue
        done.add(e.get_id())
        if z3.is_bv_value(e):
            w = int(e.size())
            seen.add(e.as_long())
            seen.add(c_value(e.as_long(), w, True))
        elif z3.is_int_value(e):
            seen.add(e.as_long())
        elif z3.is_app(e):
            stack.extend(e.children())
    base = sorted(seen, key=lambda c: (abs(c), c))[:limit]
    out = set(base) | {0, 1, -1}
    for c in base:
        out.add(c - 1)
        out.add(c + 1)
    return sorted(out, key=lambda c: (abs(c), c))


def lin_text(names: Sequence[str], coeffs: dict[int, int], op: str, d: int) -> str:
    """``sum coeffs[i]*names[i] op d`` as a readable C-like relation (mathematical integers)."""
    if op in ("<=", ">=") and not any(c > 0 for c in coeffs.values()):
        coeffs = {i: -c for i, c in coeffs.items()}
        d = -d
        op = ">=" if op == "<=" else "<="
    if op == "==" and not any(c > 0 for c in coeffs.values()):
        coeffs = {i: -c for i, c in coeffs.items()}
        d = -d
    if op == "<=" and d == -1 and len(coeffs) <= 2:
        op, d = "<", 0
    elif op == ">=" and d == 1 and len(coeffs) <= 2:
        op, d = ">", 0

    def term(c: int, i: int) -> str:
        return names[i] if c == 1 else f"{c}*{names[i]}"

    left = [term(c, i) for i, c in sorted(coeffs.items()) if c > 0]
    right = [term(-c, i) for i, c in sorted(coeffs.items()) if c < 0]
    lhs = " + ".join(left) if left else "0"
    if right:
        rhs = " + ".join(right)
        if d > 0:
            rhs += f" + {d}"
        elif d < 0:
            rhs += f" - {-d}"
    else:
        rhs = str(d)
    return f"{lhs} {op} {rhs}"


def lin_formula(model: LoopModel, coeffs: dict[int, int], op: str, d: int, terms: Sequence[Any] | None = None) -> Any:
    """``sum coeffs[i]*x_i op d`` over the C values of the state, exactly (wide bit-vectors)."""
    terms = model.pre if terms is None else terms
    ctx = model.ctx
    items = [(i, c) for i, c in coeffs.items() if c != 0]
    if len(items) == 1 and items[0][1] == 1:
        i = items[0][0]
        lo, hi = type_range(model.width(i), model.signed[i])
        if lo <= d <= hi:  # narrow form: plain C comparison
            v = terms[i]
            k = z3.BitVecVal(d % (1 << model.width(i)), model.width(i), ctx)
            if op == "==":
                return v == k
            if model.signed[i]:
                return v <= k if op == "<=" else v >= k
            return z3.ULE(v, k) if op == "<=" else z3.UGE(v, k)
    bound = abs(d)
    for i, c in items:
        bound += abs(c) << model.width(i)
    width = max(bound.bit_length(), *(model.width(i) for i, _ in items)) + 2 if items else bound.bit_length() + 2
    acc: Any = z3.BitVecVal(0, width, ctx)
    for i, c in items:
        w = widen(terms[i], model.signed[i], width)
        acc = acc + (w if c == 1 else z3.BitVecVal(c % (1 << width), width, ctx) * w)
    k = z3.BitVecVal(d % (1 << width), width, ctx)
    return {"<=": acc <= k, ">=": acc >= k, "==": acc == k}[op]


def lin_cand(model: LoopModel, coeffs: dict[int, int], op: str, d: int) -> Cand:
    coeffs = {i: c for i, c in coeffs.items() if c != 0}
    names = model.names

    def value(st: dict[str, int]) -> bool:
        s = sum(c * st[names[i]] for i, c in coeffs.items())
        return s <= d if op == "<=" else s >= d if op == ">=" else s == d

    return Cand(lin_formula(model, coeffs, op, d), lin_text(names, coeffs, op, d), value,
                (tuple(sorted(coeffs.items())), op), d)


def parity_cand(model: LoopModel, i: int, r: int) -> Cand:
    v = model.pre[i]
    name = model.names[i]
    f = z3.Extract(0, 0, v) == z3.BitVecVal(r, 1, model.ctx)
    return Cand(f, f"({name} & 1) == {r}", lambda st: (st[name] & 1) == r)


def formula_cand(model: LoopModel, f: Any) -> Cand:
    """A caller-given formula over pre (a hint) as a candidate; evaluated by z3 on samples."""
    names, pre, ctx = model.names, model.pre, model.ctx

    def value(st: dict[str, int]) -> bool | None:
        g = z3.simplify(z3.substitute(f, *[(p, z3.BitVecVal(st[n] % (1 << p.size()), p.size(), ctx))
                                           for n, p in zip(names, pre, strict=True)]))
        return True if z3.is_true(g) else False if z3.is_false(g) else None

    return Cand(f, invariant_text(model, f), value)


def affine_equalities(points: list[list[int]]) -> list[tuple[list[int], int]]:
    """Integer affine equalities ``sum a_i x_i + a0 == 0`` holding on all ``points`` (a basis).

    The nullspace of the matrix [x | 1] in reduced echelon form, scaled to integers: the linear
    equalities a few executions satisfy, e.g. ``s - 2*i == 0``.
    """
    if not points:
        return []
    n = len(points[0])
    rows = [[Fraction(v) for v in p] + [Fraction(1)] for p in points]
    cols = n + 1
    pivots: list[int] = []
    r = 0
    for c in range(cols):
        piv = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        pv = rows[r][c]
        rows[r] = [x / pv for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                f = rows[k][c]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    free = [c for c in range(cols) if c not in pivots]
    out: list[tuple[list[int], int]] = []
    for fcol in free:
        vec = [Fraction(0)] * cols
        vec[fcol] = Fraction(1)
        for k, pc in enumerate(pivots):
            vec[pc] = -rows[k][fcol]
        den = math.lcm(*(x.denominator for x in vec))
        ints = [int(x * den) for x in vec]
        g = math.gcd(*ints) or 1
        ints = [x // g for x in ints]
        if all(x == 0 for x in ints[:n]):
            continue
        out.append((ints[:n], ints[n]))
    return out


def candidate_atoms(model: LoopModel, samples: list[dict[str, int]], hints: Sequence[Any] = (),
                    traces: list[list[dict[str, int]]] | None = None) -> list[Cand]:
    """Intervals, octagon-style relations, fitted equalities, parities, congruences (from the
    steps of ``traces``) and hints (all exact)."""
    n = len(model.names)
    consts = program_constants(model)
    out: list[Cand] = []
    seen: set[str] = set()

    def add(c: Cand) -> None:
        if c.text not in seen:
            seen.add(c.text)
            out.append(c)

    for h in hints:
        for conj in _conjuncts(h):
            add(formula_cand(model, conj))
    for i in range(n):
        lo, hi = type_range(model.width(i), model.signed[i])
        for c in consts:
            if lo <= c <= hi:
                if c > lo:
                    add(lin_cand(model, {i: 1}, ">=", c))
                if c < hi:
                    add(lin_cand(model, {i: 1}, "<=", c))
    for i in range(n):
        for j in range(i + 1, n):
            for op, d in (("<=", 0), (">=", 0), ("==", 0), ("<=", -1), (">=", 1)):
                add(lin_cand(model, {i: 1, j: -1}, op, d))
            for sign in (-1, 1):
                vals = [st[model.names[i]] + sign * st[model.names[j]] for st in samples]
                if vals:
                    add(lin_cand(model, {i: 1, j: sign}, "<=", max(vals)))
                    add(lin_cand(model, {i: 1, j: sign}, ">=", min(vals)))
    pts = [[st[nm] for nm in model.names] for st in samples]
    for coeffs, a0 in affine_equalities(pts):
        if max(abs(c) for c in [*coeffs, a0]) > 1 << 20:
            continue
        cd = {i: c for i, c in enumerate(coeffs) if c}
        # Prefer writing it as `v == ...` with a unit-coefficient variable on the left.
        unit = next((i for i in sorted(cd, reverse=True) if abs(cd[i]) == 1), None)
        if unit is not None and cd[unit] == -1:
            cd = {i: -c for i, c in cd.items()}
            a0 = -a0
        add(lin_cand(model, cd, "==", -a0))
    for i in range(n):
        pars = {st[model.names[i]] & 1 for st in samples}
        if len(pars) == 1:
            add(parity_cand(model, i, pars.pop()))
    for cong in congruence_cands(model, traces or []):
        add(cong)
    for cand in accumulation_cands(model, samples, traces or []):
        add(cand)
    return out


def accumulation_cands(model: LoopModel, samples: list[dict[str, int]],
                       traces: list[list[dict[str, int]]]) -> list[Cand]:
    """``s <= K*i + d`` and ``s >= -K*i + d`` for a counter ``i`` (steps of exactly +1) and an
    accumulator ``s`` wider than 32 bits: what keeps ``long s += int`` from overflowing, with K
    the largest magnitude of the narrower C types added to it (int, unsigned int)."""
    n = len(model.names)
    steps = [(a, b) for tr in traces for a, b in zip(tr, tr[1:], strict=False)]
    if not steps or not samples:
        return []
    counters = [j for j in range(n) if all(b[model.names[j]] - a[model.names[j]] == 1 for a, b in steps)]
    wide = [i for i in range(n) if model.width(i) > 32 and i not in counters]
    out = []
    for i in wide:
        for j in counters:
            si, sj = model.names[i], model.names[j]
            k = 1 << 32  # |int| <= 2^31, unsigned int < 2^32: one bound covers both
            out.append(lin_cand(model, {i: 1, j: -k}, "<=", max(st[si] - k * st[sj] for st in samples)))
            out.append(lin_cand(model, {i: 1, j: k}, ">=", min(st[si] + k * st[sj] for st in samples)))
    return out


def congruence_cands(model: LoopModel, traces: list[list[dict[str, int]]]) -> list[Cand]:
    """``(x - y) % m == r`` where x moves by multiples of m >= 2 in the sampled executions
    (`x -= 3` keeps x congruent to its entry value n modulo 3). The difference is taken two bits
    wider than the variables, so the formula is exact integer arithmetic."""
    names, pre, ctx = model.names, model.pre, model.ctx
    out: list[Cand] = []
    for i in range(len(names)):
        steps = [b[names[i]] - a[names[i]] for tr in traces for a, b in zip(tr, tr[1:], strict=False)]
        m = math.gcd(*steps) if steps else 0
        if m < 2 or m > 1 << 16:
            continue
        for j in [*range(len(names)), None]:
            if j == i:
                continue
            w = max(pre[i].size(), pre[j].size() if j is not None else 0) + 2

            def wide(k: int, w: int = w) -> Any:
                return z3.SignExt(w - pre[k].size(), pre[k]) if model.signed[k] else \
                    z3.ZeroExt(w - pre[k].size(), pre[k])

            def diff(st: dict[str, int], i: int = i, j: int | None = j) -> int:
                return st[names[i]] - (st[names[j]] if j is not None else 0)

            rems = {math.fmod(diff(st), m) for tr in traces for st in tr}
            if len(rems) != 1:
                continue
            r = int(rems.pop())
            d = wide(i) - wide(j) if j is not None else wide(i)
            f = z3.SRem(d, z3.BitVecVal(m, w, ctx)) == z3.BitVecVal(r, w, ctx)
            lhs = f"({names[i]} - {names[j]})" if j is not None else names[i]
            def holds(st: dict[str, int], diff: Callable[[dict[str, int]], int] = diff, m: int = m,
                      r: int = r) -> bool:
                return int(math.fmod(diff(st), m)) == r

            out.append(Cand(f, f"{lhs} % {m} == {r}", holds))
    return out


def prune(model: LoopModel, kept: list[Cand], budget: Budget, context: Any = None) -> list[Cand]:
    """Drop conjuncts implied by the others (and ``context``), for readability; the meaning is unchanged.

    Syntactically first (tightest bound per linear form, none beside an equality of the same
    form), then by z3: a conjunct the others imply (unsat or unknown keeps it) is removed.
    """
    best: dict[Any, Cand] = {}
    eqs = {c.key[0] for c in kept if c.key is not None and c.key[1] == "=="}
    out: list[Cand] = []
    for c in kept:
        if c.key is None or c.key[1] == "==":
            out.append(c)
            continue
        if c.key[0] in eqs:
            continue
        old = best.get(c.key)
        if old is None or (c.d > old.d if c.key[1] == ">=" else c.d < old.d):
            best[c.key] = c
    out += [c for c in kept if c.key is not None and best.get(c.key) is c]
    out.sort(key=kept.index)
    for c in list(reversed(out)):
        if budget.expired():
            break
        rest = [o.formula for o in out if o is not c] + ([context] if context is not None else [])
        s = budget.solver(model.ctx)
        s.add(*rest, z3.Not(c.formula))
        if budget.check(s) == "unsat":
            out.remove(c)
    return out


def _conjuncts(f: Any) -> list[Any]:
    if z3.is_and(f):
        return [g for c in f.children() for g in _conjuncts(c)]
    return [f]


# ---------------------------------------------------------------------------------------------
# Houdini


def houdini(model: LoopModel, cands: list[Cand], budget: Budget, strengthen: Any = None,
            samples: Iterable[dict[str, int]] = ()) -> list[Cand] | None:
    """The largest subset of ``cands`` that holds on entry and is inductive; None on timeout.

    Candidates false on a sampled reachable state are dropped first (cheap); then each z3 model
    of a failed initiation/consecution query drops every candidate it falsifies. ``strengthen``
    is an already proved invariant assumed in the pre-state.
    """
    alive = list(cands)
    for st in samples:
        alive = [c for c in alive if c.value(st) is not False]
    ctx = model.ctx
    s = budget.solver(ctx)
    s.add(model.entry)
    initiated = _weed(budget, s, alive, lambda c: c.formula, assume=False)
    if initiated is None:
        return None
    s = budget.solver(ctx)
    s.add(model.guard, model.body)
    if strengthen is not None:
        s.add(strengthen)
    posts = {id(c): to_post(model, c.formula) for c in initiated}
    return _weed(budget, s, initiated, lambda c: posts[id(c)], assume=True)


def _weed(budget: Budget, s: Any, alive: list[Cand], goal: Callable[[Cand], Any], assume: bool) -> list[Cand] | None:
    """Houdini's step: while a model of ``s`` (and, with ``assume``, of every live candidate)
    breaks some candidate's ``goal``, drop the candidates that model breaks. None on unknown."""
    while alive:
        s.push()
        if assume:
            s.add(*[c.formula for c in alive])
        s.add(z3.Or([z3.Not(goal(c)) for c in alive]))
        r = budget.check(s)
        if r == "unknown":
            return None
        if r == "unsat":
            s.pop()
            break
        m = s.model()
        s.pop()
        alive = [c for c in alive if z3.is_true(m.eval(goal(c), model_completion=True))]
    return alive


# ---------------------------------------------------------------------------------------------
# Independent re-check


def recheck(model: LoopModel, inv: Any, budget: Budget) -> tuple[str, str, str]:
    """Initiation, consecution and safety of ``inv``, each ``ok``/``fail``/``unknown``/``n/a``.

    Fresh plain solvers, exact bit-vector semantics: this is the only gate to ``proved``.
    """
    ctx = model.ctx
    res: list[str] = []
    s = budget.solver(ctx)
    s.add(model.entry, z3.Not(inv))
    r = budget.check(s)
    res.append("ok" if r == "unsat" else "fail" if r == "sat" else "unknown")
    s = budget.solver(ctx)
    s.add(inv, model.guard, model.body, z3.Not(to_post(model, inv)))
    r = budget.check(s)
    res.append("ok" if r == "unsat" else "fail" if r == "sat" else "unknown")
    if model.bad is None:
        res.append("n/a")
    else:
        s = budget.solver(ctx)
        s.add(inv, model.bad)
        r = budget.check(s)
        res.append("ok" if r == "unsat" else "fail" if r == "sat" else "unknown")
    return res[0], res[1], res[2]


def _only_over_pre(model: LoopModel, f: Any) -> bool:
    pre = {p.get_id() for p in model.pre}
    return all(c.get_id() in pre for c in free_consts(f))


# ---------------------------------------------------------------------------------------------
# Bounded model checking (refutation of `bad`)


def bmc(model: LoopModel, budget: Budget, max_depth: int) -> tuple[str, list[dict[str, int]] | None]:
    """Search an execution from entry reaching bad within ``max_depth`` iterations.

    Returns (``found``|``none``|``unknown``, trace). ``none`` only says "not within the bound".
    """
    if model.bad is None:
        return "none", None
    unroll = Unrolling(model, 0)
    aux = body_aux(model)
    s = budget.solver(model.ctx)
    s.add(model.entry)
    for k in range(max_depth + 1):
        if k > 0:
            unroll.extend(aux)
            s.add(unroll.steps[-1])
        # Each depth is checked under its own assumption literal, so bad's own nondet constants
        # never need renaming: two depths are never asserted together.
        r = budget.check(s, _assume(s, unroll.at(model.bad, k), k))
        if r == "sat":
            m = s.model()
            return "found", [state_values(model, m, unroll.states[j]) for j in range(k + 1)]
        if r == "unknown":
            return "unknown", None
    return "none", None


def _assume(s: z3.Solver, f: Any, k: int) -> Any:
    """A fresh literal implying ``f`` (check under assumption, keep the solver incremental)."""
    lit = fresh_bool(f"bad{k}", f.ctx)
    s.add(z3.Implies(lit, f))
    return lit


# ---------------------------------------------------------------------------------------------
# Spacer (CHC) over bit-vectors and over integers


def _horn(model: LoopModel, entry: Any, guard: Any, body: Any, bad: Any, pre: Sequence[Any],
          post: Sequence[Any], budget: Budget, global_guidance: bool) -> tuple[str, Any]:
    """Solve Inv(pre) <- entry; Inv(post) <- Inv(pre) & guard & body; query Inv(pre) & bad.

    Returns (``safe``|``reachable``|``unknown``, Inv's interpretation over ``pre`` or reason).
    Uses the Fixedpoint API, not ``SolverFor("HORN")``: measured here, the HORN solver ran 7 s
    past a 1 s timeout on an 8-bit loop that Fixedpoint solved in 0.3 s; Fixedpoint honours
    both timeout and rlimit (raising "canceled" / "max. resource limit exceeded").
    """
    ctx = model.ctx
    ms = budget.z3_ms()
    if ms < 5:
        return "unknown", "timeout"
    problem = [entry, guard, body, bad, z3.And(*[p == p for p in pre]), z3.And(*[q == q for q in post])]
    tag = f"horn{int(global_guidance)}:{budget.rlimit}"
    cached, answer = querycache.lookup_answer(tag, problem)
    if answer is not None:
        with contextlib.suppress(z3.Z3Exception, KeyError, TypeError):
            if answer["r"] == "safe":  # re-checked by every caller before use
                return "safe", querycache.parse_formula(answer["inv"], ctx)
            if answer["r"] == "reachable":  # only ever a reason to search with BMC
                return "reachable", "Spacer reports bad reachable"
            if ms <= 2 * answer.get("ms", 0):  # ran out of (at least half this) time before
                return "unknown", answer["why"]
    start = time.perf_counter()
    r, val = _horn_solve(model, entry, guard, body, bad, pre, post, budget, global_guidance, ms)
    if time.perf_counter() - start >= querycache.RECORD_MIN_S:
        with contextlib.suppress(z3.Z3Exception):
            if r == "safe":
                querycache.record_answer(cached, tag, {"r": r, "inv": querycache.formula_text(val)})
            else:
                querycache.record_answer(cached, tag, {"r": r, "why": str(val), "ms": ms})
    return r, val


def _horn_solve(model: LoopModel, entry: Any, guard: Any, body: Any, bad: Any, pre: Sequence[Any],
                post: Sequence[Any], budget: Budget, global_guidance: bool, ms: int) -> tuple[str, Any]:
    ctx = model.ctx
    inv = z3.Function(f"Inv!{id(body)}", *[p.sort() for p in pre], z3.BoolSort(ctx))
    fp = z3.Fixedpoint(ctx=ctx)
    fp.set("engine", "spacer")
    fp.set("timeout", ms)
    fp.set("rlimit", budget.rlimit)
    if global_guidance:
        fp.set("spacer.global", True)
    fp.register_relation(inv)
    vs = free_consts(entry, guard, body, bad, *pre, *post)
    if vs:
        fp.declare_var(*vs)
    try:
        fp.rule(inv(*pre), entry)
        fp.rule(inv(*post), [inv(*pre), guard, body])
        r = fp.query(z3.And(inv(*pre), bad))
    except z3.Z3Exception as e:  # timeout and rlimit raise
        return "unknown", _exc_text(e)
    if r == z3.unsat:
        try:
            return "safe", z3.substitute_vars(fp.get_cover_delta(-1, inv), *pre)
        except z3.Z3Exception as e:
            return "unknown", f"no usable invariant: {_exc_text(e)}"
    if r == z3.sat:
        return "reachable", "Spacer reports bad reachable"
    return "unknown", fp.reason_unknown() or "unknown"


def _exc_text(e: z3.Z3Exception) -> str:
    v = e.value
    return v.decode(errors="replace") if isinstance(v, bytes) else str(v)


class _Untranslatable(Exception):
    """A bit-vector operation without an integer counterpart in the heuristic encoding."""


_BV_CMP = {
    z3.Z3_OP_SLEQ: "<=", z3.Z3_OP_ULEQ: "<=", z3.Z3_OP_SLT: "<", z3.Z3_OP_ULT: "<",
    z3.Z3_OP_SGEQ: ">=", z3.Z3_OP_UGEQ: ">=", z3.Z3_OP_SGT: ">", z3.Z3_OP_UGT: ">",
}
_UNSIGNED_CMP = {z3.Z3_OP_ULEQ, z3.Z3_OP_ULT, z3.Z3_OP_UGEQ, z3.Z3_OP_UGT}


def _cmp(op: str, a: Any, b: Any) -> Any:
    return {"<=": a <= b, "<": a < b, ">=": a >= b, ">": a > b}[op]


def _memoised(cache: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per key; an :class:`_Untranslatable` is remembered and raised again."""
    got = cache.get(key)
    if got is None:
        try:
            got = compute()
        except _Untranslatable as err:
            got = err
        cache[key] = got
    if isinstance(got, _Untranslatable):
        raise got
    return got


class _IntEncoding:
    """Reads bit-vector terms as mathematical integers, ignoring wrap-around.

    Only a *heuristic* abstraction to let Spacer find relational invariants (integers suit it);
    untranslatable atoms are dropped where that weakens the constraint. The resulting invariant
    is translated back exactly and re-checked over bit-vectors, so this needs no equivalence proof.
    """

    def __init__(self, model: LoopModel) -> None:
        self.model = model
        ctx = model.ctx
        self.pre = [z3.Int(f"int!{n}", ctx) for n in model.names]
        self.post = [z3.Int(f"int!{n}'", ctx) for n in model.names]
        self.map: dict[int, Any] = {}
        for b, i in zip((*model.pre, *model.post), (*self.pre, *self.post), strict=True):
            self.map[b.get_id()] = i
        # a loop body is a DAG with much sharing (each unrolled access repeats the path so far):
        # translated as a tree it took 85,000 calls and 21 s for one loop of base64's encode_bad
        self._terms: dict[int, Any] = {}
        self._forms: dict[tuple[int, int], Any] = {}

    def ranges(self, vs: Sequence[Any]) -> Any:
        m = self.model
        out = []
        for i, v in enumerate(vs):
            lo, hi = type_range(m.width(i), m.signed[i])
            out += [v >= lo, v <= hi]
        return z3.And(out)

    def term(self, e: Any) -> Any:
        """``e`` read as an integer (memoised: an untranslatable subterm is remembered too)."""
        return _memoised(self._terms, e.get_id(), lambda: self._term(e))

    def _term(self, e: Any) -> Any:
        ctx = self.model.ctx
        if z3.is_bv_value(e):
            return z3.IntVal(c_value(e.as_long(), int(e.size()), True), ctx)
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            if e.get_id() not in self.map:
                if not z3.is_bv(e):
                    raise _Untranslatable(str(e))
                self.map[e.get_id()] = fresh_int("int!aux", ctx)
            return self.map[e.get_id()]
        if not z3.is_app(e):
            raise _Untranslatable(str(e))
        k = e.decl().kind()
        ch = e.children()
        if k == z3.Z3_OP_BADD:
            return z3.Sum([self.term(c) for c in ch])
        if k == z3.Z3_OP_BSUB:
            return self.term(ch[0]) - self.term(ch[1])
        if k == z3.Z3_OP_BMUL:
            return z3.Product([self.term(c) for c in ch])
        if k == z3.Z3_OP_BNEG:
            return -self.term(ch[0])
        if k in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_ZERO_EXT):
            return self.term(ch[0])
        if k == z3.Z3_OP_ITE:
            return z3.If(self.form(ch[0], 0), self.term(ch[1]), self.term(ch[2]))
        raise _Untranslatable(e.decl().name())

    def form(self, e: Any, pol: int) -> Any:
        """Translate a Boolean; an untranslatable atom becomes True (pol>0) / False (pol<0)."""
        return _memoised(self._forms, (e.get_id(), pol), lambda: self._form(e, pol))

    def _form(self, e: Any, pol: int) -> Any:
        ctx = self.model.ctx
        try:
            if z3.is_true(e) or z3.is_false(e):
                return e
            if not z3.is_app(e):
                raise _Untranslatable(str(e))
            k = e.decl().kind()
            ch = e.children()
            if k == z3.Z3_OP_AND:
                return z3.And([self.form(c, pol) for c in ch])
            if k == z3.Z3_OP_OR:
                return z3.Or([self.form(c, pol) for c in ch])
            if k == z3.Z3_OP_NOT:
                return z3.Not(self.form(ch[0], -pol))
            if k == z3.Z3_OP_IMPLIES:
                return z3.Implies(self.form(ch[0], -pol), self.form(ch[1], pol))
            if k == z3.Z3_OP_ITE:
                return z3.If(self.form(ch[0], 0), self.form(ch[1], pol), self.form(ch[2], pol))
            if k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT):
                if z3.is_bool(ch[0]):
                    args = [self.form(c, 0) for c in ch]
                else:
                    args = [self.term(c) for c in ch]
                return args[0] == args[1] if k == z3.Z3_OP_EQ and len(args) == 2 else (
                    z3.Distinct(*args) if k == z3.Z3_OP_DISTINCT else z3.And([args[0] == a for a in args[1:]]))
            if k in _BV_CMP:
                return _cmp(_BV_CMP[k], self.term(ch[0]), self.term(ch[1]))
            raise _Untranslatable(e.decl().name())
        except _Untranslatable:
            if pol > 0:
                return z3.BoolVal(True, ctx)
            if pol < 0:
                return z3.BoolVal(False, ctx)
            raise


def int_to_bv(model: LoopModel, f: Any, int_pre: Sequence[Any]) -> Any:
    """An integer formula over the integer copies of the state as an exact bit-vector formula.

    Each integer variable is the C value of its bit-vector (sign/zero extension); arithmetic is
    done in a width large enough that nothing wraps (bounded by interval reasoning).
    """
    idx = {v.get_id(): i for i, v in enumerate(int_pre)}

    def bound(e: Any) -> int:
        if z3.is_int_value(e):
            return abs(e.as_long())
        if z3.is_const(e) and e.get_id() in idx:
            return 1 << model.width(idx[e.get_id()])
        if not z3.is_app(e):
            raise _Untranslatable(str(e))
        k = e.decl().kind()
        ch = e.children()
        if k in (z3.Z3_OP_ADD, z3.Z3_OP_SUB):
            return sum(bound(c) for c in ch)
        if k == z3.Z3_OP_MUL:
            return math.prod(bound(c) for c in ch)
        if k == z3.Z3_OP_UMINUS:
            return bound(ch[0])
        if k == z3.Z3_OP_ITE:
            return max(bound(ch[1]), bound(ch[2]))
        if z3.is_bool(e):
            return max([bound(c) for c in ch if not z3.is_bool(c)] + [bound(c) for c in ch if z3.is_bool(c)] + [1])
        raise _Untranslatable(e.decl().name())

    width = bound(f).bit_length() + 3
    width = max(width, *(model.width(i) + 2 for i in range(len(model.pre))))
    ctx = model.ctx

    def tr(e: Any) -> Any:
        if z3.is_true(e) or z3.is_false(e):
            return e
        if z3.is_int_value(e):
            return z3.BitVecVal(e.as_long() % (1 << width), width, ctx)
        if z3.is_const(e) and e.get_id() in idx:
            i = idx[e.get_id()]
            return widen(model.pre[i], model.signed[i], width)
        k = e.decl().kind()
        ch = [tr(c) for c in e.children()]
        ops: dict[int, Callable[[list[Any]], Any]] = {
            z3.Z3_OP_ADD: lambda a: z3.Sum(a), z3.Z3_OP_SUB: lambda a: a[0] - a[1] if len(a) == 2 else a[0] - z3.Sum(a[1:]),
            z3.Z3_OP_MUL: lambda a: z3.Product(a), z3.Z3_OP_UMINUS: lambda a: -a[0],
            z3.Z3_OP_LE: lambda a: a[0] <= a[1], z3.Z3_OP_LT: lambda a: a[0] < a[1],
            z3.Z3_OP_GE: lambda a: a[0] >= a[1], z3.Z3_OP_GT: lambda a: a[0] > a[1],
            z3.Z3_OP_EQ: lambda a: a[0] == a[1], z3.Z3_OP_DISTINCT: lambda a: z3.Distinct(*a),
            z3.Z3_OP_AND: lambda a: z3.And(a), z3.Z3_OP_OR: lambda a: z3.Or(a), z3.Z3_OP_NOT: lambda a: z3.Not(a[0]),
            z3.Z3_OP_IMPLIES: lambda a: z3.Implies(a[0], a[1]), z3.Z3_OP_ITE: lambda a: z3.If(a[0], a[1], a[2]),
        }
        if k not in ops:
            raise _Untranslatable(e.decl().name())
        return ops[k](ch)

    return tr(f)


def _spacer(model: LoopModel, budget: Budget, strengthen: Any, use_int: bool,
            global_guidance: bool) -> tuple[str, Any, Any]:
    """One Spacer attempt: (``safe``|``reachable``|``unknown``, bit-vector invariant or reason, formula to print)."""
    ctx = model.ctx
    st = strengthen if strengthen is not None else z3.BoolVal(True, ctx)
    if not use_int:
        r, val = _horn(model, model.entry, model.guard, z3.And(st, model.body), model.bad,
                       model.pre, model.post, budget, global_guidance)
        return r, val, val
    enc = _IntEncoding(model)
    try:
        entry = z3.And(enc.form(model.entry, 1), enc.ranges(enc.pre))
        guard = enc.form(model.guard, 1)
        body = z3.And(enc.form(st, 1), enc.form(model.body, 1), enc.ranges(enc.post))
        bad = enc.form(model.bad, 1)
    except (_Untranslatable, z3.Z3Exception) as e:
        return "unknown", f"no integer encoding: {e}", None
    r, val = _horn(model, entry, guard, body, bad, enc.pre, enc.post, budget, global_guidance)
    if r != "safe":
        return "unknown", f"integer Spacer: {val if r == 'unknown' else 'no invariant (integer abstraction)'}", None
    try:
        return "safe", int_to_bv(model, val, enc.pre), z3.simplify(val)
    except (_Untranslatable, z3.Z3Exception) as e:
        return "unknown", f"integer invariant not translatable: {e}", None


# ---------------------------------------------------------------------------------------------
# Public API


def find_invariant(model: LoopModel, timeout_s: float, rlimit: int, hints: Sequence[Any] = ()) -> InvariantResult:
    """An inductive invariant of the loop (excluding ``model.bad`` when given), re-checked.

    Houdini over candidate atoms first (cheap, finds the strongest conjunction of candidates);
    then, only if ``bad`` is not yet excluded, a short BMC for a real counterexample and Spacer
    over integers and bit-vectors with and without global guidance, each strengthened with the
    Houdini invariant. Everything returned ``proved`` passed :func:`recheck`.
    """
    budget = Budget(timeout_s, rlimit)
    try:
        return _find_invariant(model, budget, hints)
    except z3.Z3Exception as e:
        return InvariantResult("unknown", None, None, f"z3 error: {e}")


def _find_invariant(model: LoopModel, budget: Budget, hints: Sequence[Any]) -> InvariantResult:
    ctx = model.ctx
    reasons: list[str] = []
    usable = [h for h in hints if _only_over_pre(model, h)]
    if len(usable) < len(hints):
        reasons.append(f"{len(hints) - len(usable)} hint(s) ignored: they mention more than the state variables")
    hints = usable
    hb = budget.share(0.4 if model.bad is not None else 1.0)
    traces = sample_traces(model, hb.share(0.3))
    samples = [st for tr in traces for st in tr]
    cands = candidate_atoms(model, samples, hints, traces)
    kept = houdini(model, cands, hb, samples=samples)
    h_inv: Any = None
    h_text = "true"
    if kept is None:
        reasons.append("Houdini: timeout")
    else:
        kept = prune(model, kept, hb)
        h_inv = z3.And([c.formula for c in kept]) if kept else z3.BoolVal(True, ctx)
        h_text = " && ".join(c.text for c in kept) if kept else "true"
        a, b, c = recheck(model, h_inv, budget)
        if a == "ok" and b == "ok":
            if c in ("ok", "n/a"):
                return InvariantResult("proved", h_inv, h_text, None)
        else:
            reasons.append(f"Houdini result failed the re-check (initiation {a}, consecution {b})")
            h_inv, h_text = None, "true"
    if model.bad is None:
        return InvariantResult("unknown", None, None, "; ".join(reasons) or "no invariant found")
    if refutation_trusted(model):
        found, trace = bmc(model, budget.share(0.15), 8)
        if found == "found" and trace is not None:
            return InvariantResult("refuted", None, None, f"bad reachable after {len(trace) - 1} iterations",
                                   tuple(trace))
    attempts = [(True, False), (False, False), (False, True), (True, True)]
    for n, (use_int, glob) in enumerate(attempts):
        if budget.expired():
            reasons.append("timeout")
            break
        sub = budget.share(1.0 / (len(attempts) - n))
        r, val, shown = _spacer(model, sub, h_inv, use_int, glob)
        tag = f"Spacer({'int' if use_int else 'bv'}{', global' if glob else ''})"
        if r == "reachable" and not use_int and refutation_trusted(model):
            found, trace = bmc(model, budget, 64)
            if found == "found" and trace is not None:
                return InvariantResult("refuted", None, None, f"bad reachable after {len(trace) - 1} iterations",
                                       tuple(trace))
            reasons.append(f"{tag}: bad reachable, not confirmed by BMC")
            break
        if r != "safe":
            reasons.append(f"{tag}: {val}")
            continue
        if not _only_over_pre(model, val):
            reasons.append(f"{tag}: invariant mentions other constants")
            continue
        inv = val if h_inv is None else z3.And(h_inv, val)
        a, b, c = recheck(model, inv, budget)
        if (a, b, c) == ("ok", "ok", "ok"):
            text = invariant_text(model, shown)
            if h_inv is not None and h_text != "true":
                text = f"{h_text} && {text}"
            return InvariantResult("proved", inv, text, None)
        reasons.append(f"{tag}: invariant rejected by re-check (initiation {a}, consecution {b}, safety {c})")
    return InvariantResult("unknown", None, None, "; ".join(reasons) or "no invariant found")


def check_user_invariant(model: LoopModel, inv: Any, timeout_s: float = 5.0, rlimit: int = 50_000_000) -> UserInvariantCheck:
    """Check a user's ``loop invariant`` annotation: holds on entry, preserved by each iteration.

    Consecution assumes ``guard`` and the UB-free body (UB in the iteration is its own check, which
    may assume the invariant: sound by induction over iterations).
    """
    budget = Budget(timeout_s, rlimit)
    ctx = model.ctx
    cex: dict[str, dict[str, int]] = {}
    per_iteration = {a.get_id() for a in body_aux(model)}
    if any(c.get_id() in per_iteration for c in free_consts(inv)):
        return UserInvariantCheck(None, None, cex)  # not a predicate on loop-head states
    try:
        s = budget.solver(ctx)
        s.add(model.entry, z3.Not(inv))
        r = budget.check(s)
        init = True if r == "unsat" else False if r == "sat" else None
        if r == "sat":
            cex["initiation"] = state_values(model, s.model())
        s = budget.solver(ctx)
        s.add(inv, model.guard, model.body, z3.Not(to_post(model, inv)))
        r = budget.check(s)
        cons = True if r == "unsat" else False if r == "sat" else None
        if r == "sat":
            m = s.model()
            cex["consecution.pre"] = state_values(model, m)
            cex["consecution.post"] = state_values(model, m, model.post)
    except z3.Z3Exception:
        return UserInvariantCheck(None, None, cex)
    return UserInvariantCheck(init, cons, cex)


# ---------------------------------------------------------------------------------------------
# Rendering


_PREC = {"||": 4, "&&": 5, "|": 6, "^": 7, "&": 8, "==": 9, "!=": 9, "<": 10, "<=": 10, ">": 10, ">=": 10,
         "<<": 11, ">>": 11, "+": 12, "-": 12, "*": 13, "/": 13, "%": 13}


def invariant_text(model: LoopModel, formula: Any) -> str:
    """A z3 formula over the state as a C-like expression with the C variable names.

    Extensions of a variable (our exact "C value" encoding) print as the variable; arithmetic in
    such wide terms is mathematical. Narrow bit-vector arithmetic prints as C arithmetic (which
    wraps for unsigned types). Comparisons whose signedness differs from the variable's get casts.
    """
    names: dict[int, tuple[str, bool]] = {}
    for n, sg, p, q in zip(model.names, model.signed, model.pre, model.post, strict=True):
        names[p.get_id()] = (n, sg)
        names[q.get_id()] = (n + "'", sg)
    for n, sg in zip(model.names, model.signed, strict=True):
        for pref in ("int!",):
            names[z3.Int(pref + n, model.ctx).get_id()] = (n, sg)
    return _Renderer(names).render(formula)[0]


_INT_CMP = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">"}


def _is_numeral(e: Any) -> bool:
    return bool(z3.is_bv_value(e) or z3.is_int_value(e))


def _bv_product(ts: list[Any]) -> Any:
    acc = ts[0]
    for t in ts[1:]:
        acc = acc * t
    return acc


class _Renderer:
    def __init__(self, names: dict[int, tuple[str, bool]]) -> None:
        self.names = names

    def sign_of(self, e: Any) -> bool | None:
        """The natural signedness of a bit-vector term (None: a numeral or unknown)."""
        if z3.is_const(e) and e.get_id() in self.names:
            return self.names[e.get_id()][1]
        if z3.is_app(e):
            k = e.decl().kind()
            if k in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_ZERO_EXT):
                return True  # a wide exact value, compared signed
            for c in e.children():
                s = self.sign_of(c)
                if s is not None:
                    return s
        return None

    def num(self, e: Any, signed: bool | None) -> str:
        v = e.as_long()
        w = int(e.size())
        if signed is None:
            signed = bool(v >> (w - 1)) and w > 1
        return str(c_value(v, w, signed))

    def render(self, e: Any, signed: bool | None = None) -> tuple[str, int]:
        if z3.is_true(e):
            return "true", 16
        if z3.is_false(e):
            return "false", 16
        if z3.is_bv_value(e):
            t = self.num(e, signed)
            return t, (16 if not t.startswith("-") else 14)
        if z3.is_int_value(e):
            t = str(e.as_long())
            return t, (16 if not t.startswith("-") else 14)
        if z3.is_const(e):
            if e.get_id() in self.names:
                return self.names[e.get_id()][0], 16
            return str(e), 16
        if not z3.is_app(e):
            return f"<{e}>", 16
        k = e.decl().kind()
        ch = e.children()
        if k in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_ZERO_EXT):
            return self.render(ch[0], signed)
        if k == z3.Z3_OP_NOT:
            inner = ch[0]
            if z3.is_eq(inner) and not z3.is_bool(inner.children()[0]):
                return self.binop("!=", inner.children(), None)
            ik = inner.decl().kind() if z3.is_app(inner) else None
            neg = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}
            if ik in _BV_CMP:
                return self.binop(neg[_BV_CMP[ik]], inner.children(), ik not in _UNSIGNED_CMP, cast=True)
            if ik in _INT_CMP:
                return self.binop(neg[_INT_CMP[ik]], inner.children(), None)
            t, p = self.render(inner)
            return "!" + (t if p >= 14 else f"({t})"), 14
        if k in (z3.Z3_OP_AND, z3.Z3_OP_OR):
            return self.nary("&&" if k == z3.Z3_OP_AND else "||", ch, None)
        if k == z3.Z3_OP_IMPLIES:
            a, pa = self.render(ch[0])
            b, pb = self.render(ch[1])
            return f"!{a if pa >= 14 else '(' + a + ')'} || {b if pb > 4 else '(' + b + ')'}", 4
        if k == z3.Z3_OP_EQ:
            return self.binop("==", ch, None)
        if k == z3.Z3_OP_DISTINCT and len(ch) == 2:
            return self.binop("!=", ch, None)
        if k in _BV_CMP:
            want_signed = k not in _UNSIGNED_CMP
            return self.binop(_BV_CMP[k], ch, want_signed, cast=True)
        int_ops = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">",
                   z3.Z3_OP_ADD: "+", z3.Z3_OP_SUB: "-", z3.Z3_OP_MUL: "*"}
        bv_ops = {z3.Z3_OP_BADD: "+", z3.Z3_OP_BSUB: "-", z3.Z3_OP_BMUL: "*", z3.Z3_OP_BAND: "&",
                  z3.Z3_OP_BOR: "|", z3.Z3_OP_BXOR: "^", z3.Z3_OP_BSHL: "<<"}
        if k in int_ops:
            return self.nary(int_ops[k], ch, signed) if k in (z3.Z3_OP_ADD, z3.Z3_OP_MUL, z3.Z3_OP_SUB) \
                else self.binop(int_ops[k], ch, None)
        if k in bv_ops:
            return self.nary(bv_ops[k], ch, signed)
        if k in (z3.Z3_OP_BNEG, z3.Z3_OP_UMINUS):
            t, p = self.render(ch[0], signed)
            return "-" + (t if p >= 14 else f"({t})"), 14
        if k in (z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I):
            return self.nary("/", ch, True)
        if k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I):
            return self.nary("/", ch, False)
        if k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BUREM, z3.Z3_OP_BUREM_I):
            return self.nary("%", ch, k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I))
        if k in (z3.Z3_OP_BLSHR, z3.Z3_OP_BASHR):
            return self.nary(">>", ch, k == z3.Z3_OP_BASHR)
        if k == z3.Z3_OP_EXTRACT:
            hi, lo = e.params()
            t, p = self.render(ch[0])
            base = t if lo == 0 else f"({t if p > 11 else '(' + t + ')'} >> {lo})"
            return f"{base if lo or p > 8 else '(' + base + ')'} & {(1 << (hi - lo + 1)) - 1}", 8
        if k == z3.Z3_OP_ITE:
            c, _ = self.render(ch[0])
            a, _ = self.render(ch[1], signed)
            b, _ = self.render(ch[2], signed)
            return f"({c} ? {a} : {b})", 16
        args = ", ".join(self.render(c)[0] for c in ch)
        return f"{e.decl().name()}({args})", 16

    def binop(self, op: str, ch: Sequence[Any], want_signed: bool | None, cast: bool = False) -> tuple[str, int]:
        prec = _PREC[op]
        mirror = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
        if len(ch) == 2 and _is_numeral(ch[0]) and not _is_numeral(ch[1]):
            ch, op = [ch[1], ch[0]], mirror[op]  # z3 normalises `x >= 3` to `3 <= x`: print it back
        sg = want_signed
        if sg is None and not z3.is_bool(ch[0]) and z3.is_bv(ch[0]):
            sg = self.sign_of(ch[0])
            if sg is None:
                sg = self.sign_of(ch[1])
        parts = []
        for c in ch[:2]:
            t, p = self.render(c, sg)
            if p <= prec:
                t = f"({t})"
            if cast and sg is not None and z3.is_bv(c) and not z3.is_bv_value(c):
                nat = self.sign_of(c)
                if nat is not None and nat != sg:
                    t = f"({'int' if sg else 'unsigned'}){t}"
            parts.append(t)
        return f"{parts[0]} {op} {parts[1]}", prec

    def nary(self, op: str, ch: Sequence[Any], signed: bool | None) -> tuple[str, int]:
        prec = _PREC[op]
        if signed is None:
            for c in ch:
                if z3.is_bv(c):
                    signed = self.sign_of(c)
                    if signed is not None:
                        break
        if op == "*":
            kept = [c for c in ch if not (_is_numeral(c) and self.num_value(c, signed) == 1)]
            ch = kept or list(ch[:1])
            if len(ch) == 1:
                return self.render(ch[0], signed)
        if op == "+":
            kept = [c for c in ch if not (_is_numeral(c) and self.num_value(c, signed) == 0)]
            ch = kept or list(ch[:1])
            if len(ch) == 1:
                return self.render(ch[0], signed)
        if op == "+" and len(ch) > 1 and self.negated(ch[0], signed) is not None:
            pos = [c for c in ch if self.negated(c, signed) is None]
            ch = pos + [c for c in ch if self.negated(c, signed) is not None] if pos else list(ch)
        text = ""
        for n, c in enumerate(ch):
            sep = f" {op} " if n else ""
            if op == "+" and n:
                neg = self.negated(c, signed)
                if neg is not None:
                    t, p = self.render(neg, signed) if not isinstance(neg, str) else (neg, 16)
                    text += " - " + (t if p > prec else f"({t})")
                    continue
            t, p = self.render(c, signed)
            if p < prec or (p == prec and n > 0 and op in ("-", "/", "%", "<<", ">>")) or (n and t.startswith("-")):
                t = f"({t})"
            text += sep + t
        return text, prec

    def num_value(self, e: Any, signed: bool | None) -> int:
        if z3.is_int_value(e):
            return int(e.as_long())
        return int(self.num(e, signed))

    def negated(self, e: Any, signed: bool | None) -> Any:
        """``-e`` when ``e`` is a negative numeral or a product with a negative numeral factor."""
        if _is_numeral(e):
            v = self.num_value(e, signed)
            return str(-v) if v < 0 else None
        if not z3.is_app(e) or e.decl().kind() not in (z3.Z3_OP_MUL, z3.Z3_OP_BMUL):
            return None
        ch = e.children()
        if not _is_numeral(ch[0]):
            return None
        v = self.num_value(ch[0], signed)
        if v >= 0:
            return None
        rest = list(ch[1:])
        if v != -1:
            rest = [z3.IntVal(-v, e.ctx) if z3.is_int(e) else z3.BitVecVal(-v, ch[0].size(), e.ctx)] + rest
        return rest[0] if len(rest) == 1 else (z3.Product(rest) if z3.is_int(e) else _bv_product(rest))
