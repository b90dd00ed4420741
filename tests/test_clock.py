"""Deadlines (analysis/clock.py): what they hand to z3 must bound the query.

z3 reads ``timeout=0`` as "no timeout"; a deadline that has run out must therefore give z3 a
positive timeout, never 0, or a query asked at the last moment runs unbounded."""

from __future__ import annotations

import time

import z3

from analysis.clock import MAX_SLOWDOWN, Deadline


def _hard_query(ctx: z3.Context) -> z3.Solver:
    """Factoring a 48-bit number by bit-blasting: seconds to minutes of z3's time."""
    a, b = z3.BitVec("a", 48, ctx), z3.BitVec("b", 48, ctx)
    s = z3.Solver(ctx=ctx)
    s.add(z3.ZeroExt(48, a) * z3.ZeroExt(48, b) == 0xB5F2A1C3D7E9, z3.UGT(a, 1), z3.UGT(b, 1))
    return s


def test_an_expired_deadline_still_bounds_z3() -> None:
    deadline = Deadline(0.0)
    assert deadline.expired()
    ms = deadline.z3_ms()
    assert ms >= 1
    s = _hard_query(z3.Context())
    s.set("timeout", ms)
    start = time.monotonic()
    assert s.check() == z3.unknown
    assert time.monotonic() - start < 1.0


def test_z3_ms_is_the_cpu_time_left_within_the_wall_cap() -> None:
    deadline = Deadline(2.0)
    assert not deadline.expired()
    assert 1 <= deadline.z3_ms(0.5) <= 500 * MAX_SLOWDOWN
    assert deadline.z3_ms() <= 2000 * MAX_SLOWDOWN
