"""The memory model the executor asks: pointers, objects, the heap and the string functions.

Why a module of its own: the executor only knows values; this module knows where a pointer may
point and what an access through it needs. Everything stays per function and quantifier-free.

- A pointer is one 64-bit term, ``object (16 bits) ++ offset (48 bits)``: NULL is object 0,
  offsets count elements of the object's element type. One term per pointer lets pointers merge
  at joins and sit in the environment like any scalar.
- An object is a variable whose address is taken (its contents stay the variable's value in the
  environment), a heap block (``malloc``), or what a pointer parameter points to. Heap and
  parameter objects keep their contents under ``m:<id>`` keys of the environment (one array per
  struct field), their liveness under ``m:<id>:live``, so joins, loop havoc and inlining treat
  them as they treat variables.
- A pointer parameter is NULL, or points to the start of its own object of unknown size, or
  into the object of an earlier parameter of the same pointee type (aliasing). What the function
  needs from it is chosen afterwards among a few ACSL templates (:func:`infer_requires`), each
  assumed under a selector constant at entry.
- An access through a pointer that may point to an object of another element type, an unknown
  library call or anything else not modelled is a ``memory.unmodelled`` check (never proved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, IntType, PointerType, StructType, VoidType

if TYPE_CHECKING:
    from analysis.engine.symexec import Executor, State, Val

PTR_BITS = 64
OBJ_BITS = 16
OFF_BITS = 48
W = 64  # offsets and sizes are compared at this width (48-bit offsets, sign-extended)
LIVE = IntType("unsigned char", False, 8)
MAX_PARAM_ELEMS = 1 << 62  # a range template's count beyond any object (n * sizeof stays in 64 bits)
FREEABLE = ("heap", "param")
CALLERS = 2  # liveness of a parameter's object not yet freed here: live for accesses  # a parameter's object may be a heap block the function frees
# the ids of the checks a precondition on pointer parameters can discharge
PRECONDITION_IDS = ("memory.null", "memory.bounds", "memory.string", "memory.pointer-arith")
STRING_FUNCS = {"strlen"}
MEMORY_FUNCS = {"malloc", "calloc", "free", "memcpy", "memmove", "memset", "strlen"}


@dataclass
class MemObject:
    """One object pointers can point into."""

    id: int
    key: str  # environment key of its contents
    kind: str  # "var" | "heap" | "param"
    elem: CType | None  # element type (None: a heap block not yet used through a typed pointer)
    size: Any  # elements ("var": a Python int) or bytes (heap, param: a 64-bit term)
    name: str
    depth: int = 0  # "var": the frame depth of the variable
    pristine: bool = True  # contents not written since entry (a parameter's string witness holds)
    nul: Any = None  # a parameter's NUL position, when it is a string
    initial: Any = None  # a parameter's contents at entry (for counterexamples)


@dataclass
class ParamPointer:
    """A pointer parameter: its entry value and the templates its precondition is chosen from."""

    name: str
    value: Any
    obj: MemObject
    target: CType
    templates: list[tuple[str, Any]] = field(default_factory=list)  # (ACSL text, selector)
    is_null: Any = None  # its own choice of NULL: a pointer whose term holds it comes from this parameter


def obj_of(z: Any) -> Any:
    if z3.is_app_of(z, z3.Z3_OP_CONCAT) and z.num_args() == 2 and z.arg(0).size() == OBJ_BITS:
        return z.arg(0)
    return z3.Extract(PTR_BITS - 1, OFF_BITS, z)


def off_of(z: Any) -> Any:
    """The offset, sign-extended to 64 bits."""
    if z3.is_app_of(z, z3.Z3_OP_CONCAT) and z.num_args() == 2 and z.arg(0).size() == OBJ_BITS:
        low = z.arg(1)
    else:
        low = z3.Extract(OFF_BITS - 1, 0, z)
    return z3.SignExt(W - OFF_BITS, low)


def _possible(obj: Any) -> set[int] | None:
    """The object ids an object term can take (None: any), read off its structure."""
    if z3.is_bv_value(obj):
        return {obj.as_long()}
    if z3.is_app_of(obj, z3.Z3_OP_ITE):
        a, b = _possible(obj.arg(1)), _possible(obj.arg(2))
        return None if a is None or b is None else a | b
    if z3.is_app_of(obj, z3.Z3_OP_EXTRACT) and obj.params() == [PTR_BITS - 1, OFF_BITS]:
        inner = obj.arg(0)
        if z3.is_bv_value(inner):
            return {inner.as_long() >> OFF_BITS}
        if z3.is_app_of(inner, z3.Z3_OP_CONCAT) and inner.arg(0).size() == OBJ_BITS:
            return _possible(inner.arg(0))
        if z3.is_app_of(inner, z3.Z3_OP_ITE):
            a = _possible(z3.Extract(PTR_BITS - 1, OFF_BITS, inner.arg(1)))
            b = _possible(z3.Extract(PTR_BITS - 1, OFF_BITS, inner.arg(2)))
            return None if a is None or b is None else a | b
    return None


def _same_repr(a: CType | None, b: CType | None) -> bool:
    """Accesses of type ``a`` to elements of type ``b`` read the same bits (signedness aside)."""
    if isinstance(a, IntType) and isinstance(b, IntType):
        return a.bits == b.bits and a.is_bool == b.is_bool
    if isinstance(a, StructType) and isinstance(b, StructType):
        return a.name == b.name and a.fields == b.fields
    return False


def _flat_struct(t: CType) -> bool:
    return isinstance(t, StructType) and not t.union and all(isinstance(ft, IntType) for _, ft in t.fields)


class Memory:
    """The executor's memory: the object table of one run, and every access through a pointer."""

    def __init__(self, ex: Executor) -> None:
        self.ex = ex
        self.objects: dict[int, MemObject] = {}
        self.by_key: dict[str, MemObject] = {}
        self.params: list[ParamPointer] = []
        self.allocations: list[tuple[Any, Any]] = []  # (fail choice, pc) of each malloc, for replay
        self.written_params: set[str] = set()  # parameters written through (\\valid, not \\valid_read)

    # -- pointer values -----------------------------------------------------------------
    def bv(self, v: int, bits: int) -> Any:
        return z3.BitVecVal(v, bits, self.ex.ctx)

    def pointer(self, obj: int | Any, off: Any) -> Any:
        o = self.bv(obj, OBJ_BITS) if isinstance(obj, int) else obj
        return z3.Concat(o, z3.Extract(OFF_BITS - 1, 0, off))

    def null(self, t: CType) -> Val:
        from analysis.engine.symexec import Val

        return Val(t if isinstance(t, PointerType) else PointerType(t), self.bv(0, PTR_BITS))

    def is_pointer(self, v: Val) -> bool:
        return isinstance(v.ty, PointerType) and v.z is not None and v.z.size() == PTR_BITS

    def _new(self, key: str, kind: str, elem: CType | None, size: Any, name: str, depth: int = 0) -> MemObject:
        oid = len(self.objects) + 1
        if oid >= 1 << OBJ_BITS:
            from analysis.engine.symexec import Unsupported

            raise Unsupported("too many memory objects", None)
        o = MemObject(oid, key if key else f"m:{oid}", kind, elem, size, name, depth)
        self.objects[oid] = o
        self.by_key[o.key] = o
        return o

    def _contents(self, elem: CType, name: str, zero: bool) -> Val | None:
        """Fresh (or zeroed) contents of an object of unknown size: one array, or one per field."""
        from analysis.engine.symexec import Val

        idx = z3.BitVecSort(W, self.ex.ctx)
        if isinstance(elem, IntType):
            bits = 1 if elem.is_bool else elem.bits
            if zero:
                return Val(ArrayType(elem, None), z3.K(idx, self.bv(0, bits)))
            self.ex.fresh_n += 1
            return Val(ArrayType(elem, None), z3.Const(f"{name}!{self.ex.fresh_n}", z3.ArraySort(idx, z3.BitVecSort(bits, self.ex.ctx))))
        if _flat_struct(elem):
            assert isinstance(elem, StructType)
            fields = {}
            for fname, ft in elem.fields:
                v = self._contents(ft, f"{name}.{fname}", zero)
                assert v is not None
                fields[fname] = v
            return Val(ArrayType(elem, None), None, fields)
        return None

    def address_of_var(self, key: str, st: State, depth: int) -> Val | None:
        """``&x`` (or an array ``x`` used as a pointer): x's variable becomes an object."""
        from analysis.engine.symexec import Val

        v = st.env.get(key)
        if v is None:
            return None
        o = self.by_key.get(key)
        if o is None:
            if isinstance(v.ty, ArrayType):
                if v.ty.size is None or v.z is None or not isinstance(v.ty.elem, IntType):
                    return None
                o = self._new(key, "var", v.ty.elem, v.ty.size, self.ex.display(key), depth)
            elif isinstance(v.ty, IntType) and v.z is not None:
                o = self._new(key, "var", v.ty, 1, self.ex.display(key), depth)
            elif _flat_struct(v.ty) and v.fields is not None:
                o = self._new(key, "var", v.ty, 1, self.ex.display(key), depth)
            else:
                return None
        assert o.elem is not None
        return Val(PointerType(o.elem), self.pointer(o.id, self.bv(0, W)))

    # -- parameters -----------------------------------------------------------------------
    def parameter(self, name: str, t: PointerType, st: State) -> Val | None:
        """A pointer parameter: NULL, its own object of unknown size, or an alias of an earlier one."""
        from analysis.engine.symexec import Val

        target = t.target
        if not (isinstance(target, IntType) or _flat_struct(target)):
            return None
        ex = self.ex
        size = self.ex.dm.sizeof(target)
        if not size:
            return None
        n = ex.fresh(f"{name}.size", W)
        o = self._new("", "param", target, n * self.bv(size, W), f"*{name}")
        contents = self._contents(target, f"{name}[]", zero=False)
        assert contents is not None
        st.env[o.key] = contents
        # the callee may free it (a destructor): 2 = as the caller passed it, 1 = live, 0 = freed
        st.env[o.key + ":live"] = Val(LIVE, self.bv(CALLERS, 8))
        o.initial = contents
        # no object is larger than PTRDIFF_MAX bytes (glibc's malloc refuses more); the checker agrees
        biggest = ((1 << (ex.dm.size_t.bits - 1)) - 1) // size
        st.pc = z3.And(st.pc, z3.ULE(n, self.bv(biggest, W)))
        own = self.pointer(o.id, self.bv(0, W))
        value = own
        for other in self.params:
            if _same_repr(other.target, target):
                alias_off = ex.fresh(f"{name}.alias_offset", W)
                choose = ex.fresh_bool(f"{name}.aliases_{other.name}")
                other_n = z3.UDiv(other.obj.size, self.bv(size, W))
                st.pc = z3.And(st.pc, z3.Implies(choose, z3.ULE(alias_off, other_n)))
                value = z3.If(choose, self.pointer(other.obj.id, alias_off), value)
        if isinstance(target, IntType) and target.bits == 8:
            o.nul = ex.fresh(f"{name}.nul", W)  # where a string parameter's NUL is, if it is one
        is_null = ex.fresh_bool(f"{name}.null")
        value = z3.If(is_null, self.bv(0, PTR_BITS), value)
        p = ParamPointer(name, value, o, target, is_null=is_null)
        self.params.append(p)
        return Val(t, value)

    def add_templates(self, int_params: list[tuple[str, Val]], st: State) -> None:
        """The candidate preconditions of each pointer parameter, each assumed under a selector."""
        ex = self.ex
        for k, p in enumerate(self.params):
            # \\valid does not separate: p may point into an earlier parameter's object it aliases
            objs = [p.obj] + [q.obj for q in self.params[:k] if _same_repr(q.target, p.target)]

            def valid_range(lo: int, count: Any, p: ParamPointer = p, objs: list[MemObject] = objs) -> Any:
                return z3.Or(*[self.valid_range(p.value, o, lo, count) for o in objs])

            valid = "{valid}"  # \\valid or \\valid_read, once the run knows whether p is written through
            cands: list[tuple[str, Any]] = [(f"{valid}({p.name})", valid_range(0, 1))]
            for iname, iv in int_params:
                if iv.z is None or not isinstance(iv.ty, IntType):
                    continue
                bits = iv.ty.bits
                n = z3.SignExt(W - bits, iv.z) if iv.ty.signed else z3.ZeroExt(W - bits, iv.z)
                empty = z3.Or(n <= 0, n > self.bv(MAX_PARAM_ELEMS, W)) if iv.ty.signed else n == 0
                rng = z3.Or(empty, valid_range(0, n)) if iv.ty.signed else \
                    z3.Or(empty, z3.And(z3.ULE(n, self.bv(MAX_PARAM_ELEMS, W)), valid_range(0, n)))
                cands.append((f"{valid}({p.name} + (0 .. {iname}-1))", rng))
            if isinstance(p.target, IntType) and p.target.bits == 8:
                nul = p.obj.nul
                assert p.obj.initial is not None and p.obj.initial.z is not None
                is_string = z3.And(obj_of(p.value) == self.bv(p.obj.id, OBJ_BITS), off_of(p.value) == 0,
                                   z3.ULT(nul, p.obj.size), z3.Select(p.obj.initial.z, nul) == 0)
                cands.append((f"valid_read_string({p.name})", is_string))
            for text, cond in cands:
                sel = ex.fresh_bool(f"requires {text}")
                p.templates.append((text, sel))
                st.pc = z3.And(st.pc, z3.Implies(sel, cond))

    def escape_check(self, pv: Val, st: State, node: c_ast.Node | None) -> None:
        """A returned pointer must not point into a (non-static) local of the returning frame."""
        depth = len(self.ex.frames)
        mine = []
        for o in self.objects.values():
            if o.kind != "var" or o.key.startswith("g:") or "#" not in o.key:
                continue
            name, rest = o.key.split("#", 1)
            if name in self.ex.static_names or rest.split(".", 1)[0] != str(depth):
                continue
            mine.append(obj_of(pv.z) == self.bv(o.id, OBJ_BITS))
        if mine:
            self.ex.check("memory.local-escape", z3.Or(*mine), st, node)

    # -- ACSL -------------------------------------------------------------------------------
    def spec_valid(self, arg: c_ast.Node, st: State) -> Any:
        """``\\valid(p)`` or ``\\valid(p + (lo .. hi))`` (a rewritten ``__pl_range``): the
        elements lie inside a live object (an empty range is valid)."""
        ex = self.ex
        lo: Any = self.bv(0, W)
        hi: Any = self.bv(0, W)
        ptr_e = arg
        if isinstance(arg, c_ast.BinaryOp) and arg.op == "+" and isinstance(arg.right, c_ast.FuncCall) and \
                isinstance(arg.right.name, c_ast.ID) and arg.right.name.name == "__pl_range" and \
                arg.right.args is not None and len(arg.right.args.exprs) == 2:
            ptr_e = arg.left
            bounds = []
            fits = []
            for e in arg.right.args.exprs:
                v = ex.as_int(ex.rvalue(e, st), st, e)
                assert isinstance(v.ty, IntType)
                z = z3.SignExt(W + 2 - v.ty.bits, v.z) if v.ty.signed else z3.ZeroExt(W + 2 - v.ty.bits, v.z)
                if v.ty.bits > W:
                    z = z3.Extract(W + 1, 0, v.z)
                fits.append(z3.And(z >= -(1 << 40), z <= (1 << 40)))
                bounds.append(z3.Extract(W - 1, 0, z))
            lo, hi = bounds
            empty = z3.And(*fits, hi < lo)
        else:
            empty = z3.BoolVal(False, ex.ctx)
            fits = []
        pv = ex.pointer_rvalue(ptr_e, st)
        if pv is None or not isinstance(pv.ty, PointerType):
            raise_unsupported("\\valid of something that is not a modelled pointer", ex, arg)
            return z3.BoolVal(False, ex.ctx)
        ids = _possible(obj_of(pv.z))
        objs = [o for o in self.objects.values() if (ids is None or o.id in ids) and _same_repr(o.elem, pv.ty.target)]
        inside = [z3.And(self.valid_range(pv.z, o, lo, hi - lo + 1), self.live(o, st)) for o in objs]
        return z3.Or(empty, z3.And(*fits, z3.Or(*inside) if inside else z3.BoolVal(False, ex.ctx)))

    def spec_string(self, arg: c_ast.Node, st: State) -> Any:
        """``valid_read_string(s)`` of a pointer parameter: its own object holds a NUL."""
        ex = self.ex
        pv = ex.pointer_rvalue(arg, st)
        for p in self.params:
            if pv is not None and p.obj.nul is not None and pv.z.eq(p.value) and p.obj.initial is not None:
                return z3.And(obj_of(p.value) == self.bv(p.obj.id, OBJ_BITS), off_of(p.value) == 0,
                              z3.ULT(p.obj.nul, p.obj.size), z3.Select(p.obj.initial.z, p.obj.nul) == 0)
        raise_unsupported("valid_read_string of something other than a pointer parameter", ex, arg)
        return z3.BoolVal(False, ex.ctx)

    # -- object facts -----------------------------------------------------------------------
    def elem_count(self, o: MemObject) -> Any:
        if o.kind == "var":
            return self.bv(o.size, W)
        size = self.ex.dm.sizeof(o.elem) if o.elem is not None else 1
        return z3.UDiv(o.size, self.bv(size or 1, W))

    def valid_range(self, ptr: Any, o: MemObject, lo: int | Any, count: int | Any) -> Any:
        """``ptr`` points into ``o`` and elements [off+lo, off+lo+count) lie inside it."""
        lo_t = self.bv(lo, W) if isinstance(lo, int) else lo
        cnt = self.bv(count, W) if isinstance(count, int) else count
        off = off_of(ptr) + lo_t
        return z3.And(obj_of(ptr) == self.bv(o.id, OBJ_BITS), self._inside(o, off, cnt))

    def _inside(self, o: MemObject, off: Any, cnt: Any) -> Any:
        if o.kind == "var":
            return z3.And(off >= 0, off + cnt <= self.bv(o.size, W))
        size = self.ex.dm.sizeof(o.elem) if o.elem is not None else 1
        return z3.And(off >= 0, z3.ULE((off + cnt) * self.bv(size or 1, W), o.size))

    def live(self, o: MemObject, st: State) -> Any:
        if o.kind not in FREEABLE:
            return z3.BoolVal(True, self.ex.ctx)
        v = st.env.get(o.key + ":live")
        if v is None or v.z is None:
            return z3.BoolVal(True, self.ex.ctx)
        return v.z != 0

    def candidates(self, ptr: Any, t: CType, st: State, node: c_ast.Node | None, what: str) -> list[MemObject] | None:
        """The objects of element type ``t`` the pointer may point to; None (and an unknown check)
        when it may point to an object of another type."""
        ids = _possible(obj_of(ptr))
        objs = [self.objects[i] for i in sorted(ids) if i in self.objects] if ids is not None else \
            list(self.objects.values())
        for o in objs:
            if o.elem is None and o.kind == "heap":
                self.type_heap(o, t, st)
        bad = [o for o in objs if not _same_repr(o.elem, t)]
        if bad:
            if ids is None:
                # an arbitrary pointer (a havocked one): objects of other types are not its targets
                # in any real run, but the access cannot be checked against them
                objs = [o for o in objs if o not in bad]
                if not objs:
                    self.ex.memory_access(f"{what} through a pointer the engine lost track of", st, node)
                    return None
                return objs
            self.ex.memory_access(f"{what} of {t.describe()} in an object of another type ({bad[0].name})", st, node)
            return None
        return objs

    def type_heap(self, o: MemObject, t: CType, st: State) -> None:
        """A heap block gets its element type from the first typed pointer to it."""
        if isinstance(t, IntType) or _flat_struct(t):
            o.elem = t

    def contents(self, o: MemObject, st: State) -> Val | None:
        """The object's contents in this state; a heap block's are made on first use (calloc's
        zeroed, malloc's arbitrary)."""
        cur = st.env.get(o.key)
        if cur is None and o.kind == "heap" and o.elem is not None:
            cur = self._contents(o.elem, o.name, o.key + ":zero" in st.env)
            if cur is not None:
                st.env[o.key] = cur
        return cur

    # -- accesses -------------------------------------------------------------------------
    def access(self, pv: Val, idx: Any, st: State, node: c_ast.Node | None, what: str,
               member: str | None = None) -> tuple[list[MemObject], Any] | None:
        """The checks of an access ``pv[idx]`` (null, use after free, bounds), each assumed after;
        the candidate objects and the element offset."""
        ex = self.ex
        assert isinstance(pv.ty, PointerType)
        t = pv.ty.target
        objs = self.candidates(pv.z, t, st, node, what)
        if objs is None:
            return None
        if member is not None and not (_flat_struct(t) and isinstance(t, StructType) and t.field(member) is not None):
            ex.memory_access(f"{what} of a member of an unmodelled struct", st, node)
            return None
        o_t = obj_of(pv.z)
        off = off_of(pv.z) + idx
        ex.check("memory.null", o_t == self.bv(0, OBJ_BITS), st, node)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in objs if o.kind in FREEABLE]
        if freed:
            ex.check("memory.use-after-free", z3.Or(*freed), st, node)
        inside = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, off, self.bv(1, W))) for o in objs]
        ex.check("memory.bounds", z3.Not(z3.Or(*inside)) if inside else z3.BoolVal(True, ex.ctx), st, node,
                 [("offset", off)])
        return objs, off

    def read(self, pv: Val, idx: Any, st: State, node: c_ast.Node | None, member: str | None = None) -> Val:
        from analysis.engine.symexec import Val

        ex = self.ex
        assert isinstance(pv.ty, PointerType)
        t = pv.ty.target
        got = self.access(pv, idx, st, node, "read", member)
        result_t = t.field(member) if member is not None and isinstance(t, StructType) else t
        if got is None or result_t is None:
            return ex.havoc(result_t or t, "mem")
        objs, off = got
        if not objs:
            return ex.havoc(result_t, "mem")
        o_t = obj_of(pv.z)
        acc: Val | None = None
        for o in reversed(objs):
            v = self._element(o, off, st, member)
            if v is None:
                ex.memory_access("read of an element the engine cannot represent", st, node)
                return ex.havoc(result_t, "mem")
            v = Val(result_t, v.z, v.fields)
            acc = v if acc is None else ex.ite_val(o_t == self.bv(o.id, OBJ_BITS), v, acc)
        assert acc is not None
        return acc

    def _element(self, o: MemObject, off: Any, st: State, member: str | None) -> Val | None:
        from analysis.engine.symexec import Val

        cur = self.contents(o, st)
        if cur is None:
            return None
        if o.kind == "var" and not isinstance(cur.ty, ArrayType):
            if member is not None:
                return cur.fields.get(member) if cur.fields is not None else None
            return cur
        if isinstance(cur.ty, ArrayType) and cur.fields is not None:
            if member is None:
                assert isinstance(cur.ty, ArrayType)
                return Val(cur.ty.elem, None, {f: Val(a.ty.elem, z3.Select(a.z, off))  # type: ignore[attr-defined]
                                               for f, a in cur.fields.items()})
            a = cur.fields.get(member)
            return None if a is None or a.z is None else Val(a.ty.elem, z3.Select(a.z, off))  # type: ignore[attr-defined]
        if cur.z is None or not isinstance(cur.ty, ArrayType) or member is not None:
            return None
        return Val(cur.ty.elem, z3.Select(cur.z, off))

    def write(self, pv: Val, idx: Any, v: Val, st: State, node: c_ast.Node | None, member: str | None = None) -> None:
        ex = self.ex
        got = self.access(pv, idx, st, node, "write", member)
        if got is None:
            self.havoc_objects(st)
            return
        objs, off = got
        o_t = obj_of(pv.z)
        for o in objs:
            here = o_t == self.bv(o.id, OBJ_BITS)
            cur = self.contents(o, st)
            if cur is None:
                continue
            new = self._stored(o, cur, off, v, member)
            if new is None:
                ex.memory_access("write of an element the engine cannot represent", st, node)
                st.env[o.key] = ex.havoc(cur.ty, o.name)
                continue
            st.env[o.key] = ex.ite_val(here, new, cur)
            o.pristine = False
        self.note_write(pv, objs)

    def note_write(self, pv: Val, objs: list[MemObject]) -> None:
        """The parameters ``pv`` is derived from are written through (their precondition says
        \\valid, not \\valid_read): an alias into an earlier parameter's object does not count;
        a pointer that lost its origin (a loop's) counts for every parameter owning ``objs``."""
        from_params = {p.is_null.get_id(): p.name for p in self.params if p.is_null is not None}
        seen: set[int] = set()
        stack, found = [pv.z], False
        while stack and from_params:
            t = stack.pop()
            if t.get_id() in seen:
                continue
            seen.add(t.get_id())
            if t.get_id() in from_params:
                self.written_params.add(from_params.pop(t.get_id()))
                found = True
            stack.extend(t.children())
        if not found:
            self.written_params.update(p.name for p in self.params if p.obj in objs)

    def _stored(self, o: MemObject, cur: Val, off: Any, v: Val, member: str | None) -> Val | None:
        from analysis.engine.symexec import Val

        if o.kind == "var" and not isinstance(cur.ty, ArrayType):
            if member is None:
                return v
            if cur.fields is None:
                return None
            fields = dict(cur.fields)
            fields[member] = v
            return Val(cur.ty, None, fields)
        if cur.fields is not None:
            fields = dict(cur.fields)
            names = [member] if member is not None else list(fields)
            for f in names:
                a = fields.get(f)
                part = v if member is not None else (v.fields or {}).get(f)
                if a is None or a.z is None or part is None or part.z is None:
                    return None
                fields[f] = Val(a.ty, z3.Store(a.z, off, part.z))
            return Val(cur.ty, None, fields)
        if cur.z is None or v.z is None or member is not None or v.z.sort() != cur.z.sort().range():
            return None
        return Val(cur.ty, z3.Store(cur.z, off, v.z))

    def havoc_objects(self, st: State) -> None:
        """Everything memory holds may have changed (an unmodelled write)."""
        for o in self.objects.values():
            cur = self.contents(o, st)
            if cur is not None:
                st.env[o.key] = self.ex.havoc(cur.ty, o.name)
                o.pristine = False

    # -- pointer arithmetic and comparison -------------------------------------------------------
    def add(self, pv: Val, n: Any, st: State, node: c_ast.Node | None) -> Val:
        """``p + n`` (n a signed 64-bit element count): within [0, size] of p's object."""
        from analysis.engine.symexec import Val

        ex = self.ex
        assert isinstance(pv.ty, PointerType)
        ids = _possible(obj_of(pv.z))
        objs = [self.objects[i] for i in sorted(ids) if i in self.objects] if ids is not None else \
            list(self.objects.values())
        o_t = obj_of(pv.z)
        new_off = off_of(pv.z) + n
        ok = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, new_off, self.bv(0, W)))
              for o in objs if _same_repr(o.elem, pv.ty.target)]
        ex.check("memory.pointer-arith", z3.And(o_t != self.bv(0, OBJ_BITS), z3.Not(z3.Or(*ok)) if ok else
                                                 z3.BoolVal(True, ex.ctx)), st, node, [("offset", new_off)])
        return Val(pv.ty, z3.If(o_t == self.bv(0, OBJ_BITS), pv.z, self.pointer(o_t, new_off)))

    def difference(self, a: Val, b: Val, st: State, node: c_ast.Node | None) -> Any:
        """``a - b`` of two pointers into one object: the element distance (64-bit)."""
        self.ex.check("memory.pointer-arith", obj_of(a.z) != obj_of(b.z), st, node)
        return off_of(a.z) - off_of(b.z)

    # -- the heap -------------------------------------------------------------------------
    def allocate(self, nbytes: Any, st: State, node: c_ast.Node, zero: bool, name: str) -> Val:
        """``malloc``/``calloc``: NULL (the allocation may fail) or a fresh live block."""
        from analysis.engine.symexec import Val

        ex = self.ex
        line = node.coord.line if node.coord is not None else 0
        o = self._new("", "heap", None, nbytes, f"{name}@{line}")
        st.env[o.key + ":live"] = Val(LIVE, self.bv(1, 8))
        if zero:
            st.env[o.key + ":zero"] = Val(LIVE, self.bv(1, 8))
        fails = ex.fresh(f"{name}_fails", 32)  # the harness's allocator fails when it is not 0
        ex.nondet.append((f"__pl_{name}_fails", fails, st.pc))
        self.allocations.append((fails, st.pc))
        return Val(PointerType(VoidType()), z3.If(fails != 0, self.bv(0, PTR_BITS), self.pointer(o.id, self.bv(0, W))))

    def free(self, pv: Val, st: State, node: c_ast.Node) -> None:
        ex = self.ex
        o_t = obj_of(pv.z)
        heap = [o for o in self.objects.values() if o.kind in FREEABLE]
        ids = _possible(o_t)
        if ids is not None:
            heap = [o for o in heap if o.id in ids]
        nonnull = o_t != self.bv(0, OBJ_BITS)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in heap]
        # the first free of a parameter's object: whether the caller had freed it already is its own
        first = [z3.And(o_t == self.bv(o.id, OBJ_BITS), st.env[o.key + ":live"].z == CALLERS) for o in heap
                 if o.kind == "param" and st.env.get(o.key + ":live") is not None]
        saved, before = st.pc, len(ex.checks)
        ex.check("memory.double-free", z3.Or(*freed, *first) if freed or first else z3.BoolVal(False, ex.ctx),
                 st, node)
        if first:
            if len(ex.checks) > before:
                ex.checks[-1].caveat = ("free of a parameter's object (whether the caller freed it already "
                                        "is not known)", z3.Or(*first))
            st.pc = z3.And(saved, z3.Not(z3.Or(*freed))) if freed else saved
        starts = [z3.And(o_t == self.bv(o.id, OBJ_BITS), off_of(pv.z) == 0) for o in heap if o.kind == "heap"]
        # the start of a parameter's object is freeable only if the caller got it from malloc:
        # not a violation the function shows, not one it excludes (unknown, never proved)
        caller = [z3.And(o_t == self.bv(o.id, OBJ_BITS), off_of(pv.z) == 0) for o in heap if o.kind == "param"]
        saved, before = st.pc, len(ex.checks)
        ex.check("memory.invalid-free", z3.And(nonnull, z3.Not(z3.Or(*starts)) if starts else
                                               z3.BoolVal(True, ex.ctx)), st, node)
        if caller:
            if len(ex.checks) > before:
                ex.checks[-1].caveat = ("free of a parameter's object (whether the caller allocated it "
                                        "with malloc is not known)", z3.Or(*caller))
            # the path goes on as if the caller had: the block is freed below
            st.pc = z3.And(saved, z3.Not(z3.And(nonnull, z3.Not(z3.Or(*starts, *caller)))))
        from analysis.engine.symexec import Val

        for o in heap:
            cur = st.env.get(o.key + ":live")
            if cur is not None and cur.z is not None:
                st.env[o.key + ":live"] = Val(LIVE, z3.If(o_t == self.bv(o.id, OBJ_BITS), self.bv(0, 8), cur.z))

    # -- library functions over ranges -------------------------------------------------------
    def _range(self, pv: Val, nbytes: Any, st: State, node: c_ast.Node, what: str) -> tuple[list[MemObject], Any] | None:
        """Checks that ``nbytes`` bytes from ``pv`` are accessible (char objects only)."""
        ex = self.ex
        if not isinstance(pv.ty, PointerType):
            return None
        char = IntType("char", True, 8)
        objs = self.candidates(pv.z, char, st, node, what)
        if objs is None:
            return None
        o_t = obj_of(pv.z)
        ex.check("memory.null", o_t == self.bv(0, OBJ_BITS), st, node)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in objs if o.kind in FREEABLE]
        if freed:
            ex.check("memory.use-after-free", z3.Or(*freed), st, node)
        off = off_of(pv.z)
        inside = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, off, nbytes)) for o in objs]
        ex.check("memory.bounds", z3.Not(z3.Or(*inside)) if inside else z3.BoolVal(True, ex.ctx), st, node,
                 [("bytes", nbytes)])
        return objs, off

    def memcpy(self, dst: Val, src: Val, nbytes: Any, st: State, node: c_ast.Node, overlap_ok: bool) -> Val:
        from analysis.engine.symexec import Val

        ex = self.ex
        d = self._range(self._as_char(dst), nbytes, st, node, "memcpy destination")
        s = self._range(self._as_char(src), nbytes, st, node, "memcpy source")
        if d is None or s is None:
            self.havoc_objects(st)
            return dst
        (dobjs, doff), (sobjs, soff) = d, s
        self.note_write(dst, dobjs)
        if not overlap_ok:
            ex.check("memory.overlap", z3.And(obj_of(dst.z) == obj_of(src.z), nbytes != 0,
                                              doff < soff + nbytes, soff < doff + nbytes), st, node)
        so = obj_of(src.z)
        src_arr: Any = None
        for o in sobjs:
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType):
                ex.memory_access("memcpy from an object the engine cannot represent", st, node)
                self.havoc_objects(st)
                return dst
            src_arr = cur.z if src_arr is None else z3.If(so == self.bv(o.id, OBJ_BITS), cur.z, src_arr)
        j = z3.BitVec("j", W, ex.ctx)
        do = obj_of(dst.z)
        for o in dobjs:
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType) or src_arr is None:
                ex.memory_access("memcpy into an object the engine cannot represent", st, node)
                self.havoc_objects(st)
                return dst
            copied = z3.Lambda([j], z3.If(z3.And(j >= doff, j < doff + nbytes),
                                          z3.Select(src_arr, j - doff + soff), z3.Select(cur.z, j)))
            st.env[o.key] = Val(cur.ty, z3.If(do == self.bv(o.id, OBJ_BITS), copied, cur.z))
            o.pristine = False
        return dst

    def memset(self, dst: Val, byte: Any, nbytes: Any, st: State, node: c_ast.Node) -> Val:
        from analysis.engine.symexec import Val

        ex = self.ex
        d = self._range(self._as_char(dst), nbytes, st, node, "memset destination")
        if d is None:
            self.havoc_objects(st)
            return dst
        objs, doff = d
        self.note_write(dst, objs)
        j = z3.BitVec("j", W, ex.ctx)
        do = obj_of(dst.z)
        for o in objs:
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType):
                ex.memory_access("memset of an object the engine cannot represent", st, node)
                self.havoc_objects(st)
                return dst
            filled = z3.Lambda([j], z3.If(z3.And(j >= doff, j < doff + nbytes), byte, z3.Select(cur.z, j)))
            st.env[o.key] = Val(cur.ty, z3.If(do == self.bv(o.id, OBJ_BITS), filled, cur.z))
            o.pristine = False
        return dst

    def strlen(self, sv: Val, st: State, node: c_ast.Node) -> Val | None:
        """The index of the first NUL: exact over a small object of known size, else the NUL a
        parameter's precondition promises (the result is that NUL or an earlier one; a model is
        trusted only when it is the first, checked up to 16 characters)."""
        from analysis.engine.symexec import Val

        ex = self.ex
        sv = self._as_char(sv)
        char = IntType("char", True, 8)
        objs = self.candidates(sv.z, char, st, node, "strlen")
        if objs is None:
            return None
        o_t = obj_of(sv.z)
        ex.check("memory.null", o_t == self.bv(0, OBJ_BITS), st, node)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in objs if o.kind in FREEABLE]
        if freed:
            ex.check("memory.use-after-free", z3.Or(*freed), st, node)
        off = off_of(sv.z)
        size_t = ex.dm.size_t
        result = ex.fresh("strlen", W)
        found: list[Any] = []
        facts: list[Any] = []
        for o in objs:
            here = o_t == self.bv(o.id, OBJ_BITS)
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType):
                ex.memory_access("strlen of an object the engine cannot represent", st, node)
                return None
            if o.kind == "var" and o.size <= 64:
                # exact: the first NUL of a small array
                cells = [z3.Select(cur.z, off + k) for k in range(o.size)]
                terminated = []
                for k in range(o.size):
                    at = z3.And(off + k >= 0, off + k < o.size, cells[k] == 0,
                                *[cells[i] != 0 for i in range(k)])
                    terminated.append(at)
                    facts.append(z3.Implies(z3.And(here, at), result == k))
                found.append(z3.And(here, z3.Or(*terminated)))
            elif o.kind == "param" and o.pristine and o.nul is not None:
                at_start = off == 0
                has = z3.And(z3.ULT(o.nul, o.size), z3.Select(cur.z, o.nul) == 0)
                found.append(z3.And(here, at_start, has))
                facts.append(z3.Implies(here, z3.And(z3.ULE(result, o.nul), z3.Select(cur.z, result) == 0)))
                # true of the real strlen too: the characters before it are not NUL (the first 16)
                facts += [z3.Implies(z3.And(here, z3.UGT(result, self.bv(k, W))), z3.Select(cur.z, self.bv(k, W)) != 0)
                          for k in range(16)]
                first = z3.Or(*[z3.And(result == k, *[z3.Select(cur.z, self.bv(i, W)) != 0 for i in range(k)])
                                for k in range(17)])
                ex.markers.append(("strlen of a parameter (an earlier NUL)", z3.And(st.pc, here, z3.Not(first)),
                                   ex.span(node)))
            else:
                # a string of unknown layout: the check is unknown, the length arbitrary
                ex.memory_access("strlen of a string the engine cannot bound", st, node)
                return Val(size_t, ex.fresh("strlen", size_t.bits))
        ex.check("memory.string", z3.Not(z3.Or(*found)) if found else z3.BoolVal(True, ex.ctx), st, node)
        st.pc = z3.And(st.pc, *facts) if facts else st.pc
        return Val(size_t, z3.Extract(size_t.bits - 1, 0, result) if size_t.bits < W else result)

    def _as_char(self, v: Val) -> Val:
        from analysis.engine.symexec import Val

        if isinstance(v.ty, PointerType) and isinstance(v.ty.target, VoidType | IntType) and (
                not isinstance(v.ty.target, IntType) or v.ty.target.bits == 8):
            return Val(PointerType(IntType("char", True, 8)), v.z)
        return v


