"""Cut a C file into top-level units without parsing C: the keystroke-path entry point.

``split_file`` = annotations (comments blanked, ACSL rewritten) -> preprocessor (cpp on the
directives part, cached) -> a scan that stops only at ``{ } ; # " '`` -> units. A function unit
is a declarator followed by ``{ ... }`` at brace depth 0, together with the ``__pl_contract``
pseudo functions written just before it; anything else up to ``;`` at depth 0 is a declaration
unit (a contract before a prototype stays with that declaration).

Speed: the text is cut into chunks (:func:`split_chunks`: after lines starting with ``}`` ...),
and every stage caches its result per chunk by content, positions relative to the chunk. An
edit therefore re-processes only the chunks it touched; what is left per keystroke is building
the ``Unit`` objects at their new lines. A comment edit that moves every function leaves every
unit's text (and key) unchanged.

Unbalanced braces must not swallow the rest of the file: when a scan ends inside a body or
meets a stray ``}``, it is redone in recovery mode, where a line starting in column 1 that looks
like a function header (``type name(...) {``) ends the unclosed unit. Never raises.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from analysis.frontend.annotations import CONTRACT_FUNCTION, merge_more, rewrite_chunks, split_chunks
from analysis.frontend.preprocess import (
    UNSUPPORTED_MARK,
    PreprocessedChunks,
    clean_gnu,
    linemarker,
    preprocess_chunks,
    unescape_c_string,
)
from analysis.frontend.units import SplitFile, Unit, UnitKind
from analysis.model import Pos, SourceError, Span
from analysis.options import Options

__all__ = ["split_file", "included_files", "KEYWORDS"]

KEYWORDS = frozenset({
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local", "alignas", "alignof", "bool", "static_assert", "thread_local", "typeof",
    "typeof_unqual", "offsetof", "__attribute__", "__attribute", "__declspec", "__asm__", "__asm", "asm",
    "__typeof__", "__typeof", "__extension__", "__alignof__", "__builtin_offsetof", "__int128",
    "__restrict", "__restrict__", "__inline", "__inline__", "__const", "__const__", "__signed", "__signed__",
    "__volatile", "__volatile__", "__alignof", "__thread", "__complex__", "__label__", "_Float128", "__float128",
})
_SKIP_GROUP = frozenset({"__attribute__", "__attribute", "__declspec", "__asm__", "__asm", "asm", "_Alignas",
                         "alignas", "_Atomic", "typeof", "__typeof__", "__typeof", "sizeof", "_Alignof",
                         "__alignof__", "typeof_unqual"})
_CONTRACT_HEAD = f"void {CONTRACT_FUNCTION}(void)"

_SCAN = re.compile(r"[^{};#\"']*([{};#\"'])")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\.)*'?")
_NONWS = re.compile(r"\S")
_MARKER = re.compile(r'#(?:line)?[ \t]*(\d+)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"([ \t\d]*))?[ \t]*$')
_CALL = re.compile(r"([A-Za-z_]\w*)\s*\(")
_ANN_ID = re.compile(r"(__pl_(?:requires|ensures|decreases|assigns|frees|assert|assume|invariant|variant)\()(\d+)(,?)( *)")
_LITERALS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?')
_COL1_IDENT = re.compile(r"\n(?=[A-Za-z_])")
_HEADER_LINE = re.compile(
    r"(?!(?:else|return|case|goto|do|if|while|for|switch|sizeof|typedef|default)\b)"
    r"[A-Za-z_]\w*(?:[ \t*]+[A-Za-z_]\w*)*[ \t*]+[A-Za-z_]\w*[ \t]*\([^;{}=\n]*\)[ \t]*(?:\{|$)",
    re.M)
_INF = 1 << 62
_MAX_PAD = 2048


@dataclass(frozen=True)
class _Marker:
    offset: int  # offset of the line the marker describes
    file: str
    line: int
    include_line: int  # line of the user's file through which this file was included


@dataclass
class _Raw:
    start: int
    end: int
    is_function: bool
    body_open: int  # offset of the '{' of a function body (-1 for declarations)
    header_from: int  # offset where the function's own header starts (after its contracts)
    unclosed: bool = False


class _Analysis(NamedTuple):
    """What a unit's text determines (cached by that text); a tuple so the GC can untrack it."""

    text: str  # GNU-cleaned text (with the leading column padding)
    key: str
    name: str | None
    name_line: int  # relative to the unit's first line
    name_col: int
    calls: tuple[str, ...]
    annotation_ids: tuple[int, ...]


