"""The pycparser adapter: parse the units of one job into one AST, isolating syntax errors.

A function is parsed together with the declaration units before it (typedefs, structs,
globals, prototypes) and the callees it may inline. A declaration unit that does not parse
is dropped (and reported) so that one bad line does not hide every function of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pycparser import c_ast, c_parser

from analysis.frontend.goto_loops import rewrite_goto_loops
from analysis.frontend.units import Unit
from analysis.model import Pos, SourceError, Span

_ERR = re.compile(r"^(?P<file>.*?):(?P<line>\d+)(?::(?P<col>\d+))?:\s*(?P<msg>.*)$", re.S)


@dataclass
class Parsed:
    ast: c_ast.FileAST | None
    target_error: SourceError | None
    dropped: list[SourceError]


_context_cache: dict[str, tuple[list[c_ast.Node], list[SourceError], tuple[str, ...]]] = {}


def _parse(text: str) -> c_ast.FileAST:
    return c_parser.CParser().parse(text, "<unit>")


NESTED_TOO_DEEPLY = ("nested too deeply for prooflens's C parser (thousands of levels of parentheses, blocks "
                     "or operators): this function is not verified")


_MARKED = re.compile(r"`(\w*)\s*(\(\s*\(\s*(\w+)|\()?")


def unsupported_mark(text: str) -> str | None:
    """What the first UNSUPPORTED_MARK in ``text`` stands for (None: there is none)."""
    m = _MARKED.search(text)
    if m is None:
        return None
    word = "_" + m.group(1)
    if word in ("_truct", "_nion"):
        return "#pragma pack"
    if word == "_Alignas":
        return "_Alignas"
    if m.group(3):
        return f"__attribute__(({m.group(3).strip('_') or m.group(3)}))"
    return "__attribute__"


def _error_of(e: Exception, unit: Unit) -> SourceError:
    if isinstance(e, RecursionError):  # pycparser recurses per nesting level: not a syntax error
        span = unit.name_span or unit.span
        return SourceError(NESTED_TOO_DEEPLY, Span(span.start, span.end))
    m = _ERR.match(str(e))
    line = unit.span.start.line
    col = 1
    msg = str(e)
    if m:
        if m.group("line"):
            line = int(m.group("line"))
        if m.group("col"):
            col = int(m.group("col"))
        msg = m.group("msg")
    what = unsupported_mark(unit.text) if "Illegal character '`'" in msg else None
    if what is not None:
        return SourceError(f"unsupported: {what} at line {line} (a size, layout or behaviour the engine does not "
                           "model): the declaration is left out", Span(Pos(line, col), Pos(line, col + 1)))
    return SourceError(f"syntax error: {msg}", Span(Pos(line, col), Pos(line, col + 1)))


def parse_job(context: tuple[Unit, ...], target: Unit) -> Parsed:
    """Parse context + target. Context units that fail to parse are dropped one by one."""
    ctx_text = "".join(u.text if u.text.endswith("\n") else u.text + "\n" for u in context)
    dropped: list[SourceError] = []
    usable = list(context)
    if ctx_text not in _context_cache:
        # find the parseable subset of the context (rarely needs more than one parse)
        while usable:
            try:
                _parse("".join(u.text + "\n" for u in usable))
                break
            except Exception as e:  # noqa: BLE001 - pycparser raises several kinds
                bad = _locate(e, usable)
                dropped.append(_error_of(e, bad))
                usable.remove(bad)
        if len(_context_cache) > 64:
            _context_cache.clear()
        _context_cache[ctx_text] = ([], dropped, tuple(u.text for u in usable))
    _, dropped, texts = _context_cache[ctx_text]
    full = "".join(t + "\n" for t in texts) + target.text
    try:
        ast = _parse(full)
    except RecursionError as e:
        return Parsed(None, _error_of(e, target), list(dropped))
    except Exception as e:  # noqa: BLE001
        err = _error_of(e, target)
        if not _ERR.match(str(e)) or not re.match(r"^.*?:\d+", str(e)):
            err = _locate_with_compiler(full, target) or err
        return Parsed(None, err, list(dropped))
    for ext in ast.ext:
        if isinstance(ext, c_ast.FuncDef):
            rewrite_goto_loops(ext)
    return Parsed(ast, None, list(dropped))


def _locate(e: Exception, units: list[Unit]) -> Unit:
    """The unit a parse error points into (by line; the last one when unsure)."""
    m = _ERR.match(str(e))
    if m and m.group("line"):
        line = int(m.group("line"))
        for u in units:
            if u.span.start.line <= line <= u.span.end.line:
                return u
    return units[-1]


_GCC_ERR = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$", re.M)


def _locate_with_compiler(text: str, target: Unit) -> SourceError | None:
    """pycparser sometimes reports no position: ask the C compiler where the error is."""
    import subprocess

    try:
        p = subprocess.run(["gcc", "-fsyntax-only", "-w", "-x", "c", "-"], input=text, capture_output=True,
                           text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    for m in _GCC_ERR.finditer(p.stderr):
        line = int(m.group("line"))
        if target.span.start.line <= line <= target.span.end.line:
            col = int(m.group("col"))
            return SourceError(f"syntax error: {m.group('msg')}", Span(Pos(line, col), Pos(line, col + 1)))
    return None
