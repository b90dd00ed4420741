"""An exact translation of a bit-vector formula into integer arithmetic.

Why: a 32×32 multiplier inside an unrolled loop makes bit-blasting slow (seconds per query),
while the same question over integers with bounds is answered by Z3's arithmetic solver in
milliseconds. The translation is *exact*, not an abstraction: every bit-vector term ``t`` of
width ``w`` becomes an integer term equal to its signed value, and every operation that can
wrap gets a fresh integer ``R = e - 2^w·K`` with ``R`` kept in the signed range. These side
constraints hold for the true values of every bit-vector assignment, so an ``unsat`` answer
over the integers means ``unsat`` over bit-vectors. Only ``unsat`` is ever used from it; a
model or ``unknown`` sends the query back to the bit-vector solver.

Anything the translation does not know (arrays, functions, bitwise masks, quantifiers…)
makes :func:`to_int` return ``None``: the caller then keeps the bit-vector query.
"""

from __future__ import annotations

from typing import Any

import z3


class _Unsupported(Exception):
    """A construct without an exact integer reading here."""


Interval = tuple[int, int]


_FAILED = object()

# a query this much larger than what was translated before is left to the bit-vector solver:
# translating it would cost more than the integer reading can save (deep unrollings)
MAX_NEW_TERMS = 20000