class _PUnit(NamedTuple):
    """A unit with its position (lines relative to its chunk for body chunks)."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    is_function: bool
    analysis: _Analysis


class _Scanned(NamedTuple):
    units: tuple[_PUnit, ...]
    errors: tuple[SourceError, ...]
    lines: int


# ---------------------------------------------------------------------------------------------
# Building Units is the only per-unit work left on a keystroke once everything else is cached,
# and a frozen dataclass __init__ costs ~7 us for Unit, ~1 us for Pos/Span (500 units: ~7 ms).
# Frozen dataclasses without __slots__ or __post_init__ can be filled through __dict__ directly;
# checked once at import against the real constructors, which are used if anything differs.

def _fast_new_ok(cls: type, sample: dict[str, Any]) -> bool:
    try:
        if "__slots__" in cls.__dict__ or hasattr(cls, "__post_init__"):
            return False
        a = cls(**sample)
        b: Any = object.__new__(cls)
        b.__dict__.update(sample)
        return bool(a == b and a.__dict__ == b.__dict__ and hash(a) == hash(b))
    except Exception:  # noqa: BLE001 - any surprise: use the constructors
        return False


_P0 = Pos(1, 1)
_S0 = Span(_P0, _P0)
_FAST_POS = _fast_new_ok(Pos, {"line": 1, "column": 1}) and _fast_new_ok(Span, {"start": _P0, "end": _P0})
_FAST_UNIT = _fast_new_ok(Unit, {"kind": UnitKind.FUNCTION, "name": "f", "text": "", "span": _S0, "name_span": None,
                                 "key": "", "calls": (), "in_user_file": True, "annotations": ()})
_new = object.__new__


def _span(l1: int, c1: int, l2: int, c2: int) -> Span:
    if not _FAST_POS:
        return Span(Pos(l1, c1), Pos(l2, c2))
    a = _new(Pos)
    a.__dict__.update(line=l1, column=c1)
    b = _new(Pos)
    b.__dict__.update(line=l2, column=c2)
    s = _new(Span)
    s.__dict__.update(start=a, end=b)
    return s


def _unit(kind: UnitKind, name: str | None, text: str, span: Span, name_span: Span | None, key: str,
          calls: tuple[str, ...], in_user_file: bool, annotations: tuple[tuple[str, Span], ...]) -> Unit:
    if not _FAST_UNIT:
        return Unit(kind, name, text, span, name_span, key, calls, in_user_file, annotations)
    u = _new(Unit)
    u.__dict__.update(kind=kind, name=name, text=text, span=span, name_span=name_span, key=key, calls=calls,
                      in_user_file=in_user_file, annotations=annotations)
    return u


# ---------------------------------------------------------------------------------------------
# caches (module level: the split is a pure function of its inputs)

_ANALYSIS: OrderedDict[tuple[str, int, int], _Analysis] = OrderedDict()
_ANALYSIS_SIZE = 20_000
_RESULTS: OrderedDict[tuple[str, str, Options], tuple[SplitFile, PreprocessedChunks, float]] = OrderedDict()
_RESULTS_SIZE = 4


def split_file(text: str, path: str, options: Options) -> SplitFile:
    """Preprocess and split ``text`` into top-level units; never raises."""
    key = (text, path, options)
    hit = _RESULTS.get(key)
    if hit is not None and hit[1].still_valid(hit[2]):
        return hit[0]
    created = time.monotonic()
    try:
        result, pre = _split(text, path, options)
    except Exception as e:  # noqa: BLE001 - garbage in, diagnostics out, never a crash
        return SplitFile(path, (), (SourceError(
            f"internal error while splitting the file: {type(e).__name__}: {e}", Span.of(1, 1, 1, 2)),))
    _remember(_RESULTS, key, (result, pre, created), _RESULTS_SIZE)
    return result


def included_files(text: str, path: str, options: Options) -> tuple[str, ...]:
    """Every file the preprocessor read for this split (also headers that only define macros).

    For persistent caches of a split: it stays valid while none of these files changes. The
    units' linemarkers are not enough, since a header of macros alone produces no unit.
    """
    split_file(text, path, options)
    hit = _RESULTS.get((text, path, options))
    return tuple(f for f, _, _ in hit[1].deps) if hit is not None else ()


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Insert, evicting the oldest entries (safe enough under concurrent use: a cache)."""
    cache[key] = value
    try:
        while len(cache) > size:
            cache.popitem(last=False)
    except KeyError:
        pass


