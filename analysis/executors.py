"""Where the per-function jobs of ``prooflens check`` run: the local process pool (the default) or
a Ray cluster (``--cluster``), behind one small interface, plus the driver that feeds it.

An executor does three things: ``submit`` a batch of jobs with a deadline, ``wait`` for batches
that finished (or failed: timeout, a dead worker, an error), and ``kill`` a batch. Everything
else, what to submit first, how many batches to keep in flight, what to do with a batch whose
worker died, is the driver's (:func:`run_jobs`), steered by the executor's :class:`Policy`. So
another engine (Dask's ``Client.submit``/``wait``/``cancel`` fits as is) can be added later as
one more class here, without touching the driver or the runner.

Jobs are :class:`analysis.job.Job`: picklable and self-contained. The cache is looked up by
the runner before anything is submitted, so only misses travel.
"""

from __future__ import annotations

import concurrent.futures
import functools
import itertools
import os
import platform
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from analysis.job import Job
from analysis.model import FunctionResult
from analysis.service import verify_job

Work = Callable[[Job], FunctionResult]

TIMEOUT, WORKER_DIED, ERROR = "timeout", "worker died", "error"


class ClusterError(Exception):
    """The cluster cannot be used (not installed, unreachable, or a worker of another build):
    a usage error for the CLI, never a silently different answer."""


@dataclass(frozen=True)
class Policy:
    """How the driver uses an executor."""

    in_flight: int  # batches submitted and not yet finished, at most
    retries: int = 0  # extra attempts for a job whose worker died
    longest_first: bool = False  # order by the timings stored in the cache
    tiny_ms: float = 0.0  # jobs expected to take less than this are batched (0: never)
    batch_ms: float = 0.0  # ... into batches expected to take about this long
    batch_max: int = 32


@dataclass(frozen=True)
class Finished:
    """A batch that ended: ``results`` (one per job, in order) or a ``failure`` kind and reason."""

    ticket: int
    results: list[FunctionResult] | None = None
    failure: str | None = None  # TIMEOUT, WORKER_DIED or ERROR
    reason: str = ""


class Executor(Protocol):
    def policy(self) -> Policy: ...

    def submit(self, jobs: Sequence[Job], deadline: float) -> int: ...

    def wait(self) -> list[Finished]: ...

    def kill(self, ticket: int) -> None: ...

    def close(self) -> None: ...


def timeout_reason(deadline: float) -> str:
    return f"timeout: the function took longer than {deadline:.0f} s"


def _run_batch(work: Work, jobs: Sequence[Job]) -> list[FunctionResult]:
    return [work(job) for job in jobs]


