"""Termination proofs and refutations over hand-built LoopModels (analysis/inference/ranking.py).

Proofs are re-checked here with an independent encoding (z3 BV2Int over mathematical integers);
refutations are confirmed by running the loop concretely with C semantics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.inference.invariants import find_invariant
from analysis.inference.loopmodel import LoopModel
from analysis.inference.ranking import TerminationResult, prove_termination
from tests.budget import within

RLIMIT = 50_000_000
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
UMAX = (1 << 32) - 1
Vars = dict[str, Any]


def make_loop(
    names: Sequence[str],
    entry: Callable[[Vars], Any],
    guard: Callable[[Vars], Any],
    body: Callable[[Vars, Vars, z3.Context], tuple[dict[str, Any], list[Any]]],
    signed: bool = True,
    aux: Sequence[str] = (),
    exits_inside: bool = False,
) -> LoopModel:
    """A 32-bit LoopModel from lambdas: ``body(v, a, ctx)`` gives (updates, side constraints).

    (Same builder as in test_loops.py, kept here so the two files stay independent.)
    """
    ctx = z3.Context()
    pre = [z3.BitVec(n, 32, ctx) for n in names]
    post = [z3.BitVec(n + "'", 32, ctx) for n in names]
    v = dict(zip(names, pre, strict=True))
    a = {n: z3.BitVec(n, 32, ctx) for n in aux}
    upd, side = body(v, a, ctx)
    b = z3.And([p == upd.get(n, v[n]) for n, p in zip(names, post, strict=True)] + list(side))
    return LoopModel(ctx, tuple(names), (signed,) * len(names), tuple(pre), tuple(post), entry(v), guard(v), b,
                     None, exits_inside)


def const(ctx: z3.Context, v: int) -> Any:
    return z3.BitVecVal(v, 32, ctx)


def add_ok(a: Any, b: Any) -> Any:
    d = z3.SignExt(1, a) + z3.SignExt(1, b)
    return z3.And(d >= INT_MIN, d <= INT_MAX)


def sub_ok(a: Any, b: Any) -> Any:
    d = z3.SignExt(1, a) - z3.SignExt(1, b)
    return z3.And(d >= INT_MIN, d <= INT_MAX)


def g_loop(entry_y_positive: bool) -> LoopModel:
    """`while (x > y) x = x - y;` over int (g: after `if (y > 0)`, g2: no precondition)."""
    return make_loop(
        ["x", "y"],
        entry=(lambda v: v["y"] > 0) if entry_y_positive else (lambda v: z3.BoolVal(True, v["x"].ctx)),
        guard=lambda v: v["x"] > v["y"],
        body=lambda v, a, c: ({"x": v["x"] - v["y"]}, [sub_ok(v["x"], v["y"])]),
    )


def inductive(m: LoopModel, inv: Any) -> bool:
    for f in (z3.And(m.entry, z3.Not(inv)),
              z3.And(inv, m.guard, m.body, z3.Not(z3.substitute(inv, *zip(m.pre, m.post, strict=True))))):
        s = z3.Solver(ctx=m.ctx)
        s.add(f)
        if s.check() != z3.unsat:
            return False
    return True


def ranking_holds(m: LoopModel, r: TerminationResult, inv: Any) -> bool:
    """Independent check of a linear/lexicographic ranking, in 96-bit arithmetic (no wrap possible).

    (BV2Int would be the obvious encoding, but z3 takes minutes on it.) If the result says it
    needed an invariant, that invariant is checked inductive here and assumed.
    """
    if r.cases is not None:
        # a proof by cases: each case's ranking, for the entries of its region (which cover the guard)
        assert z3.Solver(ctx=m.ctx).check(m.guard, *[z3.Not(c[0]) for c in r.cases]) == z3.unsat
        return all(ranking_holds(dataclasses.replace(m, entry=z3.And(m.entry, region)),
                                 TerminationResult("proved", r.witness, None, None, None, ranking, case_inv), inv)
                   for region, ranking, case_inv in r.cases)
    assert r.ranking is not None
    if r.invariant is not None:
        assert inductive(m, r.invariant)
        assert r.witness is not None and "uses the loop invariant" in r.witness
        inv = z3.And(inv, r.invariant)
    w = 96
    assert all(abs(c) < 1 << 20 for comp in r.ranking for c in comp[0]) and all(abs(c0) < 1 << 60 for _, c0 in r.ranking)

    def val(terms: Any, comp: tuple[tuple[int, ...], int]) -> Any:
        coeffs, c0 = comp
        acc = z3.BitVecVal(c0, w, m.ctx)
        for c, t, sg in zip(coeffs, terms, m.signed, strict=True):
            ext = z3.SignExt(w - t.size(), t) if sg else z3.ZeroExt(w - t.size(), t)
            acc = acc + z3.BitVecVal(c, w, m.ctx) * ext
        return acc

    rv = [val(m.pre, comp) for comp in r.ranking]
    rv2 = [val(m.post, comp) for comp in r.ranking]
    ok = z3.Or([z3.And([rv2[j] <= rv[j] for j in range(k)] + [rv[k] >= 0, rv2[k] <= rv[k] - 1])
                for k in range(len(rv))])
    s = z3.Solver(ctx=m.ctx)
    s.set("timeout", 60_000)
    s.add(inv, m.guard, m.body, z3.Not(ok))
    return s.check() == z3.unsat


def run_c(state: dict[str, int], step: Callable[[dict[str, int]], dict[str, int] | None],
          guard: Callable[[dict[str, int]], bool], steps: int) -> bool:
    """True if the loop is still running after ``steps`` iterations (step returns None on UB)."""
    st = dict(state)
    for _ in range(steps):
        if not guard(st):
            return False
        nxt = step(st)
        assert nxt is not None, f"undefined behaviour from {st}"
        st = nxt
    return True


def int32_sub(a: int, b: int) -> int | None:
    d = a - b
    return d if INT_MIN <= d <= INT_MAX else None


def test_g_terminates_with_ranking_function() -> None:
    m = g_loop(True)
    with within(10.0, 0.0):
        r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert r.witness is not None
    assert r.witness.split(" (")[0] in ("x", "x - y", "x - y - 1", "x - 1", "x - 2")
    assert "signed overflow" in r.witness
    assert "y > 0" in r.witness  # the invariant it needed, from entry
    x, y = m.pre
    assert ranking_holds(m, r, y > 0)


def test_g_with_given_invariant() -> None:
    m = g_loop(True)
    r = prove_termination(m, 10.0, RLIMIT, invariant=m.pre[1] > 0)
    assert r.status == "proved"
    assert ranking_holds(m, r, m.pre[1] > 0)


def test_g2_does_not_terminate() -> None:
    m = g_loop(False)
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "refuted", r.reason
    assert r.state is not None
    st = r.state
    assert st["x"] > st["y"]

    def step(s: dict[str, int]) -> dict[str, int] | None:
        x = int32_sub(s["x"], s["y"])
        return None if x is None else {"x": x, "y": s["y"]}

    assert run_c(st, step, lambda s: s["x"] > s["y"], 1_000_000)
    # The recurrent set contains the state.
    s = z3.Solver(ctx=m.ctx)
    s.add(r.recurrent, m.pre[0] == st["x"], m.pre[1] == st["y"])
    assert s.check() == z3.sat


def test_bogus_given_invariant_is_not_trusted() -> None:
    """g2 with a claimed invariant y > 0 (false on entry): must not become a proof."""
    m = g_loop(False)
    r = prove_termination(m, 10.0, RLIMIT, invariant=m.pre[1] > 0)
    assert r.status == "refuted"
    assert r.reason is None or "proved" not in r.reason


def test_no_refutation_when_body_overapproximated() -> None:
    m = g_loop(False)
    m.extra["body_exact"] = False
    r = prove_termination(m, 3.0, RLIMIT)
    assert r.status == "unknown"
    assert r.reason is not None and "refutation disabled" in r.reason


def test_counting_for_loop_terminates() -> None:
    """`for (i = 0; i < 100; i++)`."""
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: v["i"] < 100,
        body=lambda v, a, c: ({"i": v["i"] + 1}, [add_ok(v["i"], const(c, 1))]),
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_while_i_lt_n_terminates() -> None:
    """`while (i < n) { i++; s += 2; }` (ranking n - i)."""
    m = make_loop(
        ["i", "s", "n"],
        entry=lambda v: z3.And(v["i"] == 0, v["s"] == 0),
        guard=lambda v: v["i"] < v["n"],
        body=lambda v, a, c: ({"i": v["i"] + 1, "s": v["s"] + 2},
                              [add_ok(v["i"], const(c, 1)), add_ok(v["s"], const(c, 2))]),
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_unsigned_minus_two_does_not_terminate_from_odd() -> None:
    """Unsigned `while (x != 0) x = x - 2;`: odd x stays odd under wrap-around (2^32 is even), never 0.

    Even x reaches 0. So the loop may not terminate, and a witness must be odd.
    """
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] != 0,
        body=lambda v, a, c: ({"x": v["x"] - 2}, []),
        signed=False,
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "refuted", r.reason
    assert r.state is not None
    x = r.state["x"]
    assert 0 <= x <= UMAX and x % 2 == 1
    assert run_c({"x": x}, lambda s: {"x": (s["x"] - 2) % (1 << 32)}, lambda s: s["x"] != 0, 1_000_000)
    # The recurrent set holds only odd values.
    s = z3.Solver(ctx=m.ctx)
    s.add(r.recurrent, z3.Extract(0, 0, m.pre[0]) == 0)
    assert s.check() == z3.unsat


def test_signed_minus_two_terminates_assuming_no_overflow() -> None:
    """Signed `while (x != 0) x = x - 2;`: odd x eventually overflows (UB, checked elsewhere)."""
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] != 0,
        body=lambda v, a, c: ({"x": v["x"] - 2}, [sub_ok(v["x"], const(c, 2))]),
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert r.witness is not None and "signed overflow" in r.witness
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_break_inside_loop() -> None:
    """Unsigned `while (1) { if (x == 0) break; x--; }`: body holds only the non-exiting path."""
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: z3.BoolVal(True, v["x"].ctx),
        body=lambda v, a, c: ({"x": v["x"] - 1}, [v["x"] != 0]),
        signed=False,
        exits_inside=True,
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_lexicographic() -> None:
    """`while (x > 0) { if (y > 0) y--; else { x--; y = nondet() /* >= 0 */; } }`."""
    m = make_loop(
        ["x", "y"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] > 0,
        body=lambda v, a, c: ({"x": z3.If(v["y"] > 0, v["x"], v["x"] - 1),
                               "y": z3.If(v["y"] > 0, v["y"] - 1, a["k"])}, [a["k"] >= 0]),
        aux=["k"],
    )
    r = prove_termination(m, 20.0, RLIMIT)
    assert r.status == "proved", r.reason
    assert r.ranking is not None and len(r.ranking) >= 2
    assert r.witness is not None and r.witness.startswith("lexicographic")
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_nondeterministic_nontermination() -> None:
    """`while (x > 0) x = nondet();`: some execution stays in the loop forever."""
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] > 0,
        body=lambda v, a, c: ({"x": a["k"]}, []),
        aux=["k"],
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "refuted"
    assert r.state is not None and r.state["x"] > 0


def test_ub_only_successor_is_not_nontermination() -> None:
    """Signed `while (x > 0) x = x + 1;`: runs until overflow (UB, not in body): no refutation."""
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] > 0,
        body=lambda v, a, c: ({"x": v["x"] + 1}, [add_ok(v["x"], const(c, 1))]),
    )
    r = prove_termination(m, 10.0, RLIMIT)
    assert r.status == "proved", r.reason  # -x + INT_MAX decreases until the overflow
    assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))


def test_collatz_unknown_within_limit() -> None:
    """Unsigned `while (n > 1) n = n % 2 == 0 ? n / 2 : 3 * n + 1;`: nobody can answer this."""
    m = make_loop(
        ["n"],
        entry=lambda v: z3.BoolVal(True, v["n"].ctx),
        guard=lambda v: z3.UGT(v["n"], 1),
        body=lambda v, a, c: ({"n": z3.If(z3.URem(v["n"], 2) == 0, z3.UDiv(v["n"], 2), 3 * v["n"] + 1)}, []),
        signed=False,
    )
    limit = 3.0
    with within(limit):
        r = prove_termination(m, limit, RLIMIT)
    assert r.status != "proved"
    if r.status == "refuted":  # wrap-around could create a real cycle: then it must be one
        assert r.state is not None

        def step(s: dict[str, int]) -> dict[str, int]:
            n = s["n"]
            return {"n": n // 2 if n % 2 == 0 else (3 * n + 1) % (1 << 32)}

        assert run_c(r.state, step, lambda s: s["n"] > 1, 1_000_000)


# ------------------------------------------------------------------------------------------
# Exhaustive soundness check on random 8-bit loops (state space 2^16, simulated in Python).

W8 = 8
Op = tuple[str, str, int]  # (operation, operand: "y" or "c", constant)


def c8(bits: int, signed: bool) -> int:
    bits &= 0xFF
    return bits - 256 if signed and bits >= 128 else bits


def py_apply(op: Op, x: int, y: int, signed: bool) -> int | None:
    """The next bits of a variable (C semantics on 8-bit values); None on signed overflow."""
    name, which, k = op
    o = y if which == "y" else k & 0xFF
    xv, ov = c8(x, signed), c8(o, signed)
    if name in ("add", "sub", "mul"):
        r = xv + ov if name == "add" else xv - ov if name == "sub" else xv * ov
        if signed and not -128 <= r <= 127:
            return None
        return r & 0xFF
    if name == "and":
        return x & o
    if name == "or":
        return x | o
    if name == "xor":
        return x ^ o
    if name == "shr":
        return (xv >> (k % 4)) & 0xFF
    if name == "keep":
        return x
    raise AssertionError(name)


def z3_apply(op: Op, x: Any, y: Any, signed: bool, ctx: z3.Context) -> tuple[Any, Any]:
    """(new value, no-UB condition) for ``op`` over 8-bit z3 terms."""
    name, which, k = op
    o = y if which == "y" else z3.BitVecVal(k & 0xFF, W8, ctx)
    ok = z3.BoolVal(True, ctx)
    if name in ("add", "sub", "mul"):
        ext = (lambda t: z3.SignExt(8, t)) if signed else (lambda t: z3.ZeroExt(8, t))
        wide = ext(x) + ext(o) if name == "add" else ext(x) - ext(o) if name == "sub" else ext(x) * ext(o)
        if signed:
            ok = z3.And(wide >= -128, wide <= 127)
        r = x + o if name == "add" else x - o if name == "sub" else x * o
        return r, ok
    if name == "and":
        return x & o, ok
    if name == "or":
        return x | o, ok
    if name == "xor":
        return x ^ o, ok
    if name == "shr":
        kk = z3.BitVecVal(k % 4, W8, ctx)
        return (x >> kk if signed else z3.LShR(x, kk)), ok
    if name == "keep":
        return x, ok
    raise AssertionError(name)


Cmp = tuple[str, str, int]  # (relation, right operand "y" or "c", constant)


def py_cmp(cmp: Cmp, x: int, y: int, signed: bool) -> bool:
    rel, which, k = cmp
    a, b = c8(x, signed), c8(y if which == "y" else k & 0xFF, signed)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "!=": a != b, "==": a == b}[rel]


def z3_cmp(cmp: Cmp, x: Any, y: Any, signed: bool, ctx: z3.Context) -> Any:
    rel, which, k = cmp
    b = y if which == "y" else z3.BitVecVal(k & 0xFF, W8, ctx)
    if rel in ("==", "!="):
        return x == b if rel == "==" else x != b
    if signed:
        return {"<": x < b, "<=": x <= b, ">": x > b, ">=": x >= b}[rel]
    return {"<": z3.ULT(x, b), "<=": z3.ULE(x, b), ">": z3.UGT(x, b), ">=": z3.UGE(x, b)}[rel]


ops = st.tuples(st.sampled_from(["add", "sub", "mul", "and", "or", "xor", "shr", "keep"]),
                st.sampled_from(["y", "c"]), st.integers(-4, 4))
yops = st.tuples(st.sampled_from(["add", "sub", "keep", "keep"]), st.just("c"), st.integers(-2, 2))
cmps = st.tuples(st.sampled_from(["<", "<=", ">", ">=", "!="]), st.sampled_from(["y", "c"]), st.integers(-3, 10))
entries = st.one_of(st.none(), st.tuples(st.sampled_from(["==", ">", "<", "!="]), st.just("c"), st.integers(-2, 5)))


def random_loop(signed: bool, guard: Cmp, xop: Op, yop: Op, entry: Cmp | None) -> LoopModel:
    ctx = z3.Context()
    x, y = z3.BitVec("x", W8, ctx), z3.BitVec("y", W8, ctx)
    x2, y2 = z3.BitVec("x'", W8, ctx), z3.BitVec("y'", W8, ctx)
    nx, okx = z3_apply(xop, x, y, signed, ctx)
    ny, oky = z3_apply(yop, y, y, signed, ctx)
    body = z3.And(x2 == nx, y2 == ny, okx, oky)
    ent = z3.BoolVal(True, ctx) if entry is None else z3_cmp(entry, y, x, signed, ctx)
    return LoopModel(ctx, ("x", "y"), (signed, signed), (x, y), (x2, y2), ent,
                     z3_cmp(guard, x, y, signed, ctx), body)


def successors(signed: bool, guard: Cmp, xop: Op, yop: Op) -> list[int]:
    """Per state s = x | y << 8: the next state, -1 when the loop exits, -2 on UB."""
    nxt = [0] * 65536
    for s in range(65536):
        x, y = s & 0xFF, s >> 8
        if not py_cmp(guard, x, y, signed):
            nxt[s] = -1
            continue
        a, b = py_apply(xop, x, y, signed), py_apply(yop, y, y, signed)
        nxt[s] = -2 if a is None or b is None else a | (b << 8)
    return nxt


def diverging(nxt: list[int]) -> list[bool]:
    """States from which the (deterministic) loop never exits and never hits UB."""
    state = [0] * 65536  # 0 unknown, 1 on stack, 2 terminates, 3 diverges
    for s0 in range(65536):
        path = []
        s = s0
        while s >= 0 and state[s] == 0:
            state[s] = 1
            path.append(s)
            s = nxt[s]
        verdict = 2 if s < 0 or state[s] == 2 else 3
        for p in path:
            state[p] = verdict
    return [v == 3 for v in state]


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.booleans(), cmps, ops, yops, entries)
def test_random_8bit_loops_termination_is_sound(signed: bool, guard: Cmp, xop: Op, yop: Op,
                                                 entry: Cmp | None) -> None:
    """prove_termination against exhaustive simulation of all 65,536 states."""
    m = random_loop(signed, guard, xop, yop, entry)
    with within(1.5):
        r = prove_termination(m, 1.5, RLIMIT)
    div = diverging(successors(signed, guard, xop, yop))
    starts = [s for s in range(65536) if entry is None or py_cmp(entry, s >> 8, s & 0xFF, signed)]
    if r.status == "proved":
        assert not any(div[s] for s in starts), r.witness
    if r.status == "refuted":
        assert r.state is not None
        s = (r.state["x"] & 0xFF) | ((r.state["y"] & 0xFF) << 8)
        assert entry is None or py_cmp(entry, s >> 8, s & 0xFF, signed)
        assert div[s], r.witness


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.booleans(), cmps, ops, yops, entries, st.one_of(st.none(), st.integers(-3, 12)), cmps)
def test_random_8bit_loops_invariants_are_sound(signed: bool, guard: Cmp, xop: Op, yop: Op,
                                                entry: Cmp | None, x0: int | None, bad: Cmp) -> None:
    """find_invariant (analysis/inference/invariants.py) against exhaustive reachability (kept here to share the simulator).

    ``x0`` fixes x on entry, so that many properties are safe (not only reachable).
    """
    m = random_loop(signed, guard, xop, yop, entry)
    x, y = m.pre
    if x0 is not None:
        m.entry = z3.And(m.entry, x == z3.BitVecVal(x0 & 0xFF, 8, m.ctx))
    m.bad = z3_cmp(bad, x, y, signed, m.ctx)
    with within(1.5):
        r = find_invariant(m, 1.5, RLIMIT)
    nxt = successors(signed, guard, xop, yop)
    reach = [False] * 65536
    todo = [s for s in range(65536) if (entry is None or py_cmp(entry, s >> 8, s & 0xFF, signed))
            and (x0 is None or s & 0xFF == x0 & 0xFF)]
    for s in todo:
        reach[s] = True
    while todo:
        s = todo.pop()
        n = nxt[s]
        if n >= 0 and not reach[n]:
            reach[n] = True
            todo.append(n)
    bad_reachable = any(reach[s] and py_cmp(bad, s & 0xFF, s >> 8, signed) for s in range(65536))
    if r.status == "proved":
        assert not bad_reachable, r.text
        assert all(z3.is_true(z3.simplify(z3.substitute(r.invariant, (x, z3.BitVecVal(s & 0xFF, 8, m.ctx)),
                                                          (y, z3.BitVecVal(s >> 8, 8, m.ctx)))))
                   for s in range(0, 65536, 97) if reach[s])
    if r.status == "refuted":
        assert bad_reachable
        assert r.trace is not None
        states = [(t["x"] & 0xFF) | ((t["y"] & 0xFF) << 8) for t in r.trace]
        assert reach[states[0]] and all(nxt[a] == b for a, b in zip(states, states[1:], strict=False))
        assert py_cmp(bad, states[-1] & 0xFF, states[-1] >> 8, signed)


def test_growth_until_overflow_is_not_nontermination() -> None:
    """Signed `while (x != 0) x = x * 3;`: |x| triples until it overflows (UB, not in body).

    No linear ranking exists, and {x > 0} is closed under the body only vacuously at the top (the
    last iteration has no UB-free successor): refuting would be wrong.
    """
    m = make_loop(
        ["x"],
        entry=lambda v: z3.BoolVal(True, v["x"].ctx),
        guard=lambda v: v["x"] != 0,
        body=lambda v, a, c: ({"x": v["x"] * 3},
                              [z3.SignExt(32, v["x"]) * 3 >= INT_MIN, z3.SignExt(32, v["x"]) * 3 <= INT_MAX]),
    )
    r = prove_termination(m, 2.0, RLIMIT)
    assert r.status != "refuted", r.witness
    if r.status == "proved":
        assert ranking_holds(m, r, z3.BoolVal(True, m.ctx))