def _split(text: str, path: str, options: Options) -> tuple[SplitFile, PreprocessedChunks]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ann = rewrite_chunks(split_chunks(text))
    pre = preprocess_chunks(ann.chunks, path, options)
    errors: list[SourceError] = list(pre.errors) + list(ann.errors)
    units: list[Unit] = []
    maker = _UnitMaker(path, ann.spans)
    full = pre.full
    if full is None and "pack" in pre.prefix and _PRAGMA_PACK.search(pre.prefix):
        # #pragma pack applies to the declarations after it, in later chunks too: scan it all at once
        full = pre.prefix + linemarker(pre.body_line, path) + "".join(pre.body)
    if full is not None:
        scanned = _general(full, path)
        units = [maker.make(u, 0) for u in scanned.units]
        errors.extend(scanned.errors)
    else:
        done = False
        if pre.prefix:
            head = _cached_scan(pre.prefix, path, final=False)
            if head is None:  # the directives end inside a declaration: scan everything at once
                scanned = _general(pre.prefix + linemarker(pre.body_line, path) + "".join(pre.body), path)
                units = [maker.make(u, 0) for u in scanned.units]
                errors.extend(scanned.errors)
                done = True
            else:
                units = [maker.make(u, 0) for u in head.units]
                errors.extend(head.errors)
        if not done:
            body = pre.body
            line0 = pre.body_line
            i = 0
            n = len(body)
            while i < n:
                chunk = body[i]
                j = i + 1
                while True:
                    res = _cached_scan(chunk, path, final=j >= n)
                    if res is not None:
                        break
                    chunk, j = merge_more(body, i, j, chunk)
                shift = line0 - 1
                units.extend(maker.make(u, shift) for u in res.units)
                errors.extend(e if not shift else SourceError(e.message, e.span.shifted(shift), e.severity)
                              for e in res.errors)
                line0 += res.lines
                i = j
    _fix_name_spans(units, text, path)
    seen: set[tuple[str, Span]] = set()
    unique = []
    for e in errors:
        if (e.message, e.span) not in seen:
            seen.add((e.message, e.span))
            unique.append(e)
    unique.sort(key=lambda e: (e.span.start.line, e.span.start.column))
    return SplitFile(path, tuple(units), tuple(unique)), pre


def _fix_name_spans(units: list[Unit], text: str, path: str) -> None:
    """Name spans in the user's own text: a macro expanded earlier on the line moves the name."""
    lines: list[str] | None = None
    for k, u in enumerate(units):
        ns = u.name_span
        if ns is None or not u.in_user_file or u.name is None:
            continue
        if lines is None:
            lines = text.split("\n")
        line = lines[ns.start.line - 1] if 0 < ns.start.line <= len(lines) else ""
        col = ns.start.column
        if line[col - 1:col - 1 + len(u.name)] == u.name:
            continue
        found = [m.start() + 1 for m in re.finditer(rf"(?<![\w]){re.escape(u.name)}(?![\w])", line)]
        if found:
            best = min(found, key=lambda c: abs(c - col))
            units[k] = replace(u, name_span=_span(ns.start.line, best, ns.start.line, best + len(u.name)))


