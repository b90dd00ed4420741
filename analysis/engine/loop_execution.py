"""Loops in the two execution modes.

exact: unroll ``bound`` times; paths still looping after that are blocked and remembered
(``exhausted``) so that "proved by unrolling" is claimed only when no path is left.
abstract: cut the loop at its head. Variables the loop may modify are replaced by fresh
constants constrained by an inductive invariant (inferred and independently re-checked,
or written by the user and checked as its own check); the body is executed once from
there, and the loop is left with the guard false. This covers every iteration count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, IntType, PointerType, StructType
from analysis.inference.loopmodel import LoopModel

if TYPE_CHECKING:
    from analysis.engine.symexec import Executor, State

_BUILTIN_PREFIXES = ("__VERIFIER_", "__pl_")
_PURE_CALLS = {"assert", "__VERIFIER_assert", "__VERIFIER_assume", "reach_error", "__VERIFIER_error", "abort",
               "exit", "printf", "puts", "putchar"}


ANYTHING = "*"  # a loop that may write any variable
MEMORY = "*mem"  # a loop that may write memory objects (through pointers; analysis.engine.memory)
FREES = "*free"  # a loop that may free memory (liveness changes only then)
_NEVER_FREE = frozenset({"malloc", "calloc", "memcpy", "memmove", "memset", "strlen", "memcmp", "strcmp", "strncmp",
                         "strchr", "strcpy", "strncpy", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
                         "islower", "isxdigit", "ispunct", "isprint", "iscntrl", "isgraph", "isblank", "toupper",
                         "tolower"})
INDEXED = "[]"  # prefix: a variable written through an index or a member (an array, a struct, or a pointer)


def _may_free(node: c_ast.Node, bodies: dict[str, c_ast.Node], seen: set[str]) -> bool:
    """Does ``node`` call free, or a function that is neither a library function known not to free
    nor a body here that does not (transitively)?"""
    for n in _calls_in(node):
        nm = n.name.name if isinstance(n.name, c_ast.ID) else None
        if nm is None or nm == "free" or nm not in bodies and nm not in _NEVER_FREE | _PURE_CALLS \
                and not nm.startswith(_BUILTIN_PREFIXES):
            return True
        if nm in bodies and nm not in seen:
            seen.add(nm)
            if _may_free(bodies[nm], bodies, seen):
                return True
    return False


def _calls_in(node: c_ast.Node) -> list[c_ast.FuncCall]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.FuncCall):
            out.append(n)
        stack.extend(c for _, c in n.children())
    return out


def _written_names(node: c_ast.Node) -> tuple[set[str], bool]:
    """Names assigned anywhere under ``node`` (``ANYTHING`` when a write goes through a pointer or
    an address is taken), and whether it calls a function that could write globals."""
    names: set[str] = set()
    calls = False
    stack: list[c_ast.Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Assignment) or (isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--")):
            target = n.lvalue if isinstance(n, c_ast.Assignment) else n.expr
            base = _base_name(target)
            if base is None:
                names.add(MEMORY)  # `*p = v`, `p->f = v`
            elif isinstance(target, c_ast.ID):
                names.add(base)
            else:
                # `a[i] = v` writes the array a, or (a pointer) the memory a points to
                names.add(INDEXED + base)
                names.add(MEMORY)
        elif isinstance(n, c_ast.UnaryOp) and n.op == "&":
            names.add(MEMORY)  # an object from here on: writes through pointers may reach it
        elif isinstance(n, c_ast.FuncCall):
            nm = n.name.name if isinstance(n.name, c_ast.ID) else None
            if nm is None or (nm not in _PURE_CALLS and not nm.startswith(_BUILTIN_PREFIXES)):
                calls = True
                names.add(MEMORY)  # a callee (inlined, or a library function) may write memory
        stack.extend(c for _, c in n.children())
    return names, calls


def _base_name(e: c_ast.Node) -> str | None:
    while isinstance(e, (c_ast.ArrayRef, c_ast.StructRef)):
        if isinstance(e, c_ast.StructRef) and e.type == "->":
            return None
        e = e.name
    return e.name if isinstance(e, c_ast.ID) else None


def _read_names(node: c_ast.Node) -> set[str]:
    out: set[str] = set()
    stack: list[c_ast.Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.ID):
            out.add(n.name)
        stack.extend(c for _, c in n.children())
    return out


def run_loop(ex: Executor, node: c_ast.Node, st: State, cond: c_ast.Node | None, body: c_ast.Node,
             nxt: c_ast.Node | None, do_while: bool) -> None:
    from analysis.engine.symexec import LoopRecord

    annots = ex.pending_loop_annots or []
    ex.pending_loop_annots = None
    kw = ex.span(node)
    kw = type(kw)(kw.start, type(kw.start)(kw.start.line, kw.start.column + (2 if isinstance(node, c_ast.DoWhile)
                                                                             else 3 if isinstance(node, c_ast.For)
                                                                             else 5)))
    rec = LoopRecord(id(node), ex.span(node), kw, entry_pc=st.pc, entry_env=dict(st.env),
                     nondet_at_entry=len(ex.nondet))
    rec.user_invariants = [(_annot_id(a), a) for a in annots if a.name.name == "__pl_invariant"]
    top_level = len(ex.frames) == 1 or ex.entry_mode
    if top_level:
        ex.loops.append(rec)
    if ex.mode == "abstract":
        ex.cert_loops.append(rec)
    if ex.mode == "exact":
        _unroll(ex, rec, st, cond, body, nxt, do_while)
    elif _unrolled_completely(ex, rec, st, cond, body, nxt, do_while):
        pass
    else:
        made_before = len(ex.mem.objects)
        if do_while:
            _abstract_do_while(ex, rec, node, st, cond, body)
        else:
            _abstract(ex, rec, node, st, cond, body, nxt, False)
        for o in list(ex.mem.objects.values())[made_before:]:
            o.summarised = True  # one block stands for every iteration's: its leak is not tracked


def _annot_id(a: c_ast.FuncCall) -> str:
    arg = a.args.exprs[0]
    return arg.value if isinstance(arg, c_ast.Constant) else "?"


def _iteration(ex: Executor, body: c_ast.Node, st: State) -> tuple[State, list[State]]:
    """Run the body once from ``st``: the state at its end (``continue`` joined in) and the
    states that left through ``break``."""
    ex.frame.breaks.append([])
    ex.frame.continues.append([])
    try:
        ex.stmt(body, st)
    finally:
        breaks = ex.frame.breaks.pop()
        conts = ex.frame.continues.pop()
    return ex.merge_states([st, *conts]), breaks


def _guard(ex: Executor, cond: c_ast.Node | None, st: State) -> Any:
    if cond is None:
        return ex.true()
    return ex.truth(ex.rvalue(cond, st), st, cond)


def _spec_here(ex: Executor, expr: c_ast.Node, st: State) -> Any:
    """An ACSL expression over the variables in scope here (no UB checks, no side effects)."""
    scratch = st.copy()
    saved = ex.spec
    ex.spec = True
    try:
        return ex.truth(ex.rvalue(expr, scratch), scratch, expr)
    finally:
        ex.spec = saved


def _user_invariant_checks(ex: Executor, rec: Any, st: State, which: str) -> None:
    for ann_id, call in rec.user_invariants:
        c = _spec_here(ex, call.args.exprs[1], st)
        ex.check(which, z3.Not(c), st, call, [("invariant", c)], span=ex.annotations.get(ann_id))


def _unroll(ex: Executor, rec: Any, st: State, cond: c_ast.Node | None, body: c_ast.Node,
            nxt: c_ast.Node | None, do_while: bool) -> None:
    exits: list[State] = []
    cur = st.copy()
    for k in range(ex.bound + 1):
        if ex.deadline is not None and ex.deadline.expired():
            # (a deeper unrolling grows as the bound to the loops' nesting depth: 12 s at 48 for
            # two nested loops that took 0.7 s at 12; its budget is 2 s)
            from analysis.engine.symexec import Unsupported

            raise Unsupported("the unrolling ran out of its time budget", ex.span(cond or body))
        rec.iterations = k  # when the guard turns false here, k iterations ran
        if rec.user_invariants:
            _user_invariant_checks(ex, rec, cur, "invariant.initiation" if k == 0 else "invariant.consecution")
        if not (do_while and k == 0):
            c = _guard(ex, cond, cur)
            c = z3.simplify(c)
            out = cur.copy()
            out.pc = z3.And(cur.pc, z3.Not(c))
            exits.append(out)
            cur.pc = z3.And(cur.pc, c)
            if z3.is_false(c):
                cur.pc = ex.false()
                break
        if k == ex.bound:
            rec.exhausted = cur.pc
            break
        cur, breaks = _iteration(ex, body, cur)
        exits.extend(breaks)
        if nxt is not None and not z3.is_false(cur.pc):
            ex.rvalue(nxt, cur)
        if z3.is_false(cur.pc):
            break
    m = ex.merge_states(exits) if exits else type(st)(ex.false(), dict(st.env))
    st.pc, st.env = m.pc, m.env
    if rec.exhausted is None:
        rec.exhausted = ex.false()
    else:
        ex.cut_reasons.add(f"loops unrolled {ex.bound} times")
    ex.exhausted.append(rec.exhausted)


# a loop of the abstract run that provably ends within this many iterations (its guard becomes
# false on every path, syntactically) is executed exactly instead of being cut at its head
FULL_UNROLL = 8


def _unrolled_completely(ex: Executor, rec: Any, st: State, cond: c_ast.Node | None, body: c_ast.Node,
                         nxt: c_ast.Node | None, do_while: bool) -> bool:
    """Abstract mode: execute a short loop (``for (j = 0; j < 3; j++)``) exactly when every path
    leaves it within FULL_UNROLL iterations; no invariant is then needed, and the relation of the
    loop's variables to the rest (``x == 2*i + j``) is kept. Otherwise undo and return False."""
    if rec.user_invariants:
        return False
    saved = (len(ex.checks), len(ex.markers), len(ex.nondet), len(ex.trace), len(ex.loops), len(ex.exhausted),
             len(ex.unsupported), len(ex.frame.returns), len(ex.end_states), len(ex.cert_loops))
    gotos = ex.waiting_gotos()
    cut_reasons = set(ex.cut_reasons)
    work = st.copy()
    bound, ex.bound, mode = ex.bound, FULL_UNROLL, ex.mode
    ex.mode = "exact"  # nested loops inside are unrolled too (or the whole attempt fails)
    try:
        _unroll(ex, rec, work, cond, body, nxt, do_while)
        complete = all(z3.is_false(z3.simplify(e)) for e in ex.exhausted[saved[5]:])
    finally:
        ex.bound, ex.mode = bound, mode
    del ex.exhausted[saved[5]:]
    ex.cut_reasons.clear()
    ex.cut_reasons.update(cut_reasons)
    if complete:
        rec.unrolled = FULL_UNROLL
        rec.nested_loops = [(n.coord.line, n.coord.column) for p in (cond, body, nxt) if p is not None
                            for n in _nodes(p) if isinstance(n, c_ast.While | c_ast.DoWhile | c_ast.For)
                            and n.coord is not None]
        st.pc, st.env = work.pc, work.env
        return True
    del ex.checks[saved[0]:], ex.markers[saved[1]:], ex.nondet[saved[2]:], ex.trace[saved[3]:]
    del ex.loops[saved[4]:], ex.unsupported[saved[6]:], ex.cert_loops[saved[9]:]
    del ex.frame.returns[saved[7]:], ex.end_states[saved[8]:]
    ex.restore_gotos(gotos)
    rec.exhausted = None
    rec.iterations = 0
    return False


