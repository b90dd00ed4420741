"""Forward symbolic execution of the C fragment: the checker's own encoding of C11 integers.

Every value is a z3 bit-vector of its C type's width (``_Bool``: 1 bit) paired with its
:class:`IntType`; an array is a z3 array from 64-bit flat indices to its element bit-vectors.
A state is a path condition and an environment (variable key -> value); states meeting at a
join are merged with ``If``. Loops are cut by their certificate invariants (or unrolled); the
result is a list of *obligations*: formulas that must all be unsatisfiable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, IntType, VoidType

from .cdecl import Contract, Pos, Program, Unsupported, int_constant, pos_of
from .spec import SpecEval, of_c, parse_invariant

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
    ctype: CType  # IntType or ArrayType


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
            x = s.env[k]
            if not x.eq(v):
                v = z3.If(s.pc, x, v)
        env[k] = v
    return State(z3.Or([s.pc for s in live]), env)


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
        for sc in reversed(self.scopes):
            if name in sc:
                return sc[name]
        return None


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


class Executor:
    """Runs the target function once, symbolically, collecting obligations."""

    def __init__(self, prog: Program, ctx: z3.Context, target: Target, loops: CertLoops, inline_depth: int,
                 deadline: float) -> None:
        self.prog, self.ctx, self.m, self.target, self.loops = prog, ctx, prog.model, target, loops
        self.inline_depth, self.deadline = inline_depth, deadline
        self.obligations: list[tuple[Z, str]] = []
        self.hits = 0
        self.n = 0
        self.globals: dict[str, Var] = {}

    # -- small helpers ----------------------------------------------------------------------
    def fresh(self, name: str, t: CType) -> Z:
        self.n += 1
        if isinstance(t, IntType):
            return z3.BitVec(f"{name}!{self.n}", t.bits, self.ctx)
        if isinstance(t, ArrayType):
            return z3.Array(f"{name}!{self.n}", z3.BitVecSort(64, self.ctx), z3.BitVecSort(_scalar(t).bits, self.ctx))
        raise Unsupported("variable type")

    def const(self, v: int, t: IntType) -> Val:
        return z3.BitVecVal(v % (1 << t.bits), t.bits, self.ctx), t

    def false(self) -> Z:
        return z3.BoolVal(False, self.ctx)

    def truth(self, v: Val) -> Z:
        return v[0] != z3.BitVecVal(0, v[1].bits, self.ctx)

    def of_bool(self, b: Z) -> Val:
        i = self.m.INT
        return z3.If(b, *(self.const(k, i)[0] for k in (1, 0))), i

    def conv(self, v: Val, dst: IntType) -> Z:
        """C11 6.3.1.2/6.3.1.3 as gcc does it: to _Bool is != 0, otherwise wrap/extend."""
        x, src = v
        if dst.is_bool:
            return z3.If(self.truth(v), z3.BitVecVal(1, 1, self.ctx), z3.BitVecVal(0, 1, self.ctx))
        if dst.bits == src.bits:
            return x
        if dst.bits < src.bits:
            return z3.Extract(dst.bits - 1, 0, x)
        ext = dst.bits - src.bits
        return z3.SignExt(ext, x) if src.signed else z3.ZeroExt(ext, x)

    def oblige(self, bad: Z, what: str) -> None:
        if not z3.is_false(bad):
            self.obligations.append((bad, what))

    def check(self, st: State, cid: str, pos: Pos | None, ok: Z, what: str) -> None:
        """A runtime check: an obligation if it is the one certified, else assumed from here on."""
        if cid == self.target.check_id and pos == self.target.pos:
            self.hits += 1
            bad = st.pc if self.target.unreachable else z3.And(st.pc, z3.Not(ok))
            self.oblige(bad, f"{cid} at line {pos[0]}: {what}")
        st.assume(ok)

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise Timeout

    # -- function entry -----------------------------------------------------------------------
    def run(self, fd: c_ast.FuncDef, entry_mode: bool) -> None:
        st = State(z3.BoolVal(True, self.ctx), {})
        scratch = Frame("<init>", [self.globals], 0, self.m.INT, "$r")
        for g in self.prog.globals.values():
            if g.ctype is None:
                continue
            var = Var("g:" + g.name, g.ctype)
            self.globals[g.name] = var
            if (entry_mode or g.const) and (g.init is not None or entry_mode):
                self.initialise(var, g.init, st, scratch, g.name)
            else:
                st.env[var.key] = self.fresh(g.name, g.ctype)
        fr = self.new_frame(fd.decl.name, fd.decl.type, 0)
        for name, var in self.params(fd.decl.type).items():
            fr.scopes[-1][name] = var
            st.env[var.key] = self.fresh(name, var.ctype)
        fr.old = st.copy()
        if fr.contract:
            for cl in fr.contract.requires:
                st.assume(self.spec(cl.expr, st, fr).pred(cl.expr))
        self.body(fd, st, fr)

    def new_frame(self, name: str, decl: c_ast.FuncDecl, depth: int) -> Frame:
        ret = self.prog.resolve(decl.type)
        self.n += 1
        return Frame(name, [self.globals, {}], depth, ret, f"$ret{self.n}", self.prog.contracts.get(name))

    def params(self, decl: c_ast.FuncDecl) -> dict[str, Var]:
        out: dict[str, Var] = {}
        for p in decl.args.params if decl.args else []:
            if isinstance(p, c_ast.EllipsisParam):
                raise Unsupported("variadic function", decl)
            t = self.prog.resolve(p.type)
            if isinstance(t, VoidType) and p.name is None:
                continue
            if not isinstance(t, IntType):
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
        if flow.normal is not None:
            if isinstance(fr.ret, IntType):
                flow.normal.env[fr.ret_key] = self.fresh("noreturn", fr.ret)
            self.postcondition(flow.normal, fr)
            ends.append(flow.normal)
        return merge(list(ends))

    def postcondition(self, st: State, fr: Frame) -> None:
        if fr.depth != 0 or fr.contract is None or self.target.check_id != "postcondition.violated":
            return
        for cl in fr.contract.ensures:
            if cl.pos == self.target.pos:
                res = of_c(st.env[fr.ret_key], fr.ret) if isinstance(fr.ret, IntType) else None
                assert fr.old is not None
                ok = SpecEval(self.prog, self.ctx, self.post_reader(st, fr.old, fr),
                              self.post_reader(fr.old, fr.old, fr), res).pred(cl.expr)
                self.check(st, "postcondition.violated", cl.pos, ok, "ensures")

    def reader(self, st: State, fr: Frame) -> Any:
        def read(name: str) -> tuple[Any, CType] | None:
            v = fr.lookup(name)
            return None if v is None or v.key not in st.env else (st.env[v.key], v.ctype)
        return read

    def post_reader(self, st: State, pre: State, fr: Frame) -> Any:
        """Names in an ``ensures``: formals denote their values at entry, globals their current
        ones; the body's locals are not in scope."""
        def read(name: str) -> tuple[Any, CType] | None:
            if name in fr.scopes[1]:
                v = fr.scopes[1][name]
                return pre.env[v.key], v.ctype
            g = self.globals.get(name)
            return None if g is None else (st.env[g.key], g.ctype)
        return read

    def spec(self, e: c_ast.Node, st: State, fr: Frame) -> SpecEval:
        return SpecEval(self.prog, self.ctx, self.reader(st, fr), self.reader(fr.old, fr) if fr.old else None)

    # -- declarations -------------------------------------------------------------------------
    def declare(self, d: c_ast.Decl, st: State, fr: Frame) -> None:
        if isinstance(d.type, c_ast.FuncDecl):
            return
        if "typedef" in (d.storage or []):
            raise Unsupported("local typedef", d)
        t = self.prog.resolve(d.type, d.init)
        if not isinstance(t, IntType | ArrayType):
            raise Unsupported("variable type", d)
        self.n += 1
        var = Var(f"{d.name}#{self.n}", t)
        if "static" in (d.storage or []) or d.init is None:
            st.env[var.key] = self.fresh(d.name, t)  # statics: any value a previous call may have left
        else:
            self.initialise(var, d.init, st, fr, d.name)
        fr.scopes[-1][d.name] = var

    def initialise(self, var: Var, init: c_ast.Node | None, st: State, fr: Frame, name: str) -> None:
        t = var.ctype
        if isinstance(t, IntType):
            if init is None:
                st.env[var.key] = self.const(0, t)[0]
                return
            if isinstance(init, c_ast.InitList):
                raise Unsupported("braced scalar initializer", init)
            st.env[var.key] = self.conv(self.rvalue(init, st, fr), t)
            return
        assert isinstance(t, ArrayType)
        elem = _scalar(t)
        arr = z3.K(z3.BitVecSort(64, self.ctx), z3.BitVecVal(0, elem.bits, self.ctx))
        if init is not None:
            for flat, e in self.flatten(init, t, 0):
                arr = z3.Store(arr, z3.BitVecVal(flat, 64, self.ctx), self.conv(self.rvalue(e, st, fr), elem))
        st.env[var.key] = arr

    def flatten(self, init: c_ast.Node, t: CType, base: int) -> list[tuple[int, c_ast.Node]]:
        """(flat index, expression) of an initializer list; missing elements stay zero."""
        if not isinstance(t, ArrayType):
            if isinstance(init, c_ast.InitList):
                if len(init.exprs) != 1:
                    raise Unsupported("initializer", init)
                init = init.exprs[0]
            return [(base, init)]
        if not isinstance(init, c_ast.InitList):
            raise Unsupported("array initializer", init)
        assert t.size is not None
        if len(init.exprs) > t.size:
            raise Unsupported("too many initializers", init)
        stride = _count(t.elem)
        out: list[tuple[int, c_ast.Node]] = []
        if isinstance(t.elem, ArrayType) and init.exprs and not isinstance(init.exprs[0], c_ast.InitList):
            raise Unsupported("brace-elided initializer", init)
        for k, e in enumerate(init.exprs):
            if isinstance(e, c_ast.NamedInitializer):
                raise Unsupported("designated initializer", e)
            out += self.flatten(e, t.elem, base + k * stride)
        return out

    # -- statements ---------------------------------------------------------------------------
    def stmt(self, s: c_ast.Node, st: State, fr: Frame) -> Flow:
        self.tick()
        if z3.is_false(st.pc):
            return Flow(None)
        if isinstance(s, c_ast.Compound):
            return self.block(s.block_items or [], st, fr)
        if isinstance(s, c_ast.Decl):
            self.declare(s, st, fr)
            return Flow(st)
        if isinstance(s, c_ast.DeclList):
            for d in s.decls:
                self.declare(d, st, fr)
            return Flow(st)
        if isinstance(s, c_ast.If):
            c = self.truth(self.rvalue(s.cond, st, fr))
            a, b = st.copy(), st
            a.assume(c)
            b.assume(z3.Not(c))
            fa = self.scoped(s.iftrue, a, fr)
            fb = self.scoped(s.iffalse, b, fr) if s.iffalse is not None else Flow(b)
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
                if isinstance(fr.ret, IntType):
                    st.env[fr.ret_key] = self.conv(v, fr.ret)
            elif isinstance(fr.ret, IntType):
                st.env[fr.ret_key] = self.fresh("noreturn", fr.ret)
            self.postcondition(st, fr)
            return Flow(None, returns=[st])
        if isinstance(s, c_ast.EmptyStatement | c_ast.Pragma):
            return Flow(st)
        if isinstance(s, c_ast.Node) and type(s).__name__ in _EXPRESSIONS:
            self.rvalue(s, st, fr, void_ok=True)
            return Flow(st)
        raise Unsupported(type(s).__name__.lower(), s)

    def scoped(self, s: c_ast.Node, st: State, fr: Frame) -> Flow:
        fr.scopes.append({})
        try:
            return self.stmt(s, st, fr)
        finally:
            fr.scopes.pop()

    def block(self, items: list[c_ast.Node], st: State, fr: Frame) -> Flow:
        fr.scopes.append({})
        out = Flow(st)
        invs: list[tuple[Pos | None, c_ast.Node]] = []
        try:
            for item in items:
                if out.normal is None:
                    break
                call = _call_name(item)
                if call == "__pl_invariant":
                    args = item.args.exprs
                    invs.append((self.prog.annotation_pos(args[0]), args[1]))
                    continue
                if call in _IGNORED:
                    continue
                if invs and not isinstance(item, c_ast.While | c_ast.DoWhile | c_ast.For):
                    raise Unsupported("loop invariant not before a loop", item)
                if invs:
                    f = self.loop(item, out.normal, fr, invs)
                    invs = []
                else:
                    f = self.stmt(item, out.normal, fr)
                out.normal = f.normal
                out.absorb(f)
            if invs and out.normal is not None:
                raise Unsupported("loop invariant not before a loop", items[-1])
            return out
        finally:
            fr.scopes.pop()

    def switch(self, s: c_ast.Switch, st: State, fr: Frame) -> Flow:
        v = self.rvalue(s.cond, st, fr)
        t = self.m.promote(v[1])
        x = self.conv(v, t)
        items: list[tuple[str, Any]] = []

        def walk(nodes: list[c_ast.Node]) -> None:
            for n in nodes:
                if isinstance(n, c_ast.Case):
                    items.append(("case", self.prog.const_int(n.expr)))
                    walk(n.stmts or [])
                elif isinstance(n, c_ast.Default):
                    items.append(("default", None))
                    walk(n.stmts or [])
                else:
                    items.append(("stmt", n))
        if not isinstance(s.stmt, c_ast.Compound):
            raise Unsupported("switch without a block", s)
        walk(s.stmt.block_items or [])
        values = [self.const(k, t)[0] for kind, k in items if kind == "case"]
        cur: State | None = None
        out = Flow(None)
        fr.scopes.append({})
        try:
            for kind, payload in items:
                if kind == "stmt":
                    if cur is None:
                        continue
                    if isinstance(payload, c_ast.Decl):
                        raise Unsupported("declaration in a switch", payload)
                    f = self.stmt(payload, cur, fr)
                    cur = f.normal
                    out.breaks += f.breaks
                    out.continues += f.continues
                    out.returns += f.returns
                    continue
                enter = st.copy()
                if kind == "case":
                    enter.assume(x == self.const(payload, t)[0])
                else:
                    enter.assume(z3.And([x != c for c in values]) if values else z3.BoolVal(True, self.ctx))
                cur = merge([cur, enter])
            if not any(kind == "default" for kind, _ in items):
                st.assume(z3.And([x != c for c in values]) if values else z3.BoolVal(True, self.ctx))
                cur = merge([cur, st])
        finally:
            fr.scopes.pop()
        return Flow(merge([cur, *out.breaks]), continues=out.continues, returns=out.returns)

    # -- loops ----------------------------------------------------------------------------------
    def loop(self, s: c_ast.Node, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]]) -> Flow:
        if isinstance(s, c_ast.For):
            fr.scopes.append({})
            try:
                if s.init is not None:
                    f = self.stmt(s.init, st, fr)
                    if f.normal is None:
                        return f
                    st = f.normal
                return self._loop(s, st, fr, invs)
            finally:
                fr.scopes.pop()
        return self._loop(s, st, fr, invs)

    def _loop(self, s: Any, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]]) -> Flow:
        pos = pos_of(s)
        if self.loops.method == "unrolling":
            return self.unrolled(s, st, fr, invs, self.loops.unroll)
        if pos is not None and pos in self.loops.unrolls:
            return self.unrolled(s, st, fr, invs, self.loops.unrolls[pos])
        out = Flow(None)
        if isinstance(s, c_ast.DoWhile):
            # do B while (C) is B; while (C) B: the certificate's head is before the second run of B
            first = self.scoped(s.stmt, st, fr)
            out.returns += first.returns
            exits: list[State | None] = list(first.breaks)
            after = merge([first.normal, *first.continues])
            if after is None:
                out.normal = merge(exits)
                return out
            st = after
        else:
            exits = []
        visible = self.visible(fr)
        entry = {n: st.env[v.key] for n, v in visible.items()}
        # user invariants are checks of their own: proved only when certified, else assumed
        self.user_invariants(st, fr, invs, "invariant.initiation")
        self.oblige(z3.And(st.pc, z3.Not(self.invariant(pos, visible, entry, st))),
                    f"loop at line {pos[0] if pos else 0}: invariant may not hold on entry")
        head = st.copy()
        for key, t in self.assigned(s, fr).items():
            head.env[key] = self.fresh(key.split("#")[0], t)
        head.assume(self.invariant(pos, visible, entry, head))
        for _, e in invs:
            head.assume(self.spec(e, head, fr).pred(e))
        if s.cond is not None:
            g = self.truth(self.rvalue(s.cond, head, fr))
            leave = head.copy()
            leave.assume(z3.Not(g))
            head.assume(g)
            exits.append(leave)
        ranked = self.target.check_id == "termination.loop" and pos == self.target.pos
        rank = self.ranking(pos, visible, head) if ranked else None
        body = self.scoped(s.stmt, head, fr)
        end = merge([body.normal, *body.continues])
        if end is not None and isinstance(s, c_ast.For) and s.next is not None:
            self.rvalue(s.next, end, fr, void_ok=True)
        if ranked:
            self.hits += 1
            ranked_end = self.ranking(pos, visible, end) if end is not None else None
            if end is not None and rank is not None and ranked_end is not None:
                self.oblige(z3.And(end.pc, z3.Not(_decreases(rank, ranked_end))),
                            f"loop at line {pos[0] if pos else 0}: the ranking function does not decrease")
            elif rank is None:
                raise Unsupported("termination without a ranking function for this loop")
        if end is not None:
            self.user_invariants(end, fr, invs, "invariant.consecution")
            self.oblige(z3.And(end.pc, z3.Not(self.invariant(pos, visible, entry, end))),
                        f"loop at line {pos[0] if pos else 0}: invariant may not be preserved")
        out.normal = merge([*exits, *body.breaks])
        out.returns += body.returns
        return out

    def unrolled(self, s: Any, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]], bound: int) -> Flow:
        """The loop executed ``bound`` times; obligation: no path is still inside after that
        (which is also what proves it terminates, when that is the certified check)."""
        if self.target.check_id == "termination.loop" and pos_of(s) == self.target.pos:
            self.hits += 1
        out = Flow(None)
        exits: list[State | None] = []
        cur: State | None = st
        pos = pos_of(s)
        for k in range(bound + 1):
            if cur is None:
                break
            self.user_invariants(cur, fr, invs, "invariant.initiation" if k == 0 else "invariant.consecution")
            if not isinstance(s, c_ast.DoWhile) or k > 0:
                if s.cond is not None:
                    g = self.truth(self.rvalue(s.cond, cur, fr))
                    leave = cur.copy()
                    leave.assume(z3.Not(g))
                    exits.append(leave)
                    cur.assume(g)
            if k == bound:
                self.oblige(cur.pc, f"loop at line {pos[0] if pos else 0}: runs more than {k} iterations")
                break
            body = self.scoped(s.stmt, cur, fr)
            out.returns += body.returns
            exits += body.breaks
            cur = merge([body.normal, *body.continues])
            if cur is not None and isinstance(s, c_ast.For) and s.next is not None:
                self.rvalue(s.next, cur, fr, void_ok=True)
        out.normal = merge(exits)
        return out

    def ranking(self, pos: Pos | None, visible: dict[str, Var], st: State) -> list[Z] | None:
        """The certificate's ranking function at ``st``: per component, an exact integer as a
        signed bit-vector wide enough that no sum or product of C values wraps (z3's bv2int is slow)."""
        if self.loops.ranking is None or self.loops.ranking[0] != pos:
            return None
        comps = self.loops.ranking[1]
        vars_ = {}
        for _, coeffs in comps:
            for name in coeffs:
                var = visible.get(name)
                if var is None or not isinstance(var.ctype, IntType):
                    raise Unsupported(f"ranking function over {name}, not a variable in scope")
                vars_[name] = var
        widest = max([v.ctype.bits for v in vars_.values() if isinstance(v.ctype, IntType)] + [1])
        total = max(sum(abs(c) for c in coeffs.values()) + abs(const) for const, coeffs in comps)
        w = widest + total.bit_length() + 4
        out = []
        for const, coeffs in comps:
            acc: Z = z3.BitVecVal(const, w, self.ctx)
            for name, c in coeffs.items():
                var = vars_[name]
                assert isinstance(var.ctype, IntType)
                x = st.env[var.key]
                ext = z3.SignExt(w - x.size(), x) if var.ctype.signed else z3.ZeroExt(w - x.size(), x)
                acc = acc + z3.BitVecVal(c, w, self.ctx) * ext
            out.append(acc)
        return out

    def user_invariants(self, st: State, fr: Frame, invs: list[tuple[Pos | None, c_ast.Node]], cid: str) -> None:
        for p, e in invs:
            self.check(st, cid, p, self.spec(e, st, fr).pred(e), "loop invariant")

    def invariant(self, pos: Pos | None, visible: dict[str, Var], entry: dict[str, Z], st: State) -> Z:
        """The certificate's invariant of the loop at ``pos`` (a disjunction of its entries) in ``st``."""
        parts = []
        texts = self.loops.invariants.get(pos, []) if pos else []
        if texts:
            symbols: dict[str, Z] = {}
            subst: list[tuple[Z, Z]] = []
            for n, v in visible.items():
                assert isinstance(v.ctype, IntType)
                for sym, val in ((n, st.env[v.key]), (n + "@entry", entry[n])):
                    c = z3.BitVec(sym, v.ctype.bits, self.ctx)
                    symbols[sym] = c
                    subst.append((c, val))
            alts = []
            for text in texts:
                try:
                    term = parse_invariant(text, symbols, self.ctx)
                except ValueError as e:
                    raise Unsupported(f"certificate invariant ({e})") from None
                alts.append(z3.substitute(term, *subst) if subst else term)
            parts.append(z3.Or(alts))
        return z3.And(parts) if parts else z3.BoolVal(True, self.ctx)

    def visible(self, fr: Frame) -> dict[str, Var]:
        out: dict[str, Var] = {}
        for sc in fr.scopes:
            for n, v in sc.items():
                out[n] = v
        return {n: v for n, v in out.items() if isinstance(v.ctype, IntType)}

    def assigned(self, s: c_ast.Node, fr: Frame) -> dict[str, CType]:
        """Keys of every variable the loop may assign (syntactically; callees' globals too)."""
        out: dict[str, CType] = {}
        for name in _written(s, self.prog, set()):
            v = self.globals.get(name[2:]) if name.startswith("g:") else fr.lookup(name)
            if v is not None:
                out[v.key] = v.ctype
        return out

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
                    return self.const(self.prog.enums[e.name], self.m.INT)
                g = self.prog.globals.get(e.name)
                raise Unsupported(f"name {e.name}" + (f" ({g.error})" if g else ""), e)
            if not isinstance(var.ctype, IntType):
                raise Unsupported("array used as a value", e)
            return st.env[var.key], var.ctype
        if isinstance(e, c_ast.ArrayRef):
            var, idx, t = self.lvalue(e, st, fr)
            assert idx is not None
            return z3.Select(st.env[var.key], idx), t
        if isinstance(e, c_ast.BinaryOp):
            if e.op in ("&&", "||"):
                return self.logical(e, st, fr)
            a = self.rvalue(e.left, st, fr)
            b = self.rvalue(e.right, st, fr)
            return self.binary(e.op, a, b, e, st)
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
            yes, no = st.copy(), st.copy()
            yes.assume(c)
            no.assume(z3.Not(c))
            va = self.rvalue(e.iftrue, yes, fr, void_ok)
            vb = self.rvalue(e.iffalse, no, fr, void_ok)
            common = self.m.usual(va[1], vb[1])
            m = merge([yes, no])
            st.pc, st.env = (m.pc, m.env) if m else (self.false(), st.env)
            return z3.If(c, self.conv(va, common), self.conv(vb, common)), common
        if isinstance(e, c_ast.Cast):
            to = self.prog.resolve(e.to_type)
            inner = self.rvalue(e.expr, st, fr, void_ok=isinstance(to, VoidType))
            if isinstance(to, VoidType):
                return self.const(0, self.m.INT)
            if not isinstance(to, IntType):
                raise Unsupported("cast", e)
            return self.conv(inner, to), to
        if isinstance(e, c_ast.ExprList):
            last = self.const(0, self.m.INT)
            for x in e.exprs:
                last = self.rvalue(x, st, fr, void_ok=True)
            return last
        if isinstance(e, c_ast.FuncCall):
            r = self.call(e, st, fr)
            if r is None:
                if not void_ok:
                    raise Unsupported("value of a void call", e)
                return self.const(0, self.m.INT)
            return r
        raise Unsupported(type(e).__name__.lower(), e)

    def logical(self, e: c_ast.BinaryOp, st: State, fr: Frame) -> Val:
        a = self.truth(self.rvalue(e.left, st, fr))
        right = st.copy()
        right.assume(a if e.op == "&&" else z3.Not(a))
        b = self.truth(self.rvalue(e.right, right, fr))
        short = st.copy()
        short.assume(z3.Not(a) if e.op == "&&" else a)
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
        if op in ("+", "-", "*"):
            r = x + y if op == "+" else x - y if op == "-" else x * y
            ok = z3.BoolVal(True, self.ctx)
            if t.signed and op == "*":
                # z3's own overflow predicates: a double-width product stalls the SAT solver
                ok = z3.And(z3.BVMulNoOverflow(x, y, True), z3.BVMulNoUnderflow(x, y))
            elif t.signed:
                wx, wy = z3.SignExt(1, x), z3.SignExt(1, y)
                ok = (wx + wy if op == "+" else wx - wy) == z3.SignExt(1, r)
            name = {"+": "add", "-": "sub", "*": "mul"}[op]
            self.check(st, f"overflow.signed.{name}", p, ok, f"signed overflow in {op}")
            return r, t
        if op in ("/", "%"):
            name = "div" if op == "/" else "rem"
            zero = z3.BitVecVal(0, w, self.ctx)
            self.check(st, f"div-by-zero.{name}", p, y != zero, f"division by zero in {op}")
            ok = z3.BoolVal(True, self.ctx)
            if t.signed:
                ok = z3.Not(z3.And(x == self.const(t.min, t)[0], y == self.const(-1, t)[0]))
            self.check(st, f"overflow.signed.{name}", p, ok, f"signed overflow in {op}")
            if op == "/":
                return (x / y if t.signed else z3.UDiv(x, y)), t
            return (z3.SRem(x, y) if t.signed else z3.URem(x, y)), t
        if op in ("&", "|", "^"):
            return (x & y if op == "&" else x | y if op == "|" else x ^ y), t
        cmp = {"==": lambda: x == y, "!=": lambda: x != y,
               "<": lambda: x < y if t.signed else z3.ULT(x, y), "<=": lambda: x <= y if t.signed else z3.ULE(x, y),
               ">": lambda: x > y if t.signed else z3.UGT(x, y), ">=": lambda: x >= y if t.signed else z3.UGE(x, y)}
        if op in cmp:
            return self.of_bool(cmp[op]())
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
            pt = self.m.promote(t)
            x = self.conv(old, pt)
            one = self.const(1, pt)[0]
            r = x + one if "+" in op else x - one
            ok = z3.BoolVal(True, self.ctx)
            if pt.signed:
                ok = x != self.const(pt.max if "+" in op else pt.min, pt)[0]
            self.check(st, "overflow.signed." + ("inc" if "+" in op else "dec"), pos_of(e), ok,
                       f"signed overflow in {op.lstrip('p')}")
            new = self.conv((r, pt), t)
            self.store(var, idx, new, st)
            return (old if op.startswith("p") else (new, t))
        if op in ("&", "*"):
            raise Unsupported("pointer operator " + op, e)
        v = self.rvalue(e.expr, st, fr)
        if op == "!":
            return self.of_bool(z3.Not(self.truth(v)))
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

    def sizeof(self, e: c_ast.Node, fr: Frame, st: State | None = None) -> int:
        t: CType | None = None
        if isinstance(e, c_ast.Typename):
            t = self.prog.resolve(e)
        elif isinstance(e, c_ast.ID):
            v = fr.lookup(e.name)
            t = v.ctype if v else None
        elif type(e).__name__ in _EXPRESSIONS and st is not None:
            # the operand is not evaluated (C11 6.5.3.4p2): type it on a scratch copy, no obligations
            saved = (list(self.obligations), self.hits)
            try:
                got = self.rvalue(e, st.copy(), fr)
                t = got[1] if got is not None else None
            finally:
                self.obligations, self.hits = saved
        size = self.m.sizeof(t) if t is not None else None
        if size is None:
            raise Unsupported("sizeof operand", e)
        return size

    # -- lvalues ----------------------------------------------------------------------------------
    def lvalue(self, e: c_ast.Node, st: State, fr: Frame) -> tuple[Var, Z | None, IntType]:
        """The variable, flat index (arrays, bounds-checked) and element type of an lvalue."""
        if isinstance(e, c_ast.ID):
            var = fr.lookup(e.name)
            if var is None or not isinstance(var.ctype, IntType):
                g = self.prog.globals.get(e.name)
                raise Unsupported(f"assignment to {e.name}" + (f" ({g.error})" if g and g.error else ""), e)
            return var, None, var.ctype
        if not isinstance(e, c_ast.ArrayRef):
            raise Unsupported(f"lvalue {type(e).__name__}", e)
        refs: list[c_ast.ArrayRef] = []
        base: c_ast.Node = e
        while isinstance(base, c_ast.ArrayRef):
            refs.insert(0, base)
            base = base.name
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
        if name.startswith("__VERIFIER_nondet_"):
            t = self.prog.ret_type(name)
            if t is None:
                spec = _NONDET.get(name[len("__VERIFIER_nondet_"):])
                if spec is None:
                    raise Unsupported(f"nondet function {name}", e)
                t = self.m.int_type(*spec)
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
        if name in _ERRORS:
            self.check(st, "reach-error.reachable", pos_of(e), self.false(), "reach_error() reached")
            st.pc = self.false()
            return None
        if name in _TERMINATE:
            st.pc = self.false()
            return None
        contract = self.prog.contracts.get(name)
        if contract is not None and (contract.requires or contract.ensures):
            return self.by_contract(e, name, contract, vals, st, fr)
        fd = self.prog.funcs.get(name)
        if fd is not None:
            return self.inline(e, fd, vals, st, fr)
        t = self.prog.ret_type(name) if name in self.prog.protos else self.m.INT
        self.havoc_globals(st)
        if isinstance(t, IntType):
            return self.fresh(name, t), t
        if isinstance(t, VoidType):
            return None
        raise Unsupported(f"return type of {name}", e)

    def havoc_globals(self, st: State) -> None:
        for g in self.prog.globals.values():
            if g.name in self.globals and not g.const:
                st.env["g:" + g.name] = self.fresh(g.name, self.globals[g.name].ctype)

    def by_contract(self, e: c_ast.FuncCall, name: str, c: Contract, vals: list[Val], st: State, fr: Frame) -> Val | None:
        """Replace a call by the callee's contract: check requires, havoc globals, assume ensures."""
        callee = self.new_frame(name, self.prog.protos[name], fr.depth + 1)
        params = self.params(self.prog.protos[name])
        if len(params) != len(vals):
            raise Unsupported("call with a wrong number of arguments", e)
        for (pname, var), v in zip(params.items(), vals, strict=True):
            assert isinstance(var.ctype, IntType)
            st.env[var.key] = self.conv(v, var.ctype)
            callee.scopes[-1][pname] = var
        for cl in c.requires:
            self.check(st, "precondition.violated", pos_of(e), self.spec(cl.expr, st, callee).pred(cl.expr),
                       f"precondition of {name}")
        pre = st.copy()
        callee.old = pre
        self.havoc_globals(st)
        res = None
        if isinstance(callee.ret, IntType):
            st.env[callee.ret_key] = self.fresh(name, callee.ret)
            res = of_c(st.env[callee.ret_key], callee.ret)
        # formals in a postcondition denote their values at the call: read them from ``pre``
        post = SpecEval(self.prog, self.ctx, self.post_reader(st, pre, callee), self.post_reader(pre, pre, callee), res)
        for cl in c.ensures:
            st.assume(post.pred(cl.expr))
        if isinstance(callee.ret, IntType):
            return st.env[callee.ret_key], callee.ret
        return None

    def inline(self, e: c_ast.FuncCall, fd: c_ast.FuncDef, vals: list[Val], st: State, fr: Frame) -> Val | None:
        if fr.depth + 1 > self.inline_depth:
            # beyond the inline depth the call is a black box: any result, any globals (no
            # pointers in this fragment, so nothing else can change); the callee is checked alone
            self.havoc_globals(st)
            ret = self.prog.ret_type(fd.decl.name)
            if isinstance(ret, IntType):
                return self.fresh(fd.decl.name, ret), ret
            if isinstance(ret, VoidType):
                return None
            raise Unsupported(f"return type of {fd.decl.name}", e)
        callee = self.new_frame(fd.decl.name, fd.decl.type, fr.depth + 1)
        params = self.params(fd.decl.type)
        if len(params) != len(vals):
            raise Unsupported("call with a wrong number of arguments", e)
        for (pname, var), v in zip(params.items(), vals, strict=True):
            assert isinstance(var.ctype, IntType)
            st.env[var.key] = self.conv(v, var.ctype)
            callee.scopes[-1][pname] = var
        end = self.body(fd, st, callee)
        if end is None:
            st.pc = self.false()
            return self.const(0, callee.ret) if isinstance(callee.ret, IntType) else None
        st.pc, st.env = end.pc, end.env
        if isinstance(callee.ret, IntType):
            return st.env[callee.ret_key], callee.ret
        return None


