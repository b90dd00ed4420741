"""The scheduler with real worker processes and the fake engine: dispatch, cancellation by
killing the worker, debounce, crash handling, and no process left after close."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import test_server_fakes as fakes  # noqa: E402

from analysis import service  # noqa: E402
from analysis.options import Options  # noqa: E402
from server.scheduler import Outcome, Scheduler, Want  # noqa: E402


def _want(text: str, name: str, not_before: float = 0.0, prio: int = 0) -> Want:
    split = fakes.fake_split(text, "/t.c", Options())
    unit = next(u for u in service.functions_of(split) if u.name == name)
    key = f"{name}:{unit.key}"
    return Want(key, lambda: service.make_job(split, unit, Options()), (prio,), not_before)


async def _until(pred, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def test_dispatch_cancel_and_close() -> None:
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    sched = Scheduler(loop, outcomes.append, workers=2, runner=fakes.fake_verify)
    try:
        sched.start()
        text = "int ok(int x) { return x + 1; }\nint slow(int x) { SLEEP; }\n"
        ok, slow = _want(text, "ok"), _want(text, "slow")
        sched.set_wants("doc", {ok.key: ok, slow.key: slow})
        await _until(lambda: any(o.key == ok.key for o in outcomes))
        assert outcomes[0].result is not None and outcomes[0].result.checks[0].id == "overflow.signed.add"
        await _until(lambda: sched.is_running(slow.key))
        await asyncio.sleep(0.3)  # let it really run
        pids = sched.worker_pids()
        # the function changed: nobody wants the old key -> its worker is killed within 1 s
        t0 = time.monotonic()
        sched.set_wants("doc", {})
        assert not sched.is_running(slow.key)
        await _until(lambda: sum(_alive(p) for p in pids) < len(pids), timeout=1.0)
        assert time.monotonic() - t0 < 1.0
        assert sched.stats.cancelled == 1
        # the pool replaces the killed worker and keeps working
        ok2 = _want("int ok2(int y) { return y + 2; }", "ok2")
        sched.set_wants("doc", {ok2.key: ok2})
        await _until(lambda: any(o.key == ok2.key for o in outcomes))
    finally:
        pids = sched.worker_pids()
        sched.close()
    await asyncio.sleep(0.2)
    assert not any(_alive(p) for p in pids)


async def test_debounce_and_priority() -> None:
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    started: list[str] = []
    sched = Scheduler(loop, outcomes.append, workers=1, runner=fakes.fake_verify, on_started=started.append)
    try:
        sched.start()
        await _until(lambda: sched.ready)
        text = "int a(int x) { return x; }\nint b(int x) { return x; }\nint c(int x) { return x; }\n"
        now = time.monotonic()
        a, b, c = _want(text, "a", now, 2), _want(text, "b", now, 1), _want(text, "c", now + 0.3, 0)
        sched.set_wants("doc", {a.key: a, b.key: b, c.key: c})
        await _until(lambda: len(outcomes) == 3)
        # b before a (priority); c last although first in priority: it was not due yet
        assert started == [b.key, a.key, c.key]
        assert time.monotonic() - now >= 0.3
    finally:
        sched.close()


async def test_crash_becomes_an_error_outcome_and_pool_survives() -> None:
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    sched = Scheduler(loop, outcomes.append, workers=1, runner=fakes.fake_verify)
    try:
        sched.start()
        boom = _want("int boom(int x) { CRASH; }", "boom")
        sched.set_wants("doc", {boom.key: boom})
        await _until(lambda: len(outcomes) == 1)
        assert outcomes[0].result is None and "worker" in (outcomes[0].error or "")
        fine = _want("int fine(int x) { return x + 1; }", "fine")
        sched.set_wants("doc", {fine.key: fine})
        await _until(lambda: len(outcomes) == 2)
        assert outcomes[1].result is not None
    finally:
        sched.close()


async def test_timeout_kills_the_job() -> None:
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    sched = Scheduler(loop, outcomes.append, workers=1, runner=fakes.fake_verify, job_timeout=0.5)
    try:
        sched.start()
        await _until(lambda: sched.ready)
        slow = _want("int slow(int x) { SLEEP; }", "slow")
        t0 = time.monotonic()
        sched.set_wants("doc", {slow.key: slow})
        await _until(lambda: len(outcomes) == 1, timeout=5)
        assert "timeout" in (outcomes[0].error or "")
        assert time.monotonic() - t0 < 3
    finally:
        sched.close()
    assert os.getpid()
