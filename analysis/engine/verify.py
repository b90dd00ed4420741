"""Verify one function: parse -> collect declarations -> execute (exact and abstract) ->
solve each check -> termination of each loop -> results.

The answer of a check is decided in one place (:func:`decide`):
- refuted: satisfiable in the exact execution, on a path through nothing unmodelled;
- proved: unsatisfiable in the abstract execution (covers every execution), or in the exact
  one when no path was cut by the unrolling bound; never when an unsupported construct was met;
- unknown otherwise, with the reason.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.clock import Deadline
from analysis.ctypes import ArrayType, DataModel, FuncType, IntType, PointerType, StructType, VoidType
from analysis.engine.certificates import loops_certificate, unrolling_certificate
from analysis.engine.counterexample import counterexample, simpler_model, small_inputs
from analysis.engine.parse import parse_job
from analysis.engine.solve import solve
from analysis.engine.symexec import (
    CheckInst,
    Contract,
    Executor,
    Frame,
    FuncInfo,
    LoopRecord,
    State,
    Unsupported,
    Val,
)
from analysis.model import (
    CheckResult,
    FunctionResult,
    Pos,
    SourceError,
    Span,
    Status,
    kind_of,
    summarize,
    undefined_behaviour,
)
from analysis.z3context import new_context

if TYPE_CHECKING:
    from analysis.job import Job



@dataclass
class Program:
    """Declarations of one parsed job."""

    funcs: dict[str, FuncInfo]
    globals: dict[str, Any]
    global_inits: dict[str, c_ast.Node | None]
    typedefs: dict[str, Any]
    structs: dict[str, StructType]
    enums: dict[str, int]
    constants: frozenset[str] = frozenset()  # const-qualified globals: their initializer is their value
    # the template chosen per pointer parameter of the target (analysis.engine.memory), once known:
    # every later run of the function assumes the same precondition
    requires_choice: list[tuple[int, ...]] | None = None
    _sequencing: tuple[dict[int, str], dict[str, dict[str, bool]]] | None = None

    def sequencing(self) -> tuple[dict[int, str], dict[str, dict[str, bool]]]:
        """Order-dependent operators and each function's globals (analysis.engine.sequencing), once
        per parsed job: every run and every inlined call reads them."""
        if self._sequencing is None:
            from analysis.engine.sequencing import analyse_program

            self._sequencing = analyse_program({n: f.node for n, f in self.funcs.items()}, set(self.globals))
        return self._sequencing


def _const_object(t: c_ast.Node) -> bool:
    """A ``const`` (not ``volatile``) object: a const scalar or an array of const elements. A
    ``static const`` S-box never holds anything but its initializer, whatever the entry state."""
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    quals = getattr(t, "quals", None) or []
    return isinstance(t, c_ast.TypeDecl) and "const" in quals and "volatile" not in quals


def _collect(ast: c_ast.FileAST, dm: DataModel, annotations: dict[str, Span]) -> Program:
    """Walk the top level once: types, globals, functions and the contracts before them."""
    ctx = new_context()
    typer = Executor(ctx, dm, {}, {}, {}, {}, {}, {}, annotations, "exact", 0, 0)
    funcs: dict[str, FuncInfo] = {}
    globals_: dict[str, Any] = {}
    inits: dict[str, c_ast.Node | None] = {}
    constants: set[str] = set()
    pending = Contract()
    for ext in ast.ext:
        # a contract belongs to the declaration right after it, whatever that is (one before a
        # struct declaration went on to the next function, as the checker never reads it)
        written, pending = pending, Contract()
        try:
            if isinstance(ext, c_ast.Typedef):
                typer.typedefs[ext.name] = typer.type_of_decl(ext.type)
            elif isinstance(ext, c_ast.FuncDef):
                name = ext.decl.name
                if name == "__pl_contract":
                    pending = _contract_of(ext, annotations)
                    continue
                ft = typer.type_of_decl(ext.decl.type)
                if isinstance(ft, FuncType):
                    funcs[name] = FuncInfo(name, ext, ft, _param_names(ext.decl.type), written)
            elif isinstance(ext, c_ast.Decl):
                if isinstance(ext.type, c_ast.FuncDecl):
                    ft = typer.type_of_decl(ext.type)
                    if isinstance(ft, FuncType) and ext.name is not None and (
                            ext.name not in funcs or funcs[ext.name].node is None):
                        contract = written if (written.requires or written.ensures or written.assigns) else (
                            funcs[ext.name].contract if ext.name in funcs else Contract())
                        funcs[ext.name] = FuncInfo(ext.name, None, ft, _param_names(ext.type), contract)
                elif ext.name is None:
                    typer.type_of_decl(ext.type)
                else:
                    t = typer.type_of_decl(ext.type)
                    if isinstance(t, ArrayType) and t.size is None and ext.init is not None:
                        t = _sized_by_initializer(t, ext.init)
                    globals_[ext.name] = t
                    if _const_object(ext.type) and "extern" not in (ext.storage or []):
                        constants.add(ext.name)
                    if "extern" not in (ext.storage or []) or ext.init is not None:
                        inits[ext.name] = ext.init
                    else:
                        inits.setdefault(ext.name, None)
        except Unsupported:
            continue
    return Program(funcs, globals_, inits, typer.typedefs, typer.structs, typer.enums, frozenset(constants))


def _sized_by_initializer(t: ArrayType, init: c_ast.Node) -> ArrayType:
    """``T[] = "abc"`` or ``T[] = {1, 2, 3}``: the size the initializer gives (C11 6.7.9p22); an
    initializer whose length is not plain stays unsized (and its accesses unmodelled)."""
    from analysis.engine.symexec import string_literal_bytes

    data = string_literal_bytes(init)
    if data is not None:
        return ArrayType(t.elem, len(data))
    if isinstance(init, c_ast.InitList):
        from analysis.engine.symexec import braced

        full = braced(t, init)  # `int m[][3] = {1, 2, 3, 4}` has 2 rows
        if full is not None:
            return ArrayType(t.elem, len(full.exprs))
    return t


def _param_names(fd: c_ast.FuncDecl) -> list[str]:
    if fd.args is None:
        return []
    return [p.name for p in fd.args.params if isinstance(p, c_ast.Decl) and p.name]


def _contract_of(fdef: c_ast.FuncDef, annotations: dict[str, Span]) -> Contract:
    c = Contract()
    for item in fdef.body.block_items or []:
        if isinstance(item, c_ast.FuncCall) and isinstance(item.name, c_ast.ID) and item.args is not None:
            args = item.args.exprs
            ann = args[0].value if args and isinstance(args[0], c_ast.Constant) else "?"
            span = annotations.get(ann, Span(Pos(item.coord.line, 1), Pos(item.coord.line, 2)))
            if item.name.name == "__pl_assigns" and args:
                c.assigns.append((span, list(args[1:])))
                continue
            if item.name.name == "__pl_frees":
                c.frees = True
                continue
            if len(args) != 2:
                continue
            {"__pl_requires": c.requires, "__pl_ensures": c.ensures,
             "__pl_decreases": c.decreases}.get(item.name.name, []).append((span, args[1]))
    return c


# ---------------------------------------------------------------------------------------


def verify_function(job: Job, entry_mode: bool = False) -> FunctionResult:
    start = time.perf_counter()
    target = job.target
    name_span = target.name_span or target.span
    annotations = {k: v for u in (*job.context, target) for k, v in u.annotations}
    parsed = parse_job(job.context, target)
    # declarations dropped for an attribute the engine does not model: why a function using them fails
    unmodelled = [e.message for e in parsed.dropped if e.message.startswith("unsupported:")]
    if parsed.ast is None:
        err = parsed.target_error
        assert err is not None
        if unmodelled and not err.message.startswith("unsupported:"):
            err = SourceError(f"{err.message} (it may use a declaration that was left out: {'; '.join(unmodelled)})",
                              err.span, err.severity)
        return FunctionResult(job.function, target.span, name_span, (), 0.0, (err,))
    dm = DataModel(job.options.data_model)
    prog = _collect(parsed.ast, dm, annotations)
    info = prog.funcs.get(job.function)
    if info is None or info.node is None:
        return FunctionResult(job.function, target.span, name_span, (), 0.0, (
            SourceError(f"could not analyse {job.function}", name_span),))
    lines = _source_lines(target.text)
    unsupported: list[tuple[str, Span | None]] = []
    requires: list[str] = []
    checks = analyse(prog, info, dm, job, annotations, lines, entry_mode, unsupported, requires)
    if unsupported and unmodelled:
        unsupported.extend((what, None) for what in unmodelled)
    errors: tuple[SourceError, ...] = ()
    if unsupported and summarize(tuple(checks)) is Status.PROVED:
        # no check carries it (none, or only dead ones): without a word the function would read
        # "proved" over a construct nothing checked (a float converted to int, _Generic, ...)
        what, where = unsupported[0]
        errors = (SourceError(f"not verified: unsupported {what}", where or name_span, "warning"),)
    elif checks and info.contract.requires and all(c.status is Status.PROVED and c.unreachable for c in checks):
        # every check holds because no input satisfies the precondition: nothing was verified
        errors = (SourceError("not verified: no check is reachable under the requires clause (is it unsatisfiable?)",
                              info.contract.requires[0][0] or name_span, "warning"),)
    return FunctionResult(job.function, target.span, name_span, tuple(checks),
                          (time.perf_counter() - start) * 1000, errors,
                          unsupported=tuple(dict.fromkeys(what for what, _ in unsupported)),
                          inferred_requires=tuple(requires))


def _source_lines(text: str) -> dict[int, str]:
    """Original line number -> preprocessed text of that line (for end columns)."""
    out: dict[int, str] = {}
    line = 1
    for raw in text.split("\n"):
        if raw.startswith("#"):
            parts = raw.split()
            if len(parts) >= 2 and parts[1].isdigit():
                line = int(parts[1])
                continue
        out[line] = raw
        line += 1
    return out


def _substitute_all(terms: list[Any], pairs: list[tuple[Any, Any]]) -> list[Any]:
    """``z3.substitute`` over many formulas at once: they share most of their DAG (one path
    condition under every check of an unrolling), and one call walks it once, where one call per
    formula walked it again each time (length() of a list: 2,862 calls, 3.5 s). The formulas ride
    as the arguments of one uninterpreted application, which nothing simplifies away."""
    if not terms:
        return []
    out: list[Any] = []
    chunk = 1024  # (a declaration's arity stays modest)
    for k in range(0, len(terms), chunk):
        part = terms[k:k + chunk]
        ctx = part[0].ctx
        pack = z3.Function("pl!pack", *[t.sort() for t in part], z3.BoolSort(ctx))
        packed = z3.substitute(pack(*part), *pairs)
        out += [packed.arg(i) for i in range(len(part))]
    return out


class Run:
    """One execution of the target function in one mode."""

    def __init__(self, prog: Program, info: FuncInfo, dm: DataModel, ctx: z3.Context, mode: str, job: Job,
                 annotations: dict[str, Span], lines: dict[int, str], invariant_for: Any = None,
                 entry_mode: bool = False, wanted: set[tuple[str, Span]] | None = None,
                 deadline: Deadline | None = None) -> None:
        cpu0 = time.process_time()
        opts = job.options
        self.entry_mode = entry_mode
        self.ex = Executor(ctx, dm, prog.funcs, prog.globals, prog.global_inits, dict(prog.typedefs),
                           dict(prog.structs), dict(prog.enums), annotations, mode, opts.unroll,
                           opts.inline_depth, entry_mode=entry_mode, invariant_for=invariant_for)
        self.ex.lines = lines
        self.ex.deadline = deadline
        self.ex.unsequenced, self.ex.globals_used = prog.sequencing()
        self.ex.const_keys.update("g:" + name for name in prog.constants)
        self.info = info
        self.constants = prog.constants
        self.error: Unsupported | None = None
        self.params: list[tuple[str, Val]] = []
        self.globals_in: list[tuple[str, Val]] = []
        try:
            self._run()
            if prog.requires_choice is not None:
                self.assume_requires(prog.requires_choice, wanted)
        except Unsupported as e:
            self.error = e
        except (RecursionError, z3.Z3Exception) as e:
            self.error = Unsupported(f"too complex to encode ({type(e).__name__})", None)
        self.cpu_s = time.process_time() - cpu0  # what a deeper run is predicted from

    def _run(self) -> None:
        ex, info = self.ex, self.info
        ex.frames.append(Frame(info, 1))
        st = State(ex.true(), {})
        for gname, gt in ex.globals.items():
            if self.entry_mode or gname in self.constants:
                st.env["g:" + gname] = self._initial(gname, gt, st)
                continue
            # "g:" in the terms' names: memory.py tells a global pointer's entry value by it
            v = ex.havoc(gt, "g:" + gname)
            st.env["g:" + gname] = v
            self.globals_in.append((gname, v))
        self._static_locals(st)
        decls = info.node.decl.type.args.params if info.node and info.node.decl.type.args else []
        for p in decls:
            if not isinstance(p, c_ast.Decl) or not p.name:
                continue
            t = ex.type_of_decl(p.type)
            if isinstance(t, VoidType):
                continue
            if isinstance(t, ArrayType):  # a parameter declared as an array is a pointer (C11 6.7.6.3p7)
                t = PointerType(t.elem)
            v = (ex.mem.parameter(p.name, t, st) if isinstance(t, PointerType) and not self.entry_mode else None) \
                or ex.havoc(t, p.name)
            ex.declare(p.name, st, v, p)
            self.params.append((p.name, v))
        if ex.mem.params and not info.contract.requires:  # a user-written requires replaces the inferred one
            ex.mem.add_templates([(n, v) for n, v in self.params if isinstance(v.ty, IntType)], st)
        ex.frame.old, ex.frame.old_memory = ex.pre_state(st, dict(self.params), info.node,
                                                         *(expr for _span, expr in info.contract.ensures))
        if self.entry_mode and self.params:
            ex.mark("arguments of the entry function", st, None)
        if info.name == "main" and len(self.params) >= 2 and isinstance(self.params[0][1].ty, IntType) and \
                self.params[0][1].z is not None and self.params[1][1].z is not None and \
                isinstance(self.params[1][1].ty, PointerType):
            # what the program's start guarantees (C11 5.1.2.2.1p2): argc >= 0 and argv points to
            # argc + 1 pointers; refuted with argv == NULL, main "failed" where no run can
            argc, argv = self.params[0][1], self.params[1][1]
            st.pc = z3.And(st.pc, argc.z >= 0, argv.z != ex.bv(0, argv.z.size()))
        from analysis.engine.assigns import frame_violation
        from analysis.engine.calls import assigns_footprint, spec_eval

        params = dict(self.params)
        ex.mem.grant_read_only([expr for _span, expr in info.contract.requires])
        for _span, expr in info.contract.requires:
            st.pc = z3.And(st.pc, spec_eval(ex, expr, params, st, None))
        # what the assigns clause lists, read at entry, and everything as it was then
        footprint = assigns_footprint(ex, info, params, st) if info.contract.assigns else None
        entry_env = dict(st.env) if footprint is not None else {}
        assert info.node is not None
        ex.stmt(info.node.body, st)
        ex.unreached_labels(st)
        # the function's own postconditions at every return (and at the closing brace)
        rt = info.ftype.ret
        ends: list[tuple[Any, Val | None, dict[str, Val]]] = [*ex.frame.returns, (st.pc, None, st.env)]
        ex.mem.leak_checks(ends)
        for span, expr in info.contract.ensures:
            for pc, returned, env in ends:
                if z3.is_false(pc):
                    continue
                rv = ex.havoc(rt, "noreturn") if returned is None and not isinstance(rt, VoidType) else returned
                s2 = State(pc, dict(env))
                c = spec_eval(ex, expr, params, s2, rv, old=ex.frame.old, old_memory=ex.frame.old_memory)
                ex.check("postcondition.violated", z3.Not(c), s2, None,
                         [("\\result", rv.z)] if rv is not None and rv.z is not None else [], span=span)
        if footprint is not None:
            for pc, _returned, env in ends:
                if z3.is_false(pc):
                    continue
                bad, unsure, why = frame_violation(ex, footprint, entry_env, env, info.contract.frees)
                if z3.is_false(bad):  # nothing can change: still a check the user wrote, shown proved
                    bad = z3.And(bad, z3.BoolVal(True, ex.ctx))
                ex.check("assigns.violated", bad, State(pc, dict(env)), None, span=info.contract.assigns[0][0],
                         maybe=None if z3.is_false(unsure) else (why, unsure))


    def assume_requires(self, choice: list[tuple[int, ...]], wanted: set[tuple[str, Span]] | None = None) -> None:
        """Fix the precondition's templates in every check of this run (chosen: assumed), or in
        the ``wanted`` ones only (a deeper run asked about a few checks: substituting in all of
        a deep unrolling's formulas took 32 of read_ints' 70 s)."""
        from analysis.engine.memory import selectors

        pairs = selectors(self.ex.mem, choice)
        if not pairs:
            return
        checks = [c for c in self.ex.checks if wanted is None or (c.id, c.span) in wanted]
        # the paths through something approximated, too: left with free templates, a model could
        # falsify them (a selector set, its template's condition not) and read a violation that
        # depends on an unmodelled call as a real one
        terms = [c.cond for c in checks] + [c.pc for c in checks if c.pc is not None] + \
            [c.caveat[1] for c in checks if c.caveat is not None] + [pc for _w, pc, _s in self.ex.markers]
        done = iter(_substitute_all(terms, pairs))
        for c in checks:
            c.cond = next(done)
        for c in checks:
            if c.pc is not None:
                c.pc = next(done)
        for c in checks:
            if c.caveat is not None:
                c.caveat = (c.caveat[0], next(done))
        self.ex.markers[:] = [(what, next(done), span) for what, _pc, span in self.ex.markers]

    def _static_locals(self, st: State) -> None:
        """Every static local of the program is one object, like a global (C11 6.2.4p3): each
        gets one environment key, bound by every execution of its declaration (an inlined
        callee called twice shares it). In entry mode it starts at its initializer (or zero);
        per function its value is what earlier calls left, arbitrary, and a path on which it
        differs from its initial value is marked: no harness can set it, so only a violation
        with every static local at its initial value (the harness's first call) is replayable."""
        ex = self.ex
        differs: list[Any] = []
        for fname in _reachable(ex.funcs, self.info.name):
            f = ex.funcs[fname]
            if f.node is None:
                continue
            for d in _static_decls(f.node.body):
                t = ex.type_of_decl(d.type)
                key = f"g:{d.name}#static.{fname}.{id(d)}"
                ex.static_keys[id(d)] = key
                ex.static_names.add(d.name)
                init = self._initial_of(d.name, t, d.init, st)
                if self.entry_mode:
                    st.env[key] = init
                    continue
                v = ex.havoc(t, key)
                st.env[key] = v
                same = _same_value(ex, v, init)
                differs.append(z3.BoolVal(True, ex.ctx) if same is None else z3.Not(same))
        if differs:
            ex.mark("the value a static local kept from earlier calls (a harness cannot set it)",
                    State(z3.Or(*differs), st.env), None)

    def _initial(self, name: str, t: Any, st: State) -> Val:
        """A global's value at program start: its initializer, or zero (C11 6.7.9p10)."""
        return self._initial_of(name, t, self.ex.global_inits.get(name), st)

    def _initial_of(self, name: str, t: Any, init: c_ast.Node | None, st: State) -> Val:
        ex = self.ex
        if init is None:
            return ex.zero(t)
        if isinstance(init, c_ast.InitList):
            return ex.init_list(t, init, st)
        literal = ex.string_array(t, init) if isinstance(t, ArrayType) else None
        if literal is not None:
            return literal
        if isinstance(t, ArrayType):
            ex.unsupported_here("array initialised from an expression", st, init)
            return ex.havoc(t, name)
        v = ex.rvalue(init, st)
        return ex.convert(ex.as_int(v, st, init) if isinstance(t, IntType) else v, t, st, init)


def _reachable(funcs: dict[str, FuncInfo], top: str) -> list[str]:
    """The functions with a body that a call from ``top`` may run (itself included), sorted."""
    seen: set[str] = set()
    todo = [top]
    while todo:
        name = todo.pop()
        f = funcs.get(name)
        if name in seen or f is None or f.node is None:
            continue
        seen.add(name)
        stack: list[c_ast.Node] = [f.node.body]
        while stack:
            n = stack.pop()
            if isinstance(n, c_ast.ID) and n.name in funcs:  # called, or its address taken
                todo.append(n.name)
            stack.extend(c for _, c in n.children())
    return sorted(seen)


def _static_decls(body: c_ast.Node) -> list[c_ast.Decl]:
    """The block-scope ``static`` objects declared in a function body."""
    out: list[c_ast.Decl] = []
    stack: list[c_ast.Node] = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, c_ast.Decl) and n.name is not None and "static" in (n.storage or []) and \
                "extern" not in (n.storage or []) and not isinstance(n.type, c_ast.FuncDecl):
            out.append(n)
        stack.extend(c for _, c in n.children())
    out.sort(key=lambda d: (d.coord.line, d.coord.column or 0) if d.coord is not None else (0, 0))
    return out


