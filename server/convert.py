"""The ONE place where analysis positions become LSP positions (and back).

Convention (see :mod:`analysis.model`): analysis positions are **1-based** lines and
**1-based** columns counted in characters (Unicode code points) of the user's file; a span's
end column is the column just after its last character. LSP positions are **0-based** lines
and 0-based ``character`` offsets counted in the negotiated position encoding (UTF-16 code
units unless the client offered UTF-8 or UTF-32); an LSP range's end is exclusive too.
So: ``lsp.line = line - 1 + offset`` and ``lsp.character = units(line_text[:column - 1])``.

``offset`` lets the caller place a result that is stored relative to its function (line
numbers counted from the function's first line) without copying it first: on the keystroke
path 500 cached results are re-positioned by passing their function's start line here.
Lines end where LSP's do: at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (as the preprocessor counts
them too), and nowhere else.
"""

from __future__ import annotations

import re

from lsprotocol import types

from analysis.model import Pos, Span

_LINE_END = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """The current text's lines and the client's position encoding."""

    __slots__ = ("lines", "encoding")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.lines = text.split("\n") if "\r" not in text else _LINE_END.split(text)
        self.encoding = str(getattr(encoding, "value", encoding))  # PositionEncodingKind or its string

    # -- analysis (1-based, code points) -> LSP (0-based, encoding units) --------------------
    def _units(self, line0: int, col0: int) -> int:
        if col0 <= 0:
            return 0
        if not 0 <= line0 < len(self.lines):
            return col0
        text = self.lines[line0]
        if text.isascii():
            return min(col0, len(text))
        prefix = text[:col0]
        if self.encoding == "utf-32":
            return len(prefix)
        if self.encoding == "utf-8":
            return len(prefix.encode("utf-8", "surrogatepass"))
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, pos: Pos, offset: int = 0) -> types.Position:
        line0 = max(0, pos.line - 1 + offset)
        return types.Position(line=line0, character=self._units(line0, pos.column - 1))

    def range(self, span: Span, offset: int = 0) -> types.Range:
        start = self.position(span.start, offset)
        end = self.position(span.end, offset)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start=start, end=end)

    # -- the same as plain JSON (the keystroke path publishes hundreds of these) ----------------
    def raw_position(self, pos: Pos, offset: int = 0) -> dict[str, int]:
        line0 = max(0, pos.line - 1 + offset)
        return {"line": line0, "character": self._units(line0, pos.column - 1)}

    def raw_range(self, span: Span, offset: int = 0) -> dict[str, dict[str, int]]:
        start = self.raw_position(span.start, offset)
        end = self.raw_position(span.end, offset)
        if (end["line"], end["character"]) < (start["line"], start["character"]):
            end = start
        return {"start": start, "end": end}

    def raw_line_range(self, line: int, offset: int = 0) -> dict[str, dict[str, int]]:
        """The whole of a 1-based source line, from its first non-blank character."""
        line0 = max(0, line - 1 + offset)
        if line0 >= len(self.lines):
            return {"start": {"line": line0, "character": 0}, "end": {"line": line0, "character": 0}}
        text = self.lines[line0]
        indent = self._units(line0, len(text) - len(text.lstrip()))
        return {"start": {"line": line0, "character": indent},
                "end": {"line": line0, "character": self._units(line0, len(text))}}

    def line_range(self, line: int, offset: int = 0) -> types.Range:
        """The whole of a 1-based source line (for trace steps, which carry only a line)."""
        line0 = max(0, line - 1 + offset)
        length = self._units(line0, len(self.lines[line0])) if line0 < len(self.lines) else 0
        indent = 0
        if line0 < len(self.lines):
            text = self.lines[line0]
            indent = self._units(line0, len(text) - len(text.lstrip()))
        return types.Range(start=types.Position(line=line0, character=indent),
                           end=types.Position(line=line0, character=length))

    def end_of_line(self, line: int, offset: int = 0) -> types.Position:
        line0 = max(0, line - 1 + offset)
        if line0 >= len(self.lines):
            return types.Position(line=line0, character=0)
        text = self.lines[line0]
        return types.Position(line=line0, character=self._units(line0, len(text)))

    # -- LSP -> analysis ---------------------------------------------------------------------
    def to_analysis(self, position: types.Position) -> Pos:
        """The 1-based line and code-point column of an LSP position in this text."""
        line0 = position.line
        col = position.character
        if 0 <= line0 < len(self.lines) and not self.lines[line0].isascii() and self.encoding != "utf-32":
            text = self.lines[line0]
            units = 0
            chars = 0
            for ch in text:
                if units >= col:
                    break
                units += (len(ch.encode("utf-8", "surrogatepass")) if self.encoding == "utf-8"
                          else len(ch.encode("utf-16-le", "surrogatepass")) // 2)
                chars += 1
            col = chars
        return Pos(line0 + 1, col + 1)


def contains(span: Span, pos: Pos, offset: int = 0) -> bool:
    """Whether a (relative, shifted by ``offset``) analysis span contains an analysis position."""
    start = (span.start.line + offset, span.start.column)
    end = (span.end.line + offset, span.end.column)
    return start <= (pos.line, pos.column) <= end
