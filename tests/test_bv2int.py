"""The integer reading of bit-vector queries must be exact: its ``unsat`` decides proofs.

Every random term is pinned to concrete inputs; the integer formula must then force exactly
the value Z3's own bit-vector semantics computes (``t != v`` unsat) and allow it (``t == v``
sat). A wrong wrap-around, sign or division rule in the translation fails here."""

from __future__ import annotations

from typing import Any

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.bv2int import to_int

WIDTH = 8  # small enough that boundary values are hit often, same rules as 32 or 64 bits
X, Y = z3.BitVec("x", WIDTH), z3.BitVec("y", WIDTH)

UNARY = ["neg", "not", "shl", "ashr", "lshr", "sext", "zext", "trunc"]
BINARY = ["add", "sub", "mul", "sdiv", "srem", "udiv", "urem", "ite_slt", "ite_ult"]


def _build(tree: Any) -> Any:
    if isinstance(tree, str):
        return {"x": X, "y": Y}[tree]
    if isinstance(tree, int):
        return z3.BitVecVal(tree, WIDTH)
    op, *kids = tree
    a = _build(kids[0])
    if op in UNARY:
        n = kids[1] if len(kids) > 1 else 0
        return {
            "neg": lambda: -a, "not": lambda: ~a,
            "shl": lambda: a << n, "ashr": lambda: a >> n, "lshr": lambda: z3.LShR(a, n),
            # widen and narrow back so every node keeps WIDTH bits
            "sext": lambda: z3.Extract(WIDTH - 1, 0, z3.SignExt(WIDTH, a) * 3),
            "zext": lambda: z3.Extract(WIDTH - 1, 0, z3.ZeroExt(WIDTH, a) + z3.ZeroExt(WIDTH, a)),
            "trunc": lambda: z3.SignExt(WIDTH // 2, z3.Extract(WIDTH // 2 - 1, 0, a)),
        }[op]()
    b = _build(kids[1])
    return {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
        "sdiv": lambda: a / b, "srem": lambda: z3.SRem(a, b),
        "udiv": lambda: z3.UDiv(a, b), "urem": lambda: z3.URem(a, b),
        "ite_slt": lambda: z3.If(a < b, a, b), "ite_ult": lambda: z3.If(z3.ULT(a, b), b - a, a),
    }[op]()


leaves = st.one_of(st.sampled_from(["x", "y"]), st.integers(-(1 << (WIDTH - 1)), (1 << (WIDTH - 1)) - 1))
trees = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.tuples(st.sampled_from(UNARY), kids, st.integers(0, WIDTH - 1)),
        st.tuples(st.sampled_from(BINARY), kids, kids),
    ),
    max_leaves=6,
)
values = st.integers(-(1 << (WIDTH - 1)), (1 << (WIDTH - 1)) - 1) | st.sampled_from(
    [0, 1, -1, -(1 << (WIDTH - 1)), (1 << (WIDTH - 1)) - 1])


def _status(formula: Any) -> Any:
    encoded = to_int(formula)
    assert encoded is not None, formula
    s = z3.Solver()
    s.add(encoded)
    return s.check()


@settings(max_examples=250, deadline=None)
@given(trees, values, values)
def test_terms_are_exact(tree: Any, x: int, y: int) -> None:
    term = _build(tree)
    pinned = z3.And(X == x, Y == y)
    truth = z3.simplify(z3.substitute(term, (X, z3.BitVecVal(x, WIDTH)), (Y, z3.BitVecVal(y, WIDTH))))
    assert z3.is_bv_value(truth)
    assert _status(z3.And(pinned, term == truth)) == z3.sat
    assert _status(z3.And(pinned, term != truth)) == z3.unsat


@settings(max_examples=80, deadline=None)
@given(trees, trees, values, values)
def test_comparisons_and_overflow_predicates_are_exact(left: Any, right: Any, x: int, y: int) -> None:
    a, b = _build(left), _build(right)
    pinned = z3.And(X == x, Y == y)
    for pred in (a < b, z3.ULE(a, b), a == b, z3.BVMulNoOverflow(a, b, True), z3.BVMulNoUnderflow(a, b),
                 z3.BVMulNoOverflow(a, b, False)):
        truth = z3.simplify(z3.substitute(pred, (X, z3.BitVecVal(x, WIDTH)), (Y, z3.BitVecVal(y, WIDTH))))
        assert z3.is_true(truth) or z3.is_false(truth)
        assert _status(z3.And(pinned, pred == truth)) == z3.sat
        assert _status(z3.And(pinned, pred != truth)) == z3.unsat


def test_the_slow_multiplier_question_is_answered() -> None:
    """The query that took seconds bit-blasted: a guarded product plus a small sum."""
    a, b = z3.BitVecs("a b", 32)
    guard = z3.And(a <= 1000, a >= -1000, b <= 1000, b >= -1000)
    wide = z3.SignExt(1, a * b + 250) + 45
    bad = z3.Or(wide > (1 << 31) - 1, wide < -(1 << 31))
    assert _status(z3.And(guard, z3.BVMulNoOverflow(a, b, True), bad)) == z3.unsat
    assert _status(z3.And(a == 70000, b == 70000, z3.Not(z3.BVMulNoOverflow(a, b, True)))) == z3.sat


def test_unknown_constructs_keep_the_bit_vector_query() -> None:
    a = z3.BitVec("a", 32)
    assert to_int(a & 0xFF == 3) is None
    f = z3.Function("f", z3.BitVecSort(32), z3.BitVecSort(32))
    assert to_int(f(a) == 1) is None