def _same_value(ex: Executor, a: Val, b: Val) -> Any:
    """``a == b`` for values of integers (and structs and arrays of them); None when not comparable."""
    if a.fields is not None and b.fields is not None and set(a.fields) == set(b.fields):
        parts = [_same_value(ex, a.fields[k], b.fields[k]) for k in a.fields]
        return None if any(p is None for p in parts) else z3.And(*parts, ex.ctx)
    if a.z is not None and b.z is not None and a.z.sort() == b.z.sort():
        return a.z == b.z
    return None


# ---------------------------------------------------------------------------------------


# CPU seconds per check timeout that one function's phases share (runs, precondition choice, the
# checks, deeper unrolling): past it the checks not yet decided are unknown, and the function keeps
# the answers it has, instead of all of them being lost to the runner's wall-clock cap
FUNCTION_BUDGET_PER_TIMEOUT = 10


def function_budget(timeout: float) -> float:
    return FUNCTION_BUDGET_PER_TIMEOUT * timeout


def analyse(prog: Program, info: FuncInfo, dm: DataModel, job: Job, annotations: dict[str, Span],
            lines: dict[int, str], entry_mode: bool = False, unsound: list[tuple[str, Span | None]] | None = None,
            requires: list[str] | None = None) -> list[CheckResult]:
    opts = job.options
    budget = Deadline(function_budget(opts.timeout))
    ctx = new_context()
    exact = Run(prog, info, dm, ctx, "exact", job, annotations, lines, entry_mode=entry_mode)
    if exact.error is not None:
        if unsound is not None:
            unsound.append((exact.error.what, None))
        return [_whole_unknown(exact.error, job)]
    ex = exact.ex
    limits = (opts.timeout, opts.rlimit)
    complete = _Completeness(ctx, ex.exhausted, limits)
    reach = _Reachability(ctx, limits)
    # loops the unrolling exhausted on every path (constant bounds) need no abstraction
    need_abstract = any(not z3.is_false(e) for e in ex.exhausted) or any(f.contract.replaces_call(f.node is not None)
                                                  for f in prog.funcs.values())
    from analysis.engine.invariant_requests import InvariantOracle

    oracle = InvariantOracle(opts)
    abstract = Run(prog, info, dm, ctx, "abstract", job, annotations, lines, oracle,
                   entry_mode=entry_mode) if need_abstract else None
    if abstract is not None and abstract.error is not None:
        if unsound is not None:
            unsound.append((abstract.error.what, None))
        return [_whole_unknown(abstract.error, job)]
    if ex.mem.params and prog.requires_choice is None:
        from analysis.engine.memory import choose_requires

        runs = [exact, *([abstract] if abstract is not None else [])]
        prog.requires_choice = choose_requires([r.ex.mem for r in runs], [r.ex.checks for r in runs],
                                               min(opts.timeout, 1.0))
        for r in runs:
            r.assume_requires(prog.requires_choice)
    groups: dict[tuple[str, Span], list[list[CheckInst]]] = {}
    for ci in ex.checks:
        groups.setdefault((ci.id, ci.span), [[], []])[0].append(ci)
    if abstract is not None:
        for ci in abstract.ex.checks:
            groups.setdefault((ci.id, ci.span), [[], []])[1].append(ci)
    unsupported = list(ex.unsupported) + (abstract.ex.unsupported if abstract else [])
    if unsound is not None:
        unsound.extend(unsupported)
    results: list[CheckResult] = []
    for (cid, span), (exact_insts, abs_insts) in groups.items():
        if cid == "memory.unmodelled":
            what = (exact_insts or abs_insts)[0].note
            results.append(CheckResult(cid, Status.UNKNOWN, span, reason=f"unsupported: {what}"))
            continue
        if not opts.kind_enabled(kind_of(cid).value) and not cid.startswith("invariant."):
            # still explored (its path cut stands), just not decided; a user's loop invariant is
            # decided whatever is shown: the other proofs assume it
            continue
        t0 = time.perf_counter()
        if budget.expired():
            results.append(CheckResult(cid, Status.UNKNOWN, span, reason=(
                f"the function's time budget ran out before this check ({function_budget(opts.timeout):g} s of CPU, "
                f"{FUNCTION_BUDGET_PER_TIMEOUT} check timeouts)")))
            continue
        results.append(decide(cid, span, exact, exact_insts, abstract, abs_insts, complete, unsupported,
                              oracle, limits, reach, t0))
    results = deepen(results, prog, info, dm, ctx, job, annotations, lines, entry_mode, exact, reach, budget)
    if requires is not None:
        from analysis.engine.memory import requires_text
        from analysis.engine.sequencing import writes_through

        used = prog.sequencing()[1].get(info.name, {})
        written = {p.name for p in ex.mem.params if info.node is not None and writes_through(info.node, p.name)}
        requires.extend(requires_text(ex.mem, prog.requires_choice or [],
                                      {g: (prog.globals[g], w) for g, w in used.items() if g in prog.globals}, written))
    results = certified_all([_with_requires(r, requires or []) for r in _beside_unmodelled(results)], job, entry_mode)
    if opts.termination and opts.kind_enabled("termination"):
        from analysis.engine.termination import recursion_checks, termination_checks

        terms = certified_all(termination_checks(exact, abstract, info, job, limits, unsupported), job, entry_mode)
        results += _assumptions_refuted(terms, results, exact)
        results += certified_all(recursion_checks(exact, abstract, limits, unsupported), job, entry_mode)
    results = _assumed_invariants(results)
    results.sort(key=lambda r: (r.span.start.line, r.span.start.column, r.id))
    results = _not_dead_when_blocked(results)
    # unmodelled memory stays visible whatever kinds are enabled: hiding it would show a tick
    return [r for r in results if opts.kind_enabled(r.kind.value) or r.id == "memory.unmodelled"]


