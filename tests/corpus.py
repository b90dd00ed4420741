"""The annotated test programs: expectations parsed from `//::` comments (Nagini style) and
counterexample replay through compiled C harnesses."""

from __future__ import annotations

import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from analysis.model import CheckResult, FileResult, Status
from analysis.options import Options
from tests.toolchain import asan_flags, m32_flags

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "programs"
_EXPECT = re.compile(r"//::\s*(proved|refuted|unknown)\(([\w.\-]+)\)")
_SYNTAX = re.compile(r"//::\s*syntax-error")
_OPTIONS = re.compile(r"//::\s*options\s+(.*)$")


@dataclass(frozen=True)
class Expectations:
    checks: dict[tuple[str, int], str]  # (id, line) -> status
    syntax_errors: frozenset[int]
    options: Options


def expectations(path: Path) -> Expectations:
    lines = path.read_text().split("\n")
    checks: dict[tuple[str, int], str] = {}
    syntax: set[int] = set()
    raw_opts: dict[str, object] = {}
    pending: list[tuple[str, str]] = []
    pending_syntax = False
    for i, line in enumerate(lines, start=1):
        m = _OPTIONS.search(line)
        if m:
            args = shlex.split(m.group(1))
            for k in range(0, len(args) - 1, 2):
                raw_opts[args[k].lstrip("-").replace("-", "_")] = args[k + 1]
            continue
        found = _EXPECT.findall(line)
        if found:
            pending += [(cid, status) for status, cid in found]
            continue
        if _SYNTAX.search(line):
            pending_syntax = True
            continue
        if not line.strip():
            continue
        for cid, status in pending:
            checks[(cid, i)] = status
        if pending_syntax:
            syntax.add(i)
        pending, pending_syntax = [], False
    for key in ("timeout",):
        if key in raw_opts:
            raw_opts[key] = float(raw_opts[key])  # type: ignore[arg-type]
    opts, problems = Options.from_dict(raw_opts)
    assert not problems, problems
    return Expectations(checks, frozenset(syntax), opts)


def actual(result: FileResult) -> dict[tuple[str, int], list[CheckResult]]:
    out: dict[tuple[str, int], list[CheckResult]] = {}
    for fn in result.functions:
        for c in fn.checks:
            out.setdefault((c.id, c.span.start.line), []).append(c)
    return out


def error_lines(result: FileResult) -> set[int]:
    lines = {e.span.start.line for e in result.errors}
    for fn in result.functions:
        lines |= {e.span.start.line for e in fn.errors}
    return lines


def status_of(cs: list[CheckResult]) -> str:
    if any(c.status is Status.REFUTED for c in cs):
        return "refuted"
    if all(c.status is Status.PROVED for c in cs):
        return "proved"
    return "unknown"


_VERIFIED: dict[tuple[Path, Options], FileResult] = {}


_SESSION_CACHE: object = None


def _session_cache() -> object:
    """A persistent store in this test session's temp dir, shared by pytest-xdist workers:
    a program verified by one test module is a cache hit for the next."""
    global _SESSION_CACHE
    if _SESSION_CACHE is None:
        import os

        from analysis.cache import LayeredCache, MemoryCache, NullCache
        from analysis.cache_store import open_store

        where = os.environ.get("PROOFLENS_TEST_CACHE")
        store = open_store(where)[0] if where else None
        _SESSION_CACHE = LayeredCache(MemoryCache(), store) if store is not None else NullCache()
    return _SESSION_CACHE


def verified(path: Path, options: Options) -> FileResult:
    """One verification per program and options for the whole test session."""
    from analysis.service import verify_text

    key = (path, options)
    if key not in _VERIFIED:
        _VERIFIED[key] = verify_text(path.read_text(), str(path), options, _session_cache())  # type: ignore[arg-type]
    return _VERIFIED[key]


@dataclass
class Replay:
    reproduced: bool
    detail: str


def replay(text: str, path: Path, function: str, check: CheckResult, options: Options,
           run_timeout: float = 10, cflags: tuple[str, ...] = ()) -> Replay:
    """Compile the harness with UBSan and run it: a refuted check must make it fail
    (a termination witness must make it run until killed). ``run_timeout`` bounds the run of a
    non-termination counterexample (one that needs 2^31 iterations may take longer than 10 s);
    ``cflags`` are extra gcc flags."""
    from analysis.testgen import UNOBSERVABLE, harness_for

    code = harness_for(text, str(path), function, check, options)
    with tempfile.TemporaryDirectory(prefix="prooflens-replay-") as d:
        src = Path(d) / "harness.c"
        exe = Path(d) / "harness"
        src.write_text(code)
        # a memory check (or any counterexample with objects) needs AddressSanitizer to fail; the
        # engine's strcmp/strncmp results are AddressSanitizer's (-1, 0, 1), not glibc's
        memory = check.id.startswith("memory.") or bool(check.counterexample and check.counterexample.objects) \
            or re.search(r"\bstrn?cmp\s*\(", text) is not None \
            or re.search(r"\\(valid|valid_read|separated|base_addr)\b", text) is not None  # a contract's memory
        flags = (asan_flags(options.data_model) if memory else
                 [*m32_flags(options.data_model), "-fsanitize=undefined", "-fno-sanitize-recover=all"])
        cc = subprocess.run(["gcc", "-std=gnu11", "-w", "-O0", *flags, *cflags, "-I", str(path.parent), str(src),
                             "-o", str(exe)], capture_output=True, text=True, timeout=60)
        if cc.returncode != 0:
            return Replay(False, "harness does not compile:\n" + cc.stderr[-2000:] + "\n" + code[-1500:])
        nonterm = check.id.startswith("termination")
        try:
            run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=1.5 if nonterm else run_timeout)
        except subprocess.TimeoutExpired:
            return Replay(nonterm, "ran until killed")
        out = run.stdout + run.stderr
        if nonterm:
            if check.id == "termination.recursion" and run.returncode < 0:
                return Replay(True, "infinite recursion exhausted the stack")
            return Replay(False, f"terminated (exit {run.returncode}): {out[-500:]}")
        failed = run.returncode != 0 and ("runtime error" in out or "prooflens:" in out or "Assertion" in out
                                          or "ERROR: AddressSanitizer" in out or "ERROR: LeakSanitizer" in out)
        if re.search(r"^prooflens: the counterexample did not fail", out, re.MULTILINE):
            failed = False  # (a sanitizer quoting the harness's string in its report is not this)
        if check.id in UNOBSERVABLE and run.returncode == 0 and "path ran" in out:
            # the harness runs the counterexample's path, but no sanitizer sees the fault itself
            return Replay(True, f"{check.id} is not observable at run time; the path ran")
        return Replay(failed, out[-1500:])
