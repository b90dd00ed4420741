"""Verification jobs in killable worker processes, off the event loop.

The server tells the scheduler, per document, which function keys it *wants* verified (and
how to build each job). The scheduler keeps at most ``workers`` jobs in flight on a pebble
``ProcessPool`` (forkserver workers, engine pre-imported). A key that nobody wants any more
(the function changed again, the document closed) is dropped from the queue or, if its job
is running, cancelled: pebble kills the worker process (SIGTERM with the default action, see
``server.worker.initialize``) within its 0.1 s poll, and starts a fresh one.

Debounce: a want carries ``not_before`` (a monotonic time); the server sets it to "now"
for an isolated edit and to "now + debounce" while edits come in bursts, so typing does not
start (and kill) a job per keystroke while a single paste or undo is verified at once.

Everything here runs on the event loop thread except pebble's own threads, whose callbacks
are handed back with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from analysis.job import Job
from analysis.model import FunctionResult

log = logging.getLogger(__name__)

JobFactory = Callable[[], Job]


@dataclass
class Want:
    """One requested verification."""

    key: str
    factory: JobFactory
    priority: tuple[Any, ...]
    not_before: float


@dataclass
class Outcome:
    """What came back for a key: a result, or why there is none (crash, timeout)."""

    key: str
    job: Job
    result: FunctionResult | None = None
    error: str | None = None
    elapsed_ms: float = 0.0


@dataclass
class Stats:
    """Counters the benchmark and the tests read."""

    dispatched: int = 0
    completed: int = 0
    cancelled: int = 0
    failed: int = 0
    job_ms: float = 0.0  # wall time of completed jobs (the "work" the benchmark compares)
    # the most recent only: a session dispatches without end, and this is for inspection
    dispatched_keys: deque[str] = field(default_factory=lambda: deque(maxlen=1000))


def _default_runner() -> Callable[[Job], FunctionResult]:
    from analysis.service import verify_job

    return verify_job


class Scheduler:
    """Owns the process pool; see the module docstring."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_outcome: Callable[[Outcome], None], *,
                 workers: int = 2, job_timeout: float = 120.0,
                 runner: Callable[[Job], FunctionResult] | None = None,
                 on_started: Callable[[str], None] | None = None,
                 start_method: str = "forkserver") -> None:
        self.loop = loop
        self.on_outcome = on_outcome
        self.on_started = on_started
        self.workers = max(1, workers)
        self.job_timeout = job_timeout
        self.runner = runner or _default_runner()
        self.start_method = start_method
        self.stats = Stats()
        self._wants: dict[str, dict[str, Want]] = {}  # owner -> key -> want
        self._running: dict[str, tuple[Any, Job, float]] = {}  # key -> (future, job, start)
        self._idle_waiters: list[asyncio.Future[None]] = []  # drain() waiting for a job to end
        self._pool: Any = None
        self._ready = False
        self._closed = False
        self._timer: asyncio.TimerHandle | None = None
        self._starting: threading.Thread | None = None
        self._generation = 0
        self._ready_waiters: list[asyncio.Future[None]] = []
        self._breaks = 0  # consecutive pool breakdowns (a pool that cannot work is not retried forever)

    # -- pool lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the pool in a background thread (the fork server takes ~0.3 s to warm up)."""
        if self._closed or self._starting is not None or self._pool is not None:
            return
        self._generation += 1
        gen = self._generation
        self._starting = threading.Thread(target=self._start_pool, args=(gen,), name="prooflens-pool",
                                          daemon=True)
        self._starting.start()

    def _start_pool(self, gen: int) -> None:
        try:
            from pebble import ProcessPool
            from pebble.common import CONSTS

            from server import worker

            CONSTS.term_timeout = 0.5  # SIGTERM has the default action in workers; SIGKILL soon after
            ctx: Any = multiprocessing.get_context(self.start_method)
            if self.start_method == "forkserver":
                ctx.set_forkserver_preload(["server.worker_preload"])
            pool = ProcessPool(max_workers=self.workers, initializer=worker.initialize, initargs=(os.getpid(),),
                               context=ctx)
            pool.schedule(worker.ping).result(timeout=120)
        except Exception as e:  # noqa: BLE001 - reported; jobs then fail as unknown
            if self._closed or gen != self._generation:
                return  # shut down while starting: nothing to report
            log.error("prooflens: cannot start worker processes: %s", e)
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self._pool_failed, str(e))
            return
        try:
            self.loop.call_soon_threadsafe(self._pool_ready, pool, gen)
        except RuntimeError:  # loop closed meanwhile
            _stop_pool(pool)

    def _pool_ready(self, pool: Any, gen: int) -> None:
        if self._closed or gen != self._generation:
            _stop_pool(pool)
            return
        self._pool = pool
        self._ready = True
        self._starting = None
        waiters, self._ready_waiters = self._ready_waiters, []
        for w in waiters:
            if not w.done():
                w.set_result(None)
        self.pump()

    def _pool_failed(self, why: str) -> None:
        self._starting = None
        waiters, self._ready_waiters = self._ready_waiters, []
        for w in waiters:
            if not w.done():
                w.set_exception(RuntimeError(f"worker processes unavailable: {why}"))
        for owner in list(self._wants):
            for key, want in list(self._wants[owner].items()):
                try:
                    job = want.factory()
                except Exception as e:  # noqa: BLE001
                    log.exception("job construction failed: %s", e)
                    continue
                self._forget(key)
                self.on_outcome(Outcome(key, job, error=f"worker processes unavailable: {why}"))

    @property
    def ready(self) -> bool:
        return self._ready

    def resize(self, workers: int, job_timeout: float) -> None:
        """Apply a new worker count: running jobs are cancelled and re-queued on a new pool."""
        self.job_timeout = job_timeout
        workers = max(1, workers)
        if workers == self.workers:
            return
        self.workers = workers
        self._cancel_running()
        old, self._pool, self._ready = self._pool, None, False
        if old is not None:
            threading.Thread(target=_stop_pool, args=(old,), daemon=True).start()
        self._starting = None
        self.start()

    async def drain(self, grace_s: float) -> None:
        """Start nothing new; give the jobs already running up to ``grace_s`` to finish, so a
        result a worker is about to deliver still reaches the persistent cache (an editor closed
        right after an edit finds it on the next start)."""
        self._wants.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = self.loop.time() + grace_s
        while self._running and not self._closed and self.loop.time() < deadline:
            idle = self.loop.create_future()
            self._idle_waiters.append(idle)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(idle, max(0.0, deadline - self.loop.time()))

    def close(self) -> None:
        """Stop everything and make sure no worker survives (called on shutdown/exit)."""
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        if self._timer is not None:
            self._timer.cancel()
        for fut, _, _ in self._running.values():
            fut.cancel()
        self._running.clear()
        self._wants.clear()
        pool, self._pool, self._ready = self._pool, None, False
        if pool is not None:
            _stop_pool(pool)
        if self.start_method == "forkserver":
            stop_helpers()

    # -- wants --------------------------------------------------------------------------------
    def set_wants(self, owner: str, wants: dict[str, Want]) -> None:
        """Replace what ``owner`` wants; cancel running jobs that nobody wants any more."""
        if self._closed:
            return
        old = self._wants.get(owner)
        if wants:
            self._wants[owner] = wants
        else:
            self._wants.pop(owner, None)
        if old:
            gone = [k for k in old if k not in wants and k in self._running and not self._wanted(k)]
            for key in gone:
                fut, _, _ = self._running.pop(key)
                fut.cancel()
                self.stats.cancelled += 1
        self.pump()

    def _wanted(self, key: str) -> bool:
        return any(key in w for w in self._wants.values())

    def is_running(self, key: str) -> bool:
        return key in self._running

    def pending_keys(self) -> set[str]:
        out: set[str] = set(self._running)
        for w in self._wants.values():
            out.update(w)
        return out

    def _forget(self, key: str) -> None:
        for w in self._wants.values():
            w.pop(key, None)

    def _cancel_running(self) -> None:
        """Kill every running job; their wants stay, so they run again on the next pool."""
        for fut, _, _ in list(self._running.values()):
            fut.cancel()
            self.stats.cancelled += 1
        self._running.clear()

    # -- dispatch ------------------------------------------------------------------------------
    def pump(self) -> None:
        """Start as many wanted jobs as there are free workers; re-arm the debounce timer."""
        if self._closed:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._ready:
            if self._wants and self._starting is None and self._pool is None:
                self.start()
            return
        free = self.workers - len(self._running)
        if free <= 0:
            return
        now = time.monotonic()
        candidates: dict[str, Want] = {}
        next_time: float | None = None
        for w in self._wants.values():
            for key, want in w.items():
                if key in self._running:
                    continue
                if want.not_before > now:
                    next_time = want.not_before if next_time is None else min(next_time, want.not_before)
                    continue
                prev = candidates.get(key)
                if prev is None or want.priority < prev.priority:
                    candidates[key] = want
        for want in sorted(candidates.values(), key=lambda w: w.priority)[:free]:
            if not self._ready:
                break  # the pool broke while dispatching: it is being restarted
            self._dispatch(want)
        if next_time is not None and len(self._running) < self.workers:
            self._timer = self.loop.call_at(self.loop.time() + max(0.0, next_time - now), self.pump)

    def _dispatch(self, want: Want) -> None:
        try:
            job = want.factory()
        except Exception as e:  # noqa: BLE001 - a split/context bug: report it as unknown
            log.exception("job construction for %s failed", want.key)
            self._forget(want.key)
            self.on_outcome(Outcome(want.key, _placeholder_job(), error=f"internal error: {e}"))
            return
        try:
            fut = self._pool.schedule(self.runner, args=(job,), timeout=self.job_timeout)
        except Exception as e:  # noqa: BLE001 - pool broken: restart it, keep the want
            log.error("prooflens: pool unusable (%s); restarting it", e)
            self._restart_pool()
            return
        key = want.key
        self._running[key] = (fut, job, time.monotonic())
        self.stats.dispatched += 1
        self.stats.dispatched_keys.append(key)
        if self.on_started is not None:
            self.on_started(key)
        fut.add_done_callback(lambda f, k=key: self._threadsafe_done(k, f))

    def _restart_pool(self) -> None:
        """Replace a broken pool; running jobs are re-queued (their wants are kept)."""
        for fut, _, _ in self._running.values():
            fut.cancel()
        self._running.clear()
        old, self._pool, self._ready = self._pool, None, False
        if old is not None:
            threading.Thread(target=_stop_pool, args=(old,), daemon=True).start()
        self._starting = None
        self.start()

    def _threadsafe_done(self, key: str, fut: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone at exit
            self.loop.call_soon_threadsafe(self._done, key, fut)

    def _done(self, key: str, fut: Any) -> None:
        entry = self._running.get(key)
        if entry is None or entry[0] is not fut:
            return  # cancelled (and already accounted for) or superseded
        del self._running[key]
        while self._idle_waiters:  # drain() waits for each finished job
            waiter = self._idle_waiters.pop()
            if not waiter.done():
                waiter.set_result(None)
        _, job, start = entry
        elapsed = (time.monotonic() - start) * 1000
        outcome = Outcome(key, job, elapsed_ms=elapsed)
        if fut.cancelled():
            self.stats.cancelled += 1
            self.pump()
            return
        try:
            outcome.result = fut.result()
            self.stats.completed += 1
            self.stats.job_ms += elapsed
            self._breaks = 0
        except (CancelledError, asyncio.CancelledError):
            self.stats.cancelled += 1
            self.pump()
            return
        except BrokenProcessPool as e:  # the pool itself broke: not this job's fault, retry it
            self._breaks += 1
            if self._breaks <= 3:
                log.error("prooflens: worker pool broke (%s); restarting it", e)
                self._restart_pool()
                return
            outcome.error = f"worker processes keep failing: {e}"
            self.stats.failed += 1
        except FutureTimeout:
            outcome.error = f"timeout: no answer within {self.job_timeout:.0f} s"
            self.stats.failed += 1
        except Exception as e:  # noqa: BLE001 - crashed worker (ProcessExpired), pickling, ...
            outcome.error = f"worker failed: {type(e).__name__}: {e}"
            self.stats.failed += 1
        self._forget(key)
        try:
            self.on_outcome(outcome)
        finally:
            self.pump()

    def worker_pids(self) -> list[int]:
        pool = self._pool
        try:
            return list(pool._pool_manager.worker_manager.workers) if pool is not None else []
        except AttributeError:
            return []

    async def submit_aux(self, fn: Callable[..., Any], *args: Any, timeout: float = 60.0) -> Any:
        """Run a small side job (test harness generation) in the pool, starting it if needed."""
        if self._closed:
            raise RuntimeError("the server is shutting down")
        if not self._ready:
            waiter: asyncio.Future[None] = self.loop.create_future()
            self._ready_waiters.append(waiter)
            self.start()
            await asyncio.wait_for(waiter, timeout)
        return await asyncio.wrap_future(self._pool.schedule(fn, args=args, timeout=timeout), loop=self.loop)


def _stop_pool(pool: Any) -> None:
    """Stop a pebble pool and SIGKILL any worker that is still there.

    Stop first (so pebble's manager stops replacing workers), then kill (a worker stuck in z3
    ignores everything else), then join, then kill whatever was started in between.
    """
    with contextlib.suppress(Exception):
        pool.stop()
    _kill_workers(pool)
    with contextlib.suppress(Exception):
        pool.join(timeout=2)
    _kill_workers(pool)


def stop_helpers() -> None:
    """End multiprocessing's fork server now rather than when it notices that we are gone.

    It would exit by itself, but only after running Python's finalisation with z3 loaded;
    "no child alive after exit" must hold at once. (The resource tracker, a bare interpreter,
    exits as soon as the last copy of its pipe closes, i.e. with this process.)
    """
    with contextlib.suppress(Exception):
        from multiprocessing import forkserver

        fs: Any = forkserver._forkserver
        pid = getattr(fs, "_forkserver_pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            fs._stop()
    with contextlib.suppress(Exception):
        _stop_resource_tracker()


def _stop_resource_tracker(grace: float = 0.5) -> None:
    """Close our end of the tracker's pipe and reap it (an unreaped zombie still counts as alive)."""
    from multiprocessing import resource_tracker

    rt: Any = resource_tracker._resource_tracker
    fd, pid = getattr(rt, "_fd", None), getattr(rt, "_pid", None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
        rt._fd = None
    if not pid:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            rt._pid = None
            return
        time.sleep(0.01)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
    rt._pid = None


def _kill_workers(pool: Any) -> None:
    pids: list[int] = []
    with contextlib.suppress(Exception):
        pids = list(pool._pool_manager.worker_manager.workers)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _placeholder_job() -> Job:
    from analysis.frontend.units import Unit, UnitKind
    from analysis.model import Span
    from analysis.options import Options

    unit = Unit(UnitKind.FUNCTION, "?", "", Span.of(1, 1, 1, 1), None, "", (), True)
    return Job("", "?", (), unit, Options())
