"""Function calls: built-in models (SV-COMP harness, assert, abort/exit, ACSL pseudo-calls),
contracts, inlining, and havoc for everything unmodelled."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, FuncType, IntType, OpaqueType, PointerType, VoidType
from analysis.engine.assigns import Footprint, havoc_footprint

if TYPE_CHECKING:
    from analysis.engine.symexec import Executor, FuncInfo, State, Val

# __VERIFIER_nondet_X suffix -> (C specifier words)
NONDET_TYPES: dict[str, list[str]] = {
    "int": ["int"], "uint": ["unsigned", "int"], "unsigned": ["unsigned", "int"], "unsigned_int": ["unsigned", "int"],
    "long": ["long"], "ulong": ["unsigned", "long"], "longlong": ["long", "long"],
    "ulonglong": ["unsigned", "long", "long"], "short": ["short"], "ushort": ["unsigned", "short"],
    "char": ["char"], "uchar": ["unsigned", "char"], "schar": ["signed", "char"], "bool": ["_Bool"],
    "_Bool": ["_Bool"], "size_t": ["unsigned", "long"], "u32": ["unsigned", "int"], "s32": ["int"],
    "u8": ["unsigned", "char"], "u16": ["unsigned", "short"], "loff_t": ["long"], "sector_t": ["unsigned", "long"],
}
ERROR_FUNCS = {"reach_error", "__VERIFIER_error"}
END_FUNCS = {"abort", "exit", "_exit", "_Exit"}
NOEFFECT_FUNCS = {"printf", "puts", "putchar", "fprintf", "fflush", "fputs", "fputc"}
ASSERT_FUNCS = {"assert", "__pl_c_assert", "__VERIFIER_assert"}


def _callee_name(e: c_ast.FuncCall) -> str | None:
    return e.name.name if isinstance(e.name, c_ast.ID) else None


def _args(e: c_ast.FuncCall) -> list[c_ast.Node]:
    return list(e.args.exprs) if e.args is not None else []


def call(ex: Executor, e: c_ast.FuncCall, st: State) -> Val:
    from analysis.engine.symexec import Val

    name = _callee_name(e)
    args = _args(e)
    if name is None or (ex.frames and ex.lookup(name) is not None):
        # `(*fp)(x)`, `tab[i](x)`, or a variable holding a function pointer
        # (the pointer may be NULL or point to no function: the call itself is an unknown check)
        ex.memory_access("call through a function pointer", st, e)
        for a in args:
            ex.rvalue(a, st)
        ex.havoc_all(st, "unknown callee")
        return Val(OpaqueType("result"), None)
    # ACSL pseudo-calls produced by the annotation rewriter
    if name.startswith("__pl_"):
        return pseudo(ex, name, e, args, st)
    if name in ASSERT_FUNCS:
        if len(args) != 1:
            ex.unsupported_here(f"{name} with {len(args)} arguments", st, e)
            return Val(VoidType(), None)
        c = ex.truth(ex.rvalue(args[0], st), st, args[0])
        ex.check("assert.violated", z3.Not(c), st, e, [(_txt(args[0]), c)])
        return Val(VoidType(), None)
    if name == "__assert_fail" or name == "__assert_rtn" or name == "__assert":
        ex.check("assert.violated", ex.true(), st, e)
        st.pc = ex.false()
        return Val(VoidType(), None)
    if name in ERROR_FUNCS:  # the error location, whatever body the program gives it
        ex.check("reach-error.reachable", ex.true(), st, e)
        st.pc = ex.false()
        return Val(VoidType(), None)
    if name in END_FUNCS:
        for a in args:
            ex.rvalue(a, st)
        ex.end_states.append(st.copy())
        st.pc = ex.false()
        return Val(VoidType(), None)
    if name == "__VERIFIER_assume":
        c = ex.truth(ex.rvalue(args[0], st), st, args[0])
        st.pc = z3.And(st.pc, c)
        return Val(VoidType(), None)
    if name.startswith("__VERIFIER_nondet_"):
        return nondet(ex, name, e, st)
    info = ex.funcs.get(name)
    if name == "valid_read_string" and ex.spec and len(args) == 1 and info is None:
        return ex.bool_val(ex.mem.spec_string(args[0], st))
    if name in LIBRARY_FUNCS and (info is None or info.node is None):
        return library(ex, name, e, args, st)
    if info is None or (info.node is None and not info.contract.replaces_call(False)):
        if name in NOEFFECT_FUNCS:
            for a in args:
                v = ex.rvalue(a, st)
                if isinstance(v.ty, PointerType | ArrayType) and not (
                        isinstance(a, c_ast.Constant) and a.type == "string"):
                    ex.memory_access(f"memory read by {name}()", st, a)
            return Val(ex.dm.INT, ex.fresh(name, 32))
        return unmodelled(ex, name, info, e, args, st)
    return user_call(ex, info, e, args, st)


# <ctype.h> in the "C" locale: the characters of each class (inclusive ranges; 128..255 and EOF are
# in none), and glibc's value when true (its table's bit: the exact run replays glibc)
CTYPE_CLASSES: dict[str, tuple[tuple[int, int], ...]] = {
    "isdigit": ((48, 57),), "isalpha": ((65, 90), (97, 122)), "isalnum": ((48, 57), (65, 90), (97, 122)),
    "isspace": ((9, 13), (32, 32)), "isupper": ((65, 90),), "islower": ((97, 122),),
    "isxdigit": ((48, 57), (65, 70), (97, 102)), "ispunct": ((33, 47), (58, 64), (91, 96), (123, 126)),
    "isprint": ((32, 126),), "iscntrl": ((0, 31), (127, 127)), "isgraph": ((33, 126),), "isblank": ((9, 9), (32, 32)),
}
GLIBC_CLASS_BITS = {"isupper": 256, "islower": 512, "isalpha": 1024, "isdigit": 2048, "isxdigit": 4096,
                    "isspace": 8192, "isprint": 16384, "isgraph": 32768, "isblank": 1, "iscntrl": 2, "ispunct": 4,
                    "isalnum": 8}
CASE_FUNCS = {"toupper": ((97, 122), -32), "tolower": ((65, 90), 32)}
EOF_VALUE = -1
LIBRARY_ARITY = {"malloc": 1, "calloc": 2, "realloc": 2, "free": 1, "memcpy": 3, "memmove": 3, "memset": 3,
                 "memcmp": 3, "strlen": 1, "strcmp": 2, "strncmp": 3, "strchr": 2, "strcpy": 2, "strncpy": 3,
                 **dict.fromkeys([*CTYPE_CLASSES, *CASE_FUNCS], 1), "abs": 1, "labs": 1, "llabs": 1,
                 "__builtin_abs": 1, "__builtin_labs": 1, "__builtin_llabs": 1, "imaxabs": 1}
ABS_TYPES = {"abs": ["int"], "labs": ["long"], "llabs": ["long", "long"], "__builtin_abs": ["int"],
             "__builtin_labs": ["long"], "__builtin_llabs": ["long", "long"], "imaxabs": ["long", "long"]}
LIBRARY_FUNCS = set(LIBRARY_ARITY)


def _apart_from_globals(ex: Executor, info: FuncInfo, argv: list[Val], st: State, e: c_ast.FuncCall) -> None:
    """The callee's proof assumes a pointer parameter apart from the globals it uses (its inferred
    precondition says ``\\base_addr(p) != \\base_addr(&g)``): checked here, where a global whose
    address this run took may be what the argument points to (f(&g))."""
    from analysis.ctypes import may_alias
    from analysis.engine.memory import OBJ_BITS, obj_of
    from analysis.engine.sequencing import writes_through

    assert info.node is not None
    used = ex.globals_used.get(info.name, {})
    if not used:
        return
    for pname, pt, v in zip(info.param_names, info.ftype.params, argv, strict=False):
        if not isinstance(pt, PointerType) or not ex.mem.is_pointer(v):
            continue
        through = writes_through(info.node, pname)
        for g, g_written in used.items():
            if not (g_written or through):  # (the callee's precondition does not say it: no assumption)
                continue
            o = ex.mem.by_key.get("g:" + g)
            leaf = ex.globals.get(g)
            while isinstance(leaf, ArrayType):
                leaf = leaf.elem
            if o is None or leaf is None or not may_alias(pt.target, leaf):
                continue
            ex.check("precondition.violated", z3.And(v.z != ex.bv(0, 64), obj_of(v.z) == ex.bv(o.id, OBJ_BITS)), st, e,
                     [(f"{pname} points into {g} (requires {pname} == \\null || \\base_addr({pname}) != "
                       f"\\base_addr(&{g}))", obj_of(v.z))])


def library(ex: Executor, name: str, e: c_ast.FuncCall, args: list[c_ast.Node], st: State) -> Val:
    """The C library functions the memory model knows (analysis.engine.memory), and <ctype.h>."""
    from analysis.engine.symexec import Val, string_literal_bytes

    size_t = ex.dm.size_t
    if len(args) != LIBRARY_ARITY[name]:
        return unmodelled(ex, name, None, e, args, st)
    if name in CTYPE_CLASSES or name in CASE_FUNCS:
        return ctype(ex, name, e, args[0], st)
    if name in ABS_TYPES:  # |x|, undefined for the most negative value (C11 7.22.6.1p2)
        t = ex.dm.from_specifiers(ABS_TYPES[name])
        assert isinstance(t, IntType)
        x = ex.convert(ex.as_int(ex.rvalue(args[0], st), st, args[0]), t, st, args[0]).z
        ex.check("overflow.signed.neg", x == ex.bv(t.min, t.bits), st, e, [("argument", x)])
        return Val(t, z3.If(x < 0, -x, x))

    def count(a: c_ast.Node) -> Any:
        v = ex.convert(ex.as_int(ex.rvalue(a, st), st, a), size_t, st, a)
        return z3.ZeroExt(64 - size_t.bits, v.z) if size_t.bits < 64 else v.z

    def pointer(a: c_ast.Node) -> Val | None:
        data = string_literal_bytes(a)
        if data is not None:
            return ex.mem.literal(a, data, st)
        return ex.pointer_rvalue(a, st)

    if name in STRING_FUNCS:
        return strings(ex, name, e, args, st, count, pointer)
    if name == "malloc":
        return ex.mem.allocate(count(args[0]), st, e, zero=False, name=name)
    if name == "calloc":
        k, n = count(args[0]), count(args[1])
        total = z3.ZeroExt(64, k) * z3.ZeroExt(64, n)  # (k * n wrapping: calloc gives NULL)
        refused = z3.UGT(total, z3.BitVecVal(ex.mem.largest_block(), 128, ex.ctx))
        return ex.mem.allocate(k * n, st, e, zero=True, name=name, refused=refused)
    if name == "free":
        pv = pointer(args[0])
        if pv is None:
            ex.memory_access("free of a pointer the engine does not track", st, e)
            ex.mem.havoc_objects(st)
        else:
            ex.mem.free(pv, st, e)
        return Val(VoidType(), None)
    if name in ("memcpy", "memmove"):
        d, s_ = pointer(args[0]), pointer(args[1])
        n = count(args[2])
        if d is None or s_ is None:
            ex.memory_access(f"memory passed to {name}()", st, e)
            ex.mem.havoc_objects(st)
            return d or ex.havoc(PointerType(VoidType()), name)
        return ex.mem.memcpy(d, s_, n, st, e, overlap_ok=name == "memmove")
    if name == "memset":
        d = pointer(args[0])
        byte = ex.convert(ex.as_int(ex.rvalue(args[1], st), st, args[1]), IntType("char", False, 8), st, args[1])
        n = count(args[2])
        if d is None or byte.z is None:
            ex.memory_access("memory passed to memset()", st, e)
            ex.mem.havoc_objects(st)
            return d or ex.havoc(PointerType(VoidType()), name)
        return ex.mem.memset(d, byte.z, n, st, e)
    # strlen
    sv = pointer(args[0])
    r = ex.mem.strlen(sv, st, e) if sv is not None else None
    if r is None:
        if sv is None:
            ex.memory_access("memory passed to strlen()", st, e)
        return Val(size_t, ex.fresh("strlen", size_t.bits))
    return r


STRING_FUNCS = {"realloc", "memcmp", "strcmp", "strncmp", "strchr", "strcpy", "strncpy"}


def strings(ex: Executor, name: str, e: c_ast.FuncCall, args: list[c_ast.Node], st: State,
            count: Callable[[c_ast.Node], Any], pointer: Callable[[c_ast.Node], Val | None]) -> Val:
    """realloc and the string functions that compare, search and copy (analysis.engine.memory)."""
    from analysis.engine.symexec import Val

    char_p = PointerType(ex.dm.int_type("char"))
    if name == "realloc":
        pv, n = pointer(args[0]), count(args[1])
        if pv is None:
            ex.memory_access("realloc of a pointer the engine does not track", st, e)
            ex.mem.havoc_objects(st)
            return ex.havoc(PointerType(VoidType()), name)
        return ex.mem.realloc(pv, n, st, e)
    if name == "strchr":  # (its second argument is an int converted to char)
        sv = pointer(args[0])
        ch = ex.convert(ex.as_int(ex.rvalue(args[1], st), st, args[1]), IntType("char", True, 8), st, args[1])
        got = ex.mem.strchr(sv, ch.z, st, e) if sv is not None else None
        if got is None:
            if sv is None:
                ex.memory_access("memory passed to strchr()", st, e)
            return ex.havoc(char_p, name)
        return got
    a, b = pointer(args[0]), pointer(args[1])
    n = count(args[2]) if len(args) == 3 else None
    if a is None or b is None:
        ex.memory_access(f"memory passed to {name}()", st, e)
        if name in ("strcpy", "strncpy"):
            ex.mem.havoc_objects(st)
            return a or ex.havoc(char_p, name)
        return Val(ex.dm.INT, ex.fresh(name, 32))
    if name in ("strcpy", "strncpy"):
        if not ex.mem.strcpy(a, b, n, st, e):
            ex.mem.havoc_objects(st)
        return a
    r = ex.mem.memcmp(a, b, n, st, e) if name == "memcmp" else ex.mem.compare(a, b, n, st, e, name)
    return Val(ex.dm.INT, r if r is not None else ex.fresh(name, 32))


def ctype(ex: Executor, name: str, e: c_ast.FuncCall, arg: c_ast.Node, st: State) -> Val:
    """A <ctype.h> function in the "C" locale. Its argument must be EOF or representable as an
    unsigned char (C11 7.4p1): ``isdigit(c)`` with a negative ``char`` is undefined (glibc's table
    happens to cover -128..-1, other libraries index before theirs). A class's value when true is
    only non-zero: glibc's bit in the exact run (the replayed value; the run then counts as
    incomplete), any non-zero value in the abstract run (which proofs rest on)."""
    from analysis.engine.symexec import Val

    int_t = ex.dm.INT
    c = ex.convert(ex.as_int(ex.rvalue(arg, st), st, arg), int_t, st, arg).z
    outside = z3.Not(z3.Or(c == EOF_VALUE, z3.ULE(c, 255)))
    ex.check("library.ctype-domain", outside, st, e, [("argument", c)])
    # the run goes on past an argument outside the domain (RUNS_ON), with a value the engine does
    # not know (glibc reads its table before the start): arbitrary, and only possible
    if not z3.is_false(z3.simplify(z3.And(st.pc, outside))):
        from analysis.engine.symexec import State as S

        ex.mark(f"the value of {name}() of an argument outside its domain", S(z3.And(st.pc, outside), st.env), e)
    anything = ex.fresh(f"{name}_outside", 32)
    v = ctype_value(ex, name, c, st)
    return Val(int_t, z3.If(outside, anything, v.z))


def ctype_value(ex: Executor, name: str, c: Any, st: State) -> Val:
    """A <ctype.h> function's value for an argument in its domain."""
    from analysis.engine.symexec import Val

    int_t = ex.dm.INT
    if name in CASE_FUNCS:
        (lo, hi), delta = CASE_FUNCS[name]
        return Val(int_t, z3.If(z3.And(c >= lo, c <= hi), c + delta, c))
    member = z3.Or(*[z3.And(c >= lo, c <= hi) for lo, hi in CTYPE_CLASSES[name]])
    if ex.mem.replaying():
        ex.exhausted.append(z3.And(st.pc, member))
        ex.cut_reasons.add(f"the non-zero value of {name}() (the C library chooses it)")
        return Val(int_t, z3.If(member, ex.bv(GLIBC_CLASS_BITS[name], 32), ex.bv(0, 32)))
    yes = ex.fresh(name, 32)
    st.pc = z3.And(st.pc, yes != 0)
    ex.summarised.append(name)  # a value the real run need not have: no accelerated refutation
    return Val(int_t, z3.If(member, yes, ex.bv(0, 32)))


