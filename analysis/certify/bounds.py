"""Products of bounded values, abstracted by their range: the checker's own, sound for ``unsat``.

Why: a guarded `a * b` (operands within ±1000) followed by ten additions is a 32-bit multiplier
circuit the SAT solver does not get through in seconds, and the guard sits inside every
disjunct of the condition. Here the bounds every model must satisfy are collected (atoms common
to all disjuncts), interval arithmetic gives each product's range, and a product whose range
fits its width becomes a fresh value within that range. Every model of the condition is a
model of the abstraction (take the product's value), so an ``unsat`` answer carries over; a
``sat`` one does not, and the caller then asks the exact solvers.
"""

from __future__ import annotations

from typing import Any

import z3

Z = Any
Interval = tuple[int, int]
Atoms = dict[int, tuple[Z, bool]]

# c OP x read as x FLIPPED c; not (x OP c) read as x NEGATED c
_FLIPPED = {z3.Z3_OP_SLEQ: z3.Z3_OP_SGEQ, z3.Z3_OP_SGEQ: z3.Z3_OP_SLEQ, z3.Z3_OP_SLT: z3.Z3_OP_SGT,
            z3.Z3_OP_SGT: z3.Z3_OP_SLT, z3.Z3_OP_EQ: z3.Z3_OP_EQ}
_NEGATED = {z3.Z3_OP_SLEQ: z3.Z3_OP_SGT, z3.Z3_OP_SGT: z3.Z3_OP_SLEQ, z3.Z3_OP_SLT: z3.Z3_OP_SGEQ,
            z3.Z3_OP_SGEQ: z3.Z3_OP_SLT}


def _signed_range(w: int) -> Interval:
    return -(1 << (w - 1)), (1 << (w - 1)) - 1


def _product(a: Interval, b: Interval, w: int) -> Interval | None:
    """The range of ``a * b``, or None when it may not fit ``w`` signed bits (the product wraps)."""
    corners = [x * y for x in a for y in b]
    lo, hi = _signed_range(w)
    return (min(corners), max(corners)) if lo <= min(corners) and max(corners) <= hi else None


def _implied(t: Z, positive: bool, memo: dict[tuple[int, bool], Atoms]) -> Atoms:
    """Atoms (with their polarity) that hold in every model of ``t`` (or of ``not t``)."""
    key = (t.get_id(), positive)
    hit = memo.get(key)
    if hit is not None:
        return hit
    k = t.decl().kind() if z3.is_app(t) else None
    out: Atoms = {}
    if k == z3.Z3_OP_NOT:
        out = _implied(t.arg(0), not positive, memo)
    elif (k == z3.Z3_OP_AND and positive) or (k == z3.Z3_OP_OR and not positive):
        for c in t.children():
            out.update(_implied(c, positive, memo))
    elif (k == z3.Z3_OP_OR and positive) or (k == z3.Z3_OP_AND and not positive):
        common: Atoms | None = None
        for c in t.children():
            mine = _implied(c, positive, memo)
            common = dict(mine) if common is None else {i: a for i, a in common.items() if mine.get(i) == a}
        out = common or {}
    else:
        out = {t.get_id(): (t, positive)}
    memo[key] = out
    return out


def _leaf_bounds(atoms: Atoms) -> dict[int, Interval]:
    """Signed bounds on uninterpreted bit-vector constants, from comparisons with values."""
    bounds: dict[int, Interval] = {}
    for atom, positive in atoms.values():
        if not z3.is_app(atom) or atom.num_args() != 2:
            continue
        k, (p, q) = atom.decl().kind(), atom.children()
        if k not in _FLIPPED or not (z3.is_bv(p) and z3.is_bv(q)):
            continue
        # normalise to x <= c, x < c, x >= c, x > c, x == c with x a constant symbol
        if z3.is_bv_value(p) and _is_symbol(q):
            p, q, k = q, p, _FLIPPED[k]
        if not (_is_symbol(p) and z3.is_bv_value(q)):
            continue
        c = q.as_signed_long()
        k = k if positive else _NEGATED.get(k, 0)  # x != c bounds nothing
        lo, hi = {z3.Z3_OP_SLEQ: (None, c), z3.Z3_OP_SLT: (None, c - 1), z3.Z3_OP_SGEQ: (c, None),
                  z3.Z3_OP_SGT: (c + 1, None), z3.Z3_OP_EQ: (c, c)}.get(k, (None, None))
        old = bounds.get(p.get_id(), _signed_range(p.size()))
        bounds[p.get_id()] = (old[0] if lo is None else max(old[0], lo), old[1] if hi is None else min(old[1], hi))
    return bounds


