"""Run the C preprocessor on the (annotation-rewritten, comment-blanked) user text.

Why it looks the way it does:

* ``cpp`` is a process (10-20 ms) and this runs on every keystroke. The text is cut after its
  last directive: the *prefix* (includes, macros) goes through ``cpp -dD`` and is cached by its
  content and the mtimes of every file it included; the *body* after it never contains a
  directive, so it is handled chunk by chunk (see ``split_chunks``), each cached by content:
  a chunk without macro names passes through unchanged; object-like macros (``NULL``, ``true``,
  ``INT_MAX``) are substituted here; chunks using a function-like macro go through one cpp run
  together, with the prefix's macros as ``#define`` lines instead of the headers. Only
  ``__LINE__``-like built-ins, line splices or a macro call running past a chunk's end need the
  whole file through cpp. A file without directives costs no process after the first call, and
  an edit below the includes costs none unless it touches a function-like macro call.
* ``gcc -E`` collapses whitespace (``int    x`` -> ``int x``) and macro expansion changes
  lengths; pycparser's columns must be those of the user's file, so every output line of the
  user's file is put back in its original layout: the original line when only whitespace
  differs, otherwise tokens are re-placed at their original columns where they still fit.
  Linemarkers written in the user's file (an already-preprocessed ``.i``) are blanked: positions
  are those of the document being edited.
* Headers: our own in ``include/`` (correct ``limits.h``/``stdint.h`` for the data model,
  real prototypes for ``stdio.h``/``stdlib.h``/``string.h``) come first, then the user's
  ``-I`` directories, then pycparser-fake-libc; ``-nostdinc`` so system headers are never read.
  When a fake-libc header is reached, ``__pl_fake_compat.h`` is force-included first so that
  fake-libc's all-``int`` typedefs and wrong ``INT_MIN`` never win.
* ``assert.h`` leaves ``assert(e)`` as the call ``assert(e)`` (no macro, no declaration) unless
  ``NDEBUG`` is defined, where it is ``((void)0)`` as in C.
* A missing include becomes a SourceError at its ``#include`` line and the line is dropped
  and ``cpp`` re-run, so the rest of the file is still analysed.

:func:`clean_gnu` (used by the splitter on each unit) removes GNU extensions that pycparser
rejects, keeping columns; an ``asm`` statement in a body becomes ``__pl_unsupported_asm()`` so
the verifier says "unknown" instead of silently ignoring it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from analysis.frontend.annotations import split_chunks
from analysis.model import SourceError, Span
from analysis.options import Options

__all__ = ["Preprocessed", "PreprocessedChunks", "MacroTable", "preprocess", "preprocess_chunks", "clean_gnu",
           "cpp_arguments", "linemarker", "unescape_c_string", "INCLUDE_DIR", "UNSUPPORTED_ASM",
           "UNSUPPORTED_MARK"]

INCLUDE_DIR = Path(__file__).resolve().parent / "include"
UNSUPPORTED_ASM = "__pl_unsupported_asm()"
# replaces the first character of an attribute (or _Alignas) the engine does not model: pycparser
# stops at it ("Illegal character"), and analysis.engine.parse reports the construct as unsupported
UNSUPPORTED_MARK = "`"
CPP_TIMEOUT = 10.0  # seconds
MAX_OUTPUT = 32 * 1024 * 1024  # bytes of preprocessed output we are willing to split
MAX_INCLUDE_DEPTH = 40
MAX_RETRIES = 8  # missing includes dropped and cpp re-run at most this often
ERROR_TTL = 2.0  # seconds a result with a missing include stays cached (the file may appear)

# identifiers cpp expands even without any #define
_BUILTIN_MACROS = frozenset({"__FILE__", "__LINE__", "__COUNTER__", "__INCLUDE_LEVEL__", "__BASE_FILE__",
                             "__DATE__", "__TIME__", "__TIMESTAMP__", "_Pragma", "__VA_ARGS__", "__VA_OPT__",
                             "__has_include", "__has_include_next", "__FILE_NAME__"})


@dataclass(frozen=True)
class Preprocessed:
    """Preprocessed text with linemarkers; user-file lines keep their original columns."""

    text: str
    errors: tuple[SourceError, ...] = ()
    ran_cpp: bool = False  # a cpp process ran for this call (not served from the cache)


# ---------------------------------------------------------------------------------------------
# small helpers

def unescape_c_string(s: str) -> str:
    """The file name of a linemarker as cpp escapes it (``\\\\`` and ``\\"``)."""
    return re.sub(r"\\(.)", r"\1", s) if "\\" in s else s


def linemarker(line: int, file: str) -> str:
    """``# LINE "FILE"`` with the file name escaped as cpp does."""
    return f'# {line} "{_escape(file)}"\n'


def _escape(file: str) -> str:
    return file.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


_DIRECTIVE = re.compile(r"(?m)^[ \t\f\v]*(?:#|%:)")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_MARKER = re.compile(r'#(?:line)?[ \t]*(\d+)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"([ \t\d]*))?[ \t]*$')
_DIAG = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<sev>fatal error|error|warning): "
                   r"(?P<msg>.*)$")
_FROM = re.compile(r"^(?:In file included from|\s+from) (?P<file>.*):(?P<line>\d+)(?::\d+)?[,:]$")
_MISSING = re.compile(r"^(?P<name>.*): No such file or directory$")


def _line_span(lines: list[str], line: int, col: int | None = None) -> Span:
    """The rest of ``line`` from ``col`` (whole line if unknown), clamped to the text."""
    line = max(1, min(line, max(1, len(lines))))
    text = lines[line - 1] if lines else ""
    start = 1
    if col is not None and 1 <= col <= len(text):
        start = col
    end = len(text.rstrip()) + 1
    return Span.of(line, start, line, max(end, start + 1))