class _Translator:
    """One per z3 context, kept across queries: the queries of one function share their path
    conditions and loop bodies, so each term is translated once.

    ``memo`` maps a term's id to (integer term, interval, side constraints it needs as a bit
    set over ``side``); ``keep`` holds the terms so that their ids are not reused."""

    def __init__(self, ctx: z3.Context) -> None:
        self.ctx = ctx
        self.side: list[Any] = []
        self.memo: dict[int, Any] = {}
        self.keep: list[Any] = []
        self.fresh = 0
        self.own = 0  # side constraints added by the node being translated
        self.args: list[Any] = []  # children of the node being translated
        self.variables: dict[int, Any] = {}  # id of a bit-vector or Boolean constant -> its integer twin

    # -- helpers -------------------------------------------------------------------------
    def _new(self, prefix: str) -> Any:
        self.fresh += 1
        return z3.Int(f"{prefix}!{self.fresh}", self.ctx)

    @staticmethod
    def _range(w: int) -> Interval:
        return -(1 << (w - 1)), (1 << (w - 1)) - 1

    def _wrap(self, e: Any, iv: Interval, w: int) -> tuple[Any, Interval]:
        """The signed value of ``e`` reduced modulo 2^w, exact."""
        lo, hi = self._range(w)
        if lo <= iv[0] and iv[1] <= hi:
            return e, iv
        m = 1 << w
        r, k = self._new("w"), self._new("k")
        kmin = -((hi - iv[0]) // m)  # ceil((iv0 - hi) / m)
        kmax = (iv[1] - lo) // m
        self._side(r == e - m * k, r >= lo, r <= hi, k >= kmin, k <= kmax)
        return r, (lo, hi)

    def _unsigned(self, e: Any, iv: Interval, w: int) -> tuple[Any, Interval]:
        """The unsigned value of a term given by its signed value."""
        if iv[0] >= 0:
            return e, iv
        m = 1 << w
        if iv[1] < 0:
            return e + m, (iv[0] + m, iv[1] + m)
        return z3.If(e < 0, e + m, e), (0, m - 1)

    def _signed_of_unsigned(self, e: Any, iv: Interval, w: int) -> tuple[Any, Interval]:
        """The signed value of a term given by its unsigned value in [0, 2^w)."""
        half = 1 << (w - 1)
        if iv[1] < half:
            return e, iv
        m = 1 << w
        if iv[0] >= half:
            return e - m, (iv[0] - m, iv[1] - m)
        return z3.If(e >= half, e - m, e), self._range(w)

    def _side(self, *facts: Any) -> None:
        for f in facts:
            self.own |= 1 << len(self.side)
            self.side.append(f)

    # -- translation -----------------------------------------------------------------------
    def term(self, t: Any) -> tuple[Any, Interval | None]:
        hit = self.memo.get(t.get_id())
        if hit is None:
            self._fill(t)
            hit = self.memo[t.get_id()]
        if hit is _FAILED:
            raise _Unsupported("seen before")
        return hit[0], hit[1]

    def needs(self, t: Any) -> list[Any]:
        """The side constraints the translation of ``t`` (already translated) relies on."""
        bits, out, i = self.memo[t.get_id()][2], [], 0
        while bits:
            if bits & 1:
                out.append(self.side[i])
            bits >>= 1
            i += 1
        return out

    def _fill(self, root: Any) -> None:
        """Translate children before parents without recursion: unrolled loops nest deeply.
        (Each node's children are fetched once: that call dominates the translation's cost.)"""
        stack: list[tuple[Any, list[Any] | None]] = [(root, None)]
        budget = MAX_NEW_TERMS
        while stack:
            budget -= 1
            if budget < 0:
                raise _Unsupported("too large to translate quickly")
            t, kids = stack.pop()
            key = t.get_id()
            if key in self.memo:
                continue
            if kids is None and not (z3.is_quantifier(t) or z3.is_var(t)):
                kids = t.children()
                stack.append((t, kids))
                stack.extend((c, None) for c in kids if c.get_id() not in self.memo)
                continue
            self.own = 0
            self.keep.append(t)
            self.args = kids or []
            try:
                e, iv = self._term(t)
            except _Unsupported:
                self.memo[key] = _FAILED
                raise
            bits = self.own
            for c in self.args:
                bits |= self.memo[c.get_id()][2]
            self.memo[key] = (e, iv, bits)

    def bv(self, t: Any) -> tuple[Any, Interval]:
        e, iv = self.term(t)
        assert iv is not None
        return e, iv

    def _term(self, t: Any) -> tuple[Any, Interval | None]:
        if z3.is_quantifier(t) or z3.is_var(t):
            raise _Unsupported("quantifier")
        k = t.decl().kind()
        if z3.is_bool(t):
            return self._bool(t, k), None
        if not z3.is_bv(t):
            raise _Unsupported(t.sort().name())
        w = t.size()
        args = self.args
        if k == z3.Z3_OP_BNUM:
            v = t.as_signed_long()
            return z3.IntVal(v, self.ctx), (v, v)
        if k == z3.Z3_OP_UNINTERPRETED:
            if args:
                raise _Unsupported("function")
            lo, hi = self._range(w)
            v = z3.Int(f"bv!{t.decl().name()}!{w}", self.ctx)
            self.variables[t.get_id()] = v
            self._side(v >= lo, v <= hi)
            return v, (lo, hi)
        if k == z3.Z3_OP_ITE:
            c = self._formula(args[0])
            a, ia = self.bv(args[1])
            b, ib = self.bv(args[2])
            return z3.If(c, a, b), (min(ia[0], ib[0]), max(ia[1], ib[1]))
        if k == z3.Z3_OP_BADD:
            e, lo, hi = None, 0, 0
            for x in args:
                xe, xi = self.bv(x)
                e = xe if e is None else e + xe
                lo, hi = lo + xi[0], hi + xi[1]
                e, (lo, hi) = self._wrap(e, (lo, hi), w)
            return e, (lo, hi)
        if k == z3.Z3_OP_BSUB:
            a, ia = self.bv(args[0])
            b, ib = self.bv(args[1])
            return self._wrap(a - b, (ia[0] - ib[1], ia[1] - ib[0]), w)
        if k == z3.Z3_OP_BNEG:
            a, ia = self.bv(args[0])
            return self._wrap(-a, (-ia[1], -ia[0]), w)
        if k == z3.Z3_OP_BNOT:
            a, ia = self.bv(args[0])
            return -a - 1, (-ia[1] - 1, -ia[0] - 1)
        if k == z3.Z3_OP_BMUL:
            e, iv = self.bv(args[0])
            for x in args[1:]:
                xe, xi = self.bv(x)
                corners = [iv[0] * xi[0], iv[0] * xi[1], iv[1] * xi[0], iv[1] * xi[1]]
                e, iv = self._wrap(e * xe, (min(corners), max(corners)), w)
            return e, iv
        if k == z3.Z3_OP_SIGN_EXT:
            return self.bv(args[0])
        if k == z3.Z3_OP_ZERO_EXT:
            a, ia = self.bv(args[0])
            return self._unsigned(a, ia, args[0].size())
        if k == z3.Z3_OP_EXTRACT:
            hi_bit, lo_bit = t.params()
            if lo_bit != 0:
                raise _Unsupported("extract")
            a, ia = self.bv(args[0])
            return self._wrap(a, ia, w)
        if k in (z3.Z3_OP_BSDIV, z3.Z3_OP_BSREM):
            return self._sdiv(args, w, k == z3.Z3_OP_BSDIV)
        if k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUREM):
            return self._udiv(args, w, k == z3.Z3_OP_BUDIV)
        if k in (z3.Z3_OP_BSHL, z3.Z3_OP_BASHR, z3.Z3_OP_BLSHR) and z3.is_bv_value(args[1]):
            n = args[1].as_long()
            if n >= w:
                raise _Unsupported("shift")
            a, ia = self.bv(args[0])
            if k == z3.Z3_OP_BSHL:
                return self._wrap(a * (1 << n), (ia[0] << n, ia[1] << n), w)
            if k == z3.Z3_OP_BASHR:
                return a / (1 << n) if n else a, (ia[0] >> n, ia[1] >> n)  # Euclid = floor for d > 0
            u, iu = self._unsigned(a, ia, w)
            return self._signed_of_unsigned(u / (1 << n) if n else u, (iu[0] >> n, iu[1] >> n), w)
        raise _Unsupported(t.decl().name())

    def _sdiv(self, args: list[Any], w: int, quotient: bool) -> tuple[Any, Interval]:
        a, ia = self.bv(args[0])
        b, ib = self.bv(args[1])
        q, r = self._new("q"), self._new("r")
        lo, hi = self._range(w)
        absb = z3.If(b >= 0, b, -b)
        nonzero = z3.And(a == q * b + r, z3.If(a >= 0, z3.And(r >= 0, r < absb), z3.And(r <= 0, -r < absb)))
        # SMT-LIB: bvsdiv by 0 is -1 for a >= 0 and 1 for a < 0; bvsrem by 0 is a
        zero = z3.And(q == z3.If(a >= 0, -1, 1), r == a)
        self._side(z3.If(b == 0, zero, nonzero))
        if quotient:
            # INT_MIN / -1 wraps back to INT_MIN
            return self._wrap(q, (lo, hi + 1), w)
        return r, (lo, hi)

    def _udiv(self, args: list[Any], w: int, quotient: bool) -> tuple[Any, Interval]:
        a, ia = self._unsigned(*self.bv(args[0]), w)
        b, ib = self._unsigned(*self.bv(args[1]), w)
        q, r = self._new("q"), self._new("r")
        m = (1 << w) - 1
        # SMT-LIB: bvudiv by 0 is all ones, bvurem by 0 is a
        self._side(z3.If(b == 0, z3.And(q == m, r == a), z3.And(a == q * b + r, r >= 0, r < b)),
                   q >= 0, q <= m, r >= 0, r <= m)
        return self._signed_of_unsigned(q if quotient else r, (0, m), w)

    def _formula(self, t: Any) -> Any:
        e, _ = self.term(t)
        return e

    def _bool(self, t: Any, k: int) -> Any:
        args = self.args
        if k == z3.Z3_OP_TRUE:
            return z3.BoolVal(True, self.ctx)
        if k == z3.Z3_OP_FALSE:
            return z3.BoolVal(False, self.ctx)
        if k == z3.Z3_OP_UNINTERPRETED and not args:
            b = z3.Bool(f"b!{t.decl().name()}", self.ctx)
            self.variables[t.get_id()] = b
            return b
        if k == z3.Z3_OP_AND:
            return z3.And(*[self._formula(a) for a in args])
        if k == z3.Z3_OP_OR:
            return z3.Or(*[self._formula(a) for a in args])
        if k == z3.Z3_OP_NOT:
            return z3.Not(self._formula(args[0]))
        if k == z3.Z3_OP_IMPLIES:
            return z3.Implies(self._formula(args[0]), self._formula(args[1]))
        if k == z3.Z3_OP_XOR:
            return z3.Xor(self._formula(args[0]), self._formula(args[1]))
        if k == z3.Z3_OP_ITE:
            return z3.If(self._formula(args[0]), self._formula(args[1]), self._formula(args[2]))
        if k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT):
            if z3.is_bool(args[0]):
                xs = [self._formula(a) for a in args]
            elif z3.is_bv(args[0]):
                xs = [self.bv(a)[0] for a in args]
            else:
                raise _Unsupported(args[0].sort().name())
            return z3.Distinct(*xs) if k == z3.Z3_OP_DISTINCT else z3.And(
                *[xs[0] == x for x in xs[1:]]) if len(xs) > 2 else xs[0] == xs[1]
        signed = {z3.Z3_OP_SLT: "<", z3.Z3_OP_SLEQ: "<=", z3.Z3_OP_SGT: ">", z3.Z3_OP_SGEQ: ">="}
        unsigned = {z3.Z3_OP_ULT: "<", z3.Z3_OP_ULEQ: "<=", z3.Z3_OP_UGT: ">", z3.Z3_OP_UGEQ: ">="}
        if k in signed or k in unsigned:
            a, ia = self.bv(args[0])
            b, ib = self.bv(args[1])
            if k in unsigned:
                w = args[0].size()
                a, _ = self._unsigned(a, ia, w)
                b, _ = self._unsigned(b, ib, w)
            op = (signed | unsigned)[k]
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        if k in (z3.Z3_OP_BSMUL_NO_OVFL, z3.Z3_OP_BSMUL_NO_UDFL, z3.Z3_OP_BUMUL_NO_OVFL):
            w = args[0].size()
            a, ia = self.bv(args[0])
            b, ib = self.bv(args[1])
            if k == z3.Z3_OP_BUMUL_NO_OVFL:
                a, _ = self._unsigned(a, ia, w)
                b, _ = self._unsigned(b, ib, w)
                return a * b <= (1 << w) - 1
            lo, hi = self._range(w)
            return a * b <= hi if k == z3.Z3_OP_BSMUL_NO_OVFL else a * b >= lo
        raise _Unsupported(t.decl().name())


