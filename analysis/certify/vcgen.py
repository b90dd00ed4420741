"""Forward symbolic execution of the C fragment: the checker's own encoding of C11 integers.

Every value is a z3 bit-vector of its C type's width (``_Bool``: 1 bit) paired with its
:class:`IntType`; an array is a z3 array from 64-bit flat indices to its element bit-vectors; a
pointer is 96 bits, object number ++ byte offset (:func:`obj`, :func:`off`; object 0 is NULL).
A state is a path condition and an environment (variable key -> value); states meeting at a
join are merged with ``If``. Loops are cut by their certificate invariants (or unrolled); the
result is a list of *obligations*: formulas that must all be unsatisfiable. What pointers point
to is :mod:`.memory`'s, through the hooks ``entry``, ``returning`` and ``forget`` and the
overridden ``rvalue``, ``lvalue``, ``load``, ``store``, ``declare`` and ``call``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import z3
from pycparser import c_ast

from analysis.clock import Deadline
from analysis.ctypes import ArrayType, CType, IntType, PointerType, StructType, VoidType

from .cdecl import Contract, Pos, Program, Unsupported, int_constant, leaf, pos_of, string_bytes
from .spec import CMP, MemoryHook, SpecEval, of_c, parse_invariant

Z = Any  # a z3 term
Val = tuple[Any, IntType]

_TERMINATE = {"abort", "exit", "_Exit", "__VERIFIER_silent_exit"}
_ERRORS = {"reach_error", "__VERIFIER_error"}
_ASSERTS = {"assert", "__VERIFIER_assert"}
_IGNORED = {"__pl_variant", "__pl_decreases"}
_BUILTINS = _TERMINATE | _ERRORS | _ASSERTS | _IGNORED | {"__VERIFIER_assume", "__pl_assert", "__pl_assume",
                                                          "__pl_invariant"}
_NONDET = {"int": ("int", True), "uint": ("int", False), "unsigned_int": ("int", False), "unsigned": ("int", False),
           "char": ("char", True), "uchar": ("char", False), "unsigned_char": ("char", False),
           "short": ("short", True), "ushort": ("short", False), "unsigned_short": ("short", False),
           "long": ("long", True), "ulong": ("long", False), "unsigned_long": ("long", False),
           "longlong": ("long long", True), "ulonglong": ("long long", False), "bool": ("_Bool", False),
           "_Bool": ("_Bool", False), "size_t": ("long", False)}


class Timeout(Exception):
    """The symbolic execution itself took longer than the check's time budget."""


@dataclass
class Var:
    key: str
    ctype: CType  # IntType, ArrayType or PointerType (memory.py: a Cell for what lives in memory)


PRUNE = True  # fold constants in path conditions (off only to locate a check on a pruned path)


class State:
    """A path condition and the values of the variables on that path."""

    __slots__ = ("pc", "env")

    def __init__(self, pc: Z, env: dict[str, Z]) -> None:
        self.pc, self.env = pc, env

    def copy(self) -> State:
        return State(self.pc, dict(self.env))

    def assume(self, c: Z) -> None:
        # constant folding prunes the dead paths of an unrolled loop with known bounds (without
        # it, 4 x 5 nested iterations kept every impossible path and took seconds)
        c = z3.simplify(c) if PRUNE else c
        if z3.is_false(c):
            self.pc = c
        elif not z3.is_true(c) and not z3.is_false(self.pc):
            self.pc = z3.And(self.pc, c)


def merge(states: list[State | None]) -> State | None:
    """One state standing for all of ``states`` (variables only some of them have are dropped)."""
    live = [s for s in states if s is not None and not z3.is_false(s.pc)]
    if len(live) <= 1:
        return live[0] if live else None
    keys = set(live[0].env).intersection(*(s.env for s in live[1:]))
    env: dict[str, Z] = {}
    for k in keys:
        v = live[-1].env[k]
        for s in reversed(live[:-1]):
            v = v if s.env[k].eq(v) else z3.If(s.pc, s.env[k], v)
        env[k] = v
    return State(z3.Or([s.pc for s in live]), env)


@dataclass
class Reader:
    """A spec's names, read in ``state`` (where a spec that reads memory reads it from)."""

    read: Callable[[str], tuple[Any, CType] | None]
    state: State

    def __call__(self, name: str) -> tuple[Any, CType] | None:
        return self.read(name)


@dataclass
class Flow:
    """How a statement can end: normally, by break, by continue, by return."""

    normal: State | None
    breaks: list[State] = field(default_factory=list)
    continues: list[State] = field(default_factory=list)
    returns: list[State] = field(default_factory=list)

    def absorb(self, other: Flow) -> None:
        self.breaks += other.breaks
        self.continues += other.continues
        self.returns += other.returns


@dataclass
class Frame:
    """One activation of a function (the target at depth 0, inlined callees deeper)."""

    name: str
    scopes: list[dict[str, Var]]
    depth: int
    ret: CType
    ret_key: str
    contract: Contract | None = None
    old: State | None = None

    def lookup(self, name: str) -> Var | None:
        return next((sc[name] for sc in reversed(self.scopes) if name in sc), None)


@dataclass
class Target:
    check_id: str
    pos: Pos
    unreachable: bool


@dataclass
class CertLoops:
    method: str
    unroll: int
    invariants: dict[Pos, list[str]]
    unrolls: dict[Pos, int] = field(default_factory=dict)  # "invariants" method: loops executed exactly
    # termination: the loop at this position, and its lexicographic ranking function, one
    # component per entry: (constant, {variable: coefficient}) over the C values at the loop head
    ranking: tuple[Pos, list[tuple[int, dict[str, int]]]] | None = None


# undefined behaviour a run goes on from (nothing traps): not assumed away after its check
RUNS_ON = frozenset({"memory.pointer-arith", "memory.local-escape", "library.ctype-domain"})