def _assumed_invariants(results: list[CheckResult]) -> list[CheckResult]:
    """A user's loop invariant is assumed at its loop's head (the abstract run, the checker's cut
    loops): a proof resting on one that is not itself proved (initiation and consecution) is no
    proof. Only a complete unrolling, where the invariant is checked but never assumed, stands;
    an invariant's own checks do not depend on its failure (another invariant's may)."""
    failing: dict[Span, str] = {}
    for r in results:
        if r.id.startswith("invariant.") and r.status is not Status.PROVED:
            failing.setdefault(r.span, f"{r.id}: {r.status.value}")
    if not failing:
        return results
    out = []
    for r in results:
        method = (r.certificate or {}).get("method")
        blockers = [(sp, why) for sp, why in failing.items() if not (r.id.startswith("invariant.") and sp == r.span)]
        if r.status is Status.PROVED and blockers and method != "unrolling":
            sp, why = blockers[0]
            r = dataclasses.replace(r, status=Status.UNKNOWN, reason=(
                f"the proof assumes the loop invariant at line {sp.start.line}, which is not proved ({why})"))
        out.append(r)
    return out


def _with_requires(r: CheckResult, requires: list[str]) -> CheckResult:
    """A proof under the inferred precondition says so in its certificate (the checker assumes it)."""
    if not requires or r.certificate is None:
        return r
    return dataclasses.replace(r, certificate={**r.certificate, "requires": list(requires)})