_TRANSLATOR = "_prooflens_bv2int"
_HEAVY = "_prooflens_heavy_arithmetic"


def mark_heavy(ctx: z3.Context) -> None:
    """Note that terms of ``ctx`` multiply two variables or divide: bit-blasting them is slow,
    so :func:`unsat_over_integers` is worth asking first."""
    setattr(ctx, _HEAVY, True)


def to_int(formula: Any) -> Any | None:
    """The integer formula equisatisfiable with ``formula``, or ``None`` when some construct
    has no exact reading here."""
    ctx = formula.ctx
    tr = getattr(ctx, _TRANSLATOR, None)
    if tr is None:
        tr = _Translator(ctx)
        setattr(ctx, _TRANSLATOR, tr)
    try:
        main = tr._formula(formula)
        return z3.And(main, *tr.needs(formula))
    except _Unsupported:
        return None
    except Exception:  # noqa: BLE001 - z3 or ctypes trouble: the bit-vector query still stands
        return None


def unsat_over_integers(formula: Any, timeout_s: float) -> bool:
    """Is ``formula`` (bit-vectors) shown unsatisfiable by its integer reading within ``timeout_s``?

    ``False`` means "not shown": the caller asks the bit-vector solver as before. Only contexts
    marked by :func:`mark_heavy` are tried: elsewhere bit-blasting is fast already."""
    if not getattr(formula.ctx, _HEAVY, False):
        return False
    return _check_integers(formula, timeout_s)[0] == z3.unsat