class Executor:
    """Runs the target function once, symbolically, collecting obligations."""

    def __init__(self, prog: Program, ctx: z3.Context, target: Target, loops: CertLoops, inline_depth: int,
                 deadline: Deadline, also: tuple[Target, ...] = ()) -> None:
        self.prog, self.ctx, self.m, self.target, self.loops = prog, ctx, prog.model, target, loops
        self.inline_depth, self.deadline = inline_depth, deadline
        self.active: list[str] = []  # the functions being run, the target first
        self.obligations: list[tuple[Z, str]] = []
        self.n = 0
        # plain runtime checks certified by the same walk (one certificate, several checks): each
        # one's obligations are its own; every other obligation (loops, calls) is shared
        self.targets: dict[tuple[str, Pos], Target] = {(t.check_id, t.pos): t for t in (target, *also)}
        self.target_obligations: dict[tuple[str, Pos], list[Z]] = {}
        self.target_hits: dict[tuple[str, Pos], int] = {}  # each target's check (or loop) met on a path
        self.globals: dict[str, Var] = {}
        self.static_locals: dict[int, Var] = {}  # id of a block-scope static's declaration -> its one variable

    # -- small helpers ----------------------------------------------------------------------
    def fresh(self, name: str, t: CType) -> Z:
        self.n += 1
        if isinstance(t, IntType | PointerType):
            return z3.BitVec(f"{name}!{self.n}", t.bits if isinstance(t, IntType) else 96, self.ctx)
        if isinstance(t, ArrayType) and isinstance(elem := leaf(t), IntType):
            return z3.Array(f"{name}!{self.n}", z3.BitVecSort(64, self.ctx), z3.BitVecSort(elem.bits, self.ctx))
        raise Unsupported("variable type")

    def const(self, v: int, t: IntType) -> Val:
        return z3.BitVecVal(v % (1 << t.bits), t.bits, self.ctx), t

    def false(self) -> Z:
        return z3.BoolVal(False, self.ctx)

    def truth(self, v: Val) -> Z:
        return obj(v[0]) != 0 if isinstance(v[1], PointerType) else v[0] != z3.BitVecVal(0, v[1].bits, self.ctx)

    def of_bool(self, b: Z) -> Val:
        i = self.m.INT
        return z3.If(b, *(self.const(k, i)[0] for k in (1, 0))), i

    def conv(self, v: Val, dst: Any) -> Z:
        """C11 6.3.1.2/6.3.1.3 as gcc does it: to _Bool is != 0, otherwise wrap/extend. A pointer
        keeps its value as another object pointer; only a null pointer constant becomes one."""
        x, src = v
        if isinstance(src, PointerType) != isinstance(dst, PointerType):
            if not (isinstance(dst, PointerType) and z3.is_bv_value(x) and x.as_long() == 0):
                raise Unsupported("conversion between a pointer and an integer")
            return z3.BitVecVal(0, 96, self.ctx)
        if isinstance(dst, PointerType) or dst.bits == src.bits and not dst.is_bool:
            return x
        if dst.is_bool:
            return z3.If(self.truth(v), z3.BitVecVal(1, 1, self.ctx), z3.BitVecVal(0, 1, self.ctx))
        if dst.bits < src.bits:
            return z3.Extract(dst.bits - 1, 0, x)
        return (z3.SignExt if src.signed else z3.ZeroExt)(dst.bits - src.bits, x)

    def oblige(self, bad: Z, what: str) -> None:
        if not z3.is_false(bad):
            self.obligations.append((bad, what))

    def check(self, st: State, cid: str, pos: Pos | None, ok: Z, what: str) -> None:
        """A runtime check: an obligation if it is the one certified, else assumed from here on."""
        target = self.targets.get((cid, pos)) if pos is not None else None
        if target is not None:
            assert pos is not None
            self.hit(cid, pos)
            bad = st.pc if target.unreachable else z3.And(st.pc, z3.Not(ok))
            if not z3.is_false(bad):
                self.target_obligations.setdefault((cid, pos), []).append(bad)
        if cid not in RUNS_ON:
            st.assume(ok)

    def hit(self, cid: str, pos: Pos) -> None:
        self.target_hits[(cid, pos)] = self.target_hits.get((cid, pos), 0) + 1

    def split(self, st: State, c: Z) -> tuple[State, State]:
        """``st`` where ``c`` holds, and a copy of it where ``c`` does not."""
        other = st.copy()
        other.assume(z3.Not(c))
        st.assume(c)
        return st, other

    def tick(self) -> None:
        if self.deadline.expired():
            raise Timeout

    # -- function entry -----------------------------------------------------------------------
    def run(self, fd: c_ast.FuncDef, entry_mode: bool) -> None:
        st = State(z3.BoolVal(True, self.ctx), {})
        scratch = Frame("<init>", [self.globals], 0, self.m.INT, "$r")
        for g in self.prog.globals.values():
            if g.ctype is None:
                continue
            var = self.globals[g.name] = Var("g:" + g.name, g.ctype)
            st.env[var.key] = self.fresh(g.name, g.ctype)
            if (entry_mode or g.const) and (g.init is not None or entry_mode):
                self.initialise(var, g.init, st, scratch)
        # a static local is one object for the whole program: every call shares it (C11 6.2.4p3); at
        # entry it holds what earlier calls left (per function) or its initializer (the whole program)
        for name in sorted(self.prog.funcs):
            for d in (n for n in nodes(self.prog.funcs[name].body) if _is_static_local(n)):
                var = self.static_locals[id(d)] = Var(f"{d.name}#static.{name}.{len(self.static_locals)}",
                                                      self.prog.resolve(d.type, d.init))
                st.env[var.key] = self.fresh(d.name, var.ctype)
                if entry_mode:
                    self.initialise(var, d.init, st, scratch)
        fr = self.new_frame(fd.decl.name, fd.decl.type, 0)
        self.active = [fd.decl.name]
        for name, var in self.params(fd.decl.type).items():
            fr.scopes[-1][name] = var
            st.env[var.key] = self.fresh(name, var.ctype)
        self.entry(st, fr)
        fr.old = st.copy()
        if fr.contract:
            for cl in fr.contract.requires:
                st.assume(self.spec(cl.expr, st, fr).pred(cl.expr))
        self.body(fd, st, fr)

    def entry(self, st: State, fr: Frame) -> None:
        """What the function may assume at entry beyond its contract (the memory model's hook)."""

    def new_frame(self, name: str, decl: c_ast.FuncDecl, depth: int) -> Frame:
        ret = self.prog.resolve(decl.type)
        self.n += 1
        return Frame(name, [self.globals, {}], depth, ret, f"$ret{self.n}", self.prog.contracts.get(name))

    def params(self, decl: c_ast.FuncDecl) -> dict[str, Var]:
        out: dict[str, Var] = {}
        for p in decl.args.params if decl.args else []:
            if isinstance(p, c_ast.EllipsisParam):
                raise Unsupported("variadic function", decl)
            if isinstance(p.type, c_ast.ArrayDecl):  # a parameter declared as an array is a pointer (6.7.6.3p7)
                t: CType = PointerType(self.prog.resolve(p.type.type))
            else:
                t = self.prog.resolve(p.type)
            if isinstance(t, VoidType) and p.name is None:
                continue
            if not isinstance(t, IntType | PointerType):
                raise Unsupported("parameter type", p)
            self.n += 1
            out[p.name] = Var(f"{p.name}#{self.n}", t)
        return out

    def body(self, fd: c_ast.FuncDef, st: State, fr: Frame) -> State | None:
        """Run a function body; the merged returning state holds the result in ``fr.ret_key``."""
        flow = self.stmt(fd.body, st, fr)
        if flow.breaks or flow.continues:
            raise Unsupported("break/continue outside a loop", fd)
        ends = flow.returns
        if any("$goto" in s.env for s in ends):
            raise Unsupported("goto to a label not later in an enclosing block", fd)
        if flow.normal is not None:
            if isinstance(fr.ret, IntType | PointerType):
                flow.normal.env[fr.ret_key] = self.fresh("noreturn", fr.ret)
            self.postcondition(flow.normal, fr)
            ends.append(flow.normal)
        return merge(list(ends))

    def returning(self, e: c_ast.Node, v: Any, st: State, fr: Frame) -> None:
        """``return e;`` with ``e``'s value ``v`` (the memory model checks what it points to)."""

    def postcondition(self, st: State, fr: Frame) -> None:
        if fr.depth != 0 or fr.contract is None:
            return
        if self.target.check_id == "assigns.violated" and fr.contract.assigns:
            assert fr.old is not None
            names, ranges, part = self.footprint(fr.contract, fr.old, fr)
            if part:  # (read as the whole global it would let unlisted parts change unseen)
                raise Unsupported(f"assigns of part of a global ({', '.join(sorted(part))})",
                                  next(loc for _pos, locs in fr.contract.assigns for loc in locs))
            bad = self.frame_bad(st, fr, names, ranges)
            self.check(st, "assigns.violated", fr.contract.assigns[0][0], z3.Not(z3.Or(bad)) if bad else
                       z3.BoolVal(True, self.ctx), "assigns")
        if self.target.check_id != "postcondition.violated":
            return
        for cl in fr.contract.ensures:
            if cl.pos == self.target.pos:
                res = of_c(st.env[fr.ret_key], fr.ret) if isinstance(fr.ret, IntType) else None
                assert fr.old is not None
                ok = SpecEval(self.prog, self.ctx, self.post_reader(st, fr.old, fr),
                              self.post_reader(fr.old, fr.old, fr), res, self.spec_memory()).pred(cl.expr)
                self.check(st, "postcondition.violated", cl.pos, ok, "ensures")

    def reader(self, st: State, fr: Frame) -> Reader:
        def read(name: str) -> tuple[Any, CType] | None:
            v = fr.lookup(name)
            return None if v is None or v.key not in st.env else (st.env[v.key], v.ctype)
        return Reader(read, st)

    def post_reader(self, st: State, pre: State, fr: Frame) -> Reader:
        """Names in an ``ensures``: formals denote their values at entry, globals their current
        ones; the body's locals are not in scope."""
        def read(name: str) -> tuple[Any, CType] | None:
            if (v := fr.scopes[1].get(name)) is not None:
                return pre.env[v.key], v.ctype
            g = self.globals.get(name)
            return None if g is None else (st.env[g.key], g.ctype)
        return Reader(read, st)

    def spec(self, e: c_ast.Node, st: State, fr: Frame) -> SpecEval:
        return SpecEval(self.prog, self.ctx, self.reader(st, fr), self.reader(fr.old, fr) if fr.old else None,
                        memory=self.spec_memory())

    def spec_memory(self) -> MemoryHook | None:
        """How a spec reads memory (the memory model's hook; none here)."""
        return None

    # -- declarations -------------------------------------------------------------------------
    def declare(self, d: c_ast.Decl, st: State, fr: Frame) -> None:
        if isinstance(d.type, c_ast.FuncDecl):
            return
        if "typedef" in (d.storage or []):
            raise Unsupported("local typedef", d)
        if (shared := self.static_locals.get(id(d))) is not None:
            fr.scopes[-1][d.name] = shared  # its declaration initialises nothing: run() did, once
            return
        t = self.prog.resolve(d.type, d.init)
        self.n += 1
        var = fr.scopes[-1][d.name] = Var(f"{d.name}#{self.n}", t)  # in scope in its initializer (C11 6.2.1p7)
        st.env[var.key] = self.fresh(d.name, t)  # statics: any value a previous call may have left
        if d.init is not None and "static" not in (d.storage or []):
            self.initialise(var, d.init, st, fr)

    def initialise(self, var: Var, init: c_ast.Node | None, st: State, fr: Frame) -> None:
        """A variable's value: what ``init`` sets, zero elsewhere (C11 6.7.9p10, p21)."""
        t, elem = var.ctype, leaf(var.ctype)
        if not isinstance(t, ArrayType):
            if isinstance(init, c_ast.InitList):
                raise Unsupported("braced scalar initializer", init)
            st.env[var.key] = self.conv(self.rvalue(init, st, fr), t) if init else self.const(0, t)[0]  # type: ignore
            return
        assert isinstance(elem, IntType)
        val = z3.K(z3.BitVecSort(64, self.ctx), self.const(0, elem)[0])
        for where, _, e in self.initializers(init, t) if init is not None else []:
            if e is not None:  # an array of integers: element number = byte offset / element size
                val = z3.Store(val, z3.BitVecVal(where // self.prog.size(elem), 64, self.ctx),
                               self.conv(self.rvalue(e, st, fr), elem))
        st.env[var.key] = val

    def initializers(self, init: c_ast.Node, t: CType, base: int = 0) -> list[tuple[int, CType, c_ast.Node | None]]:
        """(byte offset, type, expression) of each part of an object that ``init`` sets, and (offset,
        type, None) for each part it leaves out, which is zero (C11 6.7.9p21); padding is not set.
        Elided braces are restored as C11 6.7.9p20 says; designators are not in the fragment."""
        if isinstance(t, IntType):  # the braces of a scalar hold one expression
            if isinstance(init, c_ast.InitList) and len(init.exprs) != 1:
                raise Unsupported("initializer", init)
            return [(base, t, init.exprs[0] if isinstance(init, c_ast.InitList) else init)]
        if isinstance(init, c_ast.Constant) and isinstance(t, ArrayType) and t.size is not None and \
                len(string_bytes(init)) <= t.size + 1:  # `char s[] = "abc"`: its bytes, the NUL if it fits
            init = c_ast.InitList([c_ast.Constant("int", str(b)) for b in string_bytes(init)[: t.size]])
        if not isinstance(init, c_ast.InitList):
            raise Unsupported("initializer of an aggregate", init)
        out, used = self._fill(list(init.exprs), 0, t, base, init)
        if used != len(init.exprs):
            raise Unsupported("too many initializers", init)
        return out

    def _fill(self, items: list[c_ast.Node], k: int, t: CType, base: int,
              init: c_ast.Node) -> tuple[list[tuple[int, CType, c_ast.Node | None]], int]:
        """The parts of aggregate ``t`` (at ``base``) that ``items[k:]`` set, and the index of the
        first item left over. A member that is itself an aggregate takes a braced list, a string
        (an array of characters) or, its braces elided, as many of the next items as it has
        members (C11 6.7.9p20); the members the items do not reach are zero (p21)."""
        if isinstance(t, ArrayType):
            assert t.size is not None
            step = self.prog.size(t.elem)
            parts: list[tuple[int, CType]] = []
            for j in range(t.size):
                if k + len(parts) >= len(items) and not isinstance(t.elem, ArrayType | StructType):
                    break  # the scalar elements left out (the count is a bound only for aggregates)
                parts.append((j * step, t.elem))
        elif isinstance(t, StructType):
            parts = [(where, mt) for _, mt, where in self.prog.members(t)]
        else:
            raise Unsupported(f"initializer of a {t.describe()}", init)
        out: list[tuple[int, CType, c_ast.Node | None]] = []
        done = 0
        for where, pt in parts:
            if k >= len(items):
                break
            e = items[k]
            if isinstance(e, c_ast.NamedInitializer):
                raise Unsupported("designated initializer", init)
            whole = isinstance(pt, IntType) or isinstance(e, c_ast.InitList) or \
                isinstance(pt, ArrayType) and isinstance(e, c_ast.Constant) and e.type == "string"
            if whole:
                out += self.initializers(e, pt, base + where)
                k += 1
            else:  # the member's braces are elided
                if isinstance(pt, StructType) and not _plain_constant(e):
                    raise Unsupported("struct member initialised from an expression", init)
                sub, k = self._fill(items, k, pt, base + where, init)
                out += sub
            done += 1
        if isinstance(t, ArrayType):
            assert t.size is not None
            if done < t.size:  # the elements left out: one block
                out.append((base + done * self.prog.size(t.elem), ArrayType(t.elem, t.size - done), None))
        else:
            out += [(base + where, pt, None) for where, pt in parts[done:]]
        return out, k

    # -- statements ---------------------------------------------------------------------------
    def stmt(self, s: c_ast.Node, st: State, fr: Frame) -> Flow:
        self.tick()
        if z3.is_false(st.pc):
            return Flow(None)
        if isinstance(s, c_ast.Compound):
            return self.block(s.block_items or [], st, fr)
        if isinstance(s, c_ast.Decl | c_ast.DeclList):
            for d in s.decls if isinstance(s, c_ast.DeclList) else [s]:
                self.declare(d, st, fr)
            return Flow(st)
        if isinstance(s, c_ast.If):
            a, b = self.split(st, self.truth(self.rvalue(s.cond, st, fr)))
            fa = self.stmt(s.iftrue, a, fr)
            fb = self.stmt(s.iffalse, b, fr) if s.iffalse is not None else Flow(b)
            out = Flow(merge([fa.normal, fb.normal]))
            out.absorb(fa)
            out.absorb(fb)
            return out
        if isinstance(s, c_ast.While | c_ast.DoWhile | c_ast.For):
            return self.loop(s, st, fr, [])
        if isinstance(s, c_ast.Switch):
            return self.switch(s, st, fr)
        if isinstance(s, c_ast.Break):
            return Flow(None, breaks=[st])
        if isinstance(s, c_ast.Continue):
            return Flow(None, continues=[st])
        if isinstance(s, c_ast.Return):
            if s.expr is not None:
                v = self.rvalue(s.expr, st, fr)
                self.returning(s.expr, v, st, fr)
            if isinstance(fr.ret, IntType | PointerType):
                st.env[fr.ret_key] = self.conv(v, fr.ret) if s.expr is not None else self.fresh("noreturn", fr.ret)
            self.postcondition(st, fr)
            return Flow(None, returns=[st])
        if isinstance(s, c_ast.EmptyStatement | c_ast.Pragma):
            return Flow(st)
        if isinstance(s, c_ast.Goto):  # travels with the returns up to its label's block (see block)
            st.env["$goto"] = z3.StringVal(s.name, self.ctx)
            return Flow(None, returns=[st])
        if isinstance(s, c_ast.Label):
            return self.stmt(s.stmt, st, fr)
        if isinstance(s, c_ast.Node) and type(s).__name__ in _EXPRESSIONS:
            self.rvalue(s, st, fr, void_ok=True)
            return Flow(st)
        raise Unsupported(type(s).__name__.lower(), s)

    def block(self, items: list[c_ast.Node], st: State, fr: Frame) -> Flow:
        """A block is a scope (C11 6.8.2; an exception ends the whole check, so no finally)."""
        fr.scopes.append({})
        out = Flow(st)
        invs: list[tuple[Pos | None, c_ast.Node]] = []
        for item in items:
            while isinstance(item, c_ast.Label):  # the gotos to it, among the returns so far, join here
                label = z3.StringVal(item.name, self.ctx)
                came = [s for s in out.returns if "$goto" in s.env and s.env["$goto"].eq(label)]
                out.returns = [s for s in out.returns if all(s is not c for c in came)]
                for s in came:
                    del s.env["$goto"]
                out.normal, item = merge([out.normal, *came]), item.stmt
            if out.normal is None:
                continue  # dead, unless a later label is a goto's target
            call = _call_name(item)
            if call == "__pl_invariant":
                invs.append((self.prog.annotation_pos(item.args.exprs[0]), item.args.exprs[1]))
                continue
            if call in _IGNORED:
                continue
            if invs and not isinstance(item, c_ast.While | c_ast.DoWhile | c_ast.For):
                raise Unsupported("loop invariant not before a loop", item)
            f = self.loop(item, out.normal, fr, invs) if invs else self.stmt(item, out.normal, fr)
            invs = []
            out.normal = f.normal
            out.absorb(f)
        if invs and out.normal is not None:
            raise Unsupported("loop invariant not before a loop", items[-1])
        self.scope_ends(out, fr.scopes.pop())
        return out

    def scope_ends(self, out: Flow, scope: dict[str, Var]) -> None:
        """The block's locals end their lifetime on every way out of it (a hook: memory's)."""

    def switch(self, s: c_ast.Switch, st: State, fr: Frame) -> Flow:
        """C11 6.8.4.2: enter at the matching case (else at default, else after), fall through."""
        v = self.rvalue(s.cond, st, fr)
        t = self.m.promote(v[1])
        x = self.conv(v, t)
        items: list[tuple[Any, c_ast.Node]] = []  # (case value, "default", or None: a statement)

        def walk(nodes: list[c_ast.Node]) -> None:
            for n in nodes:
                if isinstance(n, c_ast.Case | c_ast.Default):
                    items.append((self.prog.const_int(n.expr) if isinstance(n, c_ast.Case) else "default", n))
                    walk(n.stmts or [])
                elif isinstance(n, c_ast.Decl):
                    raise Unsupported("declaration in a switch", n)
                else:
                    items.append((None, n))
        if not isinstance(s.stmt, c_ast.Compound):
            raise Unsupported("switch without a block", s)
        walk(s.stmt.block_items or [])
        no_case = z3.And([x != self.const(k, t)[0] for k, _ in items if type(k) is int] + [z3.BoolVal(True, self.ctx)])
        cur: State | None = None
        out = Flow(None)
        for label, n in items:
            if label is None and cur is not None:
                f = self.stmt(n, cur, fr)
                cur = f.normal
                out.absorb(f)
            elif label is not None:
                enter = st.copy()
                enter.assume(no_case if label == "default" else x == self.const(label, t)[0])
                cur = merge([cur, enter])
        if all(label != "default" for label, _ in items):
            st.assume(no_case)
            cur = merge([cur, st])
        return Flow(merge([cur, *out.breaks]), continues=out.continues, returns=out.returns)

    # -- loops ----------------------------------------------------------------------------------
    def loop(self, s: Any, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]]) -> Flow:
        fr.scopes.append({})  # a for's declarations
        f = self.stmt(s.init, st, fr) if isinstance(s, c_ast.For) and s.init is not None else Flow(st)
        pos = pos_of(s) or (0, 0)
        if (at := f.normal) is not None:
            exact = self.loops.method == "unrolling" or pos in self.loops.unrolls
            f = self.unrolled(s, at, fr, invs, pos, self.loops.unrolls.get(pos, self.loops.unroll)) if exact else \
                self.cut(s, at, fr, invs, pos)
        fr.scopes.pop()
        return f

    def guard(self, s: Any, st: State, fr: Frame, exits: list[State | None]) -> None:
        """Where the loop condition is false, ``st`` leaves the loop (into ``exits``)."""
        if s.cond is not None:
            exits.append(self.split(st, self.truth(self.rvalue(s.cond, st, fr)))[1])

    def iteration(self, s: Any, st: State, fr: Frame, returns: list[State], exits: list[State | None]) -> State | None:
        """One run of the body (and a for's step): its breaks leave the loop."""
        body = self.stmt(s.stmt, st, fr)
        returns += body.returns
        exits += body.breaks
        end = merge([body.normal, *body.continues])
        if end is not None and isinstance(s, c_ast.For) and s.next is not None:
            self.rvalue(s.next, end, fr, void_ok=True)
        return end

    def cut(self, s: Any, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]], pos: Pos) -> Flow:
        """The loop cut at its head by the certificate's invariant: initiation, then one arbitrary
        iteration from any state satisfying it (consecution); the exits leave from that state."""
        returns: list[State] = []
        exits: list[State | None] = []
        line = f"loop at line {pos[0]}"
        do_while = isinstance(s, c_ast.DoWhile)
        if do_while:
            # do B while (C) is B; if (C) while (C) B: the head is before the guard, and the
            # invariant is owed on entry only where C held (the engine's loop too: an invariant
            # may say what C said, `n >= 4` of `do i += 3; while (i < n)`)
            after = self.iteration(s, st, fr, returns, exits)
            if after is None:
                return Flow(merge(exits), returns=returns)
            st = after
            self.guard(s, st, fr, exits)
        visible = self.visible(fr)
        entry = {n: st.env[v.key] for n, v in visible.items()}
        # user invariants are checks of their own: proved only when certified, else assumed
        self.user_invariants(st, fr, invs, "invariant.initiation")
        self.oblige(z3.And(st.pc, z3.Not(self.invariant(pos, visible, entry, st))),
                    f"{line}: invariant may not hold on entry")
        head = st.copy()
        self.forget(head, s, fr)
        head.assume(self.invariant(pos, visible, entry, head))
        for _, e in invs:
            head.assume(self.spec(e, head, fr).pred(e))
        ranked = self.target.check_id == "termination.loop" and pos == self.target.pos
        # (measured before the guard, head to head: `i-- > 0` moves i in the guard itself)
        rank = self.ranking(pos, visible, head) if ranked else None
        self.guard(s, head, fr, exits)
        end = self.iteration(s, head, fr, returns, exits)
        if ranked:
            self.hit("termination.loop", pos)
            if rank is None:
                raise Unsupported("termination without a ranking function for this loop")
            if end is not None:
                self.oblige(z3.And(end.pc, z3.Not(_decreases(rank, self.ranking(pos, visible, end) or []))),
                            f"{line}: the ranking function does not decrease")
        if end is not None:
            self.user_invariants(end, fr, invs, "invariant.consecution")
            self.oblige(z3.And(end.pc, z3.Not(self.invariant(pos, visible, entry, end))),
                        f"{line}: invariant may not be preserved")
        return Flow(merge(exits), returns=returns)

    def unrolled(self, s: Any, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]], pos: Pos,
                 bound: int) -> Flow:
        """The loop executed ``bound`` times; obligation: no path is still inside after that
        (which is also what proves it terminates, when that is the certified check)."""
        if self.target.check_id == "termination.loop" and pos == self.target.pos:
            self.hit("termination.loop", pos)
        returns: list[State] = []
        exits: list[State | None] = []
        cur = st
        for k in range(bound + 1):
            self.user_invariants(cur, fr, invs, "invariant.initiation" if k == 0 else "invariant.consecution")
            if not isinstance(s, c_ast.DoWhile) or k > 0:
                self.guard(s, cur, fr, exits)
            if k == bound:
                self.oblige(cur.pc, f"loop at line {pos[0]}: runs more than {k} iterations")
                break
            if (after := self.iteration(s, cur, fr, returns, exits)) is None:
                break
            cur = after
        return Flow(merge(exits), returns=returns)

    def forget(self, st: State, s: c_ast.Node, fr: Frame) -> None:
        """Fresh values in ``st`` for all that an iteration of loop ``s`` may change (memory.py's)."""
        raise NotImplementedError

    def ranking(self, pos: Pos, visible: dict[str, Var], st: State) -> list[Z] | None:
        """The certificate's ranking function at ``st``: per component, an exact integer as a
        signed bit-vector wide enough that no sum or product of C values wraps (z3's bv2int is slow)."""
        if self.loops.ranking is None or self.loops.ranking[0] != pos:
            return None
        comps = self.loops.ranking[1]
        vals: dict[str, tuple[Z, IntType]] = {}
        for name in {n for _, coeffs in comps for n in coeffs}:
            var = visible.get(name)
            if var is None or not isinstance(var.ctype, IntType):
                raise Unsupported(f"ranking function over {name}, not a variable in scope")
            vals[name] = st.env[var.key], var.ctype
        total = max(sum(abs(c) for c in coeffs.values()) + abs(const) for const, coeffs in comps)
        w = max([t.bits for _, t in vals.values()] + [1]) + total.bit_length() + 4
        return [sum((z3.BitVecVal(c, w, self.ctx) * of_c(*vals[n]).at(w) for n, c in coeffs.items()),
                    z3.BitVecVal(const, w, self.ctx)) for const, coeffs in comps]

    def user_invariants(self, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]], cid: str) -> None:
        for p, e in invs:
            self.check(st, cid, p, self.spec(e, st, fr).pred(e), "loop invariant")

    def invariant(self, pos: Pos, visible: dict[str, Var], entry: dict[str, Z], st: State) -> Z:
        """The certificate's invariant of the loop at ``pos`` (a disjunction of its entries) in ``st``:
        a variable ``x`` is ``x`` and its value at the loop's entry ``x@entry``; a pointer ``p`` is
        ``p.offset``, its byte offset in its object."""
        texts = self.loops.invariants.get(pos, [])
        if not texts:
            return z3.BoolVal(True, self.ctx)
        symbols: dict[str, Z] = {}
        subst: list[tuple[Z, Z]] = []
        for n, v in visible.items():
            ptr = isinstance(v.ctype, PointerType)
            for suffix, val in (("", st.env[v.key]), ("@entry", entry[n])):
                sym = n + (".offset" if ptr else "") + suffix
                symbols[sym] = z3.BitVec(sym, 64 if ptr else val.size(), self.ctx)
                subst.append((symbols[sym], off(val) if ptr else val))
        try:
            terms = [parse_invariant(text, symbols, self.ctx) for text in texts]
        except ValueError as e:
            raise Unsupported(f"certificate invariant ({e})") from None
        return z3.Or([z3.substitute(t, *subst) if subst else t for t in terms])

    def visible(self, fr: Frame) -> dict[str, Var]:
        """The variables in scope an invariant may name: integers and pointers (not memory cells)."""
        named = {n: v for sc in fr.scopes for n, v in sc.items()}
        return {n: v for n, v in named.items() if type(v) is Var and isinstance(v.ctype, IntType | PointerType)}

    # -- expressions ----------------------------------------------------------------------------
    def rvalue(self, e: c_ast.Node, st: State, fr: Frame, void_ok: bool = False) -> Val:
        self.tick()
        if isinstance(e, c_ast.Constant):
            v, t = int_constant(e, self.m)
            return self.const(v, t)
        if isinstance(e, c_ast.ID):
            var = fr.lookup(e.name)
            if var is None:
                if e.name in self.prog.enums:
                    v = self.prog.enums[e.name]
                    return self.const(v, self.m.enumerator_type(v))
                g = self.prog.globals.get(e.name)
                raise Unsupported(f"name {e.name}" + (f" ({g.error})" if g else ""), e)
            if not isinstance(var.ctype, IntType | PointerType):
                raise Unsupported("array used as a value", e)
            return st.env[var.key], var.ctype  # type: ignore[return-value]
        if isinstance(e, c_ast.ArrayRef):
            var, idx, t = self.lvalue(e, st, fr)
            assert idx is not None
            return z3.Select(st.env[var.key], idx), t
        if isinstance(e, c_ast.BinaryOp):
            if e.op in ("&&", "||"):
                return self.logical(e, st, fr)
            return self.binary(e.op, self.rvalue(e.left, st, fr), self.rvalue(e.right, st, fr), e, st)
        if isinstance(e, c_ast.UnaryOp):
            return self.unary(e, st, fr)
        if isinstance(e, c_ast.Assignment):
            var, idx, t = self.lvalue(e.lvalue, st, fr)
            rhs = self.rvalue(e.rvalue, st, fr)
            if e.op != "=":
                rhs = self.binary(e.op[:-1], (self.load(var, idx, st), t), rhs, e, st)
            v = self.conv(rhs, t)
            self.store(var, idx, v, st)
            return v, t
        if isinstance(e, c_ast.TernaryOp):
            c = self.truth(self.rvalue(e.cond, st, fr))
            yes, no = self.split(st.copy(), c)
            va = self.rvalue(e.iftrue, yes, fr, void_ok)
            vb = self.rvalue(e.iffalse, no, fr, void_ok)
            common = self.join(va[1], vb[1])
            m = merge([yes, no])
            st.pc, st.env = (m.pc, m.env) if m else (self.false(), st.env)
            return z3.If(c, self.conv(va, common), self.conv(vb, common)), common
        if isinstance(e, c_ast.Cast):
            to = self.prog.resolve(e.to_type)
            inner = self.rvalue(e.expr, st, fr, void_ok=isinstance(to, VoidType))
            if isinstance(to, VoidType):
                return self.const(0, self.m.INT)
            if not isinstance(to, IntType | PointerType):
                raise Unsupported("cast", e)
            return self.conv(inner, to), to  # type: ignore[return-value]
        if isinstance(e, c_ast.ExprList):
            last = self.const(0, self.m.INT)
            for x in e.exprs:
                last = self.rvalue(x, st, fr, void_ok=True)
            return last
        if isinstance(e, c_ast.FuncCall):
            if (r := self.call(e, st, fr)) is None and not void_ok:
                raise Unsupported("value of a void call", e)
            return self.const(0, self.m.INT) if r is None else r
        raise Unsupported(type(e).__name__.lower(), e)

    def join(self, a: Any, b: Any) -> Any:
        """The type of ``c ? a : b``."""
        return a if isinstance(a, PointerType) else b if isinstance(b, PointerType) else self.m.usual(a, b)

    def logical(self, e: c_ast.BinaryOp, st: State, fr: Frame) -> Val:
        a = self.truth(self.rvalue(e.left, st, fr))
        right, short = self.split(st.copy(), a if e.op == "&&" else z3.Not(a))
        b = self.truth(self.rvalue(e.right, right, fr))
        m = merge([short, right])
        st.pc, st.env = (m.pc, m.env) if m else (self.false(), st.env)
        return self.of_bool(z3.And(a, b) if e.op == "&&" else z3.Or(a, b))

    def binary(self, op: str, a: Val, b: Val, node: c_ast.Node, st: State) -> Val:
        """C11 6.5.5-6.5.14 on already evaluated operands, with their runtime checks."""
        p = pos_of(node)
        if op in ("<<", ">>"):
            return self.shift(op, a, b, p, st)
        t = self.m.usual(a[1], b[1])
        x, y = self.conv(a, t), self.conv(b, t)
        w = t.bits
        ok = z3.BoolVal(True, self.ctx)
        if op in ("+", "-", "*"):
            r = x + y if op == "+" else x - y if op == "-" else x * y
            if t.signed and op == "*":
                # z3's own overflow predicates: a double-width product stalls the SAT solver
                ok = z3.And(z3.BVMulNoOverflow(x, y, True), z3.BVMulNoUnderflow(x, y))
            elif t.signed:
                wx, wy = z3.SignExt(1, x), z3.SignExt(1, y)
                ok = (wx + wy if op == "+" else wx - wy) == z3.SignExt(1, r)
            self.check(st, f"overflow.signed.{_OPS[op]}", p, ok, f"signed overflow in {op}")
            return r, t
        if op in ("/", "%"):
            self.check(st, f"div-by-zero.{_OPS[op]}", p, y != z3.BitVecVal(0, w, self.ctx), f"division by zero in {op}")
            if t.signed:
                ok = z3.Not(z3.And(x == self.const(t.min, t)[0], y == self.const(-1, t)[0]))
            self.check(st, f"overflow.signed.{_OPS[op]}", p, ok, f"signed overflow in {op}")
            if op == "/":
                return (x / y if t.signed else z3.UDiv(x, y)), t
            return (z3.SRem(x, y) if t.signed else z3.URem(x, y)), t
        if op in ("&", "|", "^"):
            return (x & y if op == "&" else x | y if op == "|" else x ^ y), t
        if op in CMP:
            return self.of_bool(CMP[op][0 if t.signed else 1](x, y))
        raise Unsupported(f"operator {op}", node)

    def shift(self, op: str, a: Val, b: Val, p: Pos | None, st: State) -> Val:
        """C11 6.5.7: the result has the promoted left type; the checks are the four UBs."""
        lt, rt = self.m.promote(a[1]), self.m.promote(b[1])
        x, n = self.conv(a, lt), self.conv(b, rt)
        zero_n = z3.BitVecVal(0, rt.bits, self.ctx)
        self.check(st, "shift.negative", p, n >= zero_n if rt.signed else z3.BoolVal(True, self.ctx),
                   "negative shift amount")
        width = z3.BitVecVal(lt.bits, rt.bits, self.ctx)
        self.check(st, "shift.too-wide", p, n < width if rt.signed else z3.ULT(n, width), "shift amount too wide")
        k = self.conv((n, rt), IntType(lt.kind, False, lt.bits))
        if op == ">>":
            return (x >> k if lt.signed else z3.LShR(x, k)), lt
        true = z3.BoolVal(True, self.ctx)
        zero = z3.BitVecVal(0, lt.bits, self.ctx)
        self.check(st, "shift.negative-value", p, x >= zero if lt.signed else true, "left shift of a negative value")
        ok = z3.ULE(x, z3.LShR(self.const(lt.max, lt)[0], k)) if lt.signed else true
        self.check(st, "shift.overflow", p, ok, "left shift overflows")
        return x << k, lt

    def unary(self, e: c_ast.UnaryOp, st: State, fr: Frame) -> Val:
        op = e.op
        if op == "sizeof":
            return self.const(self.sizeof(e.expr, fr, st), self.m.size_t)
        if op in ("++", "--", "p++", "p--"):
            var, idx, t = self.lvalue(e.expr, st, fr)
            old = self.load(var, idx, st), t
            pt, up = self.m.promote(t), "+" in op
            x = self.conv(old, pt)
            ok = x != self.const(pt.max if up else pt.min, pt)[0] if pt.signed else z3.BoolVal(True, self.ctx)
            self.check(st, f"overflow.signed.{'inc' if up else 'dec'}", pos_of(e), ok, f"signed overflow in {op[-2:]}")
            new = self.conv((x + 1 if up else x - 1, pt), t)
            self.store(var, idx, new, st)
            return old if op.startswith("p") else (new, t)
        v = self.rvalue(e.expr, st, fr)
        if op == "!":
            return self.of_bool(z3.Not(self.truth(v)))
        if not isinstance(v[1], IntType):
            raise Unsupported(f"operator {op} on a pointer", e)
        pt = self.m.promote(v[1])
        x = self.conv(v, pt)
        if op == "+":
            return x, pt
        if op == "~":
            return ~x, pt
        if op == "-":
            ok = x != self.const(pt.min, pt)[0] if pt.signed else z3.BoolVal(True, self.ctx)
            self.check(st, "overflow.signed.neg", pos_of(e), ok, "signed overflow in unary -")
            return -x, pt
        raise Unsupported(f"operator {op}", e)

    def sizeof(self, e: c_ast.Node, fr: Frame, st: State) -> int:
        """``sizeof e``: the size of the operand's type by C's typing rules; the operand is not
        evaluated (C11 6.5.3.4p2), so no obligation comes from it."""
        t = self.prog.resolve(e) if isinstance(e, c_ast.Typename) else self.type_of(e, fr)
        return self.prog.size(t, e)

    def type_of(self, e: c_ast.Node, fr: Frame) -> CType:
        """The C type of expression ``e`` before array-to-pointer conversion (C11 6.5), read off the
        declarations; the forms not typed here are refused."""
        m = self.m
        if isinstance(e, c_ast.Constant):
            if e.type == "string":
                return ArrayType(m.int_type("char"), len(string_bytes(e)))  # char[n + 1] (C11 6.4.5p6)
            if e.type == "char" and not e.value.startswith("'"):
                raise Unsupported("prefixed character constant", e)
            return int_constant(e, m)[1]
        if isinstance(e, c_ast.ID):
            var = fr.lookup(e.name)
            if var is not None:
                return var.ctype
            if e.name in self.prog.enums:
                return m.enumerator_type(self.prog.enums[e.name])
            raise Unsupported(f"type of {e.name}", e)
        if isinstance(e, c_ast.Cast):
            return self.prog.resolve(e.to_type)
        if isinstance(e, c_ast.UnaryOp):
            if e.op == "sizeof":
                return m.size_t
            if e.op == "!":
                return m.INT
            if e.op == "&":
                return PointerType(self.type_of(e.expr, fr))
            t = self.type_of(e.expr, fr)
            if e.op == "*":
                return _pointee(_decayed(t), e)
            if e.op in ("-", "+", "~") and isinstance(t, IntType):
                return m.promote(t)
            if e.op in ("++", "--", "p++", "p--") and isinstance(t, IntType | PointerType):
                return t
            raise Unsupported(f"type of operator {e.op}", e)
        if isinstance(e, c_ast.BinaryOp):
            if e.op in CMP or e.op in ("&&", "||"):
                return m.INT
            a, b = _decayed(self.type_of(e.left, fr)), _decayed(self.type_of(e.right, fr))
            if e.op in ("+", "-") and isinstance(a, PointerType) and isinstance(b, IntType):
                return a
            if e.op == "+" and isinstance(a, IntType) and isinstance(b, PointerType):
                return b
            if e.op == "-" and isinstance(a, PointerType) and isinstance(b, PointerType):
                return m.int_type("long") if m.name == "LP64" else m.INT  # ptrdiff_t
            if isinstance(a, IntType) and isinstance(b, IntType):
                if e.op in ("<<", ">>"):
                    return m.promote(a)
                if e.op in ("+", "-", "*", "/", "%", "&", "|", "^"):
                    return m.usual(a, b)
            raise Unsupported(f"type of operator {e.op}", e)
        if isinstance(e, c_ast.ArrayRef):
            a, b = _decayed(self.type_of(e.name, fr)), _decayed(self.type_of(e.subscript, fr))
            if isinstance(a, PointerType) and isinstance(b, IntType):
                return _pointee(a, e)
            if isinstance(b, PointerType) and isinstance(a, IntType):
                return _pointee(b, e)
            raise Unsupported("type of this subscript", e)
        if isinstance(e, c_ast.StructRef):
            t = self.type_of(e.name, fr)
            if e.type == "->":
                t = _pointee(_decayed(t), e)
            f = t.field(e.field.name) if isinstance(t, StructType) and not t.union else None
            if f is None:
                raise Unsupported("type of this member", e)
            return f
        if isinstance(e, c_ast.TernaryOp):
            a, b = _decayed(self.type_of(e.iftrue, fr)), _decayed(self.type_of(e.iffalse, fr))
            if isinstance(a, IntType) and isinstance(b, IntType):
                return m.usual(a, b)
            if isinstance(a, PointerType | StructType) and a == b:
                return a
            raise Unsupported("type of this conditional", e)
        if isinstance(e, c_ast.ExprList) and e.exprs:
            return _decayed(self.type_of(e.exprs[-1], fr))
        if isinstance(e, c_ast.Assignment):
            t = self.type_of(e.lvalue, fr)
            if isinstance(t, IntType | PointerType | StructType):
                return t
        if isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID) and fr.lookup(e.name.name) is None:
            ret = self.prog.ret_type(e.name.name)
            if isinstance(ret, IntType | PointerType | StructType):
                return ret
        raise Unsupported("sizeof operand", e)

    # -- lvalues ----------------------------------------------------------------------------------
    def lvalue(self, e: c_ast.Node, st: State, fr: Frame) -> tuple[Var, Z | None, IntType]:
        """The variable, flat index (arrays, bounds-checked) and element type of an lvalue."""
        if isinstance(e, c_ast.ID):
            var = fr.lookup(e.name)
            if var is None or not isinstance(var.ctype, IntType | PointerType):
                g = self.prog.globals.get(e.name)
                raise Unsupported(f"assignment to {e.name}" + (f" ({g.error})" if g and g.error else ""), e)
            return var, None, var.ctype  # type: ignore[return-value]
        if not isinstance(e, c_ast.ArrayRef):
            raise Unsupported(f"lvalue {type(e).__name__}", e)
        refs: list[c_ast.ArrayRef] = []
        base: c_ast.Node = e
        while isinstance(base, c_ast.ArrayRef):
            refs, base = [base, *refs], base.name
        var = fr.lookup(base.name) if isinstance(base, c_ast.ID) else None
        if var is None or not isinstance(var.ctype, ArrayType):
            raise Unsupported("subscript of a non-array", e)
        t: CType = var.ctype
        flat = z3.BitVecVal(0, 64, self.ctx)
        for ref in refs:
            if not isinstance(t, ArrayType) or t.size is None:
                raise Unsupported("subscript", ref)
            iv = self.rvalue(ref.subscript, st, fr)
            if iv[1].bits > 64:
                raise Unsupported("index type", ref)
            i64 = self.conv(iv, IntType("long long", iv[1].signed, 64))
            size = z3.BitVecVal(t.size, 64, self.ctx)
            ok = z3.And(i64 >= 0, i64 < size) if iv[1].signed else z3.ULT(i64, size)
            self.check(st, "bounds.index", pos_of(ref), ok, f"index out of bounds 0..{t.size - 1}")
            flat = flat * z3.BitVecVal(t.size, 64, self.ctx) + i64
            t = t.elem
        if not isinstance(t, IntType):
            raise Unsupported("array used as a value", e)
        return var, flat, t

    def load(self, var: Var, idx: Z | None, st: State) -> Z:
        return st.env[var.key] if idx is None else z3.Select(st.env[var.key], idx)

    def store(self, var: Var, idx: Z | None, v: Z, st: State) -> None:
        # fold constants as values are stored: `r += k` unrolled ten times stays `a*b + 45`, not a
        # chain of ten additions the solver must see through
        v = z3.simplify(v) if PRUNE else v
        st.env[var.key] = v if idx is None else z3.Store(st.env[var.key], idx, v)

    # -- calls ----------------------------------------------------------------------------------
    def call(self, e: c_ast.FuncCall, st: State, fr: Frame) -> Val | None:
        if not isinstance(e.name, c_ast.ID):
            raise Unsupported("call through a function pointer", e)
        name = e.name.name
        args = list(e.args.exprs) if e.args else []
        if name in ("__pl_assert", "__pl_assume"):
            ok = self.spec(args[1], st, fr).pred(args[1])
            if name == "__pl_assume":
                st.assume(ok)
            else:
                self.check(st, "assert.violated", self.prog.annotation_pos(args[0]), ok, "assertion")
            return None
        if name in _IGNORED:
            return None
        if name == "__pl_invariant":
            raise Unsupported("loop invariant not before a loop", e)
        if fr.lookup(name) is not None:
            raise Unsupported("call of a variable", e)
        vals = [self.rvalue(a, st, fr) for a in args]
        if name.startswith("__VERIFIER_nondet_"):  # its declared type, else the one its name says
            spec = _NONDET.get(name[18:])
            t = self.prog.ret_type(name) or (self.m.int_type(*spec) if spec else None)
            if not isinstance(t, IntType):
                raise Unsupported(f"nondet function {name}", e)
            return self.fresh(name[18:], t), t
        if name == "__VERIFIER_assume":
            st.assume(self.truth(vals[0]))
            return None
        if name in _ASSERTS:
            if len(vals) != 1:
                raise Unsupported("assert arity", e)
            self.check(st, "assert.violated", pos_of(e), self.truth(vals[0]), "assertion")
            return None
        if name in _ERRORS | _TERMINATE:
            if name in _ERRORS:
                self.check(st, "reach-error.reachable", pos_of(e), self.false(), "reach_error() reached")
            st.pc = self.false()
            return None
        contract = self.prog.contracts.get(name)
        if contract is not None and contract.replaces_call(name in self.prog.funcs):
            return self.by_contract(e, name, contract, vals, st, fr)
        fd = self.prog.funcs.get(name)
        return self.inline(e, fd, vals, st, fr) if fd is not None else self.opaque(e, name, st)

    # a contract callee handed pointers: its precondition reads memory, havoc_globals forgets it
    models_memory = False

    def havoc_globals(self, st: State) -> None:
        for g in self.prog.globals.values():
            if g.name in self.globals and not g.const:
                st.env["g:" + g.name] = self.fresh(g.name, self.globals[g.name].ctype)
        for var in self.static_locals.values():  # (a contract's callee may change its own)
            st.env[var.key] = self.fresh(var.key.split("#")[0], var.ctype)

    def opaque(self, e: c_ast.FuncCall, name: str, st: State) -> Val | None:
        """A call whose body is not run: any result, any globals (and memory: see memory.py)."""
        self.havoc_globals(st)
        t = self.prog.ret_type(name) if name in self.prog.protos else self.m.INT
        if isinstance(t, IntType):
            return self.fresh(name, t), t
        if isinstance(t, VoidType):
            return None
        raise Unsupported(f"return type of {name}", e)

    def bind(self, e: c_ast.FuncCall, name: str, decl: c_ast.FuncDecl, vals: list[Val], st: State, fr: Frame) -> Frame:
        """The callee's frame, its parameters set to the arguments."""
        callee = self.new_frame(name, decl, fr.depth + 1)
        params = self.params(decl)
        if len(params) != len(vals):
            raise Unsupported("call with a wrong number of arguments", e)
        for (pname, var), v in zip(params.items(), vals, strict=True):
            st.env[var.key] = self.conv(v, var.ctype)
            callee.scopes[-1][pname] = var
        return callee

    def by_contract(self, e: c_ast.FuncCall, name: str, c: Contract, vals: list[Val], st: State, fr: Frame) -> Val | None:
        """Replace a call by the callee's contract: check requires, havoc globals, assume ensures."""
        callee = self.bind(e, name, self.prog.protos[name], vals, st, fr)
        if not self.models_memory and any(not isinstance(v.ctype, IntType) for v in callee.scopes[-1].values()):
            raise Unsupported("pointer argument of a function replaced by its contract", e)
        for cl in c.requires:
            self.check(st, "precondition.violated", pos_of(e), self.spec(cl.expr, st, callee).pred(cl.expr),
                       f"precondition of {name}")
        pre = callee.old = st.copy()
        if c.assigns:
            names, ranges, part = self.footprint(c, pre, callee)
            self.havoc_footprint(st, names | part, ranges, c.frees)  # (a part: the whole global forgotten)
        else:
            self.havoc_globals(st)
        res = (self.fresh(name, callee.ret), callee.ret) if isinstance(callee.ret, IntType) else None
        # formals in a postcondition denote their values at the call: read them from ``pre``
        post = SpecEval(self.prog, self.ctx, self.post_reader(st, pre, callee), self.post_reader(pre, pre, callee),
                        of_c(*res) if res else None, self.spec_memory())
        for cl in c.ensures:
            st.assume(post.pred(cl.expr))
        return res

    # -- assigns clauses ---------------------------------------------------------------------------
    def footprint(self, c: Contract, pre: State, fr: Frame) -> tuple[set[str], list[Any], set[str]]:
        """The locations of ``c``'s assigns clauses, read in ``pre`` (the call's state): the
        globals listed whole, the memory hook's byte ranges, and the globals listed in part only
        (``g[i]``, ``g.f``: not followed here)."""
        names: set[str] = set()
        part: set[str] = set()
        ranges: list[Any] = []
        ev, env = SpecEval(self.prog, self.ctx, self.reader(pre, fr), memory=self.spec_memory()), self.reader(pre, fr)
        for _pos, locs in c.assigns:
            for loc in locs:
                root = loc
                while isinstance(root, c_ast.ArrayRef) or isinstance(root, c_ast.StructRef) and root.type == ".":
                    root = root.name
                if isinstance(root, c_ast.ID) and fr.scopes[1].get(root.name) is None and root.name in self.globals:
                    (names if root is loc else part).add(root.name)
                elif isinstance(loc, c_ast.ID) and fr.scopes[1].get(loc.name) is not None:
                    continue  # a formal: the callee's own copy
                else:
                    ranges.append(self.location_bytes(ev, loc, env))
        return names, ranges, part - names

    def location_bytes(self, ev: SpecEval, loc: c_ast.Node, env: Any) -> Any:
        """An assigns location in memory (the memory model's hook; none here)."""
        raise Unsupported("assigns location in memory", loc)

    def havoc_footprint(self, st: State, names: set[str], ranges: list[Any], frees: bool) -> None:
        """A call through a contract with assigns: the globals it names get fresh values."""
        for name in names:
            g = self.globals[name]
            st.env[g.key] = self.fresh(name, g.ctype)

    def frame_bad(self, st: State, fr: Frame, names: set[str], ranges: list[Any]) -> list[Z]:
        """At a return of the top function: a global not named changed since entry."""
        assert fr.old is not None
        return [st.env[g.key] != fr.old.env[g.key] for n, g in self.globals.items()
                if n not in names and g.key in fr.old.env and g.key in st.env]

    def inline(self, e: c_ast.FuncCall, fd: c_ast.FuncDef, vals: list[Val], st: State, fr: Frame) -> Val | None:
        name = fd.decl.name
        if self.active.count(name) >= self.inline_depth or len(self.active) > self.inline_depth + 8:
            # a black box: its effect is havocked, but its own checks are not made. Only the
            # target's own recursion is then covered (its checks are the ones asked, for every
            # input), and only with no pointer parameter (a precondition a deeper call may break)
            top = self.prog.funcs.get(self.active[0])
            pointers = top is not None and any(isinstance(v.ctype, PointerType)
                                               for v in self.params(top.decl.type).values())
            if name != self.active[0] or len(self.active) > self.inline_depth + 8 or pointers:
                raise Unsupported(f"calls nested deeper than the inline depth ({self.inline_depth}) in {name}()", e)
            return self.opaque(e, name, st)
        callee = self.bind(e, name, fd.decl.type, vals, st, fr)
        callee.old = st.copy()  # \\old in the callee's own annotations: at this call
        self.active.append(name)
        try:
            end = self.body(fd, st, callee)
        finally:
            self.active.pop()
        st.pc, st.env = (end.pc, end.env) if end else (self.false(), st.env)
        if isinstance(callee.ret, IntType | PointerType):
            return (end.env[callee.ret_key] if end else self.fresh("dead", callee.ret)), callee.ret  # type: ignore
        return None