def certified_all(results: list[CheckResult], job: Job, entry_mode: bool) -> list[CheckResult]:
    """The de Bruijn gate: a safety proof stands only if the independent checker, which shares no
    encoding with this engine, accepts its certificate; otherwise the check is unknown. The
    checker walks the function once per distinct certificate, not once per check."""
    from analysis.certify import Claim, check_certificates

    out = list(results)
    asked: list[int] = []
    for i, r in enumerate(results):
        if r.status is not Status.PROVED:
            continue
        if r.certificate is None:
            out[i] = dataclasses.replace(r, status=Status.UNKNOWN, reason=(
                f"proved by {r.witness or 'the engine'}, but this kind of proof has no certificate the "
                "independent checker can check yet"))
            continue
        asked.append(i)
    certs = [{**results[i].certificate, "entry": entry_mode} for i in asked]  # type: ignore[dict-item]
    verdicts = check_certificates(job, [Claim(results[i].id, results[i].span.start.line,
                                              results[i].span.start.column, cert)
                                        for i, cert in zip(asked, certs, strict=True)])
    for i, cert, verdict in zip(asked, certs, verdicts, strict=True):
        r = results[i]
        if not verdict.accepted:
            # outside the checker's fragment or out of time: not certified (a limit); anything else is
            # a rejection: the engine's argument is wrong (a bug the test suite fails on)
            limit = verdict.reason.startswith(("checker: unsupported", "checker: solver gave up",
                                               "checker: time limit"))
            why = f"not certified ({verdict.reason})" if limit else f"certificate rejected: {verdict.reason}"
            out[i] = dataclasses.replace(r, status=Status.UNKNOWN, certificate=cert, reason=why,
                                         time_ms=r.time_ms + verdict.time_ms)
        else:
            out[i] = dataclasses.replace(r, certificate={**cert, "checked_ms": round(verdict.time_ms, 1)},
                                         time_ms=r.time_ms + verdict.time_ms)
    return out


