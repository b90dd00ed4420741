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

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, IntType, PointerType, StructType, VoidType, may_alias

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
PRECONDITION_IDS = ("memory.null", "memory.bounds", "memory.string", "memory.pointer-arith", "memory.overlap")
STRING_FUNCS = {"strlen", "strcmp", "strncmp", "strchr", "strcpy", "strncpy"}
MEMORY_FUNCS = {"malloc", "calloc", "realloc", "free", "memcpy", "memmove", "memset", "memcmp", "strlen", "strcmp",
                "strncmp", "strchr", "strcpy", "strncpy"}
SCAN_WINDOW = 16  # characters a string function's scan is followed exactly in an object of unknown size
MAX_SCAN_WINDOW = 64  # ... and at most this many in an array of known size (beyond: unknown, not refuted)
CHAR = IntType("char", True, 8)


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
    later_nuls: list[Any] = field(default_factory=list)  # NULs promised to aliases into it (at or after them)
    initial: Any = None  # a parameter's contents at entry (for counterexamples)
    readonly: bool = False  # a string literal: writing to it is undefined (never proved)
    site: Any = None  # a heap block: the span its leak check is reported at (the allocating call)
    made: Any = None  # ... and when it exists (the path reached the call and the allocation succeeded)
    summarised: bool = False  # allocated in a loop run once for all its iterations: one of many blocks


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


POSSIBLE_NODES = 4096  # the most nodes _possible reads before it answers "any" (a pointer's If DAG)


def _possible(obj: Any) -> set[int] | None:
    """The object ids an object term can take (None: any), read off its structure. The term is a
    DAG of Ifs (a pointer merged at every join of a loop's unrolling): each node is read once,
    and past POSSIBLE_NODES the answer is "any", which is sound (strchr in a loop made it
    exponential: the function ran for minutes past every deadline)."""
    memo: dict[tuple[int, bool], set[int] | None] = {}
    budget = [POSSIBLE_NODES]

    def of(z: Any, extract: bool) -> set[int] | None:
        """``z``'s object ids: ``z`` an object term, or (``extract``) a whole pointer."""
        key = (z.get_id(), extract)
        if key in memo:
            return memo[key]
        budget[0] -= 1
        if budget[0] < 0:
            return None
        out: set[int] | None = None
        if z3.is_bv_value(z):
            out = {z.as_long() >> OFF_BITS} if extract else {z.as_long()}
        elif z3.is_app_of(z, z3.Z3_OP_ITE):
            a, b = of(z.arg(1), extract), of(z.arg(2), extract)
            out = None if a is None or b is None else a | b
        elif extract and z3.is_app_of(z, z3.Z3_OP_CONCAT) and z.arg(0).size() == OBJ_BITS:
            out = of(z.arg(0), False)
        elif not extract and z3.is_app_of(z, z3.Z3_OP_EXTRACT) and z.params() == [PTR_BITS - 1, OFF_BITS]:
            out = of(z.arg(0), True)
        memo[key] = out
        return out

    return of(obj, False)


def _mentions_global(term: Any, memo: dict[int, tuple[Any, bool]]) -> bool:
    """Does ``term`` hold the entry value of a global (a constant named ``g:NAME!n``)? ``memo``
    keeps each node's answer (and the node, so its id stays its own) across the calls of one run:
    a pointer walked down a list is a DAG growing by one load per iteration, and walking it
    whole at every access took 2 of length()'s 14 s."""
    stack: list[tuple[Any, bool]] = [(term, False)]
    while stack:
        t, expanded = stack.pop()
        i = t.get_id()
        if i in memo:
            continue
        if expanded:
            memo[i] = (t, any(memo[c.get_id()][1] for c in t.children()))
            continue
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            memo[i] = (t, t.decl().name().startswith("g:"))
            continue
        stack.append((t, True))
        stack.extend((c, False) for c in t.children() if c.get_id() not in memo)
    return memo[term.get_id()][1]


def _same_repr(a: CType | None, b: CType | None) -> bool:
    """Accesses of type ``a`` to elements of type ``b`` read the same bits (signedness aside)."""
    if isinstance(a, IntType) and isinstance(b, IntType):
        return a.bits == b.bits and a.is_bool == b.is_bool
    if isinstance(a, StructType) and isinstance(b, StructType):
        return a.name == b.name and a.fields == b.fields
    return False


def flat_struct(t: CType) -> bool:
    """A struct the model keeps as one array per member: members that are integers, pointers (a
    64-bit pointer term; one loaded from memory is of unknown origin) or fixed-size arrays of
    those (one array for all elements' copies: element ``off`` holds ``a[i]`` at ``off * n + i``)."""
    return isinstance(t, StructType) and not t.union and bool(t.fields) and \
        all(_flat_member(ft, True) for _, ft in t.fields)


def _flat_member(ft: CType, top: bool) -> bool:
    """An integer, a pointer, a struct of such members (nested: ``p->pos.x``, its arrays per
    member), or at the top level a fixed-size array of integers or pointers."""
    if isinstance(ft, IntType | PointerType):
        return True
    if isinstance(ft, StructType):
        return not ft.union and bool(ft.fields) and all(_flat_member(m, False) for _, m in ft.fields)
    return top and isinstance(ft, ArrayType) and isinstance(ft.elem, IntType | PointerType) and \
        ft.size is not None and ft.size > 0


def _select(a: Val, at: Any) -> Val | None:
    """Element ``at`` of a member's contents: one array, or (a nested struct) one per member."""
    from analysis.engine.symexec import Val

    assert isinstance(a.ty, ArrayType)
    if a.fields is not None:
        parts = {f: _select(v, at) for f, v in a.fields.items()}
        return None if any(p is None for p in parts.values()) else Val(a.ty.elem, None, parts)  # type: ignore[arg-type]
    return None if a.z is None else Val(a.ty.elem, z3.Select(a.z, at))


def _store(a: Val, at: Any, v: Val) -> Val | None:
    """``a`` with element ``at`` replaced by ``v`` (member by member for a nested struct)."""
    from analysis.engine.symexec import Val

    if a.fields is not None:
        if v.fields is None:
            return None
        parts = {f: _store(sub, at, v.fields[f]) if f in v.fields else None for f, sub in a.fields.items()}
        return None if any(p is None for p in parts.values()) else Val(a.ty, None, parts)  # type: ignore[arg-type]
    if a.z is None or v.z is None or v.z.sort() != a.z.sort().range():
        return None
    return Val(a.ty, z3.Store(a.z, at, v.z))


NEVER_WRITTEN_STEPS = 256
NEVER_WRITTEN_READ = "a read of memory never written (its value is no run's)"
HARNESS_BLOCK_MAX = 1 << 31  # bytes: a larger block given is possible, but no run can count on it
STRING_NEVER_WRITTEN = "a string function reading bytes never written (their values are no run's)"


def _decided(cond: Any) -> bool | None:
    """A condition's constant truth value, where simplification finds one."""
    c = z3.simplify(cond)
    return True if z3.is_true(c) else False if z3.is_false(c) else None


def leaves(v: Val) -> list[Val]:
    """The scalar parts of a value: itself, or its members' (nested structs member by member)."""
    return [v] if v.fields is None else [leaf for f in v.fields.values() for leaf in leaves(f)]


def _has_array_member(t: CType | None) -> bool:
    return isinstance(t, StructType) and any(isinstance(ft, ArrayType) for _, ft in t.fields)


def pointers_in(v: Val) -> list[Any]:
    """The pointer terms a value holds (itself, its members)."""
    if v.fields is not None:
        return [z for f in v.fields.values() for z in pointers_in(f)]
    return [v.z] if isinstance(v.ty, PointerType) and v.z is not None and v.z.size() == PTR_BITS else []


def has_pointers(t: CType | None) -> bool:
    """Does a value of type ``t`` hold a pointer (itself, or a member)?"""
    return isinstance(t, PointerType) or isinstance(t, StructType) and \
        any(has_pointers(ft.elem if isinstance(ft, ArrayType) else ft) for _, ft in t.fields)


@dataclass
class ByteStream:
    """What a string argument points to, as a library function reads it from its offset on."""

    mem: Memory
    objs: list[MemObject]  # the objects it may point into
    o_t: Any
    off: Any
    arr: Any  # the bytes: an If over the candidate objects' contents

    def at(self, k: Any) -> Any:
        """The byte ``k`` places after the start."""
        return z3.Select(self.arr, self.off + k)

    def inside(self, k: Any) -> Any:
        m = self.mem
        return z3.Or(*[z3.And(self.o_t == m.bv(o.id, OBJ_BITS), m._inside(o, self.off + k, m.bv(1, W)))
                       for o in self.objs], m.ex.ctx)

    def within(self, n: Any | None) -> Any:
        """The first ``n`` bytes lie inside the object (a bound that ends any scan inside)."""
        m = self.mem
        if n is None:
            return z3.BoolVal(False, m.ex.ctx)
        small = z3.ULE(n, m.bv(MAX_PARAM_ELEMS, W))  # no wrap-around in offset + n
        return z3.And(small, z3.Or(*[z3.And(self.o_t == m.bv(o.id, OBJ_BITS), m._inside(o, self.off, n))
                                     for o in self.objs], m.ex.ctx))

    def promised_nuls(self) -> list[tuple[MemObject, Any]]:
        """The places of NULs the precondition promises in parameters' objects (its own, an alias's)."""
        return [(o, w) for o in self.objs if o.kind == "param" and o.nul is not None for w in [o.nul, *o.later_nuls]]

    def nul_ahead(self, o: MemObject, w: Any) -> Any:
        """Place ``w`` of object ``o`` (a promised NUL) is at or after the start, inside, and 0."""
        m = self.mem
        return z3.And(self.o_t == m.bv(o.id, OBJ_BITS), self.off >= 0, z3.ULE(self.off, w), z3.ULT(w, o.size),
                      z3.Select(self.arr, w) == 0)

    def terminated(self) -> Any:
        """Some NUL lies ahead inside the object: a scan that stops at a NUL stays inside."""
        return z3.Or(*[self.nul_ahead(o, w) for o, w in self.promised_nuls()], self.mem.ex.ctx)


@dataclass
class Scan:
    """A library function's walk over its string arguments, followed exactly position by position
    for ``window`` places (the loop of strlen, strcmp, strchr, ... unrolled)."""

    ends: list[tuple[Any, int, bool]]  # (the walk ends at place k, k, whether byte k was read)
    oob: list[Any]  # the walk reads place k outside an object (a real violation)
    beyond: Any  # the walk goes on past the window
    window: int