def _selects(f: Any, out: dict[int, Any], seen: set[int]) -> None:
    """The bit-vector array reads inside ``f`` (by term id)."""
    todo = [f]
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_select(t) and z3.is_bv(t):
            out[t.get_id()] = t
            continue
        todo.extend(t.children())


def _nodes(node: c_ast.Node) -> list[c_ast.Node]:
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(c for _, c in n.children())
    return out


def _abstract_do_while(ex: Executor, rec: Any, node: c_ast.Node, st: State, cond: c_ast.Node | None,
                       body: c_ast.Node) -> None:
    """do B while (C) = B; while (C) B: the first iteration runs as straight-line code."""
    first, breaks = _iteration(ex, body, st)
    c = _guard(ex, cond, first)
    leave = first.copy()
    leave.pc = z3.And(first.pc, z3.Not(c))
    first.pc = z3.And(first.pc, c)
    rec.entry_pc, rec.entry_env = first.pc, dict(first.env)
    _abstract(ex, rec, node, first, cond, body, None, False)
    m = ex.merge_states([first, leave, *breaks])
    st.pc, st.env = m.pc, m.env


# loop state variables beyond which no unmodified local is added for relational invariants
MAX_STATE = 5


def _scalar_keys(ex: Executor, st: State, names: set[str]) -> list[str]:
    keys = []
    for n in sorted(names):
        k = ex.lookup(n)
        if k is not None and k in st.env:
            keys.append(k)
    return keys


