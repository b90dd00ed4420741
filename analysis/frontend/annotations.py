"""ACSL annotations -> C that pycparser can parse, before the preprocessor deletes comments.

Runs on the user's text before ``cpp``. Every comment is blanked to spaces at its own length
(newlines kept) so that lines and columns of the code stay those of the user's file; an ACSL
comment (``/*@ ... */`` or ``//@ ...``) is instead rewritten in place, keeping its number of
newlines:

* before a function (at brace depth 0): ``requires P; ensures Q; decreases E;`` become the
  pseudo function ``void __pl_contract(void) { __pl_requires(N, P); __pl_ensures(N2, Q);
  __pl_decreases(N3, E); }``; ``assigns L1, L2;`` becomes ``__pl_assigns(N4, L1, L2)`` (``\\nothing``:
  no location; a ``\\from`` part is dropped), any ``frees`` clause ``__pl_frees(N5)`` (its targets
  are not read: the function may free memory), and ``terminates`` is accepted and ignored;
* in a body: ``assert P;`` -> ``__pl_assert(N, P);``, ``assume P;`` -> ``__pl_assume(N, P);``,
  ``loop invariant I;`` -> ``__pl_invariant(N, I);``, ``loop variant E;`` ->
  ``__pl_variant(N, E);`` (``check``/``admit`` are Frama-C's spellings of assert/assume).

``N`` is an integer id, unique in the file, written as ``N,`` padded with spaces to a fixed
width so that renumbering never moves the tokens after it; :attr:`AnnotatedText.spans` maps it
to the span of the clause's expression in the user's file (the rewritten expression has no
usable position of its own). Expressions are rewritten token by token: ``\\result`` ->
``__pl_result``, ``\\old(e)`` and ``\\at(e, Pre)`` -> ``__pl_old(e)``, ``\\at(e, Here)`` -> ``(e)``,
``\\true``/``\\false``/``\\null`` -> ``1``/``0``/``0``, ``A ==> B`` -> ``__pl_implies((A),(B))``
(right-associative), ``A <==> B`` -> ``__pl_iff((A),(B))``, and ACSL's chained comparisons
``a <= b < c`` -> ``(a <= b) && (b < c)`` (C would silently read them as ``(a <= b) < c``).
Macros in annotations are left for ``cpp``. Anything else ACSL (quantifiers, behaviors, ghost
code, ``\\valid`` ...) becomes a warning and the clause is dropped. Never raises.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from analysis.model import Pos, SourceError, Span

__all__ = ["AnnotatedText", "AnnotatedChunks", "rewrite_annotations", "rewrite_chunks", "split_chunks", "merge_more",
           "PSEUDO_CALLS", "CONTRACT_FUNCTION", "ID_WIDTH"]

CONTRACT_FUNCTION = "__pl_contract"
# clause keyword -> pseudo call; the engine recognises exactly these names
PSEUDO_CALLS = {
    "requires": "__pl_requires",
    "ensures": "__pl_ensures",
    "decreases": "__pl_decreases",
    "assigns": "__pl_assigns",
    "frees": "__pl_frees",
    "assert": "__pl_assert",
    "assume": "__pl_assume",
    "loop invariant": "__pl_invariant",
    "loop variant": "__pl_variant",
}
ID_WIDTH = 8  # "N," padded to this width: an id change never shifts the tokens after it

_CONTRACT_CLAUSES = {"requires", "ensures", "decreases", "assigns", "frees"}
_LOCATION_CLAUSES = {"assigns", "frees"}  # lists of locations, possibly \nothing
_STATEMENT_CLAUSES = {"assert", "assume", "loop invariant", "loop variant"}
_ALIASES = {"check": "assert", "admit": "assume"}
_IGNORED = {"terminates", "allocates", "loop assigns", "loop frees", "loop allocates",
            "loop unroll", "loop pragma"}
_UNSUPPORTED = {"behavior", "behaviour", "assumes", "complete", "disjoint", "ghost", "logic", "predicate",
                "lemma", "axiomatic", "inductive", "global", "type", "invariant", "exits", "breaks",
                "continues", "returns", "reads", "for", "axiom", "model", "volatile", "loop", "slice",
                "impact", "calls", "exit_behavior", "requires_all"}
_MAX_NESTING = 100

# The scanner stops only at characters that can start something interesting.
_SCAN = re.compile(r"[^/\"'{}#]*([/\"'{}#])")
_DSCAN = re.compile(r"[^/\"'\n\\]*([/\"'\n\\])")
_STRING = re.compile(r'"(?:[^"\\\n]|\\(?:\r?\n|.)|\\$)*"?')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:\r?\n|.)|\\$)*'?")
_LINE_COMMENT = re.compile(r"//(?:[^\\\n]|\\(?:\r?\n|.)|\\$)*")
_MARGIN = re.compile(r"(?m)^([ \t]*)(@+)")
_NOT_NL = re.compile(r"[^\n]")

_ATOK = re.compile(r"""
    (?P<ws>\s+)
  | (?P<id>\\?[A-Za-z_]\w*)
  | (?P<num>(?:\d|\.\d)(?:[eEpP][+-]|\w|\.(?!\.))*)
  | (?P<str>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
  | (?P<op><==>|<-->|==>|-->|\^\^|\.\.\.|\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>=?:;,.()\[\]{}\#\\@`$])
  | (?P<bad>.)
""", re.X | re.S)

_RELATIONAL = {"<", "<=", ">", ">=", "==", "!="}
# operators binding less tightly than the comparisons: they delimit a comparison chain
_CHAIN_BREAKS = {"&&", "||", "?", ":", "&", "|", "^", "=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=",
                 "&=", "|=", "^="}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_SIMPLE = {"\\result": "__pl_result", "\\true": "1", "\\false": "0", "\\null": "0", "\\old": "__pl_old",
           "\\valid": "__pl_valid", "\\valid_read": "__pl_valid_read", "\\separated": "__pl_separated",
           "\\base_addr": "__pl_base_addr"}
_ACSL_TYPES = {"integer", "real", "boolean"}
_BINDERS = {"\\forall", "\\exists", "\\let", "\\lambda"}


@dataclass(frozen=True)
class AnnotatedText:
    """The user's text with comments blanked and ACSL rewritten (same number of lines)."""

    text: str
    spans: dict[int, Span] = field(default_factory=dict)  # annotation id -> span of its expression
    errors: tuple[SourceError, ...] = ()


@dataclass(frozen=True)
class AnnotatedChunks:
    """:func:`rewrite_chunks`' result: the rewritten chunks (some input chunks may be merged)."""

    chunks: list[str]
    spans: dict[int, Span]
    errors: tuple[SourceError, ...]


class _Unsupported(Exception):
    """An annotation we cannot translate: reported as a warning, the clause is dropped."""


@dataclass
class _Tok:
    text: str
    gap: str  # whitespace before the token
    start: int  # absolute offsets in the user's text
    end: int


@dataclass
class _Group:
    open: _Tok
    items: list[_Tok | _Group]
    close: _Tok | None


_Item = _Tok | _Group


class _Lines:
    """Offset -> 1-based (line, column), for offsets visited in increasing order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def pos(self, offset: int) -> Pos:
        text = self.text
        offset = max(0, min(offset, len(text)))
        if offset >= self.offset:
            self.line += text.count("\n", self.offset, offset)
        else:
            self.line -= text.count("\n", offset, self.offset)
        self.offset = offset
        return Pos(self.line, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    def span(self, start: int, end: int) -> Span:
        a = self.pos(start)
        return Span(a, self.pos(max(start, end)))


def _blank(s: str) -> str:
    """Spaces at the same length, newlines kept."""
    if "\n" not in s:
        return " " * len(s)
    return _NOT_NL.sub(" ", s)


def _blank_in_directive(s: str) -> str:
    """Blank a comment inside a directive: a multi-line one keeps the directive going (``\\``)."""
    if "\n" not in s:
        return " " * len(s)
    lines = s.split("\n")
    out = [(" " * (len(line) - 1) + "\\") if line else "\\" for line in lines[:-1]]
    out.append(" " * len(lines[-1]))
    return "\n".join(out)


def _on_directive_line(text: str, pos: int) -> bool:
    """Is ``pos`` inside a directive (its first line, or a continuation line of it)?"""
    ls = text.rfind("\n", 0, pos) + 1
    while True:
        if text[ls:pos].lstrip(" \t\f\v").startswith("#"):
            return True
        if ls < 2 or text[ls - 2] != "\\":
            return False
        pos = ls - 1
        ls = text.rfind("\n", 0, pos) + 1


# ---- chunks -----------------------------------------------------------------------------------

_COL1_IDENT = re.compile(r"\n[A-Za-z_]")


def split_chunks(text: str) -> list[str]:
    """Cut where a top-level declaration probably ends, without understanding anything.

    After a line starting with '}' (a function's end in any usual layout), and before a line
    starting with an identifier in column 1 when the previous line ends with ';' or '}' (one-line
    functions, declarations). Every later stage caches its work per chunk (by content), so an
    edit costs the chunks it touches; a chunk that turns out to end inside something (a comment,
    a body) is merged with the next ones, so a wrong guess costs time, never correctness.
    (str.find and a literal-prefixed regex: a general regex here costs milliseconds.)
    """
    cuts: list[int] = []
    i = text.find("\n}")
    while i >= 0:
        nl = text.find("\n", i + 2)
        if nl < 0:
            break
        cuts.append(nl + 1)
        i = text.find("\n}", nl)
    for m in _COL1_IDENT.finditer(text):
        j = m.start() - 1
        while j >= 0 and text[j] in " \t\r\f\v":
            j -= 1
        if j >= 0 and text[j] in ";}":
            cuts.append(m.start() + 1)
    if not cuts:
        return [text]
    cuts = sorted(set(cuts))
    if cuts[-1] != len(text):
        cuts.append(len(text))
    return [text[a:b] for a, b in zip([0, *cuts[:-1]], cuts, strict=True)]


def merge_more(chunks: list[str] | tuple[str, ...], i: int, j: int, current: str) -> tuple[str, int]:
    """Grow an unfinished chunk ``chunks[i:j]`` (= ``current``) by as many chunks again (doubling).

    Doubling keeps the total work linear-logarithmic when many guessed boundaries are wrong.
    """
    take = max(1, j - i)
    extra = chunks[j:j + take]
    return current + "".join(extra), j + len(extra)


class _ChunkResult(NamedTuple):
    text: str
    spans: tuple[tuple[int, Span], ...]  # (id - first id, span relative to the chunk's first line)
    errors: tuple[SourceError, ...]  # relative to the chunk's first line
    n_ids: int
    depth: int  # brace depth after the chunk (absolute for ACSL chunks, a change otherwise)
    last_sig: str
    lines: int
    acsl: bool


_CHUNKS: OrderedDict[tuple[object, ...], _ChunkResult] = OrderedDict()
_CHUNKS_SIZE = 20_000

_FAST = re.compile(r"""//[^\n\\]*(?:\\[\s\S][^\n\\]*)*
                     |(?P<block>/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)
                     |(?P<open>/\*[\s\S]*)
                     |"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"?
                     |'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'?""", re.X)
_LIT = re.compile(r""""[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"?|'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'?""")
_DIRECTIVE_LINES = re.compile(r"(?m)^[ \t\f\v]*#(?:[^\n\\]|\\[\s\S])*")


def _shape(code: str) -> tuple[int, str]:
    """Brace depth change and last significant character of blanked code."""
    if "#" in code:
        code = _DIRECTIVE_LINES.sub("", code)
    if '"' in code or "'" in code:
        code = _LIT.sub('""', code)
    tail = code.rstrip()
    return code.count("{") - code.count("}"), tail[-1:] if tail else ""


def _plain_chunk(chunk: str, final: bool) -> _ChunkResult | None:
    """A chunk without ACSL: blank its comments (one regex pass)."""
    unterminated = -1

    def repl(m: re.Match[str]) -> str:
        nonlocal unterminated
        s = m.group()
        if s[0] != "/":
            return s
        if m.group("open") is not None:
            unterminated = m.start()
        if "\n" in s and s[1] == "*" and _on_directive_line(chunk, m.start()):
            return _blank_in_directive(s)
        return " " * len(s) if "\n" not in s else _NOT_NL.sub(" ", s)

    out = _FAST.sub(repl, chunk) if "/" in chunk or '"' in chunk or "'" in chunk else chunk
    if not final and (unterminated >= 0 or chunk.endswith("\\\n")):
        return None
    errors: tuple[SourceError, ...] = ()
    if unterminated >= 0:
        errors = (SourceError("unterminated comment", _Lines(chunk).span(unterminated, unterminated + 2)),)
    delta, last = _shape(out)
    return _ChunkResult(out, (), errors, 0, delta, last, chunk.count("\n"), False)


def _acsl_chunk(chunk: str, final: bool, first_id: int, depth: int, last_sig: str) -> _ChunkResult | None:
    r = _Rewriter(chunk, first_id=first_id, depth=depth, last_sig=last_sig)
    text = r.run()
    if not final and (r.unterminated or chunk.endswith("\\\n")):
        return None
    spans = tuple((i - first_id, sp) for i, sp in r.spans.items())
    return _ChunkResult(text, spans, tuple(r.errors), r.next_id - first_id, r.depth, r.last_sig,
                        chunk.count("\n"), True)


def _chunk(chunk: str, final: bool, first_id: int, depth: int, last_sig: str) -> _ChunkResult | None:
    acsl = "/*@" in chunk or "//@" in chunk
    key: tuple[object, ...] = (chunk, final, first_id, depth, last_sig) if acsl else (chunk, final)
    hit = _CHUNKS.get(key)
    if hit is not None:
        return hit
    try:
        res = _acsl_chunk(chunk, final, first_id, depth, last_sig) if acsl else _plain_chunk(chunk, final)
    except Exception as e:  # noqa: BLE001 - a bug here must cost the annotations, not the file
        why = "nested too deeply" if isinstance(e, RecursionError) else f"internal error ({type(e).__name__}: {e})"
        res = _plain_chunk(chunk, final)
        if res is not None:
            res = _ChunkResult(res.text, (), res.errors + (SourceError(
                f"annotations here could not be read: {why}; ignored", Span.of(1, 1, 1, 2), "warning"),), 0,
                max(0, depth + res.depth), res.last_sig, res.lines, True)
    if res is None:
        return None
    _CHUNKS[key] = res
    try:
        while len(_CHUNKS) > _CHUNKS_SIZE:
            _CHUNKS.popitem(last=False)
    except KeyError:  # another thread evicted it first
        pass
    return res


def rewrite_chunks(chunks: list[str]) -> AnnotatedChunks:
    """Rewrite chunk by chunk (cached); ids are numbered in file order from 1."""
    out: list[str] = []
    spans: dict[int, Span] = {}
    errors: list[SourceError] = []
    line0 = 1
    next_id = 1
    depth = 0
    last_sig = ""
    i = 0
    n = len(chunks)
    while i < n:
        c = chunks[i]
        j = i + 1
        while True:
            r = _chunk(c, j >= n, next_id, depth, last_sig)
            if r is not None:
                break
            c, j = merge_more(chunks, i, j, c)
        out.append(r.text)
        shift = line0 - 1
        for k, sp in r.spans:
            spans[next_id + k] = sp.shifted(shift) if shift else sp
        for e in r.errors:
            errors.append(SourceError(e.message, e.span.shifted(shift), e.severity) if shift else e)
        next_id += r.n_ids
        depth = r.depth if r.acsl else max(0, depth + r.depth)
        last_sig = r.last_sig or last_sig
        line0 += r.lines
        i = j
    return AnnotatedChunks(out, spans, tuple(errors))


def rewrite_annotations(text: str) -> AnnotatedText:
    """Blank comments, rewrite ACSL annotations; never raises."""
    try:
        r = rewrite_chunks(split_chunks(text))
        return AnnotatedText("".join(r.chunks), r.spans, r.errors)
    except Exception as e:  # noqa: BLE001 - the keystroke path must survive anything
        return AnnotatedText(_FAST.sub(lambda m: m.group() if m.group()[0] != "/" else _blank(m.group()), text), {},
                             (SourceError(f"internal error while reading annotations: {type(e).__name__}: {e}",
                                          Span.of(1, 1, 1, 2)),))


class _Rewriter:
    """The full scanner, for chunks that contain ACSL (tracks braces and statement positions)."""

    def __init__(self, text: str, first_id: int = 1, depth: int = 0, last_sig: str = "") -> None:
        self.text = text
        self.out: list[str] = []
        self.copied = 0  # text[copied:pos] not yet appended to out
        self.code_from = 0  # code since the last comment/directive (for "previous significant char")
        self.last_sig = last_sig
        self.depth = depth
        self.next_id = first_id
        self.spans: dict[int, Span] = {}
        self.errors: list[SourceError] = []
        self.lines = _Lines(text)
        self.unterminated = False

    # ---- driver -------------------------------------------------------------------------------
    def run(self) -> str:
        text = self.text
        n = len(text)
        pos = 0
        scan = _SCAN.match
        while pos < n:
            m = scan(text, pos)
            if m is None:
                break
            i = m.start(1)
            c = text[i]
            if c == "/":
                nxt = text[i + 1:i + 2]
                if nxt == "*":
                    pos = self._block_comment(i, in_directive=False)
                elif nxt == "/":
                    pos = self._line_comment(i, in_directive=False)
                else:
                    pos = i + 1
            elif c == '"':
                pos = _STRING.match(text, i).end()  # type: ignore[union-attr]
            elif c == "'":
                pos = _CHAR.match(text, i).end()  # type: ignore[union-attr]
            elif c == "{":
                self.depth += 1
                pos = i + 1
            elif c == "}":
                self.depth = max(0, self.depth - 1)
                pos = i + 1
            else:  # '#'
                ls = text.rfind("\n", 0, i) + 1
                if text[ls:i].strip(" \t\f\v") == "":
                    pos = self._directive(i)
                else:
                    pos = i + 1
        self._note_code(n)
        self.out.append(text[self.copied:])
        return "".join(self.out)

    def _replace(self, start: int, end: int, replacement: str) -> None:
        self.out.append(self.text[self.copied:start])
        self.out.append(replacement)
        self.copied = end

    def _note_code(self, upto: int) -> None:
        seg = self.text[self.code_from:upto].rstrip()
        if seg:
            self.last_sig = seg[-1]

    def _directive(self, i: int) -> int:
        """Skip a directive's logical line, blanking its comments (kept as continuations)."""
        self._note_code(i)
        text = self.text
        n = len(text)
        pos = i + 1
        while pos < n:
            m = _DSCAN.match(text, pos)
            if m is None:
                pos = n
                break
            j = m.start(1)
            c = text[j]
            if c == "\n":
                pos = j
                break
            if c == "\\":
                pos = j + 2 if text[j + 1:j + 2] == "\n" else (j + 3 if text[j + 1:j + 3] == "\r\n" else j + 1)
            elif c == "/":
                nxt = text[j + 1:j + 2]
                if nxt == "*":
                    pos = self._block_comment(j, in_directive=True)
                elif nxt == "/":
                    pos = self._line_comment(j, in_directive=True)
                else:
                    pos = j + 1
            elif c == '"':
                pos = _STRING.match(text, j).end()  # type: ignore[union-attr]
            else:
                pos = _CHAR.match(text, j).end()  # type: ignore[union-attr]
        self.code_from = pos
        return pos

    def _block_comment(self, i: int, in_directive: bool) -> int:
        text = self.text
        end = text.find("*/", i + 2)
        if end < 0:
            end = len(text)
            self.unterminated = True
            self.errors.append(SourceError("unterminated comment", self.lines.span(i, i + 2)))
            closed = False
        else:
            end += 2
            closed = True
        if not in_directive:
            self._note_code(i)
        if not in_directive and text.startswith("/*@", i) and closed:
            self._replace(i, end, self._acsl(i, i + 3, end - 2, end, block=True))
        else:
            comment = text[i:end]
            self._replace(i, end, _blank_in_directive(comment) if in_directive else _blank(comment))
        if not in_directive:
            self.code_from = end
        return end

    def _line_comment(self, i: int, in_directive: bool) -> int:
        text = self.text
        m = _LINE_COMMENT.match(text, i)
        end = m.end() if m else len(text)
        if not in_directive:
            self._note_code(i)
        if not in_directive and text.startswith("//@", i):
            self._replace(i, end, self._acsl(i, i + 3, end, end, block=False))
        else:
            self._replace(i, end, _blank(text[i:end]))
        if not in_directive:
            self.code_from = end
        return end

    # ---- ACSL ---------------------------------------------------------------------------------
    def _acsl(self, start: int, cstart: int, cend: int, end: int, block: bool) -> str:
        """Rewrite one ACSL comment text[start:end] (content text[cstart:cend])."""
        text = self.text
        content = text[cstart:cend]
        if block and content.endswith("@"):
            content = content.rstrip("@")
            content += " " * (cend - cstart - len(content))
        content = _MARGIN.sub(lambda m: m.group(1) + " " * len(m.group(2)), content)
        clauses = self._clauses(content, cstart)
        if clauses is None:  # not ACSL after all (e.g. "//@todo"): a plain comment
            return _blank(text[start:end])
        at_top = self.depth == 0
        pieces: list[str] = []
        last = cstart
        emitted = 0
        statement_ok = self.last_sig in ("", ";", "{", "}", ":")
        for kw, kw_start, expr, clause_end in clauses:
            pieces.append(_blank(text[last:kw_start]))
            region = text[kw_start:clause_end]
            call = self._clause(kw, kw_start, expr, clause_end, at_top, statement_ok)
            if call is None:
                pieces.append(_blank(region))
            else:
                pieces.append(call)
                emitted += 1
            last = clause_end
        pieces.append(_blank(text[last:cend]))
        body = "".join(pieces)
        head_len = cstart - start
        tail = text[cend:end]
        if emitted and at_top:
            out = f"void {CONTRACT_FUNCTION}(void) {{" + body + _blank(tail[:-1] if tail else "") + "}"
        else:
            out = " " * head_len + body + _blank(tail)
        # same number of newlines by construction; pad the last line so code after it keeps its column
        orig = text[start:end]
        orig_last = len(orig) - (orig.rfind("\n") + 1)
        new_last = len(out) - (out.rfind("\n") + 1)
        if new_last < orig_last:
            out += " " * (orig_last - new_last)
        return out

    def _clauses(self, content: str, base: int) -> list[tuple[str, int, list[_Tok], int]] | None:
        """Split the content into clauses: (keyword, keyword offset, expression tokens, end offset)."""
        toks: list[_Tok] = []
        gap = ""
        for m in _ATOK.finditer(content):
            kind = m.lastgroup
            if kind == "ws":
                gap = m.group()
                continue
            toks.append(_Tok(m.group(), gap, base + m.start(), base + m.end()))
            gap = ""
        if not toks:
            return [] if content.strip() == "" else None
        first = toks[0].text
        first2 = first + " " + toks[1].text if first == "loop" and len(toks) > 1 else first
        known = (first in _CONTRACT_CLAUSES or first in _STATEMENT_CLAUSES or first in _ALIASES
                 or first in _IGNORED or first2 in _IGNORED or first2 in _STATEMENT_CLAUSES
                 or first in _UNSUPPORTED)
        if not known:
            return None
        clauses: list[tuple[str, int, list[_Tok], int]] = []
        i = 0
        n = len(toks)
        while i < n:
            kw_tok = toks[i]
            depth = 0
            binders = 0  # "\forall int i; P": a binder's ';' does not end the clause
            j = i
            while j < n:
                t = toks[j].text
                if t in _OPEN:
                    depth += 1
                elif t in (")", "]", "}"):
                    depth = max(0, depth - 1)
                elif t in _BINDERS and depth == 0:
                    binders += 1
                elif t == ";" and depth == 0:
                    if binders == 0:
                        break
                    binders -= 1
                j += 1
            clause = toks[i:j]
            if not clause:  # ";;"
                i = j + 1
                continue
            end = toks[j].end if j < n else clause[-1].end
            kw = clause[0].text
            k = 1
            if kw == "loop" and len(clause) > 1:
                kw = "loop " + clause[1].text
                k = 2
            clauses.append((kw, kw_tok.start, clause[k:], end))
            i = j + 1
        return clauses

    def _warn(self, msg: str, start: int, end: int) -> None:
        self.errors.append(SourceError(msg, self.lines.span(start, end), "warning"))

    def _clause(self, kw: str, kw_start: int, expr: list[_Tok], end: int, at_top: bool,
                statement_ok: bool) -> str | None:
        """The C text replacing one clause, or None (dropped, with a warning unless ignorable)."""
        kw = _ALIASES.get(kw, kw)
        if kw in _IGNORED:
            return None
        if kw not in PSEUDO_CALLS:
            self._warn(f"ACSL '{kw}' is not supported; clause ignored", kw_start, end)
            return None
        if at_top and kw not in _CONTRACT_CLAUSES:
            self._warn(f"ACSL '{kw}' outside a function body; ignored", kw_start, end)
            return None
        if not at_top and kw not in _STATEMENT_CLAUSES:
            self._warn(f"ACSL '{kw}' inside a function body (statement contracts are not supported); ignored",
                       kw_start, end)
            return None
        if not at_top and not statement_ok:
            self._warn(f"ACSL '{kw}' must stand where a statement may (after ';', '{{' or '}}'); ignored",
                       kw_start, end)
            return None
        # drop ACSL clause names "name: P"
        while len(expr) >= 2 and _is_ident(expr[0].text) and expr[1].text == ":" and \
                (len(expr) < 3 or expr[2].text != ":"):
            expr = expr[2:]
        if not expr:
            self._warn(f"ACSL '{kw}' without an expression; ignored", kw_start, end)
            return None
        if kw in _LOCATION_CLAUSES:
            # "assigns L \from E": what the locations' new values depend on is not read
            cut = next((k for k, t in enumerate(expr) if t.text == "\\from"), len(expr))
            if cut == 0:
                self._warn(f"ACSL '{kw}' without a location; ignored", kw_start, end)
                return None
            expr = expr[:cut]
            if kw == "frees" or (len(expr) == 1 and expr[0].text == "\\nothing"):
                return self._pseudo(kw, kw_start, expr, end, "")
        try:
            rewritten = _rewrite_expression(expr)
        except _Unsupported as e:
            self._warn(f"ACSL: {e}; clause ignored", kw_start, end)
            return None
        return self._pseudo(kw, kw_start, expr, end, rewritten)

    def _pseudo(self, kw: str, kw_start: int, expr: list[_Tok], end: int, rewritten: str) -> str:
        """The pseudo call of one clause, numbered, keeping the clause's newlines (an empty
        ``rewritten``: the call has the number only, as ``assigns \\nothing`` does)."""
        ident = self.next_id
        self.next_id += 1
        self.spans[ident] = self.lines.span(expr[0].start, expr[-1].end)
        text = self.text
        lead_newlines = text.count("\n", kw_start, expr[0].start)
        trail_newlines = text.count("\n", expr[-1].end, end)
        head = f"{PSEUDO_CALLS[kw]}(" + (f"{ident}," if rewritten else f"{ident}").ljust(ID_WIDTH)
        return head + "\n" * lead_newlines + rewritten.lstrip(" \t") + ");" + "\n" * trail_newlines


def _is_ident(s: str) -> bool:
    return bool(s) and (s[0].isalpha() or s[0] == "_") and s.replace("_", "a").isalnum()


# ---- expression rewriting -------------------------------------------------------------------------

def _group(toks: list[_Tok]) -> list[_Item]:
    """Nest bracketed tokens (iteratively: no recursion on deep input)."""
    root: list[_Item] = []
    stack: list[tuple[_Tok, list[_Item]]] = []
    cur = root
    for t in toks:
        if t.text in _OPEN:
            stack.append((t, cur))
            if len(stack) > _MAX_NESTING:
                raise _Unsupported("expression nested too deeply")
            cur = []
        elif t.text in (")", "]", "}"):
            if not stack:
                raise _Unsupported(f"unbalanced '{t.text}'")
            opener, parent = stack.pop()
            if _OPEN[opener.text] != t.text:
                raise _Unsupported(f"'{opener.text}' closed by '{t.text}'")
            parent.append(_Group(opener, cur, t))
            cur = parent
        else:
            cur.append(t)
    if stack:
        raise _Unsupported(f"unclosed '{stack[-1][0].text}'")
    return root


def _rewrite_expression(toks: list[_Tok]) -> str:
    for t in toks:
        if t.text.startswith("\\") and t.text not in _SIMPLE and t.text != "\\at":
            raise _Unsupported(f"'{t.text}' is not supported")
        if t.text in ("^^", "-->", "<-->", "@", "`", "$", "#", "\\") or (".." in t.text and t.text != ".."):
            raise _Unsupported(f"'{t.text}' is not supported")
        if t.text.startswith("'") and not (len(t.text) > 1 and t.text.endswith("'")):
            raise _Unsupported("unterminated character constant")
        if t.text.startswith('"') and not (len(t.text) > 1 and t.text.endswith('"')):
            raise _Unsupported("unterminated string")
    return _rw(_group(toks))


def _emit_item(item: _Item) -> str:
    if isinstance(item, _Tok):
        return item.gap + item.text
    close = item.close
    return item.open.gap + item.open.text + _rw(item.items) + (close.gap + close.text if close else "")


def _lead(s: str) -> tuple[str, str]:
    body = s.lstrip()
    return s[:len(s) - len(body)], body


def _split(items: list[_Item], ops: set[str]) -> tuple[list[list[_Item]], list[_Tok]]:
    parts: list[list[_Item]] = [[]]
    seps: list[_Tok] = []
    for it in items:
        if isinstance(it, _Tok) and it.text in ops:
            seps.append(it)
            parts.append([])
        else:
            parts[-1].append(it)
    return parts, seps


def _nonempty(parts: list[list[_Item]], op: str) -> None:
    if any(not p for p in parts):
        raise _Unsupported(f"'{op}' is missing an operand")


def _wrap(name: str, a: str, sep: _Tok, b: str) -> str:
    ga, a0 = _lead(a)
    gb, b0 = _lead(b)
    return f"{ga}{name}(({a0}),{sep.gap}{gb}({b0}))"


def _rw(items: list[_Item]) -> str:
    """Rewrite a comma-separated list (call arguments or a whole clause)."""
    parts, seps = _split(items, {","})
    out = [_rw_iff(parts[0]) if parts[0] else ""]
    for sep, part in zip(seps, parts[1:], strict=True):
        out.append(sep.gap + ",")
        out.append(_rw_iff(part) if part else "")
    return "".join(out)


def _rw_iff(items: list[_Item]) -> str:
    parts, seps = _split(items, {"<==>"})
    if not seps:
        return _rw_implies(items)
    _nonempty(parts, "<==>")
    acc = _rw_implies(parts[0])
    for sep, part in zip(seps, parts[1:], strict=True):  # left-associative
        acc = _wrap("__pl_iff", acc, sep, _rw_implies(part))
    return acc


def _rw_implies(items: list[_Item]) -> str:
    parts, seps = _split(items, {"==>"})
    if not seps:
        return _rw_chain(items)
    _nonempty(parts, "==>")
    acc = _rw_chain(parts[-1])
    for sep, part in zip(reversed(seps), reversed(parts[:-1]), strict=True):  # right-associative
        acc = _wrap("__pl_implies", _rw_chain(part), sep, acc)
    return acc


def _rw_chain(items: list[_Item]) -> str:
    """Chained comparisons inside each operand of the lower-precedence operators."""
    out: list[str] = []
    seg: list[_Item] = []
    for it in items:
        if isinstance(it, _Tok) and it.text in _CHAIN_BREAKS:
            out.append(_rw_relational(seg))
            out.append(it.gap + it.text)
            seg = []
        else:
            seg.append(it)
    out.append(_rw_relational(seg))
    return "".join(out)


def _rw_relational(items: list[_Item]) -> str:
    parts, seps = _split(items, _RELATIONAL)
    if len(seps) < 2:
        return _rw_atoms(items)
    _nonempty(parts, seps[0].text)
    operands = [_rw_atoms(p) for p in parts]
    g0, first = _lead(operands[0])
    pieces: list[str] = []
    for k, sep in enumerate(seps):
        left = first if k == 0 else _lead(operands[k])[1].replace("\n", " ")
        right = operands[k + 1]
        conj = "" if k == 0 else " && "
        pieces.append(f"{conj}({left}{sep.gap}{sep.text}{right})")
    return g0 + "".join(pieces)


def _rw_atoms(items: list[_Item]) -> str:
    out: list[str] = []
    i = 0
    n = len(items)
    while i < n:
        it = items[i]
        if isinstance(it, _Group):
            inner = it.items
            if it.open.text == "(" and len(inner) == 1 and isinstance(inner[0], _Tok) and \
                    inner[0].text in _ACSL_TYPES:
                raise _Unsupported(f"ACSL type '{inner[0].text}' is not supported")
            lo_hi, dots = _split(inner, {".."}) if it.open.text in "([" else ([], [])
            if dots and it.open.text == "[":
                # an index range `p[lo .. hi]`, as in assigns p[0 .. n-1]
                if len(dots) != 1 or not lo_hi[0] or not lo_hi[1]:
                    raise _Unsupported("an index range needs the form [lo .. hi]")
                close = it.close.gap + it.close.text if it.close else "]"
                out.append(f"{it.open.gap}[__pl_range({_rw(lo_hi[0])}, {_rw(lo_hi[1])}){close}")
            elif dots:
                # a range `(lo .. hi)`, as in \valid(p + (0 .. n-1))
                if len(dots) != 1 or not lo_hi[0] or not lo_hi[1]:
                    raise _Unsupported("a range needs the form (lo .. hi)")
                out.append(f"{it.open.gap}__pl_range({_rw(lo_hi[0])}, {_rw(lo_hi[1])})")
            else:
                out.append(_emit_item(it))
        elif it.text == "\\at":
            nxt = items[i + 1] if i + 1 < n else None
            if not isinstance(nxt, _Group) or nxt.open.text != "(":
                raise _Unsupported("'\\at' needs (expression, label)")
            args, _ = _split(nxt.items, {","})
            label = args[-1] if len(args) == 2 else []
            if len(label) != 1 or not isinstance(label[0], _Tok) or label[0].text not in ("Pre", "Old", "Here"):
                raise _Unsupported("'\\at' is supported with the labels Pre, Old and Here only")
            rewritten = _rw(args[0])
            fn = "" if label[0].text == "Here" else "__pl_old"
            g, body = _lead(rewritten)
            out.append(f"{it.gap}{fn}({g}{body})")
            i += 2
            continue
        else:
            if it.text == "..":
                raise _Unsupported("'..' outside a range (lo .. hi)")
            out.append(it.gap + _SIMPLE.get(it.text, it.text))
        i += 1
    return "".join(out)
