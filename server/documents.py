"""What the server knows about one open document, always consistent with its latest version.

The document is re-split synchronously on every change, so its functions, keys and results
always describe the current text: a result that arrives later is attached by *key* to the
functions of the current version (and placed at their current position), never to the
version it was computed from. That is how "results for an old version are never published"
holds by construction.

Results are kept **relative** to their function's first line (as the cache stores them)
together with that line: re-positioning 500 results after a newline is a change of one int
per function, not a copy of every span.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from analysis.frontend.units import SplitFile, Unit
from analysis.model import FunctionResult, SourceError, Span, Status

from .convert import LineIndex
from .incremental import KeySnapshot


class Phase(enum.StrEnum):
    FINAL = "final"  # result known for the current key
    QUEUED = "queued"  # waiting for a worker (or for the debounce)
    RUNNING = "running"


@dataclass
class FunctionEntry:
    """One function of the current text."""

    unit: Unit
    key: str
    result: FunctionResult | None = None  # relative to the function's first line
    phase: Phase = Phase.QUEUED
    had_result: bool = False  # an older version of this function was verified (lens: "stale")
    error: str | None = None  # why there is no result (worker crash, timeout): shown as unknown

    @property
    def name(self) -> str:
        return self.unit.name or "?"

    @property
    def offset(self) -> int:
        """Add to a relative line to get the line in the current text."""
        return self.unit.span.start.line

    @property
    def name_span(self) -> Span:
        return self.unit.name_span or self.unit.span

    @property
    def status(self) -> Status | None:
        return self.result.status if self.result is not None else None


@dataclass
class Document:
    uri: str
    path: str
    version: int | None
    text: str
    encoding: str = "utf-16"
    split: SplitFile | None = None
    functions: list[FunctionEntry] = field(default_factory=list)
    errors: tuple[SourceError, ...] = ()
    keys: KeySnapshot | None = None
    index: LineIndex | None = None
    last_semantic_edit: float = 0.0
    due: dict[str, float] = field(default_factory=dict)
    generation: int = 0  # bumped whenever a function, its phase or its result changes
    lens_json: tuple[int, str] | None = None  # the lenses of a generation, as JSON text  # pending key -> when it may start (debounce)
    # progress of the current verification round
    round_total: int = 0
    round_done: int = 0
    progress_token: str | None = None
    progress_begun: bool = False

    def lines(self) -> LineIndex:
        if self.index is None:
            self.index = LineIndex(self.text, self.encoding)
        return self.index

    def by_key(self, key: str) -> list[FunctionEntry]:
        return [f for f in self.functions if f.key == key]

    def function_named(self, name: str) -> FunctionEntry | None:
        for f in self.functions:
            if f.name == name:
                return f
        return None

    def pending(self) -> list[FunctionEntry]:
        return [f for f in self.functions if f.phase is not Phase.FINAL]
