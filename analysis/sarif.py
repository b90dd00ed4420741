"""SARIF 2.1.0 output for GitHub code scanning: refuted checks are results (error for
assertion-like kinds, warning for undefined behaviour) with a codeFlow from the trace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.model import CHECK_IDS, CheckKind, FileResult, Span, Status

ERROR_KINDS = {CheckKind.ASSERT, CheckKind.POSTCONDITION, CheckKind.REACH_ERROR, CheckKind.PRECONDITION,
               CheckKind.INVARIANT, CheckKind.TERMINATION}


def _region(span: Span) -> dict[str, int]:
    return {"startLine": span.start.line, "startColumn": span.start.column,
            "endLine": span.end.line, "endColumn": max(span.end.column, span.start.column + 1)}


def _location(uri: str, span: Span, message: str | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(span)}}
    if message:
        loc["message"] = {"text": message}
    return loc


def _uri(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def to_sarif(results: list[FileResult]) -> dict[str, Any]:
    rules = [{"id": cid, "name": cid.replace(".", "-"), "shortDescription": {"text": msg},
              "defaultConfiguration": {"level": "error" if kind in ERROR_KINDS else "warning"}}
             for cid, (kind, msg) in CHECK_IDS.items()]
    index = {r["id"]: i for i, r in enumerate(rules)}
    out: list[dict[str, Any]] = []
    for fr in results:
        uri = _uri(fr.path)
        for fn in fr.functions:
            for c in fn.checks:
                if c.status is not Status.REFUTED:
                    continue
                text = f"{fn.name}: {c.message or CHECK_IDS[c.id][1]}"
                if c.counterexample and c.counterexample.inputs:
                    text += " (e.g. " + ", ".join(f"{k} = {v}" for k, v in c.counterexample.inputs) + ")"
                res: dict[str, Any] = {
                    "ruleId": c.id, "ruleIndex": index[c.id],
                    "level": "error" if c.kind in ERROR_KINDS else "warning",
                    "message": {"text": text}, "locations": [_location(uri, c.span)],
                }
                if c.counterexample and c.counterexample.trace:
                    steps = []
                    for s in c.counterexample.trace:
                        msg = ", ".join(f"{k} = {v}" for k, v in s.assigned) or s.note or "step"
                        steps.append({"location": _location(uri, Span.of(s.line, 1, s.line, 2), msg)})
                    res["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
                out.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "prooflens", "version": __version__,
                                      "rules": rules}},
                  "results": out}],
    }
