"""``assigns`` clauses: what a function may change, read as ACSL means it.

Why a module of its own: the clause is used on both sides of a contract and both must agree.
- At a call replaced by the callee's contract, only the listed locations get fresh values: the
  caller's other memory and globals keep theirs (:func:`havoc_footprint`). Without a ``frees``
  clause no block the caller had is freed.
- In the function itself, at each return, every location that existed at entry and is not listed
  holds the value it had at entry, and no such block was freed (:func:`frame_violation`). This is
  the clause's meaning, not a check of each write: a value written and put back is no violation,
  and writes inside library functions or inlined callees need no hook of their own.

Locations are read at entry (ACSL evaluates them in the pre-state): ``*p``, ``p[i]``,
``p[lo .. hi]``, ``*(p + (lo .. hi))``, ``p->f``, ``p[i].f``, a global ``g``, ``g[i]``,
``g[lo .. hi]``, ``g.f``; a formal parameter is the callee's own copy and needs no listing.
Anything else makes the footprint unknown: the caller then forgets all memory, and the callee's
check is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import z3
from pycparser import c_ast

from analysis.ctypes import ArrayType, CType, PointerType, StructType
from analysis.engine.memory import FREEABLE, OBJ_BITS, W, _possible, _same_repr, obj_of, off_of

if TYPE_CHECKING:
    from analysis.engine.memory import MemObject
    from analysis.engine.symexec import Executor, State, Val


@dataclass
class Cells:
    """Elements ``lo .. hi`` (element offsets in the object) of the object a pointer points into,
    or one member of them."""

    obj: Any
    lo: Any
    hi: Any
    member: str | None
    target: CType  # the pointer's element type (offsets count these)
    exact: Any  # the bounds were computed without overflow (ACSL integers)


@dataclass
class Variable:
    """A global variable, whole (``lo`` None) or elements ``lo .. hi`` of a global array."""

    key: str
    lo: Any = None
    hi: Any = None
    member: str | None = None


@dataclass
class Footprint:
    cells: list[Cells] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    unknown: str | None = None  # a location not understood: why


def footprint(ex: Executor, locations: list[c_ast.Node], st: State) -> Footprint:
    """The locations of ``assigns`` clauses, read in ``st`` (inside a spec scope binding the
    function's parameters)."""
    fp = Footprint()
    for loc in locations:
        why = _location(ex, loc, st, fp)
        if why is not None and fp.unknown is None:
            fp.unknown = f"assigns location {why}"
    return fp


def _location(ex: Executor, loc: c_ast.Node, st: State, fp: Footprint) -> str | None:
    """Add one location to ``fp``; a reason when it cannot be read."""
    member = None
    if isinstance(loc, c_ast.StructRef):
        member = loc.field.name
        if loc.type == "->":
            return _cells(ex, loc.name, None, member, st, fp)
        loc = loc.name
    if isinstance(loc, c_ast.UnaryOp) and loc.op == "*":
        return _cells(ex, loc.expr, None, member, st, fp)
    if isinstance(loc, c_ast.ArrayRef):
        sub = loc.subscript
        bounds = sub.args.exprs if _is_range(sub) and sub.args is not None else [sub, sub]
        if isinstance(loc.name, c_ast.ID):
            key = ex.lookup(loc.name.name)
            var = st.env.get(key) if key is not None and key.startswith("g:") else None
            if key is not None and var is not None and isinstance(var.ty, ArrayType):
                lo, hi = (ex.index_value(b, st) for b in bounds)
                fp.variables.append(Variable(key, lo, hi, member))
                return None
        return _cells(ex, loc.name, bounds, member, st, fp)
    if isinstance(loc, c_ast.ID):
        key = ex.lookup(loc.name)
        if key is not None and key.startswith("g:"):
            fp.variables.append(Variable(key, member=member))
            return None
        if key is not None and key.startswith("spec:") and member is None:
            return None  # a formal parameter: the callee's own copy
    return "not supported here (a pointer's cells or a global variable are)"


def _is_range(e: c_ast.Node) -> bool:
    return isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID) and e.name.name == "__pl_range"


