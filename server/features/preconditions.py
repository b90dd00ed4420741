"""A function's inferred precondition (``FunctionResult.inferred_requires``) as the editor shows
and writes it: one inlay hint, a hover section and a code action that inserts it as an ACSL
contract.

The engine proves a function's memory checks assuming what it needs from its pointer parameters
(``\\valid_read(a + (0 .. n-1))``, ...) and checks that at every call site; the user should see
that assumption where the function is declared, and be able to keep it as a written contract.
Everything here is placed at the line where the function's declaration starts: the unit's span
also covers the contracts and comments written before it, and the new contract goes after those.
"""

from __future__ import annotations

from lsprotocol import types

from analysis.model import Pos

from ..documents import Document, FunctionEntry, Phase

HOVER_HEADING = "Inferred precondition (checked at every call site):"
CONTRACT_INDENT = "    "  # a contract's next clauses line up under the first one: "/*@ " is 4 wide


def inferred(entry: FunctionEntry) -> tuple[str, ...]:
    """The current answer's inferred requires; none while the function is being re-verified."""
    if entry.phase is not Phase.FINAL or entry.result is None:
        return ()
    return entry.result.inferred_requires


def clauses(requires: tuple[str, ...]) -> list[str]:
    return [f"requires {r};" for r in requires]


def declaration_line(doc: Document, entry: FunctionEntry) -> int:
    """The 0-based line where the function's declaration starts, after the comments and contracts
    its unit begins with (never below the line of its name)."""
    lines = doc.lines().lines
    start = entry.unit.span.start
    name_line = entry.name_span.start.line - 1
    line, col = start.line - 1, start.column - 1
    in_comment = False
    while 0 <= line < min(name_line, len(lines)):
        text = lines[line]
        while col < len(text):
            if in_comment:
                end = text.find("*/", col)
                if end < 0:
                    break
                in_comment, col = False, end + 2
            elif text[col] in " \t\f\v":
                col += 1
            elif text.startswith("/*", col):
                in_comment, col = True, col + 2
            elif text.startswith("//", col):
                break
            else:
                return line
        line, col = line + 1, 0
    return max(name_line, 0)


def indentation(doc: Document, line0: int) -> str:
    lines = doc.lines().lines
    text = lines[line0] if 0 <= line0 < len(lines) else ""
    return text[:len(text) - len(text.lstrip(" \t"))]


def contract_comment(requires: tuple[str, ...], indent: str, eol: str = "\n") -> str:
    """``/*@ requires A;`` + one line per further clause + `` */``, as in ``tests/programs``."""
    body = (eol + indent + CONTRACT_INDENT).join(clauses(requires))
    return f"{indent}/*@ {body} */{eol}"


def line_ending(text: str) -> str:
    """The document's own line ending, so that the inserted contract does not mix them."""
    newline = text.find("\n")
    if newline > 0 and text[newline - 1] == "\r":
        return "\r\n"
    if newline < 0 and "\r" in text:
        return "\r"
    return "\n"


def hint_position(doc: Document, entry: FunctionEntry) -> types.Position:
    """Before the declaration's first character (its return type or storage class)."""
    line0 = declaration_line(doc, entry)
    return doc.lines().position(Pos(line0 + 1, len(indentation(doc, line0)) + 1))


def insert_edit(doc: Document, entry: FunctionEntry) -> types.TextEdit | None:
    """Insert the inferred requires as a contract on the line above the declaration."""
    requires = inferred(entry)
    if not requires:
        return None
    line0 = declaration_line(doc, entry)
    at = types.Position(line=line0, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at),
                          new_text=contract_comment(requires, indentation(doc, line0), line_ending(doc.text)))
