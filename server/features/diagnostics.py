"""textDocument/publishDiagnostics: one diagnostic per refuted (and, configurably, unknown) check.

- ``code`` is the stable check id, ``source`` is "prooflens", the message carries a short
  counterexample, ``relatedInformation`` the trace (when the client supports it), ``data``
  what the code action needs to find the check again.
- Severity: error for assert / postcondition / reach-error / precondition / invariant,
  warning for undefined behaviour and termination, both configurable; unknown checks are
  information unless configured otherwise; syntax and source errors are errors.
- For clients without code lenses (eglot) each function's status is also published as a
  Hint on its name, carrying the lens text.

Always built from the document's *current* state and sent with its current version.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from analysis.model import CheckResult, FunctionResult, SourceError, Status

from ..documents import Document, FunctionEntry
from . import code_lens

if TYPE_CHECKING:
    from ..app import ProoflensServer

SOURCE = "prooflens"
STATUS_CODE = "prooflens.status"
KEY_CHARS = 20  # of the function key, in a diagnostic's data: enough to find the function again
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def counterexample_summary(check: CheckResult, limit: int = 4) -> str:
    cx = check.counterexample
    if cx is None or not cx.inputs:
        return ""
    parts = [f"{name} = {value}" for name, value in cx.inputs[:limit]]
    if len(cx.inputs) > limit:
        parts.append(f"and {len(cx.inputs) - limit} more")
    return " — e.g. " + ", ".join(parts)


_LINE = re.compile(r'"line": (\d+)')


class _Fragment:
    """One function's diagnostics as JSON text, re-renderable at another first line."""

    __slots__ = ("result", "offset", "text", "_pieces", "_lines")

    def __init__(self, result: Any, offset: int, text: str) -> None:
        self.result, self.offset, self.text = result, offset, text
        self._pieces: list[str] | None = None
        self._lines: list[int] = []

    def at(self, offset: int) -> str:
        delta = offset - self.offset
        if delta == 0 or not self.text:
            return self.text
        if self._pieces is None:
            pieces, last = [], 0
            for m in _LINE.finditer(self.text):
                pieces.append(self.text[last:m.start(1)])
                self._lines.append(int(m.group(1)))
                last = m.end(1)
            pieces.append(self.text[last:])
            self._pieces = pieces
        out = [self._pieces[0]]
        for piece, line in zip(self._pieces[1:], self._lines, strict=True):
            out.append(str(line + delta))
            out.append(piece)
        return "".join(out)