ACCESS_CHECKS = ("memory.null", "memory.use-after-free", "memory.bounds")


def _beside_unmodelled(results: list[CheckResult]) -> list[CheckResult]:
    """A check is named by its id and place, and covers every access there: in ``b->data[i] = c``
    the read of ``b->data`` is checked, the write through it is not modelled. A proof of the
    read's NULL or bounds check would claim the place safe, so it is unknown where an access at
    the same place is not modelled (the checker, which sees both accesses, rejects it anyway)."""
    there = {r.span.start for r in results if r.id == "memory.unmodelled"}
    # (and two accesses at one place, ``p->first[0]``: the read of the member and the write)
    open_checks = {(r.id, r.span.start) for r in results if r.status is not Status.PROVED}

    def downgraded(r: CheckResult) -> CheckResult:
        if r.status is not Status.PROVED or r.id not in ACCESS_CHECKS:
            return r
        if r.span.start in there:
            why = "another access at this place is not modelled (memory.unmodelled)"
        elif (r.id, r.span.start) in open_checks:
            why = "another access at this place is not proved"
        else:
            return r
        return dataclasses.replace(r, status=Status.UNKNOWN, certificate=None, unreachable=False, reason=why)

    return [downgraded(r) for r in results]


def _not_dead_when_blocked(results: list[CheckResult]) -> list[CheckResult]:
    """``100 / 0``: the overflow check after the division-by-zero check is unreachable only
    because that one must fail first. That is not dead code: the flag is for code no execution
    reaches, so it is dropped when another check at the same place is not proved."""
    open_at = {r.span.start for r in results if r.status is not Status.PROVED}
    return [dataclasses.replace(r, unreachable=False) if r.unreachable and r.span.start in open_at else r
            for r in results]