def _directive_end(text: str, start: int) -> int:
    """Offset just after the newline ending the logical directive line starting at ``start``."""
    n = len(text)
    pos = start
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            return n
        if nl > 0 and (text[nl - 1] == "\\" or (text[nl - 1] == "\r" and nl > 1 and text[nl - 2] == "\\")):
            pos = nl + 1
            continue
        return nl + 1


def _blank_directives(text: str) -> str:
    """Fallback without a preprocessor: directive lines become empty lines."""
    out: list[str] = []
    last = 0
    for m in _DIRECTIVE.finditer(text):
        if m.start() < last:
            continue
        end = _directive_end(text, m.start())
        out.append(text[last:m.start()])
        out.append("\n" * text.count("\n", m.start(), end))
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the preprocessor program and its arguments

_CPP_LOCK = threading.Lock()
_CPP_PROGRAM: tuple[list[str], bool] | None = None  # (argv prefix, is gcc)


def _cpp_program() -> tuple[list[str], bool] | None:
    """``cpp`` (or ``gcc -E`` / ``clang -E``), found once; (argv prefix, is it GCC's)."""
    global _CPP_PROGRAM
    with _CPP_LOCK:
        if _CPP_PROGRAM is None:
            _CPP_PROGRAM = ([], False)
            for cand in (["cpp"], ["gcc", "-E"], ["cc", "-E"], ["clang", "-E"]):
                exe = shutil.which(cand[0])
                if exe:
                    _CPP_PROGRAM = ([exe, *cand[1:]], "clang" not in os.path.realpath(exe))
                    break
        return _CPP_PROGRAM if _CPP_PROGRAM[0] else None


def _fake_libc_dir() -> str | None:
    try:
        import pycparser_fake_libc  # noqa: PLC0415 - optional dependency, looked up once

        return str(Path(pycparser_fake_libc.__file__).resolve().parent)
    except Exception:  # noqa: BLE001 - missing package: our headers alone
        return None


_FAKE_LIBC = _fake_libc_dir()

_CC_CACHE: dict[str, tuple[float, list[tuple[str, str, list[str]]] | None, str | None]] = {}
_TAKE_JOINED = ("-I", "-D", "-U", "-isystem", "-iquote", "-include", "-idirafter")
_TAKE_SEPARATE = {"-I", "-D", "-U", "-isystem", "-iquote", "-include", "-idirafter"}


def _read_compile_commands(cc_path: str) -> tuple[list[tuple[str, str, list[str]]] | None, str | None]:
    """Entries (directory, file, arguments) of a compile_commands.json, cached by mtime."""
    try:
        p = Path(cc_path)
        if p.is_dir():
            p = p / "compile_commands.json"
        mtime = p.stat().st_mtime
    except OSError as e:
        return None, f"compile_commands: cannot read {cc_path}: {e.strerror or e}"
    key = str(p)
    cached = _CC_CACHE.get(key)
    if cached and cached[0] == mtime:
        return cached[1], cached[2]
    entries: list[tuple[str, str, list[str]]] | None = None
    problem: str | None = None
    try:
        raw = json.loads(p.read_text(encoding="utf-8", errors="replace"))
        if not isinstance(raw, list):
            raise ValueError("not a list of entries")
        entries = []
        for entry in raw:
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                continue
            d = entry.get("directory")
            directory = d if isinstance(d, str) else str(p.parent)
            if isinstance(entry.get("arguments"), list):
                args = [a for a in entry["arguments"] if isinstance(a, str)]
            elif isinstance(entry.get("command"), str):
                try:
                    args = shlex.split(entry["command"])
                except ValueError:
                    args = entry["command"].split()
            else:
                args = []
            entries.append((directory, str(entry["file"]), args))
    except (OSError, ValueError) as e:
        problem = f"compile_commands: {p}: {e}"
        entries = None
    _CC_CACHE[key] = (mtime, entries, problem)
    return entries, problem


def _flags_from_compile_commands(cc_path: str, path: str) -> tuple[list[str], str | None]:
    """Only -I/-D/-U/-include/-std (and -isystem/-iquote/-idirafter) of this file's entry."""
    entries, problem = _read_compile_commands(cc_path)
    if entries is None:
        return [], problem
    target = os.path.normcase(os.path.abspath(path))
    for directory, file, args in entries:
        full = os.path.normcase(os.path.abspath(os.path.join(directory, file)))
        if full != target:
            continue
        out: list[str] = []
        i = 0
        while i < len(args):
            a = args[i]
            if a in _TAKE_SEPARATE and i + 1 < len(args):
                value = args[i + 1]
                i += 2
            else:
                i += 1
                if a.startswith("-std="):
                    out.append(a)
                    continue
                flag = next((f for f in _TAKE_JOINED if a.startswith(f) and len(a) > len(f)), None)
                if flag is None:
                    continue
                a, value = flag, a[len(flag):]
            if a in ("-I", "-isystem", "-iquote", "-include", "-idirafter"):
                value = os.path.normpath(os.path.join(directory, value))
                out.extend(["-I" if a in ("-isystem", "-idirafter") else a, value])
            else:
                out.extend([a, value])
        return out, None
    return [], None


