"""The unit of incremental work: one top-level declaration of the preprocessed file.

Produced by :func:`analysis.frontend.split.split_file` without parsing C (fast enough to run
on every keystroke); parsed later, one function at a time, by the engine.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.model import SourceError, Span


class UnitKind(str, enum.Enum):
    FUNCTION = "function"  # a function definition (with the contract that precedes it)
    DECLARATION = "declaration"  # typedef, struct, global variable, prototype, ...


@dataclass(frozen=True)
class Unit:
    """One top-level declaration.

    ``text`` is the preprocessed text of the unit, starting with a linemarker
    (``# LINE "FILE"``) so that pycparser coordinates are positions in the original file.
    Columns are preserved (comments are blanked at their own length), except inside ACSL
    annotations, whose positions are kept in ``annotations``.
    ``key`` is a digest of the unit's normalised token stream (whitespace, comments and
    positions do not change it). ``calls`` names every identifier followed by ``(``.
    """

    kind: UnitKind
    name: str | None
    text: str
    span: Span
    name_span: Span | None
    key: str
    calls: tuple[str, ...]
    in_user_file: bool
    annotations: tuple[tuple[str, Span], ...] = ()  # (annotation id, original span)


@dataclass(frozen=True)
class SplitFile:
    path: str
    units: tuple[Unit, ...]
    errors: tuple[SourceError, ...]  # preprocessor errors, unbalanced braces, ...


_MARKER = re.compile(r'^# \d+ "((?:[^"\\]|\\.)*)"', re.M)


def split_to_json(split: SplitFile, read: tuple[str, ...] = ()) -> dict[str, Any]:
    """A split file as JSON (for the persistent cache), with the files it was read from
    (``read``: every file the preprocessor opened, headers of macros alone included)."""
    files = sorted(set(read) | {m.group(1) for u in split.units for m in _MARKER.finditer(u.text)})
    return {
        "path": split.path,
        "units": [{"kind": u.kind.value, "name": u.name, "text": u.text, "span": u.span.to_json(),
                   "name_span": u.name_span.to_json() if u.name_span else None, "key": u.key,
                   "calls": list(u.calls), "in_user_file": u.in_user_file,
                   "annotations": [[a, sp.to_json()] for a, sp in u.annotations]} for u in split.units],
        "errors": [e.to_json() for e in split.errors],
        "depends": [[f, _mtime(f)] for f in files if f != split.path],
    }


def split_from_json(d: dict[str, Any]) -> SplitFile | None:
    """The cached split, or None when a file it included has changed since."""
    if any(_mtime(f) != m for f, m in d.get("depends", [])):
        return None
    units = tuple(Unit(UnitKind(u["kind"]), u["name"], u["text"], Span.from_json(u["span"]),
                       Span.from_json(u["name_span"]) if u["name_span"] else None, u["key"], tuple(u["calls"]),
                       u["in_user_file"], tuple((a, Span.from_json(sp)) for a, sp in u["annotations"]))
                  for u in d["units"])
    return SplitFile(d["path"], units, tuple(SourceError.from_json(e) for e in d["errors"]))


def _mtime(path: str) -> float | None:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return None
