"""Invariant inference and checking over hand-built LoopModels (analysis/inference/invariants.py).

Every "proved" invariant is re-checked here with an independent z3 query, so a bug in the
module's own re-check cannot make these tests pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import z3

from analysis.inference.invariants import (
    affine_equalities,
    check_user_invariant,
    find_invariant,
    invariant_text,
    to_post,
)
from analysis.inference.loopmodel import LoopModel
from tests.budget import within

Vars = dict[str, Any]
Body = Callable[[Vars, Vars, z3.Context], tuple[dict[str, Any], list[Any]]]


def make_loop(
    names: Sequence[str],
    entry: Callable[[Vars], Any],
    guard: Callable[[Vars], Any],
    body: Body,
    bad: Callable[[Vars], Any] | None = None,
    width: int = 32,
    signed: bool | Sequence[bool] = True,
    aux: Sequence[str] = (),
    exits_inside: bool = False,
) -> LoopModel:
    """A LoopModel from Python lambdas over a fresh context.

    ``body(v, a, ctx)`` returns (updates, side constraints): ``post[n] == updates.get(n, pre[n])``
    and the constraints (no-UB conditions, nondet ranges) over pre ``v`` and aux constants ``a``.
    """
    ctx = z3.Context()
    pre = [z3.BitVec(n, width, ctx) for n in names]
    post = [z3.BitVec(n + "'", width, ctx) for n in names]
    v = dict(zip(names, pre, strict=True))
    a = {n: z3.BitVec(n, width, ctx) for n in aux}
    upd, side = body(v, a, ctx)
    b = z3.And([p == upd.get(n, v[n]) for n, p in zip(names, post, strict=True)] + list(side))
    sg = tuple(signed) if not isinstance(signed, bool) else (signed,) * len(names)
    return LoopModel(ctx, tuple(names), sg, tuple(pre), tuple(post), entry(v), guard(v), b,
                     bad(v) if bad is not None else None, exits_inside)


def no_ovf(wide: Any, width: int) -> Any:
    """``wide`` (a term over sign-extended operands) fits the signed ``width``-bit range."""
    return z3.And(wide >= -(1 << (width - 1)), wide <= (1 << (width - 1)) - 1)


def add_ok(a: Any, b: Any) -> Any:
    w = a.size()
    return no_ovf(z3.SignExt(1, a) + z3.SignExt(1, b), w)


def const(ctx: z3.Context, v: int, w: int = 32) -> Any:
    return z3.BitVecVal(v, w, ctx)


def independently_inductive(m: LoopModel, inv: Any) -> bool:
    """Initiation, consecution and safety, with our own solvers."""
    for f in (z3.And(m.entry, z3.Not(inv)),
              z3.And(inv, m.guard, m.body, z3.Not(to_post(m, inv))),
              z3.And(inv, m.bad) if m.bad is not None else z3.BoolVal(False, m.ctx)):
        s = z3.Solver(ctx=m.ctx)
        s.add(f)
        if s.check() != z3.unsat:
            return False
    return True


def counting_loop() -> LoopModel:
    """`i = 0; s = 0; while (i < n) { i++; s += 2; }`, bad: after the loop s != 2*i."""
    return make_loop(
        ["i", "s", "n"],
        entry=lambda v: z3.And(v["i"] == 0, v["s"] == 0),
        guard=lambda v: v["i"] < v["n"],
        body=lambda v, a, c: ({"i": v["i"] + 1, "s": v["s"] + 2},
                              [add_ok(v["i"], const(c, 1)), add_ok(v["s"], const(c, 2))]),
        bad=lambda v: z3.And(z3.Not(v["i"] < v["n"]), v["s"] != 2 * v["i"]),
    )


def test_counting_loop_invariant_s_eq_2i() -> None:
    m = counting_loop()
    with within(10.0, 0.0):
        r = find_invariant(m, 10.0, 50_000_000)
    assert r.status == "proved", r.reason
    assert independently_inductive(m, r.invariant)
    assert r.text is not None and "s == 2*i" in r.text


def test_counting_loop_without_bad_returns_strong_invariant() -> None:
    m = counting_loop()
    m.bad = None
    r = find_invariant(m, 10.0, 50_000_000)
    assert r.status == "proved"
    assert independently_inductive(m, r.invariant)
    # The invariant implies s == 2*i (not just "true").
    s = z3.Solver(ctx=m.ctx)
    s.add(r.invariant, m.pre[1] != 2 * m.pre[0])
    assert s.check() == z3.unsat


def test_inequality_invariant_needs_spacer() -> None:
    """`while (i < n) { i++; s += k; }` with nondet 2 <= k <= 3: needs s >= 2*i (no candidate atom)."""
    m = make_loop(
        ["i", "s", "n"],
        entry=lambda v: z3.And(v["i"] == 0, v["s"] == 0),
        guard=lambda v: v["i"] < v["n"],
        body=lambda v, a, c: ({"i": v["i"] + 1, "s": v["s"] + a["k"]},
                              [a["k"] >= 2, a["k"] <= 3, add_ok(v["i"], const(c, 1)), add_ok(v["s"], a["k"])]),
        bad=lambda v: z3.And(z3.Not(v["i"] < v["n"]), v["s"] < 2 * v["i"]),
        aux=["k"],
    )
    r = find_invariant(m, 20.0, 100_000_000)
    assert r.status == "proved", r.reason
    assert independently_inductive(m, r.invariant)


def test_reachable_bad_is_refuted_with_real_trace() -> None:
    """`for (i = 0; i < 10; i++)`, bad: i == 7 at the loop head (reachable after 7 iterations)."""
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: v["i"] < 10,
        body=lambda v, a, c: ({"i": v["i"] + 1}, [add_ok(v["i"], const(c, 1))]),
        bad=lambda v: v["i"] == 7,
    )
    r = find_invariant(m, 10.0, 50_000_000)
    assert r.status == "refuted"
    assert r.trace is not None
    assert [st["i"] for st in r.trace] == list(range(8))
    assert r.invariant is None


def test_no_refutation_when_entry_is_overapproximated() -> None:
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: v["i"] < 10,
        body=lambda v, a, c: ({"i": v["i"] + 1}, [add_ok(v["i"], const(c, 1))]),
        bad=lambda v: v["i"] == 7,
    )
    m.extra["entry_exact"] = False
    r = find_invariant(m, 1.5, 50_000_000)
    assert r.status == "unknown"


def test_unreachable_bad_proved_with_bounds() -> None:
    """`for (i = 0; i < 10; i++)`, bad: i > 10: needs i <= 10."""
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: v["i"] < 10,
        body=lambda v, a, c: ({"i": v["i"] + 1}, [add_ok(v["i"], const(c, 1))]),
        bad=lambda v: v["i"] > 10,
    )
    r = find_invariant(m, 10.0, 50_000_000)
    assert r.status == "proved"
    assert independently_inductive(m, r.invariant)
    assert r.text is not None and "i <= 10" in r.text


def test_bogus_invariant_that_holds_over_integers_is_rejected() -> None:
    """Unsigned `x = 5; while (x != 3) x++;`: `x >= 5` is inductive over integers, not in C (wraps)."""
    m = make_loop(
        ["x"],
        entry=lambda v: v["x"] == 5,
        guard=lambda v: v["x"] != 3,
        body=lambda v, a, c: ({"x": v["x"] + 1}, []),
        signed=False,
    )
    bogus = z3.UGE(m.pre[0], 5)
    init, cons, cex = check_user_invariant(m, bogus)
    assert init is True
    assert cons is False
    assert cex["consecution.pre"] == {"x": 0xFFFFFFFF}
    assert cex["consecution.post"] == {"x": 0}
    # As a hint it must be dropped, not trusted.
    r = find_invariant(m, 5.0, 50_000_000, hints=[bogus])
    if r.status == "proved":
        assert independently_inductive(m, r.invariant)
        s = z3.Solver(ctx=m.ctx)
        s.add(r.invariant, z3.ULT(m.pre[0], 5))
        assert s.check() == z3.sat  # the bogus fact is not part of it


def test_user_invariant_initiation_failure_and_success() -> None:
    m = counting_loop()
    i, s, _n = m.pre
    init, cons, cex = check_user_invariant(m, s == 2 * i + 1)
    assert init is False
    assert cex["initiation"]["i"] == 0 and cex["initiation"]["s"] == 0
    init, cons, cex = check_user_invariant(m, z3.And(s == 2 * i, i >= 0))
    assert (init, cons) == (True, True)
    assert cex == {}
    # Not inductive alone: i <= 5 fails when n is large.
    init, cons, cex = check_user_invariant(m, i <= 5)
    assert init is True and cons is False
    assert cex["consecution.pre"]["i"] == 5 and cex["consecution.post"]["i"] == 6


def test_good_hint_is_used() -> None:
    """8-bit `while (i < n) { s += i; i++; }`, bad at exit: 2*s != i*(i-1); the hint is nonlinear.

    Candidate atoms cannot express it; the hint is kept (its text shows), then re-checked.
    """
    w = 8
    m = make_loop(
        ["i", "s", "n"],
        entry=lambda v: z3.And(v["i"] == 0, v["s"] == 0),
        guard=lambda v: v["i"] < v["n"],
        body=lambda v, a, c: ({"i": v["i"] + 1, "s": v["s"] + v["i"]},
                              [add_ok(v["i"], const(c, 1, w)), add_ok(v["s"], v["i"])]),
        bad=lambda v: z3.And(z3.Not(v["i"] < v["n"]), 2 * v["s"] != v["i"] * (v["i"] - 1)),
        width=w,
    )
    i, s, _n = m.pre
    r = find_invariant(m, 10.0, 50_000_000, hints=[2 * s == i * (i - 1)])
    assert r.status == "proved", r.reason
    assert r.text is not None and "2 * s == i * (i - 1)" in r.text
    assert independently_inductive(m, r.invariant)


def test_hard_property_times_out_within_limit() -> None:
    """A real bug 2^19 iterations deep: nothing may prove it; must return within the limit.

    From 0, i steps 0, 1, 4, 5, 8, ...: it reaches 2^20 + 4 (and never 2^20 + 6).
    """
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: z3.ULT(v["i"], 1 << 21),
        body=lambda v, a, c: ({"i": v["i"] + z3.If(v["i"] & 3 == 1, const(c, 3), const(c, 1))}, []),
        bad=lambda v: v["i"] == (1 << 20) + 4,
        signed=False,
    )
    with within(1.5):
        r = find_invariant(m, 1.5, 50_000_000)
    assert r.status != "proved"


def test_parity_invariant_over_bitvectors() -> None:
    """Same loop, bad i == 2^20 + 6: unreachable because bit 1 of i stays 0 (Spacer over bit-vectors)."""
    m = make_loop(
        ["i"],
        entry=lambda v: v["i"] == 0,
        guard=lambda v: z3.ULT(v["i"], 1 << 21),
        body=lambda v, a, c: ({"i": v["i"] + z3.If(v["i"] & 3 == 1, const(c, 3), const(c, 1))}, []),
        bad=lambda v: v["i"] == (1 << 20) + 6,
        signed=False,
    )
    r = find_invariant(m, 10.0, 50_000_000)
    assert r.status == "proved", r.reason
    assert independently_inductive(m, r.invariant)


def test_affine_equalities_fit() -> None:
    pts = [[0, 0, 5], [1, 2, 5], [2, 4, 5], [0, 0, 9], [3, 6, 9]]
    eqs = affine_equalities(pts)
    assert eqs == [([-2, 1, 0], 0)] or eqs == [([2, -1, 0], 0)]
    assert affine_equalities([[1, 2], [2, 3], [3, 4]]) in ([([1, -1], 1)], [([-1, 1], -1)])
    assert affine_equalities([]) == []


def test_invariant_text_signedness() -> None:
    m = make_loop(
        ["a", "b"],
        entry=lambda v: z3.BoolVal(True, v["a"].ctx),
        guard=lambda v: z3.BoolVal(True, v["a"].ctx),
        body=lambda v, a, c: ({}, []),
        signed=(True, False),
    )
    a, b = m.pre
    ctx = m.ctx
    assert invariant_text(m, z3.And(a >= 0, a <= 10)) == "a >= 0 && a <= 10"
    assert invariant_text(m, a == -1) == "a == -1"
    assert invariant_text(m, z3.ULE(b, 4294967295)) == "b <= 4294967295"
    assert invariant_text(m, z3.ULT(a, 3)) == "(unsigned)a < 3"
    assert invariant_text(m, z3.Or(a != b, z3.Not(a < 2))) == "a != b || a >= 2"
    assert invariant_text(m, a - b * 2 == const(ctx, 7)) in ("a - b * 2 == 7", "7 == a - b * 2")
    wide = z3.SignExt(2, a) + z3.ZeroExt(2, b) <= z3.BitVecVal(3, 34, ctx)
    assert invariant_text(m, wide) == "a + b <= 3"


def test_invariant_over_per_iteration_nondet_is_not_checked() -> None:
    """`while (x < 10) x = k;` (k nondet each iteration): `x == k` is no loop-head predicate."""
    m = make_loop(
        ["x"],
        entry=lambda v: v["x"] == 0,
        guard=lambda v: v["x"] < 10,
        body=lambda v, a, c: ({"x": a["k"]}, []),
        aux=["k"],
    )
    k = z3.BitVec("k", 32, m.ctx)
    init, cons, _ = check_user_invariant(m, m.pre[0] == k)
    assert (init, cons) == (None, None)
    # As a hint it is ignored, with a reason.
    r = find_invariant(m, 5.0, 50_000_000, hints=[m.pre[0] == k])
    if r.status == "proved":
        assert independently_inductive(m, r.invariant)
        assert not any(c.eq(k) for c in z3_consts(r.invariant))


def z3_consts(f: Any) -> list[Any]:
    out: list[Any] = []
    todo = [f]
    while todo:
        e = todo.pop()
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.append(e)
        elif z3.is_app(e):
            todo.extend(e.children())
    return out


def test_no_solver_context_outlives_its_function() -> None:
    """Every z3 context the engine makes for a function is freed when its analysis ends: a memo
    whose values (models) reference its own context once kept every context of a worker alive
    (gigabytes after a few hundred functions)."""
    import gc

    import z3

    from analysis.options import Options
    from analysis.service import verify_text

    def contexts() -> int:
        gc.collect()
        return sum(isinstance(o, z3.Context) for o in gc.get_objects())

    from analysis.z3context import release_unused

    release_unused()  # (contexts other tests left for the next release)
    before = contexts()
    verify_text("int f(int a) { if (a > 10) return a - 1; return a + 1; }\n", "/tmp/leak.c", Options())
    assert contexts() == before


def test_an_unrolling_stops_at_its_deadline() -> None:
    """A deeper unrolling grows as its bound to the power of the loops' nesting (two nested loops:
    0.7 s at 12 iterations, 12 s at 48): a run given a deadline stops there with a reason, and
    deepen() then keeps what it had, instead of overrunning its 2 s budget tenfold."""
    from analysis.clock import Deadline
    from analysis.ctypes import DataModel
    from analysis.engine.parse import parse_job
    from analysis.engine.verify import Run, _collect
    from analysis.options import Options
    from analysis.service import functions_of, make_job, split_text
    from analysis.z3context import new_context

    src = ("int h(int n, int m) { int s = 0;\n"
           "  for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) s += (i ^ j) & 1;\n"
           "  return s; }\n")
    split = split_text(src, "/tmp/nested.c", Options())
    job = make_job(split, functions_of(split)[0], Options())
    parsed = parse_job(job.context, job.target)
    assert parsed.ast is not None
    dm = DataModel(job.options.data_model)
    prog = _collect(parsed.ast, dm, {})
    info = prog.funcs["h"]
    ctx = new_context()
    free = Run(prog, info, dm, ctx, "exact", job, {}, {})
    assert free.error is None
    stopped = Run(prog, info, dm, ctx, "exact", job, {}, {}, deadline=Deadline(0.0))
    assert stopped.error is not None and "time budget" in stopped.error.what