_SCANS: OrderedDict[tuple[str, str, bool], _Scanned | None] = OrderedDict()
_SCANS_SIZE = 20_000


def _cached_scan(text: str, path: str, final: bool) -> _Scanned | None:
    """Units of a chunk (cached); None when the chunk ends inside a unit and is not the last."""
    key = (text, path, final)
    if key in _SCANS:
        return _SCANS[key]
    sp = _Splitter(text, path)
    try:
        punits = sp.run(final)
    except Exception as e:  # noqa: BLE001 - a bug costs this chunk's units, not the file's
        punits = []
        sp.errors = [SourceError(f"internal error while splitting this part: {type(e).__name__}: {e}",
                                 Span.of(1, 1, 1, 2))]
    res = None if punits is None else _Scanned(tuple(punits), tuple(sp.errors), text.count("\n"))
    _remember(_SCANS, key, res, _SCANS_SIZE)
    return res


def _general(text: str, path: str) -> _Scanned:
    sp = _Splitter(text, path)
    punits = sp.run(final=True) or []
    return _Scanned(tuple(punits), tuple(sp.errors), text.count("\n"))


class _UnitMaker:
    """_PUnit + line shift -> Unit (the only per-keystroke work per unit)."""

    def __init__(self, path: str, spans: dict[int, Span]) -> None:
        self.path = path
        self.spans = spans
        self.suffix: dict[str, str] = {}

    def make(self, u: _PUnit, shift: int) -> Unit:
        a = u.analysis
        file = u.file
        suffix = self.suffix.get(file)
        if suffix is None:
            suffix = self.suffix[file] = linemarker(0, file)[3:]
        line = u.line + shift
        in_user = file == self.path
        name = a.name
        name_span = None
        if name is not None:
            nl = line + a.name_line
            name_span = _span(nl, a.name_col, nl, a.name_col + len(name))
        anns: tuple[tuple[str, Span], ...] = ()
        if a.annotation_ids and in_user:
            spans = self.spans
            anns = tuple((str(i), spans[i]) for i in a.annotation_ids if i in spans)
        return _unit(_FUNCTION if u.is_function else _DECLARATION, name, f"# {line}{suffix}{a.text}\n",
                     _span(line, u.col, u.end_line + shift, u.end_col), name_span, a.key, a.calls, in_user, anns)


_FUNCTION = UnitKind.FUNCTION
_DECLARATION = UnitKind.DECLARATION


# ---------------------------------------------------------------------------------------------

_PRAGMA_PACK = re.compile(r"(?m)^[ \t]*#[ \t]*pragma[ \t]+pack\b[ \t]*(\(([^)\n]*)\))?")
_RECORD = re.compile(r"\b(struct|union)\b(\s+\w+)?\s*\{")


