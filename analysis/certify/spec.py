"""ACSL expressions (lowered to C syntax) over mathematical integers, and invariant terms.

ACSL arithmetic does not overflow: each C variable is read as the integer its bits denote
(signed or not, per its type) and every operation is computed exactly (see :class:`Num`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, IntType

from .cdecl import Program, Unsupported, int_constant

# a comparison, signed and unsigned
CMP = {"==": (operator.eq,) * 2, "!=": (operator.ne,) * 2, "<": (operator.lt, z3.ULT), "<=": (operator.le, z3.ULE),
       ">": (operator.gt, z3.UGT), ">=": (operator.ge, z3.UGE)}
Lookup = Callable[[str], tuple[Any, CType] | None]  # name -> (z3 value, type)
Z = Any  # a z3 term
# what reads memory in a spec (\\valid, *p, p[i], p == \\null): the memory model's, or None
MemoryHook = Callable[["SpecEval", c_ast.Node, Lookup], "Z | Num | None"]
_MEMORY_FORMS = (c_ast.FuncCall, c_ast.UnaryOp, c_ast.ArrayRef, c_ast.BinaryOp)


class Num:
    """A mathematical integer as a signed bit-vector wide enough for every value in [lo, hi]."""

    def __init__(self, bv: Z, lo: int, hi: int) -> None:
        self.bv, self.lo, self.hi = bv, lo, hi

    def at(self, w: int) -> Z:
        """The same integer in ``w`` bits (exact as long as ``w >= width(lo, hi)``)."""
        n = self.bv.size()
        return z3.SignExt(w - n, self.bv) if w > n else z3.Extract(w - 1, 0, self.bv) if w < n else self.bv


def width(lo: int, hi: int) -> int:
    """Fewest bits of a two's complement vector holding every integer in [lo, hi]."""
    return max((~x if x < 0 else x).bit_length() for x in (lo, hi)) + 1


def of_c(bv: Z, t: IntType) -> Num:
    """The integer a C value denotes (an unsigned value gets a zero sign bit)."""
    return Num(bv if t.signed else z3.ZeroExt(1, bv), t.min, t.max)