def worker_context() -> Any:
    """Workers start from a fork server, a fresh interpreter that has imported the engine and
    solved nothing, never from this process: a fork of a process that has used z3 or holds other
    threads (gRPC's, under Ray Client; the server's) inherits their state half-way, and such
    workers died in glibc's heap checks ("corrupted double-linked list") in the test suite."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["analysis.job", "analysis.service"])
    return ctx


class LocalPool:
    """Today's pebble process pool: pebble enforces the deadline from the moment a worker picks a
    job up, and kills that worker; a worker that crashes makes its job unknown (no retry: on one
    machine a crash is usually the function's own, e.g. out of memory, and would repeat)."""

    def __init__(self, workers: int, work: Work = verify_job) -> None:
        from pebble import ProcessPool

        self._pool: Any = ProcessPool(max_workers=workers, context=worker_context())
        self._work = work
        self._futures: dict[concurrent.futures.Future[Any], tuple[int, float]] = {}
        self._tickets = itertools.count()

    def policy(self) -> Policy:
        return Policy(in_flight=1 << 30)  # everything queued at once, in the given order

    def submit(self, jobs: Sequence[Job], deadline: float) -> int:
        ticket = next(self._tickets)
        if len(jobs) == 1:
            fut = self._pool.schedule(self._work, args=(jobs[0],), timeout=deadline)
        else:
            fut = self._pool.schedule(_run_batch, args=(self._work, list(jobs)), timeout=deadline)
        self._futures[fut] = (ticket, deadline)
        return ticket

    def wait(self) -> list[Finished]:
        done, _ = concurrent.futures.wait(self._futures, return_when=concurrent.futures.FIRST_COMPLETED)
        out = []
        for fut in done:
            ticket, deadline = self._futures.pop(fut)
            try:
                value = fut.result()
                out.append(Finished(ticket, value if isinstance(value, list) else [value]))
            except concurrent.futures.TimeoutError:
                out.append(Finished(ticket, failure=TIMEOUT, reason=timeout_reason(deadline)))
            except Exception as e:  # noqa: BLE001 - a crashed worker is an unknown, not a crash
                out.append(Finished(ticket, failure=ERROR,
                                    reason=f"internal error: worker failed ({type(e).__name__}: {e})"))
        return out

    def kill(self, ticket: int) -> None:
        for fut, (t, _) in list(self._futures.items()):
            if t == ticket:
                fut.cancel()  # pebble stops the worker running it
                del self._futures[fut]

    def close(self) -> None:
        if self._futures:
            self._pool.stop()
        else:
            self._pool.close()
        self._pool.join()


# -- the driver ---------------------------------------------------------------------------------


def plan_batches(estimates: Sequence[float | None], policy: Policy) -> list[list[int]]:
    """Job indices grouped into batches, in submission order.

    Longest first (a long function started last would finish alone, long after the rest), using
    the last measured times; a job never timed counts as the median of those that were. Jobs
    expected to be tiny share a batch, so one task's round trip is paid for several of them."""
    known = [e for e in estimates if e is not None]
    middle = statistics.median(known) if known else None
    expected = [e if e is not None else middle for e in estimates]
    order = list(range(len(estimates)))
    if policy.longest_first and known:
        order.sort(key=lambda i: -(expected[i] or 0.0))  # stable: ties keep the given order
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0.0
    for i in order:
        e = expected[i]
        if e is None or e >= policy.tiny_ms:
            batches.append([i])
            continue
        if current and (total + e > policy.batch_ms or len(current) >= policy.batch_max):
            batches.append(current)
            current, total = [], 0.0
        current.append(i)
        total += e
    if current:
        batches.append(current)
    return batches


def run_jobs(executor: Executor, jobs: Sequence[Job], deadline: float,
             estimates: Sequence[float | None] | None = None) -> Iterator[tuple[int, FunctionResult | str]]:
    """Run every job on ``executor``; yields ``(index, result)`` as they finish, where a job that
    could not be answered gets the reason instead of a result (the caller makes it an unknown).

    A batch that overran its deadline is split and its jobs run alone (one of them was slow, the
    others should not pay for it); a job alone past its deadline is a timeout. A batch whose worker
    died is split too, and each job gets ``policy.retries`` more attempts before it is reported."""
    if not jobs:
        return
    policy = executor.policy()
    pending = deque(plan_batches(estimates or [None] * len(jobs), policy))
    attempts = [0] * len(jobs)
    in_flight: dict[int, list[int]] = {}
    try:
        while pending or in_flight:
            while pending and len(in_flight) < policy.in_flight:
                batch = pending.popleft()
                in_flight[executor.submit([jobs[i] for i in batch], deadline)] = batch
            for done in executor.wait():
                batch = in_flight.pop(done.ticket)
                if done.results is not None:
                    yield from zip(batch, done.results, strict=True)
                elif len(batch) > 1 and done.failure in (TIMEOUT, WORKER_DIED):
                    if done.failure == WORKER_DIED:
                        for i in batch:
                            attempts[i] += 1
                    pending.extendleft([i] for i in reversed(batch))
                elif done.failure == WORKER_DIED and attempts[batch[0]] < policy.retries:
                    attempts[batch[0]] += 1
                    pending.appendleft(batch)
                elif done.failure == WORKER_DIED:
                    yield batch[0], (f"internal error: worker died {attempts[batch[0]] + 1} times "
                                     f"({done.reason})")
                else:
                    for i in batch:
                        yield i, done.reason
    finally:
        for ticket in list(in_flight):
            executor.kill(ticket)


# -- Ray ----------------------------------------------------------------------------------------


@functools.cache
def build_versions() -> dict[str, str]:
    """What must be the same on the driver and every worker for a worker's answer to be the
    driver's answer: the engine's build (version plus a digest of its sources), z3, Python."""
    from importlib.metadata import PackageNotFoundError, version

    from analysis import build

    try:
        z3 = version("z3-solver")
    except PackageNotFoundError:
        z3 = "none"
    return {"prooflens": build.ENGINE_ID, "z3": z3, "python": platform.python_version()}


def _ray_task(expected: dict[str, str], work: Work, jobs: Sequence[Job]) -> tuple[str, Any]:
    """What a Ray worker runs: first its versions against the driver's, then the batch."""
    mine = build_versions()
    if mine != expected:
        import ray

        return "mismatch", (mine, ray.util.get_node_ip_address())
    return "ok", _run_batch(work, jobs)


def _describe(versions: dict[str, str]) -> str:
    return f"prooflens {versions['prooflens']}, z3 {versions['z3']}, Python {versions['python']}"


@dataclass
class _Task:
    ref: Any
    deadline: float
    started: float | None = None  # when a CPU was free for it (see RayExecutor._start_clocks)


class RayExecutor:
    """Jobs as Ray tasks, one CPU each.

    ``address``: None starts a local Ray runtime with ``cpus`` CPUs (shut down by ``close``);
    ``ray://HOST:PORT`` joins a cluster through its Ray Client port; ``HOST:PORT`` joins as a
    driver on one of the cluster's nodes (the value of ``RAY_ADDRESS`` there). Nothing connects
    before the first job: a run answered from the cache never starts Ray. A process that already
    called ``ray.init`` keeps its connection (and ``close`` leaves it open).

    The workers import ``analysis`` as installed on their node: start every node from the same
    venv (``.venv/bin/ray start ...``). A worker whose build differs is refused (ClusterError).
    ``work`` is what a worker runs on each job; ``runtime_env`` is passed to every task."""

    def __init__(self, address: str | None = None, cpus: int | None = None, work: Work = verify_job,
                 runtime_env: dict[str, Any] | None = None, connect_attempts: int = 3) -> None:
        self.address, self.cpus, self.work = address, cpus, work
        self.runtime_env, self.connect_attempts = runtime_env, connect_attempts
        self._remote: Any = None
        self._own_runtime = False
        self._cpus = 1
        self._running: dict[int, _Task] = {}
        self._tickets = itertools.count()

    def _ray(self) -> Any:
        try:
            import ray
        except ImportError as e:
            raise ClusterError("--cluster needs Ray: pip install 'prooflens[cluster]'") from e
        return ray

    def _connect(self) -> Any:
        if self._remote is not None:
            return self._remote
        if self.address is None and "ray" not in sys.modules:
            # one node: Ray keeps to the loopback interface instead of advertising the machine's
            # address (the variable names Ray's single-node mode, the default on macOS/Windows)
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
            # Ray's own default for a local runtime (a token in ~/.ray), said explicitly: no warning
            os.environ.setdefault("RAY_AUTH_MODE", "token")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray = self._ray()
        import logging

        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
            if self.address is None:
                kwargs.update(num_cpus=self.cpus or os.cpu_count() or 1, include_dashboard=False)
            # a Ray Client connection sometimes fails while the head forks its per-client server
            # (a known gRPC race in Ray): try again before giving up
            for attempt in range(1, self.connect_attempts + 1):
                try:
                    ray.init(address=self.address, **kwargs)
                    break
                except Exception as e:  # noqa: BLE001 - ray raises plain ConnectionError/RuntimeError
                    ray.shutdown()
                    if attempt == self.connect_attempts:
                        where = self.address or "a local Ray runtime"
                        raise ClusterError(f"cannot start or reach {where}: {type(e).__name__}: {e}") from e
            self._own_runtime = True
        self._cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._remote = ray.remote(num_cpus=1, max_retries=0)(_ray_task)
        if self.runtime_env:
            self._remote = self._remote.options(runtime_env=self.runtime_env)
        return self._remote

    def policy(self) -> Policy:
        self._connect()
        # two batches per CPU: a CPU that finishes finds the next one already there
        return Policy(in_flight=2 * self._cpus, retries=2, longest_first=True, tiny_ms=100.0, batch_ms=500.0)

    def submit(self, jobs: Sequence[Job], deadline: float) -> int:
        remote = self._connect()
        ticket = next(self._tickets)
        self._running[ticket] = _Task(remote.remote(build_versions(), self.work, list(jobs)), deadline)
        return ticket

    def _start_clocks(self, now: float) -> None:
        """Ray does not tell when a task starts; with at most 2 per CPU and FIFO scheduling, the
        oldest ``cpus`` tasks are the ones running, so a task's deadline counts from then."""
        for task in itertools.islice(self._running.values(), self._cpus):
            if task.started is None:
                task.started = now

    def wait(self) -> list[Finished]:
        ray = self._ray()
        from ray import exceptions as rx

        died = (rx.WorkerCrashedError, rx.NodeDiedError, rx.LocalRayletDiedError, rx.OutOfMemoryError,
                rx.ObjectLostError)
        while True:
            self._start_clocks(time.monotonic())
            due = min((t.started + t.deadline - time.monotonic() for t in self._running.values()
                       if t.started is not None), default=1.0)
            by_ref = {t.ref: ticket for ticket, t in self._running.items()}
            ready, _ = ray.wait(list(by_ref), num_returns=1, timeout=max(0.05, min(due, 1.0)))
            if ready:
                ready, _ = ray.wait(list(by_ref), num_returns=len(by_ref), timeout=0)
            out: list[Finished] = []
            for ref in ready:
                ticket = by_ref[ref]
                del self._running[ticket]
                try:
                    kind, value = ray.get(ref)
                except died as e:
                    out.append(Finished(ticket, failure=WORKER_DIED, reason=type(e).__name__))
                    continue
                except Exception as e:  # noqa: BLE001 - the task itself failed: this job is unknown
                    out.append(Finished(ticket, failure=ERROR,
                                        reason=f"internal error: worker failed ({type(e).__name__}: {e})"))
                    continue
                if kind == "mismatch":
                    theirs, node = value
                    raise ClusterError(
                        f"refused the Ray worker on {node}: it runs {_describe(theirs)}, this driver runs "
                        f"{_describe(build_versions())}; start every node from the same install "
                        "(e.g. `.venv/bin/ray start` in the same venv)")
                out.append(Finished(ticket, results=value))
            # what is still running past its deadline (a result that made it in time was taken above)
            now = time.monotonic()
            for ticket, task in list(self._running.items()):
                if task.started is not None and now - task.started > task.deadline:
                    ray.cancel(task.ref, force=True)  # kills the worker process; Ray starts another
                    del self._running[ticket]
                    out.append(Finished(ticket, failure=TIMEOUT, reason=timeout_reason(task.deadline)))
            if out:
                return out

    def kill(self, ticket: int) -> None:
        task = self._running.pop(ticket, None)
        if task is not None:
            self._ray().cancel(task.ref, force=True)

    def close(self) -> None:
        for ticket in list(self._running):
            self.kill(ticket)
        if self._own_runtime:
            self._ray().shutdown()
            self._own_runtime = False
        self._remote = None


def cluster_executor(spec: str, cpus: int | None = None) -> RayExecutor:
    """``--cluster``: ``ray`` (a local Ray runtime of ``cpus`` CPUs), ``ray://HOST:PORT`` (an
    existing cluster), or ``auto`` (the cluster ``RAY_ADDRESS`` names)."""
    import importlib.util

    address: str | None
    if spec == "ray":
        address = None
    elif spec == "auto":
        address = os.environ.get("RAY_ADDRESS", "").strip()
        if not address:
            raise ClusterError("--cluster auto reads the cluster's address from RAY_ADDRESS, which is not set")
    elif spec.startswith("ray://") and ":" in spec[len("ray://"):]:
        address = spec
    else:
        raise ClusterError(f"--cluster {spec}: expected ray, ray://HOST:PORT or auto")
    if importlib.util.find_spec("ray") is None:
        raise ClusterError("--cluster needs Ray: pip install 'prooflens[cluster]'")
    return RayExecutor(address, cpus=cpus if address is None else None)


__all__ = ["Executor", "Policy", "Finished", "LocalPool", "RayExecutor", "ClusterError", "run_jobs",
           "plan_batches", "cluster_executor", "build_versions", "timeout_reason"]
