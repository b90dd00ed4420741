"""textDocument/hover.

On a function's name: its status, its inferred precondition, each check with its line and time,
and the witnesses (invariants, ranking functions). On a refuted or unknown check's range: the
counterexample as a markdown table of inputs, the values in the failing expression, and the trace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from analysis.model import CheckResult, Status

from ..convert import contains
from ..documents import Document, FunctionEntry, Phase
from . import code_lens, preconditions

if TYPE_CHECKING:
    from ..app import ProoflensServer

ICON = {Status.PROVED: "✔", Status.REFUTED: "✘", Status.UNKNOWN: "?"}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def function_markdown(entry: FunctionEntry) -> str:
    lines = [f"**{entry.name}** — {code_lens.title(entry)}", ""]
    res = entry.result
    if entry.phase is not Phase.FINAL:
        lines.append("_The function changed; its previous answer no longer applies._"
                     if entry.had_result else "_Being verified._")
        return "\n".join(lines)
    if res is None:
        lines.append(f"No answer: {entry.error or 'unknown'}")
        return "\n".join(lines)
    for err in res.errors:
        lines.append(f"- ⚠ line {err.span.start.line + entry.offset}: {_md(err.message)}")
    requires = preconditions.inferred(entry)
    if requires:
        lines += [f"**{preconditions.HOVER_HEADING}**", ""]
        lines += [f"- `{clause}`" for clause in preconditions.clauses(requires)]
        lines.append("")
    if res.checks:
        lines += ["| | check | line | time | note |", "|---|---|---|---|---|"]
        for c in res.checks:
            note = c.reason if c.status is Status.UNKNOWN else (
                "unreachable: no execution gets here" if c.unreachable else (c.witness or ""))
            lines.append(f"| {ICON[c.status]} | `{c.id}` {_md(code_lens.describe(c))} | "
                         f"{c.span.start.line + entry.offset} | {code_lens.format_ms(c.time_ms)} | {_md(note or '')} |")
    witnesses = [c for c in res.checks if c.witness and c.status is Status.PROVED]
    if witnesses:
        lines += ["", "**Witnesses**", ""]
        for c in witnesses:
            label = "ranking function" if c.kind.value == "termination" else "invariant"
            lines.append(f"- line {c.span.start.line + entry.offset}, {label}: `{c.witness}`")
    lines += ["", f"_{len(res.checks)} checks in {code_lens.format_ms(res.time_ms)}_"]
    return "\n".join(lines)


def certificate_markdown(check: CheckResult, off: int) -> list[str]:
    """What the independent checker accepted, in words: the user can re-read the argument."""
    out = []
    if check.unreachable:
        out += ["**Proved: unreachable** — no execution reaches this check (dead code).", ""]
    cert = check.certificate
    if not cert:
        return out
    took = cert.get("checked_ms")
    out.append("**Certificate**" + (f" (accepted by the independent checker in {took:g} ms)" if took is not None
                                    else ""))
    out.append("")
    if cert.get("method") == "unrolling":
        out.append(f"- every loop ends within {cert.get('unroll')} iterations, and every path was explored")
    for loop in cert.get("loops", []):
        where = f"loop at line {loop.get('line', 0) + off}"
        if "unroll" in loop:
            out.append(f"- {where}: executed exactly (at most {loop['unroll']} iterations)")
        else:
            out.append(f"- {where}: invariant `{_md(str(loop.get('text', loop.get('invariant'))))}`")
    return out


def check_markdown(entry: FunctionEntry, check: CheckResult) -> str:
    off = entry.offset
    head = f"**{ICON[check.status]} {_md(check.message or code_lens.describe(check))}** " \
           f"(`{check.id}`, line {check.span.start.line + off}, in `{entry.name}`)"
    lines = [head, ""]
    if check.status is Status.UNKNOWN:
        lines.append(f"Not proved: {_md(check.reason or 'no answer')}.")
    if check.status is Status.PROVED:
        lines += certificate_markdown(check, off)
    cx = check.counterexample
    if cx is not None:
        if cx.inputs:
            lines += ["**Counterexample**", "", "| input | value |", "|---|---|"]
            lines += [f"| `{_md(n)}` | {v} |" for n, v in cx.inputs]
            lines.append("")
        if cx.nondet:
            lines += ["| nondet call | value |", "|---|---|"]
            lines += [f"| `{_md(n)}()` | {v} |" for n, v in cx.nondet]
            lines.append("")
        if cx.values:
            lines += ["**Values in the failing expression**", "", "| expression | value |", "|---|---|"]
            lines += [f"| `{_md(n)}` | {v} |" for n, v in cx.values]
            lines.append("")
        if cx.trace:
            lines += ["**Trace**", ""]
            for i, step in enumerate(cx.trace, 1):
                assigned = ", ".join(f"`{n}` = {v}" for n, v in step.assigned)
                note = f" {_md(step.note)}" if step.note else ""
                lines.append(f"{i}. line {step.line + off}:{note} {assigned}".rstrip())
    if check.witness:
        lines += ["", f"Witness: `{check.witness}`"]
    return "\n".join(lines)


class HoverFeature:
    def __init__(self, server: ProoflensServer) -> None:
        self.server = server

    def hover(self, doc: Document, position: types.Position) -> types.Hover | None:
        index = doc.lines()
        pos = index.to_analysis(position)
        for entry in doc.functions:
            if contains(entry.name_span, pos):
                return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                                value=function_markdown(entry)),
                                   range=index.range(entry.name_span))
        for entry in doc.functions:
            if entry.result is None or entry.phase is not Phase.FINAL or not contains(entry.unit.span, pos):
                continue
            hits = [c for c in entry.result.checks
                    if c.status is not Status.PROVED and contains(c.span, pos, entry.offset)]
            if hits:
                hits.sort(key=lambda c: (c.status is not Status.REFUTED, c.span.start.line, -c.span.start.column))
                text = "\n\n---\n\n".join(check_markdown(entry, c) for c in hits[:3])
                return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                                   range=index.range(hits[0].span, entry.offset))
        return None
