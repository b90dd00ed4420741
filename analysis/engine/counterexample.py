"""Counterexamples: the inputs, nondet values, trace and failing values a model of a check's
condition denotes, read at each value's C type (what the harness replays and the user reads)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import z3

from analysis.ctypes import ArrayType, IntType, PointerType, StructType
from analysis.engine.symexec import CheckInst, Executor, Val
from analysis.model import Counterexample, TraceStep

if TYPE_CHECKING:
    from analysis.engine.verify import Run

MAX_TRACE = 200


def int_of(model: Any, term: Any, signed: bool) -> int:
    v = model.eval(term, model_completion=True)
    if z3.is_bv_value(v):
        return int(v.as_signed_long()) if signed else int(v.as_long())
    if z3.is_true(v):
        return 1
    return 0


def input_values(run: Run, model: Any, relevant: set[int] | None = None) -> list[tuple[str, int]]:
    """The inputs of a counterexample: every parameter and nondet input, and the globals whose
    entry value the failure depends on (``relevant``: ids of the constants of its condition;
    None: every global). A global left out cannot change the failing path, so the harness may
    keep its initial value."""
    out: list[tuple[str, int]] = []
    globals_in = run.globals_in if relevant is None else [
        (name, v) for name, v in run.globals_in if any(c.get_id() in relevant for c in _terms_of(v))]
    for name, v in [*run.params, *globals_in, *run.ex.inputs]:
        out.extend(_flatten(name, v, model))
    return out


def _terms_of(v: Val) -> list[Any]:
    if v.fields is not None:
        return [t for fv in v.fields.values() for t in _terms_of(fv)]
    return [v.z] if v.z is not None else []


def _flatten(name: str, v: Val, model: Any) -> list[tuple[str, int]]:
    from analysis.ctypes import ArrayType

    if isinstance(v.ty, IntType) and v.z is not None:
        return [(name, int_of(model, v.z, v.ty.signed))]
    if v.fields is not None:
        out = []
        for f, fv in v.fields.items():
            out.extend(_flatten(f"{name}.{f}", fv, model))
        return out
    if isinstance(v.ty, ArrayType) and v.z is not None and v.ty.size is not None and v.ty.size <= 64:
        out = []
        elem = v.ty.elem
        for i in range(v.ty.size):
            sel = z3.Select(v.z, z3.BitVecVal(i, 64, v.z.ctx))
            out.extend(_flatten(f"{name}[{i}]", Val(elem, sel), model))
        return out
    return []


def counterexample(run: Run, inst: CheckInst, model: Any, trace: bool = True,
                   subst: list[Any] | None = None) -> Counterexample:
    ex = run.ex
    from analysis.inference.invariants import free_consts

    cond = z3.substitute(inst.cond, *subst) if subst else inst.cond
    inputs = input_values(run, model, {c.get_id() for c in free_consts(cond)})
    nondet = [(fname, int_of(model, z, _nondet_signed(fname, z, ex))) for fname, z, pc in ex.nondet
              if z3.is_true(model.eval(pc, model_completion=True))]
    steps: list[TraceStep] = []
    for line, name, z, pc in ex.trace if trace else []:
        if len(steps) >= MAX_TRACE:
            break
        if z3.is_true(model.eval(pc, model_completion=True)):
            steps.append(TraceStep(line, ((name, int_of(model, z, True)),)))
    steps.append(TraceStep(inst.span.start.line, (), "failure"))
    values = []
    for label, z in inst.values:
        if z is None or label.lstrip("-").isdigit():
            continue
        if subst:
            z = z3.substitute(z, *subst)
        value = (label, 1 if z3.is_true(model.eval(z, model_completion=True)) else 0) if z3.is_bool(z) \
            else (label, int_of(model, z, True))
        if value not in values:  # `x * x` shows x once
            values.append(value)
    return Counterexample(tuple(inputs), tuple(nondet), tuple(steps), tuple(values),
                          objects=tuple(memory_objects(run, model)))


MAX_ELEMENTS = 64


def memory_objects(run: Run, model: Any) -> list[tuple[str, dict[str, Any]]]:
    """What each pointer parameter points to in the model: NULL, a fresh object (its size and
    first elements at entry), or a place in an earlier parameter's object."""
    from analysis.ctypes import StructType
    from analysis.engine.memory import OFF_BITS

    mem = run.ex.mem
    out: list[tuple[str, dict[str, Any]]] = []
    owner = {p.obj.id: p.name for p in mem.params}
    for p in mem.params:
        z = int_of(model, p.value, False)
        obj, off = z >> OFF_BITS, z & ((1 << OFF_BITS) - 1)
        if off >= 1 << (OFF_BITS - 1):
            off -= 1 << OFF_BITS
        if obj == 0:
            out.append((p.name, {"null": True}))
            continue
        if obj != p.obj.id:
            if obj in owner:
                out.append((p.name, {"alias": owner[obj], "offset": off}))
            continue
        width = run.ex.dm.sizeof(p.target) or 1
        size = int_of(model, p.obj.size, False) // width
        contents = p.obj.initial
        elements: list[Any] = []
        for i in range(min(size, MAX_ELEMENTS)):
            at = z3.BitVecVal(i, 64, model.ctx)
            if isinstance(p.target, StructType) and contents is not None and contents.fields is not None:
                # a pointer member is NULL: no violation reported as sure rests on one (a pointer
                # loaded from memory marks its path), and a harness could not make another value
                elements.append({f: _member_value(model, a, p.target.field(f), i)
                                 for f, a in contents.fields.items() if a.z is not None or a.fields is not None})
            elif contents is not None and contents.z is not None:
                elements.append(int_of(model, z3.Select(contents.z, at), bool(getattr(p.target, "signed", True))))
        while elements and elements[-1] in (0, {}) and not isinstance(elements[-1], dict):
            elements.pop()  # zeros are the harness's default
        out.append((p.name, {"size": size, "elements": elements}))
    return out


