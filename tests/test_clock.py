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


def test_a_function_past_its_budget_keeps_its_answers_and_says_why() -> None:
    """One function's phases share a CPU budget (10 check timeouts): checks it has no time left for
    are unknown with that reason, the others keep their answers, and the function ends near the
    budget instead of being cut off whole by the runner's wall-clock cap."""
    from analysis.engine.verify import function_budget
    from analysis.model import Status
    from analysis.options import Options
    from analysis.service import verify_text

    # each assertion asks z3 to factor a 62-bit number: it gives up at every check's timeout
    odd = [0x2D0B3E8F5C9A7B13 + 2 * k for k in range(24)]
    body = "\n".join(f"  __VERIFIER_assert(x * y != {n}UL);" for n in odd)
    text = (f"void __VERIFIER_assert(int c);\nint easy(int a) {{ return a > 0 ? a - 1 : 0; }}\n"
            f"int hard(unsigned long x, unsigned long y) {{\n  if (x < 2 || y < 2) return 0;\n{body}\n  return 1;\n}}\n")
    options = Options(timeout=0.25)
    start = time.process_time()
    res = verify_text(text, "/tmp/budget.c", options)
    spent = time.process_time() - start
    hard = next(f for f in res.functions if f.name == "hard")
    out_of_time = [c for c in hard.checks if (c.reason or "").startswith("the function's time budget ran out")]
    assert out_of_time and all(c.status is Status.UNKNOWN for c in out_of_time)
    assert len(out_of_time) < len(hard.checks)  # the first checks were asked
    assert next(f for f in res.functions if f.name == "easy").checks[0].status is Status.PROVED
    assert spent < 2 * function_budget(options.timeout) + 2, spent
