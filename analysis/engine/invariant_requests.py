"""The engine's door to loop-invariant inference (``analysis.inference.invariants``): called at each
loop head in the abstract run, and again per unproved check with that check as the target.

Whatever comes back has been re-checked for inductiveness by the inference module; a failure
of any kind yields no invariant (the loop head then stays fully havocked: still sound)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

from analysis.options import Options


class InvariantOracle:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.budget_s = max(0.5, min(options.timeout, 3.0))
        # the strengthenings found so far for this function's checks, newest first: (the formula
        # over head values, the invariant per loop, its text per loop)
        self.found: list[tuple[Any, dict[int, Any], dict[int, str]]] = []

    def earlier(self, loops: list[Any], limit: int = 3) -> list[tuple[Any, dict[int, Any], Callable[[], None]]]:
        """Invariants found for other checks of this function, to try before a new search.

        A strengthened invariant is inductive whatever check it was aimed at (the inference
        re-checks it), so it holds for every check; trying it is one query where a search takes
        up to ``budget_s``, and checks proved by one invariant share a certificate, which the
        checker walks once (base64's encode: 52 checks, each with its own search and walk).
        Each comes with ``adopt``, which sets the loops' texts to its own: the witness and the
        certificate name the invariant that made the proof."""
        out: list[tuple[Any, dict[int, Any], Callable[[], None]]] = []
        for formula, per_loop, texts in self.found[:limit]:
            def adopt(texts: dict[int, str] = texts) -> None:
                for rec in loops:
                    if id(rec) in texts:
                        rec.invariant_text = texts[id(rec)]
            out.append((formula, per_loop, adopt))
        return out

    def __call__(self, rec: Any) -> Any:
        model = rec.model
        try:
            from analysis.inference.invariants import find_invariant

            res = find_invariant(model, self.budget_s, self.options.rlimit)
        except Exception:  # noqa: BLE001 - inference is best effort; no invariant is sound
            return None
        if getattr(res, "status", None) == "proved" and res.invariant is not None:
            rec.invariant_text = res.text
            return res.invariant
        return None

    def strengthen(self, loops: list[Any], formula: Any, limits: tuple[float, int]) -> tuple[Any, dict[int, Any]]:
        """An invariant per loop aimed at refuting ``formula``: their conjunction over head values,
        and each over its loop's model (by ``id`` of the loop record, for the certificate)."""
        extra = []
        per_loop: dict[int, Any] = {}
        texts: dict[int, str] = {}
        for rec in loops:
            model = rec.model
            if model is None:
                continue
            keys = model.extra.get("keys", ())
            pairs = [(rec.head_vars[k], p) for k, p in zip(keys, model.pre, strict=True)
                     if k in rec.head_vars and rec.head_vars[k] is not None
                     and not z3.is_bv_value(rec.head_vars[k])]
            try:
                bad = z3.substitute(formula, *pairs) if pairs else formula
                from analysis.inference.invariants import find_invariant

                targeted = _with_bad(model, bad)
                res = find_invariant(targeted, self.budget_s, self.options.rlimit)
            except Exception:  # noqa: BLE001
                continue
            if getattr(res, "status", None) == "proved" and res.invariant is not None:
                back = [(p, h) for h, p in pairs]
                inv = z3.substitute(res.invariant, *back) if back else res.invariant
                # the invariant holds at this loop's head, so only on paths that reach it: a loop
                # inside another loop or a branch says nothing about the code after its context
                # (an inner loop's `x <= 1000` once "proved" an assert after the outer loop)
                extra.append(z3.Implies(rec.entry_pc, inv) if rec.entry_pc is not None else inv)
                per_loop[id(rec)] = res.invariant
                if res.text:
                    rec.invariant_text = texts[id(rec)] = res.text
        if not extra:
            return None, per_loop
        self.found.insert(0, (z3.And(*extra), per_loop, texts))
        return z3.And(*extra), per_loop


def _with_bad(model: Any, bad: Any) -> Any:
    from dataclasses import replace

    return replace(model, bad=bad)