class _Splitter:
    def __init__(self, text: str, path: str) -> None:
        self.t = text
        self.path = path
        # where #pragma pack is in force (struct layouts the engine does not model): (offset, on)
        self.packs = [(m.start(), (m.group(2) or "").strip() != "") for m in _PRAGMA_PACK.finditer(text)] \
            if "pack" in text else []
        self.errors: list[SourceError] = []
        self.markers = self._markers()
        self.offsets = [m.offset for m in self.markers]
        self._cur: tuple[int, int, int, int] | None = None  # (marker index, offset, line, line start)
        self._hdr_from = _INF  # nothing searched yet
        self._hdr_found = _INF

    # ---- positions ----------------------------------------------------------------------------
    def _markers(self) -> list[_Marker]:
        t = self.t
        starts = [0] if t.startswith("#") else []
        j = t.find("\n#")
        while j >= 0:
            starts.append(j + 1)
            j = t.find("\n#", j + 1)
        out: list[_Marker] = []
        file = self.path
        line = 1
        last_off = 0
        include_line = 1
        for i in starts:
            nl = t.find("\n", i)
            stop = len(t) if nl < 0 else nl
            m = _MARKER.match(t, i, stop)
            if m is None:
                continue
            cur_line = line + t.count("\n", last_off, i)  # the line the marker stands on
            new_file = unescape_c_string(m.group(2)) if m.group(2) is not None else file
            if file == self.path and new_file != self.path:
                include_line = cur_line
            file = new_file
            line = int(m.group(1))
            last_off = stop + 1
            out.append(_Marker(last_off, file, line, include_line))
        return out

    def _at(self, off: int) -> tuple[str, int, int, int]:
        """(file, line, column, user include line) of an offset."""
        t = self.t
        k = bisect.bisect_right(self.offsets, off) - 1
        if k >= 0:
            mk = self.markers[k]
            base_off, file, base_line, incl = mk.offset, mk.file, mk.line, mk.include_line
        else:
            base_off, file, base_line, incl = 0, self.path, 1, 1
        cur = self._cur
        if cur is not None and cur[0] == k and cur[1] <= off:
            n = t.count("\n", cur[1], off)
            line = cur[2] + n
            ls = t.rfind("\n", cur[1], off) + 1 if n else cur[3]
        elif cur is not None and cur[0] == k and off - base_off > 2 * (cur[1] - off):
            line = cur[2] - t.count("\n", off, cur[1])
            ls = t.rfind("\n", 0, off) + 1
        else:
            line = base_line + t.count("\n", base_off, off)
            ls = max(base_off, t.rfind("\n", base_off, off) + 1)
        self._cur = (k, off, line, ls)
        return file, line, off - ls + 1, incl

    def _user_span(self, start: int, end: int) -> Span:
        """A span in the user's file (the #include line for text from a header)."""
        f, l1, c1, incl = self._at(start)
        if f != self.path:
            return Span.of(incl, 1, incl, 2)
        f2, l2, c2, _ = self._at(max(start, end))
        if f2 != self.path:
            return Span.of(l1, c1, l1, c1 + 1)
        return Span.of(l1, c1, l2, c2)

    def _error(self, message: str, start: int, end: int, severity: str = "error") -> None:
        self.errors.append(SourceError(message, self._user_span(start, end), severity))

    # ---- scanning -----------------------------------------------------------------------------
    def run(self, final: bool) -> list[_PUnit] | None:
        """Positioned units; None if not ``final`` and the text ends inside a unit."""
        raws, trouble, clean = self._scan(recover=False, final=final)
        if not final and not clean:
            return None
        if trouble:
            self._cur = None
            self.errors.clear()
            raws, _, clean = self._scan(recover=True, final=final)
            if not final and not clean:
                return None
        grouped = self._group(raws, final)
        if grouped is None:
            return None
        return self._positioned(grouped)

    def _first_nonws(self, a: int, b: int) -> int:
        m = _NONWS.search(self.t, a, b)
        return m.start() if m else -1

    def _next_header(self, start: int) -> int:
        """Offset of the first header-looking line at or after ``start`` (amortised over the scan)."""
        if self._hdr_from <= start <= self._hdr_found:
            return self._hdr_found
        t = self.t
        pos = start - 1
        found = _INF
        while True:
            m = _COL1_IDENT.search(t, max(pos, 0))
            if m is None:
                break
            if _HEADER_LINE.match(t, m.end()):
                found = m.end()
                break
            pos = m.end()
        self._hdr_from, self._hdr_found = start, found
        return found

    def _scan(self, recover: bool, final: bool) -> tuple[list[_Raw], bool, bool]:
        """Raw units, whether braces were unbalanced, whether the text ended between units."""
        t = self.t
        n = len(t)
        raws: list[_Raw] = []
        pos = 0
        depth = 0
        start = -1  # first character of the unit in progress
        unit_from = 0  # where the next unit may start
        is_function = False
        body_open = -1
        next_hdr = _INF
        trouble = False
        scan = _SCAN.match
        while pos < n:
            m = scan(t, pos)
            if m is None:
                break
            i = m.start(1)
            c = t[i]
            if recover and depth > 0 and i >= next_hdr:
                cut = next_hdr
                end = start + len(t[start:cut].rstrip())
                self._unclosed(start, end, is_function, body_open)
                raws.append(_Raw(start, end, is_function, body_open, start, unclosed=True))
                depth, start, unit_from, is_function, body_open, next_hdr = 0, -1, cut, False, -1, _INF
                pos = cut
                continue
            if c == "#":
                if i == 0 or t[i - 1] == "\n":
                    nl = t.find("\n", i)
                    pos = n if nl < 0 else nl + 1
                    if start < 0:
                        unit_from = pos
                else:
                    pos = i + 1
                continue
            if start < 0:
                start = self._first_nonws(unit_from, i + 1)
            if c == '"':
                pos = _STRING.match(t, i).end()  # type: ignore[union-attr]
                continue
            if c == "'":
                pos = _CHAR.match(t, i).end()  # type: ignore[union-attr]
                continue
            pos = i + 1
            if c == ";":
                if depth == 0:
                    if start != i:  # a lone ';' is not a unit
                        raws.append(_Raw(start, i + 1, False, -1, start))
                    start, unit_from, is_function = -1, i + 1, False
            elif c == "{":
                if depth == 0:
                    start = self._missing_semicolon(raws, start, i)
                    is_function = self._is_function_header(start, i)
                    body_open = i if is_function else -1
                    next_hdr = self._next_header(i + 1)
                depth += 1
            else:  # '}'
                if depth == 0:
                    trouble = True
                    if recover:
                        self._error("unmatched '}' (unbalanced braces)", i, i + 1)
                    if start == i:
                        start, unit_from = -1, i + 1
                    continue
                depth -= 1
                if depth == 0:
                    if next_hdr < i:  # a function header inside this block: braces compensate elsewhere
                        trouble = True
                    if is_function:
                        raws.append(_Raw(start, i + 1, True, body_open, start))
                        start, unit_from, is_function, body_open = -1, i + 1, False, -1
                    next_hdr = _INF
        # the end of the text
        if start < 0:
            start = self._first_nonws(unit_from, n)
        if start < 0:
            return raws, trouble, True
        if not final:
            return raws, trouble, False
        end = start + len(t[start:].rstrip())
        if depth > 0:
            trouble = True
            self._unclosed(start, end, is_function, body_open)
            raws.append(_Raw(start, end, is_function, body_open if is_function else -1, start, unclosed=True))
        else:
            self._error("expected ';' at the end of the declaration", max(start, end - 1), end)
            raws.append(_Raw(start, end, False, -1, start))
        return raws, trouble, True

    def _missing_semicolon(self, raws: list[_Raw], start: int, brace: int) -> int:
        """A header line at column 1 after an unterminated declaration starts a new unit.

        Only when what precedes is clearly a whole declaration (an initializer, or a prototype),
        never for a header split over lines (``static inline`` / ``__attribute__((...))`` above).
        """
        t = self.t
        ls = t.rfind("\n", max(start, brace - 4096), brace)
        for _ in range(3):
            if ls < 0:
                return start
            m = _HEADER_LINE.match(t, ls + 1)
            if m is not None and ls + 1 > start and not t[start:ls].isspace() and \
                    ("=" in _LITERALS.sub("", t[start:ls]) or _HEADER_LINE.match(t, start) is not None):
                end = start + len(t[start:ls].rstrip())
                self._error("expected ';' at the end of the declaration", end - 1, end)
                raws.append(_Raw(start, end, False, -1, start))
                return ls + 1
            ls = t.rfind("\n", start, ls)
        return start

    def _unclosed(self, start: int, end: int, is_function: bool, body_open: int) -> None:
        where = body_open if body_open >= 0 else start
        what = "function body" if is_function else "block"
        self._error(f"unbalanced braces: missing '}}' to close this {what}", where, where + 1)

    def _is_function_header(self, start: int, brace: int) -> bool:
        """A declarator ending in ')' with no '=' outside parentheses: a function definition."""
        t = self.t
        j = brace - 1
        while j >= start and t[j] in " \t\n\r\f\v":
            j -= 1
        if j < start or t[j] != ")":  # checked first: no copy of a huge unit for "{}{}{}..."
            return False
        header = t[max(start, t.rfind("}", start, j) + 1):j + 1]
        if "(" not in header:
            return False
        if "=" not in header:
            return True
        if '"' in header or "'" in header:
            header = _LITERALS.sub("", header)
        depth = 0
        for ch in header:
            if ch == "(" or ch == "[":
                depth += 1
            elif ch == ")" or ch == "]":
                depth -= 1
            elif ch == "=" and depth <= 0:
                return False
        return True

    # ---- contracts ----------------------------------------------------------------------------
    def _group(self, raws: list[_Raw], final: bool) -> list[_Raw] | None:
        """Attach ``__pl_contract`` pseudo functions to the unit that follows them."""
        t = self.t
        out: list[_Raw] = []
        pending: list[_Raw] = []
        for r in raws:
            if r.is_function and not r.unclosed and t.startswith(_CONTRACT_HEAD, r.start):
                pending.append(r)
                continue
            if pending:
                same_file = self._at(pending[0].start)[0] == self._at(r.start)[0]
                if same_file:
                    r = _Raw(pending[0].start, r.end, r.is_function, r.body_open, r.start, r.unclosed)
                else:
                    self._orphans(pending)
                pending = []
            out.append(r)
        if pending:
            if not final:
                return None
            self._orphans(pending)
        return out

    def _orphans(self, contracts: list[_Raw]) -> None:
        for c in contracts:
            self._error("function contract not followed by a function definition; ignored", c.start,
                        c.start + 1, "warning")

    # ---- units --------------------------------------------------------------------------------
    def _positioned(self, raws: list[_Raw]) -> list[_PUnit]:
        t = self.t
        out: list[_PUnit] = []
        for r in raws:
            file, line, col, _ = self._at(r.start)
            end_file, end_line, end_col, _ = self._at(r.end)
            body = t[r.start:r.end]
            if self.packs and self._packed(r.start):
                rec = _RECORD.search(body)
                if rec is not None:  # the declaration must not parse (UNSUPPORTED_MARK, see engine.parse)
                    body = body[:rec.start()] + UNSUPPORTED_MARK + body[rec.start() + 1:]
            key_body = body
            if "\n#" in body:
                body, key_body = self._flatten(body, file, line)
            # the unit text starts with spaces so that pycparser's columns are the file's; not for
            # units far right on a huge line (50,000 units on one line would cost gigabytes)
            pad = " " * (col - 1) if col <= _MAX_PAD else ""
            header_rel = len(pad) + (r.header_from - r.start)
            body_rel = len(pad) + (r.body_open - r.start) if r.is_function and r.body_open >= 0 else -1
            a = _analyse(pad + body, header_rel, body_rel)
            if key_body != body:
                a = a._replace(key=_key(clean_gnu(pad + key_body)))
            if not pad and col > 1:
                a = a._replace(key=_key(f"{col}|{a.key}"),
                               name_col=a.name_col + (col - 1 if a.name_line == 0 else 0))
            if not r.is_function and (a.calls or a.name is not None):
                a = a._replace(name=None, name_line=0, name_col=0, calls=())
            if end_file != file:
                nl_at = body.rfind("\n")
                end_line = line + body.count("\n")
                end_col = len(body) - nl_at if nl_at >= 0 else col + len(body)
            out.append(_PUnit(file, line, col, end_line, end_col, r.is_function, a))
        return out

    def _packed(self, at: int) -> bool:
        """Is a ``#pragma pack`` (other than the reset ``pack()``) in force at offset ``at``?
        After ``pack(pop)`` it still counts as in force (the stack is not modelled: safe)."""
        on = False
        for off, active in self.packs:
            if off > at:
                break
            on = active
        return on

    def _flatten(self, body: str, file: str, line: int) -> tuple[str, str]:
        """Replace same-file forward linemarkers inside a unit by newlines.

        Returns the unit text and the text to digest, where the remaining markers of the unit's
        own file are made relative to its first line (so moving the unit keeps its key).
        """
        lines = body.split("\n")
        out: list[str] = []
        key: list[str] = []
        cur_file, cur = file, line  # line number of the entry being appended next
        for k, ln in enumerate(lines):
            m = _MARKER.match(ln) if k > 0 and ln.startswith("#") else None
            if m is None:
                out.append(ln)
                key.append(ln)
                cur += 1
                continue
            new_line = int(m.group(1))
            new_file = unescape_c_string(m.group(2)) if m.group(2) is not None else cur_file
            if new_file == cur_file == file and 0 <= new_line - cur <= 100_000:
                out.extend([""] * (new_line - cur))
                key.extend([""] * (new_line - cur))
            else:
                out.append(ln)
                rel = f'# {new_line - line} "."' if new_file == file else ln
                key.append(rel)
            cur_file, cur = new_file, new_line
        return "\n".join(out), "\n".join(key)