def _is_symbol(t: Z) -> bool:
    return z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED


class _Abstraction:
    def __init__(self, bounds: dict[int, Interval]) -> None:
        self.bounds = bounds
        self.memo: dict[int, Interval | None] = {}
        self.products: dict[int, tuple[Z, Interval]] = {}

    def interval(self, t: Z) -> Interval | None:
        """The signed value of ``t`` lies in the result in every model (None: no bound known)."""
        if t.get_id() not in self.memo:
            self.memo[t.get_id()] = self._interval(t)
        return self.memo[t.get_id()]

    def _interval(self, t: Z) -> Interval | None:
        w = t.size()
        lo_w, hi_w = _signed_range(w)
        if z3.is_bv_value(t):
            v = t.as_signed_long()
            return v, v
        if _is_symbol(t):  # its bounds on the path, or else its width's (a sign-extended short)
            return self.bounds.get(t.get_id(), (lo_w, hi_w))
        k, ch = t.decl().kind(), t.children()
        if k == z3.Z3_OP_ITE:
            ch = ch[1:]  # either branch: their hull
        elif k not in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_ZERO_EXT, z3.Z3_OP_BADD, z3.Z3_OP_BSUB, z3.Z3_OP_BNEG, z3.Z3_OP_BMUL):
            return None
        if k == z3.Z3_OP_ZERO_EXT:
            inner = self.interval(ch[0])
            widened = inner if inner is not None and inner[0] >= 0 else (0, (1 << ch[0].size()) - 1)
            return widened if widened[1] <= hi_w else None
        parts: list[Any] = [self.interval(c) for c in ch]
        if None in parts:
            return None
        result: Interval | None = None
        if k == z3.Z3_OP_ITE:
            result = (min(p[0] for p in parts), max(p[1] for p in parts))
        elif k == z3.Z3_OP_SIGN_EXT:
            result = parts[0]
        elif k == z3.Z3_OP_BADD:
            result = (sum(p[0] for p in parts), sum(p[1] for p in parts))
        elif k == z3.Z3_OP_BSUB:
            result = (parts[0][0] - parts[1][1], parts[0][1] - parts[1][0])
        elif k == z3.Z3_OP_BNEG:
            result = (-parts[0][1], -parts[0][0])
        elif k == z3.Z3_OP_BMUL:
            result = parts[0]
            for p in parts[1:]:
                result = _product(result, p, w)
                if result is None:
                    return None
            if sum(not z3.is_bv_value(c) for c in ch) >= 2:
                self.products[t.get_id()] = (t, result)
        if result is None or not lo_w <= result[0] <= result[1] <= hi_w:
            return None  # it may wrap: no bound
        return result


def abstract_bounded_products(goal: Z, products: list[Z], predicates: list[Z]) -> Z | None:
    """``goal`` with each of its ``products`` (bvmul terms) whose operands are bounded replaced by
    a fresh value in its range, and the no-overflow ``predicates`` that the ranges decide set to
    true; None when nothing is bounded. Unsat of the result implies unsat of ``goal``."""
    if not products:
        return None
    bounds = _leaf_bounds(_implied(goal, True, {}))
    ab = _Abstraction(bounds)
    ctx, pairs, facts = goal.ctx, [], []
    for t in products:
        ab.interval(t)
    for n, (t, (lo, hi)) in enumerate(ab.products.values()):
        fresh = z3.BitVec(f"certify_product{n}", t.size(), ctx)
        pairs.append((t, fresh))
        facts += [fresh >= z3.BitVecVal(lo, t.size(), ctx), fresh <= z3.BitVecVal(hi, t.size(), ctx)]
    for t in predicates:
        a, b = ab.interval(t.arg(0)), ab.interval(t.arg(1))
        if a is not None and b is not None and _product(a, b, t.arg(0).size()) is not None:
            pairs.append((t, z3.BoolVal(True, ctx)))
    if not pairs:
        return None
    return z3.And(z3.substitute(goal, *pairs), *facts)
