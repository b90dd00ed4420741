"""Identities of findings that survive edits, and the comparison with a previous run.

Why not the line number: a blank line added at the top of a file would make every finding below
it look new (and every old one fixed) to GitHub code scanning and to ``--baseline``. A finding is
named instead by its file, its function, its check id and the normalised text of the check's
source line, with an occurrence number for the same check on identical lines of one function.

A baseline is a previous ``prooflens check --format json`` output: its checks carry that
``fingerprint``. An older output without one is matched by the check's rank among the checks of
the same id in its function (still line-free, but blind to edits that add such checks).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.model import CheckResult, FileResult, FunctionResult, Status

FINGERPRINT_KEY = "prooflens/v1"  # partialFingerprints key; GitHub computes its own primaryLocationLineHash


class BaselineError(ValueError):
    """The --baseline file is missing or is not a prooflens JSON output."""


def uri_of(path: str) -> str:
    """The path relative to the working directory (as GitHub wants it), else a file:// URI."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def read_source(path: str) -> str | None:
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def normalised_line(lines: list[str], line: int) -> str:
    """The 1-based ``line`` with its whitespace collapsed (re-indenting keeps the identity)."""
    return " ".join(lines[line - 1].split()) if 1 <= line <= len(lines) else ""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Finding:
    """A check of the current run with the two identities a baseline can match."""

    path: str
    uri: str
    function: FunctionResult
    check: CheckResult
    fingerprint: str  # from the normalised source line
    rank_key: str  # from the rank among the function's checks of the same id (no source needed)

    @property
    def status(self) -> Status:
        return self.check.status


def function_findings(uri: str, path: str, fn: FunctionResult, lines: list[str] | None) -> list[Finding]:
    """One finding per check of ``fn``, in the order of ``fn.checks``."""
    order = sorted(range(len(fn.checks)), key=lambda i: (fn.checks[i].span.start.line,
                                                         fn.checks[i].span.start.column, i))
    same_text: Counter[tuple[str, str]] = Counter()
    same_id: Counter[str] = Counter()
    keys: dict[int, tuple[str, str]] = {}
    for i in order:
        c = fn.checks[i]
        text = normalised_line(lines, c.span.start.line) if lines is not None else ""
        n_text, n_id = same_text[(c.id, text)], same_id[c.id]
        same_text[(c.id, text)] += 1
        same_id[c.id] += 1
        keys[i] = (_digest(uri, fn.name, c.id, text, str(n_text)), _digest(uri, fn.name, c.id, "#", str(n_id)))
    return [Finding(path, uri, fn, c, *keys[i]) for i, c in enumerate(fn.checks)]


def findings(results: Iterable[FileResult], texts: dict[str, str] | None = None) -> Iterator[Finding]:
    """Every check of every function; the source is read from ``texts`` or from the file's path."""
    for fr in results:
        text = (texts or {}).get(fr.path)
        if text is None:
            text = read_source(fr.path)
        lines = text.splitlines() if text is not None else None
        uri = uri_of(fr.path)
        for fn in fr.functions:
            yield from function_findings(uri, fr.path, fn, lines)


def add_fingerprints(doc: dict[str, Any], results: list[FileResult], texts: dict[str, str] | None = None) -> None:
    """Give each check of a ``--format json`` document its ``fingerprint``, so that the document
    can serve as a later run's ``--baseline``."""
    for fr, fdoc in zip(results, doc.get("files", []), strict=False):
        text = (texts or {}).get(fr.path)
        if text is None:
            text = read_source(fr.path)
        lines = text.splitlines() if text is not None else None
        uri = uri_of(fr.path)
        for fn, fndoc in zip(fr.functions, fdoc.get("functions", []), strict=False):
            for f, cdoc in zip(function_findings(uri, fr.path, fn, lines), fndoc.get("checks", []), strict=False):
                cdoc["fingerprint"] = f.fingerprint


# -- the previous run -----------------------------------------------------------------------


@dataclass(frozen=True)
class BaselineEntry:
    """A refuted or unknown check of the previous run."""

    path: str
    function: str
    check_id: str
    status: Status
    line: int
    message: str
    reason: str | None
    key: str  # its fingerprint, or "rank:" + its rank key when the baseline has no fingerprints


@dataclass(frozen=True)
class Baseline:
    source: str
    entries: tuple[BaselineEntry, ...]
    keys: frozenset[tuple[str, Status]] = field(default=frozenset())

    @staticmethod
    def of(source: str, entries: Iterable[BaselineEntry]) -> Baseline:
        es = tuple(entries)
        return Baseline(source, es, frozenset((e.key, e.status) for e in es))


def load_baseline(path: str) -> Baseline:
    """Parse a previous ``prooflens check --format json`` output."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(f"cannot read the baseline {path}: {e.strerror or e}") from e
    except ValueError as e:
        raise BaselineError(f"the baseline {path} is not JSON: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise BaselineError(f"the baseline {path} is not a `prooflens check --format json` output (no \"files\")")
    try:
        return Baseline.of(path, _entries(doc))
    except (KeyError, TypeError, ValueError) as e:
        raise BaselineError(f"the baseline {path} is not a `prooflens check --format json` output: {e!r}") from e


def _entries(doc: dict[str, Any]) -> Iterator[BaselineEntry]:
    for fdoc in doc["files"]:
        uri = uri_of(fdoc["path"])
        for fndoc in fdoc["functions"]:
            ranks: Counter[str] = Counter()
            checks = sorted(fndoc["checks"], key=lambda c: (c["range"]["start"]["line"],
                                                            c["range"]["start"]["column"]))
            for c in checks:
                rank = ranks[c["id"]]
                ranks[c["id"]] += 1
                status = Status(c["status"])
                if status is Status.PROVED:
                    continue
                fp = c.get("fingerprint")
                key = fp if fp else "rank:" + _digest(uri, fndoc["name"], c["id"], "#", str(rank))
                yield BaselineEntry(fdoc["path"], fndoc["name"], c["id"], status, c["range"]["start"]["line"],
                                    c.get("message") or "", c.get("reason"), key)


@dataclass(frozen=True)
class Comparison:
    """The current problems against the baseline's: ``state`` maps a current finding's fingerprint
    to "new" or "unchanged"; ``absent`` are the baseline's problems that are gone (fixed, proved,
    or no longer analysed)."""

    state: dict[tuple[str, Status], str]
    absent: tuple[BaselineEntry, ...]

    def of(self, f: Finding) -> str:
        return self.state.get((f.fingerprint, f.status), "new")


def compare(current: Iterable[Finding], baseline: Baseline) -> Comparison:
    state: dict[tuple[str, Status], str] = {}
    seen: set[tuple[str, Status]] = set()
    for f in current:
        if f.status is Status.PROVED:
            continue
        keys = [(f.fingerprint, f.status), ("rank:" + f.rank_key, f.status)]
        matched = next((k for k in keys if k in baseline.keys), None)
        state[(f.fingerprint, f.status)] = "unchanged" if matched else "new"
        if matched:
            seen.add(matched)
    absent = tuple(e for e in baseline.entries if (e.key, e.status) not in seen)
    return Comparison(state, absent)