def cpp_arguments(path: str, options: Options) -> tuple[list[str], list[str]]:
    """cpp options (without the program) for this file, and problems found on the way."""
    problems: list[str] = []
    # likely()/unlikely(): __builtin_expect is its first argument (a hint, C-wise nothing else)
    args = ["-nostdinc", "-dD", "-D__builtin_expect(e,c)=(e)"]
    prog = _cpp_program()
    if prog is not None and prog[1]:
        args.append(f"-fmax-include-depth={MAX_INCLUDE_DEPTH}")
    if options.data_model == "ILP32":
        args += ["-m32", "-D__PL_ILP32=1"]
    else:
        args += ["-D__PL_LP64=1"]
    args += ["-I", str(INCLUDE_DIR)]
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(directory):
        args += ["-iquote", directory]
    user: list[str] = []
    for d in options.include_dirs:
        user += ["-I", os.path.abspath(d)]
    for d in options.defines:
        user += ["-D", d]
    if options.compile_commands:
        extra, problem = _flags_from_compile_commands(options.compile_commands, path)
        if problem:
            problems.append(problem)
        user += extra
    args += user
    if _FAKE_LIBC:
        args += ["-I", _FAKE_LIBC]
    return args, problems


# ---------------------------------------------------------------------------------------------
# running cpp

@dataclass
class _Chunk:
    """One cpp run (possibly retried) on some input text, post-processed."""

    text: str
    macros: MacroTable
    errors: list[SourceError]
    deps: tuple[tuple[str, int, int], ...]
    truncated: bool  # cpp complained about something cut off (unterminated #if, macro call)
    transient: bool  # contains errors that may go away without an edit (missing file)
    created: float = field(default_factory=time.monotonic)


_CacheKey = tuple[str, str, tuple[str, ...], bool]
_CACHE_LOCK = threading.Lock()
_CHUNK_CACHE: OrderedDict[_CacheKey, _Chunk] = OrderedDict()
_CHUNK_CACHE_SIZE = 24


def _cache_get(key: _CacheKey) -> _Chunk | None:
    with _CACHE_LOCK:
        chunk = _CHUNK_CACHE.get(key)
        if chunk is None:
            return None
        _CHUNK_CACHE.move_to_end(key)
    if chunk.transient and time.monotonic() - chunk.created > ERROR_TTL:
        return None
    return chunk if _deps_valid(chunk.deps) else None


def _deps_valid(deps: tuple[tuple[str, int, int], ...]) -> bool:
    for file, mtime, size in deps:
        try:
            st = os.stat(file)
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_size != size:
            return False
    return True


def _cache_put(key: _CacheKey, chunk: _Chunk) -> None:
    with _CACHE_LOCK:
        _CHUNK_CACHE[key] = chunk
        _CHUNK_CACHE.move_to_end(key)
        while len(_CHUNK_CACHE) > _CHUNK_CACHE_SIZE:
            _CHUNK_CACHE.popitem(last=False)


_NEEDS_COMPAT: set[tuple[str, tuple[str, ...]]] = set()  # (path, args) that reached a fake-libc header