def _abstract(ex: Executor, rec: Any, node: c_ast.Node, st: State, cond: c_ast.Node | None, body: c_ast.Node,
              nxt: c_ast.Node | None, do_while: bool) -> None:
    untyped: list[Any] = []
    _abstract_loop(ex, rec, node, st, cond, body, nxt, do_while, untyped)
    if any(o.key in ex.mem.initial for o in untyped):
        # a block first given a type inside the loop: its contents were not havocked at the head
        ex.unsound_here("a heap block first used with a type inside a loop", st, node)


def _abstract_loop(ex: Executor, rec: Any, node: c_ast.Node, st: State, cond: c_ast.Node | None, body: c_ast.Node,
                   nxt: c_ast.Node | None, do_while: bool, untyped: list[Any]) -> None:
    from analysis.engine.symexec import State as S
    from analysis.engine.symexec import Val

    parts = [p for p in (cond, body, nxt) if p is not None]
    written: set[str] = set()
    calls = False
    read: set[str] = set()
    bodies = {name: f.node.body for name, f in ex.funcs.items() if f.node is not None}
    for p in parts:
        w, c = _written_names(p)
        if _may_free(p, bodies, set()):
            written.add(FREES)
        written |= w
        calls = calls or c
        read |= _read_names(p)
    for _ann_id, a in rec.user_invariants:
        read |= _read_names(a)
    for name in [w for w in written if w.startswith(INDEXED)]:
        written.discard(name)
        key = ex.lookup(name[len(INDEXED):])
        if key is None or key not in st.env or not isinstance(st.env[key].ty, PointerType):
            written.add(name[len(INDEXED):])  # the array or struct itself (a pointer is not written)
    mod_keys = set(_scalar_keys(ex, st, written))
    if ANYTHING in written:  # every variable may change
        mod_keys |= set(st.env)
    if MEMORY in written:  # every memory object (heap, parameters' objects, variables whose address is taken)
        for o in list(ex.mem.objects.values()):
            if o.kind == "heap" and o.key not in st.env:
                # a block's contents are made on first use: made now, the loop's writes to them are
                # havocked at its head (made in the body, the loop's exit kept the block unwritten)
                ex.mem.contents(o, st)
        untyped.extend(o for o in ex.mem.objects.values() if o.kind == "heap" and o.key not in st.env)
        mod_keys |= {o.key for o in ex.mem.objects.values() if o.key in st.env}
        mod_keys |= {k for k in st.env if k.startswith("m:") and (FREES in written or not k.endswith(":live"))}
    if calls:
        mod_keys |= {k for k in st.env if k.startswith("g:")}
    state_keys = [k for k in _scalar_keys(ex, st, read | written)
                  if isinstance(st.env[k].ty, IntType) and st.env[k].z is not None]
    # locals the loop leaves alone but the function reads elsewhere (`n` in `i + j == n`, read
    # after the loop): in the state, relational invariants can name them
    fn = ex.frame.fn.node if ex.frames else None
    if fn is not None and len(state_keys) < MAX_STATE:
        extra = [k for k in _scalar_keys(ex, st, _read_names(fn.body))
                 if k not in state_keys and not k.startswith("g:") and isinstance(st.env[k].ty, IntType)
                 and st.env[k].z is not None]
        extra = extra[:MAX_STATE - len(state_keys)]
        state_keys += extra
    else:
        extra = []
    # head state: every modified variable is a fresh constant
    head = st.copy()
    pre: dict[str, Any] = {}
    for k in sorted(mod_keys):
        v = st.env[k]
        if isinstance(v.ty, IntType):
            if v.z is None:
                continue
            pre[k] = ex.fresh(ex.display(k) + "_pre", v.ty.bits)
            head.env[k] = Val(v.ty, pre[k])
        elif isinstance(v.ty, ArrayType | StructType | PointerType):
            head.env[k] = ex.havoc(v.ty, ex.display(k))
        else:
            head.env[k] = Val(v.ty, None)
    for k in state_keys:
        if k not in pre:
            pre[k] = st.env[k].z  # unmodified: its value at entry (a term over earlier constants)
    # ghosts: the entry value of each modified variable, so that invariants can relate the
    # current values to the initial ones (x + y == \at(x,LoopEntry))
    entry = st.copy()
    if ex.ghosts:
        for k in [k for k in state_keys if k in mod_keys]:
            g = "ghost:" + k
            entry.env[g] = head.env[g] = st.env[k]
            pre[g] = st.env[k].z
            state_keys.append(g)
    rec.head_vars = pre
    # the loop as a transition system, for invariants and termination
    model = _loop_model(ex, rec, entry, head, pre, state_keys, mod_keys, cond, body, nxt, do_while)
    if model is not None:
        # neither read nor written by the loop: no say in whether it ends
        model.extra["passive"] = frozenset(ex.display(k) for k in extra)
    rec.model = model
    inv = ex.invariant_for(rec) if (ex.invariant_for is not None and model is not None) else None
    rec.invariant = inv
    if inv is not None and model is not None:
        keys = model.extra["keys"]
        inv = z3.substitute(inv, *[(p, head.env[k].z) for p, k in zip(model.pre, keys, strict=True)])
    # user invariants: initiation here, consecution at the end of the body; assumed at the head
    if rec.user_invariants:
        _user_invariant_checks(ex, rec, st, "invariant.initiation")
    head.pc = z3.And(head.pc, inv) if inv is not None else head.pc
    for _ann_id, call in rec.user_invariants:
        head.pc = z3.And(head.pc, _spec_here(ex, call.args.exprs[1], head))
    exits: list[S] = []
    cur = head.copy()
    if not do_while:
        c = _guard(ex, cond, cur)
        out = cur.copy()
        out.pc = z3.And(cur.pc, z3.Not(c))
        exits.append(out)
        cur.pc = z3.And(cur.pc, c)
    cur, breaks = _iteration(ex, body, cur)
    exits.extend(breaks)
    if nxt is not None:
        ex.rvalue(nxt, cur)
    if do_while:
        c = _guard(ex, cond, cur)
        out = cur.copy()
        out.pc = z3.And(cur.pc, z3.Not(c))
        exits.append(out)
        cur.pc = z3.And(cur.pc, c)
    if rec.user_invariants:
        _user_invariant_checks(ex, rec, cur, "invariant.consecution")
    m = ex.merge_states(exits) if exits else S(ex.false(), dict(st.env))
    st.pc, st.env = m.pc, {k: v for k, v in m.env.items() if not k.startswith("ghost:")}


