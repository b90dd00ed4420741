"""A stand-in splitter and engine for the server's unit tests (not used by the e2e tests).

The real ``analysis.frontend.split`` and ``analysis.engine`` are developed in parallel; these
fakes implement the same contracts in a few lines so the server's own logic (keys, caching,
scheduling, cancellation, publishing) can be tested deterministically and fast:

- split: top-level units by brace matching over a comment-blind token stream;
- engine: one ``assert.violated`` check per ``BUG`` token (refuted, with a counterexample),
  one unknown check per ``SLOW``, a proved ``overflow.signed.add`` check per ``+``; the token
  ``SLEEP`` makes the job sleep 60 s (to test cancellation), ``CRASH`` kills the worker;
  ``REQUIRES("\\\\valid_read(a)")`` adds the string's ACSL to the function's inferred requires.
"""

from __future__ import annotations

import hashlib
import os
import re
import time

from analysis.frontend.units import SplitFile, Unit, UnitKind
from analysis.model import CheckResult, Counterexample, FunctionResult, Span, Status, TraceStep
from analysis.options import Options

_TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<pp>^[ \t]*\#[^\n]*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<num>\d\w*)
  | (?P<ws>\s+)
  | (?P<punct>.)
""", re.S | re.M | re.X)


def _tokens(text: str) -> list[tuple[str, str, int, int, int]]:
    """(kind, text, line, column, end offset) of every significant token, 1-based positions."""
    out = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        s = m.group()
        if kind not in ("comment", "ws", "pp"):
            out.append((kind, s, line, m.start() - line_start + 1, m.end()))
        nl = s.count("\n")
        if nl:
            line += nl
            line_start = m.start() + s.rindex("\n") + 1
    return out


def _pos(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def fake_split(text: str, path: str, options: Options) -> SplitFile:
    toks = _tokens(text)
    units: list[Unit] = []
    i = 0
    while i < len(toks):
        start = i
        depth = 0
        body = False
        name = None
        name_tok = None
        j = i
        while j < len(toks):
            s = toks[j][1]
            if s == "{":
                if depth == 0 and toks[j - 1][1] == ")" and name is None:
                    # the identifier before the first '(' of this declaration
                    for t in range(start, j):
                        if toks[t][1] == "(" and t > start and toks[t - 1][0] == "ident":
                            name, name_tok = toks[t - 1][1], toks[t - 1]
                            break
                    body = True
                depth += 1
            elif s == "}":
                depth -= 1
                if depth <= 0 and body:
                    break
                depth = max(depth, 0)
            elif s == ";" and depth == 0:
                break
            j += 1
        j = min(j, len(toks) - 1)
        seg = toks[start:j + 1]
        key = hashlib.sha256(" ".join(t[1] for t in seg).encode()).hexdigest()[:16]
        end_line, end_col = _pos(text, seg[-1][4])
        span = Span.of(seg[0][2], seg[0][3], end_line, end_col)
        calls = tuple(dict.fromkeys(seg[t][1] for t in range(len(seg) - 1)
                                    if seg[t][0] == "ident" and seg[t + 1][1] == "("))
        if body and name is not None and name_tok is not None:
            nspan = Span.of(name_tok[2], name_tok[3], name_tok[2], name_tok[3] + len(name))
            unit_text = f'# {seg[0][2]} "{path}"\n' + text[_offset(text, seg[0][2], seg[0][3]):seg[-1][4]]
            units.append(Unit(UnitKind.FUNCTION, name, unit_text, span, nspan, key,
                              tuple(c for c in calls if c != name), True))
        else:
            units.append(Unit(UnitKind.DECLARATION, None, "", span, None, key, calls, True))
        i = j + 1
    return SplitFile(path, tuple(units), ())


def _offset(text: str, line: int, col: int) -> int:
    off = 0
    for _ in range(line - 1):
        off = text.index("\n", off) + 1
    return off + col - 1


def fake_verify(job) -> FunctionResult:  # type: ignore[no-untyped-def]
    """The worker side: deterministic checks from marker tokens (see the module docstring)."""
    unit = job.target
    toks = _tokens(unit.text.split("\n", 1)[1] if "\n" in unit.text else "")
    first = unit.span.start.line
    checks: list[CheckResult] = []
    requires = tuple(toks[i + 2][1][1:-1].replace("\\\\", "\\") for i in range(len(toks) - 2)
                     if toks[i][1] == "REQUIRES" and toks[i + 2][0] == "string")
    for _kind, s, line, col, _ in toks:
        line += first - 1
        if line == first:
            col += unit.span.start.column - 1
        span = Span.of(line, col, line, col + len(s))
        if s == "BUG":
            cx = Counterexample((("x", 7), ("y", -3)), trace=(TraceStep(line, (("x", 7),)),), values=(("x - y", 10),))
            checks.append(CheckResult("assert.violated", Status.REFUTED, span, counterexample=cx))
        elif s == "SLOW":
            checks.append(CheckResult("overflow.signed.mul", Status.UNKNOWN, span, reason="timeout"))
        elif s == "+":
            checks.append(CheckResult("overflow.signed.add", Status.PROVED, span, time_ms=1.0))
        elif s == "LOOP":
            checks.append(CheckResult("termination.loop", Status.PROVED, span, witness="x - y + 1"))
        elif s == "SLEEP":
            time.sleep(60)
        elif s == "CRASH":
            os._exit(3)
    name_span = unit.name_span or unit.span
    return FunctionResult(job.function, unit.span, name_span, tuple(checks), 1.0, inferred_requires=requires)


def serve_with_fakes(argv: list[str]) -> int:
    """Run the real server with the fake splitter and engine (used by test_server_lsp.py)."""
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import test_server_fakes as fakes  # by module name, so workers can unpickle fake_verify

    from analysis import service
    from server import app, main

    if "--real-split" in argv:
        argv = [a for a in argv if a != "--real-split"]
    else:
        service.split_text = fakes.fake_split  # type: ignore[assignment]
    original = app.ProoflensServer.__init__

    def init(self, **kw):  # type: ignore[no-untyped-def]
        original(self, runner=fakes.fake_verify, **kw)

    app.ProoflensServer.__init__ = init  # type: ignore[method-assign]
    return main.serve(argv)


if __name__ == "__main__":
    import sys

    sys.exit(serve_with_fakes(sys.argv[1:]))