def _member_value(model: Any, a: Any, member_t: Any, i: int) -> Any:
    """Member ``a`` (its array over the object's elements) of element ``i``: an integer, NULL for a
    pointer (no violation reported as sure rests on one: a pointer loaded from memory marks its
    path, and a harness could not make another value), a list for a member array."""
    if a.fields is not None and isinstance(member_t, StructType):  # a nested struct: member by member
        return {f: _member_value(model, sub, member_t.field(f), i) for f, sub in a.fields.items()}
    if isinstance(a.ty.elem, PointerType):
        return [0] * member_t.size if isinstance(member_t, ArrayType) and member_t.size else 0
    signed = bool(getattr(a.ty.elem, "signed", True))
    if isinstance(member_t, ArrayType) and member_t.size:
        n = member_t.size
        return [int_of(model, z3.Select(a.z, z3.BitVecVal(i * n + j, 64, model.ctx)), signed) for j in range(n)]
    return int_of(model, z3.Select(a.z, z3.BitVecVal(i, 64, model.ctx)), signed)


def free_size(size: Any) -> list[Any]:
    """The fresh element count inside a parameter object's byte size (``n * sizeof(T)``)."""
    if z3.is_const(size) and size.decl().kind() == z3.Z3_OP_UNINTERPRETED:
        return [size]
    return [t for c in size.children() for t in free_size(c)] if z3.is_app(size) else []


def _nondet_signed(fname: str, z: Any, ex: Executor) -> bool:
    info = ex.funcs.get(fname)
    if info is not None and isinstance(info.ftype.ret, IntType):
        return info.ftype.ret.signed
    suffix = fname[len("__VERIFIER_nondet_"):]
    return not (suffix.startswith("u") or suffix in ("bool", "_Bool", "size_t", "unsigned", "unsigned_int"))


SIMPLIFY_S = 0.5  # the whole search for readable values; the solver's first model is kept after it
_PROBE_MS = 100


def _inputs(run: Run) -> tuple[list[Any], list[tuple[Any, bool]]]:
    """The element counts of pointer parameters' objects (a harness allocates them), and every
    input a harness sets with whether it is signed (the counts first)."""
    params = [(v.z, bool(v.ty.signed)) for _, v in run.params
              if isinstance(v.ty, IntType) and v.z is not None and z3.is_bv(v.z) and z3.is_const(v.z)
              and v.z.decl().kind() == z3.Z3_OP_UNINTERPRETED]
    sizes = [t for p in run.ex.mem.params for t in free_size(p.obj.size)]
    return sizes, [(t, False) for t in sizes] + params


