"""SV-COMP verdict mode: the whole program from an entry function, one property.

The verdict is "false" only with a counterexample from the exact execution, "true" only
when every check relevant to the property is proved, "unknown" otherwise."""

from __future__ import annotations

from analysis.model import CheckResult, FileResult, FunctionResult, SourceError, Span, Status
from analysis.options import Options
from analysis.service import functions_of, make_job, split_text

PROPERTY_CHECKS = {
    "unreach-call": ("reach-error.", "assert."),
    "no-overflow": ("overflow.signed.",),
    "termination": ("termination.",),
}


def relevant(prop: str, checks: tuple[CheckResult, ...]) -> list[CheckResult]:
    prefixes = PROPERTY_CHECKS[prop]
    return [c for c in checks if c.id.startswith(prefixes)]


def verdict_of(prop: str, fn: FunctionResult) -> tuple[str, CheckResult | None]:
    rel = relevant(prop, fn.checks)
    refuted = [c for c in rel if c.status is Status.REFUTED]
    if refuted:
        return "false", refuted[0]
    if fn.errors or any(c.reason and c.reason.startswith("unsupported") for c in fn.checks):
        return "unknown", None
    if all(c.status is Status.PROVED for c in rel):
        return "true", None
    return "unknown", None


def verify_entry(path: str, text: str, options: Options, entry: str, prop: str) -> FileResult:
    from analysis.engine import verify_function

    if prop != "termination":
        import dataclasses

        options = dataclasses.replace(options, termination=False)
    split = split_text(text, path, options)
    unit = next((u for u in functions_of(split) if u.name == entry), None)
    if unit is None:
        err = SourceError(f"entry function {entry} not found", Span.of(1, 1, 1, 2))
        return FileResult(path, (), (*split.errors, err), verdict="unknown")
    fn = verify_function(make_job(split, unit, options), entry_mode=True)
    verdict, check = verdict_of(prop, fn)
    return FileResult(path, (fn,), split.errors, verdict=verdict,
                      verdict_counterexample=check.counterexample if check else None)