def _run(argv: list[str], data: str) -> tuple[str, str, str | None]:
    """stdout, stderr, and a failure description (timeout, crash, too much output).

    The driver (``cpp``/``gcc``) starts ``cc1`` as its own child: on a timeout the whole new
    process group is killed, so nothing is left running behind us.
    """
    env = {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C", "LANG": "C"}
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
    except (OSError, ValueError) as e:
        return "", "", f"the preprocessor could not run: {e}"
    try:
        out, err = proc.communicate(data.encode("utf-8", "replace"), timeout=CPP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return "", "", f"the preprocessor timed out after {CPP_TIMEOUT:g} s"
    except BaseException:
        _kill_group(proc)
        raise
    if len(out) > MAX_OUTPUT:
        return "", "", f"the preprocessed output is too large ({len(out) // 1_000_000} MB)"
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group we created for ``proc`` and reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()
    try:
        proc.communicate(timeout=5)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def _cpp_chunk(data: str, path: str, args: list[str]) -> tuple[_Chunk | None, bool, str | None]:
    """Preprocess ``data`` (user lines 1..), dropping missing includes.

    Returns (chunk or None if cpp is unusable, whether a process ran, failure description).
    """
    prog = _cpp_program()
    if prog is None:
        return None, False, "no C preprocessor (cpp, gcc or clang) found"
    key_args = tuple(args)
    compat = (path, key_args) in _NEEDS_COMPAT
    hit = _cache_get((path, data, key_args, compat))
    if hit is not None:
        return hit, False, None
    lines = data.split("\n")
    errors: list[SourceError] = []
    work = data
    out = err = ""
    attempt = 0
    while True:
        argv = [*prog[0], *args]
        if compat:
            argv += ["-include", str(INCLUDE_DIR / "__pl_fake_compat.h")]
        argv.append("-")
        out, err, failure = _run(argv, f'#line 1 "{_escape(path)}"\n' + work)
        if failure:
            return None, True, failure
        if not compat and _FAKE_LIBC and _reached_fake_libc(out):
            _NEEDS_COMPAT.add((path, key_args))
            compat = True
            continue
        missing = _missing_include(err, path)
        if missing is None or attempt >= MAX_RETRIES:
            break
        attempt += 1
        line, col, msg = missing
        errors.append(SourceError(msg, _line_span(lines, line, col)))
        wl = work.split("\n")
        if not (1 <= line <= len(wl)) or wl[line - 1].strip() == "":
            break
        start = sum(len(x) + 1 for x in wl[:line - 1])
        end = _directive_end(work, start)
        work = work[:start] + "\n" * work.count("\n", start, end) + work[end:]
    diag_errors, truncated = _diagnostics(err, path, lines, {e.span.start.line for e in errors})
    errors.extend(diag_errors)
    text, macros, deps = _postprocess(out, path, lines)
    chunk = _Chunk(text, macros, errors, deps, truncated, transient=bool(errors))
    _cache_put((path, data, key_args, compat), chunk)
    return chunk, True, None


def _reached_fake_libc(out: str) -> bool:
    assert _FAKE_LIBC is not None
    return f'"{_escape(_FAKE_LIBC)}/' in out


def _user_location(stderr_lines: list[str], index: int, path: str) -> tuple[int, int | None] | None:
    """The user-file line of diagnostic ``index``: its own, or the outermost include from the user file."""
    m = _DIAG.match(stderr_lines[index])
    if m is None:
        return None
    if m.group("file") == path:
        return int(m.group("line")), int(m.group("col")) if m.group("col") else None
    j = index - 1
    outer: tuple[int, int | None] | None = None
    while j >= 0:
        f = _FROM.match(stderr_lines[j])
        if f is None:
            break
        if f.group("file") == path:
            outer = (int(f.group("line")), None)
        j -= 1
    return outer


def _missing_include(stderr: str, path: str) -> tuple[int, int | None, str] | None:
    lines = stderr.splitlines()
    for i, ln in enumerate(lines):
        m = _DIAG.match(ln)
        if m is None or m.group("sev") != "fatal error":
            continue
        miss = _MISSING.match(m.group("msg"))
        if miss is None:
            continue
        where = _user_location(lines, i, path)
        if where is None:
            return None
        inner = "" if m.group("file") == path else f" (included from line {where[0]}, in {m.group('file')})"
        return where[0], where[1], f"cannot find include file {miss.group('name')}{inner}"
    return None


def _diagnostics(stderr: str, path: str, user_lines: list[str], seen: set[int]) -> tuple[list[SourceError], bool]:
    """Errors (and the user's own warnings) from cpp's stderr, positioned in the user's file."""
    out: list[SourceError] = []
    truncated = False
    lines = stderr.splitlines()
    for i, ln in enumerate(lines):
        m = _DIAG.match(ln)
        if m is None:
            continue
        msg = m.group("msg")
        if "unterminated" in msg or "unbalanced" in msg:
            truncated = True
        if m.group("sev") == "fatal error" and _MISSING.match(msg):
            continue  # handled by the retry loop
        where = _user_location(lines, i, path)
        in_user = m.group("file") == path
        if m.group("sev") == "warning" and not in_user:
            continue
        if where is None:
            where = (1, None)
        if not in_user:
            msg = f"{m.group('file')}:{m.group('line')}: {msg}"
        severity = "warning" if m.group("sev") == "warning" else "error"
        if where[0] in seen and severity == "error" and not in_user:
            continue
        out.append(SourceError(f"preprocessor: {msg}", _line_span(user_lines, where[0], where[1]), severity))
    return out, truncated


def _postprocess(out: str, path: str, user_lines: list[str]) -> tuple[str, MacroTable, tuple[tuple[str, int, int], ...]]:
    """Drop -dD lines (collecting macros) and built-in regions, restore user-file layout, list included files."""
    lines = out.split("\n")
    defines: dict[str, str] = {}
    files: set[str] = set()
    kept: list[str] = []
    cur_file = ""
    cur_line = 0
    pending_marker: str | None = None
    for ln in lines:
        if ln.startswith("#"):
            if ln.startswith("#define "):
                m = _IDENT.match(ln, 8)
                if m:
                    defines[m.group()] = ln[8:]
                ln = ""
            elif ln.startswith("#undef "):
                m = _IDENT.match(ln, 7)
                if m:
                    defines.pop(m.group(), None)
                ln = ""
            else:
                mk = _MARKER.match(ln)
                if mk is not None:
                    cur_line = int(mk.group(1))
                    if mk.group(2) is not None:
                        cur_file = unescape_c_string(mk.group(2))
                        files.add(cur_file)
                    pending_marker = ln
                    continue
            cur_line += 1
            if cur_file.startswith("<"):
                continue
            if pending_marker is not None:
                kept.append(pending_marker)
                pending_marker = None
            kept.append(ln)
            continue
        if cur_file.startswith("<"):
            cur_line += 1
            continue
        if pending_marker is not None:
            kept.append(pending_marker)
            pending_marker = None
        if cur_file == path and 1 <= cur_line <= len(user_lines):
            orig = user_lines[cur_line - 1]
            if ln != orig:
                if ln and not ln.isspace():
                    ln = _realign(ln, orig)
                elif orig.isspace():
                    ln = orig  # blanked comments: keep the same text whichever path ran
        kept.append(ln)
        cur_line += 1
    if pending_marker is not None:
        kept.append(pending_marker)
    deps: list[tuple[str, int, int]] = []
    for f in sorted(files):
        if f == path or f.startswith("<"):
            continue
        try:
            st = os.stat(f)
        except OSError:
            continue
        deps.append((f, st.st_mtime_ns, st.st_size))
    text = "\n".join(kept)
    if text and not text.endswith("\n"):
        text += "\n"
    return text, _table(defines), tuple(deps)


_ALIGN_TOKEN = re.compile(r"""[A-Za-z_]\w*|\.?\d(?:[eEpP][+-]|[\w.])*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\S""")


def _tokens(line: str) -> list[tuple[str, int, bool]]:
    """(token, column offset, preceded by whitespace)."""
    out = []
    prev_end = 0
    for m in _ALIGN_TOKEN.finditer(line):
        out.append((m.group(), m.start(), m.start() > prev_end))
        prev_end = m.end()
    return out


def _realign(line: str, orig: str) -> str:
    """Put cpp's tokens back at the columns they had in the original line, where they still fit."""
    if line.split() == orig.split():
        return orig
    if len(line) > 20_000 or len(orig) > 20_000:
        return line
    out_t = _tokens(line)
    org_t = _tokens(orig)
    target: dict[int, int] = {}
    if len(out_t) <= 400 and len(org_t) <= 400:
        sm = SequenceMatcher(None, [t[0] for t in out_t], [t[0] for t in org_t], autojunk=False)
        for a, b, size in sm.get_matching_blocks():
            for k in range(size):
                target[a + k] = org_t[b + k][1]
    else:  # common prefix only
        for k, (x, y) in enumerate(zip(out_t, org_t, strict=False)):
            if x[0] != y[0]:
                break
            target[k] = y[1]
    buf: list[str] = []
    cur = 0
    indent = len(orig) - len(orig.lstrip())
    for k, (tok, _col, space) in enumerate(out_t):
        want = indent if k == 0 else cur + (1 if space else 0)
        col = target.get(k)
        if col is not None and col >= want:
            want = col
        buf.append(" " * (want - cur))
        buf.append(tok)
        cur = want + len(tok)
    return "".join(buf)


# ---------------------------------------------------------------------------------------------
# the public entry point

_CHUNK_IDS: OrderedDict[str, frozenset[str]] = OrderedDict()
_CHUNK_IDS_SIZE = 20_000


def _identifiers(chunk: str) -> frozenset[str]:
    with _CACHE_LOCK:
        ids = _CHUNK_IDS.get(chunk)
    if ids is None:
        ids = frozenset(_IDENT.findall(chunk))
        with _CACHE_LOCK:
            _CHUNK_IDS[chunk] = ids
            while len(_CHUNK_IDS) > _CHUNK_IDS_SIZE:
                _CHUNK_IDS.popitem(last=False)
    return ids


# ---------------------------------------------------------------------------------------------
# object-like macros, expanded here so that a body using NULL/true/INT_MAX needs no cpp run

@dataclass(frozen=True, eq=False)
class MacroTable:
    """Macros defined at the end of the directives (from ``cpp -dD``)."""

    objects: dict[str, str]  # object-like: name -> replacement list
    functions: frozenset[str]  # function-like names
    names: frozenset[str]  # every name that makes cpp necessary or expansion possible
    version: int  # identity for caches
    defines: dict[str, str]  # name -> its definition as cpp printed it (after "#define ")


_VERSION = iter(range(1, 1 << 62))


def _table(defines: dict[str, str]) -> MacroTable:
    objects: dict[str, str] = {}
    functions: set[str] = set()
    for name, d in defines.items():
        if d[len(name):len(name) + 1] == "(":
            functions.add(name)
        else:
            objects[name] = d[len(name) + 1:]
    return MacroTable(objects, frozenset(functions), frozenset(objects) | frozenset(functions) | _BUILTIN_MACROS,
                      next(_VERSION), defines)


_PP_TOKEN = re.compile(r""""[^"\\\n]*(?:\\.[^"\\\n]*)*"?|'[^'\\\n]*(?:\\.[^'\\\n]*)*'?|\.?\d(?:[eEpP][+-]|[\w.])*|([A-Za-z_]\w*)""")
_STICKY = frozenset("+-*/%<>=!&|^.#:")
_EXPANSIONS: dict[tuple[int, str], str | None] = {}


def _pastes(a: str, b: str) -> bool:
    """Would ``a`` followed directly by ``b`` lex differently from ``a b``?"""
    if not a or not b:
        return False
    aw = a.isalnum() or a == "_"
    bw = b.isalnum() or b == "_"
    return (aw and bw) or (a in _STICKY and b in _STICKY) or (a == "." and b.isdigit()) or (aw and b == ".")


def _substitute(text: str, table: MacroTable, disabled: frozenset[str], depth: int) -> str | None:
    """``text`` with object-like macros replaced (rescanned); None when cpp is needed."""
    if depth > 32:
        return None
    out: list[str] = []
    last = 0
    for m in _PP_TOKEN.finditer(text):
        name = m.group(1)
        if name is None or name not in table.names or name in disabled:
            continue
        repl = table.objects.get(name)
        if repl is None or "##" in repl:
            return None  # function-like, builtin (__LINE__ ...) or pasting: let cpp do it
        sub = _substitute(repl, table, disabled | {name}, depth + 1)
        if sub is None:
            return None
        before = out[-1][-1:] if last == m.start() and out else text[m.start() - 1:m.start()]
        after = text[m.end():m.end() + 1]
        if _pastes(before, sub[:1]):
            sub = " " + sub
        if _pastes(sub[-1:], after):
            sub += " "
        out.append(text[last:m.start()])
        out.append(sub)
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


_EXPANDED: OrderedDict[tuple[str, int], str | None] = OrderedDict()
_NEEDS_CPP = "\0needs cpp"  # an expansion result meaning: run cpp on this chunk


def _expand_chunk(chunk: str, table: MacroTable) -> str | None:
    """A body chunk with its macros expanded (cached).

    Object-like macros are substituted here; a chunk using a function-like macro comes back as
    ``_NEEDS_CPP`` (see :func:`_cpp_chunks`); None means only a whole-file run is right
    (``__LINE__``, ``__COUNTER__``, a line splice).
    """
    if "\\\n" in chunk:  # a line splice: cpp joins lines (pycparser could not)
        return None
    ids = _identifiers(chunk)
    if ids.isdisjoint(table.names):
        return chunk
    if not ids.isdisjoint(_BUILTIN_MACROS):
        return None
    key = (chunk, table.version)
    with _CACHE_LOCK:
        if key in _EXPANDED:
            return _EXPANDED[key]
    res = _NEEDS_CPP if not ids.isdisjoint(table.functions) else _substitute(chunk, table, frozenset(), 0)
    if res is None:
        res = _NEEDS_CPP
    _remember_expansion(key, res)
    return res


def _remember_expansion(key: tuple[str, int], value: str | None) -> None:
    with _CACHE_LOCK:
        _EXPANDED[key] = value
        while len(_EXPANDED) > _CHUNK_IDS_SIZE:
            _EXPANDED.popitem(last=False)


_PRELUDES: OrderedDict[int, str] = OrderedDict()
_CPP_BUILTINS = frozenset({"__STDC__", "__STDC_VERSION__", "__STDC_UTF_16__", "__STDC_UTF_32__", "__STDC_HOSTED__"})


def _prelude(table: MacroTable) -> str:
    """Every macro of the table as #define lines: stands for the headers in a per-chunk run."""
    text = _PRELUDES.get(table.version)
    if text is None:
        text = "".join(f"#define {d}\n" for name, d in table.defines.items() if name not in _CPP_BUILTINS)
        _PRELUDES[table.version] = text
        while len(_PRELUDES) > 8:
            _PRELUDES.popitem(last=False)
    return text


def _cpp_chunks(chunks: list[str], table: MacroTable, path: str, args: list[str]) -> list[str] | None:
    """Preprocess several body chunks in one cpp run, given the macros as a prelude.

    The body has no directives, so each chunk expands the same alone as in the whole file,
    unless a macro call runs across a chunk's end: cpp then reports an error and None asks for
    a whole-file run. Each result has the chunk's lines, in the chunk's layout where possible.
    """
    prog = _cpp_program()
    if prog is None:
        return None
    keep: list[str] = []
    skip = False
    for a in args:  # the prelude replaces headers, built-ins and forced includes
        if skip:
            skip = False
            continue
        if a in ("-include", "-dD"):
            skip = a == "-include"
            continue
        keep.append(a)
    parts = [_prelude(table)]
    for k, c in enumerate(chunks):
        parts.append(f'#line 1 "__pl_chunk_{k}"\n')
        parts.append(c if c.endswith("\n") else c + "\n")
    out, err, failure = _run([*prog[0], "-undef", "-w", *keep, "-"], "".join(parts))
    if failure or re.search(r"(?m)^__pl_chunk_\d+:\d+:(?:\d+:)? (?:fatal )?error", err):
        return None
    originals = [c.split("\n") for c in chunks]
    results = [[line if line.isspace() else "" for line in o] for o in originals]
    k = -1
    line = 0
    for ln in out.split("\n"):
        if ln.startswith("#"):
            mk = _MARKER.match(ln)
            if mk is not None:
                line = int(mk.group(1))
                name = mk.group(2) or ""
                k = int(name[11:]) if name.startswith("__pl_chunk_") and name[11:].isdigit() else -1
            continue
        if 0 <= k < len(results) and ln:
            if not 1 <= line <= len(results[k]):
                return None
            orig = originals[k][line - 1]
            results[k][line - 1] = ln if ln == orig or ln.isspace() else _realign(ln, orig)
        line += 1
    return ["\n".join(r) for r in results]


# ---------------------------------------------------------------------------------------------
# the public entry points

@dataclass(frozen=True)
class PreprocessedChunks:
    """The preprocessed file as (directive part through cpp) + (body chunks passed through).

    ``full`` is set instead when the body could not be passed through (a function-like macro in
    it, a directive in the middle of a declaration, ...): then it is the whole cpp output.
    """

    prefix: str  # cpp output for the text up to the last directive ("" when there is none)
    body_line: int  # line number of the first body line
    body: tuple[str, ...]  # body chunks (object-like macros expanded), each starting a line
    full: str | None
    errors: tuple[SourceError, ...]
    ran_cpp: bool = False
    # what a cached result depends on besides the text: included files (path, mtime_ns, size),
    # and whether it contains problems that may vanish without an edit (a missing include)
    deps: tuple[tuple[str, int, int], ...] = ()
    transient: bool = False

    def still_valid(self, created: float) -> bool:
        """Can a result computed at ``created`` (time.monotonic) still be used?"""
        if self.transient and time.monotonic() - created > ERROR_TTL:
            return False
        return _deps_valid(self.deps)


_USER_MARKER = re.compile(r"(?m)^[ \t]*#[ \t]*(?:line[ \t]+)?\d[^\n]*")


def _neutralize_markers(chunk: str) -> str:
    """Linemarkers written in the user's file (an already-preprocessed .i file) become blank lines.

    Positions must stay those of the document being edited, and every declaration in it is the
    user's; cpp would otherwise renumber the lines and attribute them to other files.
    """
    return _USER_MARKER.sub("", chunk)


def _last_directive_end(text: str) -> int:
    """Offset just after the last directive's logical line (0 when there is none)."""
    pos = len(text)
    while True:
        i = text.rfind("#", 0, pos)
        if i < 0:
            j = text.rfind("%:", 0, pos)
            if j < 0:
                return 0
            i = j
        ls = text.rfind("\n", 0, i) + 1
        if text[ls:i].strip(" \t\f\v") == "":
            # a continuation line of an earlier directive is fine too: its end is the same
            return _directive_end(text, ls)
        pos = i


def preprocess_chunks(chunks: list[str], path: str, options: Options) -> PreprocessedChunks:
    """Preprocess the annotation-rewritten chunks; never raises."""
    try:
        return _preprocess_chunks(chunks, path, options)
    except Exception as e:  # noqa: BLE001 - the keystroke path must survive anything
        text = "".join(chunks)
        return PreprocessedChunks("", 1, (), linemarker(1, path) + _blank_directives(text), (SourceError(
            f"internal error in the preprocessor step: {type(e).__name__}: {e}", Span.of(1, 1, 1, 2)),),
            transient=True)


def _preprocess_chunks(chunks: list[str], path: str, options: Options) -> PreprocessedChunks:
    args, problems = cpp_arguments(path, options)
    base = [SourceError(p, Span.of(1, 1, 1, 2), "warning") for p in problems]
    errors = list(base)
    if any("#" in c for c in chunks):
        chunks = [_neutralize_markers(c) if "#" in c else c for c in chunks]
    text = "".join(chunks)
    prefix_end = _last_directive_end(text)
    forced = "-include" in args
    # the body: chunks after the last directive
    body: list[str] = []
    acc = 0
    for c in chunks:
        if acc + len(c) <= prefix_end:
            acc += len(c)
            continue
        body.append(c[prefix_end - acc:] if acc < prefix_end else c)
        acc += len(c)
    body = [c for c in body if c]
    prefix = text[:prefix_end]
    ran = False
    table: MacroTable | None
    prefix_out = ""
    chunk: _Chunk | None = None
    if prefix_end == 0 and not forced:
        table = _predefined(args, path)
    else:
        chunk, ran, _failure = _cpp_chunk(prefix, path, args)
        if chunk is None or chunk.truncated:
            table = None
        else:
            table = chunk.macros
            prefix_out = chunk.text
            errors.extend(chunk.errors)
    if table is not None:
        expanded: list[str] = []
        pending: list[int] = []
        ok = True
        for c in body:
            e = _expand_chunk(c, table)
            if e is None:
                ok = False
                break
            if e is _NEEDS_CPP:
                pending.append(len(expanded))
            expanded.append(e)
        if ok and pending:
            done = _cpp_chunks([body[k] for k in pending], table, path, args)
            ran = True
            if done is None:
                ok = False
                if len(pending) == 1:  # this chunk alone cannot be expanded alone: remember it
                    _remember_expansion((body[pending[0]], table.version), None)
            else:
                for k, text_k in zip(pending, done, strict=True):
                    expanded[k] = text_k
                    _remember_expansion((body[k], table.version), text_k)
        if ok:
            deps, transient = (chunk.deps, chunk.transient) if chunk is not None else ((), False)
            return PreprocessedChunks(prefix_out, prefix.count("\n") + 1, tuple(expanded), None, tuple(errors), ran,
                                      deps, transient or bool(problems))
        errors = list(base)
    full, ran2, failure = _cpp_chunk(text, path, args)
    if full is None:
        errors.append(SourceError(f"{failure}; #include and macros are ignored",
                                  _line_span(text.split("\n", 1)[:1], 1)))
        return PreprocessedChunks("", 1, (), linemarker(1, path) + _blank_directives(text), tuple(errors),
                                  ran or ran2, (), True)
    return PreprocessedChunks("", 1, (), full.text, tuple(errors + full.errors), ran or ran2, full.deps,
                              full.transient or bool(problems))


def preprocess(text: str, path: str, options: Options) -> Preprocessed:
    """Preprocess ``text`` (comments already blanked) as one string; never raises."""
    r = preprocess_chunks(split_chunks(text), path, options)
    if r.full is not None:
        return Preprocessed(r.full, r.errors, r.ran_cpp)
    return Preprocessed(r.prefix + linemarker(r.body_line, path) + "".join(r.body), r.errors, r.ran_cpp)


_PREDEFINED: dict[tuple[str, ...], MacroTable | None] = {}


def _predefined(args: list[str], path: str) -> MacroTable | None:
    """Macros defined before the first line (built-ins, -D): one cpp run per set of options."""
    key = tuple(args)
    if key not in _PREDEFINED:
        chunk, _, _ = _cpp_chunk("", path, args)
        _PREDEFINED[key] = None if chunk is None else chunk.macros
    return _PREDEFINED[key]


# ---------------------------------------------------------------------------------------------
# GNU extensions (applied by the splitter to each unit; cheap when there are none)

_GNU_TOKEN = re.compile(r"""[A-Za-z_]\w*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\n[ \t]*\#[^\n]*|[()\[\]{};]|[^\sA-Za-z_"'()\[\]{};]+""")
_RENAME = {
    "__restrict": "restrict", "__restrict__": "restrict", "__inline": "inline", "__inline__": "inline",
    "__const": "const", "__const__": "const", "__signed": "signed", "__signed__": "signed",
    "__volatile": "volatile", "__volatile__": "volatile", "__builtin_va_list": "void *",
    "_Float16": "float", "_Float32": "float", "_Float32x": "double", "_Float64": "double",
    "_Float64x": "long double", "_Float128": "long double", "_Float128x": "long double",
    "__float128": "long double", "__int128_t": "__int128", "__uint128_t": "unsigned __int128",
    "__thread": "_Thread_local", "__alignof": "_Alignof", "__alignof__": "_Alignof",
    "__builtin_offsetof": "offsetof", "__typeof": "typeof", "__typeof__": "typeof", "__complex__": "_Complex",
}
_DROP_WITH_ARGS = {"__attribute__", "__attribute", "__declspec"}
_DROP = {"__extension__"}
_ASM = {"asm", "__asm", "__asm__"}
_ASM_QUALIFIERS = {"volatile", "__volatile__", "__volatile", "inline", "__inline", "__inline__", "goto"}
_NOT_DECLARATOR_END = {"else", "do", "return", "case", "default", "goto", "break", "continue"}


# attributes that change neither a type nor what the program does (the others, e.g. packed, aligned,
# vector_size, mode, cleanup, transparent_union, make their declaration unsupported)
_HARMLESS_ATTRIBUTES = frozenset("""
    unused used noreturn const pure format format_arg nonnull returns_nonnull deprecated unavailable
    warn_unused_result always_inline noinline gnu_inline artificial flatten cold hot malloc alloc_size
    alloc_align visibility section nothrow leaf weak weakref alias ifunc constructor destructor
    sentinel fallthrough maybe_unused nodiscard no_instrument_function no_sanitize
    no_sanitize_address no_sanitize_undefined no_sanitize_thread no_stack_protector optimize
    target noclone no_icf noipa no_reorder returns_twice externally_visible no_split_stack
    warning error access tls_model copy nonstring designated_init common nocommon
    no_profile_instrument_function stack_protect zero_call_used_regs fd_arg fd_arg_read fd_arg_write
    assume_aligned no_reorder retain noplt naked
""".split())


def _harmless_attribute(toks: list[tuple[str, int]]) -> bool:
    """Are all the attributes of ``((a, b(x), ...))`` in :data:`_HARMLESS_ATTRIBUTES`?"""
    depth = 0
    expect_name = False
    for t, _ in toks:
        if t == "(":
            depth += 1
            expect_name = depth == 2
            continue
        if t == ")":
            depth -= 1
            continue
        if depth == 2 and t == ",":
            expect_name = True
            continue
        if depth == 2 and expect_name:
            name = t[2:-2] if t.startswith("__") and t.endswith("__") and len(t) > 4 else t
            if name not in _HARMLESS_ATTRIBUTES:
                return False
            expect_name = False
        elif depth == 1 or depth == 0:
            return False  # not the ((...)) shape
    return True


def _balanced(toks: list[tuple[str, int]], k: int) -> int:
    """Index after the ``)`` closing the ``(`` at ``toks[k]`` (or len(toks))."""
    depth = 0
    n = len(toks)
    while k < n:
        t = toks[k][0]
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return n


def _blank_range(text: str, start: int, end: int) -> str:
    seg = text[start:end]
    return re.sub(r"[^\n]", " ", seg) if "\n" in seg else " " * len(seg)


_GNU_NEEDLES = ("__attribute", "_Alignas", "__extension__", "__restrict", "__inline", "__const", "__signed", "__volatile",
                "__asm", "__builtin_va_list", "__float128", "__int128_t", "__uint128_t", "__thread", "__alignof",
                "__builtin_offsetof", "__typeof", "__complex__", "__declspec", "__label__")


def _has_gnu(text: str) -> bool:
    """Cheap pre-check (substring tests run at C speed; the token pass below is exact)."""
    if "asm" in text or "_Float" in text or "_Alignas" in text:
        return True
    if "__" not in text:
        return False
    return any(k in text for k in _GNU_NEEDLES)


def clean_gnu(text: str) -> str:
    """Remove/rename GNU extensions pycparser rejects; columns kept where the spelling allows."""
    if not _has_gnu(text):
        return text
    toks = [(m.group(), m.start()) for m in _GNU_TOKEN.finditer(text)]
    edits: list[tuple[int, int, str]] = []
    depth = 0
    prev = ""
    k = 0
    n = len(toks)
    while k < n:
        tok, start = toks[k]
        if tok.startswith("\n"):
            k += 1
            continue
        if tok in _DROP_WITH_ARGS or tok == "_Alignas":
            j = k + 1
            end_k = _balanced(toks, j) if j < n and toks[j][0] == "(" else j
            end = toks[end_k - 1][1] + len(toks[end_k - 1][0]) if end_k > k + 1 else start + len(tok)
            if tok == "_Alignas" or (tok != "__declspec" and not _harmless_attribute(toks[k + 1:end_k])):
                # an attribute that changes a type's size, layout or the program's meaning: the
                # declaration must not parse (UNSUPPORTED_MARK; see analysis.engine.parse)
                edits.append((start, start + 1, UNSUPPORTED_MARK))
                k = end_k
                continue
            edits.append((start, end, _blank_range(text, start, end)))
            k = end_k
            continue
        if tok in _DROP:
            edits.append((start, start + len(tok), " " * len(tok)))
            k += 1
            continue
        if tok in _ASM:
            j = k + 1
            while j < n and toks[j][0] in _ASM_QUALIFIERS:
                j += 1
            if j < n and toks[j][0] == "(":
                end_k = _balanced(toks, j)
                end = toks[end_k - 1][1] + len(toks[end_k - 1][0])
                is_label = depth == 0 or (prev not in _NOT_DECLARATOR_END and
                                          (prev == "]" or bool(_IDENT.fullmatch(prev))))
                if is_label:
                    edits.append((start, end, _blank_range(text, start, end)))
                else:
                    newlines = text.count("\n", start, end)
                    repl = UNSUPPORTED_ASM + "\n" * newlines
                    if newlines == 0 and len(repl) < end - start:
                        repl = repl.ljust(end - start)
                    edits.append((start, end, repl))
                prev = ")"
                k = end_k
                continue
        new = _RENAME.get(tok)
        if new is not None:
            edits.append((start, start + len(tok), new.ljust(len(tok))))
        elif tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(0, depth - 1)
        prev = tok
        k += 1
    if not edits:
        return text
    out: list[str] = []
    last = 0
    for s, e, r in edits:
        if s < last:
            continue
        out.append(text[last:s])
        out.append(r)
        last = e
    out.append(text[last:])
    return "".join(out)