_EXPRESSIONS = {"Assignment", "UnaryOp", "BinaryOp", "FuncCall", "TernaryOp", "Cast", "ExprList", "ID", "Constant",
                "ArrayRef"}


def _decreases(r: list[Z], r2: list[Z]) -> Z:
    """Lexicographic decrease: some component k is >= 0 and drops by at least 1, and none before
    it grows. An endless run would have to drop a bounded-below integer forever."""
    alts = []
    for k in range(len(r)):
        alts.append(z3.And(*[r2[j] <= r[j] for j in range(k)], r[k] >= 0, r2[k] <= r[k] - 1))
    return z3.Or(alts)


def _call_name(n: c_ast.Node) -> str | None:
    return n.name.name if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) else None


def _scalar(t: CType) -> IntType:
    while isinstance(t, ArrayType):
        t = t.elem
    assert isinstance(t, IntType)
    return t


def _count(t: CType) -> int:
    n = 1
    while isinstance(t, ArrayType):
        assert t.size is not None
        n *= t.size
        t = t.elem
    return n


def _base_name(e: c_ast.Node) -> str | None:
    while isinstance(e, c_ast.ArrayRef):
        e = e.name
    return e.name if isinstance(e, c_ast.ID) else None


def _written(node: c_ast.Node, prog: Program, seen: set[str]) -> set[str]:
    """Names assigned in ``node``; ``g:NAME`` for globals written by the functions it calls."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Assignment):
            out.add(_base_name(n.lvalue) or "")
        elif isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--"):
            out.add(_base_name(n.expr) or "")
        elif isinstance(n, c_ast.FuncCall):
            name = _call_name(n)
            if name is not None and name not in _BUILTINS and not name.startswith("__VERIFIER_nondet_"):
                fd = prog.funcs.get(name)
                contract = prog.contracts.get(name)
                if fd is None or (contract is not None and (contract.requires or contract.ensures)):
                    out |= {"g:" + g for g in prog.globals}
                elif name not in seen:
                    seen.add(name)
                    out |= {"g:" + x.removeprefix("g:") for x in _written(fd.body, prog, seen)}
        stack.extend(c for _, c in n.children())
    return out