class DiagnosticsFeature:
    """Builds and publishes a document's diagnostics.

    Diagnostics are built as plain LSP JSON and sent without going through cattrs: a comment
    edit in a 500-function file republishes every diagnostic at a new line, and the attrs
    round trip alone would eat most of the 50 ms budget.
    """

    def __init__(self, server: ProoflensServer) -> None:
        self.server = server
        # result identity -> (the result, its checks that can produce a diagnostic): most
        # functions are proved, and the keystroke path should not look at their checks again
        self._shown: dict[int, tuple[FunctionResult, tuple[CheckResult, ...]]] = {}
        self._fragments: dict[str, dict[tuple[Any, ...], _Fragment]] = {}  # uri -> encoded functions

    def _not_proved(self, res: FunctionResult) -> tuple[CheckResult, ...]:
        hit = self._shown.get(id(res))
        if hit is not None and hit[0] is res:
            return hit[1]
        if len(self._shown) > 50_000:
            self._shown.clear()
        checks = tuple(c for c in res.checks if c.status is not Status.PROVED or c.unreachable)
        self._shown[id(res)] = (res, checks)
        return checks

    def build(self, doc: Document) -> list[dict[str, Any]]:
        """All diagnostics of the document as plain LSP JSON (tests and tools)."""
        return list(json.loads(self.encode(doc)))

    def encode(self, doc: Document) -> str:
        """The diagnostics array as JSON text, from per-function fragments.

        A function's fragment depends on its result, its phase, the settings and its first
        line. Fragments are cached per function and, when only the first line moved (an edit
        above it), re-rendered by adding the shift to every ``"line"`` value of the cached JSON:
        ranges and ``data.line`` are all "function start + constant" (the key covers the
        function's own layout). So a comment newline at the top of a 500-function file costs
        string joins, not 500 encodings, and a result arriving during a cold run re-encodes one
        function. Only for all-ASCII text: elsewhere an edit can move UTF-16 columns without
        changing any key. Status hints (their message names a line) are cached per line.
        """
        cfg = self.server.config
        related = self.server.caps.related_information
        status_hints = self.server.wants_status_diagnostics()
        cacheable = doc.text.isascii()
        old = self._fragments.get(doc.uri, {}) if cacheable else {}
        new: dict[tuple[Any, ...], _Fragment] = {}
        parts = [json.dumps(self._source_error(doc, e)) for e in doc.errors]
        setting = (self.server.config_generation, related, status_hints)
        for entry in doc.functions:
            key = (id(entry.result), entry.key, entry.phase, entry.had_result, entry.error, setting,
                   entry.offset if status_hints else None)
            frag = old.get(key)
            if frag is None or frag.result is not entry.result:
                diags = self._function(doc, entry, cfg, related, status_hints)
                frag = _Fragment(entry.result, entry.offset, json.dumps(diags)[1:-1] if diags else "")
            text = frag.at(entry.offset)
            if cacheable:
                new[key] = frag
            if text:
                parts.append(text)
        self._fragments[doc.uri] = new
        return "[" + ",".join(parts) + "]"

    def _function(self, doc: Document, entry: FunctionEntry, cfg: Any, related: bool,
                  status_hints: bool) -> list[dict[str, Any]]:
        index = doc.lines()
        unknown_level = SEVERITY.get(cfg.unknown_severity)
        out: list[dict[str, Any]] = []
        res = entry.result
        if res is not None:
            off = entry.offset
            for err in res.errors:
                out.append(self._source_error(doc, err, off))
            for check in self._not_proved(res):
                if check.unreachable:  # dead code: shown faded, never as a success
                    out.append(self._dead(doc, entry, check))
                    continue
                if check.status is Status.REFUTED:
                    severity = SEVERITY[cfg.severity_of(check.kind.value)]
                elif unknown_level is None:
                    continue
                else:
                    severity = unknown_level
                out.append(self._check(doc, entry, check, severity, related))
        elif entry.error is not None and unknown_level is not None:
            out.append({"range": index.raw_range(entry.name_span), "severity": int(unknown_level),
                        "source": SOURCE, "code": "prooflens.failed",
                        "message": f"{entry.name} not verified: {entry.error}"})
        if status_hints:
            out.append({"range": index.raw_range(entry.name_span), "message": code_lens.title(entry),
                        "severity": int(types.DiagnosticSeverity.Hint), "source": SOURCE, "code": STATUS_CODE,
                        "data": {"function": entry.name}})
        return out

    def _dead(self, doc: Document, entry: FunctionEntry, check: CheckResult) -> dict[str, Any]:
        return {"range": doc.lines().raw_range(check.span, entry.offset),
                "message": f"unreachable: no execution reaches this {code_lens.describe(check)} check (dead code)",
                "severity": int(types.DiagnosticSeverity.Hint), "source": SOURCE, "code": "unreachable",
                "tags": [int(types.DiagnosticTag.Unnecessary)],
                "data": {"function": entry.name, "check": check.id, "line": check.span.start.line + entry.offset,
                         "status": "unreachable"}}

    def _source_error(self, doc: Document, err: SourceError, offset: int = 0) -> dict[str, Any]:
        return {"range": doc.lines().raw_range(err.span, offset), "message": err.message,
                "severity": int(SEVERITY.get(err.severity, types.DiagnosticSeverity.Error)),
                "source": SOURCE, "code": "source.error"}

    def _check(self, doc: Document, entry: FunctionEntry, check: CheckResult,
               severity: types.DiagnosticSeverity, related: bool) -> dict[str, Any]:
        index = doc.lines()
        off = entry.offset
        what = code_lens.describe(check)
        if check.status is Status.REFUTED:
            message = (check.message or what) + counterexample_summary(check)
        else:
            message = f"not proved: {check.message or what} ({check.reason or 'no answer'})"
        d: dict[str, Any] = {
            "range": index.raw_range(check.span, off), "message": message, "severity": int(severity),
            "source": SOURCE, "code": check.id,
            "data": {"function": entry.name, "key": entry.key[:KEY_CHARS], "check": check.id,
                     "line": check.span.start.line + off, "status": check.status.value}}
        if related and check.counterexample is not None and check.counterexample.trace:
            info = []
            for step in check.counterexample.trace[:50]:
                text = ", ".join(f"{n} = {v}" for n, v in step.assigned) or step.note or "reached"
                if step.note and step.assigned:
                    text = f"{step.note}: {text}"
                info.append({"location": {"uri": doc.uri, "range": index.raw_line_range(step.line, off)},
                             "message": text})
            d["relatedInformation"] = info
        return d

    def publish(self, doc: Document) -> None:
        version = f', "version": {int(doc.version)}' if doc.version is not None else ""
        params = f'{{"uri": {json.dumps(doc.uri)}{version}, "diagnostics": {self.encode(doc)}}}'
        self.server.send_raw_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def clear(self, uri: str) -> None:
        self._fragments.pop(uri, None)
        self.server.send_raw_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                                          f'{{"uri": {json.dumps(uri)}, "diagnostics": []}}')