def _assumptions_refuted(terms: list[CheckResult], results: list[CheckResult], exact: Run) -> list[CheckResult]:
    """A termination argument covers the runs without undefined behaviour. When a UB check inside
    the loop is refuted, some run leaves that set: the proof stands for the others, and says so
    in its witness (lens and hover), so that nobody reads it as "this loop always ends"."""
    loops = {r.keyword_span: r.span for r in exact.ex.loops}
    out = []
    for t in terms:
        body = loops.get(t.span)
        bad = [r for r in results if body is not None and r.status is Status.REFUTED and undefined_behaviour(r.id)
               and body.start <= r.span.start <= body.end]
        if t.status is Status.PROVED and bad:
            b = bad[0]
            t = dataclasses.replace(
                t, witness=f"only for runs without undefined behaviour, and {b.id} at line {b.span.start.line} "
                           f"is refuted: {t.witness}")
        out.append(t)
    return out


def _whole_unknown(err: Unsupported, job: Job) -> CheckResult:
    span = err.span or job.target.name_span or job.target.span
    return CheckResult("assert.violated", Status.UNKNOWN, span, message=f"function not analysed: {err.what}",
                       reason=f"unsupported: {err.what}")


DEEPER_BOUNDS = (48, 200, 800)
# a check whose exact search ran out of time is first searched with loops unrolled this little:
# a short counterexample (here: zero or one iteration) drowns in the formula of twelve unrollings
SHALLOW_BOUNDS = (2,)
# an invariant found for another check of the function is tried this long before a search of its own
REUSE_TIMEOUT_S = 1.0
# an exact query that timed out is asked again with small inputs for this long
SMALL_RETRY_S = 1.0

# deeper unrolling gets one check timeout of CPU, at most this many seconds (less if the function's
# budget has less left). Its finds are shallow loops with constant bounds past the unrolling,
# found fast: on 102 campaign programs, 7 functions decided by it, each within 0.9 s; on the test
# corpus (625 functions) and the memory corpus (128), none, for 30 s and 48 s of CPU (at one
# 5 s timeout: the runs that fill it are large unrollings whose searches give up)
DEEPEN_BUDGET_S = 2.0


def deepen(results: list[CheckResult], prog: Program, info: FuncInfo, dm: DataModel, ctx: Any, job: Job,
           annotations: dict[str, Span], lines: dict[int, str], entry_mode: bool, exact: Run,
           reach: _Reachability, budget: Deadline | None = None) -> list[CheckResult]:
    """Checks still unknown after a cut loop: unroll further (bug finding, or a complete proof
    when every loop ends within the bound), within a time budget of a check timeout, at most
    ``DEEPEN_BUDGET_S``. A check whose search gives up at one bound is not searched at a larger one."""
    opts = job.options
    pending = {(r.id, r.span) for r in results if r.status is Status.UNKNOWN and not (
        r.reason or "").startswith(("unsupported", "the function's time budget"))}
    if not pending or not any("loops" in c for c in exact.ex.cut_reasons):
        return results
    # CPU time, as every budget of the engine: the same answer on a busy machine
    allowed = min(opts.timeout, DEEPEN_BUDGET_S)
    deadline = Deadline(min(allowed, budget.remaining() if budget is not None else allowed))
    limits = (opts.timeout, opts.rlimit)
    decided: dict[tuple[str, Span], CheckResult] = {}
    timed_out = any(r.status is Status.UNKNOWN and "timeout" in (r.reason or "") for r in results)
    bounds = [b for b in SHALLOW_BOUNDS if timed_out and b < opts.unroll] + [b for b in DEEPER_BOUNDS if b > opts.unroll]
    last_bound, last_cpu = opts.unroll, exact.cpu_s
    for bound in bounds:
        # a run grows at least linearly with its bound: one that cannot end within the budget is
        # not started (read_ints' run at 48 took 47 s of a 10 s budget, once in two)
        if deadline.expired() or not pending or last_cpu * bound / max(last_bound, 1) > deadline.remaining():
            break
        t0 = time.perf_counter()
        deeper_job = dataclasses.replace(job, options=dataclasses.replace(opts, unroll=bound))
        run = Run(prog, info, dm, ctx, "exact", deeper_job, annotations, lines, entry_mode=entry_mode,
                  wanted=set(pending), deadline=deadline)
        if run.error is not None:
            break
        last_bound, last_cpu = bound, run.cpu_s
        complete = _Completeness(ctx, run.ex.exhausted, limits)
        for key in list(pending):
            insts = [c for c in run.ex.checks if (c.id, c.span) == key]
            if not insts or deadline.expired():
                continue
            status, inst, model, _why = _exact_search(ctx, insts, limits, integers=False, deadline=deadline)
            if status == "unknown":
                pending.discard(key)  # (a deeper unrolling is only harder)
            elif status == "sat" and _touched_marker(run.ex, inst, model) is None:
                model = _readable(run, inst, model)
                decided[key] = CheckResult(key[0], Status.REFUTED, key[1],
                                           counterexample=counterexample(run, inst, model), time_ms=_ms(t0))
                pending.discard(key)
            elif status == "unsat" and complete and not run.ex.unsupported:
                dead = reach.unreached(insts)
                decided[key] = CheckResult(key[0], Status.PROVED, key[1],
                                           witness=f"every loop ends within {bound} iterations", time_ms=_ms(t0),
                                           certificate=unrolling_certificate(bound, dead),
                                           unreachable=dead and key[0] != "reach-error.reachable")
                pending.discard(key)
        if not any("loops" in c for c in run.ex.cut_reasons):
            break
    return [decided.get((r.id, r.span), r) for r in results]