# ---------------------------------------------------------------------------------------------
# per-unit analysis (cached by the unit's text)

def _key(text: str) -> str:
    """Digest of the token stream with positions (relative line, column): the unit's layout."""
    norm = "\n".join([line.rstrip() for line in text.split("\n")]).rstrip()
    if "__pl_" in norm:
        counter = iter(range(1, 1 << 30))

        def renumber(m: re.Match[str]) -> str:
            width = len(m.group(2)) + len(m.group(3)) + len(m.group(4))
            return m.group(1) + f"{next(counter)}{m.group(3)}".ljust(width)

        norm = _ANN_ID.sub(renumber, norm)
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def _analyse(text: str, header_from: int, body_from: int) -> _Analysis:
    ck = (text, header_from, body_from)
    hit = _ANALYSIS.get(ck)
    if hit is not None:
        return hit
    cleaned = clean_gnu(text)
    name: str | None = None
    name_line = name_col = 0
    calls: tuple[str, ...] = ()
    if body_from >= 0:
        found = _function_name(text, header_from, body_from)
        if found is not None:
            name, off = found
            name_line = text.count("\n", 0, off)
            name_col = off - (text.rfind("\n", 0, off) + 1) + 1
        seen: dict[str, None] = {}
        for c in _calls(text, 0, header_from) + _calls(text, body_from, len(text)):
            if c not in KEYWORDS and not c.startswith("__pl_"):
                seen[c] = None
        calls = tuple(seen)
    ids = tuple(int(m.group(2)) for m in _ANN_ID.finditer(text)) if "__pl_" in text else ()
    result = _Analysis(cleaned, _key(cleaned), name, name_line, name_col, calls, ids)
    _remember(_ANALYSIS, ck, result, _ANALYSIS_SIZE)
    return result


_REVERSED_IDENT = re.compile(r"\s*(\w+)")


def _calls(text: str, start: int, end: int) -> list[str]:
    """Identifiers directly followed by '(' in text[start:end] (str.find is far faster than a regex)."""
    out: list[str] = []
    i = text.find("(", start, end)
    while i >= 0:
        m = _REVERSED_IDENT.match(text[max(start, i - 96):i][::-1])
        if m is not None:
            name = m.group(1)[::-1]
            if not name[0].isdigit():
                out.append(name)
        i = text.find("(", i + 1, end)
    return out


def _function_name(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The first identifier followed by '(' in the header (skipping attributes and the like)."""
    pos = start
    while True:
        m = _CALL.search(text, pos, end)
        if m is None:
            return None
        name = m.group(1)
        if name in _SKIP_GROUP:
            pos = _close_paren(text, m.end() - 1, end)
            continue
        if name in KEYWORDS or name[0].isdigit():
            pos = m.end()
            continue
        return name, m.start(1)


def _close_paren(text: str, open_at: int, end: int) -> int:
    depth = 0
    for k in range(open_at, end):
        ch = text[k]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    return end
