"""What a run of ``prooflens check`` did, for the JSON output's ``"stats"``: how many functions
came from a cache layer and how many were solved, so a CI job (and the cluster benchmark) can
see what the shared cache saved."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass
class RunStats:
    """Filled in by :func:`analysis.runner.verify_files` (pass one in to get them)."""

    functions: int = 0  # every function reported
    from_cache: int = 0  # answered by a cache layer (memory, sqlite or Redis) without solving
    solved: int = 0  # verified in this run
    solver_time_ms: float = 0.0  # the solved functions' time, added up (across workers)
    wall_ms: float = 0.0  # the run's wall-clock time

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["solver_time_ms"] = round(self.solver_time_ms, 1)
        out["wall_ms"] = round(self.wall_ms, 1)
        return out