class _Completeness:
    """Did the exact run explore every path (no loop or recursion cut by its bound)?

    Asked only when an exact query is unsatisfiable and nothing else proved the check: the
    question is as large as the whole unrolling."""

    def __init__(self, ctx: Any, cuts: list[Any], limits: tuple[float, int]) -> None:
        self.ctx, self.cuts, self.limits = ctx, cuts, limits
        self.answer: bool | None = None if any(not z3.is_false(c) for c in cuts) else True

    def __bool__(self) -> bool:
        if self.answer is None:
            self.answer = solve(self.ctx, z3.Or(*self.cuts), *self.limits).status == "unsat"
        return self.answer


def decide(cid: str, span: Span, exact: Run, exact_insts: list[CheckInst], abstract: Run | None,
           abs_insts: list[CheckInst], complete: Any, unsupported: list[tuple[str, Span | None]],
           oracle: Any, limits: tuple[float, int], reach: _Reachability, t0: float) -> CheckResult:
    ctx = exact.ex.ctx
    reasons: list[str] = []
    trusted = not unsupported

    def proved(witness: str | None, cert: dict[str, Any] | None, pcs: list[CheckInst] | None) -> CheckResult:
        """A proof, with its certificate; dead code (no path reaches the check) says so."""
        # (a leak check's instances are the blocks its call made: none made is no leak, but the
        # call is reached, and the checker asks the condition at every way out)
        dead = cid != "memory.leak" and (pcs is None or reach.unreached(pcs))
        if dead and exact_insts and pcs is not None and pcs is not exact_insts and \
                solve(ctx, z3.Or(*[c.pc for c in exact_insts]), *limits).status == "sat":
            # the bounded exact execution reaches what the proof calls unreachable: never a tick
            return CheckResult(cid, Status.UNKNOWN, span, time_ms=_ms(t0),
                               reason="internal: an unreachability claim is contradicted by the bounded execution")
        if dead and cert is not None:
            cert = {**cert, "unreachable": True}
        # reaching reach_error() is the violation itself: its unreachability is the property, not dead code
        return CheckResult(cid, Status.PROVED, span, witness=witness, time_ms=_ms(t0), certificate=cert,
                           unreachable=dead and cid != "reach-error.reachable")

    # a check the abstract run can never prove (its whole instance is only a "may be"): the
    # exact run alone may still refute it; no invariant is searched for
    hopeless = [c.caveat[0] for c in abs_insts if c.caveat is not None and z3.is_true(c.caveat[1])]
    if hopeless:
        reasons.append(hopeless[0])
        abstract, abs_insts = None, []
    # 1. a proof from the abstract run: one iteration per loop, cheap when it works
    abs_formula = None
    if abstract is not None and trusted:
        if not abs_insts:  # unreachable even in the over-approximation
            return proved(None, loops_certificate(abstract.ex.cert_loops), None)
        abs_formula = z3.Or(*[c.cond for c in abs_insts])
        out = solve(ctx, abs_formula, *limits)
        if out.status == "unsat":
            return proved(_witness(abstract), loops_certificate(abstract.ex.cert_loops), abs_insts)
        if out.status == "unknown":
            reasons.append(out.reason or "solver unknown")
    # 2. a bug in the exact run, shallow loop iterations first
    if exact_insts:
        status, inst, model, why = _exact_search(ctx, exact_insts, limits, small=small_inputs(exact, 4))
        if status == "sat":
            taint = _touched_marker(exact.ex, inst, model)
            if taint is not None:
                # another violation, on a path through nothing approximated, may exist
                avoid = [cond for _why, cond in exact.ex.taints(inst)]
                again = solve(ctx, z3.And(inst.cond, z3.Not(z3.Or(*avoid))), *limits)
                if again.status == "sat" and _touched_marker(exact.ex, inst, again.model) is None:
                    taint, model = None, again.model
            if taint is None:
                model = _readable(exact, inst, model)
                return CheckResult(cid, Status.REFUTED, span, counterexample=counterexample(exact, inst, model),
                                   time_ms=_ms(t0))
            reasons.append(f"a violation depends on {taint}")
            # the abstract run over-approximates the exact one, approximations included: an
            # invariant cannot rule out what the exact run reaches (a list walk's loaded pointers:
            # 9 of length()'s 14 s went to Spacer here)
            abs_formula = None
        elif status == "unsat" and complete and trusted:
            return proved(None, unrolling_certificate(exact.ex.bound), exact_insts)
        elif status == "unknown":
            reasons.append(why or "solver unknown")
    elif complete and trusted and abstract is None:
        return proved(None, unrolling_certificate(exact.ex.bound), None)
    # 3. a loop invariant aimed at this very check
    if abstract is not None and abs_formula is not None:
        quick = (min(limits[0], REUSE_TIMEOUT_S), limits[1])
        for strengthened, per_loop, adopt in oracle.earlier(abstract.ex.loops):
            if solve(ctx, z3.And(abs_formula, strengthened), *quick).status == "unsat":
                adopt()
                return proved(_witness(abstract), loops_certificate(abstract.ex.cert_loops, per_loop), abs_insts)
        strengthened, per_loop = oracle.strengthen(abstract.ex.loops, abs_formula, limits)
        if strengthened is not None:
            out2 = solve(ctx, z3.And(abs_formula, strengthened), *limits)
            if out2.status == "unsat":
                return proved(_witness(abstract), loops_certificate(abstract.ex.cert_loops, per_loop), abs_insts)
    # 4. a loop whose state has a closed form: the check at every iteration count at once
    if abstract is not None and abs_insts and trusted and exact.ex.exhausted:
        from analysis.engine.accelerate import prove

        closed = prove(abstract, abs_insts, limits)
        if closed is not None:
            return proved(closed, None, abs_insts)
    # 5. a bug deeper than the unrolling: accelerate the loop
    if abstract is not None and abs_insts and exact.ex.exhausted:
        from analysis.engine.accelerate import refute

        found = refute(abstract, abs_insts, limits)
        if found is not None:
            inst, model, iterations, heads = found
            cx = counterexample(abstract, inst, model, trace=False, subst=heads)
            note = f"the failure happens in iteration {iterations + 1} of the loop" if iterations >= 0 else ""
            return CheckResult(cid, Status.REFUTED, span, counterexample=cx, witness=note or None,
                               time_ms=_ms(t0))
    if unsupported:
        what, where = unsupported[0]
        reasons.insert(0, f"unsupported: {what}" + (f" (line {where.start.line})" if where else ""))
    if not reasons:
        if exact.ex.exhausted:
            bounds = ", ".join(sorted(exact.ex.cut_reasons)) or "bounded exploration"
            reasons.append(f"no violation found ({bounds}) and no proof (no strong enough loop invariant)"
                           if any("loops" in b for b in exact.ex.cut_reasons) else
                           f"no violation found ({bounds}) and no proof")
        else:
            reasons.append("not proved")
    return CheckResult(cid, Status.UNKNOWN, span, reason="; ".join(dict.fromkeys(reasons)), time_ms=_ms(t0))


