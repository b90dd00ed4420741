"""The unit of incremental work: one top-level declaration of the preprocessed file.

Produced by :func:`analysis.frontend.split.split_file` without parsing C (fast enough to run
on every keystroke); parsed later, one function at a time, by the engine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

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
