"""textDocument/inlayHint (toggle ``inlayHints``): the invariant or ranking function that proved
a loop, shown at the end of the loop head's line so that it never pushes code sideways; and a
function's inferred precondition, before its declaration where a written contract would stand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from analysis.model import CheckKind, Status

from ..documents import Document, FunctionEntry, Phase
from . import preconditions
from .code_lens import short

if TYPE_CHECKING:
    from ..app import ProoflensServer


class InlayHintFeature:
    def __init__(self, server: ProoflensServer) -> None:
        self.server = server

    def hints(self, doc: Document, rng: types.Range) -> list[types.InlayHint]:
        if not self.server.config.inlay_hints:
            return []
        index = doc.lines()
        out: list[types.InlayHint] = []
        seen: set[tuple[int, str]] = set()
        for entry in doc.functions:
            if entry.phase is not Phase.FINAL or entry.result is None:
                continue
            hint = self.precondition_hint(doc, entry, rng)
            if hint is not None:
                out.append(hint)
            for c in entry.result.checks:
                if not c.witness or c.status is not Status.PROVED:
                    continue
                line = c.span.start.line + entry.offset
                if not rng.start.line <= line - 1 <= rng.end.line:
                    continue
                kind = "ranking function" if c.kind is CheckKind.TERMINATION else "invariant"
                label = f"{kind}: {short(c.witness, 60)}"
                if (line, label) in seen:
                    continue
                seen.add((line, label))
                out.append(types.InlayHint(position=index.end_of_line(line), label=f"⟨{label}⟩",
                                           padding_left=True, tooltip=f"{c.id} proved with {kind}: {c.witness}"))
        return out

    @staticmethod
    def precondition_hint(doc: Document, entry: FunctionEntry, rng: types.Range) -> types.InlayHint | None:
        """``⟨requires \\valid_read(a);⟩`` before the declaration: what every caller must give."""
        requires = preconditions.inferred(entry)
        if not requires:
            return None
        position = preconditions.hint_position(doc, entry)
        if not rng.start.line <= position.line <= rng.end.line:
            return None
        written = " ".join(preconditions.clauses(requires))
        tooltip = "\n".join([f"{entry.name}: {preconditions.HOVER_HEADING}", *preconditions.clauses(requires)])
        return types.InlayHint(position=position, label=f"⟨{short(written, 80)}⟩", padding_right=True,
                               tooltip=tooltip)