def nondet(ex: Executor, name: str, e: c_ast.FuncCall, st: State) -> Val:
    from analysis.engine.symexec import Val

    info = ex.funcs.get(name)
    t = info.ftype.ret if info is not None else None
    if t is None:
        words = NONDET_TYPES.get(name[len("__VERIFIER_nondet_"):])
        t = ex.dm.from_specifiers(words) if words else None
    if not isinstance(t, IntType):
        ex.mark(f"nondet value of type {t.describe() if t else '?'}", st, e)
        return Val(t or OpaqueType("nondet"), None)
    z = ex.fresh(name, t.bits)
    ex.nondet.append((name, z, st.pc))
    if t.is_bool:
        return Val(t, z)
    return Val(t, z)


def unmodelled(ex: Executor, name: str, info: FuncInfo | None, e: c_ast.FuncCall, args: list[c_ast.Node],
               st: State, why: str | None = None) -> Val:
    """A call whose effect is unknown: havoc its result and every global; taint the path."""
    from analysis.engine.symexec import Val

    ex.mem.escapes.append(st.pc)  # it may write any memory a global points to

    for a in args:
        v = ex.rvalue(a, st)
        if isinstance(v.ty, PointerType | ArrayType) or (isinstance(a, c_ast.UnaryOp) and a.op == "&"):
            ex.memory_access(f"memory passed to {name}()", st, a)
            ex.havoc_all(st, "pointer passed to an unknown function")
    ex.mark(why or f"call of unmodelled function {name}()", st, e)
    for k, v in list(st.env.items()):
        if k.startswith("g:"):
            st.env[k] = ex.havoc(v.ty, ex.display(k))
    rt = info.ftype.ret if info is not None else ex.dm.INT
    if isinstance(rt, VoidType):
        return Val(rt, None)
    return ex.havoc(rt, name)