def small_inputs(run: Run, bits: int) -> Any:
    """Every input (integer parameters, the element counts of pointer parameters' objects) within
    2^bits of 0; None when there is none to bound."""
    _sizes, params = _inputs(run)
    small = [z3.ULT(x, 1 << bits) if not signed else z3.And(x >= -(1 << bits), x < (1 << bits))
             for x, signed in params if x.size() > bits + 1]
    return z3.And(*small) if small else None


def simpler_model(run: Run, cond: Any, model: Any) -> Any:
    """A model of ``cond`` whose inputs read at a glance: each parameter in turn is pinned to 0 if
    it can be, else to the smallest magnitude (2^4, 2^8, 2^16, ... bounds), else to its type's
    extreme (INT_MIN, INT_MAX), keeping the earlier pins. ``x = 0, y = INT_MIN`` says what
    ``x = 1711538129, y = -503316440`` says. Any failure keeps the model it was given: the
    values change, never the verdict (every model kept satisfies ``cond``)."""
    ctx = cond.ctx
    deadline = time.monotonic() + SIMPLIFY_S
    sizes, params = _inputs(run)
    if not params:
        return model
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", _PROBE_MS)
    solver.add(cond)
    best = model

    def sat_with(extra: Any) -> bool:
        nonlocal best
        if time.monotonic() > deadline:
            return False
        try:
            if solver.check(extra) == z3.sat:
                best = solver.model()
                return True
        except z3.Z3Exception:
            pass
        return False

    def pin(x: Any, signed: bool, first: list[Any]) -> None:
        """``x`` to the first of ``first``, else the smallest magnitude bound, else an extreme."""
        w = x.size()
        tries = list(first)
        for k in (4, 8, 16, w - 2):
            if 0 < k < w - 1:
                bound = z3.BitVecVal(1 << k, w, ctx)
                tries.append(z3.And(x >= -bound, x <= bound) if signed else z3.ULE(x, bound))
        lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if signed else (0, (1 << w) - 1)
        tries += [x == z3.BitVecVal(lo % (1 << w), w, ctx), x == z3.BitVecVal(hi, w, ctx)]
        for t in tries:
            if sat_with(t):
                break
        solver.add(x == best.eval(x, model_completion=True))

    # first all of them small at once: one question that, when it holds, keeps every later one
    # to short loops (base64's encode: n = 33, cap = 44 when each was asked alone, under a deep
    # unrolling, and the time ran out; n = 3, cap = 4 after)
    for k in (4, 8):
        small = small_inputs(run, k)
        if small is not None and sat_with(small):
            solver.add(small)
            break
    for x, signed in params:
        if time.monotonic() > deadline:
            break
        # an object of one to four elements reads best; an integer, 0
        pin(x, signed, [x == k for k in range(5)] if any(x.eq(t) for t in sizes) else [x == 0])
    # then the contents of the parameters' objects: all zero if they can be, else element by element
    for p in run.ex.mem.params:
        init = p.obj.initial
        if init is None or time.monotonic() > deadline:
            continue
        if isinstance(p.target, IntType) and init.z is not None:
            arrays = [(init.z, p.target)]
        elif isinstance(p.target, StructType) and init.fields is not None:  # one array per member
            members = [(init.fields.get(name), ft) for name, ft in p.target.fields]
            arrays = []
            for a, ft in members:
                elem = ft.elem if isinstance(ft, ArrayType) else ft
                if a is not None and a.z is not None and isinstance(elem, IntType):
                    arrays.append((a.z, elem))
        else:
            continue
        arrays = [(arr, elem) for arr, elem in arrays if z3.is_array(arr)]
        zeros = [arr == z3.K(arr.domain(), z3.BitVecVal(0, arr.range().size(), ctx)) for arr, _ in arrays]
        if zeros and sat_with(z3.And(*zeros)):
            solver.add(*zeros)
            continue
        count = best.eval(p.obj.size, model_completion=True)
        size = run.ex.dm.sizeof(p.target) or 1
        shown = min(int(count.as_long()) // size, 16) if z3.is_bv_value(count) else 0
        for i in range(shown):
            for arr, elem in arrays:
                if time.monotonic() > deadline:
                    break
                x = z3.Select(arr, z3.BitVecVal(i, arr.domain().size(), ctx))
                pin(x, elem.signed, [x == 0, x == 1, *([x == -1] if elem.signed else [])])
    return best
