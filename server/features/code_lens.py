"""Code lenses: one per function, its status in one line; clicking it re-verifies the function.

The same text is what clients without code lenses (Emacs eglot) get as a Hint diagnostic on
the function's name (see :mod:`server.features.diagnostics`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.model import CheckResult, FunctionResult, Status, message_of

from ..documents import Document, FunctionEntry, Phase

if TYPE_CHECKING:
    from ..app import ProoflensServer

VERIFY_FUNCTION = "prooflens.verifyFunction"
VERIFY_FILE = "prooflens.verifyFile"


def format_ms(ms: float) -> str:
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def short(text: str, limit: int = 60) -> str:
    """Cut at a word boundary, without an ellipsis: "…" is what a *pending* lens shows."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:") + " [more]"


# Which refuted check a lens names first: what the user asserted, then undefined behaviour,
# then non-termination (a liveness answer usually explained by the others).
_RANK = {"assert": 0, "postcondition": 0, "reach-error": 0, "precondition": 0, "invariant": 0,
         "termination": 2}


def _line(check: CheckResult, offset: int) -> int:
    return check.span.start.line + offset


def describe(check: CheckResult) -> str:
    try:
        return message_of(check.id)
    except KeyError:
        return check.message or check.id


def result_title(result: FunctionResult, offset: int) -> str:
    """``✔ proved · 3 checks · 12 ms`` / ``✘ refuted: … (line 12)`` / ``? unknown: timeout``."""
    if result.errors:
        return f"⚠ not verified: {short(result.errors[0].message, 50)}"
    status = result.status
    n = len(result.checks)
    if status is Status.PROVED:
        dead = [c for c in result.checks if c.unreachable]
        # dead code is not a success: say where it is, as Frama-C's smoke tests do
        unreached = f" · {len(dead)} unreachable (line {_line(dead[0], offset)})" if dead else ""
        return f"✔ proved · {n} check{'s' if n != 1 else ''}{unreached} · {format_ms(result.time_ms)}"
    if status is Status.REFUTED:
        bad = sorted((c for c in result.checks if c.status is Status.REFUTED),
                     key=lambda c: (_RANK.get(c.kind.value, 1), c.span.start.line, c.span.start.column))
        more = f" · +{len(bad) - 1} more" if len(bad) > 1 else ""
        return f"✘ refuted: {describe(bad[0])} (line {_line(bad[0], offset)}){more}"
    unknown = [c for c in result.checks if c.status is Status.UNKNOWN]
    first = unknown[0]
    reason = short(first.reason or "no answer", 48)
    proved = f" · {n - len(unknown)}/{n} proved" if n > 1 else ""
    return f"? unknown: {reason} (line {_line(first, offset)}){proved}"


def title(entry: FunctionEntry) -> str:
    if entry.phase is Phase.FINAL:
        if entry.result is not None:
            return result_title(entry.result, entry.offset)
        return f"? unknown: {short(entry.error or 'no answer', 60)}"
    if entry.phase is Phase.RUNNING or not entry.had_result:
        return "… verifying"
    return "stale"


class CodeLensFeature:
    """textDocument/codeLens."""

    def __init__(self, server: ProoflensServer) -> None:
        self.server = server

    def lenses(self, doc: Document) -> list[dict[str, Any]]:
        """The lenses as plain LSP JSON (500 of them through cattrs cost tens of milliseconds)."""
        out = []
        for entry in doc.functions:
            line = max(0, entry.name_span.start.line - 1)
            pos = {"line": line, "character": 0}
            out.append({"range": {"start": pos, "end": pos},
                        "command": {"title": title(entry), "command": VERIFY_FUNCTION,
                                    "arguments": [doc.uri, entry.name]}})
        return out