def user_call(ex: Executor, info: FuncInfo, e: c_ast.FuncCall, args: list[c_ast.Node], st: State) -> Val:
    from analysis.engine.symexec import Frame, Val, string_literal_bytes

    if info.ftype.variadic or len(args) != len(info.ftype.params):
        # (its checks are not made, nor its precondition: no proof rests on it, where g(0) for
        # g(int *p, int n) showed both functions proved)
        ex.unsound_here(f"call of {info.name} with {len(args)} argument(s)", st, e)
        return unmodelled(ex, info.name, info, e, args, st)
    argv: list[Val] = []
    for a, pt in zip(args, info.ftype.params, strict=True):
        data = string_literal_bytes(a) if isinstance(pt, PointerType) else None
        if data is not None:  # a string literal: the callee's accesses are checked against its bytes
            v = ex.convert(ex.mem.literal(a, data, st), pt, st, a)
        elif isinstance(pt, PointerType):
            v = ex.convert(ex.decayed(a, st), pt, st, a)
        else:
            v = ex.rvalue(a, st)
        if isinstance(pt, IntType):
            v = ex.convert(ex.as_int(v, st, a), pt, st, a)
        argv.append(v)
    depth = sum(1 for f in ex.frames if f.fn.name == info.name)
    has_contract = info.contract.replaces_call(info.node is not None)
    # preconditions are checked at the call site whatever the call is replaced by
    if info.contract.requires:
        env_c = bind(ex, info, argv)
        for span, expr in info.contract.requires:
            c = spec_eval(ex, expr, env_c, st, None)
            before = st.pc
            ex.check("precondition.violated", z3.Not(c), st, e, [(f"requires at line {span.start.line}", c)])
            if ex.entry_mode and info.node is not None:
                # a whole program means what C says: the inlined body runs with what main passes,
                # a requires it breaks is no assumption (reach_error behind it was "unreachable")
                st.pc = before
    # (a whole program's meaning is its code: in entry mode a body is run, never its contract)
    use_contract = has_contract and ((ex.mode == "abstract" and not ex.entry_mode) or info.node is None)
    if not use_contract and not ex.entry_mode and info.node is not None:
        _apart_from_globals(ex, info, argv, st, e)
    if use_contract:
        ex.summarised.append(info.name)  # this run's paths are no longer exact executions
        # \\old in the callee's ensures: arguments, globals and memory as they were at the call
        pre, pre_memory = ex.pre_state(st, bind(ex, info, argv), *(expr for _span, expr in info.contract.ensures))
        footprint = assigns_footprint(ex, info, bind(ex, info, argv), st) if info.contract.assigns else None
        if footprint is not None and footprint.unknown is None:
            # only what its assigns clause lists changes (the callee's own proof checks that)
            havoc_footprint(ex, footprint, st, info.contract.frees, info.name)
        else:
            ex.mem.escapes.append(st.pc)  # without assigns: any memory a global points to, too
            if any(isinstance(v.ty, PointerType | ArrayType) for v in argv):
                # without an assigns clause a contract says nothing of the memory it is passed:
                # the callee may write or free any of it
                why = "" if footprint is None else f" ({footprint.unknown})"
                ex.memory_access(f"memory passed to {info.name}(), used through its contract{why}", st, e)
                ex.mem.havoc_objects(st, may_free=True)
            for k, v in list(st.env.items()):
                if k.startswith("g:"):
                    st.env[k] = ex.havoc(v.ty, ex.display(k))
        rt = info.ftype.ret
        result = Val(rt, None) if isinstance(rt, VoidType) else ex.havoc(rt, f"{info.name}_result")
        env_c = bind(ex, info, argv)
        for _span, expr in info.contract.ensures:
            c = spec_eval(ex, expr, env_c, st, result, old=pre, old_memory=pre_memory)
            st.pc = z3.And(st.pc, c)
        if info.node is None:
            ex.mark(f"call of {info.name}() (declared only, used through its contract)", st, e)
        return result
    if info.node is None:
        return unmodelled(ex, info.name, info, e, args, st)
    top = ex.frames[0].fn.name
    first_activation = all(f.fn.name != top for f in ex.frames[1:])  # not yet inside a re-entry of top
    if info.name == top and len(ex.frames) == 1:
        ex.self_calls.append((ex.span(e), st.pc, argv))
    elif info.name == top and first_activation:
        ex.cycle_calls.append((ex.span(e), st.pc, argv))  # top entered again through other functions
    if has_contract:
        # the exact run inlines the body (its bugs are real), but a proof must rest on the
        # contract alone: this path no longer counts as a complete exploration
        ex.exhausted.append(st.pc)
        ex.cut_reasons.add(f"{info.name}() is used through its contract")
    if depth >= ex.inline_depth or len(ex.frames) > ex.inline_depth + 8:
        if ex.mode == "exact":
            if first_activation and info.name != top:
                ex.cycle_cut = True  # a path that might have entered top again was cut
            ex.exhausted.append(st.pc)
            ex.cut_reasons.add(f"recursion inlined {ex.inline_depth} deep")
            st.pc = ex.false()  # deeper calls block the path: refutations stay sound
            rt = info.ftype.ret
            return Val(rt, None) if isinstance(rt, VoidType) else ex.havoc(rt, "blocked")
        # havoc over-approximates the deeper call's effect (its memory too), but its own checks
        # are not made: a proof stands only where they are this function's own, proved for every
        # input (top's recursion without a precondition a deeper call could break); a helper's
        # deeper activations (sum_to's a[5], six calls down) were "proved" by being dropped
        why = f"calls nested deeper than the inline depth ({ex.inline_depth}) in {info.name}()"
        # (inferred requires: pointer parameters; entry mode: globals hold values, not any input)
        if info.name != top or len(ex.frames) > ex.inline_depth + 8 or ex.mem.params or ex.entry_mode:
            ex.unsound_here(f"{why}: the deeper calls' checks are not made", st, e)
        if any(isinstance(v.ty, PointerType | ArrayType) for v in argv):
            ex.memory_access(f"memory passed to {info.name}() deeper than the inline depth", st, e)
            ex.havoc_all(st, "pointer passed to a call deeper than the inline depth")
        return unmodelled(ex, info.name, info, e, [], st, why=why)
    # inline
    frame = Frame(info, depth + 1)
    frame.call_span = ex.frames[1].call_span if len(ex.frames) > 1 else ex.span(e)
    # \\old / \\at(e, Pre) in the callee's own annotations: its entry, which is this call
    frame.old, frame.old_memory = ex.pre_state(st, bind(ex, info, argv), info.node)
    ex.frames.append(frame)
    inner = st.copy()
    try:
        for pname, v, decl in zip(info.param_names, argv, _param_decls(info), strict=False):
            ex.declare(pname, inner, v, decl)
        assert info.node is not None
        ex.stmt(info.node.body, inner)
        ex.unreached_labels(inner)
    finally:
        ex.frames.pop()
    rt = info.ftype.ret
    outs: list[State] = []
    vals: list[tuple[object, Val | None]] = []
    from analysis.engine.symexec import State as S

    for pc, rv, env in frame.returns:
        outs.append(S(pc, env))
        vals.append((pc, rv))
    outs.append(inner)
    vals.append((inner.pc, None))
    merged = ex.merge_states(outs)
    # drop the callee's locals from the caller's environment
    st.pc = merged.pc
    st.env = {k: v for k, v in merged.env.items() if k.startswith(("g:", "m:")) or k in st.env}
    if isinstance(rt, VoidType):
        return Val(rt, None)
    acc: Val | None = None
    for pc, returned in reversed(vals):
        if returned is not None:
            val = returned
        elif isinstance(rt, IntType):
            val = Val(rt, ex.fresh("noreturn", rt.bits))  # falling off a non-void function
        else:
            val = ex.havoc(rt, "noreturn")
        acc = val if acc is None else ex.ite_val(pc, val, acc)
    assert acc is not None
    return acc


