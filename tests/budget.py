"""Asserting that a call kept to its time budget: CPU time of this process (what the budget
counts, see analysis/clock.py) and the wall-clock cap."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from analysis.clock import MAX_SLOWDOWN


@contextmanager
def within(limit_s: float, slack_s: float = 1.0) -> Iterator[None]:
    """The block used at most ``limit_s + slack_s`` CPU seconds and ``MAX_SLOWDOWN`` times as much wall time."""
    wall, cpu = time.monotonic(), time.process_time()
    yield
    used_cpu, used_wall = time.process_time() - cpu, time.monotonic() - wall
    assert used_cpu < limit_s + slack_s, f"{used_cpu:.2f} s of CPU for a {limit_s} s budget"
    assert used_wall < limit_s * MAX_SLOWDOWN + slack_s, f"{used_wall:.2f} s of wall time for a {limit_s} s budget"