_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem"}
_EXPRESSIONS = {"Assignment", "UnaryOp", "BinaryOp", "FuncCall", "TernaryOp", "Cast", "ExprList", "ID", "Constant",
                "ArrayRef"}


def _is_static_local(n: c_ast.Node) -> bool:
    return isinstance(n, c_ast.Decl) and n.name is not None and "static" in (n.storage or []) and \
        "extern" not in (n.storage or []) and not isinstance(n.type, c_ast.FuncDecl)


def _decayed(t: CType) -> CType:
    """An array as an operand: a pointer to its first element (C11 6.3.2.1p3)."""
    return PointerType(t.elem) if isinstance(t, ArrayType) else t


def _pointee(t: CType, e: c_ast.Node) -> CType:
    if not isinstance(t, PointerType) or isinstance(t.target, VoidType):
        raise Unsupported("type of this dereference", e)
    return t.target


def _decreases(r: list[Z], r2: list[Z]) -> Z:
    """Lexicographic decrease: some component k is >= 0 and drops by at least 1, and none before
    it grows. An endless run would have to drop a bounded-below integer forever."""
    return z3.Or([z3.And(*[r2[j] <= r[j] for j in range(k)], r[k] >= 0, r2[k] <= r[k] - 1) for k in range(len(r))])


def nodes(root: c_ast.Node) -> Iterator[c_ast.Node]:
    """Every node under ``root``, ``root`` included (without recursion: programs nest deeply)."""
    stack = [root]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for _, c in n.children())


def obj(p: Z) -> Z:
    """A pointer's object number (0: NULL)."""
    return z3.Extract(95, 64, p)


def off(p: Z) -> Z:
    """A pointer's byte offset in its object."""
    return z3.Extract(63, 0, p)


def _call_name(n: c_ast.Node) -> str | None:
    return n.name.name if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) else None


def _plain_constant(x: c_ast.Node) -> bool:
    """An integer or character constant, maybe negated or cast (never a whole struct)."""
    while isinstance(x, c_ast.UnaryOp) and x.op in ("-", "+") or isinstance(x, c_ast.Cast):
        x = x.expr
    return isinstance(x, c_ast.Constant) and x.type != "string"