def _param_decls(info: FuncInfo) -> list[c_ast.Node | None]:
    node = info.node
    if node is None or node.decl.type.args is None:
        return [None] * len(info.param_names)
    return [p for p in node.decl.type.args.params if isinstance(p, c_ast.Decl)]


def bind(ex: Executor, info: FuncInfo, argv: list[Val]) -> dict[str, Val]:
    return dict(zip(info.param_names, argv, strict=False))


def spec_eval(ex: Executor, expr: c_ast.Node, params: dict[str, Val], st: State, result: Val | None,
              old: dict[str, Val] | None = None, old_memory: dict[str, Val] | None = None) -> z3.BoolRef:
    """Evaluate an ACSL expression: params bound, \\result and \\old available, no UB checks.
    ``old``/``old_memory``: names and memory at the pre-state (default: the params, memory now)."""
    with spec_scope(ex, params, st, result, old, old_memory) as scratch:
        return ex.truth(ex.rvalue(expr, scratch), scratch, expr)


def assigns_footprint(ex: Executor, info: FuncInfo, params: dict[str, Val], st: State) -> Footprint:
    """The locations of ``info``'s ``assigns`` clauses, read in ``st`` with its parameters bound."""
    from analysis.engine.assigns import footprint

    with spec_scope(ex, params, st, None) as scratch:
        return footprint(ex, [loc for _span, locs in info.contract.assigns for loc in locs], scratch)


