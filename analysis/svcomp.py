"""SV-COMP verdict mode: the whole program from an entry function, one property.

The verdict is "false" only with a counterexample from the exact execution, "true" only
when every check relevant to the property is proved, "unknown" otherwise."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from analysis.frontend.units import SplitFile
from analysis.model import UB_PREFIXES, CheckKind, CheckResult, FileResult, FunctionResult, SourceError, Span, Status
from analysis.options import Options
from analysis.service import functions_of, make_job, split_text

# the check kinds each property needs decided; the others are still explored, not decided
_UB_KINDS = (CheckKind.OVERFLOW.value, CheckKind.SHIFT.value, CheckKind.DIV_BY_ZERO.value, CheckKind.BOUNDS.value)
PROPERTY_KINDS = {
    "unreach-call": (CheckKind.REACH_ERROR.value, CheckKind.ASSERT.value),
    # a left shift whose result is not representable is a signed overflow (C11 6.5.7p4)
    "no-overflow": (CheckKind.OVERFLOW.value, CheckKind.SHIFT.value),
    # ranking arguments assume a run without undefined behaviour: those checks are decided too
    "termination": (CheckKind.TERMINATION.value, *_UB_KINDS),
}

PROPERTY_CHECKS = {
    "unreach-call": ("reach-error.", "assert."),
    "no-overflow": ("overflow.signed.", "shift.overflow"),
    "termination": ("termination.",),
}
# what a "true" verdict also needs proved: the assumptions its argument rests on
ASSUMPTION_CHECKS = {
    "unreach-call": (),
    "no-overflow": (),
    "termination": UB_PREFIXES,
}


def relevant(prop: str, checks: tuple[CheckResult, ...]) -> list[CheckResult]:
    prefixes = PROPERTY_CHECKS[prop]
    return [c for c in checks if c.id.startswith(prefixes)]


def verdict_of(prop: str, fn: FunctionResult) -> tuple[str, CheckResult | None]:
    rel = relevant(prop, fn.checks)
    refuted = [c for c in rel if c.status is Status.REFUTED]
    if refuted:
        return "false", refuted[0]
    if fn.errors or fn.unsupported or any(c.reason and c.reason.startswith("unsupported") for c in fn.checks):
        return "unknown", None
    assumptions = [c for c in fn.checks if ASSUMPTION_CHECKS[prop] and c.id.startswith(ASSUMPTION_CHECKS[prop])
                   and c.id != "memory.leak"]  # not undefined behaviour
    if all(c.status is Status.PROVED for c in rel) and all(c.status is Status.PROVED for c in assumptions):
        return "true", None
    return "unknown", None


def verify_entry(path: str, text: str, options: Options, entry: str, prop: str) -> FileResult:
    from analysis.engine import verify_function

    if prop != "termination":
        options = dataclasses.replace(options, termination=False)
    options = dataclasses.replace(options, checks_enabled=PROPERTY_KINDS[prop])
    split = split_text(text, path, options)
    unit = next((u for u in functions_of(split) if u.name == entry), None)
    if unit is None:
        err = SourceError(f"entry function {entry} not found", Span.of(1, 1, 1, 2))
        return FileResult(path, (), (*split.errors, err), verdict="unknown")
    fn = verify_function(make_job(split, unit, options), entry_mode=True)
    if prop == "termination":
        fn = dataclasses.replace(fn, checks=fn.checks + recursion_termination(split, entry, options))
    verdict, check = verdict_of(prop, fn)
    return FileResult(path, (fn,), split.errors, verdict=verdict,
                      verdict_counterexample=check.counterexample if check else None)


def recursion_termination(split: SplitFile, entry: str, options: Options) -> tuple[CheckResult, ...]:
    """Each recursive function reachable from the entry ends only if its own recursion check is
    proved (for all arguments, so for those main passes); anything else keeps the verdict open."""
    from analysis.engine import verify_function

    units = {u.name: u for u in functions_of(split)}
    reachable, todo = set(), [entry]
    while todo:
        n = todo.pop()
        if n in reachable or n not in units:
            continue
        reachable.add(n)
        todo.extend(units[n].calls)
    out: list[CheckResult] = []
    for name in sorted(reachable):
        if not _reaches(units, name, name):
            continue
        unit = units[name]
        direct_only = all(not _reaches(units, c, name) or c == name for c in units[name].calls)
        rec = [c for c in verify_function(make_job(split, unit, options)).checks if c.id == "termination.recursion"]
        if direct_only and rec and all(c.status is Status.PROVED for c in rec):
            out.extend(rec)
        else:
            span = unit.name_span or unit.span
            out.append(CheckResult("termination.recursion", Status.UNKNOWN, span,
                                   reason=f"termination of the recursion in {name}() not proved"))
    return tuple(out)


def _reaches(units: Mapping[str | None, object], start: str, goal: str) -> bool:
    seen: set[str] = set()
    todo = list(getattr(units.get(start), "calls", ()))
    while todo:
        n = todo.pop()
        if n == goal:
            return True
        if n in seen or n not in units:
            continue
        seen.add(n)
        todo.extend(getattr(units[n], "calls", ()))
    return False
