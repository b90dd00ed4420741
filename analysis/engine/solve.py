"""Solver calls under limits. z3's ``unknown``, a timeout, a resource limit or any exception
is its own outcome and is never turned into "proved" (CrossHair's rule)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import z3

from analysis import querycache
from analysis.bv2int import unsat_over_integers


@dataclass
class Outcome:
    status: str  # "sat" | "unsat" | "unknown"
    model: Any = None
    reason: str | None = None


# the integer reading of a query gets this share of the check's time before bit-blasting
INTEGER_SLICE_S = 0.5


def solve(ctx: z3.Context, formula: Any, timeout_s: float, rlimit: int, integers: bool = True) -> Outcome:
    """Is ``formula`` satisfiable? Bounded by wall-clock and deterministic resource limits.

    Heavy arithmetic (products, divisions) is first asked over the integers (an exact translation, so its
    ``unsat`` is the bit-vector ``unsat``); anything else goes to the bit-vector solver."""
    if z3.is_false(formula):
        return Outcome("unsat")
    cached = querycache.lookup([formula])
    if cached.status is not None:
        return Outcome(cached.status, cached.model)
    start = time.perf_counter()
    if integers and unsat_over_integers(formula, min(timeout_s, INTEGER_SLICE_S)):
        querycache.record(cached, "unsat", elapsed_s=time.perf_counter() - start)
        return Outcome("unsat")
    s = z3.Solver(ctx=ctx)
    s.set("timeout", max(1, int(timeout_s * 1000)))
    if rlimit:
        s.set("rlimit", rlimit)
    s.add(formula)
    try:
        r = s.check()
    except z3.Z3Exception as e:
        return Outcome("unknown", reason=f"solver error: {e}")
    if r == z3.sat:
        model = s.model()
        querycache.record(cached, "sat", model, time.perf_counter() - start)
        return Outcome("sat", model)
    if r == z3.unsat:
        querycache.record(cached, "unsat", elapsed_s=time.perf_counter() - start)
        return Outcome("unsat")
    why = s.reason_unknown()
    if "timeout" in why or "canceled" in why:
        why = f"timeout ({timeout_s:g} s)"
    elif "resource" in why or "rlimit" in why:
        why = "resource limit reached"
    return Outcome("unknown", reason=why or "solver unknown")

