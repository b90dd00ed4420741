"""Symbolic execution of one C function into z3 bit-vector formulas.

Paths are merged at every join (``If`` over values), so a loop-free function becomes one
formula per check: ``pc ∧ violation``. Each check, once recorded, is assumed to hold for the
rest of the path (the usual "no earlier undefined behaviour" convention; the earlier check is
reported on its own).

Two modes share this code:
- ``exact``: loops are unrolled ``bound`` times and the path is blocked beyond; calls are
  inlined (contracts only when there is no body). Satisfiable checks here are real bugs.
- ``abstract``: loops are cut at their head (modified variables havocked, the inferred
  invariant assumed), calls with contracts are replaced by them and recursion by havoc.
  Every execution of the C function is represented, so unsatisfiable checks are proofs.

Anything not modelled soundly (pointers, floats, unknown library calls ...) is havocked and
leaves a *taint marker*: a refutation whose path went through one is not trusted.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import z3
from pycparser import c_ast

from analysis.bv2int import mark_heavy
from analysis.clock import Deadline
from analysis.ctypes import (
    ArrayType,
    CType,
    DataModel,
    FloatType,
    FuncType,
    IntType,
    OpaqueType,
    PointerType,
    StructType,
    VoidType,
    split_int_literal,
)
from analysis.model import Pos, Span
from analysis.z3context import new_context

IDX_BITS = 64
OPAQUE = "a pointer whose value no harness can set (a global's, a by-value struct's member, what a T ** parameter points to)"
HARNESS_BYTES = 1 << 28  # the most a harness allocates for one parameter's object (256 MiB)
SPEC_INT = IntType("long long", True, 130)  # ACSL integers: exact for C operands


UNINITIALISED_READ = "a read of a local never assigned (its value is no run's)"
# undefined behaviour a run goes on from (nothing traps, no sanitizer stops it): the path is not
# cut after such a violation, so what follows is judged on the runs that went through one too
# (p = a + 11 past a[10]'s end, then 100 / (k - 11): the division was "proved unreachable")
RUNS_ON = frozenset({"memory.pointer-arith", "memory.local-escape", "library.ctype-domain"})


class Unsupported(Exception):
    """A construct that makes the whole function unanalysable (e.g. goto)."""

    def __init__(self, what: str, span: Span | None) -> None:
        super().__init__(what)
        self.what = what
        self.span = span


class Blocked(Exception):
    """Raised when every path is dead (e.g. after `abort()` in straight-line code)."""


# ---------------------------------------------------------------------------------------
# values and states


@dataclass
class Val:
    """A C value: ``z`` is a bit-vector (ints), an array term, or None (opaque/unknown);
    structs keep their fields."""

    ty: CType
    z: Any = None
    fields: dict[str, Val] | None = None


@dataclass
class State:
    pc: Any
    env: dict[str, Val]

    def copy(self) -> State:
        return State(self.pc, dict(self.env))


@dataclass
class CheckInst:
    id: str
    span: Span
    cond: Any  # pc ∧ violation
    markers: int  # number of taint markers recorded before this check
    values: list[tuple[str, Any]] = field(default_factory=list)
    note: str = ""
    pc: Any = None  # the path condition alone: is the check's location reached at all?
    caveat: tuple[str, Any] | None = None  # a violation satisfying this condition is only "may be"


@dataclass
class LoopRecord:
    """What the engine learned about one loop in one execution."""

    node_id: int
    span: Span
    keyword_span: Span
    entry_pc: Any = None
    entry_env: dict[str, Val] | None = None
    head_vars: dict[str, Any] = field(default_factory=dict)  # abstract mode: key -> pre const
    exhausted: Any = None  # exact mode: pc of a path still looping after the bound
    invariant_text: str | None = None
    model: Any = None
    invariant: Any = None
    abstracted_inner: bool = False
    unmodelled_inside: str | None = None
    user_invariants: list[tuple[str, Any]] = field(default_factory=list)
    variant: Any = None
    iterations: int = 0  # exact mode: iterations unrolled before the guard became false on every path
    unrolled: int | None = None  # abstract mode: executed exactly, every path left within this many iterations
    nested_loops: list[tuple[int, int]] = field(default_factory=list)  # ... and so did these loops inside it
    nondet_at_entry: int = 0  # nondet calls made before the loop (a witness replays only those)


@dataclass
class Contract:
    requires: list[tuple[Span, c_ast.Node]] = field(default_factory=list)
    ensures: list[tuple[Span, c_ast.Node]] = field(default_factory=list)
    decreases: list[tuple[Span, c_ast.Node]] = field(default_factory=list)
    # each ``assigns`` clause with its locations (none: ``\\nothing``); no clause at all: the
    # function may write anything
    assigns: list[tuple[Span, list[c_ast.Node]]] = field(default_factory=list)
    frees: bool = False  # a ``frees`` clause: it may free memory that existed at its call

    def replaces_call(self, defined: bool) -> bool:
        """Is a call of the function read through this contract? An ``assigns`` alone stands for
        a function declared only: a defined one is inlined (its inferred precondition, which no
        written one replaces, is then checked at the call)."""
        return bool(self.requires or self.ensures or (self.assigns and not defined))


@dataclass
class FuncInfo:
    name: str
    node: c_ast.FuncDef | None  # None: declared only
    ftype: FuncType
    param_names: list[str]
    contract: Contract


_OLD_USERS: weakref.WeakKeyDictionary[c_ast.Node, bool] = weakref.WeakKeyDictionary()  # some \\old under it?


def _mentions_old(node: c_ast.Node | None) -> bool:
    if node is None:
        return False
    found = _OLD_USERS.get(node)
    if found is None:
        stack, found = [node], False
        while stack and not found:
            n = stack.pop()
            found = isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name == "__pl_old"
            stack.extend(c for _, c in n.children())
        _OLD_USERS[node] = found
    return found



def _const_object(t: c_ast.Node) -> bool:
    """Is the declared object itself const (``const int x``, ``const char s[4]``; not ``const int *p``)?"""
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    return isinstance(t, c_ast.TypeDecl) and "const" in (t.quals or [])

class Frame:
    """Per call: scopes, the return slot, loop exits."""

    def __init__(self, fn: FuncInfo, depth: int) -> None:
        self.fn = fn
        self.depth = depth
        self.scopes: list[dict[str, str]] = [{}]
        self.returns: list[tuple[Any, Val | None, dict[str, Val]]] = []
        self.breaks: list[list[State]] = []
        self.continues: list[list[State]] = []
        self.old: dict[str, Val] = {}  # \\old: parameters and globals at entry (or at the call, for a contract)
        self.old_memory: dict[str, Val] = {}  # ... and memory (Memory.snapshot)
        self.call_span: Span | None = None  # where the top function calls this (inlined) one
        self._forward: set[int] | None = None

    def forward(self, goto: c_ast.Goto) -> bool:
        """Is ``goto``'s label a later item of a block enclosing it (the jumps the engine and the
        certificate checker both follow: forward, out of loops and switches, never into a block)?"""
        if self._forward is None:
            node = self.fn.node
            self._forward = forward_gotos(node.body) if node is not None else set()
        return id(goto) in self._forward


# ---------------------------------------------------------------------------------------


class Executor:
    def __init__(self, ctx: z3.Context, dm: DataModel, funcs: dict[str, FuncInfo], globals_: dict[str, CType],
                 global_inits: dict[str, c_ast.Node | None], typedefs: dict[str, CType],
                 structs: dict[str, StructType], enums: dict[str, int], annotations: dict[str, Span],
                 mode: str, bound: int, inline_depth: int, entry_mode: bool = False,
                 invariant_for: Callable[[LoopRecord], Any] | None = None) -> None:
        self.ctx = ctx
        self.dm = dm
        self.funcs = funcs
        self.globals = globals_
        self.global_inits = global_inits
        self.typedefs = typedefs
        self.structs = structs
        self.enums = enums
        self.annotations = annotations
        self.mode = mode
        self.bound = bound
        self.inline_depth = inline_depth
        self.entry_mode = entry_mode
        self.invariant_for = invariant_for
        self.checks: list[CheckInst] = []
        self.markers: list[tuple[str, Any, Span | None]] = []
        self.scratch_depth = 0  # > 0 while an expression is evaluated only for its type
        self.deadline: Deadline | None = None  # an unrolling past it raises Unsupported
        self.uninit_keys: set[str] = set()  # locals declared without a value (exact run)
        self.nondet: list[tuple[str, Any, Any]] = []
        self.trace: list[tuple[int, str, Any, Any]] = []
        self.loops: list[LoopRecord] = []
        self.cert_loops: list[LoopRecord] = []  # abstract mode: every loop head, callees' included
        self.inputs: list[tuple[str, Val]] = []
        self.frames: list[Frame] = []
        self.fresh_n = 0
        self.result: Val | None = None
        self.end_states: list[State] = []
        self.unsupported: list[tuple[str, Span | None]] = []
        self.lines: dict[int, str] = {}
        self.report_callee_checks = entry_mode
        self.summarised: list[str] = []  # callees replaced by their contracts in this run
        self.ghosts = False  # loop-entry copies of modified variables in loop models (costly)
        self.exhausted: list[Any] = []  # exact mode: pcs of paths cut by the unrolling bound
        self.cut_reasons: set[str] = set()  # why those paths were cut (for "unknown" reasons)
        self.self_calls: list[tuple[Span, Any, list[Val]]] = []  # direct recursive calls of the top function
        # calls of the top function from an inlined callee, before any re-entry of it (mutual recursion)
        self.cycle_calls: list[tuple[Span, Any, list[Val]]] = []
        self.cycle_cut = False  # the exact run cut a call chain (inline depth) before re-entering the top function
        from analysis.engine.memory import Memory

        self.mem = Memory(self)
        self.static_names: set[str] = set()  # static locals: their address may outlive the call
        self.opaque_pointers: list[Any] = []  # havocked pointers: no harness sets them but to NULL
        self.unsequenced: dict[int, str] = {}  # node id -> why its operands' order matters (no proof)
        self.globals_used: dict[str, dict[str, bool]] = {}  # function -> globals it names -> written
        self.const_keys: set[str] = set()  # const-qualified variables (and globals as g:name): read-only objects
        # static locals: id of the declaration -> the one key every execution of it binds (verify.Run)
        self.static_keys: dict[int, str] = {}
        self.gotos: dict[tuple[int, str], list[State]] = {}  # forward jumps waiting for their label (by frame)

    # -- helpers -----------------------------------------------------------------------
    def fresh(self, name: str, bits: int) -> Any:
        self.fresh_n += 1
        return z3.BitVec(f"{name}!{self.fresh_n}", bits, self.ctx)

    def fresh_bool(self, name: str) -> Any:
        self.fresh_n += 1
        return z3.Bool(f"{name}!{self.fresh_n}", self.ctx)

    def true(self) -> Any:
        return z3.BoolVal(True, self.ctx)

    def false(self) -> Any:
        return z3.BoolVal(False, self.ctx)

    def bv(self, v: int, bits: int) -> Any:
        return z3.BitVecVal(v, bits, self.ctx)

    def span(self, node: c_ast.Node | None) -> Span:
        if node is None or node.coord is None:
            return Span(Pos(1, 1), Pos(1, 2))
        line, col = node.coord.line, node.coord.column or 1
        end = self._end(node)
        if end is None or end <= (line, col):
            end = (line, col + 1)
        return Span(Pos(line, col), Pos(end[0], end[1]))

    def _end(self, node: c_ast.Node) -> tuple[int, int] | None:
        """End of a node: the end of its rightmost leaf, plus closing brackets of calls/indexing."""
        best: tuple[int, int] | None = None
        stack = [node]
        while stack:
            n = stack.pop()
            if n.coord is not None and n.coord.line is not None:
                col = n.coord.column or 1
                length = 1
                if isinstance(n, c_ast.ID):
                    length = len(n.name)
                elif isinstance(n, c_ast.Constant):
                    length = len(n.value)
                cand = (n.coord.line, col + length)
                if best is None or cand > best:
                    best = cand
            stack.extend(c for _, c in n.children())
        if best is not None and isinstance(node, (c_ast.FuncCall, c_ast.ArrayRef)):
            text = self.lines.get(best[0], "")
            close = ")" if isinstance(node, c_ast.FuncCall) else "]"
            idx = text.find(close, best[1] - 1)
            if idx >= 0:
                best = (best[0], idx + 2)
        return best

    def taints(self, inst: CheckInst, replay: bool = True) -> list[tuple[str, Any]]:
        """(why, condition) of each way a violation of ``inst`` is only possible, not refuted: its
        caveat, a path through something approximated before it, a havocked pointer other than
        NULL (the harness leaves such pointers NULL: a global's, a by-value struct's member), a
        parameter's object too large for a harness to allocate. One list for the decision, the
        deeper search and the precondition choice, so that they agree on what is sure; the
        choice (``replay`` False) asks what the code needs, not what a harness can replay, so
        the last two are not its."""
        out = [inst.caveat] if inst.caveat is not None else []
        out += [(what, pc) for what, pc, _span in self.markers[: inst.markers]]
        if not replay:
            return out
        if self.opaque_pointers:
            out.append((OPAQUE, z3.Or(*[p != 0 for p in self.opaque_pointers])))
        big = [z3.UGT(p.obj.size, z3.BitVecVal(HARNESS_BYTES, p.obj.size.size(), self.ctx)) for p in self.mem.params]
        if big:
            out.append(("an object larger than a harness can allocate", z3.Or(*big)))
        return out

    def mark(self, what: str, st: State, node: c_ast.Node | None) -> None:
        """Record that this path went through something not modelled exactly."""
        self.markers.append((what, st.pc, self.span(node) if node is not None else None))

    # -- types ---------------------------------------------------------------------------
    def type_of_decl(self, t: c_ast.Node) -> CType:
        if isinstance(t, c_ast.TypeDecl):
            return self.type_of_spec(t.type)
        if isinstance(t, c_ast.ArrayDecl):
            elem = self.type_of_decl(t.type)
            size = None
            if t.dim is not None:
                size = self.const_int(t.dim)
            return ArrayType(elem, size)
        if isinstance(t, c_ast.PtrDecl):
            return PointerType(self.type_of_decl(t.type))
        if isinstance(t, c_ast.FuncDecl):
            ret = self.type_of_decl(t.type)
            params: list[CType] = []
            variadic = False
            if t.args is not None:
                for p in t.args.params:
                    if isinstance(p, c_ast.EllipsisParam):
                        variadic = True
                        continue
                    pt = self.type_of_decl(p.type)
                    if isinstance(pt, VoidType):
                        continue
                    if isinstance(pt, ArrayType):
                        pt = PointerType(pt.elem)
                    params.append(pt)
            return FuncType(ret, tuple(params), variadic)
        if isinstance(t, c_ast.Typename):
            return self.type_of_decl(t.type)
        if isinstance(t, (c_ast.Struct, c_ast.Union, c_ast.Enum, c_ast.IdentifierType)):
            return self.type_of_spec(t)
        return OpaqueType(type(t).__name__)

    def type_of_spec(self, s: c_ast.Node) -> CType:
        if isinstance(s, c_ast.IdentifierType):
            names = list(s.names)
            if len(names) == 1 and names[0] in self.typedefs:
                return self.typedefs[names[0]]
            t = self.dm.from_specifiers(names)
            return t if t is not None else OpaqueType(" ".join(names))
        if isinstance(s, c_ast.Struct | c_ast.Union):
            return self.struct_type(s)
        if isinstance(s, c_ast.Enum):
            return self.register_enum(s)
        return OpaqueType(type(s).__name__)

    def complete(self, t: CType) -> CType:
        """``t`` with a struct tag left incomplete where it was named (``struct node *next`` inside
        ``struct node``) replaced by the struct, now that it is defined (one pointer level)."""
        if isinstance(t, PointerType):
            inner = self.complete(t.target) if isinstance(t.target, OpaqueType) else t.target
            return t if inner is t.target else PointerType(inner)
        if isinstance(t, OpaqueType) and t.name.startswith("struct "):
            found = self.structs.get(t.name[len("struct "):])
            return found if found is not None else t
        return t

    def struct_type(self, s: c_ast.Struct | c_ast.Union) -> CType:
        union = isinstance(s, c_ast.Union)
        name = s.name or f"<anon@{s.coord}>"
        if s.decls is None:
            return self.structs.get(name, OpaqueType("struct " + name))
        fields: list[tuple[str, CType]] = []
        for d in s.decls:
            if d.bitsize is not None:
                return OpaqueType("struct with bit-fields")
            fields.append((d.name or "", self.type_of_decl(d.type)))
        st = StructType(name, tuple(fields), union)
        old = self.structs.get(name)
        if old is not None and old != st:
            # a tag defined again in an inner scope (a block, an inlined callee): the engine keeps
            # one table of tags, so the other definition would outlive its scope (sizeof(struct pt)
            # after the block read the block's layout, and proofs over the wrong layout were certified)
            raise Unsupported(f"struct {name} defined again in an inner scope (scoped struct tags are not modelled)",
                              self.span(s))
        self.structs[name] = st
        return st

    def register_enum(self, e: c_ast.Enum) -> CType:
        """Record the enumerators of a definition and return the enum's type: gcc's ``unsigned
        int`` or ``int`` (DataModel.enum_type). An enum needing a wider type is opaque and its
        enumerators are left out (a use of one is unsupported). The tag's type is kept in
        ``enums`` under ``"enum TAG"`` (no identifier has a space): 0 int, 1 unsigned, 2 wider."""
        key = "enum " + e.name if e.name else None
        if e.values is None:
            code = self.enums.get(key) if key else None
            if code is None or code == 2:
                return OpaqueType("incomplete enum" if code is None else "enum wider than int")
            return self.dm.int_type("int", code == 0)
        nxt = 0
        values: dict[str, int] = {}
        for en in e.values.enumerators:
            if en.value is not None:
                v = self.const_int(en.value)
                if v is None:  # not a constant we can evaluate: the enum is not modelled
                    values = {}
                    break
                nxt = v
            values[en.name] = nxt
            self.enums[en.name] = nxt  # later enumerators may name earlier ones
            nxt += 1
        t = self.dm.enum_type(list(values.values())) if values else None
        if t is None:
            for en in e.values.enumerators:
                self.enums.pop(en.name, None)
        if key:
            self.enums[key] = 2 if t is None else 0 if t.signed else 1
        return OpaqueType("enum wider than int") if t is None else t

    def const_int(self, e: c_ast.Node) -> int | None:
        """Evaluate an integer constant expression (array sizes, enum values, case labels)."""
        try:
            ctx = new_context()
            sub = Executor(ctx, self.dm, {}, {}, {}, self.typedefs, self.structs, self.enums, {}, "exact", 0, 0)
            st = State(z3.BoolVal(True, ctx), {})
            sub.frames.append(Frame(FuncInfo("<const>", None, FuncType(self.dm.INT, ()), [], Contract()), 0))
            v = sub.rvalue(e, st)
            if v.z is None or not isinstance(v.ty, IntType):
                return None
            r = z3.simplify(v.z)
            if not z3.is_bv_value(r):
                return None
            return int(r.as_signed_long()) if v.ty.signed else int(r.as_long())
        except Exception:  # noqa: BLE001 - not constant
            return None

    def zero(self, t: CType) -> Val:
        if isinstance(t, IntType):
            return Val(t, self.bv(0, t.bits))
        if isinstance(t, ArrayType):
            inner = self.zero(t.elem)
            if inner.z is None:
                return Val(t, None)
            return Val(t, z3.K(z3.BitVecSort(IDX_BITS, self.ctx), inner.z))
        if isinstance(t, StructType):
            return Val(t, None, {n: self.zero(ft) for n, ft in t.fields})
        if isinstance(t, PointerType):
            return Val(t, self.bv(0, 64))  # a static pointer starts NULL
        return Val(t, None)

    def havoc(self, t: CType, name: str) -> Val:
        if isinstance(t, IntType):
            return Val(t, self.fresh(name, t.bits))
        from analysis.engine.memory import flat_struct

        if isinstance(t, ArrayType) and flat_struct(t.elem):
            # an object of structs (analysis.engine.memory): one array per member (a member array's
            # elements in one array too)
            assert isinstance(t.elem, StructType)
            return Val(t, None, {n: self.havoc(ArrayType(ft.elem, None) if isinstance(ft, ArrayType) else
                                               ArrayType(ft, t.size), f"{name}.{n}") for n, ft in t.elem.fields})
        if isinstance(t, ArrayType):
            inner = self.havoc(t.elem, name)
            if inner.z is None:
                return Val(t, None)
            self.fresh_n += 1
            return Val(t, z3.Const(f"{name}!{self.fresh_n}",
                                   z3.ArraySort(z3.BitVecSort(IDX_BITS, self.ctx), inner.z.sort())))
        if isinstance(t, StructType):
            return Val(t, None, {n: self.havoc(ft, f"{name}.{n}") for n, ft in t.fields})
        if isinstance(t, PointerType):
            # some pointer: an access through it is never proved, and a refutation takes it NULL,
            # the one value a harness gives such a pointer (a global's, a by-value struct's member)
            z = self.fresh(name, 64)
            self.opaque_pointers.append(z)
            return Val(t, z)
        return Val(t, None)

    # -- conversions ---------------------------------------------------------------------
    def convert(self, v: Val, t: CType, st: State, node: c_ast.Node | None = None) -> Val:
        """Implicit or explicit conversion; narrowing wraps as gcc does (no check)."""
        if v.ty == t:
            return v
        if isinstance(t, IntType):
            if isinstance(v.ty, IntType) and v.z is not None:
                src: IntType = v.ty
                z = v.z
                if t.is_bool:
                    return Val(t, z3.If(z != self.bv(0, src.bits), self.bv(1, 1), self.bv(0, 1)))
                if src.bits == t.bits:
                    return Val(t, z)
                if src.bits > t.bits:
                    return Val(t, z3.Extract(t.bits - 1, 0, z))
                ext = t.bits - src.bits
                return Val(t, z3.SignExt(ext, z) if src.signed else z3.ZeroExt(ext, z))
            # float, pointer, opaque -> int: unknown value; from a floating value out of range it is
            # undefined (C11 6.3.1.4), which nothing here checks: no proof in this function
            if isinstance(v.ty, FloatType):
                self.unsound_here(f"conversion from {v.ty.describe()} to {t.describe()} (floating point is not modelled)",
                                  st, node)
            self.mark(f"conversion from {v.ty.describe()}", st, node)
            return Val(t, self.fresh("conv", t.bits))
        if isinstance(t, StructType) and isinstance(v.ty, StructType):
            return Val(t, v.z, v.fields)
        if isinstance(t, PointerType):
            if self.mem.is_pointer(v):
                return Val(t, v.z)
            if isinstance(v.ty, IntType) and v.z is not None and z3.is_bv_value(z3.simplify(v.z)) and \
                    z3.simplify(v.z).as_long() == 0:
                return self.mem.null(t)  # the null pointer constant
            self.mark(f"conversion from {v.ty.describe()} to a pointer", st, node)
            return Val(t, self.fresh("ptr", 64))
        return Val(t, None)

    def as_int(self, v: Val, st: State, node: c_ast.Node | None) -> Val:
        if isinstance(v.ty, IntType) and v.z is not None:
            return v
        if isinstance(v.ty, FloatType):  # out of range it is undefined (C11 6.3.1.4): not checked here
            self.unsound_here(f"conversion from {v.ty.describe()} to an integer (floating point is not modelled)",
                              st, node)
        elif isinstance(v.ty, ArrayType | PointerType | FuncType):
            self.unsupported_here(f"pointer value ({v.ty.describe()})", st, node)
        else:
            self.mark(f"value of unmodelled type {v.ty.describe()}", st, node)
        return Val(self.dm.INT, self.fresh("opaque", 32))

    def unsupported_here(self, what: str, st: State, node: c_ast.Node | None) -> None:
        """A construct whose value is havocked: sound for proofs, taints refutations through it."""
        self.mark(what, st, node)

    def memory_access(self, what: str, st: State, node: c_ast.Node | None) -> None:
        """An access to memory the engine does not model: its value is havocked (sound for other
        proofs), and the access itself is a check that stays unknown (never a silent tick)."""
        self.mark(what, st, node)
        if self.spec:
            return
        span = self.span(node)
        if len(self.frames) > 1 and not self.report_callee_checks:
            # as the callee's memory checks are (the callee's proof assumes the memory it is handed
            # is what it needs; a block memset as bytes, read past its end as shorts by a callee,
            # was "proved" while this access was dropped)
            at_call = self.callers_memory_span()
            if at_call is None:
                return
            span = at_call
        self.checks.append(CheckInst("memory.unmodelled", span, st.pc, len(self.markers), [], note=what))

    def callers_memory_span(self) -> Span | None:
        """Where a memory check inside an inlined callee is the caller's: at the outermost call
        (the callee's own proofs assume its inferred precondition, which is what the caller's
        memory must meet); None for a callee with a contract, which proves its accesses under its
        written requires, checked at the call."""
        if self.frames[1].call_span is None or \
                any(f.fn.contract.requires or f.fn.contract.ensures for f in self.frames[1:]):
            return None
        return self.frames[1].call_span

    def unsound_here(self, what: str, st: State, node: c_ast.Node | None) -> None:
        """A construct havoc cannot over-approximate (control flow): no proof in this function."""
        self.unsupported.append((what, self.span(node) if node is not None else None))
        self.mark(what, st, node)

    def truth(self, v: Val, st: State, node: c_ast.Node | None) -> Any:
        if self.mem.is_pointer(v):
            return v.z != self.bv(0, 64)
        v = self.as_int(v, st, node)
        assert isinstance(v.ty, IntType)
        return v.z != self.bv(0, v.ty.bits)

    def bool_val(self, b: Any) -> Val:
        return Val(self.dm.INT, z3.If(b, self.bv(1, 32), self.bv(0, 32)))

    # -- checks --------------------------------------------------------------------------
    def check(self, check_id: str, bad: Any, st: State, node: c_ast.Node | None,
              values: list[tuple[str, Any]] | None = None, span: Span | None = None,
              maybe: tuple[str, Any] | None = None) -> None:
        """Record ``pc ∧ bad`` as a check, then assume ``¬bad`` for the rest of the path (not for
        RUNS_ON's checks).
        ``maybe`` = (why, condition): a violation where the condition holds is only possible (the
        check reads unknown there, never refuted), and the path goes on through it."""
        if z3.is_false(bad):
            return
        if self.spec:
            return  # ACSL expressions are mathematical: no C undefined behaviour in them
        sure = bad if maybe is None else z3.And(bad, z3.Not(maybe[1]))
        sp = span if span is not None else self.span(node)
        if len(self.frames) > 1 and not self.report_callee_checks:
            at_call = self.callers_memory_span() if check_id.startswith("memory.") else None
            if at_call is not None:
                sp = at_call  # the callee's memory safety rests on what its caller passes
            else:
                # inside an inlined callee: the callee reports its own checks (for all its inputs)
                if check_id not in RUNS_ON:
                    st.pc = z3.And(st.pc, z3.Not(sure))
                return
        self.checks.append(CheckInst(check_id, sp, z3.And(st.pc, bad), len(self.markers), values or [], pc=st.pc,
                                     caveat=maybe))
        if check_id not in RUNS_ON:
            st.pc = z3.And(st.pc, z3.Not(sure))

    spec = False  # evaluating an ACSL expression (mathematical integers)

    # -- \\old ----------------------------------------------------------------------------
    def pre_state(self, st: State, bound: dict[str, Val], *annotated: c_ast.Node | None) -> tuple[dict[str, Val], dict[str, Val]]:
        """What ``\\old`` reads in ``annotated`` (a body, a contract's expressions): globals and the
        ``bound`` parameters as they are now, and memory, snapshotted only if some ``\\old`` is there."""
        names = {**{g: st.env["g:" + g] for g in self.globals if "g:" + g in st.env}, **bound}
        return names, (self.mem.snapshot(st) if any(_mentions_old(n) for n in annotated) else {})

    # -- variables -----------------------------------------------------------------------
    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.frame.scopes):
            if name in scope:
                return scope[name]
        if name in self.globals:
            return "g:" + name
        return None

    def declare(self, name: str, st: State, val: Val, node: c_ast.Node | None = None) -> str:
        # deterministic keys (same in the exact and abstract runs over one AST)
        key = f"{name}#{len(self.frames)}.{id(node) if node is not None else name}"
        self.frame.scopes[-1][name] = key
        if isinstance(node, c_ast.Decl) and _const_object(node.type):
            self.const_keys.add(key)
        st.env[key] = val
        return key

    @staticmethod
    def display(key: str) -> str:
        if key.startswith("ghost:"):
            return f"\\at({Executor.display(key[6:])},LoopEntry)"
        if key.startswith("g:"):
            return key[2:].split("#", 1)[0]  # (a static local: g:NAME#static...)
        return key.split("#", 1)[0]

    # -- expressions ---------------------------------------------------------------------
    def rvalue(self, e: c_ast.Node, st: State) -> Val:
        m = getattr(self, "ev_" + type(e).__name__, None)
        if m is None:  # (its parts are not evaluated: their checks would be missing)
            self.unsound_here(f"expression {type(e).__name__}", st, e)
            return Val(OpaqueType(type(e).__name__), None)
        v: Val = m(e, st)
        return v

    def ev_Constant(self, e: c_ast.Constant, st: State) -> Val:
        if e.type in ("int", "long int", "long long int", "unsigned int", "unsigned long int",
                      "unsigned long long int", "long", "unsigned"):
            digits, suffix = split_int_literal(e.value)
            decimal = not (digits.lower().startswith("0") and len(digits) > 1)
            t = self.dm.constant_type(digits, suffix, decimal)
            if t is None:
                raise Unsupported(f"integer constant {e.value} too large", self.span(e))
            from analysis.ctypes import int_literal_value

            return Val(t, self.bv(int_literal_value(digits), t.bits))
        if e.type == "char":
            return Val(self.dm.INT, self.bv(_char_value(e.value), 32))
        if e.type == "string":
            return Val(PointerType(self.dm.int_type("char")), None)
        return Val(FloatType(e.type), None)

    def ev_ID(self, e: c_ast.ID, st: State) -> Val:
        key = self.lookup(e.name)
        if key is not None:
            if key not in st.env:
                return Val(OpaqueType("uninitialised"), None)
            value = st.env[key]
            if key in self.uninit_keys and isinstance(value.ty, IntType | PointerType):
                # (an array's or a struct's parts are marked where they are read)
                self.mem.mark_never_written(value, st, e, UNINITIALISED_READ)
            return value
        if e.name in self.enums:
            v = self.enums[e.name]
            return Val(self.dm.enumerator_type(v), self.bv(v, 32))
        if e.name in self.funcs:
            return Val(self.funcs[e.name].ftype, None)
        if e.name in ("__pl_result",):
            return self.result_val(st, e)
        # a function only referred to by name (its definition is not part of this job)
        self.unsupported_here(f"reference to {e.name}", st, e)
        return Val(OpaqueType(e.name), None)

    def result_val(self, st: State, e: c_ast.Node) -> Val:
        if self.result is None:
            raise Unsupported("\\result outside a postcondition", self.span(e))
        return self.result

    def ev_Cast(self, e: c_ast.Cast, st: State) -> Val:
        t = self.type_of_decl(e.to_type.type)
        v = self.rvalue(e.expr, st)
        if isinstance(t, VoidType):
            return Val(t, None)
        if isinstance(t, IntType):
            return self.convert(self.as_int(v, st, e.expr) if not isinstance(v.ty, IntType) else v, t, st, e)
        if isinstance(t, PointerType) and (self.mem.is_pointer(v) or isinstance(v.ty, IntType) and v.z is not None
                                           and z3.is_bv_value(z3.simplify(v.z)) and z3.simplify(v.z).as_long() == 0):
            # `(void *)0` (NULL), or an object pointer viewed as another: accesses check the type
            return self.convert(v, t, st, e)
        if isinstance(t, (PointerType, FloatType)):
            self.mark(f"cast to {t.describe()}", st, e)
            return Val(t, None)
        return self.convert(v, t, st, e)

    def ev_UnaryOp(self, e: c_ast.UnaryOp, st: State) -> Val:
        op = e.op
        if op in ("p++", "p--", "++", "--"):
            return self.incdec(e, st)
        if op == "sizeof":
            t = self.type_of_expr_sizeof(e.expr, st)
            if t is None:
                raise Unsupported("sizeof of an expression whose type the engine does not work out", self.span(e))
            size = self.dm.sizeof(t)
            if size is None:
                raise Unsupported("sizeof of an unmodelled type", self.span(e))
            return Val(self.dm.size_t, self.bv(size, self.dm.size_t.bits))
        if op == "&":
            return self.address_of(e.expr, st, e)
        if op == "*":
            pv = self.pointer_rvalue(e.expr, st)
            if pv is None:
                self.memory_access("pointer dereference", st, e)
                return Val(OpaqueType("*p"), None)
            return self.mem.read(pv, self.bv(0, 64), st, e)
        v = self.rvalue(e.expr, st)
        if op == "!":
            return self.bool_val(z3.Not(self.truth(v, st, e.expr)))
        v = self.as_int(v, st, e.expr)
        assert isinstance(v.ty, IntType)
        t = self.dm.promote(v.ty) if not self.spec else IntType("long long", True, v.ty.bits + 2)
        pv = self.convert(v, t, st)
        if op == "+":
            return pv
        if op == "-":
            if t.signed and not isinstance(e.expr, c_ast.Constant):  # (-1 is a number, not a check)
                self.check("overflow.signed.neg", pv.z == self.bv(t.min, t.bits), st, e,
                           [(_expr_text(e.expr), pv.z)])
            return Val(t, -pv.z)
        if op == "~":
            return Val(t, ~pv.z)
        self.unsound_here(f"unary {op}", st, e)
        return Val(t, self.fresh("opaque", t.bits))

    # -- pointers (the memory model is analysis.engine.memory) ---------------------------------
    def address_of(self, e: c_ast.Node, st: State, node: c_ast.Node) -> Val:
        """``&x``, ``&a[i]``: a pointer into the variable's object."""
        if isinstance(e, c_ast.ID):
            key = self.lookup(e.name)
            pv = self.mem.address_of_var(key, st, len(self.frames)) if key is not None else None
            if pv is not None:
                return pv
        if isinstance(e, c_ast.ArrayRef):
            base = self.pointer_rvalue(e.name, st)
            if base is not None:
                return self.mem.add(base, self.index_value(e.subscript, st), st, node)
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            pv = self.pointer_rvalue(e.expr, st)
            if pv is not None:
                return pv
        self.memory_access("address-of (&) of this expression", st, node)  # (&p->f needs p valid)
        return Val(PointerType(OpaqueType("?")), self.fresh("addr", 64))

    def pointer_rvalue(self, e: c_ast.Node, st: State) -> Val | None:
        """The value of ``e`` as a modelled pointer (an array variable decays to its first
        element), or None when it is not one."""
        v = self.decayed(e, st)
        return v if self.mem.is_pointer(v) else None

    def decayed(self, e: c_ast.Node, st: State) -> Val:
        """The value of ``e``, an array variable read as a pointer to its first element."""
        if isinstance(e, c_ast.ID):
            key = self.lookup(e.name)
            if key is not None and key in st.env and isinstance(st.env[key].ty, ArrayType):
                pv = self.mem.address_of_var(key, st, len(self.frames))
                if pv is not None:
                    return pv
        if isinstance(e, c_ast.Cast):
            t = self.type_of_decl(e.to_type.type)
            if isinstance(t, PointerType):
                inner = self.decayed(e.expr, st)
                return self.convert(inner, t, st, e)
        return self.rvalue(e, st)

    def index_value(self, e: c_ast.Node, st: State) -> Any:
        """An integer operand as a signed 64-bit element count."""
        iv = self.as_int(self.rvalue(e, st), st, e)
        assert isinstance(iv.ty, IntType)
        it = self.dm.promote(iv.ty)
        z = self.convert(iv, it, st).z
        if it.bits >= IDX_BITS:
            return z
        return z3.SignExt(IDX_BITS - it.bits, z) if it.signed else z3.ZeroExt(IDX_BITS - it.bits, z)

    def pointer_binop(self, e: c_ast.BinaryOp, st: State) -> Val | None:
        """``p + n``, ``n + p``, ``p - n``, ``p - q`` and comparisons; None when no operand is a pointer."""
        lp = self.pointer_rvalue(e.left, st) if self._may_be_pointer(e.left, st) else None
        rp = self.pointer_rvalue(e.right, st) if self._may_be_pointer(e.right, st) else None
        if lp is None and rp is None:
            return None
        op = e.op
        if op in ("==", "!=", "<", ">", "<=", ">="):
            a = lp if lp is not None else self.convert(self.rvalue(e.left, st), PointerType(VoidType()), st, e)
            b = rp if rp is not None else self.convert(self.rvalue(e.right, st), PointerType(VoidType()), st, e)
            if a.z is None or b.z is None:
                return None
            if op == "==":
                return self.bool_val(a.z == b.z)
            if op == "!=":
                return self.bool_val(a.z != b.z)
            from analysis.engine.memory import obj_of, off_of

            same = obj_of(a.z) == obj_of(b.z)
            self.check("memory.pointer-arith", z3.Not(same), st, e)
            x, y = off_of(a.z), off_of(b.z)
            order = {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
            if z3.is_true(z3.simplify(same)):
                return self.bool_val(order)
            # a run goes on past it (RUNS_ON), with the order of two addresses: any, and only possible
            self.mark("the order of pointers into different objects", State(z3.And(st.pc, z3.Not(same)), st.env), e)
            return self.bool_val(z3.If(same, order, self.fresh_bool("cross_object_order")))
        if op == "+" and lp is not None and rp is None:
            return self.mem.add(lp, self.index_value(e.right, st), st, e)
        if op == "+" and rp is not None and lp is None:
            return self.mem.add(rp, self.index_value(e.left, st), st, e)
        if op == "-" and lp is not None and rp is None:
            return self.mem.add(lp, -self.index_value(e.right, st), st, e)
        if op == "-" and lp is not None and rp is not None:
            d = self.mem.difference(lp, rp, st, e)
            t = self.dm.ptrdiff_t
            return Val(t, z3.Extract(t.bits - 1, 0, d) if t.bits < 64 else d)
        self.memory_access(f"operator {op} on a pointer", st, e)  # (itself undefined on some operands)
        return Val(self.dm.INT, self.fresh("opaque", 32))

    def _may_be_pointer(self, e: c_ast.Node, st: State) -> bool:
        """Is ``e`` of pointer (or array) type? Read off the syntax, without evaluating it twice."""
        if isinstance(e, c_ast.ID):
            key = self.lookup(e.name)
            return key is not None and key in st.env and isinstance(st.env[key].ty, PointerType | ArrayType)
        if isinstance(e, c_ast.Cast):
            return isinstance(self.type_of_decl(e.to_type.type), PointerType)
        if isinstance(e, c_ast.UnaryOp):
            if e.op == "&":
                return True
            if e.op in ("++", "--", "p++", "p--"):
                return self._may_be_pointer(e.expr, st)
            if e.op == "*":
                return isinstance(self.lvalue_type(e, st), PointerType | ArrayType)
            return False
        if isinstance(e, c_ast.BinaryOp):
            return e.op in ("+", "-") and (self._may_be_pointer(e.left, st) or self._may_be_pointer(e.right, st))
        if isinstance(e, c_ast.FuncCall):
            name = e.name.name if isinstance(e.name, c_ast.ID) else None
            info = self.funcs.get(name) if name is not None else None
            return name in ("malloc", "calloc", "realloc", "__pl_base_addr") or \
                (info is not None and isinstance(info.ftype.ret, PointerType))
        if isinstance(e, c_ast.TernaryOp):
            return self._may_be_pointer(e.iftrue, st) or self._may_be_pointer(e.iffalse, st)
        if isinstance(e, c_ast.Assignment):
            return self._may_be_pointer(e.lvalue, st)
        if isinstance(e, (c_ast.ArrayRef, c_ast.StructRef)):
            return isinstance(self.lvalue_type(e, st), PointerType | ArrayType)
        return False

    def type_of_expr_sizeof(self, e: c_ast.Node, st: State) -> CType | None:
        """The type of sizeof's operand by C's typing rules (C11 6.5), without evaluating it (the
        operand of sizeof is not evaluated, 6.5.3.4p2); None for a form not typed with confidence."""
        if isinstance(e, c_ast.Typename):
            t = self.type_of_decl(e.type)
            return None if isinstance(t, OpaqueType) else t
        return self.static_type(e, st)

    def static_type(self, e: c_ast.Node, st: State) -> CType | None:
        """C's type of the expression ``e`` (before any array-to-pointer conversion), read off the
        declarations; None when the engine does not type the form with confidence."""
        dm = self.dm
        t: CType | None
        if isinstance(e, c_ast.Constant):
            if e.type == "string":
                data = string_literal_bytes(e)  # char[length + 1] (C11 6.4.5p6), not a pointer
                return ArrayType(dm.int_type("char"), len(data)) if data is not None else None
            if e.type == "char":
                return dm.INT if e.value.startswith("'") else None  # (L'x', u'x': other types)
            if e.type in ("float", "double", "long double"):
                return FloatType(e.type)
            try:
                v = self.ev_Constant(e, st)
            except Unsupported:
                return None
            return v.ty if isinstance(v.ty, IntType) else None
        if isinstance(e, c_ast.ID):
            key = self.lookup(e.name)
            if key is not None:
                val = st.env.get(key)
                t = val.ty if val is not None else None
                return t if isinstance(t, IntType | PointerType | ArrayType | StructType | FloatType) else None
            if e.name in self.enums:
                return dm.enumerator_type(self.enums[e.name])
            return None
        if isinstance(e, c_ast.Cast):
            t = self.type_of_decl(e.to_type.type)
            return t if isinstance(t, IntType | PointerType | FloatType | VoidType) else None
        if isinstance(e, c_ast.UnaryOp):
            if e.op in ("sizeof", "_Alignof"):
                return dm.size_t
            if e.op == "&":
                t = self.static_type(e.expr, st)
                return PointerType(t) if t is not None else None
            if e.op == "!":
                return dm.INT
            t = self.static_type(e.expr, st)
            if e.op == "*":
                t = _decay(t)
                return t.target if isinstance(t, PointerType) and not isinstance(t.target, VoidType | OpaqueType) \
                    else None
            if e.op in ("-", "+", "~"):
                return dm.promote(t) if isinstance(t, IntType) else t if isinstance(t, FloatType) and e.op != "~" \
                    else None
            if e.op in ("++", "--", "p++", "p--"):
                return t if isinstance(t, IntType | PointerType | FloatType) else None
            return None
        if isinstance(e, c_ast.BinaryOp):
            if e.op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return dm.INT
            a, b = _decay(self.static_type(e.left, st)), _decay(self.static_type(e.right, st))
            if e.op in ("+", "-") and isinstance(a, PointerType) and isinstance(b, IntType):
                return a
            if e.op == "+" and isinstance(a, IntType) and isinstance(b, PointerType):
                return b
            if e.op == "-" and isinstance(a, PointerType) and isinstance(b, PointerType):
                return dm.ptrdiff_t
            if not (isinstance(a, IntType) and isinstance(b, IntType)):
                return None  # (floating operands: not typed here)
            if e.op in ("<<", ">>"):
                return dm.promote(a)
            return dm.usual(a, b) if e.op in ("+", "-", "*", "/", "%", "&", "|", "^") else None
        if isinstance(e, c_ast.ArrayRef):
            a, b = _decay(self.static_type(e.name, st)), _decay(self.static_type(e.subscript, st))
            if isinstance(a, IntType) and isinstance(b, PointerType):
                a, b = b, a  # i[a]
            ok = isinstance(a, PointerType) and isinstance(b, IntType)
            return a.target if ok and isinstance(a, PointerType) and not isinstance(a.target, VoidType | OpaqueType) \
                else None
        if isinstance(e, c_ast.StructRef):
            t = self.static_type(e.name, st)
            if e.type == "->":
                t = _decay(t)
                t = self.complete(t.target) if isinstance(t, PointerType) else None
            if not isinstance(t, StructType):
                return None
            f = t.field(e.field.name)
            return self.complete(f) if f is not None and not isinstance(f, OpaqueType) else None
        if isinstance(e, c_ast.TernaryOp):
            a, b = _decay(self.static_type(e.iftrue, st)), _decay(self.static_type(e.iffalse, st))
            if isinstance(a, IntType) and isinstance(b, IntType):
                return dm.usual(a, b)
            if isinstance(a, PointerType) and a == b:
                return a
            if isinstance(a, StructType) and a == b:
                return a
            return None
        if isinstance(e, c_ast.ExprList):
            return _decay(self.static_type(e.exprs[-1], st)) if e.exprs else None
        if isinstance(e, c_ast.Assignment):
            t = self.static_type(e.lvalue, st)
            return t if isinstance(t, IntType | PointerType | StructType | FloatType) else None
        if isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID) and self.lookup(e.name.name) is None:
            info = self.funcs.get(e.name.name)
            t = info.ftype.ret if info is not None else None
            return t if isinstance(t, IntType | PointerType | StructType | FloatType) else None
        return None

    def arith(self, op: str, a: Val, b: Val, st: State, node: c_ast.Node, lhs_text: str, rhs_text: str) -> Val:
        """A binary arithmetic/bitwise/comparison operator with C's conversions and UB checks."""
        if isinstance(a.ty, FloatType) or isinstance(b.ty, FloatType):
            # floating point is not modelled: the value is unknown (and IEEE arithmetic has no UB to check)
            self.unsupported_here("floating-point arithmetic", st, node)
            if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return Val(self.dm.INT, z3.If(self.fresh_bool("fcmp"), self.bv(1, 32), self.bv(0, 32)))
            return Val(a.ty if isinstance(a.ty, FloatType) else b.ty, None)
        a = self.as_int(a, st, node)
        b = self.as_int(b, st, node)
        assert isinstance(a.ty, IntType) and isinstance(b.ty, IntType)
        if op in ("<<", ">>"):
            return self.shift(op, a, b, st, node, lhs_text, rhs_text)
        if self.spec and op in ("==", "!=", "<", ">", "<=", ">="):
            a, b = self._narrow_constant(a, b), self._narrow_constant(b, a)
        assert isinstance(a.ty, IntType) and isinstance(b.ty, IntType)
        if self.spec and op in ("==", "!=", "<", ">", "<=", ">=") and a.ty.signed == b.ty.signed:
            # comparing values of the same signedness: extending the narrower one keeps both values,
            # and the solver is much faster on the natural width than on a widened one
            t = IntType(a.ty.kind if a.ty.bits >= b.ty.bits else b.ty.kind, a.ty.signed, max(a.ty.bits, b.ty.bits))
            a, b = self.convert(a, t, st), self.convert(b, t, st)
        elif self.spec:
            assert isinstance(a.ty, IntType) and isinstance(b.ty, IntType)
            # mathematical integers: wide enough that no operation of C-sized operands wraps
            base = max(a.ty.bits, b.ty.bits) + 1
            width = 2 * base if op == "*" else base + 1
            t = IntType("long long", True, min(width, 258))
            a, b = self.convert(a, t, st), self.convert(b, t, st)
        else:
            assert isinstance(a.ty, IntType) and isinstance(b.ty, IntType)
            t = self.dm.usual(a.ty, b.ty)
        x = self.convert(a, t, st).z
        y = self.convert(b, t, st).z
        w = t.bits
        vals = [(lhs_text, x), (rhs_text, y)]
        if op in ("/", "%") or (op == "*" and not (z3.is_bv_value(x) or z3.is_bv_value(y))):
            mark_heavy(self.ctx)  # division circuits and 32x32 multipliers bit-blast slowly
        if op in ("==", "!=", "<", ">", "<=", ">="):
            if op == "==":
                r = x == y
            elif op == "!=":
                r = x != y
            elif t.signed:
                r = {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
            else:
                r = {"<": z3.ULT(x, y), ">": z3.UGT(x, y), "<=": z3.ULE(x, y), ">=": z3.UGE(x, y)}[op]
            return self.bool_val(r)
        if op in ("+", "-", "*"):
            if t.signed and not self.spec:
                name = {"+": "add", "-": "sub", "*": "mul"}[op]
                if op == "*":
                    bad = z3.Not(z3.And(z3.BVMulNoOverflow(x, y, True), z3.BVMulNoUnderflow(x, y)))
                else:
                    xe, ye = z3.SignExt(1, x), z3.SignExt(1, y)
                    wide = xe + ye if op == "+" else xe - ye
                    bad = z3.Or(wide < self.bv(t.min, w + 1), wide > self.bv(t.max, w + 1))
                self.check(f"overflow.signed.{name}", bad, st, node, vals)
            return Val(t, x + y if op == "+" else x - y if op == "-" else x * y)
        if op in ("/", "%"):
            kind = "div" if op == "/" else "rem"
            self.check(f"div-by-zero.{kind}", y == self.bv(0, w), st, node, vals)
            if t.signed:
                self.check(f"overflow.signed.{kind}",
                           z3.And(x == self.bv(t.min, w), y == self.bv(-1, w)), st, node, vals)
                return Val(t, x / y if op == "/" else z3.SRem(x, y))  # bvsdiv truncates like C
            return Val(t, z3.UDiv(x, y) if op == "/" else z3.URem(x, y))
        if op == "&":
            return Val(t, x & y)
        if op == "|":
            return Val(t, x | y)
        if op == "^":
            return Val(t, x ^ y)
        self.unsound_here(f"operator {op}", st, node)
        return Val(t, self.fresh("opaque", w))

    def _narrow_constant(self, c: Val, other: Val) -> Val:
        """A constant compared with a C value: written in that value's type when it fits."""
        assert isinstance(c.ty, IntType) and isinstance(other.ty, IntType)
        folded = z3.simplify(c.z)
        if not z3.is_bv_value(folded) or c.ty == other.ty:
            return c
        value = folded.as_signed_long() if c.ty.signed else folded.as_long()
        if other.ty.min <= value <= other.ty.max:
            return Val(other.ty, self.bv(value, other.ty.bits))
        return c

    def shift(self, op: str, a: Val, b: Val, st: State, node: c_ast.Node, lhs_text: str, rhs_text: str) -> Val:
        assert isinstance(a.ty, IntType) and isinstance(b.ty, IntType)
        lt = self.dm.promote(a.ty)
        rt = self.dm.promote(b.ty)
        x = self.convert(a, lt, st).z
        n = self.convert(b, rt, st).z
        w = lt.bits
        vals = [(lhs_text, x), (rhs_text, n)]
        if rt.signed:
            self.check("shift.negative", n < self.bv(0, rt.bits), st, node, vals)
        # compare the amount with the width in the amount's own type
        width_const = self.bv(w, rt.bits) if rt.bits > 7 else None
        too_wide = z3.UGE(n, width_const) if width_const is not None else self.false()
        self.check("shift.too-wide", too_wide, st, node, vals)
        amount = self.convert(Val(rt, n), IntType(lt.kind, False, w), st).z if rt.bits != w else n
        if op == ">>":
            return Val(lt, x >> amount if lt.signed else z3.LShR(x, amount))
        if lt.signed:
            self.check("shift.negative-value", x < self.bv(0, w), st, node, vals)
            # E1 * 2^E2 must be representable: no set bit (incl. the sign bit) shifted out
            wide = z3.ZeroExt(w, x) << z3.ZeroExt(w, amount)
            self.check("shift.overflow", z3.UGT(wide, self.bv(lt.max, 2 * w)), st, node, vals)
        return Val(lt, x << amount)

    def ev_BinaryOp(self, e: c_ast.BinaryOp, st: State) -> Val:
        if id(e) in self.unsequenced:
            self.unsound_here(self.unsequenced[id(e)], st, e)
        if e.op in ("&&", "||"):
            a = self.truth(self.rvalue(e.left, st), st, e.left)
            right = st.copy()
            right.pc = z3.And(st.pc, a if e.op == "&&" else z3.Not(a))
            b = self.truth(self.rvalue(e.right, right), right, e.right)
            # merge: the right operand's state where it ran
            taken = a if e.op == "&&" else z3.Not(a)
            self.merge_into(st, right, taken)
            r = z3.And(a, b) if e.op == "&&" else z3.Or(a, b)
            return self.bool_val(r)
        if e.op in ("+", "-", "==", "!=", "<", ">", "<=", ">="):
            pr = self.pointer_binop(e, st)
            if pr is not None:
                return pr
        a = self.rvalue(e.left, st)
        b = self.rvalue(e.right, st)
        return self.arith(e.op, a, b, st, e, _expr_text(e.left), _expr_text(e.right))

    def merge_into(self, st: State, branch: State, cond: Any) -> None:
        """st := if cond then branch else st (branch was forked from st under cond)."""
        for k, v in branch.env.items():
            old = st.env.get(k)
            if old is None:
                st.env[k] = v
            elif old is not v:
                st.env[k] = self.ite_val(cond, v, old)
        # path condition: assumptions made in the branch apply where it was taken
        st.pc = z3.Or(branch.pc, z3.And(st.pc, z3.Not(cond)))

    def ite_val(self, c: Any, a: Val, b: Val) -> Val:
        if a is b:
            return a
        if a.fields is not None and b.fields is not None:
            return Val(a.ty, None, {k: self.ite_val(c, a.fields[k], b.fields[k]) for k in a.fields})
        if a.z is None or b.z is None:
            return Val(a.ty, None)
        if a.z.sort() != b.z.sort():
            return Val(a.ty, None)
        if a.z.eq(b.z):
            return a
        return Val(a.ty, z3.If(c, a.z, b.z))

    def ev_TernaryOp(self, e: c_ast.TernaryOp, st: State) -> Val:
        c = self.truth(self.rvalue(e.cond, st), st, e.cond)
        s1 = st.copy()
        s1.pc = z3.And(st.pc, c)
        s2 = st.copy()
        s2.pc = z3.And(st.pc, z3.Not(c))
        a = self.decayed(e.iftrue, s1)  # an array operand is its first element's address (6.3.2.1p3)
        b = self.decayed(e.iffalse, s2)
        if isinstance(a.ty, IntType) and isinstance(b.ty, IntType) and a.z is not None and b.z is not None:
            t = self.dm.usual(a.ty, b.ty) if not (a.ty.is_bool and b.ty.is_bool) else a.ty
            a, b = self.convert(a, t, s1), self.convert(b, t, s2)
        merged = self.merge_states([s1, s2])
        st.pc, st.env = merged.pc, merged.env
        if isinstance(a.ty, VoidType):
            return a
        return self.ite_val(c, a, b)

    def ev_ExprList(self, e: c_ast.ExprList, st: State) -> Val:
        v = Val(VoidType(), None)
        for x in e.exprs:
            v = self.rvalue(x, st)
        return v

    def ev_Assignment(self, e: c_ast.Assignment, st: State) -> Val:
        if id(e) in self.unsequenced:
            self.unsound_here(self.unsequenced[id(e)], st, e)
        target_t = self.lvalue_type(e.lvalue, st)
        if e.op == "=":
            v = self.decayed(e.rvalue, st) if isinstance(target_t, PointerType) else self.rvalue(e.rvalue, st)
        elif e.op in ("+=", "-=") and isinstance(target_t, PointerType):
            cur = self.rvalue(e.lvalue, st)
            n = self.index_value(e.rvalue, st)
            v = self.mem.add(cur, n if e.op == "+=" else -n, st, e) if self.mem.is_pointer(cur) else \
                self.havoc(target_t, "ptr")
        else:
            cur = self.rvalue(e.lvalue, st)
            rhs = self.rvalue(e.rvalue, st)
            v = self.arith(e.op[:-1], cur, rhs, st, e, _expr_text(e.lvalue), _expr_text(e.rvalue))
        if isinstance(target_t, IntType):
            v = self.convert(self.as_int(v, st, e.rvalue), target_t, st, e)
        elif target_t is not None:
            v = self.convert(v, target_t, st, e)
        self.store(e.lvalue, v, st)
        return v

    def incdec(self, e: c_ast.UnaryOp, st: State) -> Val:
        if self._may_be_pointer(e.expr, st):
            pv = self.pointer_rvalue(e.expr, st)
            if pv is not None:
                step = self.bv(1 if e.op.endswith("++") else -1, 64)
                moved = self.mem.add(pv, step, st, e)
                self.store(e.expr, moved, st)
                return pv if e.op.startswith("p") else moved
        cur = self.as_int(self.rvalue(e.expr, st), st, e.expr)
        assert isinstance(cur.ty, IntType)
        t = self.dm.promote(cur.ty)
        x = self.convert(cur, t, st).z
        one = self.bv(1, t.bits)
        inc = e.op.endswith("++")
        if t.signed:
            lim = self.bv(t.max if inc else t.min, t.bits)
            self.check("overflow.signed.inc" if inc else "overflow.signed.dec", x == lim, st, e,
                       [(_expr_text(e.expr), x)])
        new = self.convert(Val(t, x + one if inc else x - one), cur.ty, st)
        self.store(e.expr, new, st)
        return cur if e.op.startswith("p") else new

    # lvalues ---------------------------------------------------------------------------
    def lvalue_type(self, e: c_ast.Node, st: State) -> CType | None:
        if isinstance(e, c_ast.ID):
            key = self.lookup(e.name)
            if key is None:
                raise Unsupported(f"undeclared identifier {e.name}", self.span(e))
            v = st.env.get(key)
            return v.ty if v is not None else None
        scratch = st.copy()
        saved = (len(self.checks), len(self.markers), len(self.nondet), len(self.trace), len(self.unsupported))
        self.scratch_depth += 1  # (what the evaluation records is dropped: no need to compute it)
        try:
            v = self.rvalue(e, scratch)
        finally:
            self.scratch_depth -= 1
            del self.checks[saved[0]:], self.markers[saved[1]:], self.nondet[saved[2]:], self.trace[saved[3]:]
            del self.unsupported[saved[4]:]
        return v.ty

    def store(self, target: c_ast.Node, v: Val, st: State) -> None:
        if isinstance(target, c_ast.ID):
            key = self.lookup(target.name)
            if key is None:
                raise Unsupported(f"undeclared identifier {target.name}", self.span(target))
            st.env[key] = v
            if v.z is not None and isinstance(v.ty, IntType) and target.coord is not None:
                self.trace.append((target.coord.line, self.display(key), v.z, st.pc))
            return
        if isinstance(target, c_ast.ArrayRef):
            self.store_index(target, v, st)
            return
        if isinstance(target, c_ast.StructRef) and target.type == ".":
            # (the struct is read to write one member back: where it sits in memory, that read is
            # not one of the program's, and its members never written are no violation's source)
            base = self._member_base(target, st)
            if base.fields is None or target.field.name not in base.fields:
                self.unsupported_here("member of an unmodelled struct", st, target)
                return
            fields = dict(base.fields)
            fields[target.field.name] = v
            self.store(target.name, Val(base.ty, None, fields), st)
            return
        if isinstance(target, c_ast.StructRef) and target.type == "->":
            pv = self.pointer_rvalue(target.name, st)
            if pv is not None:
                self.mem.write(pv, self.bv(0, 64), v, st, target, member=target.field.name)
                return
        if isinstance(target, c_ast.UnaryOp) and target.op == "*":
            pv = self.pointer_rvalue(target.expr, st)
            if pv is not None:
                self.mem.write(pv, self.bv(0, 64), v, st, target)
                return
        self.memory_access("write through a pointer", st, target)
        self.havoc_all(st, "write through pointer")

    def havoc_all(self, st: State, why: str) -> None:
        self.mem.escapes.append(st.pc)  # what else it wrote is not known either
        for k, v in list(st.env.items()):
            st.env[k] = self.havoc(v.ty, self.display(k))

    def index_of(self, e: c_ast.ArrayRef, st: State) -> tuple[Val, Any, ArrayType] | None:
        base = self.rvalue(e.name, st)
        if not isinstance(base.ty, ArrayType):
            self.memory_access("pointer indexing" if isinstance(base.ty, PointerType) else "indexing a non-array", st, e)
            return None
        iv = self.as_int(self.rvalue(e.subscript, st), st, e.subscript)
        assert isinstance(iv.ty, IntType)
        it = self.dm.promote(iv.ty)
        idx = self.convert(iv, IntType(it.kind, it.signed, IDX_BITS) if it.bits < IDX_BITS else it, st).z
        if it.bits < IDX_BITS:
            idx = z3.SignExt(IDX_BITS - it.bits, self.convert(iv, it, st).z) if it.signed else \
                z3.ZeroExt(IDX_BITS - it.bits, self.convert(iv, it, st).z)
        if base.ty.size is None:
            self.memory_access("indexing an array of unknown size", st, e)
        else:
            n = self.bv(base.ty.size, IDX_BITS)
            bad = z3.Or(idx < self.bv(0, IDX_BITS), idx >= n) if it.signed else z3.UGE(idx, n)
            self.check("bounds.index", bad, st, e, [(_expr_text(e.subscript), idx)])
        return base, idx, base.ty

    def _pointer_base(self, e: c_ast.ArrayRef, st: State) -> Val | None:
        """``p[i]`` with p a pointer (not an array variable): the pointer."""
        if isinstance(e.name, c_ast.ID):
            key = self.lookup(e.name.name)
            if key is not None and key in st.env and isinstance(st.env[key].ty, ArrayType):
                return None
            if key is not None and key in st.env and isinstance(st.env[key].ty, PointerType):
                v = st.env[key]
                return v if self.mem.is_pointer(v) else None
            return None
        if isinstance(e.name, c_ast.StructRef):  # s.p[i], s->p[i]: a pointer member (not an array one)
            return self.pointer_rvalue(e.name, st) if isinstance(self.static_type(e.name, st), PointerType) else None
        if isinstance(e.name, c_ast.ArrayRef) or not self._may_be_pointer(e.name, st):
            return None
        return self.pointer_rvalue(e.name, st)

    def _swapped(self, e: c_ast.ArrayRef, st: State) -> c_ast.ArrayRef:
        """``i[a]`` is ``a[i]`` (C11 6.5.2.1p2): the operand that is a pointer or an array is the base."""
        if not self._may_be_pointer(e.name, st) and self._may_be_pointer(e.subscript, st):
            return c_ast.ArrayRef(e.subscript, e.name, coord=e.coord)
        if isinstance(e.subscript, c_ast.Constant) and e.subscript.type == "string":
            return c_ast.ArrayRef(e.subscript, e.name, coord=e.coord)
        return e

    def _member_array(self, e: c_ast.ArrayRef, st: State) -> tuple[Val, str, Any] | None:
        """``p->a[i]`` with ``a`` an array member: the struct pointer, the member, and the index."""
        name = e.name
        if not (isinstance(name, c_ast.StructRef) and name.type == "->"):
            return None
        t = self.static_type(name, st)
        if not (isinstance(t, ArrayType) and t.size is not None):
            return None
        pv = self.pointer_rvalue(name.name, st)
        if pv is None:
            return None
        return pv, name.field.name, self.index_value(e.subscript, st)

    def ev_ArrayRef(self, e: c_ast.ArrayRef, st: State) -> Val:
        e = self._swapped(e, st)
        inner = self._member_array(e, st)
        if inner is not None:
            return self.mem.read(inner[0], self.bv(0, 64), st, e, member=inner[1], sub=inner[2])
        pv = self._pointer_base(e, st)
        if pv is not None:
            return self.mem.read(pv, self.index_value(e.subscript, st), st, e)
        r = self.index_of(e, st)
        if r is None:
            return Val(OpaqueType("element"), None)
        base, idx, at = r
        if base.z is None:  # (an arbitrary value, no run's: `ps[1].x` of a local array of structs)
            self.mark("array element of unmodelled type", st, e)
            return self.havoc(at.elem, "elem")
        elem = Val(at.elem, z3.Select(base.z, idx))
        if self.uninit_keys and not isinstance(at.elem, ArrayType):
            self.mem.mark_never_written(elem, st, e, UNINITIALISED_READ)
        return elem

    def store_index(self, e: c_ast.ArrayRef, v: Val, st: State) -> None:
        e = self._swapped(e, st)
        inner = self._member_array(e, st)
        if inner is not None:
            self.mem.write(inner[0], self.bv(0, 64), v, st, e, member=inner[1], sub=inner[2])
            return
        pv = self._pointer_base(e, st)
        if pv is not None:
            self.mem.write(pv, self.index_value(e.subscript, st), v, st, e)
            return
        r = self.index_of(e, st)
        if r is None:
            self.havoc_all(st, "write through pointer")
            return
        base, idx, at = r
        if base.z is None or v.z is None:
            self.mark("array element of unmodelled type", st, e)
            self.store(e.name, self.havoc(at, "arr"), st)
            return
        self.store(e.name, Val(at, z3.Store(base.z, idx, v.z)), st)

    def _member_base(self, e: c_ast.StructRef, st: State) -> Val:
        """The struct ``e.name`` of a ``.`` member, its read from memory (``s->in`` of ``s->in.x``)
        not marked as a read of bytes never written: the member is what the program uses."""
        inner: c_ast.Node = e.name
        while isinstance(inner, c_ast.StructRef) and inner.type == ".":
            inner = inner.name
        self.mem.rewritten = id(inner)
        try:
            return self.rvalue(e.name, st)
        finally:
            self.mem.rewritten = None

    def ev_StructRef(self, e: c_ast.StructRef, st: State) -> Val:
        if e.type == "->":
            pv = self.pointer_rvalue(e.name, st)
            if pv is None:
                self.memory_access("pointer member access (->)", st, e)
                return Val(OpaqueType("->"), None)
            return self.mem.read(pv, self.bv(0, 64), st, e, member=e.field.name)
        # `s->in.x`: the struct read from memory is not what the program uses, its member is (a
        # member never written beside it is no violation's source); the outermost member marks
        outermost = self.mem.rewritten is None
        base = self._member_base(e, st) if outermost else self.rvalue(e.name, st)
        member = base.fields.get(e.field.name) if outermost and base.fields is not None else None
        if member is not None and isinstance(member.ty, IntType | PointerType):
            # (a member array or struct is not read as a whole here: its elements and members are,
            # where they are used; r.slots[i] = v marked every later violation as resting on it)
            root: c_ast.Node = e
            while isinstance(root, c_ast.StructRef | c_ast.ArrayRef) and not (
                    isinstance(root, c_ast.StructRef) and root.type == "->"):
                root = root.name
            from analysis.engine.memory import NEVER_WRITTEN_READ

            local = isinstance(root, c_ast.ID) and self.lookup(root.name) in self.uninit_keys
            self.mem.mark_never_written(member, st, e, UNINITIALISED_READ if local else NEVER_WRITTEN_READ)
        if base.fields is None or e.field.name not in base.fields:
            self.unsupported_here("member of an unmodelled struct", st, e)
            return Val(OpaqueType("member"), None)
        if isinstance(base.ty, StructType) and base.ty.union:
            # the members share their bytes, which the engine does not model: a member's value is
            # whatever the last write to any member left there (arbitrary, and unknown if it matters)
            self.unsupported_here("read of a union member (the members share their bytes)", st, e)
            return self.havoc(base.fields[e.field.name].ty, "union." + e.field.name)
        return base.fields[e.field.name]

    def ev_Compound(self, e: c_ast.Compound, st: State) -> Val:
        """GNU statement expression ({ ...; e; })."""
        self.frame.scopes.append({})
        v = Val(VoidType(), None)
        try:
            items = e.block_items or []
            for i, s in enumerate(items):
                if i == len(items) - 1 and not isinstance(s, (c_ast.Decl, c_ast.If, c_ast.Compound)):
                    v = self.rvalue(s, st)
                else:
                    self.stmt(s, st)
        finally:
            self.frame.scopes.pop()
        return v

    def ev_InitList(self, e: c_ast.InitList, st: State) -> Val:
        self.unsupported_here("initializer list in an expression", st, e)
        return Val(OpaqueType("init"), None)

    def ev_CompoundLiteral(self, e: c_ast.CompoundLiteral, st: State) -> Val:
        self.unsupported_here("compound literal", st, e)
        return Val(OpaqueType("literal"), None)

    # calls ------------------------------------------------------------------------------
    def ev_FuncCall(self, e: c_ast.FuncCall, st: State) -> Val:
        if id(e) in self.unsequenced:
            self.unsound_here(self.unsequenced[id(e)], st, e)
        from analysis.engine.calls import call

        return call(self, e, st)

    # -- statements ----------------------------------------------------------------------
    def stmt(self, s: c_ast.Node, st: State) -> None:
        if z3.is_false(st.pc) and not (self.gotos and self._holds_waiting_label(s)):
            return
        m = getattr(self, "st_" + type(s).__name__, None)
        if m is None:
            self.rvalue(s, st)
            return
        m(s, st)

    def unreached_labels(self, st: State) -> None:
        """Gotos of this frame whose label the walk never reached (a backward or odd jump)."""
        left = [k for k in self.gotos if k[0] == id(self.frame)]
        for k in left:
            del self.gotos[k]
            self.unsound_here(f"goto {k[1]} (a label not after the jump)", st, None)

    def _holds_waiting_label(self, s: c_ast.Node) -> bool:
        """Does ``s`` hold a label a goto of this frame jumped to (a dead path revives there)?"""
        names = {name for (fid, name) in self.gotos if fid == id(self.frame)}
        return bool(names) and bool(names & _labels(s))

    def st_Compound(self, s: c_ast.Compound, st: State) -> None:
        self.frame.scopes.append({})
        try:
            items = s.block_items or []
            i = 0
            while i < len(items):
                item = items[i]
                if _is_annot(item, "__pl_invariant") or _is_annot(item, "__pl_variant"):
                    # attach consecutive loop annotations to the loop that follows
                    annots = []
                    while i < len(items) and (_is_annot(items[i], "__pl_invariant") or _is_annot(items[i], "__pl_variant")):
                        annots.append(items[i])
                        i += 1
                    if i < len(items) and isinstance(items[i], (c_ast.While, c_ast.DoWhile, c_ast.For)):
                        self.pending_loop_annots = annots
                        self.stmt(items[i], st)
                        i += 1
                    continue
                self.stmt(item, st)
                i += 1
        finally:
            self.frame.scopes.pop()

    pending_loop_annots: list[c_ast.Node] | None = None

    def st_Decl(self, s: c_ast.Decl, st: State) -> None:
        if s.name is None:
            self.type_of_decl(s.type)  # struct/enum declaration
            return
        if "extern" in (s.storage or []) or isinstance(s.type, c_ast.FuncDecl):
            return
        t = self.type_of_decl(s.type)
        if "static" in (s.storage or []):
            self.static_names.add(s.name)
            key = self.static_keys.get(id(s))
            if key is None or key not in st.env:
                # (every static local of a function the run may reach has its key from the start)
                raise Unsupported(f"static local {s.name} of a function the run did not expect", self.span(s))
            # one object for the whole program: this declaration initialises nothing (C11 6.2.4p3)
            self.frame.scopes[-1][s.name] = key
            return
        if s.init is not None and not isinstance(t, ArrayType) and _mentions(s.init, s.name):
            # `int *p = malloc(sizeof *p)`: the variable is in scope in its own initializer
            self.declare(s.name, st, self.havoc(t, s.name), s)
        if s.init is None:
            # uninitialised: arbitrary, but no run's value: a harness cannot set it (SV-COMP's
            # programs, verified from main, use it as an input, so there it is one)
            v = self.havoc(t, s.name)
            key = self.declare(s.name, st, v, s)
            if self.mode == "exact" and not self.entry_mode:
                self.uninit_keys.add(key)
                from analysis.engine.memory import leaves

                self.mem.uninitialised.update(leaf.z.get_id() for leaf in leaves(v) if leaf.z is not None)
            return
        if isinstance(s.init, c_ast.InitList):
            v = self.init_list(t, s.init, st)
        else:
            literal = self.string_array(t, s.init) if isinstance(t, ArrayType) else None
            if literal is not None:
                v = literal
            elif isinstance(t, ArrayType):
                self.unsupported_here("array initialised from an expression", st, s)
                v = self.havoc(t, s.name)
            else:
                v = self.decayed(s.init, st) if isinstance(t, PointerType) else self.rvalue(s.init, st)
                v = self.convert(self.as_int(v, st, s.init) if isinstance(t, IntType) else v, t, st, s)
        key = self.declare(s.name, st, v, s)
        if isinstance(v.ty, IntType) and v.z is not None and s.coord is not None:
            self.trace.append((s.coord.line, s.name, v.z, st.pc))
        _ = key

    def string_array(self, t: ArrayType, init: c_ast.Node) -> Val | None:
        """``char s[] = "abc"``: the literal's bytes and its NUL (a given size pads with zeros);
        None when ``init`` is not a plain literal for an array of bytes."""
        data = string_literal_bytes(init)
        if data is None or not isinstance(t.elem, IntType) or t.elem.bits != 8 or \
                (t.size is not None and len(data) - 1 > t.size):
            return None
        t = ArrayType(t.elem, t.size if t.size is not None else len(data))
        arr = self.zero(t).z
        for pos, byte in enumerate(data[: t.size]):
            arr = z3.Store(arr, self.bv(pos, IDX_BITS), self.bv(byte, 8))
        return Val(t, arr)

    def init_list(self, t: CType, init: c_ast.InitList, st: State) -> Val:
        full = braced(t, init) if isinstance(t, ArrayType | StructType) else init
        if full is None:
            self.unsupported_here("designated initializer or one with too many elements", st, init)
            return self.havoc(t, "init")
        init = full
        if isinstance(t, ArrayType):
            size = t.size if t.size is not None else len(init.exprs)
            t = ArrayType(t.elem, size)
            cur = self.zero(t)
            if cur.z is None:
                self.unsupported_here("array of unmodelled elements", st, init)
                return self.havoc(t, "arr")
            arr = cur.z
            pos = 0
            for x in init.exprs:
                if isinstance(x, c_ast.NamedInitializer):
                    self.unsupported_here("designated initializer", st, x)
                    return self.havoc(t, "arr")
                if isinstance(x, c_ast.InitList):
                    ev = self.init_list(t.elem, x, st)
                elif isinstance(t.elem, ArrayType):
                    ev = self.string_array(t.elem, x) or Val(t.elem, None)
                else:
                    ev = self.rvalue(x, st)
                    ev = self.convert(self.as_int(ev, st, x) if isinstance(t.elem, IntType) else ev, t.elem, st, x)
                if ev.z is None:
                    self.unsupported_here("initializer of an unmodelled element", st, x)
                    return self.havoc(t, "arr")
                arr = z3.Store(arr, self.bv(pos, IDX_BITS), ev.z)
                pos += 1
            return Val(t, arr)
        if isinstance(t, StructType):
            fields = {n: self.zero(ft) for n, ft in t.fields}
            for (n, ft), x in zip(t.fields, init.exprs, strict=False):
                if isinstance(x, c_ast.NamedInitializer):
                    self.unsupported_here("designated initializer", st, x)
                    return self.havoc(t, "s")
                if isinstance(x, c_ast.InitList):
                    fields[n] = self.init_list(ft, x, st)
                elif isinstance(ft, ArrayType):
                    arr = self.string_array(ft, x)
                    if arr is None:
                        self.unsupported_here("initializer of an array member", st, x)
                        return self.havoc(t, "s")
                    fields[n] = arr
                else:
                    ev = self.rvalue(x, st)
                    fields[n] = self.convert(self.as_int(ev, st, x) if isinstance(ft, IntType) else ev, ft, st, x)
            return Val(t, None, fields)
        if isinstance(t, IntType) and init.exprs:
            return self.convert(self.as_int(self.rvalue(init.exprs[0], st), st, init), t, st)
        self.unsupported_here("initializer list", st, init)
        return self.havoc(t, "init")

    def st_DeclList(self, s: c_ast.DeclList, st: State) -> None:
        for d in s.decls:
            self.st_Decl(d, st)

    def st_EmptyStatement(self, s: c_ast.Node, st: State) -> None:
        return None

    def st_Typedef(self, s: c_ast.Typedef, st: State) -> None:
        self.typedefs[s.name] = self.type_of_decl(s.type)

    def st_Pragma(self, s: c_ast.Node, st: State) -> None:
        return None

    def st_Case(self, s: c_ast.Case, st: State) -> None:
        # a case label nested inside another statement of its switch (Duff's device): the jump
        # into the middle of that statement is not modelled
        self.unsound_here("case label inside a nested statement", st, s)
        st.pc = self.false()

    st_Default = st_Case

    def st_Label(self, s: c_ast.Label, st: State) -> None:
        waiting = self.gotos.pop((id(self.frame), s.name), [])
        if waiting:
            # a local declared between the jump and the label is in scope here, but the jump
            # skipped its initializer: indeterminate on that path (not the value it has on the other)
            for w in waiting:
                skipped = [k for k in st.env if k not in w.env and "#" in k and not k.startswith(("m:", "g:"))]
                for k in skipped:
                    w.env[k] = self.havoc(st.env[k].ty, self.display(k))
                if skipped:  # (a harness cannot make that value: no counterexample rests on it)
                    self.mark(f"the indeterminate value of {self.display(skipped[0])} (its initializer jumped over)", w, s)
            merged = self.merge_states([st, *waiting])
            st.pc, st.env = merged.pc, dict(merged.env)
        self.stmt(s.stmt, st)

    def st_Goto(self, s: c_ast.Goto, st: State) -> None:
        """A forward jump (the `goto out;` / `goto fail;` cleanup idiom, also out of loops and
        switches): the state waits at its label and joins the path there, as a ``break`` joins
        the loop's exit. A backward jump or one into a block is not modelled: the path ends
        here (its prefix stays exact for refutations) and nothing is proved."""
        if self.frame.forward(s):
            self.gotos.setdefault((id(self.frame), s.name), []).append(st.copy())
        else:
            self.unsound_here("goto (backward, or into a block)", st, s)
        st.pc = self.false()

    def waiting_gotos(self) -> dict[tuple[int, str], int]:
        """How many jumps wait at each label: a scratch run of a loop body restores it after."""
        return {k: len(v) for k, v in self.gotos.items()}

    def restore_gotos(self, saved: dict[tuple[int, str], int]) -> None:
        """Forget the jumps made since ``saved``."""
        for k in list(self.gotos):
            del self.gotos[k][saved.get(k, 0):]
            if not self.gotos[k]:
                del self.gotos[k]

    def st_If(self, s: c_ast.If, st: State) -> None:
        c = self.truth(self.rvalue(s.cond, st), st, s.cond)
        s1 = st.copy()
        s1.pc = z3.And(st.pc, c)
        s2 = st.copy()
        s2.pc = z3.And(st.pc, z3.Not(c))
        self.stmt(s.iftrue, s1)
        if s.iffalse is not None:
            self.stmt(s.iffalse, s2)
        m = self.merge_states([s1, s2])
        st.pc, st.env = m.pc, m.env

    def merge_states(self, states: list[State]) -> State:
        live = [s for s in states if not z3.is_false(s.pc)]
        if not live:
            return State(self.false(), dict(states[0].env) if states else {})
        if len(live) == 1:
            return live[0]
        env: dict[str, Val] = {}
        keys: set[str] = set()
        for s in live:
            keys |= set(s.env)
        for k in keys:
            acc: Val | None = None
            # a key some paths lack: a heap block's contents made on another path's first use
            # (those paths have its first contents), or a name out of scope after the merge
            default = self.mem.initial.get(k)
            for s in reversed(live):
                v = s.env.get(k, default)
                if v is None:
                    continue
                acc = v if acc is None else self.ite_val(s.pc, v, acc)
            assert acc is not None
            env[k] = acc
        return State(z3.Or(*[s.pc for s in live]), env)

    def st_Return(self, s: c_ast.Return, st: State) -> None:
        v: Val | None = None
        if s.expr is not None:
            v = self.rvalue(s.expr, st)
            rt = self.frame.fn.ftype.ret
            if isinstance(rt, IntType):
                v = self.convert(self.as_int(v, st, s.expr), rt, st, s)
            elif not isinstance(rt, VoidType):
                v = self.convert(v, rt, st, s)
        if v is not None and self.mem.is_pointer(v):
            self.mem.escape_check(v, st, s.expr)
        self.frame.returns.append((st.pc, v, dict(st.env)))
        st.pc = self.false()

    def st_Break(self, s: c_ast.Break, st: State) -> None:
        if not self.frame.breaks:
            raise Unsupported("break outside a loop or switch", self.span(s))
        self.frame.breaks[-1].append(st.copy())
        st.pc = self.false()

    def st_Continue(self, s: c_ast.Continue, st: State) -> None:
        if not self.frame.continues:
            raise Unsupported("continue outside a loop", self.span(s))
        self.frame.continues[-1].append(st.copy())
        st.pc = self.false()

    def st_Switch(self, s: c_ast.Switch, st: State) -> None:
        sel = self.as_int(self.rvalue(s.cond, st), st, s.cond)
        assert isinstance(sel.ty, IntType)
        t = self.dm.promote(sel.ty)
        x = self.convert(sel, t, st).z
        body = s.stmt.block_items if isinstance(s.stmt, c_ast.Compound) else [s.stmt]
        labels: list[Any] = []
        seen: dict[int, c_ast.Node] = {}
        defaults = 0
        for item in body or []:
            if isinstance(item, c_ast.Default):
                defaults += 1
                if defaults > 1:  # C11 6.8.4.2p3: the program is not C; gcc rejects it
                    raise Unsupported("more than one default label in a switch (not valid C)", self.span(item))
            if isinstance(item, c_ast.Case):
                cv = self.const_int(item.expr)
                if cv is None:
                    raise Unsupported("non-constant case label", self.span(item))
                bits = cv & ((1 << t.bits) - 1)  # labels compare after conversion to the promoted type
                if bits in seen:
                    first = self.span(seen[bits])
                    where = f" (also on line {first.start.line})" if first else ""
                    raise Unsupported(f"duplicate case value {cv}{where} (not valid C)", self.span(item))
                seen[bits] = item
                labels.append(self.bv(bits, t.bits))
        entry = st.copy()
        no_match = z3.And(*[x != lv for lv in labels]) if labels else self.true()
        cur = State(self.false(), dict(st.env))
        self.frame.breaks.append([])
        self.frame.scopes.append({})
        has_default = False
        try:
            for item in body or []:
                if isinstance(item, c_ast.Case | c_ast.Default):
                    if isinstance(item, c_ast.Case):
                        cv = self.const_int(item.expr)
                        assert cv is not None
                        match = x == self.bv(cv & ((1 << t.bits) - 1), t.bits)
                    else:
                        has_default = True
                        match = no_match
                    jump = entry.copy()
                    jump.pc = z3.And(entry.pc, match)
                    cur = self.merge_states([cur, jump])
                    for sub in item.stmts or []:
                        self.stmt(sub, cur)
                else:
                    self.stmt(item, cur)
        finally:
            self.frame.scopes.pop()
            breaks = self.frame.breaks.pop()
        outs = [cur, *breaks]
        if not has_default:
            miss = entry.copy()
            miss.pc = z3.And(entry.pc, no_match)
            outs.append(miss)
        m = self.merge_states(outs)
        st.pc, st.env = m.pc, m.env

    # loops ------------------------------------------------------------------------------
    def st_While(self, s: c_ast.While, st: State) -> None:
        from analysis.engine.loop_execution import run_loop

        run_loop(self, s, st, cond=s.cond, body=s.stmt, nxt=None, do_while=False)

    def st_DoWhile(self, s: c_ast.DoWhile, st: State) -> None:
        from analysis.engine.loop_execution import run_loop

        run_loop(self, s, st, cond=s.cond, body=s.stmt, nxt=None, do_while=True)

    def st_For(self, s: c_ast.For, st: State) -> None:
        from analysis.engine.loop_execution import run_loop

        self.frame.scopes.append({})
        try:
            if s.init is not None:
                if isinstance(s.init, c_ast.DeclList):
                    self.st_DeclList(s.init, st)
                else:
                    self.rvalue(s.init, st)
            run_loop(self, s, st, cond=s.cond, body=s.stmt, nxt=s.next, do_while=False)
        finally:
            self.frame.scopes.pop()


def forward_gotos(body: c_ast.Node) -> set[int]:
    """The ids of the gotos in ``body`` whose label names a later item of an enclosing block."""
    out: set[int] = set()
    stack: list[tuple[c_ast.Node, frozenset[str]]] = [(body, frozenset())]
    while stack:
        node, later = stack.pop()
        if isinstance(node, c_ast.Goto):
            if node.name in later:
                out.add(id(node))
            continue
        if isinstance(node, c_ast.Compound):
            items = node.block_items or []
            heads = [_item_labels(it) for it in items]
            after: frozenset[str] = frozenset()
            for it, names in zip(reversed(items), reversed(heads), strict=True):
                stack.append((it, later | after))
                after = after | names
            continue
        stack.extend((c, later) for _, c in node.children())
    return out


def _item_labels(item: c_ast.Node) -> frozenset[str]:
    names = []
    while isinstance(item, c_ast.Label):
        names.append(item.name)
        item = item.stmt
    return frozenset(names)


def _labels(node: c_ast.Node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Label):
            out.add(n.name)
        stack.extend(c for _, c in n.children())
    return out


def _mentions(node: c_ast.Node, name: str) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.ID) and n.name == name:
            return True
        stack.extend(c for _, c in n.children())
    return False


def _is_annot(node: c_ast.Node, name: str) -> bool:
    return (isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name == name)


def _char_value(text: str) -> int:
    body = text[1:-1] if text.startswith("'") else text[2:-1]
    if not body.startswith("\\"):
        v = ord(body[0]) if body else 0
    else:
        esc = body[1:]
        simple = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12,
                  "v": 11, "?": 63}
        if esc.startswith("x"):
            v = int(esc[1:], 16)
        elif esc and esc[0] in "01234567":
            v = int(esc, 8)
        else:
            v = simple.get(esc, ord(esc[0]) if esc else 0)
    # a plain char constant has type int, with the value of the (signed) char
    v &= 0xFF
    return v - 256 if v >= 128 else v


_ESCAPES = {"n": 10, "t": 9, "r": 13, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}


def string_literal_bytes(e: c_ast.Node) -> list[int] | None:
    """The bytes of a plain string literal with its terminating NUL; None for anything else
    (wide or UTF prefixes, non-ASCII text, escapes not decoded here)."""
    if not isinstance(e, c_ast.Constant) or e.type != "string" or not e.value.startswith('"'):
        return None
    body, out, i = e.value[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            if ord(ch) > 127:
                return None
            out.append(ord(ch))
            i += 1
            continue
        m = re.match(r"x([0-9a-fA-F]{1,2})(?![0-9a-fA-F])|([0-7]{1,3})", body[i + 1:])
        if m is not None:
            out.append(int(m.group(1), 16) if m.group(1) else int(m.group(2), 8) & 0xFF)
            i += 1 + m.end()
        elif body[i + 1: i + 2] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            return None
    return out + [0]


def _decay(t: CType | None) -> CType | None:
    """An array's or a function's type as an operand: a pointer to its element (C11 6.3.2.1p3-4)."""
    if isinstance(t, ArrayType):
        return PointerType(t.elem)
    if isinstance(t, FuncType):
        return PointerType(t)
    return t


def _expr_text(e: c_ast.Node) -> str:
    try:
        from pycparser import c_generator

        text: str = c_generator.CGenerator().visit(e)
        return text if len(text) <= 60 else text[:57] + "..."
    except Exception:  # noqa: BLE001
        return "?"


def braced(t: CType, init: c_ast.InitList) -> c_ast.InitList | None:
    """``init`` for an object of type ``t`` with every elided brace written out (C11 6.7.9p20:
    an initializer of a subaggregate that does not start with a brace takes as many of the
    following initializers as the subaggregate has members; the rest go on to the next
    member). A fully braced list comes back unchanged. None when the list has designators or
    more initializers than the object has members (the caller treats it as unsupported)."""
    if any(isinstance(x, c_ast.NamedInitializer) for x in init.exprs):
        return None
    out, used = _take(t, list(init.exprs), 0, top=True)
    if out is None or used != len(init.exprs):
        return None
    return c_ast.InitList(out, init.coord)


def _slots(t: CType, top: bool) -> list[CType] | None:
    """The member types an initializer list of ``t`` fills in order (None: unbounded, for the
    unsized array being declared); a union's list initializes its first member only."""
    if isinstance(t, ArrayType):
        if t.size is None:
            return None if top else []
        return [t.elem] * t.size
    if isinstance(t, StructType):
        return [ft for _, ft in t.fields[:1]] if t.union else [ft for _, ft in t.fields]
    return []


def _take(t: CType, items: list[c_ast.Node], i: int, top: bool) -> tuple[list[c_ast.Node] | None, int]:
    """Braced initializers of the members of ``t`` from ``items[i:]``: (the list, the next index)."""
    slots = _slots(t, top)
    out: list[c_ast.Node] = []
    k = 0
    while i < len(items) and (slots is None or k < len(slots)):
        st = t.elem if slots is None and isinstance(t, ArrayType) else slots[k]  # type: ignore[index]
        x = items[i]
        if isinstance(x, c_ast.NamedInitializer):
            return None, i
        aggregate = isinstance(st, ArrayType | StructType)
        if isinstance(x, c_ast.InitList):
            if aggregate:
                inner = braced(st, x)
                if inner is None:
                    return None, i
                x = inner
            out.append(x)
            i += 1
        elif not aggregate or (isinstance(st, ArrayType) and string_literal_bytes(x) is not None):
            out.append(x)  # a scalar, or a string literal for an array of characters
            i += 1
        else:  # the braces of the subaggregate are elided
            if isinstance(st, StructType) and not _plain_constant(x):
                return None, i  # maybe a whole struct value (6.7.9p13): not decided here
            sub, i = _take(st, items, i, top=False)
            if sub is None:
                return None, i
            out.append(c_ast.InitList(sub, x.coord))
        k += 1
    return out, i


def _plain_constant(x: c_ast.Node) -> bool:
    """An integer or character constant, possibly negated or cast: never a struct value."""
    while isinstance(x, c_ast.UnaryOp) and x.op in ("-", "+") or isinstance(x, c_ast.Cast):
        x = x.expr
    return isinstance(x, c_ast.Constant) and x.type != "string"