def _cells(ex: Executor, ptr_e: c_ast.Node, bounds: list[c_ast.Node] | None, member: str | None, st: State,
           fp: Footprint) -> str | None:
    if bounds is None and isinstance(ptr_e, c_ast.BinaryOp) and ptr_e.op == "+" and _is_range(ptr_e.right):
        bounds, ptr_e = ptr_e.right.args.exprs, ptr_e.left
    exact: Any = z3.BoolVal(True, ex.ctx)
    if bounds is None:
        lo = hi = ex.bv(0, W)
    elif bounds[0] is bounds[1]:
        lo = hi = ex.index_value(bounds[0], st)
    else:
        loc = ex.mem._spec_location(c_ast.BinaryOp("+", ptr_e, c_ast.FuncCall(c_ast.ID("__pl_range"),
                                                                               c_ast.ExprList(list(bounds)))), st)
        if loc is None:
            return "through something that is not a modelled pointer"
        _pv, lo, hi, _empty, fits = loc
        exact = z3.And(*fits)
    pv = ex.pointer_rvalue(ptr_e, st)
    if pv is None or not isinstance(pv.ty, PointerType):
        return "through something that is not a modelled pointer"
    target = pv.ty.target
    if member is not None and not (isinstance(target, StructType) and target.field(member) is not None):
        return f"member {member} of something that is not a struct"
    fp.cells.append(Cells(obj_of(pv.z), off_of(pv.z) + lo, off_of(pv.z) + hi, member, target, exact))
    return None


# -- the question asked of one stored value ----------------------------------------------------------
def _covered(ex: Executor, fp: Footprint, key: str, o: MemObject | None, k: Any, member: str | None,
             wide: bool) -> Any:
    """Element ``k`` (member ``member``) of the variable or object ``key`` is in the footprint.
    ``wide``: the caller's reading (over-approximate: a location whose offsets count elements of
    another type covers its whole object); else the callee's (under-approximate)."""
    hits = []
    for v in fp.variables:
        if v.key != key or (v.member is not None and member is not None and v.member != member):
            continue
        hits.append(z3.BoolVal(True, ex.ctx) if v.lo is None else z3.And(v.lo <= k, k <= v.hi))
    if o is not None:
        for c in fp.cells:
            ids = _possible(c.obj)
            if ids is not None and o.id not in ids:
                continue
            here = c.obj == ex.bv(o.id, OBJ_BITS)
            if not _same_repr(o.elem, c.target):
                if wide:
                    hits.append(here)
                continue
            if c.member is not None and member is not None and c.member != member:
                continue
            inside = z3.And(c.lo <= k, k <= c.hi)
            hits.append(z3.And(here, z3.Or(z3.Not(c.exact), inside) if wide else z3.And(c.exact, inside)))
    return z3.Or(*hits) if hits else z3.BoolVal(False, ex.ctx)


def _mistyped(ex: Executor, fp: Footprint, o: MemObject) -> Any:
    """Some location may name ``o`` counting elements of another type (the callee cannot judge it)."""
    out = [c.obj == ex.bv(o.id, OBJ_BITS) for c in fp.cells
           if not _same_repr(o.elem, c.target) and ((ids := _possible(c.obj)) is None or o.id in ids)]
    return z3.Or(*out) if out else z3.BoolVal(False, ex.ctx)


def _is_array(z: Any) -> bool:
    return z is not None and z3.is_array(z)


def havoc_footprint(ex: Executor, fp: Footprint, st: State, frees: bool, name: str) -> None:
    """A call through a contract with ``assigns``: fresh values for the footprint's elements of
    every object and global, the rest kept; blocks freed only if the contract ``frees``."""
    if any(_possible(c.obj) is None for c in fp.cells):
        ex.mem.escapes.append(st.pc)  # a location through a pointer that lost its origin: anywhere
    seen: set[str] = set()
    for o in list(ex.mem.objects.values()):
        if o.kind == "heap" and o.elem is None:
            for c in fp.cells:  # an untyped block the callee writes through a typed pointer
                if (ids := _possible(c.obj)) is None or o.id in ids:
                    ex.mem.type_heap(o, c.target, st)
                    break
        cur = ex.mem.contents(o, st)
        if cur is not None:
            st.env[o.key] = _forget(ex, fp, o.key, o, cur, None, f"{name}:{o.name}")
            o.pristine = False
            seen.add(o.key)
        live = st.env.get(o.key + ":live")
        if frees and live is not None and o.kind in FREEABLE:
            st.env[o.key + ":live"] = ex.havoc(live.ty, o.name + ":live")
    for key in [k for k in st.env if k.startswith("g:") and k not in seen]:
        st.env[key] = _forget(ex, fp, key, None, st.env[key], None, f"{name}:{ex.display(key)}")