def _loop_model(ex: Executor, rec: Any, st: State, head: State, pre: dict[str, Any], state_keys: list[str],
                mod_keys: set[str], cond: c_ast.Node | None, body: c_ast.Node, nxt: c_ast.Node | None,
                do_while: bool) -> LoopModel | None:
    """One iteration from fresh pre-state constants, with every check discarded (pure relation)."""
    from analysis.engine.symexec import Val

    if not state_keys:
        names: tuple[str, ...] = ()
    names = tuple(ex.display(k) for k in state_keys)
    types = [st.env[k].ty for k in state_keys]
    assert all(isinstance(t, IntType) for t in types)  # state_keys holds integer variables only
    signed = tuple(bool(t.signed) for t in types)  # type: ignore[attr-defined]
    pre_c = tuple(ex.fresh(ex.display(k) + "_p", t.bits) for k, t in zip(state_keys, types, strict=True))  # type: ignore[attr-defined]
    post_c = tuple(ex.fresh(ex.display(k) + "_q", t.bits) for k, t in zip(state_keys, types, strict=True))  # type: ignore[attr-defined]
    pure = head.copy()
    pure.pc = ex.true()
    for k, c in zip(state_keys, pre_c, strict=True):
        pure.env[k] = Val(st.env[k].ty, c)
    saved = (len(ex.checks), len(ex.markers), len(ex.nondet), len(ex.trace), len(ex.loops), len(ex.exhausted))
    saved_unsupported, saved_cert = len(ex.unsupported), len(ex.cert_loops)
    saved_returns, saved_ends, saved_summaries = len(ex.frame.returns), len(ex.end_states), len(ex.summarised)
    gotos = ex.waiting_gotos()
    exact = True
    try:
        if not do_while:
            g = _guard(ex, cond, pure)
            guard = z3.And(pure.pc, g)
            pure.pc = guard
        else:
            guard = ex.true()
        cur, breaks = _iteration(ex, body, pure)
        if nxt is not None:
            ex.rvalue(nxt, cur)
        if do_while:
            cur.pc = z3.And(cur.pc, _guard(ex, cond, cur))
        inner_loops = len(ex.loops) > saved[4]
        # a contract or an over-approximated library value in the body: a relation, not the program's steps
        summarised = len(ex.summarised) > saved_summaries
        if len(ex.markers) > saved[1] or len(ex.unsupported) > saved_unsupported:
            exact = False
            rec.unmodelled_inside = ex.markers[saved[1]][0] if len(ex.markers) > saved[1] else \
                ex.unsupported[saved_unsupported][0]
        body_f = cur.pc
        eqs = []
        post_terms: list[Any] = []
        for k, q in zip(state_keys, post_c, strict=True):
            v = cur.env.get(k)
            if v is None or v.z is None:
                return None
            eqs.append(q == v.z)
            post_terms.append(v.z)
        body_f = z3.And(body_f, *eqs)
        has_aux = len(ex.nondet) > saved[2]
        aux_calls = [(f, z) for f, z, _pc in ex.nondet[saved[2]:]]
        entry_f = z3.And(st.pc, *[p == st.env[k].z for k, p in zip(state_keys, pre_c, strict=True)])
        exits_inside = bool(breaks) or len(ex.frame.returns) > saved_returns or len(ex.end_states) > saved_ends \
            or ex.waiting_gotos() != gotos
        if do_while:
            # the first iteration runs without the guard: model the loop head after one body run
            return None
        # an array, struct or unvalued scalar the loop writes is not in the state: the relation
        # reads it as one fixed value across iterations. Over every such value that is still an
        # over-approximation of one step (proofs stand), but a run of the model is no run of
        # the program (an accelerated or nonterminating "counterexample" would be spurious)
        if any(k not in state_keys for k in mod_keys if k in st.env):
            exact = False
    finally:
        del ex.checks[saved[0]:], ex.markers[saved[1]:], ex.nondet[saved[2]:], ex.trace[saved[3]:]
        del ex.exhausted[saved[5]:]
        del ex.unsupported[saved_unsupported:], ex.cert_loops[saved_cert:]
        del ex.frame.returns[saved_returns:], ex.end_states[saved_ends:]
        ex.restore_gotos(gotos)
        if len(ex.loops) > saved[4]:
            rec.abstracted_inner = True
            del ex.loops[saved[4]:]
    if ex.mem.objects:
        # memory reads (array selects) make every query leave the bit-blaster for the general
        # solver: each read becomes an arbitrary value (an over-approximation: proofs stand,
        # the relation is no longer exact)
        reads: dict[int, Any] = {}
        for f in (entry_f, guard, body_f):
            _selects(f, reads, set())
        if reads:
            pairs = [(t, ex.fresh("read", t.sort().size())) for t in reads.values()]
            entry_f, guard, body_f = (z3.substitute(f, *pairs) for f in (entry_f, guard, body_f))
            exact = False
    model = LoopModel(ex.ctx, names, signed, pre_c, post_c, entry_f, guard, body_f,
                      exits_inside=exits_inside)
    model.extra["exact"] = exact and not inner_loops and not summarised
    # the checks package refutes only over exact relations; the entry is re-checked against the
    # exact run by the engine before any nontermination witness is reported
    model.extra["body_exact"] = model.extra["exact"]
    model.extra["keys"] = tuple(state_keys)
    model.extra["post_terms"] = tuple(post_terms)
    model.extra["aux"] = has_aux
    model.extra["aux_calls"] = aux_calls
    return model