class _Reachability:
    """The smoke test of one function's analysis (as Frama-C's WP calls it): can any path reach
    these check instances? Answers are kept per set of path conditions (most checks of a function
    share a basic block), and models of reachable ones answer later questions without a solver
    call: the empty model (every input zero) first."""

    TIMEOUT_S = 1.0  # unknown only costs the dead-code flag, so the bound is short

    def __init__(self, ctx: Any, limits: tuple[float, int]) -> None:
        self.ctx, self.limits = ctx, limits
        empty = z3.Solver(ctx=ctx)
        empty.check()
        self.models: list[Any] = [empty.model()]
        # the path conditions are kept with their answer so that their ids stay theirs
        self.answers: dict[frozenset[int], tuple[bool, list[Any]]] = {}

    def unreached(self, insts: list[CheckInst]) -> bool:
        pcs = [c.pc for c in insts if c.pc is not None]
        if len(pcs) != len(insts):
            return False
        key = frozenset(p.get_id() for p in pcs)
        hit = self.answers.get(key)
        if hit is not None:
            return hit[0]
        if any(z3.is_true(m.eval(p, model_completion=True)) for m in self.models for p in pcs):
            dead = False  # a path already found reaches it
        else:  # mostly sat: no integer reading first
            out = solve(self.ctx, z3.Or(*pcs), min(self.limits[0], self.TIMEOUT_S), self.limits[1], integers=False)
            dead = out.status == "unsat"
            if out.status == "sat" and out.model is not None and len(self.models) < 16:
                self.models.append(out.model)
        self.answers[key] = (dead, pcs)
        return dead


def _exact_search(ctx: Any, insts: list[CheckInst], limits: tuple[float, int],
                  one_shot: bool = False, integers: bool = True,
                  deadline: Deadline | None = None, small: Any = None) -> tuple[str, Any, Any, str | None]:
    """Solve the instances in windows of doubling size (1, 1, 2, 4, ...) in execution order:
    a shallow bug is found without solving the whole unrolling; all unsat means none fails.
    With a ``deadline``, every window shares it (each still gets at most one check timeout).
    A window that times out is asked again with ``small`` inputs (short loops): base64's
    ``out[4 * groups]`` after a loop unrolled 12 times timed out at 5 s under load, and n = 3,
    cap = 4 fails it."""
    lo, size, unknown = 0, (len(insts) if one_shot else 1), None
    while lo < len(insts):
        window = insts[lo:lo + size]
        if deadline is not None:
            if deadline.expired():
                return "unknown", None, None, "the time for deeper unrolling ran out"
            limits = (min(limits[0], deadline.remaining()), limits[1])
        out = solve(ctx, z3.Or(*[c.cond for c in window]), *limits, integers=integers)
        if out.status == "unknown" and small is not None:
            retry = (min(limits[0], SMALL_RETRY_S), limits[1])
            if deadline is not None:
                retry = (min(retry[0], deadline.remaining()), limits[1])
            if retry[0] > 0:
                again = solve(ctx, z3.And(z3.Or(*[c.cond for c in window]), small), *retry, integers=False)
                if again.status == "sat":
                    out = again
        if out.status == "sat":
            inst, model = _earliest(ctx, window, out.model, limits)
            return "sat", inst, model, None
        if out.status == "unknown":
            unknown = out.reason
        lo += size
        size = size if lo == 1 else size * 2
    return ("unknown" if unknown else "unsat"), None, None, unknown


def _earliest(ctx: Any, insts: list[CheckInst], model: Any, limits: tuple[float, int]) -> tuple[CheckInst, Any]:
    """The first instance (in execution order: fewest loop iterations) that can fail, with its model.

    Short counterexamples are easier to read and replay the failure at its first occurrence."""
    hit = next((i for i, c in enumerate(insts) if z3.is_true(model.eval(c.cond, model_completion=True))), 0)
    for c in insts[:hit]:
        out = solve(ctx, c.cond, *limits)
        if out.status == "sat":
            return c, out.model
    return insts[hit], model


def _readable(run: Run, inst: CheckInst, model: Any) -> Any:
    """The same failure with small input values, on a path through nothing unmodelled."""
    simpler = simpler_model(run, inst.cond, model)
    return simpler if simpler is model or _touched_marker(run.ex, inst, simpler) is None else model


def _witness(run: Run) -> str | None:
    invs = [r.invariant_text for r in run.ex.loops if r.invariant_text and r.invariant_text != "true"]
    return "loop invariant: " + "; ".join(invs) if invs else None


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _touched_marker(ex: Executor, inst: CheckInst, model: Any) -> str | None:
    """Why the model's violation is only possible (None: it is a sure one)."""
    for why, cond in ex.taints(inst):
        if z3.is_true(model.eval(cond, model_completion=True)):
            return why
    return None


__all__ = ["verify_function", "LoopRecord"]
