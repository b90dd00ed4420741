"""Fresh z3 constants with names that depend only on what this engine asked for.

Why not ``z3.FreshConst``: its counter belongs to the z3 context and also counts constants
made by tactics and by answers that came from the query cache, so the same loop could get
``x@1!816`` in one run and ``x@1!16`` in the next -- and a different SMT-LIB text, which the
query cache would not recognise. A counter of our own, per context, numbers constants in the
order the engine made them."""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import z3

_counters: weakref.WeakKeyDictionary[Any, itertools.count[int]] = weakref.WeakKeyDictionary()


def fresh_const(sort: Any, prefix: str) -> Any:
    """A constant of ``sort`` named ``<prefix>~<n>``, unique in its context (no other code
    makes names with ``~``)."""
    ctx = sort.ctx
    counter = _counters.get(ctx)
    if counter is None:
        counter = _counters[ctx] = itertools.count(1)
    return z3.Const(f"{prefix}~{next(counter)}", sort)


def fresh_bool(prefix: str, ctx: Any) -> Any:
    return fresh_const(z3.BoolSort(ctx), prefix)


def fresh_int(prefix: str, ctx: Any) -> Any:
    return fresh_const(z3.IntSort(ctx), prefix)