def _check_integers(formula: Any, timeout_s: float) -> tuple[Any, Any]:
    """(z3 answer, model or None) for the integer reading; ``unknown`` when there is none."""
    encoded = to_int(formula)
    if encoded is None:
        return z3.unknown, None
    # bounds and definitions first (solve-eqs removes the wrap-around variables), then arithmetic
    s = z3.Then("simplify", "propagate-values", "solve-eqs", "propagate-ineqs", "smt", ctx=formula.ctx).solver()
    s.set("timeout", max(1, int(timeout_s * 1000)))
    s.add(encoded)
    try:
        answer = s.check()
        return answer, s.model() if answer == z3.sat else None
    except z3.Z3Exception:
        return z3.unknown, None


def integer_model(formula: Any, timeout_s: float) -> list[Any] | None:
    """Equalities pinning every constant of ``formula`` to a satisfying value, found over the
    integers; None if none was found in time. The translation is exact, so the values satisfy
    the bit-vector formula too (callers still solve the pinned formula, which is immediate)."""
    _, m = _check_integers(formula, timeout_s)
    if m is None:
        return None
    tr = getattr(formula.ctx, _TRANSLATOR)
    pins = []
    for c in constants_of(formula):
        twin = tr.variables.get(c.get_id())
        if twin is None:
            continue
        v = m.eval(twin, model_completion=True)
        if z3.is_bv(c):
            pins.append(c == z3.BitVecVal(v.as_long() % (1 << c.size()), c.size(), formula.ctx))
        else:
            pins.append(c == v)
    return pins


def constants_of(f: Any) -> list[Any]:
    """The uninterpreted constants of ``f``."""
    seen: set[int] = set()
    out: list[Any] = []
    todo = [f]
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.append(t)
        elif z3.is_app(t):
            todo.extend(t.children())
    return out
