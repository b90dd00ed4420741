"""Certificates: the evidence behind a proof, as plain data for the independent checker.

The engine may be as clever as it likes; a "proved" is only shown once ``analysis.certify``
(which shares no encoding or inference with the engine) re-derives the verification
conditions from the source and accepts this data. Invariants travel as SMT-LIB terms over the
C names in scope at the loop head (``x@entry``: the value at loop entry), at the width of
their C type, so that the checker can parse them in a context of its own.
"""

from __future__ import annotations

from typing import Any

import z3

VERSION = 1


def _name(display: str) -> str:
    """The certificate's name for an engine display name (``\\at(x,LoopEntry)`` -> ``x@entry``)."""
    if display.startswith("\\at(") and display.endswith(",LoopEntry)"):
        return display[4:-len(",LoopEntry)")] + "@entry"
    return display


def invariant_smt(rec: Any, extra: Any = None) -> str | None:
    """The loop head's invariant (and ``extra``, over the same pre-state constants) as SMT-LIB
    over C names; None when it cannot be said that way (two variables of one name in scope)."""
    model = rec.model
    parts = [f for f in (rec.invariant, extra) if f is not None]
    if model is None:
        return "true" if not parts else None
    names = [_name(n) for n in model.names]
    if len(set(names)) != len(names):
        return None
    if not parts:
        return "true"
    formula = z3.And(*parts) if len(parts) > 1 else parts[0]
    ctx = formula.ctx
    pairs = [(p, z3.BitVec(n, p.size(), ctx)) for p, n in zip(model.pre, names, strict=True)]
    term = z3.substitute(formula, *pairs) if pairs else formula
    allowed = {n for _, n in ((p, str(c)) for p, c in pairs)}
    if any(str(c) not in allowed for c in _constants(term)):
        return None  # a constant of the engine's own (a nondet value, an array) leaked in
    return str(term.sexpr())


def _constants(term: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    todo = [term]
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen[t.get_id()] = t
        todo.extend(t.children())
    return [t for t in seen.values() if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED]


def loops_certificate(recs: list[Any], targeted: dict[int, Any] | None = None,
                      unreachable: bool = False) -> dict[str, Any] | None:
    """Method "invariants": each loop of the abstract run with the invariant assumed at its head
    (or the number of iterations after which it was executed exactly)."""
    loops: list[dict[str, Any]] = []
    kinds: dict[tuple[int, int], str] = {}
    for rec in recs:
        pos = (rec.span.start.line, rec.span.start.column)
        if rec.unrolled is not None:
            # executed exactly, with the loops nested in it: each ends within the bound
            for line, column in [pos, *rec.nested_loops]:
                if kinds.setdefault((line, column), "unroll") != "unroll":
                    return None
                entry: dict[str, Any] = {"line": line, "column": column, "unroll": rec.unrolled}
                if entry not in loops:
                    loops.append(entry)
            continue
        smt = invariant_smt(rec, (targeted or {}).get(id(rec)))
        if smt is None:
            return None
        entry = {"line": pos[0], "column": pos[1], "invariant": smt, "text": rec.invariant_text or "true"}
        if kinds.setdefault(pos, "invariant") != "invariant":
            return None  # one loop unrolled in one context and cut in another: not expressible
        if entry not in loops:
            loops.append(entry)
    return {"version": VERSION, "method": "invariants", "loops": loops, "unreachable": unreachable}


def unrolling_certificate(bound: int, unreachable: bool = False) -> dict[str, Any]:
    """Method "unrolling": every loop ends within ``bound`` iterations, and the check holds on
    every path of that complete exploration."""
    return {"version": VERSION, "method": "unrolling", "unroll": bound, "loops": [], "unreachable": unreachable}


def ranking_certificate(recs: list[Any], rec: Any, res: Any) -> dict[str, Any] | None:
    """Termination by a (lexicographic) ranking function over the loop head's C values, with the
    invariant it needs conjoined to the loop's own; "no iteration returns" is the ranking 0."""
    model = rec.model
    ranking = res.ranking if res.ranking is not None else (((0,) * len(model.names), 0),) \
        if res.witness and res.witness.startswith("no iteration returns") else None
    if ranking is None or res.cases:
        return None
    names = [_name(n) for n in model.names]
    cert = loops_certificate(recs, {id(rec): res.invariant} if res.invariant is not None else None)
    if cert is None:
        return None
    components = [{"const": int(c0), "coeffs": {names[i]: int(c) for i, c in enumerate(coeffs) if c}}
                  for coeffs, c0 in ranking]
    pos = rec.span.start
    cert["ranking"] = {"line": pos.line, "column": pos.column, "components": components}
    return cert