def _forget(ex: Executor, fp: Footprint, key: str, o: MemObject | None, cur: Val, member: str | None,
            name: str) -> Val:
    from analysis.engine.symexec import Val

    if cur.fields is not None:
        fields = {f: _forget(ex, fp, key, o, v, f, f"{name}.{f}") for f, v in cur.fields.items()}
        return Val(cur.ty, cur.z, fields)
    if cur.z is None:
        return cur
    if _is_array(cur.z):
        k = z3.Const(f"{name}!k", cur.z.sort().domain())
        if k.sort() != z3.BitVecSort(W, ex.ctx):
            return ex.havoc(cur.ty, name)
        ex.fresh_n += 1
        fresh = z3.Const(f"{name}!{ex.fresh_n}", cur.z.sort())
        covered = _covered(ex, fp, key, o, k, member, wide=True)
        if z3.is_false(z3.simplify(covered)):
            return cur
        return Val(cur.ty, z3.Lambda([k], z3.If(covered, z3.Select(fresh, k), z3.Select(cur.z, k))))
    covered = _covered(ex, fp, key, o, ex.bv(0, W), member, wide=True)
    if z3.is_false(z3.simplify(covered)):
        return cur
    ex.fresh_n += 1
    return Val(cur.ty, z3.If(covered, z3.Const(f"{name}!{ex.fresh_n}", cur.z.sort()), cur.z))


# -- the function's own clause ---------------------------------------------------------------------
def frame_violation(ex: Executor, fp: Footprint, pre: dict[str, Val], post: dict[str, Val],
                    frees: bool) -> tuple[Any, Any, str]:
    """Some location that existed at entry and is not in the footprint changed between ``pre``
    and ``post`` (or a block the caller had was freed, without ``frees``): (violation, the part
    of it the engine cannot judge, why it cannot)."""
    bad: list[Any] = []
    unsure: list[Any] = []
    units: dict[str, MemObject | None] = {k: None for k in pre if k.startswith("g:")}
    for obj in ex.mem.objects.values():
        if obj.kind == "param" or (obj.kind == "var" and obj.key.startswith("g:")):
            units[obj.key] = obj
    for key, o in units.items():
        before, after = pre.get(key), post.get(key)
        if before is None or after is None:
            continue
        if o is not None:
            unsure.append(_mistyped(ex, fp, o))
        _changed(ex, fp, key, o, before, after, None, ex.display(key) if o is None else o.name, bad, unsure)
        if o is not None and o.kind in FREEABLE and not frees:
            lb, la = pre.get(key + ":live"), post.get(key + ":live")
            if lb is not None and la is not None and lb.z is not None and la.z is not None:
                bad.append(z3.And(lb.z != 0, la.z == 0))
    if fp.unknown is not None:
        unsure.append(z3.BoolVal(True, ex.ctx))
    # memory outside the object table written or freed: a violation the engine cannot see, and
    # cannot show either (in ``bad``, so that no proof is claimed; in ``unsure``, so none is refuted)
    bad += ex.mem.escapes
    unsure += ex.mem.escapes
    false = z3.BoolVal(False, ex.ctx)
    why = "writes or frees the engine does not follow (through a pointer that lost its origin, or in a " \
          "call it does not model)" if ex.mem.escapes else fp.unknown or \
        "a location named with another element type, or a value the engine cannot compare"
    return (z3.Or(*bad) if bad else false), (z3.Or(*unsure) if unsure else false), why


def _changed(ex: Executor, fp: Footprint, key: str, o: MemObject | None, before: Val, after: Val,
             member: str | None, name: str, bad: list[Any], unsure: list[Any]) -> None:
    if before is after:
        return  # never assigned on this path
    if before.fields is not None or after.fields is not None:
        if before.fields is None or after.fields is None or set(before.fields) != set(after.fields):
            _opaque(ex, bad, unsure)
            return
        for f in before.fields:
            _changed(ex, fp, key, o, before.fields[f], after.fields[f], f, f"{name}.{f}", bad, unsure)
        return
    if before.z is None or after.z is None or before.z.sort() != after.z.sort():
        _opaque(ex, bad, unsure)  # (two opaque values of one type may still differ)
        return
    if before.z.eq(after.z):
        return
    if _is_array(before.z):
        ex.fresh_n += 1
        k = z3.Const(f"{name}[changed]!{ex.fresh_n}", before.z.sort().domain())
        if k.sort() != z3.BitVecSort(W, ex.ctx):
            _opaque(ex, bad, unsure)
            return
        bad.append(z3.And(z3.Not(_covered(ex, fp, key, o, k, member, wide=False)),
                          z3.Select(before.z, k) != z3.Select(after.z, k)))
        return
    bad.append(z3.And(z3.Not(_covered(ex, fp, key, o, ex.bv(0, W), member, wide=False)), before.z != after.z))


def _opaque(ex: Executor, bad: list[Any], unsure: list[Any]) -> None:
    """A value the engine cannot compare with its entry value: it may have changed (no proof),
    which no counterexample can show (no refutation)."""
    bad.append(z3.BoolVal(True, ex.ctx))
    unsure.append(z3.BoolVal(True, ex.ctx))
