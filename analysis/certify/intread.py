"""The integer reading of a bit-vector condition, the checker's own: exact, so an ``unsat`` here is
the bit-vector ``unsat``.

Why: bit-blasting a 32-bit product is a multiplier circuit that SAT solvers do not get through
(``a * b + b * c`` with operands below 1000: no answer in 15 s), while over the integers the
bounds make it a few milliseconds of nonlinear arithmetic. Every bit-vector term of width w
becomes an integer in [0, 2^w); an operation that can wrap, ``e``, becomes ``e - 2^w * k`` for a
fresh integer k with the result kept in range, so no wrap-around is lost. Anything not handled
here (bitwise operators, variable shifts and divisions) returns None: the caller asks the
bit-vector solvers instead.
"""

from __future__ import annotations

import time
from typing import Any

import z3

Z = Any


class _Unsupported(Exception):
    pass


class _Reader:
    def __init__(self, ctx: z3.Context, deadline: float) -> None:
        self.ctx, self.deadline = ctx, deadline
        self.facts: list[Z] = []
        self.memo: dict[int, Z] = {}
        self.n = 0

    def fresh(self, hint: str) -> Z:
        self.n += 1
        return z3.Int(f"intread_{hint}{self.n}", self.ctx)

    def wrap(self, e: Z, w: int) -> Z:
        """``e`` modulo 2^w, as a fresh integer in range (exact for any integer ``e``)."""
        if z3.is_int_value(e):
            return z3.IntVal(e.as_long() % (1 << w), self.ctx)
        r, k = self.fresh("r"), self.fresh("k")
        self.facts += [r == e - (1 << w) * k, r >= 0, r < (1 << w)]
        return r

    def signed(self, x: Z, w: int) -> Z:
        return z3.If(x >= (1 << (w - 1)), x - (1 << w), x)

    def boolean(self, t: Z) -> Z:
        """Memoised: conditions are DAGs whose shared paths would unfold exponentially as trees."""
        hit = self.memo.get(t.get_id())
        if hit is None:
            if time.monotonic() > self.deadline:
                raise _Unsupported  # out of time: the other solvers get what is left
            hit = self.memo[t.get_id()] = self._boolean(t)
        return hit

    def _boolean(self, t: Z) -> Z:
        if z3.is_true(t) or z3.is_false(t):
            return t
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            return t
        k, ch = t.decl().kind(), t.children()
        if k == z3.Z3_OP_AND:
            return z3.And([self.boolean(c) for c in ch])
        if k == z3.Z3_OP_OR:
            return z3.Or([self.boolean(c) for c in ch])
        if k == z3.Z3_OP_NOT:
            return z3.Not(self.boolean(ch[0]))
        if k == z3.Z3_OP_IMPLIES:
            return z3.Implies(self.boolean(ch[0]), self.boolean(ch[1]))
        if k == z3.Z3_OP_ITE:
            return z3.If(self.boolean(ch[0]), self.boolean(ch[1]), self.boolean(ch[2]))
        if k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT):
            if z3.is_bool(ch[0]):
                parts = [self.boolean(c) for c in ch]
            elif z3.is_bv(ch[0]):
                parts = [self.term(c) for c in ch]
            else:
                raise _Unsupported
            return parts[0] == parts[1] if k == z3.Z3_OP_EQ and len(parts) == 2 else (
                z3.Distinct(*parts) if k == z3.Z3_OP_DISTINCT else z3.And([parts[0] == p for p in parts[1:]]))
        unsigned = {z3.Z3_OP_ULEQ: lambda a, b: a <= b, z3.Z3_OP_ULT: lambda a, b: a < b,
                    z3.Z3_OP_UGEQ: lambda a, b: a >= b, z3.Z3_OP_UGT: lambda a, b: a > b}
        signed = {z3.Z3_OP_SLEQ: lambda a, b: a <= b, z3.Z3_OP_SLT: lambda a, b: a < b,
                  z3.Z3_OP_SGEQ: lambda a, b: a >= b, z3.Z3_OP_SGT: lambda a, b: a > b}
        if k in unsigned:
            return unsigned[k](self.term(ch[0]), self.term(ch[1]))
        if k in signed:
            w = ch[0].size()
            return signed[k](self.signed(self.term(ch[0]), w), self.signed(self.term(ch[1]), w))
        if k in (z3.Z3_OP_BSMUL_NO_OVFL, z3.Z3_OP_BSMUL_NO_UDFL):
            w = ch[0].size()
            p = self.signed(self.term(ch[0]), w) * self.signed(self.term(ch[1]), w)
            return p <= (1 << (w - 1)) - 1 if k == z3.Z3_OP_BSMUL_NO_OVFL else p >= -(1 << (w - 1))
        if k == z3.Z3_OP_BUMUL_NO_OVFL:
            return self.term(ch[0]) * self.term(ch[1]) < (1 << ch[0].size())
        raise _Unsupported

    def term(self, t: Z) -> Z:
        hit = self.memo.get(t.get_id())
        if hit is None:
            hit = self.memo[t.get_id()] = self._term(t)
        return hit

    def _term(self, t: Z) -> Z:
        w = t.size()
        if z3.is_bv_value(t):
            return z3.IntVal(t.as_long(), self.ctx)
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            x = z3.Int(f"intread_{t.decl().name()}", self.ctx)
            self.facts += [x >= 0, x < (1 << w)]
            return x
        k, ch = t.decl().kind(), t.children()
        if k == z3.Z3_OP_ITE:
            return z3.If(self.boolean(ch[0]), self.term(ch[1]), self.term(ch[2]))
        if k == z3.Z3_OP_BADD:
            return self.wrap(z3.Sum([self.term(c) for c in ch]), w)
        if k == z3.Z3_OP_BSUB:
            return self.wrap(self.term(ch[0]) - self.term(ch[1]), w)
        if k == z3.Z3_OP_BNEG:
            return self.wrap(-self.term(ch[0]), w)
        if k == z3.Z3_OP_BMUL:
            acc = self.term(ch[0])
            for c in ch[1:]:
                acc = self.wrap(acc * self.term(c), w)
            return acc
        if k == z3.Z3_OP_ZERO_EXT:
            return self.term(ch[0])
        if k == z3.Z3_OP_SIGN_EXT:
            v = ch[0].size()
            x = self.term(ch[0])
            return z3.If(x >= (1 << (v - 1)), x + (1 << w) - (1 << v), x)
        if k == z3.Z3_OP_CONCAT:
            acc = self.term(ch[0])
            for c in ch[1:]:
                acc = acc * (1 << c.size()) + self.term(c)
            return acc
        if k == z3.Z3_OP_EXTRACT:
            hi, lo = t.params()
            x = self.term(ch[0])
            shifted = x / (1 << lo) if lo else x  # non-negative: Euclidean division is truncation
            return shifted % (1 << (hi - lo + 1)) if hi - lo + 1 < ch[0].size() - lo else shifted
        if k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I, z3.Z3_OP_BUREM, z3.Z3_OP_BUREM_I) and z3.is_bv_value(ch[1]) \
                and ch[1].as_long() != 0:
            x, m = self.term(ch[0]), ch[1].as_long()
            return x / m if k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I) else x % m
        if k in (z3.Z3_OP_BSREM, z3.Z3_OP_BSREM_I, z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I) and z3.is_bv_value(ch[1]) \
                and ch[1].as_signed_long() not in (0, -1):
            x, m = self.signed(self.term(ch[0]), w), ch[1].as_signed_long()
            q = z3.If(x >= 0, x / abs(m), -((-x) / abs(m)))  # truncation toward zero (C11 6.5.5p6)
            q = q if m > 0 else -q
            r = x - q * m
            return self.wrap(q if k in (z3.Z3_OP_BSDIV, z3.Z3_OP_BSDIV_I) else r, w)
        if k == z3.Z3_OP_BSHL and z3.is_bv_value(ch[1]):
            s = ch[1].as_long()
            return self.wrap(self.term(ch[0]) * (1 << s), w) if s < w else z3.IntVal(0, self.ctx)
        if k == z3.Z3_OP_BLSHR and z3.is_bv_value(ch[1]):
            s = ch[1].as_long()
            return self.term(ch[0]) / (1 << s) if s < w else z3.IntVal(0, self.ctx)
        raise _Unsupported


def integer_reading(goal: Z, deadline: float = float("inf")) -> Z | None:
    """An integer formula satisfiable exactly when ``goal`` (bit-vectors and Booleans) is; None
    when ``goal`` uses an operation this reading does not take, or past ``deadline``."""
    reader = _Reader(goal.ctx, deadline)
    try:
        body = reader.boolean(goal)
    except (_Unsupported, z3.Z3Exception):
        return None
    return z3.And(body, *reader.facts)
