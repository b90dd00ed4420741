"""Pointers, objects and the heap: the checker's own encoding of issue 11's memory checks.

A pointer is one bit-vector, object number (32 bits) ++ byte offset (64 bits); object 0 is NULL.
Memory is one byte array indexed by such addresses (``$mem``), so ``char`` views, ``memcpy`` and
``memset`` need no typed regions; ``$size`` and ``$live`` give each object's size and liveness,
and the fixed array ``kind`` says what an object is: 1 a heap block, 0 a parameter's object, the
frame's tag (>= 2) one of its locals. Objects are numbered from ``$next``, so a block allocated in
a loop body is distinct from every object that existed before. The offset of an access is
computed exactly at 128 bits: an index that wraps the 64-bit offset cannot pass a bounds check.
Memory holds integers only: a pointer stored in memory, like anything else not understood, is
rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import z3
from pycparser import c_ast, c_parser

from analysis.ctypes import ArrayType, CType, IntType, PointerType, StructType, VoidType, may_alias

from .cdecl import Pos, Unsupported, int_constant, leaf, pos_of, string_bytes
from .spec import CMP, Num, SpecEval, of_c
from .vcgen import _BUILTINS, Executor, Frame, Reader, State, Var, _call_name, nodes, obj, off

Z = Any
WIDE = 128
VOIDP = PointerType(VoidType())
_INCDEC = ("++", "--", "p++", "p--")
LITERAL_KIND = 0xFFFFFFFF  # the kind of a string literal's object (frames are 2, 3, ...; the heap 1)
# the modelled library: "p" a pointer argument (0 is NULL), "i" an integer
_LIBRARY = {"malloc": "i", "calloc": "ii", "free": "p", "memcpy": "ppi", "memset": "pii", "strlen": "p",
            "realloc": "pi", "memmove": "ppi", "memcmp": "ppi", "strcmp": "pp", "strncmp": "ppi", "strchr": "pi",
            "strcpy": "pp", "strncpy": "ppi"}
# <ctype.h> in the "C" locale: each class as pairs of bounds (128..255 and EOF in none); case maps
_CLASSES = {"isdigit": "09", "isalpha": "AZaz", "isalnum": "09AZaz", "isspace": "\t\r  ", "isupper": "AZ",
            "islower": "az", "isxdigit": "09AFaf", "ispunct": "!/:@[`{~", "isprint": " ~", "iscntrl": "\0\x1f\x7f\x7f",
            "isgraph": "!~", "isblank": "\t\t  ", "toupper": "az", "tolower": "AZ"}
_LIBRARY.update(dict.fromkeys(_CLASSES, "i"))
_ABS = {"abs": ["int"], "labs": ["long"], "llabs": ["long", "long"], "__builtin_abs": ["int"],
        "__builtin_labs": ["long"], "__builtin_llabs": ["long", "long"], "imaxabs": ["long", "long"]}
_LIBRARY.update(dict.fromkeys(_ABS, "i"))
_UNMODELLED: set[str] = set()  # library functions with no model here (prototype or not)
# what a call may change: contents, liveness, the next object number (a function body: all three)
_CHANGES = {"malloc": ("$next",), "calloc": ("$next", "$mem"), "free": ("$live",), "memcpy": ("$mem",),
            "memset": ("$mem",), "realloc": ("$next", "$mem", "$live"), "memmove": ("$mem",), "strcpy": ("$mem",),
            "strncpy": ("$mem",)}
_FORM = re.compile(r"(\\valid_read|\\valid|valid_read_string)\s*\(\s*([A-Za-z_]\w*)\s*(?:\+\s*\((.*)\.\.(.*)\))?\s*\)")
_SEPARATED = re.compile(r"\\separated\s*\(([^,]*),([^,]*)\)")
# two pointers into different objects (when neither is NULL): what C's aliasing rules leave open
_BASES = re.compile(r"(\w+) == \\null \|\| (\w+) == \\null \|\| \\base_addr\((\w+)\) != \\base_addr\((\w+)\)")
# a parameter apart from a global (the checker's parameters never point to its globals: true here)
_APART = re.compile(r"(\w+) == \\null \|\| \\base_addr\((\w+)\) != \\base_addr\(&(\w+)\)")
_LOCATION = re.compile(r"([A-Za-z_]\w*)\s*(?:\+\s*\((.*)\.\.(.*)\))?")
_PARSER: list[c_parser.CParser] = []


def wide(x: Z, signed: bool = False) -> Z:
    return (z3.SignExt if signed else z3.ZeroExt)(WIDE - x.size(), x)


def at(o: Z, woff: Z) -> Z:
    """The pointer to object ``o`` at the exact offset ``woff``."""
    return z3.Concat(o, z3.Extract(63, 0, woff))


@dataclass
class Cell(Var):
    """An lvalue in memory: its object, exact offset, and the dereference (node, pointer) that
    reached it, whose checks an access makes (None: a variable's own storage)."""

    obj: Z = None
    woff: Z = None
    deref: tuple[c_ast.Node, Z] | None = None


class Memory(Executor):
    def __init__(self, *args: Any, requires: list[str] | tuple[str, ...] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.requires = list(requires)
        self.site: Pos | None = None  # the top function's call being inlined
        self.uses_of: dict[str, tuple[set[str], set[str]]] = {}
        self.kind = z3.Array("kind", z3.BitVecSort(32, self.ctx), z3.BitVecSort(32, self.ctx))
        self.null = z3.BitVecVal(0, 96, self.ctx)
        self.statics: list[Var] = []  # the top function's static pointers (they outlive the call)

    def mcheck(self, st: State, cid: str, node: c_ast.Node, ok: Z, what: str) -> None:
        """A memory check; inside an inlined callee it is the outermost call's in the top function."""
        self.check(st, cid, self.site or pos_of(node), ok, what)

    def inside(self, st: State, o: Z, lo: Z, hi: Z) -> Z:
        return z3.And(lo >= 0, lo <= hi, hi <= wide(z3.Select(st.env["$size"], o)))

    def tag(self, fr: Frame) -> Z:
        return z3.BitVecVal(int(fr.ret_key[4:] or 0) + 2, 32, self.ctx)

    # -- entry: parameters' objects and the certificate's requires ------------------------------
    def entry(self, st: State, fr: Frame) -> None:
        s32, s96 = z3.BitVecSort(32, self.ctx), z3.BitVecSort(96, self.ctx)
        st.env.update({"$mem": z3.Array("mem", s96, z3.BitVecSort(8, self.ctx)),
                       "$size": z3.Array("size", s32, z3.BitVecSort(64, self.ctx)),
                       "$live": z3.Array("live", s32, z3.BoolSort(self.ctx)),
                       # the blocks allocated at the certified leak check's call (none else)
                       "$mine": z3.K(s32, z3.BoolVal(False, self.ctx))})
        slots: list[tuple[Z, CType]] = []
        for var in fr.scopes[-1].values():  # each may be NULL or point into an object of its own, or
            if not isinstance(var.ctype, PointerType):  # into a same-pointee-type parameter's
                continue
            if not isinstance(var.ctype.target, IntType | StructType):
                raise Unsupported(f"pointer parameter to {var.ctype.target.describe()}")
            p, slot = st.env[var.key], z3.BitVecVal(len(slots) + 1, 32, self.ctx)
            slots.append((slot, var.ctype.target))
            # (C lets a char * or a pointer to a struct's member type reach the same object: 6.5p7)
            same = z3.Or([obj(p) == s for s, t in slots if t == var.ctype.target or may_alias(t, var.ctype.target)])
            fits = z3.ULE(off(p), z3.Select(st.env["$size"], obj(p)))
            biggest = (1 << (self.m.size_t.bits - 1)) - 1  # no object is larger than PTRDIFF_MAX bytes
            st.assume(z3.And(z3.Or(p == self.null, z3.And(same, fits)), z3.ULT(self.kind[slot], 2),
                             z3.ULE(z3.Select(st.env["$size"], slot), biggest)))
        st.env["$next"] = z3.BitVecVal(len(slots) + 1, 32, self.ctx)
        if self.requires and fr.contract is not None and fr.contract.requires:
            raise Unsupported("an inferred precondition beside the written one (which replaces it)")
        for text in self.requires:
            atoms = [text] if _BASES.fullmatch(text) or _APART.fullmatch(text) else text.split("&&")
            st.assume(z3.And([self.require(atom.strip(), st, fr) for atom in atoms]))

    def require(self, text: str, st: State, fr: Frame) -> Z:
        apart = _APART.fullmatch(text)
        if apart is not None and apart[1] == apart[2] and apart[3] in self.prog.globals:
            return z3.BoolVal(True, self.ctx)
        bases = _BASES.fullmatch(text)
        if bases is not None and {bases[1], bases[2]} == {bases[3], bases[4]}:
            ptrs = [fr.scopes[-1].get(name) for name in (bases[1], bases[2])]
            if any(v is None or not isinstance(v.ctype, PointerType) for v in ptrs):
                raise Unsupported(f"requires {text!r}")
            a, b = (st.env[v.key] for v in ptrs if v is not None)
            return z3.Or(a == self.null, b == self.null, obj(a) != obj(b))
        sep = _SEPARATED.fullmatch(text)
        if sep is not None:  # \separated(p, q) or \separated(p + (lo .. hi), q + (lo .. hi))
            locs = []
            for arg in (sep[1], sep[2]):
                m = _LOCATION.fullmatch(arg.strip())
                var = fr.scopes[-1].get(m[1]) if m else None
                if m is None or var is None or not isinstance(var.ctype, PointerType):
                    raise Unsupported(f"requires {text!r}")
                p = st.env[var.key]
                span = None if m[2] is None else (self.c_num(m[2], st, fr), self.c_num(m[3], st, fr))
                locs.append((obj(p), wide(off(p)), var.ctype.target, span))
            return self.separated(locs)
        m = _FORM.fullmatch(text)
        var = fr.scopes[-1].get(m[2]) if m else None
        if m is None or var is None or not isinstance(var.ctype, PointerType) or \
                (m[1] == "valid_read_string" and m[3] is not None):
            raise Unsupported(f"requires {text!r}")
        p = st.env[var.key]
        if m[1] == "valid_read_string":
            live = z3.Select(st.env["$live"], obj(p))
            return z3.And(obj(p) != 0, live, self.nul_at(st, p, self.fresh("k", IntType("long", False, 64))))
        if m[3] is None:
            return self.valid(st, obj(p), wide(off(p)), var.ctype.target, None)
        lo, hi = (self.c_num(x, st, fr) for x in (m[3], m[4]))
        return self.valid(st, obj(p), wide(off(p)), var.ctype.target, (lo, hi))

    def valid(self, st: State, o: Z, woff: Z, t: CType, span: tuple[Num, Num] | None) -> Z:
        """``\\valid(p)`` or ``\\valid(p + (lo .. hi))`` (elements of type ``t``): inside a live
        object; an empty range is valid."""
        start, end, empty = self.byte_range(woff, t, span)
        return z3.Or(empty, z3.And(o != 0, z3.Select(st.env["$live"], o), self.inside(st, o, start, end)))

    def byte_range(self, woff: Z, t: CType, span: tuple[Num, Num] | None) -> tuple[Z, Z, Z]:
        """The bytes [start, end) of ``p`` or ``p + (lo .. hi)``, and when the range is empty."""
        w = self.prog.size(t)
        if span is None:
            return woff, woff + w, z3.BoolVal(False, self.ctx)
        if any(n.bv.size() > WIDE - 40 for n in span):
            raise Unsupported("range bound too wide")
        lo, hi = (n.at(WIDE) for n in span)
        return woff + lo * w, woff + (hi + 1) * w, lo > hi

    # -- specs that read memory: \valid, *p, p[i], p == \null -------------------------------------
    def spec_memory(self) -> Any:
        return self.spec_reads

    def spec_reads(self, ev: SpecEval, e: c_ast.Node, env: Any) -> Z | Num | None:
        """What the plain spec evaluator does not know: memory, read in the state ``env`` names
        (None: not a memory form, the evaluator goes on)."""
        st = getattr(env, "state", None)
        if st is None or "$mem" not in st.env:
            return None
        if isinstance(e, c_ast.FuncCall) and _call_name(e) in ("__pl_valid", "__pl_valid_read") and e.args and len(e.args.exprs) == 1:
            o, woff, t, span = self.spec_location(ev, e.args.exprs[0], env)
            return self.valid(st, o, woff, t, span)
        if isinstance(e, c_ast.FuncCall) and _call_name(e) == "__pl_separated" and e.args and len(e.args.exprs) >= 2:
            return self.separated([self.spec_location(ev, a, env) for a in e.args.exprs])
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            return self.spec_load(st, *self.spec_pointer(ev, e.expr, env), e)
        if isinstance(e, c_ast.BinaryOp) and e.op in ("==", "!=") and \
                all(_call_name(x) == "__pl_base_addr" and x.args and len(x.args.exprs) == 1 for x in (e.left, e.right)):
            same = self.spec_pointer(ev, e.left.args.exprs[0], env)[0] == \
                self.spec_pointer(ev, e.right.args.exprs[0], env)[0]  # (the objects: \base_addr's offset is 0)
            return same if e.op == "==" else z3.Not(same)
        if isinstance(e, c_ast.ArrayRef) and self.names_pointer(e.name, env):
            o, woff, t = self.spec_pointer(ev, e.name, env)
            return self.spec_load(st, o, woff + self.spec_count(ev, e.subscript, env) * self.prog.size(t, e), t, e)
        if isinstance(e, c_ast.BinaryOp) and e.op in ("==", "!=") and \
                (self.names_pointer(e.left, env) or self.names_pointer(e.right, env)):
            ptr, other = (e.left, e.right) if self.names_pointer(e.left, env) else (e.right, e.left)
            if not (isinstance(other, c_ast.Constant) and int_constant(other, self.prog.model)[0] == 0):
                raise Unsupported("pointer comparison in annotation", e)
            found = env(ptr.name)
            is_null = found[0] == self.null
            return is_null if e.op == "==" else z3.Not(is_null)
        return None

    def spec_location(self, ev: SpecEval, arg: c_ast.Node, env: Any) -> tuple[Z, Z, CType, tuple[Num, Num] | None]:
        """``p`` or ``p + (lo .. hi)``: object, exact byte offset, pointee, and the range if any."""
        span = None
        if isinstance(arg, c_ast.BinaryOp) and arg.op == "+" and _call_name(arg.right) == "__pl_range":
            bounds = arg.right.args.exprs if arg.right.args else []
            if len(bounds) != 2:
                raise Unsupported("range", arg)
            span, arg = (ev.num(ev.ev(bounds[0], env)), ev.num(ev.ev(bounds[1], env))), arg.left
        return (*self.spec_pointer(ev, arg, env), span)

    def separated(self, locs: list[tuple[Z, Z, CType, tuple[Num, Num] | None]]) -> Z:
        """No two locations share a byte (different objects, or byte ranges apart, or one empty)."""
        ranges = [(o, *self.byte_range(woff, t, span)) for o, woff, t, span in locs]
        return z3.And([z3.Or(e1, e2, o1 != o2, end1 <= start2, end2 <= start1)
                       for i, (o1, start1, end1, e1) in enumerate(ranges) for o2, start2, end2, e2 in ranges[i + 1:]])

    @staticmethod
    def names_pointer(e: c_ast.Node, env: Any) -> bool:
        found = env(e.name) if isinstance(e, c_ast.ID) else None
        return found is not None and isinstance(found[1], PointerType)

    def spec_count(self, ev: SpecEval, e: c_ast.Node, env: Any) -> Z:
        n = ev.num(ev.ev(e, env))
        if n.bv.size() > WIDE - 40:
            raise Unsupported("index too wide", e)
        return n.at(WIDE)

    def spec_pointer(self, ev: SpecEval, e: c_ast.Node, env: Any) -> tuple[Z, Z, CType]:
        """A pointer in a spec: a pointer name, plus or minus an integer (object, exact offset, pointee)."""
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-") and self.names_pointer(e.left, env):
            o, woff, t = self.spec_pointer(ev, e.left, env)
            k = self.spec_count(ev, e.right, env) * self.prog.size(t, e)
            return o, woff + k if e.op == "+" else woff - k, t
        if not self.names_pointer(e, env):
            raise Unsupported("pointer expression in annotation", e)
        p, t = env(e.name)
        return obj(p), wide(off(p)), t.target

    def spec_load(self, st: State, o: Z, woff: Z, t: CType, e: c_ast.Node) -> Num:
        """The integer of type ``t`` at that place (ACSL: whatever the bytes hold; no check)."""
        if not isinstance(t, IntType):
            raise Unsupported(f"{t.describe()} read in annotation", e)
        return of_c(self.bits_at(st, o, woff, t), t)

    def bits_at(self, st: State, o: Z, woff: Z, t: IntType) -> Z:
        p = at(o, woff)
        got = [z3.Select(st.env["$mem"], p + k) for k in range(max(1, t.bits // 8))]
        v = z3.Concat(*reversed(got)) if len(got) > 1 else got[0]  # little-endian
        return z3.Extract(0, 0, v) if t.is_bool else v

    def reader(self, st: State, fr: Frame) -> Reader:
        """A spec also names the locals that live in memory (their address was taken)."""
        plain = super().reader(st, fr)

        def read(name: str) -> tuple[Any, CType] | None:
            v = fr.lookup(name)
            if isinstance(v, Cell) and v.deref is None and isinstance(v.ctype, IntType) and "$mem" in st.env:
                return self.bits_at(st, v.obj, v.woff, v.ctype), v.ctype
            return plain(name)
        return Reader(read, st)

    def c_num(self, text: str, st: State, fr: Frame) -> Num:
        """A C integer expression over the parameters, as a mathematical integer."""
        if not _PARSER:
            _PARSER.append(c_parser.CParser())
        init = _PARSER[0].parse(f"int __pl_bound = ({text});").ext[0].init
        got = SpecEval(self.prog, self.ctx, self.reader(st, fr)).ev(init, self.reader(st, fr))
        if not isinstance(got, Num) or got.bv.size() > WIDE - 40:
            raise Unsupported(f"bound {text!r}")
        return got

    def nul_at(self, st: State, p: Z, k: Z) -> Z:
        """Byte ``k`` from ``p`` is inside its object and 0."""
        return z3.And(wide(off(p)) + wide(k) < wide(z3.Select(st.env["$size"], obj(p))),
                      z3.Select(st.env["$mem"], z3.Concat(obj(p), off(p) + k)) == 0)

    # -- values ----------------------------------------------------------------------------------
    def pointer(self, e: c_ast.Node, st: State, fr: Frame) -> Any:
        v = self.rvalue(e, st, fr)
        if not isinstance(v[1], PointerType):
            raise Unsupported("dereference of a non-pointer", e)
        return v

    def count(self, v: Any) -> Z:
        """An integer operand (an index, a pointer increment), exactly."""
        if not isinstance(v[1], IntType) or v[1].bits > 64:
            raise Unsupported("index type")
        return wide(v[0], v[1].signed)

    def rvalue(self, e: c_ast.Node, st: State, fr: Frame, void_ok: bool = False) -> Any:
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            return self.address(e, st, fr)
        if isinstance(e, c_ast.Assignment) and e.op == "=":
            dst = self.loc(e.lvalue, st, fr)
            if dst is not None and isinstance(dst.ctype, StructType):  # s->a = s->b: the bytes
                self.copy_struct(dst, self.struct_source(e.rvalue, dst.ctype, st, fr), st)
                self.n += 1
                return z3.BitVec(f"struct!{self.n}", 8, self.ctx), dst.ctype
        if isinstance(e, c_ast.Constant) and e.type == "string":
            return self.literal(e, st)
        c = self.loc(e, st, fr)
        if c is None:
            return super().rvalue(e, st, fr, void_ok)
        if isinstance(c.ctype, ArrayType):  # an array used as a value is a pointer to its start
            return at(c.obj, c.woff), PointerType(c.ctype.elem)
        if isinstance(c.ctype, PointerType):
            return self.load_pointer(c, st), c.ctype
        if not isinstance(c.ctype, IntType):
            raise Unsupported(f"{c.ctype.describe()} value in memory", e)
        return self.load(c, None, st), c.ctype

    def literal(self, e: c_ast.Constant, st: State) -> Any:
        """A string literal: a new live object holding its bytes and NUL, of a kind no frame,
        heap or parameter has (it is never freed, and it is no local that could escape)."""
        data, o = string_bytes(e), st.env["$next"]
        st.env["$next"] = o + 1
        st.env["$size"] = z3.Store(st.env["$size"], o, z3.BitVecVal(len(data), 64, self.ctx))
        st.env["$live"] = z3.Store(st.env["$live"], o, True)
        st.assume(self.kind[o] == LITERAL_KIND)
        mem = st.env["$mem"]
        for k, b in enumerate(data):
            mem = z3.Store(mem, z3.Concat(o, z3.BitVecVal(k, 64, self.ctx)), z3.BitVecVal(b, 8, self.ctx))
        st.env["$mem"] = mem
        return z3.Concat(o, z3.BitVecVal(0, 64, self.ctx)), PointerType(IntType("char", True, 8))

    def address(self, e: c_ast.UnaryOp, st: State, fr: Frame) -> Any:
        if isinstance(e.expr, c_ast.UnaryOp) and e.expr.op == "*":
            return self.pointer(e.expr.expr, st, fr)
        c = self.loc(e.expr, st, fr)
        if c is None:
            raise Unsupported("address of this expression", e)
        if c.deref is not None and c.deref[0] is e.expr and isinstance(e.expr, c_ast.ArrayRef):  # &p[i]
            ok = z3.Or(c.obj == 0, self.inside(st, c.obj, c.woff, c.woff))
            self.mcheck(st, "memory.pointer-arith", e, ok, "pointer beyond one past the end")
        return at(c.obj, c.woff), PointerType(c.ctype)

    def loc(self, e: c_ast.Node, st: State, fr: Frame) -> Cell | None:
        """The memory ``e`` designates, or None (then it is not in memory: nothing was evaluated)."""
        if isinstance(e, c_ast.ID):
            v = fr.lookup(e.name)
            return v if isinstance(v, Cell) else None
        if isinstance(e, c_ast.ArrayRef):
            root = e.name
            while isinstance(root, c_ast.ArrayRef):
                root = root.name
            v = fr.lookup(root.name) if isinstance(root, c_ast.ID) else None
            if v is not None and not isinstance(v, Cell) and isinstance(v.ctype, ArrayType):
                return None  # an array of integers kept as a value: the integer executor's
            base = self.loc(e.name, st, fr)
            if base is not None and isinstance(base.ctype, ArrayType) and base.ctype.size is not None:
                i = self.count(self.rvalue(e.subscript, st, fr))
                self.check(st, "bounds.index", pos_of(e), z3.And(i >= 0, i < base.ctype.size),
                           f"index out of bounds 0..{base.ctype.size - 1}")
                return replace(base, ctype=base.ctype.elem, woff=base.woff + i * self.prog.size(base.ctype.elem, e))
        elif not (isinstance(e, c_ast.UnaryOp) and e.op == "*" or isinstance(e, c_ast.StructRef)):
            return None
        if isinstance(e, c_ast.StructRef) and e.type == ".":
            base = self.loc(e.name, st, fr)
        else:  # a dereference: *p, p[i], p->m
            p = self.pointer(e.expr if isinstance(e, c_ast.UnaryOp) else e.name, st, fr)
            woff = wide(off(p[0]))
            if isinstance(e, c_ast.ArrayRef):
                woff = woff + self.count(self.rvalue(e.subscript, st, fr)) * self.prog.size(p[1].target, e)
            base = Cell("", self.prog.complete(p[1].target), obj(p[0]), woff, (e, p[0]))
            if not isinstance(e, c_ast.StructRef):
                return base
        if base is None or not isinstance(base.ctype, StructType):
            raise Unsupported("member access", e)
        for name, t, where in self.prog.members(base.ctype):
            if name == e.field.name:
                return replace(base, ctype=t, woff=base.woff + where)
        raise Unsupported("member", e)

    def access(self, c: Cell, st: State) -> None:
        """The checks of an access through a pointer, in the spec's order, each assumed after."""
        if c.deref is not None:
            node, end = c.deref[0], c.woff + self.prog.size(c.ctype, c.deref[0])
            self.mcheck(st, "memory.null", node, c.obj != 0, "NULL dereference")
            self.mcheck(st, "memory.use-after-free", node, z3.Select(st.env["$live"], c.obj), "freed memory")
            self.mcheck(st, "memory.bounds", node, self.inside(st, c.obj, c.woff, end), "access out of bounds")

    def load(self, var: Var, idx: Z | None, st: State) -> Z:
        if not isinstance(var, Cell):
            return super().load(var, idx, st)
        assert isinstance(var.ctype, IntType)
        self.access(var, st)
        p = at(var.obj, var.woff)
        got = [z3.Select(st.env["$mem"], p + k) for k in range(max(1, var.ctype.bits // 8))]
        v = z3.Concat(*reversed(got)) if len(got) > 1 else got[0]  # little-endian
        return z3.Extract(0, 0, v) if var.ctype.is_bool else v

    def struct_source(self, e: c_ast.Node, t: CType, st: State, fr: Frame) -> Cell:
        """The object a struct value is copied from: an lvalue in memory of the same type."""
        src = self.loc(e, st, fr)
        if src is None or src.ctype != t:
            raise Unsupported("struct value", e)
        return src

    def copy_struct(self, dst: Cell, src: Cell, st: State) -> None:
        """A struct assignment or initialisation: every byte, padding included, as gcc copies it
        (the source's checks as a read, then the destination's as a write)."""
        self.access(src, st)
        self.access(dst, st)
        before = st.env["$mem"]
        mem, s, d = before, at(src.obj, src.woff), at(dst.obj, dst.woff)
        for k in range(self.prog.size(dst.ctype)):
            mem = z3.Store(mem, d + k, z3.Select(before, s + k))
        st.env["$mem"] = mem

    def load_pointer(self, c: Cell, st: State) -> Z:
        """A pointer read from memory: any pointer at all. Memory holds bytes, and a pointer's
        value is not kept in them, so nothing is assumed of where it points (sound, weak)."""
        self.access(c, st)
        self.n += 1
        return z3.BitVec(f"loaded!{self.n}", 96, self.ctx)

    def store(self, var: Var, idx: Z | None, v: Z, st: State) -> None:
        if not isinstance(var, Cell):
            return super().store(var, idx, v, st)
        self.access(var, st)
        if isinstance(var.ctype, PointerType):
            # a pointer stored in memory: its bytes become arbitrary (loads of it are arbitrary
            # pointers too), and what it points to may now be reached through any loaded pointer
            self.n += 1
            v = z3.BitVec(f"stored!{self.n}", self.prog.size(var.ctype) * 8, self.ctx)
        p, x = at(var.obj, var.woff), z3.ZeroExt(7, v) if v.size() == 1 else v
        for k in range(x.size() // 8):
            st.env["$mem"] = z3.Store(st.env["$mem"], p + k, z3.Extract(8 * k + 7, 8 * k, x))

    def lvalue(self, e: c_ast.Node, st: State, fr: Frame) -> Any:
        c = self.loc(e, st, fr)
        if c is not None and not isinstance(c.ctype, IntType | PointerType):
            raise Unsupported(f"assignment of a {c.ctype.describe()}", e)
        return super().lvalue(e, st, fr) if c is None else (c, None, c.ctype)

    # -- pointer arithmetic and comparison -------------------------------------------------------
    def arith(self, p: Any, k: Z, node: c_ast.Node, st: State) -> Any:
        """``p + k`` elements: within [0, size] of a non-NULL p (one past the end allowed)."""
        o, woff = obj(p[0]), wide(off(p[0])) + k * self.prog.size(p[1].target, node)
        self.mcheck(st, "memory.pointer-arith", node, z3.Or(o == 0, self.inside(st, o, woff, woff)),
                    "pointer arithmetic beyond one past the end")
        return at(o, woff), p[1]

    def binary(self, op: str, a: Any, b: Any, node: c_ast.Node, st: State) -> Any:
        pa, pb = isinstance(a[1], PointerType), isinstance(b[1], PointerType)
        if not (pa or pb):
            return super().binary(op, a, b, node, st)
        if op in ("+", "-") and pa != pb and (op == "+" or pa):
            k = self.count(b if pa else a)
            return self.arith(a if pa else b, -k if op == "-" else k, node, st)
        if op not in CMP:
            raise Unsupported(f"pointer operator {op}", node)
        x, y = self.conv(a, a[1] if pa else b[1]), self.conv(b, a[1] if pa else b[1])
        self.n += 1
        other = z3.Bool(f"cmp!{self.n}", self.ctx)  # unspecified across objects (C11 6.5.8p5, 6.5.9p6)
        if op in ("==", "!="):  # across objects: only one past the end of one and the start of the other
            ends = [off(u) == z3.Select(st.env["$size"], obj(u)) for u in (x, y)]
            adjacent = z3.Or(z3.And(ends[0], off(y) == 0), z3.And(ends[1], off(x) == 0))
            eq = z3.If(obj(x) == obj(y), off(x) == off(y), z3.And(obj(x) != 0, obj(y) != 0, adjacent, other))
            return self.of_bool(eq if op == "==" else z3.Not(eq))
        # relational: across objects undefined (C11 6.5.8p5), and a run goes on with some order
        self.mcheck(st, "memory.pointer-arith", node, obj(x) == obj(y), "order of pointers into different objects")
        return self.of_bool(z3.If(obj(x) == obj(y), CMP[op][1](off(x), off(y)), other))

    def unary(self, e: c_ast.UnaryOp, st: State, fr: Frame) -> Any:
        v = fr.lookup(e.expr.name) if e.op in _INCDEC and isinstance(e.expr, c_ast.ID) else None
        if v is None or isinstance(v, Cell) or not isinstance(v.ctype, PointerType):
            return super().unary(e, st, fr)
        old = st.env[v.key], v.ctype
        new = self.arith(old, z3.BitVecVal(1 if "+" in e.op else -1, WIDE, self.ctx), e, st)
        st.env[v.key] = new[0]
        return old if e.op.startswith("p") else new

    def returning(self, e: c_ast.Node, v: Any, st: State, fr: Frame) -> None:
        if isinstance(v[1], PointerType):
            o = obj(v[0])
            self.mcheck(st, "memory.local-escape", e, z3.Or(o == 0, self.kind[o] != self.tag(fr)),
                        "address of a local variable returned")

    def postcondition(self, st: State, fr: Frame) -> None:
        """At each way out of the top function, a block from the certified leak check's call must
        be freed, or reachable from the returned value or a static pointer."""
        super().postcondition(st, fr)
        if fr.depth != 0 or self.target.check_id != "memory.leak":
            return
        o = z3.FreshConst(z3.BitVecSort(32, self.ctx), "leaked")
        roots = [st.env[v.key] for v in self.statics] + \
            ([st.env[fr.ret_key]] if isinstance(fr.ret, PointerType) else [])
        lost = z3.And(z3.Select(st.env["$mine"], o), z3.Select(st.env["$live"], o), *[obj(r) != o for r in roots])
        self.check(st, "memory.leak", self.target.pos, z3.Not(lost), "block not freed")

    # -- declarations: locals in memory and pointer variables ------------------------------------
    def resident(self, d: c_ast.Decl, t: CType, fr: Frame) -> bool:
        """Does this local live in memory: its address is taken, it is an array used as a value
        (it decays to a pointer), or it is (or holds) a struct?"""
        if fr.name not in self.uses_of:
            every = list(nodes(self.prog.funcs[fr.name].body))
            named = {id(n.name) for n in every if isinstance(n, c_ast.ArrayRef | c_ast.FuncCall)}
            addressed = set()
            for b in (n.expr for n in every if isinstance(n, c_ast.UnaryOp) and n.op == "&"):
                while isinstance(b, c_ast.ArrayRef) or isinstance(b, c_ast.StructRef) and b.type == ".":
                    b = b.name
                addressed.add(getattr(b, "name", ""))
            self.uses_of[fr.name] = addressed, {n.name for n in every if isinstance(n, c_ast.ID) and id(n) not in named}
        addressed, bare = self.uses_of[fr.name]
        return d.name in addressed or (not isinstance(t, PointerType) and (
            not isinstance(leaf(t), IntType) or (isinstance(t, ArrayType) and d.name in bare)))

    def declare(self, d: c_ast.Decl, st: State, fr: Frame) -> None:
        if isinstance(d.type, c_ast.FuncDecl) or "typedef" in (d.storage or []) or \
                not self.resident(d, t := self.prog.resolve(d.type, d.init), fr):
            super().declare(d, st, fr)
            var = fr.scopes[-1].get(d.name or "")
            if "static" in (d.storage or []) and var is not None and isinstance(var.ctype, PointerType):
                self.statics.append(var)
            return
        if "static" in (d.storage or []):
            raise Unsupported("static variable in memory", d)
        o = st.env["$next"]
        st.env["$next"] = o + 1
        st.env["$size"] = z3.Store(st.env["$size"], o, z3.BitVecVal(self.prog.size(t, d), 64, self.ctx))
        st.env["$live"] = z3.Store(st.env["$live"], o, True)
        st.assume(self.kind[o] == self.tag(fr))
        cell = fr.scopes[-1][d.name] = Cell(d.name, t, o, z3.BitVecVal(0, WIDE, self.ctx))  # C11 6.2.1p7
        if isinstance(t, StructType) and d.init is not None and not isinstance(d.init, c_ast.InitList):
            self.copy_struct(cell, self.struct_source(d.init, t, st, fr), st)  # struct t = s->a;
            return
        for where, pt, x in self.initializers(d.init, t) if d.init is not None else []:
            part = replace(cell, ctype=pt, woff=z3.BitVecVal(where, WIDE, self.ctx))
            if x is None:
                self.zero(part, st)
            else:
                assert isinstance(pt, IntType)
                self.store(part, None, self.conv(self.rvalue(x, st, fr), pt), st)

    def scope_ends(self, out: Any, scope: dict[str, Var]) -> None:
        """A block's locals in memory are dead after it, however it is left (C11 6.2.4p6): an
        access through an address kept from it is a use after its end."""
        cells = [v for v in scope.values() if isinstance(v, Cell) and v.obj is not None]
        for s in [out.normal, *out.breaks, *out.continues, *out.returns]:
            if s is None:
                continue
            for c in cells:
                s.env["$live"] = z3.Store(s.env["$live"], c.obj, False)

    def zero(self, c: Cell, st: State) -> None:
        """The members an initializer leaves out are zero (C11 6.7.9p21); padding keeps its bytes."""
        if self.prog.dense(c.ctype):
            self.fill(st, at(c.obj, c.woff), z3.BitVecVal(self.prog.size(c.ctype), 64, self.ctx), lambda k: 0)
        elif isinstance(c.ctype, ArrayType):
            assert c.ctype.size is not None
            for k in range(c.ctype.size):
                self.zero(replace(c, ctype=c.ctype.elem, woff=c.woff + k * self.prog.size(c.ctype.elem)), st)
        else:
            assert isinstance(c.ctype, StructType)
            for _, t, where in self.prog.members(c.ctype):
                self.zero(replace(c, ctype=t, woff=c.woff + where), st)

    # -- calls: the library, inlined callees, unknown functions ----------------------------------
    def call(self, e: c_ast.FuncCall, st: State, fr: Frame) -> Any:
        name = _call_name(e) or ""
        proto = self.prog.protos.get(name)
        if name in _LIBRARY and name not in self.prog.funcs and fr.lookup(name) is None:
            vals = [self.rvalue(a, st, fr) for a in (e.args.exprs if e.args else [])]
            if len(vals) != len(_LIBRARY[name]):
                raise Unsupported(f"call of {name}", e)
            args = [self.conv(v, VOIDP) if k == "p" else v for k, v in zip(_LIBRARY[name], vals, strict=True)]
            if name in _ABS:
                return self.lib_abs(name, e, args[0], st)
            return self.lib_ctype(name, e, args[0], st) if name in _CLASSES else getattr(self, "lib_" + name)(e, args, st)
        if name in _UNMODELLED and name not in self.prog.funcs:
            raise Unsupported(f"call of {name}", e)
        contract = self.prog.contracts.get(name)
        if name not in self.prog.funcs and proto is not None and proto.args and any(
                isinstance(getattr(p, "type", None), c_ast.PtrDecl | c_ast.ArrayDecl) for p in proto.args.params) \
                and not (contract is not None and contract.replaces_call(False)):  # (by_contract havocs it)
            raise Unsupported(f"call of {name}, which may touch memory", e)
        return super().call(e, st, fr)

    def inline(self, e: c_ast.FuncCall, fd: c_ast.FuncDef, vals: list[Any], st: State, fr: Frame) -> Any:
        outer = self.site
        self.site = outer or pos_of(e)
        got = super().inline(e, fd, vals, st, fr)
        self.site = outer  # (an exception ends the whole check)
        return got

    models_memory = True

    def havoc_globals(self, st: State) -> None:
        """An unknown callee, one beyond the inline depth or one replaced by its contract (no
        ``assigns`` is read) may also write, free and allocate memory."""
        super().havoc_globals(st)
        st.env.update({key: z3.FreshConst(st.env[key].sort(), key[1:]) for key in ("$mem", "$live")})
        st.env["$next"] = st.env["$next"] + z3.ZeroExt(16, z3.FreshConst(z3.BitVecSort(16, self.ctx), "next"))

    # -- assigns clauses: byte ranges of memory ---------------------------------------------------
    def location_bytes(self, ev: SpecEval, loc: c_ast.Node, env: Any) -> Any:
        """``*p``, ``*(p + (lo .. hi))``, ``p[i]``, ``p[lo .. hi]``, ``p->f``, ``p[i].f``: the object
        and the exact bytes [start, end) it names, and when that range is empty."""
        member = None
        if isinstance(loc, c_ast.StructRef):
            member, loc = loc.field.name, (c_ast.UnaryOp("*", loc.name) if loc.type == "->" else loc.name)
        if isinstance(loc, c_ast.UnaryOp) and loc.op == "*":
            o, woff, t, span = self.spec_location(ev, loc.expr, env)
        elif isinstance(loc, c_ast.ArrayRef):
            o, woff, t = self.spec_pointer(ev, loc.name, env)
            sub = loc.subscript
            bounds = sub.args.exprs if _call_name(sub) == "__pl_range" and sub.args else [sub, sub]
            if len(bounds) != 2:
                raise Unsupported("range", loc)
            span = (ev.num(ev.ev(bounds[0], env)), ev.num(ev.ev(bounds[1], env)))
        else:
            raise Unsupported("assigns location", loc)
        start, end, empty = self.byte_range(woff, t, span)
        if member is not None:
            if not isinstance(t, StructType) or (span is not None and not span[0].bv.eq(span[1].bv)):
                raise Unsupported("assigns member of a range", loc)
            where = next(((ft, w) for n, ft, w in self.prog.members(t) if n == member), None)
            if where is None:
                raise Unsupported("assigns member", loc)
            start = start + where[1]
            end = start + self.prog.size(where[0])
        return o, start, end, empty

    def covers(self, ranges: list[Any], a: Z) -> Z:
        return z3.Or([z3.And(obj(a) == o, z3.Not(empty), start <= wide(off(a)), wide(off(a)) < end)
                      for o, start, end, empty in ranges]) if ranges else z3.BoolVal(False, self.ctx)

    def havoc_footprint(self, st: State, names: set[str], ranges: list[Any], frees: bool) -> None:
        """Also fresh bytes in the ranges (the rest of memory kept), blocks freed only if the
        contract ``frees``, and blocks it may have allocated."""
        super().havoc_footprint(st, names, ranges, frees)
        a, fresh = z3.BitVec("addr", 96, self.ctx), z3.FreshConst(st.env["$mem"].sort(), "assigned")
        st.env["$mem"] = z3.Lambda([a], z3.If(self.covers(ranges, a), z3.Select(fresh, a), z3.Select(st.env["$mem"], a)))
        if frees:
            st.env["$live"] = z3.FreshConst(st.env["$live"].sort(), "live")
        st.env["$next"] = st.env["$next"] + z3.ZeroExt(16, z3.FreshConst(z3.BitVecSort(16, self.ctx), "next"))

    def frame_bad(self, st: State, fr: Frame, names: set[str], ranges: list[Any]) -> list[Z]:
        """Also: a byte of an object that existed at entry, outside the ranges, changed; or such
        an object was freed (without ``frees``)."""
        assert fr.old is not None and fr.contract is not None
        bad = super().frame_bad(st, fr, names, ranges)
        pre, before = fr.old.env, fr.old.env["$next"]
        a, o = z3.FreshConst(z3.BitVecSort(96, self.ctx), "changed"), z3.FreshConst(z3.BitVecSort(32, self.ctx), "freed")
        bad.append(z3.And(obj(a) != 0, z3.ULT(obj(a), before), z3.Not(self.covers(ranges, a)),
                          z3.Select(st.env["$mem"], a) != z3.Select(pre["$mem"], a)))
        if not fr.contract.frees:
            bad.append(z3.And(o != 0, z3.ULT(o, before), z3.Select(pre["$live"], o), z3.Not(z3.Select(st.env["$live"], o))))
        return bad

    def usable(self, st: State, e: c_ast.Node, ptrs: list[Z], n: Z | None) -> None:
        """A library call's checks: its pointers non-NULL, live, and [p, p + n) inside (one check)."""
        self.mcheck(st, "memory.null", e, z3.And([obj(p) != 0 for p in ptrs]), "NULL argument")
        live = z3.And([z3.Select(st.env["$live"], obj(p)) for p in ptrs])
        self.mcheck(st, "memory.use-after-free", e, live, "freed memory passed")
        if n is not None:
            ok = z3.And([self.inside(st, obj(p), wide(off(p)), wide(off(p)) + wide(n)) for p in ptrs])
            self.mcheck(st, "memory.bounds", e, ok, "range out of bounds")

    def size_arg(self, v: Any) -> Z:
        return z3.ZeroExt(64 - self.m.size_t.bits, self.conv(v, self.m.size_t))

    def lib_malloc(self, e: c_ast.FuncCall, a: list[Any], st: State, n: Z = None, fits: Z = True) -> Any:
        """NULL, or a fresh heap block of n bytes (calloc: zeroed, NULL when k * n overflows)."""
        h = st.env["$next"]
        n = self.size_arg(a[0]) if n is None else n
        st.env["$next"], st.env["$size"] = h + 1, z3.Store(st.env["$size"], h, n)
        st.env["$live"] = z3.Store(st.env["$live"], h, True)
        st.assume(self.kind[h] == 1)
        self.n += 1
        # glibc gives NULL for more than PTRDIFF_MAX bytes; x86-64 has 47 bits of user addresses
        largest = min((1 << (self.m.size_t.bits - 1)) - 1, (1 << 47) - 1)
        made = z3.And(fits, z3.ULE(n, largest), z3.Bool(f"allocated!{self.n}", self.ctx))
        if self.target.check_id == "memory.leak" and (self.site or pos_of(e)) == self.target.pos:
            st.env["$mine"] = z3.Store(st.env["$mine"], h, made)
        return z3.If(made, z3.Concat(h, z3.BitVecVal(0, 64, self.ctx)), self.null), VOIDP

    def lib_calloc(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        total, block = wide(self.size_arg(a[0])) * wide(self.size_arg(a[1])), st.env["$next"]
        got = self.lib_malloc(e, a, st, z3.Extract(63, 0, total), total <= (1 << self.m.size_t.bits) - 1)
        self.fill(st, z3.Concat(block, z3.BitVecVal(0, 64, self.ctx)), z3.Extract(63, 0, total), lambda k: 0)
        return got

    def lib_free(self, e: c_ast.FuncCall, a: list[Any], st: State) -> None:
        p, heap = a[0], self.kind[obj(a[0])] == 1
        live = z3.Select(st.env["$live"], obj(p))
        self.mcheck(st, "memory.double-free", e, z3.Or(obj(p) == 0, z3.Not(heap), live), "block already freed")
        self.mcheck(st, "memory.invalid-free", e, z3.Or(p == self.null, z3.And(heap, off(p) == 0)),
                    "not the start of a heap block")
        st.env["$live"] = z3.Store(st.env["$live"], obj(p), False)

    def fill(self, st: State, d: Z, n: Z, byte: Any) -> None:
        """Bytes [d, d + n) become ``byte(offset from d)``."""
        a = z3.BitVec("addr", 96, self.ctx)
        hit = z3.And(obj(a) == obj(d), z3.UGE(off(a), off(d)), z3.ULT(off(a) - off(d), n))
        st.env["$mem"] = z3.Lambda([a], z3.If(hit, byte(off(a) - off(d)), z3.Select(st.env["$mem"], a)))

    def lib_memcpy(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        (d, s), n, mem = a[:2], self.size_arg(a[2]), st.env["$mem"]
        self.usable(st, e, [d, s], n)
        apart = z3.Or(obj(d) != obj(s), n == 0, z3.UGE(off(d), off(s) + n), z3.UGE(off(s), off(d) + n))
        self.mcheck(st, "memory.overlap", e, apart, "memcpy between overlapping ranges")
        self.fill(st, d, n, lambda k: z3.Select(mem, z3.Concat(obj(s), off(s) + k)))
        return d, VOIDP

    def lib_memset(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        n, c = self.size_arg(a[2]), z3.Extract(7, 0, self.conv(a[1], self.m.INT))
        self.usable(st, e, [a[0]], n)
        self.fill(st, a[0], n, lambda k: c)
        return a[0], VOIDP

    def lib_realloc(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """The checks of ``free(p)``; then NULL (p kept) or a new block of n bytes holding p's first
        min(size, n) bytes, p freed. With n == 0 either result, p freed or not (C17 7.22.3.5)."""
        p, n = a[0], self.size_arg(a[1])
        heap, live = self.kind[obj(p)] == 1, z3.Select(st.env["$live"], obj(p))
        self.mcheck(st, "memory.double-free", e, z3.Or(obj(p) == 0, z3.Not(heap), live), "block already freed")
        self.mcheck(st, "memory.invalid-free", e, z3.Or(p == self.null, z3.And(heap, off(p) == 0)),
                    "not the start of a heap block")
        old_mem, old_size, h = st.env["$mem"], z3.Select(st.env["$size"], obj(p)), st.env["$next"]
        got = self.lib_malloc(e, [a[1]], st)
        made = got[0] != self.null
        self.n += 1
        released = z3.And(obj(p) != 0, z3.Or(made, z3.And(n == 0, z3.Bool(f"realloc_0_frees!{self.n}", self.ctx))))
        st.env["$live"] = z3.Store(st.env["$live"], obj(p), z3.And(z3.Select(st.env["$live"], obj(p)), z3.Not(released)))
        kept = z3.If(obj(p) == 0, z3.BitVecVal(0, 64, self.ctx), z3.If(z3.ULT(old_size, n), old_size, n))
        a_ = z3.BitVec("addr", 96, self.ctx)
        hit = z3.And(obj(a_) == h, z3.ULT(off(a_), kept))
        st.env["$mem"] = z3.Lambda([a_], z3.If(hit, z3.Select(old_mem, z3.Concat(obj(p), off(a_))),
                                               z3.Select(st.env["$mem"], a_)))
        return got

    def lib_memmove(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        (d, s), n, mem = a[:2], self.size_arg(a[2]), st.env["$mem"]
        self.usable(st, e, [d, s], n)
        self.fill(st, d, n, lambda k: z3.Select(mem, z3.Concat(obj(s), off(s) + k)))  # read before any write
        return d, VOIDP

    def lib_memcmp(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """Both ranges of n bytes inside live objects; the sign of the first difference."""
        p, q, n = a[0], a[1], self.size_arg(a[2])
        self.usable(st, e, [p, q], n)
        at, j = self.fresh("differs", IntType("long", False, 64)), z3.BitVec("j", 64, self.ctx)

        def byte(x: Z, k: Z) -> Z:
            return z3.Select(st.env["$mem"], z3.Concat(obj(x), off(x) + k))

        st.assume(z3.And(z3.ULE(at, n), z3.Or(at == n, byte(p, at) != byte(q, at)),
                         z3.ForAll([j], z3.Implies(z3.ULT(j, at), byte(p, j) == byte(q, j)))))
        return self.signed_result(at == n, z3.ULT(byte(p, at), byte(q, at))), self.m.INT

    def terminated(self, st: State, p: Z, n: Z | None = None) -> Z:
        """A NUL lies in ``p``'s object at or after it (before ``n`` bytes, when given), or the
        first ``n`` bytes lie inside: a walk that stops at a NUL or after ``n`` bytes stays inside."""
        k = z3.BitVec("k", 64, self.ctx)
        if n is None:
            return z3.Exists([k], self.nul_at(st, p, k))
        return z3.Or(z3.Exists([k], z3.And(z3.ULT(k, n), self.nul_at(st, p, k))),
                     self.inside(st, obj(p), wide(off(p)), wide(off(p)) + wide(n)))

    def first_nul(self, st: State, p: Z, name: str) -> Z:
        """The place of the first NUL from ``p`` (assumed to exist: a check said so)."""
        m, j = self.fresh(name, IntType("long", False, 64)), z3.BitVec("j", 64, self.ctx)
        st.assume(z3.And(self.nul_at(st, p, m), z3.ForAll([j], z3.Implies(
            z3.ULT(j, m), z3.Select(st.env["$mem"], z3.Concat(obj(p), off(p) + j)) != 0))))
        return m

    def strings(self, e: c_ast.FuncCall, ptrs: list[Z], st: State, n: Z | None = None) -> None:
        """A string function's first checks: its pointers non-NULL and live, each walk inside."""
        self.usable(st, e, ptrs, None)
        self.mcheck(st.copy(), "memory.string", e, z3.And([self.terminated(st, p, n) for p in ptrs]),
                    "no terminator")

    def compared(self, e: c_ast.FuncCall, a: list[Any], st: State, n: Z | None) -> Any:
        """strcmp/strncmp: the walk stops at some place inside both objects (a difference, or a
        NUL of the first; with ``n``: or after n bytes inside both): then its first stop is inside
        too. Any result."""
        p, q = a[0], a[1]
        self.usable(st, e, [p, q], None)
        k = z3.BitVec("k", 64, self.ctx)

        def byte(x: Z, j: Z) -> Z:
            return z3.Select(st.env["$mem"], z3.Concat(obj(x), off(x) + j))

        def inside(x: Z, count: Z) -> Z:  # (exact: count is already wide)
            return wide(off(x)) + count <= wide(z3.Select(st.env["$size"], obj(x)))

        stop = z3.And(z3.ULT(k, n) if n is not None else True, inside(p, wide(k) + 1), inside(q, wide(k) + 1),
                      z3.Or(byte(p, k) != byte(q, k), byte(p, k) == 0))
        ok = z3.Exists([k], stop)
        if n is not None:
            ok = z3.Or(ok, z3.And(inside(p, wide(n)), inside(q, wide(n))))
        # both terminated (each walk alone stays inside) implies it, and is what a solver finds
        # from the precondition's NULs: the first stop's place, their minimum, is no ground term
        ok = z3.Or(z3.And(self.terminated(st, p, n), self.terminated(st, q, n)), ok)
        self.mcheck(st.copy(), "memory.string", e, ok, "the walk leaves an object")
        # the first stop: equal non-NUL bytes before it; there a difference, a NUL, or the bound
        at, j = self.fresh("stop", IntType("long", False, 64)), z3.BitVec("j", 64, self.ctx)
        bound = [at == n] if n is not None else []
        st.assume(z3.And(z3.ULE(at, n) if n is not None else True,
                         z3.Or(*bound, byte(p, at) != byte(q, at), byte(p, at) == 0),
                         z3.ForAll([j], z3.Implies(z3.ULT(j, at), z3.And(byte(p, j) == byte(q, j), byte(p, j) != 0)))))
        same = z3.Or(*bound, byte(p, at) == byte(q, at))
        return self.signed_result(same, z3.ULT(byte(p, at), byte(q, at))), self.m.INT

    def signed_result(self, same: Z, below: Z) -> Z:
        """A comparison's result: 0 where ``same``, else negative where ``below``, else positive
        (C fixes only the sign)."""
        r = self.fresh("compared", self.m.INT)
        return z3.If(same, z3.BitVecVal(0, 32, self.ctx), z3.If(below, z3.If(r < 0, r, -1), z3.If(r > 0, r, 1)))

    def lib_strcmp(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        return self.compared(e, a, st, None)

    def lib_strncmp(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        return self.compared(e, a, st, self.size_arg(a[2]))

    def lib_strchr(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """The walk stops at the first byte equal to (char) c or at the terminator, inside the
        object (``memory.string``): a pointer to it if it holds c, else NULL."""
        s = a[0]
        self.usable(st, e, [s], None)
        c = z3.Extract(7, 0, self.conv(a[1], self.m.INT))
        k, j = z3.BitVec("k", 64, self.ctx), z3.BitVec("j", 64, self.ctx)

        def byte(x: Z) -> Z:
            return z3.Select(st.env["$mem"], z3.Concat(obj(s), off(s) + x))

        def stops(x: Z) -> Z:
            return z3.And(wide(off(s)) + wide(x) + 1 <= wide(z3.Select(st.env["$size"], obj(s))),
                          z3.Or(byte(x) == c, byte(x) == 0))

        self.mcheck(st.copy(), "memory.string", e, z3.Exists([k], stops(k)), "no terminator")
        at = self.fresh("strchr_at", IntType("long", False, 64))
        st.assume(z3.And(stops(at), z3.ForAll([j], z3.Implies(z3.ULT(j, at), z3.And(byte(j) != c, byte(j) != 0)))))
        return z3.If(byte(at) == c, z3.Concat(obj(s), off(s) + at), self.null), PointerType(IntType("char", True, 8))

    def lib_strcpy(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """The source terminated; its first NUL's place + 1 bytes fit in the destination, apart
        from the source; they are copied."""
        d, s = a
        self.strings(e, [s], st)
        self.usable(st, e, [d], None)
        m, mem = self.first_nul(st, s, "strcpy_nul"), st.env["$mem"]
        n = m + 1
        self.mcheck(st, "memory.bounds", e, self.inside(st, obj(d), wide(off(d)), wide(off(d)) + wide(n)),
                    "destination too small")
        apart = z3.Or(obj(d) != obj(s), z3.UGE(off(d), off(s) + n), z3.UGE(off(s), off(d) + n))
        self.mcheck(st, "memory.overlap", e, apart, "strcpy between overlapping ranges")
        self.fill(st, d, n, lambda k: z3.Select(mem, z3.Concat(obj(s), off(s) + k)))
        return d, VOIDP

    def lib_strncpy(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """The source read up to n bytes or its NUL; n bytes of the destination inside, apart
        from the n bytes of the source (more than strncpy reads: not all proofs are certified);
        the destination gets the source's bytes before its first NUL, then zeros."""
        d, s, n = a[0], a[1], self.size_arg(a[2])
        self.strings(e, [s], st, n)
        self.usable(st, e, [d], n)
        apart = z3.Or(obj(d) != obj(s), n == 0, z3.UGE(off(d), off(s) + n), z3.UGE(off(s), off(d) + n))
        self.mcheck(st, "memory.overlap", e, apart, "strncpy between overlapping ranges")
        mem, j = st.env["$mem"], z3.BitVec("j", 64, self.ctx)
        m = self.fresh("strncpy_len", IntType("long", False, 64))  # the first NUL's place, or n
        st.assume(z3.And(z3.ULE(m, n), z3.Or(m == n, self.nul_at(st, s, m)), z3.ForAll([j], z3.Implies(
            z3.ULT(j, m), z3.Select(mem, z3.Concat(obj(s), off(s) + j)) != 0))))
        self.fill(st, d, n, lambda k: z3.If(z3.ULT(k, m), z3.Select(mem, z3.Concat(obj(s), off(s) + k)),
                                            z3.BitVecVal(0, 8, self.ctx)))
        return d, VOIDP

    def lib_abs(self, name: str, e: c_ast.FuncCall, a: Any, st: State) -> Any:
        """``abs``, ``labs``, ``llabs``: the magnitude; of the most negative value, undefined."""
        t = self.m.from_specifiers(_ABS[name])
        assert isinstance(t, IntType)
        x = self.conv(a, t)
        self.check(st, "overflow.signed.neg", pos_of(e), x != z3.BitVecVal(t.min % (1 << t.bits), t.bits, self.ctx),
                   "abs of the most negative value")
        return z3.If(x < 0, -x, x), t

    def lib_ctype(self, name: str, e: c_ast.FuncCall, a: Any, st: State) -> Any:
        """The argument is EOF or an unsigned char's value (C11 7.4p1); a class is any non-zero value."""
        c = self.conv(a, self.m.INT)
        inside = z3.Or(c == -1, z3.ULE(c, 255))
        self.check(st, "library.ctype-domain", pos_of(e), inside, "ctype argument")
        b = _CLASSES[name]
        hit = z3.Or([z3.And(c >= ord(lo), c <= ord(hi)) for lo, hi in zip(b[::2], b[1::2], strict=True)])
        anything = self.fresh(f"{name}_outside", self.m.INT)  # (the run goes on outside the domain)
        if name in ("toupper", "tolower"):
            return z3.If(inside, z3.If(hit, c + (32 if name == "tolower" else -32), c), anything), self.m.INT
        yes = self.fresh(name, self.m.INT)
        st.assume(yes != 0)
        return z3.If(inside, z3.If(hit, yes, 0), anything), self.m.INT

    def lib_strlen(self, e: c_ast.FuncCall, a: list[Any], st: State) -> Any:
        """The place of the first NUL (inside the object: a check)."""
        self.strings(e, a, st)
        return z3.Extract(self.m.size_t.bits - 1, 0, self.first_nul(st, a[0], "strlen")), self.m.size_t

    # -- loops: what an iteration may change ---------------------------------------------------------
    def forget(self, st: State, s: c_ast.Node, fr: Frame) -> None:
        """Fresh values for all that an iteration of loop ``s`` may change: the variables it assigns
        (a pointer only moved by arithmetic keeps its object), the globals of the functions it
        calls, and ``$mem``, ``$live``, ``$next`` for what it writes, frees or creates in memory
        (later objects only: the existing ones keep their numbers and sizes)."""
        moved: dict[str, bool] = {}  # key -> only moved by pointer arithmetic
        bodies: list[tuple[c_ast.Node, str]] = [(s, "")]  # the loop, then the bodies of the functions it calls
        for n, inner in ((n, inner) for body, inner in bodies for n in nodes(body)):
            call = _call_name(n) or ""
            if call in _LIBRARY and call not in self.prog.funcs:
                moved.update(dict.fromkeys(_CHANGES.get(call, ()), False))
            elif call and call not in _BUILTINS and not call.startswith("__VERIFIER_nondet_"):
                fd, c = self.prog.funcs.get(call), self.prog.contracts.get(call)
                opaque = fd is None or c is not None and c.replaces_call(True)  # else: its body is walked
                moved.update(dict.fromkeys(("$mem", "$live", "$next") if opaque else ("$mem", "$next"), False))
                if opaque:
                    moved.update(dict.fromkeys((g.key for g in self.globals.values()), False))
                elif fd is not None and all(call != name for _, name in bodies):
                    bodies.append((fd.body, call))  # what it assigns counts for the globals only
                # and for the static locals, which any function it runs may change
                moved.update(dict.fromkeys((v.key for v in self.static_locals.values()), False))
            if isinstance(n, c_ast.Decl) and not inner and not isinstance(n.type, c_ast.FuncDecl) and \
                    self.resident(n, self.prog.resolve(n.type, n.init), fr):
                moved.update({"$mem": False, "$next": False})
            lv = n.lvalue if isinstance(n, c_ast.Assignment) else \
                n.expr if isinstance(n, c_ast.UnaryOp) and n.op in _INCDEC else None
            if lv is None:
                continue
            root = lv
            while isinstance(root, c_ast.ArrayRef):
                root = root.name
            name = root.name if isinstance(root, c_ast.ID) else ""
            v = self.globals.get(name) if inner else fr.lookup(name)
            if type(v) is Var and (lv is root or isinstance(v.ctype, ArrayType)):
                arith = isinstance(n, c_ast.UnaryOp) or n.op in ("+=", "-=") or (
                    isinstance(n.rvalue, c_ast.BinaryOp) and n.rvalue.op in "+-" and
                    isinstance(n.rvalue.left, c_ast.ID) and n.rvalue.left.name == name)
                moved[v.key] = isinstance(v.ctype, PointerType) and arith and moved.get(v.key, True)
            else:
                moved["$mem"] = False  # not one of the integer executor's own variables or arrays
        if self.target.check_id == "memory.leak" and (self.site == self.target.pos or any(
                pos_of(n) == self.target.pos for n in nodes(s))):
            moved["$mine"] = False  # the loop allocates at the certified call: which blocks are its, unknown
        for key, only_moved in moved.items():
            old = st.env.get(key)
            if old is None:
                continue
            if key == "$next":
                st.env[key] = old + z3.ZeroExt(16, z3.FreshConst(z3.BitVecSort(16, self.ctx), "next"))
            elif only_moved:
                st.env[key] = z3.Concat(obj(old), z3.FreshConst(z3.BitVecSort(64, self.ctx), key.split("#")[0]))
            else:
                st.env[key] = z3.FreshConst(old.sort(), key.split("#")[0].strip("$"))