class SpecEval:
    """Evaluates one spec expression; ``old`` reads names in the function's pre-state.

    ACSL integers are unbounded; every subterm's range is known from the C types, so each is
    computed exactly in a bit-vector just wide enough (z3 is much faster on these than on Int)."""

    def __init__(self, prog: Program, ctx: z3.Context, now: Lookup, old: Lookup | None = None,
                 result: Num | None = None, memory: MemoryHook | None = None) -> None:
        self.prog, self.ctx, self.now, self.old, self.result = prog, ctx, now, old, result
        self.memory = memory

    def pred(self, e: c_ast.Node) -> Z:
        return self.boolean(self.ev(e, self.now))

    def boolean(self, x: Z | Num) -> Z:
        return x.bv != z3.BitVecVal(0, x.bv.size(), self.ctx) if isinstance(x, Num) else x

    def num(self, x: Z | Num) -> Num:
        return x if isinstance(x, Num) else Num(z3.If(x, z3.BitVecVal(1, 2, self.ctx), z3.BitVecVal(0, 2, self.ctx)), 0, 1)

    def const(self, v: int) -> Num:
        return Num(z3.BitVecVal(v, width(v, v), self.ctx), v, v)

    def ev(self, e: c_ast.Node, env: Lookup) -> Z | Num:
        if self.memory is not None and isinstance(e, _MEMORY_FORMS):
            got = self.memory(self, e, env)
            if got is not None:
                return got
        if isinstance(e, c_ast.Constant):
            return self.const(int_constant(e, self.prog.model)[0])
        if isinstance(e, c_ast.ID):
            if e.name == "__pl_result":
                if self.result is None:
                    raise Unsupported("\\result here", e)
                return self.result
            found = env(e.name)
            if found is not None and isinstance(found[1], IntType):
                return of_c(found[0], found[1])
            if found is None and e.name in self.prog.enums:
                return self.const(self.prog.enums[e.name])
            raise Unsupported(f"name {e.name} in annotation", e)
        if isinstance(e, c_ast.ArrayRef):
            return self._index(e, env)
        if isinstance(e, c_ast.UnaryOp):
            if e.op == "!":
                return z3.Not(self.boolean(self.ev(e.expr, env)))
            if e.op in ("-", "+"):
                v = self.num(self.ev(e.expr, env))
                return v if e.op == "+" else Num(-v.at(width(-v.hi, -v.lo)), -v.hi, -v.lo)
            raise Unsupported(f"operator {e.op} in annotation", e)
        if isinstance(e, c_ast.BinaryOp):
            return self._binary(e, env)
        if isinstance(e, c_ast.TernaryOp):
            c = self.boolean(self.ev(e.cond, env))
            a, b = self.ev(e.iftrue, env), self.ev(e.iffalse, env)
            if not isinstance(a, Num) and not isinstance(b, Num):
                return z3.If(c, a, b)
            x, y = self.num(a), self.num(b)
            lo, hi = min(x.lo, y.lo), max(x.hi, y.hi)
            w = width(lo, hi)
            return Num(z3.If(c, x.at(w), y.at(w)), lo, hi)
        if isinstance(e, c_ast.Cast):
            t = self.prog.resolve(e.to_type)
            if not isinstance(t, IntType):
                raise Unsupported("cast in annotation", e)
            v = self.num(self.ev(e.expr, env))
            return self.num(self.boolean(v)) if t.is_bool else \
                of_c(z3.Extract(t.bits - 1, 0, v.at(max(t.bits, width(v.lo, v.hi)))), t)
        if isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID):
            args = e.args.exprs if e.args else []
            if e.name.name == "__pl_old" and len(args) == 1:
                if self.old is None:
                    raise Unsupported("\\old here", e)
                return self.ev(args[0], self.old)
            if e.name.name in ("__pl_implies", "__pl_iff") and len(args) == 2:
                a, b = (self.boolean(self.ev(x, env)) for x in args)
                return z3.Implies(a, b) if e.name.name == "__pl_implies" else a == b
        raise Unsupported(f"{type(e).__name__} in annotation", e)

    def _binary(self, e: c_ast.BinaryOp, env: Lookup) -> Z | Num:
        op = e.op
        a, b = self.ev(e.left, env), self.ev(e.right, env)
        if op in ("&&", "||"):
            x, y = self.boolean(a), self.boolean(b)
            return z3.And(x, y) if op == "&&" else z3.Or(x, y)
        p, q = self.num(a), self.num(b)
        if op in ("+", "-", "*"):  # each is monotone in each operand: its range is among the corners
            f = {"+": operator.add, "-": operator.sub, "*": operator.mul}[op]
            corners = [f(a, b) for a in (p.lo, p.hi) for b in (q.lo, q.hi)]
            w = max(width(min(corners), max(corners)), p.bv.size(), q.bv.size())
            return Num(f(p.at(w), q.at(w)), min(corners), max(corners))
        if op in ("/", "%"):  # truncation toward zero, like C (bvsdiv/bvsrem)
            m = max(abs(p.lo), abs(p.hi), abs(q.lo), abs(q.hi))
            w = width(-m, m)
            x, y = p.at(w), q.at(w)
            return Num(x / y if op == "/" else z3.SRem(x, y), -m, m)
        if op not in CMP:
            raise Unsupported(f"operator {op} in annotation", e)
        w = max(p.bv.size(), q.bv.size())
        return CMP[op][0](p.at(w), q.at(w))

    def _index(self, e: c_ast.ArrayRef, env: Lookup) -> Num:
        idx: list[Num] = []
        base: c_ast.Node = e
        while isinstance(base, c_ast.ArrayRef):
            idx, base = [self.num(self.ev(base.subscript, env)), *idx], base.name
        found = env(base.name) if isinstance(base, c_ast.ID) else None
        if found is None or not isinstance(found[1], ArrayType):
            raise Unsupported("subscript in annotation", e)
        t: CType = found[1]
        flat = z3.BitVecVal(0, 64, self.ctx)
        for i in idx:  # an index outside the array reads an arbitrary (but fixed) element
            if not isinstance(t, ArrayType) or t.size is None:
                raise Unsupported("subscript in annotation", e)
            flat = flat * z3.BitVecVal(t.size, 64, self.ctx) + i.at(64)
            t = t.elem
        if not isinstance(t, IntType):
            raise Unsupported("array value in annotation", e)
        return of_c(z3.Select(found[0], flat), t)


def parse_invariant(text: str, symbols: dict[str, Any], ctx: z3.Context) -> Any:
    """An SMT-LIB2 Boolean term over ``symbols`` only (anything else raises ValueError)."""
    try:
        got = z3.parse_smt2_string(f"(assert {text})", decls=symbols, ctx=ctx)
    except z3.Z3Exception as e:
        raise ValueError(f"invariant does not parse: {e}") from e
    if len(got) != 1 or not z3.is_bool(got[0]):
        raise ValueError("invariant is not one Boolean term")
    allowed, todo, seen = {s.decl() for s in symbols.values()}, [got[0]], set()
    while todo:  # (a command in the text may have declared a symbol of its own)
        t = todo.pop()
        if t.get_id() not in seen:
            seen.add(t.get_id())
            if z3.is_app(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED and t.decl() not in allowed:
                raise ValueError(f"invariant uses unknown symbol {t.decl().name()}")
            todo.extend(t.children() if z3.is_app(t) or z3.is_quantifier(t) else [])
    return got[0]