class Memory:
    """The executor's memory: the object table of one run, and every access through a pointer."""

    def __init__(self, ex: Executor) -> None:
        self.ex = ex
        self.objects: dict[int, MemObject] = {}
        self.by_key: dict[str, MemObject] = {}
        self.params: list[ParamPointer] = []
        # objects of parameters the written precondition grants only \\valid_read: a write through
        # one is not covered by it (set2(char *p) writing p[2] under \\valid_read(p + (0 .. 3)) was
        # proved; the caller may pass a string literal)
        self.read_only_params: dict[int, str] = {}
        self.allocations: list[tuple[Any, Any]] = []  # (fail choice, pc) of each malloc, for replay
        self.written_params: set[str] = set()  # parameters written through (\\valid, not \\valid_read)
        self.literals: dict[int, MemObject] = {}  # string literals passed to library functions, by node
        # paths on which memory outside the object table may have been written or freed (a write
        # through a pointer that lost its origin, an unmodelled call): no assigns clause is proved there
        self.escapes: list[Any] = []
        self.stored: list[tuple[Any, Any]] = []  # (pc, pointer) of each pointer written to memory
        self.global_memo: dict[int, tuple[Any, bool]] = {}  # _mentions_global's answers, by node
        # the arrays standing for heap bytes never written (malloc's block, realloc's new tail), by
        # z3 id: a value read from one is no run's (under AddressSanitizer it is 0xbe bytes)
        self.uninitialised: set[int] = set()
        # a heap block's contents at allocation, made on first use: one for every path, so a path
        # that never touched the block (a loop run zero times) merges with its first contents, not
        # with another path's writes (`for (i < n) p[i] = i + 1;` made p[0] 1 when n == 0 too)
        self.initial: dict[str, Val] = {}
        self.rewritten: int | None = None  # the node of a struct read only to write a member back

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

    def _contents(self, elem: CType, name: str, zero: bool, uninitialised: bool = False) -> Val | None:
        """Fresh (or zeroed) contents of an object of unknown size: one array, or one per field.
        ``uninitialised``: a heap block's bytes no one wrote (not a caller's, which a harness sets)."""
        from analysis.engine.symexec import Val

        idx = z3.BitVecSort(W, self.ex.ctx)
        if isinstance(elem, IntType | PointerType):
            bits = PTR_BITS if isinstance(elem, PointerType) else 1 if elem.is_bool else elem.bits
            if zero:
                return Val(ArrayType(elem, None), z3.K(idx, self.bv(0, bits)))
            self.ex.fresh_n += 1
            arr = z3.Const(f"{name}!{self.ex.fresh_n}", z3.ArraySort(idx, z3.BitVecSort(bits, self.ex.ctx)))
            if uninitialised:
                self.uninitialised.add(arr.get_id())
            return Val(ArrayType(elem, None), arr)
        if flat_struct(elem):
            assert isinstance(elem, StructType)
            fields = {}
            for fname, ft in elem.fields:
                v = self._contents(ft.elem if isinstance(ft, ArrayType) else ft, f"{name}.{fname}", zero,
                                   uninitialised)
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
            elif flat_struct(v.ty) and v.fields is not None:
                o = self._new(key, "var", v.ty, 1, self.ex.display(key), depth)
            else:
                return None
        assert o.elem is not None
        o.readonly = o.readonly or key in self.ex.const_keys  # writing a const object is undefined (6.7.3p6)
        return Val(PointerType(o.elem), self.pointer(o.id, self.bv(0, W)))

    # -- parameters -----------------------------------------------------------------------
    def parameter(self, name: str, t: PointerType, st: State) -> Val | None:
        """A pointer parameter: NULL, its own object of unknown size, or an alias of an earlier one."""
        from analysis.engine.symexec import Val

        target = t.target
        if not (isinstance(target, IntType) or flat_struct(target)):
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
        # ... nor than the user address space (47 bits on x86-64): its offsets fit the pointer's
        # 48-bit offset field (an alias 2^48 elements in read as one before its object)
        biggest = self.largest_block() // size
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
            if isinstance(p.target, IntType) and p.target.bits == 8 and p.target.signed:  # unsigned char: bytes
                nul = p.obj.nul
                assert p.obj.initial is not None and p.obj.initial.z is not None
                is_string = z3.And(obj_of(p.value) == self.bv(p.obj.id, OBJ_BITS), off_of(p.value) == 0,
                                   z3.ULT(nul, p.obj.size), z3.Select(p.obj.initial.z, nul) == 0)
                aliased = []  # or inside an earlier parameter's string: a NUL there at or after p
                for q in self.params[:k]:
                    if q.obj in objs[1:] and q.obj.initial is not None and q.obj.initial.z is not None:
                        at = ex.fresh(f"{p.name}.nul_in_{q.name}", W)
                        q.obj.later_nuls.append(at)
                        aliased.append(z3.And(obj_of(p.value) == self.bv(q.obj.id, OBJ_BITS), off_of(p.value) <= at,
                                              z3.ULT(at, q.obj.size), z3.Select(q.obj.initial.z, at) == 0))
                cands.append((f"valid_read_string({p.name})", z3.Or(is_string, *aliased)))
            cands += self._separation_templates(p, k, int_params)
            for text, cond in cands:
                sel = ex.fresh_bool(f"requires {text}")
                p.templates.append((text, sel))
                st.pc = z3.And(st.pc, z3.Implies(sel, cond))

    def _separation_templates(self, p: ParamPointer, k: int, int_params: list[tuple[str, Val]]) -> list[tuple[str, Any]]:
        """``\\separated(p + (0 .. n-1), q + (0 .. n-1))`` for each earlier parameter ``q`` that ``p``
        may alias (same pointee type) and each integer parameter ``n``. (Not ``\\separated(p, q)``:
        one element each says nothing of the ranges a copy touches, and the engine's parameters
        start their objects, so a proof from it would lean on that and the checker refuse it.)"""
        out: list[tuple[str, Any]] = []
        for q in self.params[:k]:
            if not _same_repr(q.target, p.target):
                continue
            for iname, iv in int_params:
                if iv.z is None or not isinstance(iv.ty, IntType):
                    continue
                n = z3.SignExt(W - iv.ty.bits, iv.z) if iv.ty.signed else z3.ZeroExt(W - iv.ty.bits, iv.z)
                empty = z3.Or(n <= 0, n > self.bv(1 << 40, W)) if iv.ty.signed else z3.Or(n == 0, z3.UGT(n, self.bv(1 << 40, W)))
                a, b = off_of(p.value), off_of(q.value)
                out.append((f"\\separated({p.name} + (0 .. {iname}-1), {q.name} + (0 .. {iname}-1))",
                            z3.Or(empty, obj_of(p.value) != obj_of(q.value), a + n <= b, b + n <= a)))
        return out

    def out_of_scope(self, o: MemObject) -> bool:
        """A local whose block has ended here (its lifetime is over, C11 6.2.4p6): scopes are
        lexical, so this is a property of the access's place, whatever path led to it (a break, a
        goto or the block's end)."""
        if o.kind != "var" or o.key.startswith("g:") or "#" not in o.key:
            return False
        name, rest = o.key.split("#", 1)
        if name in self.ex.static_names:
            return False
        depth = int(rest.split(".", 1)[0])
        if depth > len(self.ex.frames):
            return True  # its function has returned
        return not any(o.key in scope.values() for scope in self.ex.frames[depth - 1].scopes)

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
    def _spec_location(self, arg: c_ast.Node, st: State) -> tuple[Val, Any, Any, Any, list[Any]] | None:
        """An ACSL location ``p`` or ``p + (lo .. hi)`` (a rewritten ``__pl_range``): the pointer,
        the bounds in elements (W bits), when the range is empty, and the bounds' own side conditions
        (None: not a modelled pointer, reported unknown)."""
        ex = self.ex
        lo: Any = self.bv(0, W)
        hi: Any = self.bv(0, W)
        ptr_e = arg
        fits: list[Any] = []
        empty: Any = z3.BoolVal(False, ex.ctx)
        if isinstance(arg, c_ast.BinaryOp) and arg.op == "+" and isinstance(arg.right, c_ast.FuncCall) and \
                isinstance(arg.right.name, c_ast.ID) and arg.right.name.name == "__pl_range" and \
                arg.right.args is not None and len(arg.right.args.exprs) == 2:
            ptr_e = arg.left
            bounds = []
            for e in arg.right.args.exprs:
                v = ex.as_int(ex.rvalue(e, st), st, e)
                assert isinstance(v.ty, IntType)
                # exact at a width holding both the value (spec arithmetic widens) and W + 2 bits
                big = max(v.ty.bits + (0 if v.ty.signed else 1), W + 2)
                z = v.z if big == v.ty.bits else \
                    (z3.SignExt if v.ty.signed else z3.ZeroExt)(big - v.ty.bits, v.z)
                fits.append(z3.And(z >= -(1 << 40), z <= (1 << 40)))
                bounds.append(z3.Extract(W - 1, 0, z))
            lo, hi = bounds
            empty = z3.And(*fits, hi < lo)
        pv = ex.pointer_rvalue(ptr_e, st)
        if pv is None or not isinstance(pv.ty, PointerType):
            return None
        return pv, lo, hi, empty, fits

    def spec_valid(self, arg: c_ast.Node, st: State, write: bool = True) -> Any:
        """``\\valid(p)`` or ``\\valid(p + (lo .. hi))``: the elements lie inside a live object (an
        empty range is valid), one that may be written (not a string literal or a const) unless
        ``write`` is False (``\\valid_read``): up3("abc") met up3's \\valid(s + (0 .. 2))."""
        ex = self.ex
        loc = self._spec_location(arg, st)
        if loc is None:
            raise_unsupported("\\valid of something that is not a modelled pointer", ex, arg)
            return z3.BoolVal(False, ex.ctx)
        pv, lo, hi, empty, fits = loc
        ids = _possible(obj_of(pv.z))
        assert isinstance(pv.ty, PointerType)
        if ids is None:
            # a pointer that may point anywhere (an unmodelled struct's parameter, a global): the
            # objects the engine knows are not all it may point to, and a requires read as
            # "one of them" would assume too much (read as false, it assumed everything)
            raise_unsupported("\\valid of a pointer the engine does not follow", ex, arg)
        near = [o for o in self.objects.values() if ids is None or o.id in ids]
        for o in near:
            if o.elem is None and o.kind == "heap":
                self.type_heap(o, pv.ty.target, st)  # (a fresh block gets its type from its first typed use)
        objs = [o for o in near if _same_repr(o.elem, pv.ty.target)]
        inside = [z3.And(self.valid_range(pv.z, o, lo, hi - lo + 1), self.live(o, st)) for o in objs
                  if not (write and o.readonly)]
        other = [o for o in near if not _same_repr(o.elem, pv.ty.target)] if ids is not None else []
        if other:
            # memory of another type is valid memory all the same, but its extent in these elements
            # is not modelled: unknown there (read as false, a fresh malloc(8) was "refuted" for an
            # int's \\valid), and a violation through it is never reported
            ex.mark("\\valid of a pointer into an object of another type", st, arg)
            o_t = obj_of(pv.z)
            inside.append(z3.And(z3.Or(*[o_t == self.bv(o.id, OBJ_BITS) for o in other]), ex.fresh_bool("valid_other")))
        return z3.Or(empty, z3.And(*fits, z3.Or(*inside) if inside else z3.BoolVal(False, ex.ctx)))

    def spec_separated(self, args: list[c_ast.Node], st: State) -> Any:
        """``\\separated(l1, l2, ...)``: no two of the locations share an element. Offsets count
        elements of the object's type, so locations of different pointee types are not judged."""
        ex = self.ex
        locs = []
        for a in args:
            loc = self._spec_location(a, st)
            if loc is None:
                raise_unsupported("\\separated of something that is not a modelled pointer", ex, a)
                return z3.BoolVal(False, ex.ctx)
            locs.append(loc)
        apart = []
        for i, (p, lo, hi, empty, fits) in enumerate(locs):
            for q, lo2, hi2, empty2, fits2 in locs[i + 1:]:
                assert isinstance(p.ty, PointerType) and isinstance(q.ty, PointerType)
                if not _same_repr(p.ty.target, q.ty.target):
                    raise_unsupported("\\separated of pointers to different types", ex, args[0])
                    return z3.BoolVal(False, ex.ctx)
                start, end = off_of(p.z) + lo, off_of(p.z) + hi
                start2, end2 = off_of(q.z) + lo2, off_of(q.z) + hi2
                apart.append(z3.And(*fits, *fits2, z3.Or(empty, empty2, obj_of(p.z) != obj_of(q.z),
                                                            end < start2, end2 < start)))
        return z3.And(*apart)

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
        """Elements [off, off + cnt) lie inside ``o``, without wrapping (a count near 2^64 is not small)."""
        if o.kind == "var":
            n = self.bv(o.size, W)
        else:
            n = z3.UDiv(o.size, self.bv(self.ex.dm.sizeof(o.elem) or 1 if o.elem is not None else 1, W))
        return z3.And(off >= 0, z3.ULE(cnt, n), z3.ULE(off, n - cnt))

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
        if isinstance(t, IntType) or flat_struct(t):
            o.elem = t

    def contents(self, o: MemObject, st: State) -> Val | None:
        """The object's contents in this state; a heap block's are made on first use (calloc's
        zeroed, malloc's arbitrary)."""
        cur = st.env.get(o.key)
        if cur is None and o.kind == "heap" and o.elem is not None:
            cur = self.initial.get(o.key)
            if cur is None:
                zero = o.key + ":zero" in st.env
                cur = self._contents(o.elem, o.name, zero, uninitialised=not zero)
            if cur is not None:
                self.initial[o.key] = cur
                st.env[o.key] = cur
        return cur

    # -- accesses -------------------------------------------------------------------------
    def access(self, pv: Val, idx: Any, st: State, node: c_ast.Node | None, what: str,
               member: str | None = None, sub: Any = None) -> tuple[list[MemObject], Any] | None:
        """The checks of an access ``pv[idx]`` (null, use after free, bounds), each assumed after;
        the candidate objects and the element offset. ``sub``: the index into a member array
        (``p->a[i]``), checked against the member's length first (``bounds.index``)."""
        from analysis.engine.symexec import State

        ex = self.ex
        assert isinstance(pv.ty, PointerType)
        t = pv.ty.target
        objs = self.candidates(pv.z, t, st, node, what)
        if objs is None:
            return None
        if member is not None and not (flat_struct(t) and isinstance(t, StructType) and t.field(member) is not None):
            ex.memory_access(f"{what} of a member of an unmodelled struct", st, node)
            return None
        ft = t.field(member) if member is not None and isinstance(t, StructType) else None
        if isinstance(ft, ArrayType) != (sub is not None):
            # a member array used as a pointer (passed on, or its address taken): a pointer into
            # the middle of an object of another element type, which the model does not follow
            ex.memory_access(f"{what} of a member array through a pointer", st, node)
            return None
        if _has_array_member(t) and member is None:
            ex.memory_access(f"{what} of a whole struct with an array member", st, node)
            return None
        if isinstance(ft, ArrayType):
            assert ft.size is not None and isinstance(t, StructType)
            n = self.bv(ft.size, W)
            outside = z3.Or(sub < 0, sub >= n)
            maybe = None
            if t.fields[-1][0] == member:
                # the last member: gcc takes it as open-ended (the struct hack, a flexible array
                # before C99), and -fsanitize=bounds does not check it; an index past it whose
                # bytes stay in the object is UB no sanitizer reports: only possible. The value
                # read there is another place's in the model: no violation after it is refuted.
                fits = self._member_fits(obj_of(pv.z), off_of(pv.z) + idx, objs, t, member, sub)
                inside = z3.Or(*fits[1]) if fits is not None else z3.BoolVal(False, ex.ctx)
                maybe = ("an index past the last member array, inside the object (gcc does not check it)", inside)
                ex.mark(maybe[0], State(z3.And(st.pc, outside, inside), st.env), node)
            ex.check("bounds.index", outside, st, node, [("index", sub)], maybe=maybe)
        o_t = obj_of(pv.z)
        off = off_of(pv.z) + idx
        self.null_and_freed(pv.z, objs, st, node)
        inside = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, off, self.bv(1, W))) for o in objs]
        ex.check("memory.bounds", z3.Not(z3.Or(*inside)) if inside else z3.BoolVal(True, ex.ctx), st, node,
                 [("offset", off)], maybe=self.lost(o_t, self._member_fits(o_t, off, objs, t, member, sub)))
        return objs, off

    def _member_fits(self, o_t: Any, off: Any, objs: list[MemObject], t: CType, member: str | None,
                     sub: Any) -> tuple[str, list[Any]] | None:
        """A member access in a block of bytes that holds the member but not the whole struct
        (``malloc(sizeof(int) + 1)`` as a ``struct node``): the model counts whole structs, so
        it is out of bounds there, but the bytes read are inside, which no sanitizer sees. Only
        possible, never refuted."""
        if member is None or not isinstance(t, StructType):
            return None
        dm = self.ex.dm
        size, places, ft = dm.sizeof(t), dm.offsets(t), t.field(member)
        if ft is None or not size or places is None:
            return None
        where = places[[name for name, _ in t.fields].index(member)]
        width = dm.sizeof(ft.elem if isinstance(ft, ArrayType) else ft) or 1
        start = off * self.bv(size, W) + self.bv(where, W) + (sub * self.bv(width, W) if sub is not None else 0)
        def nbytes(o: MemObject) -> Any:  # (a variable's size counts its elements, a block's its bytes)
            return self.bv(o.size * size, W) if o.kind == "var" else o.size
        conds = [z3.And(o_t == self.bv(o.id, OBJ_BITS), off >= 0, start >= 0, z3.ULE(start + self.bv(width, W), nbytes(o)))
                 for o in objs if o.kind in FREEABLE or o.kind == "var" and isinstance(o.size, int)]
        return ("a member inside a block smaller than its struct", conds) if conds else None

    def read(self, pv: Val, idx: Any, st: State, node: c_ast.Node | None, member: str | None = None,
             sub: Any = None) -> Val:
        from analysis.engine.symexec import State, Val

        ex = self.ex
        assert isinstance(pv.ty, PointerType)
        t = pv.ty.target
        got = self.access(pv, idx, st, node, "read", member, sub)
        result_t = t.field(member) if member is not None and isinstance(t, StructType) else t
        if isinstance(result_t, ArrayType) and sub is not None:
            result_t = result_t.elem
        if result_t is not None:
            result_t = ex.complete(result_t)
        if got is None or result_t is None:
            return ex.havoc(result_t or t, "mem")
        objs, off = got
        o_t = obj_of(pv.z)
        lost = self.lost(o_t)
        if lost is not None and ex.mode == "exact":
            # where it points at no object the engine knows, the value read is a fresh one at
            # every read, which no run has (two reads of one place differ): no violation after it
            # is refuted (a T ** parameter's *pp read twice, a struct's pointer member passed by
            # value). Only in the exact run, whose violations are refutations: in the abstract
            # run a loop havocs the pointers it moves, and a marker in a loop's body keeps its
            # invariants and closed forms from being used (base64's encode lost 5 proofs)
            ex.mark("a read through a pointer of unknown origin", State(z3.And(st.pc, lost[1]), st.env), node)
        if not objs:
            return ex.havoc(result_t, "mem")
        # where the pointer points at no object the engine knows, the value is anybody's guess
        acc: Val | None = ex.havoc(result_t, "mem") if _possible(o_t) is None else None
        for o in reversed(objs):
            v = self._element(o, off, st, member, sub)
            if v is None:
                ex.memory_access("read of an element the engine cannot represent", st, node)
                return ex.havoc(result_t, "mem")
            v = Val(result_t, v.z, v.fields)
            acc = v if acc is None else ex.ite_val(o_t == self.bv(o.id, OBJ_BITS), v, acc)
        assert acc is not None
        if node is None or id(node) != self.rewritten:
            self.mark_never_written(acc, st, node)
        if has_pointers(result_t) and (_possible(o_t) is None or any(o.kind != "var" for o in objs)):
            # a pointer loaded from memory: the engine does not know where the caller's (or an
            # uninitialised block's) pointers point, so no violation after it is refuted: the
            # harness could not build the memory it would need
            ex.mark("a pointer loaded from memory (where it points is not known)", st, node)
        return acc

    def _element(self, o: MemObject, off: Any, st: State, member: str | None, sub: Any = None) -> Val | None:
        from analysis.engine.symexec import Val

        cur = self.contents(o, st)
        if cur is None:
            return None
        if o.kind == "var" and not isinstance(cur.ty, ArrayType):
            if member is not None:
                f = cur.fields.get(member) if cur.fields is not None else None
                if sub is not None:  # (the object is the one struct: its offset is 0)
                    return None if f is None or f.z is None or not isinstance(f.ty, ArrayType) else \
                        Val(f.ty.elem, z3.Select(f.z, sub))
                return f
            return cur
        if isinstance(cur.ty, ArrayType) and cur.fields is not None:
            if member is None:
                return _select(cur, off)
            a = cur.fields.get(member)
            return None if a is None else _select(a, self._flat_index(o, member, off, sub))
        if cur.z is None or not isinstance(cur.ty, ArrayType) or member is not None:
            return None
        return Val(cur.ty.elem, z3.Select(cur.z, off))

    def mark_never_written(self, v: Val, st: State, node: c_ast.Node | None,
                           what: str = NEVER_WRITTEN_READ) -> None:
        """A value read from heap bytes never written is no run's value (a harness cannot set it;
        AddressSanitizer fills them with 0xbe): no violation after the read is refuted where it
        may be of such bytes (malloc's block, realloc's new tail, a local declared without a
        value). The exact run's only: its violations are the refutations."""
        from analysis.engine.symexec import State

        if not self._watching():
            return
        never = self.never_written(v)
        if never is not None:
            self.ex.mark(what, State(z3.And(st.pc, never), st.env), node)

    def _watching(self) -> bool:
        """Are reads of never-written bytes marked here (the exact run's, outside scratch work)?"""
        return self.ex.mode == "exact" and bool(self.uninitialised) and not self.ex.scratch_depth

    def never_written(self, v: Val) -> Any:
        """Where value ``v`` (read from a heap object) comes from bytes never written: a condition,
        or None where it never does. Follows the array terms the model builds: stores (written at
        their index), if-then-else (paths merged), lambdas (memset, realloc's blend); any other
        array is a caller's or zeroed or havocked, whose values a run may have."""
        parts = [leaf.z for leaf in leaves(v)]
        # (a fully unrolled nested loop's contents are a large DAG: past this many steps the read
        # is taken as possibly never written, which only costs refutations)
        memo: dict[tuple[int, int], Any] = {(-1, -1): [NEVER_WRITTEN_STEPS]}
        conds = [c for c in (self._never(z, memo) for z in parts if z is not None) if c is not None]
        if memo[(-1, -1)][0] < 0:  # too large to say where: the whole path (a large condition slows every query)
            return z3.BoolVal(True, self.ex.ctx) if conds else None
        return z3.Or(*conds) if conds else None

    def _never(self, value: Any, memo: dict[tuple[int, int], Any]) -> Any:
        key = (value.get_id(), -2)
        if key in memo:
            return memo[key]
        memo[key] = out = self._never_value(value, memo)
        return out

    def _never_value(self, value: Any, memo: dict[tuple[int, int], Any]) -> Any:
        steps = memo[(-1, -1)]
        steps[0] -= 1
        if steps[0] < 0:
            return z3.BoolVal(True, value.ctx)
        if value.get_id() in self.uninitialised:  # (a local's value at its declaration)
            return z3.BoolVal(True, value.ctx)
        if z3.is_app_of(value, z3.Z3_OP_SELECT) and value.num_args() == 2:
            return self._never_in(value.arg(0), value.arg(1), memo)
        if z3.is_app_of(value, z3.Z3_OP_ITE):
            side = _decided(value.arg(0))
            if side is not None:
                return self._never(value.arg(1) if side else value.arg(2), memo)
            a, b = self._never(value.arg(1), memo), self._never(value.arg(2), memo)
            if a is None and b is None:
                return None
            false = z3.BoolVal(False, value.ctx)
            return z3.If(value.arg(0), a if a is not None else false, b if b is not None else false)
        return None

    def _never_in(self, arr: Any, at: Any, memo: dict[tuple[int, int], Any]) -> Any:
        at_id = at.get_id()
        key = (arr.get_id(), at_id)
        if key in memo:
            return memo[key]
        steps = memo[(-1, -1)]
        # down the chain of stores to a node already asked or a base (an unrolled loop's exits
        # share their chains: each node is asked once, so the walk is linear in the term's DAG)
        chain: list[Any] = []
        node = arr
        while z3.is_app_of(node, z3.Z3_OP_STORE) and node.num_args() == 3 and (node.get_id(), at_id) not in memo:
            steps[0] -= 1
            if steps[0] < 0:
                memo[key] = z3.BoolVal(True, arr.ctx)
                return memo[key]
            chain.append(node)
            node = node.arg(0)
        base_key = (node.get_id(), at_id)
        if base_key in memo:
            inner = memo[base_key]
        else:
            steps[0] -= 1  # (merged paths nest if-then-else arrays: every node counts, not only stores)
            if steps[0] < 0:
                memo[key] = z3.BoolVal(True, arr.ctx)
                return memo[key]
            inner = None
            if node.get_id() in self.uninitialised:
                inner = z3.BoolVal(True, node.ctx)
            elif z3.is_app_of(node, z3.Z3_OP_ITE):
                side = _decided(node.arg(0))  # (a loop's exits after a constant bound: all but one dead)
                if side is not None:
                    inner = self._never_in(node.arg(1) if side else node.arg(2), at, memo)
                else:
                    a, b = self._never_in(node.arg(1), at, memo), self._never_in(node.arg(2), at, memo)
                if side is None and (a is not None or b is not None):
                    false = z3.BoolVal(False, node.ctx)
                    inner = z3.If(node.arg(0), a if a is not None else false, b if b is not None else false)
            elif z3.is_quantifier(node) and node.is_lambda() and node.num_vars() == 1:
                inner = self._never(z3.substitute_vars(node.body(), at), memo)
            elif z3.is_app_of(node, z3.Z3_OP_SELECT) and z3.is_array(node):
                # a row of an array of arrays (`a[i]` of `int a[3][3]`): the select pushed through
                # what the outer array is (a store: the row stored there, or the select below)
                rows, r = node.arg(0), node.arg(1)
                if rows.get_id() in self.uninitialised:
                    inner = z3.BoolVal(True, node.ctx)
                elif z3.is_app_of(rows, z3.Z3_OP_STORE) and rows.num_args() == 3:
                    hit = z3.simplify(r == rows.arg(1))  # (constant indices: one side only)
                    pushed = rows.arg(2) if z3.is_true(hit) else z3.Select(rows.arg(0), r) if z3.is_false(hit) \
                        else z3.If(hit, rows.arg(2), z3.Select(rows.arg(0), r))
                    inner = self._never_in(pushed, at, memo)
                elif z3.is_app_of(rows, z3.Z3_OP_ITE):
                    pushed = z3.If(rows.arg(0), z3.Select(rows.arg(1), r), z3.Select(rows.arg(2), r))
                    inner = self._never_in(pushed, at, memo)
                elif z3.is_quantifier(rows) and rows.is_lambda() and rows.num_vars() == 1:
                    inner = self._never_in(z3.substitute_vars(rows.body(), r), at, memo)
                elif self._mentions_uninitialised(node, steps):  # (a shape not followed: any counts)
                    inner = z3.BoolVal(True, node.ctx)
            memo[base_key] = inner
        for n in reversed(chain):
            put = n.arg(2)
            # (a member written back with its own value, when another member of its struct is
            # written, `s->in.x = 0` storing in.y again, writes nothing)
            rewrite = z3.is_app_of(put, z3.Z3_OP_SELECT) and put.arg(0).eq(n.arg(0)) and put.arg(1).eq(n.arg(1))
            if not rewrite:
                # the value stored may be one never written itself (`*out = r` of a local r
                # with a member never assigned: r.s was refuted through out->s)
                stored = self._never(put, memo)
                if stored is not None:
                    inner = z3.If(at == n.arg(1), stored, inner if inner is not None else z3.BoolVal(False, at.ctx))
                elif inner is not None:
                    inner = z3.And(at != n.arg(1), inner)
            memo[(n.get_id(), at_id)] = inner
        return inner

    def _mentions_uninitialised(self, term: Any, steps: list[int]) -> bool:
        seen: set[int] = set()
        todo = [term]
        while todo:
            t = todo.pop()
            if t.get_id() in seen:
                continue
            seen.add(t.get_id())
            steps[0] -= 1
            if steps[0] < 0 or t.get_id() in self.uninitialised:
                return True
            if z3.is_app(t):
                todo.extend(t.children())
        return False

    def _flat_index(self, o: MemObject, member: str, off: Any, sub: Any) -> Any:
        """Where element ``off``'s member (``[sub]`` of a member array) sits in the member's array."""
        if sub is None:
            return off
        ft = o.elem.field(member) if isinstance(o.elem, StructType) else None
        assert isinstance(ft, ArrayType) and ft.size is not None
        return off * self.bv(ft.size, W) + sub

    def write(self, pv: Val, idx: Any, v: Val, st: State, node: c_ast.Node | None, member: str | None = None,
              sub: Any = None) -> None:
        ex = self.ex
        got = self.access(pv, idx, st, node, "write", member, sub)
        if got is None:
            self.havoc_objects(st)
            return
        objs, off = got
        objs = self.writable(pv, objs, st, node)
        o_t = obj_of(pv.z)
        for o in objs:
            here = o_t == self.bv(o.id, OBJ_BITS)
            cur = self.contents(o, st)
            if cur is None:
                continue
            new = self._stored(o, cur, off, v, member, sub)
            if new is None:
                ex.memory_access("write of an element the engine cannot represent", st, node)
                st.env[o.key] = ex.havoc(cur.ty, o.name)
                continue
            st.env[o.key] = ex.ite_val(here, new, cur)
            o.pristine = False
        self.stored += [(st.pc, z) for z in pointers_in(v)]
        self.note_write(pv, objs, st)

    def grant_read_only(self, requires: list[c_ast.Node]) -> None:
        """The parameters a written precondition names in \\valid_read and never in \\valid."""
        from analysis.engine.loop_execution import _nodes

        granted: dict[str, set[str]] = {}
        for expr in requires:
            for n in _nodes(expr):
                if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and \
                        n.name.name in ("__pl_valid", "__pl_valid_read") and n.args is not None:
                    how = "read" if n.name.name == "__pl_valid_read" else "write"
                    for ref in _nodes(n.args):
                        if isinstance(ref, c_ast.ID):
                            granted.setdefault(ref.name, set()).add(how)
        self.read_only_params = {p.obj.id: p.name for p in self.params if granted.get(p.name) == {"read"}}

    def _read_only_write(self, pv: Val, objs: list[MemObject], st: State, node: c_ast.Node | None) -> None:
        """A write that may land in a parameter's object granted only \\valid_read: unknown there."""
        hit = [o for o in objs if o.id in self.read_only_params]
        if not hit or _possible(obj_of(pv.z)) is None:
            return
        from analysis.engine.symexec import State

        o_t = obj_of(pv.z)
        there = z3.Or(*[o_t == self.bv(o.id, OBJ_BITS) for o in hit])
        self.ex.memory_access(f"a write through {self.read_only_params[hit[0].id]}, which the precondition "
                              "grants only \\valid_read", State(z3.And(st.pc, there), st.env), node)

    def writable(self, pv: Val, objs: list[MemObject], st: State, node: c_ast.Node | None) -> list[MemObject]:
        """The objects a write through ``pv`` may change: a string literal is not one (writing to it
        is undefined, C11 6.4.5p7): the write is unknown where ``pv`` may point to one."""
        self._read_only_write(pv, objs, st, node)
        literals = [o for o in objs if o.readonly]
        if not literals:
            return objs
        if _possible(obj_of(pv.z)) is not None:  # (an arbitrary pointer is not taken to point to one)
            from analysis.engine.symexec import State

            o_t = obj_of(pv.z)
            there = z3.Or(*[o_t == self.bv(o.id, OBJ_BITS) for o in literals])
            self.ex.memory_access("write to a read-only object (a string literal or a const)",
                                  State(z3.And(st.pc, there), st.env), node)
        return [o for o in objs if not o.readonly]

    def note_write(self, pv: Val, objs: list[MemObject], st: State) -> None:
        """The parameters ``pv`` is derived from are written through (their precondition says
        \\valid, not \\valid_read): an alias into an earlier parameter's object does not count;
        a pointer that lost its origin (a loop's) counts for every parameter owning ``objs``."""
        from analysis.bv2int import constants_of

        if _possible(obj_of(pv.z)) is None:
            self.untracked_write(st)
        mentioned = {c.get_id() for c in constants_of(pv.z)}
        found = [p.name for p in self.params if p.is_null is not None and p.is_null.get_id() in mentioned]
        self.written_params.update(found)
        if not found:
            self.written_params.update(p.name for p in self.params if p.obj in objs)

    def _stored(self, o: MemObject, cur: Val, off: Any, v: Val, member: str | None, sub: Any = None) -> Val | None:
        from analysis.engine.symexec import Val

        if o.kind == "var" and not isinstance(cur.ty, ArrayType):
            if member is None:
                return v
            if cur.fields is None:
                return None
            fields = dict(cur.fields)
            if sub is not None:
                arr = fields.get(member)
                if arr is None or arr.z is None or v.z is None or v.z.sort() != arr.z.sort().range():
                    return None
                v = Val(arr.ty, z3.Store(arr.z, sub, v.z))
            fields[member] = v
            return Val(cur.ty, None, fields)
        if cur.fields is not None:
            if member is None:
                return _store(cur, off, v)
            a = cur.fields.get(member)
            new = None if a is None else _store(a, self._flat_index(o, member, off, sub), v)
            if new is None:
                return None
            return Val(cur.ty, None, {**cur.fields, member: new})
        if cur.z is None or v.z is None or member is not None or v.z.sort() != cur.z.sort().range():
            return None
        return Val(cur.ty, z3.Store(cur.z, off, v.z))

    def snapshot(self, st: State) -> dict[str, Val]:
        """Every object's contents and liveness now: what ``\\old`` reads memory from."""
        out: dict[str, Val] = {}
        for o in self.objects.values():
            self.contents(o, st)  # a heap block's contents exist from here on (as its first use would make them)
            for key in (o.key, o.key + ":live", o.key + ":zero"):
                if key in st.env:
                    out[key] = st.env[key]
        return out

    def untracked_write(self, st: State) -> None:
        """A write that may land outside the object table (through a pointer of unknown origin,
        or not modelled): it may hit any global whose address the function never took (a global
        pointer may point to it), and no assigns clause is proved on this path."""
        self.escapes.append(st.pc)
        hit = [k for k in st.env if k.startswith("g:") and k not in self.by_key]
        if hit:  # (their new values are no run's: a violation through them is only possible)
            self.ex.mark("a write that may reach any global (through a pointer of unknown origin)", st, None)
        for key in hit:
            st.env[key] = self.ex.havoc(st.env[key].ty, self.ex.display(key))

    def havoc_objects(self, st: State, may_free: bool = False) -> None:
        """Everything memory holds may have changed (an unmodelled write); with ``may_free``, any
        block may also have been freed (memory handed to code the engine does not run)."""
        self.untracked_write(st)
        for o in self.objects.values():
            cur = self.contents(o, st)
            if cur is not None:
                st.env[o.key] = self.ex.havoc(cur.ty, o.name)
                o.pristine = False
            live = st.env.get(o.key + ":live")
            if may_free and live is not None:
                st.env[o.key + ":live"] = self.ex.havoc(live.ty, o.name + ":live")

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
        for o in objs:
            if o.elem is None and o.kind == "heap":
                self.type_heap(o, pv.ty.target, st)  # a fresh block: its type is the first pointer's
        same = [o for o in objs if _same_repr(o.elem, pv.ty.target)]
        ok = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, new_off, self.bv(0, W))) for o in same]
        # counted in elements of another type (a char view of an int array): not judged here
        other = [o_t == self.bv(o.id, OBJ_BITS) for o in objs if o not in same]
        maybe = self.lost(o_t, ("pointer arithmetic in an object of another element type", other))
        ex.check("memory.pointer-arith", z3.And(o_t != self.bv(0, OBJ_BITS), z3.Not(z3.Or(*ok)) if ok else
                                                 z3.BoolVal(True, ex.ctx)), st, node, [("offset", new_off)],
                 maybe=maybe)
        return Val(pv.ty, z3.If(o_t == self.bv(0, OBJ_BITS), pv.z, self.pointer(o_t, new_off)))

    def difference(self, a: Val, b: Val, st: State, node: c_ast.Node | None) -> Any:
        """``a - b`` of two pointers into one object: the element distance (64-bit)."""
        self.ex.check("memory.pointer-arith", obj_of(a.z) != obj_of(b.z), st, node)
        return off_of(a.z) - off_of(b.z)

    # -- the heap -------------------------------------------------------------------------
    def largest_block(self) -> int:
        """The most bytes an allocation can give: glibc refuses more than PTRDIFF_MAX, and x86-64's
        user address space has 47 bits (a pointer's offset field is 48 bits wide)."""
        return min((1 << (self.ex.dm.size_t.bits - 1)) - 1, (1 << (OFF_BITS - 1)) - 1)

    def _mark_huge(self, nbytes: Any, given: Any, st: State, node: c_ast.Node) -> None:
        """A path where a block of more than HARNESS_BLOCK_MAX bytes was given is a possible one,
        not a run a harness can count on (AddressSanitizer refuses more than 1 TiB; a machine with
        less memory refuses less): no violation on it is refuted (a 96 TiB malloc was)."""
        from analysis.engine.symexec import State

        huge = z3.simplify(z3.And(given, z3.UGT(nbytes, self.bv(HARNESS_BLOCK_MAX, W))))
        if not z3.is_false(huge):
            self.ex.mark(f"an allocation of more than {HARNESS_BLOCK_MAX >> 30} GiB that succeeds "
                         "(a real run may not be given it)", State(huge, st.env), node)

    def allocate(self, nbytes: Any, st: State, node: c_ast.Node, zero: bool, name: str,
                 refused: Any = None) -> Val:
        """``malloc``/``calloc``: NULL (the allocation may fail, and always does when ``refused`` or
        above the largest block) or a fresh live block."""
        from analysis.engine.symexec import Val

        ex = self.ex
        too_big = z3.UGT(nbytes, self.bv(self.largest_block(), W))
        if refused is not None:
            too_big = z3.Or(too_big, refused)
        line = node.coord.line if node.coord is not None else 0
        o = self._new("", "heap", None, nbytes, f"{name}@{line}")
        st.env[o.key + ":live"] = Val(LIVE, self.bv(1, 8))
        if zero:
            st.env[o.key + ":zero"] = Val(LIVE, self.bv(1, 8))
        fails = ex.fresh(f"{name}_fails", 32)  # the harness's allocator fails when it is not 0
        ex.nondet.append((f"__pl_{name}_fails", fails, st.pc))
        self.allocations.append((fails, st.pc))
        failed = z3.Or(fails != 0, too_big)
        self.allocated_here(o, z3.And(st.pc, z3.Not(failed)), node)
        self._mark_huge(nbytes, z3.And(st.pc, z3.Not(failed)), st, node)
        return Val(PointerType(VoidType()), z3.If(failed, self.bv(0, PTR_BITS), self.pointer(o.id, self.bv(0, W))))

    def free(self, pv: Val, st: State, node: c_ast.Node, released: Any = None) -> None:
        """``free(p)``'s checks, then p's block is freed (where ``released`` holds: realloc frees
        only when it succeeds)."""
        ex = self.ex
        o_t = obj_of(pv.z)
        heap = [o for o in self.objects.values() if o.kind in FREEABLE]
        ids = _possible(o_t)
        if ids is not None:
            heap = [o for o in heap if o.id in ids]
        else:
            self.escapes.append(st.pc)
        nonnull = o_t != self.bv(0, OBJ_BITS)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in heap]
        # the first free of a parameter's object: whether the caller had freed it already is its own
        first = [z3.And(o_t == self.bv(o.id, OBJ_BITS), st.env[o.key + ":live"].z == CALLERS) for o in heap
                 if o.kind == "param" and st.env.get(o.key + ":live") is not None]
        lost = self.lost(o_t)  # (an object the engine does not know may be freed already)
        maybes = [*first, *([lost[1]] if lost is not None else [])]
        ex.check("memory.double-free", z3.Or(*freed, *maybes) if freed or maybes else z3.BoolVal(False, ex.ctx),
                 st, node, maybe=("free of a parameter's object (whether the caller freed it already is not "
                                  "known)" if first else lost[0] if lost is not None else "", z3.Or(*maybes))
                 if maybes else None)
        starts = [z3.And(o_t == self.bv(o.id, OBJ_BITS), off_of(pv.z) == 0) for o in heap if o.kind == "heap"]
        # the start of a parameter's object is freeable only if the caller got it from malloc:
        # not a violation the function shows, not one it excludes (unknown, never proved)
        caller = [z3.And(o_t == self.bv(o.id, OBJ_BITS), off_of(pv.z) == 0) for o in heap if o.kind == "param"]
        # (the path goes on as if the caller had: the block is freed below)
        ex.check("memory.invalid-free", z3.And(nonnull, z3.Not(z3.Or(*starts)) if starts else
                                               z3.BoolVal(True, ex.ctx)), st, node,
                 maybe=self.lost(o_t, ("free of a parameter's object (whether the caller allocated it with "
                                       "malloc is not known)", caller)))
        from analysis.engine.symexec import Val

        for o in heap:
            cur = st.env.get(o.key + ":live")
            if cur is not None and cur.z is not None:
                hit = o_t == self.bv(o.id, OBJ_BITS)
                st.env[o.key + ":live"] = Val(LIVE, z3.If(hit if released is None else z3.And(hit, released),
                                                          self.bv(0, 8), cur.z))

    # -- leaks ----------------------------------------------------------------------------------
    def allocated_here(self, o: MemObject, made: Any, node: c_ast.Node) -> None:
        """Where block ``o``'s leak check is reported: the allocating call, or (in an inlined
        callee) the top function's call that led to it."""
        ex = self.ex
        o.made = made
        o.site = ex.frames[1].call_span if len(ex.frames) > 1 and ex.frames[1].call_span is not None \
            else ex.span(node)

    def leak_checks(self, ends: list[tuple[Any, Val | None, dict[str, Val]]]) -> None:
        """``memory.leak`` at each way out of the function: a block allocated here, live, and
        reachable neither from the returned value nor from a global (pointers in memory are not
        modelled: storing one marks the path, so no leak through it is refuted)."""
        from analysis.engine.symexec import State

        ex = self.ex
        true = z3.BoolVal(True, ex.ctx)
        blocks = [o for o in self.objects.values() if o.kind == "heap" and o.made is not None]
        for pc, returned, env in ends:
            if z3.is_false(pc):
                continue
            roots = [v for k, v in env.items() if k.startswith("g:") or k.split("#", 1)[0] in ex.static_names]
            roots += [returned] if returned is not None else []
            untracked = any(isinstance(v.ty, PointerType) and not self.is_pointer(v) or
                            isinstance(v.ty, StructType) and has_pointers(v.ty) and v.fields is None for v in roots)
            held_by = [z for v in roots for z in pointers_in(v)]
            for o in blocks:
                live = env.get(o.key + ":live")
                if o.summarised:  # (its key may not even reach the loop's exit)
                    why: str | None = "a block allocated in a loop the engine ran once for all iterations"
                elif live is None:
                    continue  # no path here allocated it
                else:
                    why = "a pointer the engine does not follow may hold the block" \
                        if untracked or live.z is None else None
                here = self.bv(o.id, OBJ_BITS)
                held = [obj_of(z) == here for z in held_by]
                bad = true if why or live is None else z3.And(o.made, live.z == 1, z3.Not(z3.Or(*held)) if held else true)
                # a block whose pointer was written to memory may be reachable from there (from a
                # parameter's object, the caller's): only possible
                kept = [z3.And(spc, obj_of(z) == here) for spc, z in self.stored]
                maybe = (why, true) if why else \
                    ("a pointer written to memory may hold the block", z3.Or(*kept)) if kept else None
                ex.check("memory.leak", bad, State(pc, dict(env)), None, [("bytes", o.size)], span=o.site,
                         maybe=maybe)

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
        self.null_and_freed(pv.z, objs, st, node)
        off = off_of(pv.z)
        inside = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, off, nbytes)) for o in objs]
        ex.check("memory.bounds", z3.Not(z3.Or(*inside)) if inside else z3.BoolVal(True, ex.ctx), st, node,
                 [("bytes", nbytes)], maybe=self.lost(o_t))
        return objs, off

    def null_and_freed(self, ptr: Any, objs: list[MemObject], st: State, node: c_ast.Node | None) -> None:
        """The first two checks of every access: not NULL, then not freed (each assumed after).
        A pointer of unknown origin (a havocked global) whose object bits are 0 is NULL only if
        its offset bits are 0 too: a violation with others is only possible."""
        o_t = obj_of(ptr)
        maybe = ("a pointer of unknown origin whose object bits are 0 (it need not be NULL)",
                 ptr != self.bv(0, PTR_BITS)) if _possible(o_t) is None else None
        if maybe is not None and _mentions_global(ptr, self.global_memo):
            # a global pointer at entry holds whatever the program stored there before the call,
            # which the engine does not know (its initializer need not be NULL): only possible
            maybe = ("a global pointer's value at entry (what the program may have stored in it)",
                     z3.BoolVal(True, self.ex.ctx))
            # what is read or written through it is not what a run would see either
            self.ex.mark("an access through a global pointer's value at entry", st, node)
        self.ex.check("memory.null", o_t == self.bv(0, OBJ_BITS), st, node, maybe=maybe)
        freed = [z3.And(o_t == self.bv(o.id, OBJ_BITS), z3.Not(self.live(o, st))) for o in objs if o.kind in FREEABLE]
        freed += [o_t == self.bv(o.id, OBJ_BITS) for o in objs if self.out_of_scope(o)]
        lost = self.lost(o_t)
        if lost is not None:  # an object the engine does not know may have been freed by anyone
            freed.append(lost[1])
        if freed:
            self.ex.check("memory.use-after-free", z3.Or(*freed), st, node, maybe=lost)

    def lost(self, o_t: Any, also: tuple[str, list[Any]] | None = None) -> tuple[str, Any] | None:
        """The "may be" part of a check on a pointer: where it points at no object the engine knows
        (one of unknown origin: a parameter to an unmodelled type, a havocked one), or where
        ``also`` (why, conditions) holds."""
        parts = list(also[1]) if also is not None else []
        if _possible(o_t) is None:
            # (object bits 0 are not NULL for it: see null_and_freed)
            known = [o_t == self.bv(o.id, OBJ_BITS) for o in self.objects.values()]
            parts.append(z3.Not(z3.Or(*known, self.ex.ctx)))
        if not parts:
            return None
        why = also[0] if also is not None and also[1] else "a pointer the engine lost track of"
        return why, z3.Or(*parts)

    def memcpy(self, dst: Val, src: Val, nbytes: Any, st: State, node: c_ast.Node, overlap_ok: bool) -> Val:
        ex = self.ex
        d = self._range(self._as_char(dst), nbytes, st, node, "memcpy destination")
        s = self._range(self._as_char(src), nbytes, st, node, "memcpy source")
        if d is None or s is None:
            self.havoc_objects(st)
            return dst
        (dobjs, doff), (sobjs, soff) = d, s
        dobjs = self.writable(dst, dobjs, st, node)
        self.note_write(dst, dobjs, st)
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
        if src_arr is None:
            ex.memory_access("memcpy from no object the engine knows", st, node)
            self.havoc_objects(st)
            return dst
        j = z3.BitVec("j", W, ex.ctx)
        self._fill(dst, dobjs, doff, nbytes, j, z3.Select(src_arr, j - doff + soff), st, node, "memcpy")
        return dst

    def memset(self, dst: Val, byte: Any, nbytes: Any, st: State, node: c_ast.Node) -> Val:
        if self._memset_elements(dst, byte, nbytes, st, node):
            return dst
        d = self._range(self._as_char(dst), nbytes, st, node, "memset destination")
        if d is None:
            self.havoc_objects(st)
            return dst
        objs, doff = d
        objs = self.writable(dst, objs, st, node)
        self.note_write(dst, objs, st)
        self._fill(dst, objs, doff, nbytes, z3.BitVec("j", W, self.ex.ctx), byte, st, node, "memset")
        return dst

    def _memset_elements(self, dst: Val, byte: Any, nbytes: Any, st: State, node: c_ast.Node) -> bool:
        """``memset(a, c, n * sizeof *a)`` over an object of wider integers (``int a[10]``, an
        ``int *`` block): whole elements, each ``c`` repeated in every byte. Only where the count
        is whole elements on every path here and the pointer is typed as the object is (else the
        byte-wise path: unknown there)."""

        if not isinstance(dst.ty, PointerType) or dst.z is None:
            return False
        ids = _possible(obj_of(dst.z))
        objs = [self.objects[i] for i in sorted(ids) if i in self.objects] if ids is not None else []
        for o in objs:
            if o.elem is None and o.kind == "heap" and isinstance(dst.ty.target, IntType):
                self.type_heap(o, dst.ty.target, st)  # (a fresh block: typed by this first typed use)
        elem = objs[0].elem if objs else None
        if not isinstance(elem, IntType) or elem.is_bool or elem.bits <= 8 or \
                any(not _same_repr(o.elem, elem) for o in objs) or \
                not (isinstance(dst.ty.target, VoidType) or _same_repr(dst.ty.target, elem)):
            return False
        size = elem.bits // 8
        if self._may(st.pc, z3.URem(nbytes, self.bv(size, W)) != 0):
            return False
        ex = self.ex
        count = z3.UDiv(nbytes, self.bv(size, W))
        o_t, off = obj_of(dst.z), off_of(dst.z)
        self.null_and_freed(dst.z, objs, st, node)
        inside = [z3.And(o_t == self.bv(o.id, OBJ_BITS), self._inside(o, off, count)) for o in objs]
        ex.check("memory.bounds", z3.Not(z3.Or(*inside)), st, node, [("bytes", nbytes)])
        objs = self.writable(dst, objs, st, node)
        self.note_write(dst, objs, st)
        value = z3.Concat(*[byte] * size) if size > 1 else byte
        return self._fill(dst, objs, off, count, z3.BitVec("j", W, ex.ctx), value, st, node, "memset")

    def strlen(self, sv: Val, st: State, node: c_ast.Node) -> Val | None:
        """The index of the first NUL: exact over a small object of known size, else the NUL a
        parameter's precondition promises (the result is that NUL or an earlier one; a model is
        trusted only when it is the first, checked up to 16 characters)."""
        from analysis.engine.symexec import State, Val

        ex = self.ex
        sv = self._as_char(sv)
        char = IntType("char", True, 8)
        objs = self.candidates(sv.z, char, st, node, "strlen")
        if objs is None:
            return None
        o_t = obj_of(sv.z)
        self.null_and_freed(sv.z, objs, st, node)
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
                unwritten = []  # (the walk reads a byte no one wrote: see _scan)
                for k in range(o.size):
                    reached = z3.And(off + k >= 0, off + k < o.size, *[cells[i] != 0 for i in range(k)])
                    at = z3.And(reached, cells[k] == 0)
                    terminated.append(at)
                    facts.append(z3.Implies(z3.And(here, at), result == k))
                    never = self.never_written(Val(CHAR, cells[k])) if self._watching() else None
                    if never is not None:
                        unwritten.append(z3.And(here, reached, never))
                found.append(z3.And(here, z3.Or(*terminated)))
                if unwritten:
                    ex.mark(STRING_NEVER_WRITTEN, State(z3.And(st.pc, z3.Or(*unwritten)), st.env), node)
            elif o.kind == "param" and o.pristine and o.nul is not None:
                # a NUL the precondition promises at or after the pointer (its own, or an alias's)
                has = [z3.And(z3.ULE(off, w), z3.ULT(w, o.size), z3.Select(cur.z, w) == 0)
                       for w in [o.nul, *o.later_nuls]]
                found.append(z3.And(here, off >= 0, z3.Or(*has)))
                end = off + result
                facts.append(z3.Implies(here, z3.And(z3.ULE(result, o.size), z3.ULT(end, o.size),
                                                     z3.Select(cur.z, end) == 0)))
                # the first NUL comes no later than any promised one after the pointer
                facts.append(z3.Implies(here, z3.Or(*[z3.And(z3.ULE(off, w), z3.ULE(end, w))
                                                      for w in [o.nul, *o.later_nuls]])))
                # true of the real strlen too: the characters before it are not NUL (the first 16)
                facts += [z3.Implies(z3.And(here, z3.UGT(result, self.bv(k, W))), z3.Select(cur.z, off + k) != 0)
                          for k in range(16)]
                first = z3.Or(*[z3.And(result == k, *[z3.Select(cur.z, off + i) != 0 for i in range(k)])
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


    # -- string literals and the string functions (a walk to the first NUL, difference or character) --
    def replaying(self) -> bool:
        """Is this the exact run, whose models the harness replays (not the abstract run unrolling a
        short loop exactly)? Only it takes the replayed C library's values where C leaves them open."""
        return self.ex.mode == "exact" and self.ex.invariant_for is None

    def literal(self, node: c_ast.Node, data: list[int], st: State) -> Val:
        """A string literal passed to a function: a read-only array of its bytes and NUL (one object
        per occurrence in the text; whether equal literals share one is unspecified, C11 6.4.5p7)."""
        from analysis.engine.symexec import Val

        char_t = self.ex.dm.int_type("char")
        o = self.literals.get(id(node))
        if o is None:
            o = self._new(f"lit:{len(self.literals)}", "var", char_t, len(data), "string literal")
            o.readonly = True
            self.literals[id(node)] = o
        arr = z3.K(z3.BitVecSort(W, self.ex.ctx), self.bv(0, 8))
        for k, byte in enumerate(data):
            arr = z3.Store(arr, self.bv(k, W), self.bv(byte, 8))
        st.env[o.key] = Val(ArrayType(char_t, len(data)), arr)  # (again at every use: loops havoc it)
        return Val(PointerType(char_t), self.pointer(o.id, self.bv(0, W)))

    def stream(self, pv: Val, st: State, node: c_ast.Node, what: str) -> ByteStream | None:
        """A string argument's checks (null, then use after free) and its bytes; None when it may
        point to something the engine cannot read as bytes (then the call is unknown)."""
        ex = self.ex
        pv = self._as_char(pv)
        objs = self.candidates(pv.z, CHAR, st, node, what) if isinstance(pv.ty, PointerType) else None
        if objs is None:
            if not isinstance(pv.ty, PointerType):
                ex.memory_access(f"{what} of something that is not a pointer to bytes", st, node)
            return None
        self.null_and_freed(pv.z, objs, st, node)
        return self._bytes(pv, objs, st, node, what)

    def _bytes(self, pv: Val, objs: list[MemObject], st: State, node: c_ast.Node, what: str) -> ByteStream | None:
        arr: Any = None
        o_t = obj_of(pv.z)
        for o in objs:
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType):
                self.ex.memory_access(f"{what} of an object the engine cannot represent", st, node)
                return None
            arr = cur.z if arr is None else z3.If(o_t == self.bv(o.id, OBJ_BITS), cur.z, arr)
        if arr is None:  # only NULL: the null check ends the path
            arr = z3.K(z3.BitVecSort(W, self.ex.ctx), self.bv(0, 8))
        return ByteStream(self, objs, o_t, off_of(pv.z), arr)

    def _window(self, streams: list[ByteStream], n: Any | None) -> tuple[int, bool]:
        """How many places a walk is followed exactly, and whether that decides every walk: an
        array of known size ends it (inside or out) within its size, a constant bound ``n`` at n."""
        bounds = [max(o.size for o in s.objs) + 1 for s in streams if s.objs and all(o.kind == "var" for o in s.objs)]
        if n is not None and z3.is_bv_value(z3.simplify(n)) and z3.simplify(n).as_long() < MAX_SCAN_WINDOW:
            bounds.append(z3.simplify(n).as_long() + 1)
        if bounds and min(bounds) <= MAX_SCAN_WINDOW:
            return min(bounds), True
        return (MAX_SCAN_WINDOW if bounds else SCAN_WINDOW), False

    def _scan(self, streams: list[ByteStream], n: Any | None, stop: Any, st: State, node: c_ast.Node,
              checked: bool = False) -> Scan:
        """The walk over ``streams`` that ends before place ``n`` or after reading a place where
        ``stop(k)`` holds; ``checked``: the bytes before n are known to be inside (memcmp). Where
        the walk reads a byte no one wrote (a local array's tail, malloc's block), its course is
        no run's: no violation after it is refuted (strlen of `char s[8]` with two bytes written
        was refuted with the other six non-zero)."""
        from analysis.engine.symexec import State, Val

        ctx = self.ex.ctx
        window, decided = self._window(streams, n)
        prefix = z3.BoolVal(True, ctx)
        ends: list[tuple[Any, int, bool]] = []
        oob: list[Any] = []
        watch = self._watching()
        unwritten: list[Any] = []

        def scanned(beyond: Any) -> Scan:
            if unwritten:
                self.ex.mark(STRING_NEVER_WRITTEN, State(z3.And(st.pc, z3.Or(*unwritten)), st.env), node)
            return Scan(ends, oob, beyond, window)

        for k in range(window):
            kv = self.bv(k, W)
            if n is not None:
                done = z3.simplify(z3.UGE(kv, n))
                if not z3.is_false(done):
                    ends.append((z3.And(prefix, done), k, False))
                    if z3.is_true(done):
                        return scanned(z3.BoolVal(False, ctx))
                    prefix = z3.And(prefix, z3.Not(done))
            if not checked:
                inside = z3.And(*[s.inside(kv) for s in streams])
                oob.append(z3.And(prefix, z3.Not(inside)))
                prefix = z3.And(prefix, inside)
            if watch:
                for s in streams:
                    never = self.never_written(Val(CHAR, s.at(kv)))
                    if never is not None:
                        unwritten.append(z3.And(prefix, never))
            halt = stop(kv)
            ends.append((z3.And(prefix, halt), k, True))
            prefix = z3.And(prefix, z3.Not(halt))
        return scanned(z3.BoolVal(False, ctx) if decided else prefix)

    def _string_check(self, scan: Scan, terminated: Any, st: State, node: c_ast.Node, name: str) -> None:
        """``memory.string``: the walk ends inside the objects. Proved when it ends within the window,
        or a NUL (or the bound) lies inside every object (the walk stops there at the latest); a
        violation is confirmed only within the window (beyond: unknown, and the path goes on)."""
        ex = self.ex
        safe = z3.Or(*[c for c, _k, _read in scan.ends], terminated)
        saved, before = st.pc, len(ex.checks)
        ex.check("memory.string", z3.Not(safe), st, node)
        if not z3.is_false(scan.beyond):
            if len(ex.checks) > before:
                ex.checks[-1].caveat = (f"{name}() reading past its first {scan.window} characters (not followed "
                                        "exactly)", scan.beyond)
            st.pc = z3.And(saved, z3.Not(z3.Or(*scan.oob))) if scan.oob else saved

    def _approximated(self, scan: Scan, st: State, node: c_ast.Node, what: str) -> None:
        """Past the window a result is only bounded (over-approximated): a refutation through it is
        not trusted, nor an accelerated one in the abstract run."""
        ex = self.ex
        if z3.is_false(scan.beyond):
            return
        if self.replaying():
            ex.markers.append((what, z3.And(st.pc, scan.beyond), ex.span(node)))
        else:
            ex.summarised.append(what)

    def _length(self, s: ByteStream, scan: Scan, n: Any | None, st: State, node: c_ast.Node, name: str) -> Any:
        """Where the walk over one string ended: its length (strnlen with the bound ``n``), exact
        within the window; beyond it, at a NUL inside the object (before the precondition's)."""
        ex = self.ex
        far = ex.fresh(f"{name}_length", W)
        at_nul = z3.And(s.inside(far), s.at(far) == 0)
        facts = [z3.UGE(far, self.bv(scan.window, W)),
                 at_nul if n is None else z3.And(z3.ULE(far, n), z3.Implies(z3.ULT(far, n), at_nul))]
        facts += [z3.Implies(s.nul_ahead(o, w), z3.ULE(s.off + far, w)) for o, w in s.promised_nuls()]
        if not z3.is_false(scan.beyond):
            st.pc = z3.And(st.pc, z3.Implies(scan.beyond, z3.And(*facts)))
        self._approximated(scan, st, node, f"the length of a string read by {name}() past {scan.window} characters")
        length: Any = far
        for cond, k, _read in reversed(scan.ends):
            length = z3.If(cond, self.bv(k, W), length)
        return length

    def compare(self, a: Val, b: Val, n: Any | None, st: State, node: c_ast.Node, name: str) -> Any | None:
        """``strcmp``/``strncmp`` (``n``): the walk to the first difference or NUL stays inside both
        objects (``memory.string``); the result (32 bits) has the sign of that difference."""
        sa = self.stream(a, st, node, name)
        sb = self.stream(b, st, node, name) if sa is not None else None
        if sa is None or sb is None:
            return None
        scan = self._scan([sa, sb], n, lambda k: z3.Or(sa.at(k) != sb.at(k), sa.at(k) == 0), st, node)
        terminated = z3.And(*[z3.Or(s.terminated(), s.within(n)) for s in (sa, sb)])
        self._string_check(scan, terminated, st, node, name)
        return self._compared(scan, sa, sb, st, node, name, replay_sign=True)

    def memcmp(self, a: Val, b: Val, nbytes: Any, st: State, node: c_ast.Node) -> Any | None:
        """``memcmp``: both ranges of n bytes inside their objects (``memory.bounds``: glibc and
        AddressSanitizer read all of them); the result has the sign of the first difference."""
        ra = self._range(self._as_char(a), nbytes, st, node, "memcmp")
        rb = self._range(self._as_char(b), nbytes, st, node, "memcmp") if ra is not None else None
        if ra is None or rb is None:
            return None
        sa = self._bytes(self._as_char(a), ra[0], st, node, "memcmp")
        sb = self._bytes(self._as_char(b), rb[0], st, node, "memcmp") if sa is not None else None
        if sa is None or sb is None:
            return None
        scan = self._scan([sa, sb], nbytes, lambda k: sa.at(k) != sb.at(k), st, node, checked=True)
        return self._compared(scan, sa, sb, st, node, "memcmp", replay_sign=False)

    def _compared(self, scan: Scan, sa: ByteStream, sb: ByteStream, st: State, node: c_ast.Node, name: str,
                  replay_sign: bool) -> Any:
        """A comparison's result. C fixes only its sign (C11 7.24.4). The exact run gives the value
        the replayed run returns (AddressSanitizer's strcmp and strncmp: -1, 0 or 1; glibc's memcmp:
        the byte difference) and counts as incomplete where it is not 0, so that proofs come from the
        abstract run, where any value of the right sign is possible."""
        ex = self.ex
        zero = self.bv(0, 32)
        diffs = [(cond, z3.ZeroExt(24, sa.at(self.bv(k, W))) - z3.ZeroExt(24, sb.at(self.bv(k, W))) if read else zero)
                 for cond, k, read in scan.ends]
        result = ex.fresh(f"{name}_result", 32)  # past the window: any value
        self._approximated(scan, st, node, f"the result of {name}() past {scan.window} characters")
        if self.replaying():
            for cond, d in reversed(diffs):
                value = z3.If(d < 0, self.bv(-1, 32), z3.If(d > 0, self.bv(1, 32), zero)) if replay_sign else d
                result = z3.If(cond, value, result)
            ex.exhausted.append(z3.And(st.pc, z3.Not(scan.beyond), result != 0))
            ex.cut_reasons.add(f"the size of {name}()'s result (the C library chooses it)")
            return result
        st.pc = z3.And(st.pc, *[z3.Implies(cond, z3.And((result < 0) == (d < 0), (result == 0) == (d == 0)))
                                for cond, d in diffs])
        ex.summarised.append(name)
        return result

    def strchr(self, sv: Val, ch: Any, st: State, node: c_ast.Node) -> Val | None:
        """``strchr``: the walk to the first ``(char) c`` or NUL stays inside (``memory.string``); the
        result points to that place if it holds c (c == 0: the NUL), else it is NULL."""
        from analysis.engine.symexec import Val

        ex = self.ex
        s = self.stream(sv, st, node, "strchr")
        if s is None:
            return None
        scan = self._scan([s], None, lambda k: z3.Or(s.at(k) == ch, s.at(k) == 0), st, node)
        self._string_check(scan, s.terminated(), st, node, "strchr")
        null = self.bv(0, PTR_BITS)
        # past the window: the first c or NUL lies further on, inside, before the precondition's NUL
        # (and at an offset a pointer holds: no object of a 64-bit process spans 2^47 bytes)
        far, found = ex.fresh("strchr_at", W), ex.fresh_bool("strchr_found")
        facts = [z3.UGE(far, self.bv(scan.window, W)), z3.Implies(found, z3.And(s.inside(far), s.at(far) == ch)),
                 z3.Implies(z3.Not(found), ch != 0), z3.ULT(s.off + far, self.bv(1 << (OFF_BITS - 1), W))]
        facts += [z3.Implies(z3.And(found, s.nul_ahead(o, w)), z3.ULE(s.off + far, w)) for o, w in s.promised_nuls()]
        if not z3.is_false(scan.beyond):
            st.pc = z3.And(st.pc, z3.Implies(scan.beyond, z3.And(*facts)))
        self._approximated(scan, st, node, f"strchr() past {scan.window} characters")
        result = z3.If(found, self.pointer(s.o_t, s.off + far), null)
        for cond, k, _read in reversed(scan.ends):
            kv = self.bv(k, W)
            result = z3.If(cond, z3.If(s.at(kv) == ch, self.pointer(s.o_t, s.off + kv), null), result)
        return Val(PointerType(ex.dm.int_type("char")), result)

    def strcpy(self, dst: Val, src: Val, n: Any | None, st: State, node: c_ast.Node) -> bool:
        """``strcpy`` (``n`` None) and ``strncpy``: the walk over the source to its NUL (or n) stays
        inside (``memory.string``), the destination holds what is written (``memory.bounds``: the
        string and its NUL, or n bytes), the two do not overlap (``memory.overlap``), and the
        destination then holds the copy (strncpy: padded with zeros to n). False: unknown."""
        ex = self.ex
        name = "strcpy" if n is None else "strncpy"
        s = self.stream(src, st, node, name)
        if s is None:
            return False
        scan = self._scan([s], n, lambda k: s.at(k) == 0, st, node)
        self._string_check(scan, z3.Or(s.terminated(), s.within(n)), st, node, name)
        length = self._length(s, scan, n, st, node, name)
        read = length + 1 if n is None else z3.If(z3.ULT(length, n), length + 1, n)  # bytes read from src
        written = read if n is None else n
        got = self._range(self._as_char(dst), written, st, node, f"{name} destination")
        if got is None:
            return False
        dobjs, doff = got
        same = obj_of(dst.z) == s.o_t

        def overlap(dn: Any, sn: Any) -> Any:
            return z3.And(same, dn != 0, sn != 0, doff < s.off + sn, s.off < doff + dn)

        # the padding written over the source is not what AddressSanitizer checks (it compares the
        # copied bytes only): such an overlap is unknown, and the path goes on
        ex.check("memory.overlap", overlap(written, read), st, node,
                 maybe=("strncpy's zero padding over its source", z3.Not(overlap(read, read)))
                 if n is not None else None)
        dobjs = self.writable(dst, dobjs, st, node)
        self.note_write(dst, dobjs, st)
        j = z3.BitVec("j", W, ex.ctx)
        copied = z3.Select(s.arr, j - doff + s.off)
        byte = copied if n is None else z3.If(j - doff < length, copied, self.bv(0, 8))
        return self._fill(dst, dobjs, doff, written, j, byte, st, node, name)

    def _fill(self, dst: Val, objs: list[MemObject], doff: Any, nbytes: Any, j: Any, byte: Any, st: State,
              node: c_ast.Node, name: str) -> bool:
        """Elements [doff, doff + nbytes) of the destination become ``byte`` (a term over ``j``):
        bytes, or whole wider elements (memset's repeated byte)."""
        from analysis.engine.symexec import Val

        do = obj_of(dst.z)
        for o in objs:
            cur = self.contents(o, st)
            if cur is None or cur.z is None or not isinstance(cur.ty, ArrayType) or cur.z.sort().range() != byte.sort():
                self.ex.memory_access(f"{name} into an object the engine cannot represent", st, node)
                self.havoc_objects(st)
                return True
            filled = z3.Lambda([j], z3.If(z3.And(j >= doff, j < doff + nbytes), byte, z3.Select(cur.z, j)))
            st.env[o.key] = Val(cur.ty, z3.If(do == self.bv(o.id, OBJ_BITS), filled, cur.z))
            o.pristine = False
        return True

    # -- realloc ------------------------------------------------------------------------------------
    def realloc(self, pv: Val, nbytes: Any, st: State, node: c_ast.Node) -> Val:
        """``realloc(p, n)``: the checks of ``free(p)``; then NULL (the allocation failed: p stays) or
        a new block of n bytes holding p's first min(size, n) bytes, p freed; NULL p is ``malloc(n)``.
        ``n == 0`` is implementation-defined (C17 7.22.3.5): unknown there (either result, p freed
        or not)."""
        from analysis.engine.symexec import State, Val

        ex = self.ex
        zero = nbytes == 0
        if self._may(st.pc, zero):
            ex.memory_access("realloc(p, 0): its result and whether it frees p are implementation-defined",
                             State(z3.And(st.pc, zero), st.env), node)
        o_t = obj_of(pv.z)
        ids = _possible(o_t)
        old = [o for o in self.objects.values() if o.kind in FREEABLE and (ids is None or o.id in ids)]
        fails = ex.fresh("realloc_fails", 32)  # the harness's realloc fails when it is not 0
        ex.nondet.append(("__pl_realloc_fails", fails, st.pc))
        self.allocations.append((fails, st.pc))
        done = z3.And(fails == 0, z3.ULE(nbytes, self.bv(self.largest_block(), W)))  # (else NULL, p kept)
        self.free(pv, st, node, released=z3.Or(done, z3.And(zero, ex.fresh_bool("realloc_0_frees"))))
        line = node.coord.line if node.coord is not None else 0
        new = self._new("", "heap", None, nbytes, f"realloc@{line}")
        self._carry_over(pv, old, new, nbytes, st, node)  # (freeing changes no contents)
        st.env[new.key + ":live"] = Val(LIVE, self.bv(1, 8))
        self.allocated_here(new, z3.And(st.pc, done), node)
        self._mark_huge(nbytes, z3.And(st.pc, done), st, node)
        return Val(PointerType(VoidType()), z3.If(done, self.pointer(new.id, self.bv(0, W)), self.bv(0, PTR_BITS)))

    def _carry_over(self, pv: Val, old: list[MemObject], new: MemObject, nbytes: Any, st: State,
                    node: c_ast.Node) -> None:
        """The new block's first min(old size, n) bytes are the old block's (its other elements
        arbitrary); it gets the old block's element type."""
        ex = self.ex
        o_t = obj_of(pv.z)
        typed = [o for o in old if o.elem is not None]
        if any(o.elem is None and o.key + ":zero" in st.env for o in old):
            ex.mark("realloc of a zeroed block never used", st, node)  # its bytes are 0, not arbitrary
        if not typed:
            return
        elem = typed[0].elem
        assert elem is not None
        if not all(_same_repr(o.elem, elem) for o in typed) or not ex.dm.sizeof(elem):
            ex.mark("realloc of a block of one of several types", st, node)
            return
        new.elem = elem
        fresh = self._contents(elem, new.name, zero=False, uninitialised=True)
        if fresh is None:
            return
        width = ex.dm.sizeof(elem) or 1
        src: Val | None = None
        size: Any = self.bv(0, W)
        for o in typed:
            cur = self.contents(o, st)
            if cur is None:
                ex.mark("realloc of a block the engine cannot represent", st, node)
                st.env[new.key] = fresh
                return
            here = o_t == self.bv(o.id, OBJ_BITS)
            src = cur if src is None else ex.ite_val(here, cur, src)
            size = z3.If(here, o.size, size)
        assert src is not None
        kept = z3.UDiv(z3.If(z3.ULT(size, nbytes), size, nbytes), self.bv(width, W))
        st.env[new.key] = self._blend(fresh, src, kept, elem)

    def _blend(self, fresh: Val, old: Val, kept: Any, elem: CType | None = None) -> Val:
        """Contents whose first ``kept`` elements are ``old``'s, the others ``fresh``'s (a member
        array's copies of the elements: ``kept * n`` of its entries)."""
        from analysis.engine.symexec import Val

        if fresh.fields is not None and old.fields is not None:
            def entries(f: str) -> Any:
                ft = elem.field(f) if isinstance(elem, StructType) else None
                return kept * self.bv(ft.size, W) if isinstance(ft, ArrayType) and ft.size else kept
            return Val(fresh.ty, None, {f: self._blend(v, old.fields[f], entries(f)) for f, v in fresh.fields.items()})
        if fresh.z is None or old.z is None or fresh.z.sort() != old.z.sort():
            return fresh
        j = z3.BitVec("j", W, self.ex.ctx)
        return Val(fresh.ty, z3.Lambda([j], z3.If(z3.ULT(j, kept), z3.Select(old.z, j), z3.Select(fresh.z, j))))

    def _may(self, pc: Any, cond: Any) -> bool:
        """Can ``cond`` hold on this path (a quick question: unknown counts as yes)?"""
        c = z3.simplify(cond)
        if z3.is_false(c):
            return False
        s = z3.Solver(ctx=self.ex.ctx)
        s.set("timeout", 200)
        s.add(pc, c)
        return s.check() != z3.unsat

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


def requires_text(mem: Memory, choice: Choice, globals_used: dict[str, tuple[CType, bool]] | None = None,
                  written: set[str] | None = None) -> list[str]:
    out = []
    for p, picks in zip(mem.params, choice, strict=False):
        for pick in picks:
            if pick < len(p.templates):
                valid = "\\valid" if p.name in mem.written_params else "\\valid_read"
                out.append(p.templates[pick][0].replace("{valid}", valid))
    # (a written requires replaces the inferred one: it has no templates, and says what it says)
    return out + (separate_objects(mem, globals_used or {}, written or set()) if any(p.templates for p in mem.params)
                  else [])


def separate_objects(mem: Memory, globals_used: dict[str, tuple[CType, bool]], written: set[str]) -> list[str]:
    """The pairs of pointer parameters C lets point into one object (a ``char *`` beside an
    ``int *``, a ``struct s *`` beside a pointer to one of its members' types) that the model gives
    objects of their own: the proofs assume it, so the precondition says it and every call site
    is checked against it (an alias of one type is modelled, not assumed away)."""
    out = []
    for k, p in enumerate(mem.params):
        for q in mem.params[:k]:
            if not _same_repr(p.target, q.target) and may_alias(p.target, q.target):
                out.append(f"{q.name} == \\null || {p.name} == \\null || \\base_addr({q.name}) != \\base_addr({p.name})")
        # a global the function names, which p may point into (int g; f(&g)): written through p or
        # by name, the model's separate objects are an assumption the precondition states
        for g, (t, g_written) in globals_used.items():
            leaf = t
            while isinstance(leaf, ArrayType):
                leaf = leaf.elem
            if may_alias(p.target, leaf) and (g_written or p.name in written):
                out.append(f"{p.name} == \\null || \\base_addr({p.name}) != \\base_addr(&{g})")
    return out


def choose_requires(mems: list[Memory], insts: list[list[Any]], timeout_s: float) -> Choice:
    """Per pointer parameter, the weakest templates (none, else one, else the fewest) that lose no
    proof made with all of them assumed and add no violation.

    ``mems``/``insts``: the runs (exact, abstract) and their checks; the runs declare the same
    parameters and templates in the same order."""
    base = mems[0]
    if not base.params:
        return []
    # one solver per check instance, reused across choices (the templates are assumptions);
    # beside an abstract run only a violation of the exact run counts, so its instances of one
    # check (one per unrolled iteration) are one question: is any of them violated? (base64's
    # encode: 14 checks of 12 instances each, 41 of the function's 57 s spent choosing before)
    # the question is a violation the report would call sure: not one only possible (a check's
    # caveat, a path through something not modelled): a check whose only violations under every
    # template are possible ones must keep the templates that rule out its sure ones (a list's
    # length(): the first node's read refuted with a 0-byte node beside the next nodes' unknown)
    conds: dict[tuple[int, str, Any], list[Any]] = {}
    for run_index, checks in enumerate(insts):
        for c in checks:
            if c.id in PRECONDITION_IDS:
                tainted = [cond for _why, cond in mems[run_index].ex.taints(c, replay=False)]
                sure = z3.And(c.cond, z3.Not(z3.Or(*tainted))) if tainted else c.cond
                conds.setdefault((run_index, c.id, c.span), []).append(sure)
    groups: dict[tuple[int, str, Any], list[Any]] = {}
    for key, cs in conds.items():
        mem = mems[key[0]]
        for cond in [z3.Or(*cs)] if key[0] == 0 and len(mems) > 1 and len(cs) > 1 else cs:
            s = z3.Solver(ctx=cond.ctx)
            s.set("timeout", max(1, int(timeout_s * 1000)))
            s.add(cond)
            groups.setdefault(key, []).append((mem, s))

    def assumed(mem: Memory, choice: Choice) -> list[Any]:
        return [sel for p, picks in zip(mem.params, choice, strict=True)
                for i, (_t, sel) in enumerate(p.templates) if i in picks]

    # An instance proved under some templates stays proved under any choice that keeps the unsat
    # core z3 gave for it (the core's templates alone imply the property): such a trial needs no
    # solving. Measured on base64's encode: 122 checks, 7 trials, 36 s of trials before.
    cores: dict[z3.Solver, frozenset[Any]] = {}

    def instance_status(mem: Memory, s: z3.Solver, choice: Choice) -> Any:
        sels = assumed(mem, choice)
        core = cores.get(s)
        if core is not None and core <= frozenset(sels):
            return z3.unsat
        r = s.check(*sels)
        if r == z3.unsat:
            with contextlib.suppress(z3.Z3Exception):
                cores[s] = frozenset(s.unsat_core())
        return r

    def status(choice: Choice, group: list[Any]) -> Any:
        """unsat: proved in every instance; sat: a violation in one; else unknown."""
        results = []
        for mem, s in group:
            results.append(instance_status(mem, s, choice))
            if results[-1] == z3.sat:
                break
        return z3.sat if z3.sat in results else z3.unsat if all(r == z3.unsat for r in results) else z3.unknown

    beside_abstract = len(mems) > 1
    # (an abstract run that met something unsupported may miss executions: it stands for none)
    abstract_trusted = beside_abstract and not mems[1].ex.unsupported

    def statuses(choice: Choice) -> Callable[[tuple[int, str, Any]], Any]:
        """The status of each key under ``choice``, asked lazily: the exact run's violation of a
        check the abstract run proves under the same templates is impossible (the abstract run
        covers every execution), so it is not asked (base64's encode: 34 of 73 queries, 9.5 of
        15 s, were the exact run's, mostly timeouts that could not change the choice)."""
        now: dict[tuple[int, str, Any], Any] = {}

        def get(key: tuple[int, str, Any]) -> Any:
            if key not in now:
                twin = (1, key[1], key[2])
                if key[0] == 0 and abstract_trusted and twin in groups and get(twin) == z3.unsat:
                    now[key] = z3.unsat
                else:
                    now[key] = status(choice, groups[key])
            return now[key]
        return get

    every: Choice = [tuple(range(len(p.templates))) for p in base.params]
    under_every = statuses(every)
    under_all = {key: under_every(key) for key in sorted(groups, key=lambda k: -k[0])}
    for key, group in groups.items():
        # only a violation counts beside an abstract run, and for a check unknown with every
        # template: those questions may give up sooner
        only_sat = (key[0] == 0 and beside_abstract) or under_all[key] != z3.unsat
        for _mem, s in group:
            s.set("timeout", max(1, int(timeout_s * (250 if only_sat else 1000))))
    # the checks that made the last trial fail are asked first: a trial that drops a needed
    # template is turned down after one query
    order = [key for key, was in under_all.items() if was != z3.sat]

    def keeps(choice: Choice) -> bool:
        """No proof lost and no violation added: beside an abstract run, the exact (bounded) run
        only must not find a violation; a check unknown with every template must not become
        refuted (a hard proof reads unknown, not refuted against the contract the code assumes)."""
        now = statuses(choice)
        for key in list(order):
            was = under_all[key]
            after = now(key)
            if after == z3.sat or (was == z3.unsat and after != z3.unsat and not (key[0] == 0 and beside_abstract)):
                order.remove(key)
                order.insert(0, key)
                return False
        return True

    choice = list(every)
    for i, p in enumerate(base.params):
        # nothing, then each template alone; else drop, one at a time, each template the proofs
        # do not need (never fewer proofs)
        for picks in [(), *((k,) for k in range(len(p.templates)))]:
            trial = [*choice[:i], picks, *choice[i + 1:]]
            if keeps(trial):
                choice = trial
                break
        else:
            for k in range(len(p.templates)):
                trial = [*choice[:i], tuple(x for x in choice[i] if x != k), *choice[i + 1:]]
                if keeps(trial):
                    choice = trial
    return choice


__all__ = ["Memory", "MemObject", "ParamPointer", "obj_of", "off_of", "PRECONDITION_IDS", "MEMORY_FUNCS",
           "choose_requires", "requires_text", "selectors"]