Choice = list[tuple[int, ...]]  # per pointer parameter, the indices of its templates assumed


def raise_unsupported(what: str, ex: Executor, node: c_ast.Node) -> None:
    from analysis.engine.symexec import Unsupported

    raise Unsupported(what, ex.span(node))


def selectors(mem: Memory, choice: Choice) -> list[tuple[Any, Any]]:
    """Substitution pairs fixing every template selector: the chosen ones true, the others false."""
    pairs = []
    for p, picks in zip(mem.params, choice, strict=False):
        for i, (_text, sel) in enumerate(p.templates):
            pairs.append((sel, z3.BoolVal(i in picks, sel.ctx)))
    return pairs


def requires_text(mem: Memory, choice: Choice) -> list[str]:
    out = []
    for p, picks in zip(mem.params, choice, strict=False):
        for pick in picks:
            if pick < len(p.templates):
                valid = "\\valid" if p.name in mem.written_params else "\\valid_read"
                out.append(p.templates[pick][0].replace("{valid}", valid))
    return out


def choose_requires(mems: list[Memory], insts: list[list[Any]], timeout_s: float) -> Choice:
    """Per pointer parameter, the weakest templates (none first, then one) under which every check
    a precondition can discharge is proved whenever it is proved with all templates assumed.

    ``mems``/``insts``: the runs (exact, abstract) and their checks; the runs declare the same
    parameters and templates in the same order."""
    base = mems[0]
    if not base.params:
        return []
    # one solver per check instance, reused across choices (the templates are assumptions)
    groups: dict[tuple[int, str, Any], list[Any]] = {}
    for run_index, (mem, checks) in enumerate(zip(mems, insts, strict=True)):
        for c in checks:
            if c.id in PRECONDITION_IDS:
                s = z3.Solver(ctx=c.cond.ctx)
                s.set("timeout", max(1, int(timeout_s * 1000)))
                s.add(c.cond)
                groups.setdefault((run_index, c.id, c.span), []).append((mem, s))

    def assumed(mem: Memory, choice: Choice) -> list[Any]:
        return [sel for p, picks in zip(mem.params, choice, strict=True)
                for i, (_t, sel) in enumerate(p.templates) if i in picks]

    def proved(choice: Choice) -> set[tuple[int, str, Any]]:
        """The (run, id, span) groups unsatisfiable under ``choice``, per run: a weaker choice may
        lose no proof of the abstract run and add no violation to the exact one."""
        return {key for key, group in groups.items()
                if all(s.check(*assumed(mem, choice)) == z3.unsat for mem, s in group)}

    def keeps(choice: Choice, target: set[tuple[int, str, Any]]) -> bool:
        # beside an abstract run, the exact (bounded) run only must not find a violation
        return all(s.check(*assumed(mem, choice)) in ((z3.unsat, z3.unknown) if key[0] == 0 and len(mems) > 1
                                                       else (z3.unsat,))
                   for key in target for mem, s in groups[key])

    every: Choice = [tuple(range(len(p.templates))) for p in base.params]
    target = proved(every)
    for key, group in groups.items():  # the exact run's may give up sooner: only a violation counts there
        for _mem, s in group:
            s.set("timeout", max(1, int(timeout_s * (250 if key[0] == 0 and len(mems) > 1 else 1000))))
    choice = list(every)
    for i, p in enumerate(base.params):
        # nothing, then each template alone; else drop, one at a time, each template the proofs
        # do not need (never fewer proofs)
        for picks in [(), *((k,) for k in range(len(p.templates)))]:
            trial = [*choice[:i], picks, *choice[i + 1:]]
            if keeps(trial, target):
                choice = trial
                break
        else:
            for k in range(len(p.templates)):
                trial = [*choice[:i], tuple(x for x in choice[i] if x != k), *choice[i + 1:]]
                if keeps(trial, target):
                    choice = trial
    return choice


__all__ = ["Memory", "MemObject", "ParamPointer", "obj_of", "off_of", "PRECONDITION_IDS", "MEMORY_FUNCS",
           "choose_requires", "requires_text", "selectors"]
