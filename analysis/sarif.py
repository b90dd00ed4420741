"""SARIF 2.1.0 output that GitHub code scanning renders well.

- one rule per check id, with the help a reader needs (``analysis.rules``), its level and tags;
- a refuted check is an error (assertion-like kinds) or a warning (undefined behaviour), and
  carries its counterexample as a code flow whose steps say the values at each step;
- an unknown check is a note that says why, so that it never fails a build as an error would;
- ``partialFingerprints`` and ``baselineState`` come from ``analysis.baseline`` (line-free).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from analysis import __version__
from analysis.baseline import FINGERPRINT_KEY, Baseline, Finding, compare, findings
from analysis.model import CHECK_IDS, CheckResult, FileResult, FunctionResult, Span, Status, message_of
from analysis.rules import RULE_DOCS, cwe_tags, help_markdown, help_text, level_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# a trace through a long loop can have thousands of steps: keep its start and its end
MAX_FLOW_STEPS = 100


@dataclass(frozen=True)
class FlowStep:
    """One step of a counterexample as people read it (shared by SARIF and the HTML report)."""

    line: int
    span: Span | None  # a precise region (the function's name, the failing expression), else the line
    text: str
    role: str  # "entry" | "step" | "failure" | "omitted"
    assigned: tuple[tuple[str, int], ...] = ()


def values_text(pairs: tuple[tuple[str, int], ...] | list[tuple[str, int]]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in pairs)


def _inputs_text(check: CheckResult) -> str:
    cx = check.counterexample
    if cx is None:
        return ""
    parts = []
    if cx.inputs:
        parts.append(values_text(cx.inputs))
    if cx.nondet:
        parts.append("nondet calls return " + ", ".join(f"{f}() = {v}" for f, v in cx.nondet))
    return "; ".join(parts)


def _new_values(check: CheckResult) -> tuple[tuple[str, int], ...]:
    """The operands at the failure, unless they only repeat the inputs."""
    cx = check.counterexample
    if cx is None or not cx.values or set(cx.values) <= set(cx.inputs):
        return ()
    return cx.values


def _failure_text(check: CheckResult) -> str:
    text = check.message or message_of(check.id)
    if _new_values(check):
        text += f" with {values_text(_new_values(check))}"
    if check.witness:
        text += f" ({check.witness})"
    return text


def flow_steps(fn: FunctionResult, check: CheckResult, limit: int = MAX_FLOW_STEPS) -> list[FlowStep]:
    """The counterexample of a refuted check as steps: the inputs where the function starts, each
    traced line with what it assigned, and the failure with the values of its operands. Without a
    trace, one step at the failure that names the inputs too."""
    cx = check.counterexample
    failure = FlowStep(check.span.start.line, check.span, _failure_text(check), "failure")
    inputs = _inputs_text(check)
    if cx is None or not cx.trace:
        text = f"with {inputs}: {failure.text}" if inputs else failure.text
        return [FlowStep(failure.line, failure.span, text, "failure")]
    entry = FlowStep(fn.name_span.start.line, fn.name_span,
                     f"{fn.name} is called with {inputs}" if inputs else f"{fn.name} is called (no inputs)", "entry")
    trace = list(cx.trace)
    if trace[-1].note == "failure":
        trace.pop()
    middle = [FlowStep(s.line, None, values_text(s.assigned) or s.note or "executed", "step", s.assigned)
              for s in trace]
    room = max(2, limit - 2)
    if len(middle) > room:
        head, tail = room // 2, room - room // 2 - 1
        left_out = len(middle) - head - tail
        gap = FlowStep(middle[head].line, None, f"… {left_out} steps left out …", "omitted")
        middle = middle[:head] + [gap] + middle[len(middle) - tail:]
    return [entry, *middle, failure]


def _region(span: Span) -> dict[str, int]:
    return {"startLine": max(1, span.start.line), "startColumn": max(1, span.start.column),
            "endLine": max(span.end.line, span.start.line),
            "endColumn": max(span.end.column, span.start.column + 1)}


def _location(uri: str, line: int, span: Span | None, message: str | None = None) -> dict[str, Any]:
    region = _region(span) if span is not None else {"startLine": max(1, line)}
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
    if message:
        loc["message"] = {"text": message}
    return loc


def rules() -> list[dict[str, Any]]:
    out = []
    for cid, (kind, msg) in CHECK_IDS.items():
        doc = RULE_DOCS[cid]
        props: dict[str, Any] = {"tags": [*doc.tags, kind.value, *cwe_tags(doc)],
                                 # a refutation comes with inputs that replay it: no false alarm by design
                                 "precision": "very-high" if cid != "memory.unmodelled" else "low",
                                 "problem.severity": {"error": "error", "warning": "warning"}.get(level_of(cid),
                                                                                               "recommendation")}
        if doc.security_severity is not None and "security" in doc.tags:
            props["security-severity"] = f"{doc.security_severity:.1f}"
        out.append({
            "id": cid,
            "name": "".join(part.capitalize() for part in cid.replace("-", ".").split(".")),
            "shortDescription": {"text": msg},
            "fullDescription": {"text": doc.meaning},
            "help": {"text": help_text(cid), "markdown": help_markdown(cid)},
            "defaultConfiguration": {"level": level_of(cid)},
            "properties": props,
        })
    return out


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    c, fn = f.check, f.function
    what = c.message or message_of(c.id)
    if c.status is Status.REFUTED:
        text = f"{fn.name}: {what}"
        inputs = _inputs_text(c)
        if inputs:
            text += f" (e.g. {inputs})"
        if _new_values(c):
            text += f"; at the failure: {values_text(_new_values(c))}"
        level = level_of(c.id)
    else:
        text = f"{fn.name}: {what}: unknown: {c.reason or 'no reason given'}"
        level = "note"
    res: dict[str, Any] = {
        "ruleId": c.id, "ruleIndex": rule_index, "level": level, "message": {"text": text},
        "locations": [{**_location(f.uri, c.span.start.line, c.span),
                       "logicalLocations": [{"name": fn.name, "fullyQualifiedName": fn.name, "kind": "function"}]}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"function": fn.name, "status": c.status.value},
    }
    if c.status is Status.REFUTED:
        steps = [{"location": _location(f.uri, s.line, s.span, s.text), "executionOrder": i + 1,
                  "importance": "essential" if s.role in ("entry", "failure") else "important"}
                 for i, s in enumerate(flow_steps(fn, c))]
        res["codeFlows"] = [{"message": {"text": f"a counterexample for {c.id} in {fn.name}"},
                             "threadFlows": [{"locations": steps}]}]
        if c.counterexample is not None:  # the trace is in the code flow already
            res["properties"]["counterexample"] = {k: v for k, v in c.counterexample.to_json().items()
                                                   if k != "trace"}
    else:
        res["properties"]["reason"] = c.reason
    return res


def to_sarif(results: list[FileResult], baseline: Baseline | None = None,
             texts: dict[str, str] | None = None) -> dict[str, Any]:
    """``texts``: the source of each path, when the caller has it (else the files are read)."""
    rule_list = rules()
    index = {r["id"]: i for i, r in enumerate(rule_list)}
    problems = [f for f in findings(results, texts) if f.status is not Status.PROVED]
    out = [_result(f, index[f.check.id]) for f in problems]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "prooflens", "version": __version__, "semanticVersion": __version__,
                            "rules": rule_list}},
        "columnKind": "unicodeCodePoints",
        "results": out,
    }
    if baseline is not None:
        cmp = compare(problems, baseline)
        for f, res in zip(problems, out, strict=True):
            res["baselineState"] = cmp.of(f)
        states = Counter(res["baselineState"] for res in out)
        # gone results are counted, not emitted: GitHub would show an "absent" result as an open alert
        run["properties"] = {"baseline": {
            "file": baseline.source, "new": states["new"], "unchanged": states["unchanged"],
            "absent": len(cmp.absent),
            "absentResults": [{"ruleId": e.check_id, "function": e.function, "path": e.path, "status": e.status.value,
                               "lineInBaseline": e.line} for e in cmp.absent]}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
