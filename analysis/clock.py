"""Deadlines counted in this process's CPU time, so that an answer does not depend on how busy
the machine is.

Why: with wall-clock deadlines the same loop got its invariant on an idle machine and none
under the test suite's load (Houdini needed 2 s of a 3 s budget idle, 7 s loaded), and the
certificate checker ran out of time on a proof it accepts in a second when idle. The CPU time
of this process does not grow with other processes' work. z3's ``timeout`` is wall-clock, so a
query gets the CPU time it may use times the slow-down seen since the deadline was set (wall
seconds per CPU second, at most ``MAX_SLOWDOWN``); a wall-clock cap of ``MAX_SLOWDOWN`` times
the budget still bounds a call on a machine busier than that.
"""

from __future__ import annotations

import time

__all__ = ["Deadline", "MAX_SLOWDOWN"]

MAX_SLOWDOWN = 4.0
_last_slowdown = 1.0


class Deadline:
    """``seconds`` of this process's CPU time from now, capped at ``MAX_SLOWDOWN`` times as much wall time."""

    def __init__(self, seconds: float, *, _parent: Deadline | None = None) -> None:
        now_wall, now_cpu = time.monotonic(), time.process_time()
        seconds = max(0.0, seconds)
        self.origin: tuple[float, float] = _parent.origin if _parent is not None else (now_wall, now_cpu)
        self.cpu_deadline = now_cpu + seconds
        self.wall_deadline = now_wall + seconds * MAX_SLOWDOWN
        if _parent is not None:
            self.wall_deadline = min(self.wall_deadline, _parent.wall_deadline)

    def slowdown(self) -> float:
        """Wall seconds per CPU second of this process since the first deadline of the family
        (until 50 ms of CPU time say, the last one measured: a worker's searches come in series)."""
        global _last_slowdown
        wall0, cpu0 = self.origin
        cpu = time.process_time() - cpu0
        if cpu < 0.05:
            return _last_slowdown
        _last_slowdown = min(MAX_SLOWDOWN, max(1.0, (time.monotonic() - wall0) / cpu))
        return _last_slowdown

    def remaining(self) -> float:
        """CPU seconds left (none once the wall-clock cap has passed)."""
        if time.monotonic() >= self.wall_deadline:
            return 0.0
        return self.cpu_deadline - time.process_time()

    def expired(self) -> bool:
        return self.remaining() < 0.005

    def z3_ms(self, cpu_s: float | None = None) -> int:
        """z3's (wall-clock) ``timeout`` for a query that may use ``cpu_s`` (default: all that is
        left) of CPU time at the current load; at least 1, since z3 reads ``timeout=0`` as "no
        timeout" (measured: a query given 0 ran until killed)."""
        left = self.remaining() if cpu_s is None else min(cpu_s, self.remaining())
        wall = min(left * self.slowdown(), self.wall_deadline - time.monotonic())
        return max(1, int(wall * 1000))
