"""One function's verification job: what the CLI, the server and a cluster hand to a worker.

Its own module so that the engine and the certificate checker, which read jobs, do not import
the service that creates them (the service imports the engine).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.frontend.units import Unit
from analysis.options import Options


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to verify one function: picklable, self-contained."""

    path: str
    function: str
    context: tuple[Unit, ...]  # declarations and callee definitions the function may use
    target: Unit
    options: Options
    # the SMT-query cache (analysis.querycache): its persistent store, and whether to use one at all
    query_store: str | None = None
    query_cache: bool = True
    # the shared Redis cache's URL (analysis.cache_redis), and the --cache-mode both layers are used in
    query_redis: str | None = None
    cache_mode: str = "rw"