@contextlib.contextmanager
def spec_scope(ex: Executor, params: dict[str, Val], st: State, result: Val | None,
               old: dict[str, Val] | None = None, old_memory: dict[str, Val] | None = None) -> Iterator[State]:
    """A scratch state and frame in which ACSL is read: ``params`` bound, no UB checks."""
    from analysis.engine.symexec import Frame, FuncInfo
    from analysis.engine.symexec import State as S

    scratch = S(st.pc, dict(st.env))
    frame = Frame(FuncInfo("<spec>", None, FuncType(ex.dm.INT, ()), [], ex.frame.fn.contract if ex.frames else
                           None), 0)  # type: ignore[arg-type]
    frame.old = old if old is not None else dict(params)
    frame.old_memory = old_memory if old_memory is not None else {}
    for n, v in params.items():
        key = f"spec:{n}"
        frame.scopes[0][n] = key
        scratch.env[key] = v
    saved_result, saved_spec = ex.result, ex.spec
    ex.frames.append(frame)
    ex.result, ex.spec = result, True
    try:
        yield scratch
    finally:
        ex.frames.pop()
        ex.result, ex.spec = saved_result, saved_spec


def pseudo(ex: Executor, name: str, e: c_ast.FuncCall, args: list[c_ast.Node], st: State) -> Val:
    """The ``__pl_*`` calls the annotation rewriter puts in place of ACSL comments."""
    from analysis.engine.symexec import Val

    if name == "__pl_assert" or name == "__pl_assume":
        span = ex.annotations.get(_txt(args[0]))
        saved = ex.spec
        ex.spec = True
        try:
            c = ex.truth(ex.rvalue(args[1], st), st, args[1])
        finally:
            ex.spec = saved
        if name == "__pl_assume":
            st.pc = z3.And(st.pc, c)
        else:
            ex.check("assert.violated", z3.Not(c), st, e, [(_txt(args[1]), c)], span=span)
        return Val(VoidType(), None)
    if name == "__pl_implies" or name == "__pl_iff":
        a = ex.truth(ex.rvalue(args[0], st), st, args[0])
        b = ex.truth(ex.rvalue(args[1], st), st, args[1])
        return ex.bool_val(z3.Implies(a, b) if name == "__pl_implies" else a == b)
    if name == "__pl_old":
        # evaluate the argument with parameters and globals at their values on entry
        old = ex.frame.old
        scratch = st.copy()
        scratch.env.update(ex.frame.old_memory)  # memory as it was, not as the body left it
        ex.frame.scopes.append({n: f"old:{n}" for n in old})
        for n, v in old.items():
            scratch.env[f"old:{n}"] = v
        try:
            return ex.rvalue(args[0], scratch)
        finally:
            ex.frame.scopes.pop()
    if name in ("__pl_valid", "__pl_valid_read") and len(args) == 1:  # (writes: Memory.read_only_params)
        return ex.bool_val(ex.mem.spec_valid(args[0], st, write=name == "__pl_valid"))
    if name == "__pl_separated" and len(args) >= 2:
        return ex.bool_val(ex.mem.spec_separated(args, st))
    if name == "__pl_base_addr" and len(args) == 1:  # the start of the object the pointer points into
        pv = ex.pointer_rvalue(args[0], st)
        if pv is not None:
            from analysis.engine.memory import obj_of

            return Val(pv.ty, ex.mem.pointer(obj_of(pv.z), ex.bv(0, 64)))
    if name in ("__pl_invariant", "__pl_variant"):
        return Val(VoidType(), None)  # attached to loops by the statement walker
    if name == "__pl_unsupported_asm":
        ex.unsupported_here("inline assembly", st, e)
        ex.havoc_all(st, "asm")
        return Val(VoidType(), None)
    ex.unsupported_here(f"annotation {name}", st, e)
    return Val(VoidType(), None)


def _txt(e: c_ast.Node) -> str:
    from analysis.engine.symexec import _expr_text

    return _expr_text(e)
