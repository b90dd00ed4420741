"""Expressions whose value depends on an evaluation order C does not fix.

Why a pass of its own: the executor evaluates operands left to right, one order among those C
allows. ``y + (y = 2)`` and ``y++ + y++`` are undefined (unsequenced side effects on one object,
C11 6.5p2); ``g + setg()`` and ``add(g, setg())`` are unspecified (a call is indeterminately
sequenced, 6.5.2.2p10): gcc computes 4 and 5 where the executor's order gives 3 and 1, and an
assert over them was "proved". Such an expression rules out any proof in its function (the
engine's ``unsound_here``); telling the orders apart is not worth modelling.

The pass is syntactic and over-approximates: an operand's *writes* are the variables its
assignments and ``++``/``--`` change, the globals and static locals its calls change (through
their bodies, transitively), and ``*`` for memory written through a pointer; its *reads* are the
variables it names, and ``*`` for memory read through a pointer or a call. Two operands of one
operator (or two arguments of one call) conflict when one writes what the other reads or writes.
``&&``, ``||``, ``?:`` and ``,`` order their operands; an assignment's store comes after both
operands (6.5.16p3), so only what the right side writes against the target's own variable and
its address's reads counts there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from analysis.engine.loop_execution import _nodes as _walk

__all__ = ["analyse_program", "writes_through"]

MEMORY = "*"
# library functions that change memory the caller may read (``*``), and ones that change nothing
_WRITES_MEMORY = {"memcpy", "memmove", "memset", "strcpy", "strncpy", "strcat", "strncat", "free", "realloc",
                  "sprintf", "snprintf", "fgets", "fread", "scanf", "sscanf"}
_PURE = {"strlen", "strcmp", "strncmp", "memcmp", "strchr", "abs", "labs", "llabs", "__builtin_abs", "__builtin_labs",
         "__builtin_llabs", "imaxabs", "malloc", "calloc",
         "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isxdigit", "ispunct", "isprint",
         "iscntrl", "isgraph", "isblank", "toupper", "tolower", "assert", "__VERIFIER_assert", "__VERIFIER_assume",
         "reach_error", "__VERIFIER_error", "abort", "exit", "printf", "puts", "putchar"}
_SEQUENCED = {"&&", "||", ","}


@dataclass
class _Effects:
    writes: set[str] = field(default_factory=set)
    reads: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)  # the writes of its own side effects (not its calls')


def analyse_program(funcs: dict[str, c_ast.FuncDef | None],
                    global_names: set[str]) -> tuple[dict[int, str], dict[str, dict[str, bool]]]:
    """One pass over the program's functions: ``id(node) -> what`` for each operator or call whose
    operands' order matters, and per function the globals it (with what it calls) names, each
    with whether it writes it (what a pointer parameter may alias: analysis.engine.memory)."""
    callee = _callee_effects(funcs, global_names)
    out: dict[int, str] = {}
    for fd in funcs.values():
        if fd is not None:
            _Scan(fd, callee, global_names, out).scan(fd.body)
    used = {name: {g: g in eff.writes for g in (eff.reads | eff.writes) & global_names}
            for name, eff in callee.items()}
    return out, used


def writes_through(fd: c_ast.FuncDef, param: str) -> bool:
    """May ``fd`` write memory through its parameter ``param`` (``*p =``, ``p[i]++``, ``p->f =``,
    or ``p`` handed to a call, which may)? Syntactic, the same on both sides of a call."""
    for n in _walk(fd.body):
        target = n.lvalue if isinstance(n, c_ast.Assignment) else \
            n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
        if target is not None and _through_pointer(target):
            root = target.expr if isinstance(target, c_ast.UnaryOp) else target
            if any(isinstance(x, c_ast.ID) and x.name == param for x in _walk(root)):
                return True
        if isinstance(n, c_ast.FuncCall) and n.args is not None and \
                any(isinstance(x, c_ast.ID) and x.name == param for a in n.args.exprs for x in _walk(a)):
            return True
    return False


def _callee_effects(funcs: dict[str, c_ast.FuncDef | None], global_names: set[str]) -> dict[str, _Effects]:
    """What a call of each function may change and read, seen from a caller: globals, its own
    static locals (``f::x``: two calls of ``f`` in one expression share them), and memory."""
    own: dict[str, _Effects] = {}
    calls: dict[str, set[str]] = {}
    for name, fd in funcs.items():
        eff, called = _Effects(), set()
        if fd is None:  # declared only: it may change any global and memory
            eff.writes |= global_names | {MEMORY}
            eff.reads |= global_names | {MEMORY}
        else:
            statics = {d.name for d in _walk(fd.body) if isinstance(d, c_ast.Decl) and "static" in (d.storage or [])}
            local = _locals(fd) - statics
            for n in _walk(fd.body):
                target = n.lvalue if isinstance(n, c_ast.Assignment) else \
                    n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
                if target is not None:
                    root = _root(target)
                    if root is None or not isinstance(target, c_ast.ID | c_ast.ArrayRef | c_ast.StructRef) or \
                            _through_pointer(target):
                        eff.writes.add(MEMORY)
                    elif root in statics:
                        eff.writes.add(f"{name}::{root}")
                    elif root not in local:
                        eff.writes.add(root)
                if isinstance(n, c_ast.ID) and n.name not in local:
                    eff.reads.add(f"{name}::{n.name}" if n.name in statics else n.name)
                if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID):
                    called.add(n.name.name)
            eff.reads.add(MEMORY)
        own[name], calls[name] = eff, called
    changed = True
    while changed:  # through the calls, transitively
        changed = False
        for name, called in calls.items():
            for c in called:
                extra = _library(c, global_names) if c not in own else own[c]
                before = (len(own[name].writes), len(own[name].reads))
                own[name].writes |= extra.writes
                own[name].reads |= extra.reads
                changed |= before != (len(own[name].writes), len(own[name].reads))
    return own


def _library(name: str, global_names: set[str]) -> _Effects:
    if name in _PURE or name.startswith(("__pl_", "__VERIFIER_nondet")):
        return _Effects(set(), {MEMORY})
    if name in _WRITES_MEMORY:
        return _Effects({MEMORY}, {MEMORY})
    return _Effects(global_names | {MEMORY}, global_names | {MEMORY})


class _Scan:
    """One function's operators and calls, each asked once; every subexpression's effects are
    computed once (bottom-up, without recursion: a chain of 25,000 ``+`` is one walk)."""

    def __init__(self, fd: c_ast.FuncDef, callee: dict[str, _Effects], global_names: set[str],
                 out: dict[int, str]) -> None:
        self.fd, self.callee, self.globals, self.out = fd, callee, global_names, out
        self.memo: dict[int, _Effects] = {}
        self.statics = {d.name for d in _walk(fd.body) if isinstance(d, c_ast.Decl) and "static" in (d.storage or [])}
        # locals memory may reach: their address is taken, or they are arrays
        self.addressed = {n.expr.name for n in _walk(fd.body) if isinstance(n, c_ast.UnaryOp) and n.op == "&"
                          and isinstance(n.expr, c_ast.ID)} | \
            {d.name for d in _walk(fd) if isinstance(d, c_ast.Decl) and isinstance(d.type, c_ast.ArrayDecl)}

    def name(self, n: str) -> str:
        return f"{self.fd.decl.name}::{n}" if n in self.statics else n

    def effects(self, e: c_ast.Node) -> _Effects:
        """What evaluating ``e`` writes and reads (sizeof's operand is not evaluated)."""
        if id(e) in self.memo:
            return self.memo[id(e)]
        order: list[c_ast.Node] = []
        stack = [e]
        while stack:  # every node below e not known yet, parents before children
            n = stack.pop()
            if id(n) in self.memo:
                continue
            order.append(n)
            if not (isinstance(n, c_ast.UnaryOp) and n.op == "sizeof"):
                stack.extend(c for _, c in n.children())
        for n in reversed(order):  # children first
            self.memo[id(n)] = self._own(n)
        return self.memo[id(e)]

    def _own(self, n: c_ast.Node) -> _Effects:
        eff = _Effects()
        if isinstance(n, c_ast.UnaryOp) and n.op == "sizeof":
            return eff
        for _, c in n.children():
            sub = self.memo.get(id(c))
            if sub is not None and not (isinstance(n, c_ast.FuncCall) and c is n.name):
                eff.writes |= sub.writes
                eff.reads |= sub.reads
                eff.direct |= sub.direct
        if isinstance(n, c_ast.Assignment) or isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--"):
            target = n.lvalue if isinstance(n, c_ast.Assignment) else n.expr
            root = _root(target)
            written = {MEMORY if root is None or _through_pointer(target) else self.name(root)}
            if root is not None and root in self.addressed:
                written.add(MEMORY)
            eff.writes |= written
            eff.direct |= written
        if isinstance(n, c_ast.ID):
            eff.reads.add(self.name(n.name))
            if n.name in self.addressed:
                eff.reads.add(MEMORY)
        if isinstance(n, c_ast.UnaryOp) and n.op == "*" or isinstance(n, c_ast.ArrayRef) or \
                isinstance(n, c_ast.StructRef) and n.type == "->":
            eff.reads.add(MEMORY)
        if isinstance(n, c_ast.FuncCall):
            fname = n.name.name if isinstance(n.name, c_ast.ID) else None
            got = self.callee.get(fname) if fname is not None else None
            if got is None:
                got = _library(fname, self.globals) if fname is not None else \
                    _Effects(self.globals | {MEMORY}, self.globals | {MEMORY})
            eff.writes |= got.writes
            eff.reads |= got.reads
        return eff

    def scan(self, body: c_ast.Node) -> None:
        stack = [body]
        while stack:
            n = stack.pop()
            if isinstance(n, c_ast.BinaryOp):
                self.visit_BinaryOp(n)
            elif isinstance(n, c_ast.FuncCall):
                self.visit_FuncCall(n)
            elif isinstance(n, c_ast.Assignment):
                self.visit_Assignment(n)
            stack.extend(c for _, c in n.children())

    def conflict(self, parts: list[c_ast.Node], what: str, node: c_ast.Node) -> None:
        effs = [self.effects(p) for p in parts]
        for i, a in enumerate(effs):
            for j, b in enumerate(effs):
                if i != j and a.writes & (b.reads | b.writes):
                    shared = sorted(a.writes & (b.reads | b.writes))
                    names = ", ".join(("memory" if s == MEMORY else s.split("::")[-1]) for s in shared[:2])
                    self.out[id(node)] = f"{what} whose order C leaves open (one changes {names}, which another uses)"
                    return

    def _other_members(self, n: c_ast.Assignment) -> bool:
        """Does the right side write the target's variable only in other members than the target
        (neither path a prefix of the other)?"""
        mine = _member_path(n.lvalue)
        if mine is None:
            return False
        for m in _walk(n.rvalue):
            if isinstance(m, c_ast.Assignment) or isinstance(m, c_ast.UnaryOp) and m.op in ("++", "--", "p++", "p--"):
                lv = m.lvalue if isinstance(m, c_ast.Assignment) else m.expr
                if _root(lv) != mine[0]:
                    continue
                theirs = _member_path(lv)
                if theirs is None or theirs[:len(mine)] == mine or mine[:len(theirs)] == theirs:
                    return False
            if isinstance(m, c_ast.FuncCall):
                return False  # (a callee may write the variable through its address)
        return True

    def visit_BinaryOp(self, n: c_ast.BinaryOp) -> None:
        if n.op not in _SEQUENCED:
            self.conflict([n.left, n.right], f"operands of {n.op}", n)

    def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
        args = list(n.args.exprs) if n.args is not None else []
        if len(args) > 1:
            self.conflict(args, "arguments of a call", n)

    def visit_Assignment(self, n: c_ast.Assignment) -> None:
        right = self.effects(n.rvalue)
        root = _root(n.lvalue)
        # the store comes after both sides' values (6.5.16p3): a call on the right is done by
        # then; a side effect there on the assigned variable is not (y = y++), nor anything the
        # right side changes that the target's address reads (a[i] = i++), or the reverse
        target = {self.name(root)} if root is not None and not _through_pointer(n.lvalue) else set()
        address = self.address(n.lvalue)
        # (x op= e reads x too, and that read and a call in e are in either order: g += next())
        changed = right.direct if n.op == "=" else right.writes
        if changed & target and self._other_members(n):
            changed = changed - target  # (r.head = r.tail = 0: two members of one struct)
        if changed & target or right.writes & address.reads or address.writes & (right.reads | right.writes):
            self.out[id(n)] = "an assignment whose sides change one object in an order C leaves open"

    def address(self, e: c_ast.Node) -> _Effects:
        """What computing the place ``e`` designates reads and writes (not the place itself)."""
        if isinstance(e, c_ast.ID):
            return _Effects()
        if isinstance(e, c_ast.StructRef):
            return self.address(e.name) if e.type == "." else self.value(e.name)
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            return self.value(e.expr)
        if isinstance(e, c_ast.ArrayRef):
            base, sub = self.value(e.name), self.effects(e.subscript)
            return _Effects(base.writes | sub.writes, base.reads | sub.reads, base.direct | sub.direct)
        return self.effects(e)

    def value(self, e: c_ast.Node) -> _Effects:
        """A pointer (or array) operand's value: a name is read, not the memory it designates."""
        return _Effects(set(), {self.name(e.name)}) if isinstance(e, c_ast.ID) else self.effects(e)


def _member_path(e: c_ast.Node) -> tuple[str, ...] | None:
    """``x.f.g`` as ("x", "f", "g"); None for anything else (an index, a pointer)."""
    names: list[str] = []
    while isinstance(e, c_ast.StructRef) and e.type == ".":
        names.append(e.field.name)
        e = e.name
    return (e.name, *reversed(names)) if isinstance(e, c_ast.ID) else None


def _root(e: c_ast.Node) -> str | None:
    while isinstance(e, c_ast.ArrayRef | c_ast.StructRef):
        e = e.name
    return e.name if isinstance(e, c_ast.ID) else None


def _through_pointer(e: c_ast.Node) -> bool:
    """Is the lvalue reached through a pointer (``*p``, ``p->f``, ``p[i]`` with p not an array)?
    Without types: ``->`` and ``*`` are; an index is taken to be (memory) unless its root is an array
    declared in sight (the caller passes that knowledge through ``addressed``)."""
    if isinstance(e, c_ast.UnaryOp) and e.op == "*":
        return True
    if isinstance(e, c_ast.StructRef):
        return e.type == "->" or _through_pointer(e.name)
    if isinstance(e, c_ast.ArrayRef):
        return True
    return False


def _locals(fd: c_ast.FuncDef) -> set[str]:
    names = {d.name for d in _walk(fd.body) if isinstance(d, c_ast.Decl) and d.name}
    params = fd.decl.type.args.params if isinstance(fd.decl.type, c_ast.FuncDecl) and fd.decl.type.args else []
    return names | {p.name for p in params if isinstance(p, c_ast.Decl) and p.name}
