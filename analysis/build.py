"""The identity of this build of the analysis: every cache level (function results, parsed files,
SMT answers) is keyed by it, so nothing one build stored is reused by another."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import __version__


def _engine_id() -> str:
    """The version plus a digest of the analysis package's own sources: a result cached by a
    different build of the engine (a development checkout between releases) is never reused."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for src in sorted(root.rglob("*.py")):
        h.update(src.relative_to(root).as_posix().encode())
        h.update(src.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


ENGINE_ID = _engine_id()
