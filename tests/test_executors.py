"""The executor interface and its driver (analysis/executors.py) without Ray: the plan (longest
first, tiny jobs batched), retries and deadlines through a scripted executor, the local pebble
pool's timeout and crash, and the runner feeding a cluster executor the timings it stored."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.cache import MemoryCache
from analysis.executors import (
    TIMEOUT,
    WORKER_DIED,
    Finished,
    LocalPool,
    Policy,
    plan_batches,
    run_jobs,
)
from analysis.model import FunctionResult
from analysis.options import Options
from analysis.runner import verify_files
from analysis.service import Job, verify_job
from tests import cluster_helpers
from tests.cluster_helpers import ROOT

PROGRAM = ROOT / "tests" / "programs" / "overflow_add_refuted.c"


def test_longest_first_with_the_median_for_unknown_and_tiny_jobs_batched() -> None:
    policy = Policy(in_flight=4, longest_first=True, tiny_ms=100, batch_ms=150, batch_max=3)
    #            0     1     2     3    4   5   6   7    8
    estimates = [50.0, 900.0, None, 40.0, 5, 5, 5, 5, 300.0]
    # job 2 counts as the median of the known ones, 22.5; batches stop at 150 ms or 3 jobs
    assert plan_batches(estimates, policy) == [[1], [8], [0, 3, 2], [4, 5, 6], [7]]


def test_without_any_timing_the_given_order_and_no_batches() -> None:
    policy = Policy(in_flight=4, longest_first=True, tiny_ms=100, batch_ms=500)
    assert plan_batches([None, None, None], policy) == [[0], [1], [2]]


class Scripted:
    """An executor whose batches end as scripted per job name: "ok", "die" or "hang" (each try
    takes the next entry; the last one repeats)."""

    def __init__(self, script: dict[str, list[str]], policy: Policy) -> None:
        self.script, self._policy = script, policy
        self.tries: dict[str, int] = {}
        self.submitted: list[list[str]] = []
        self.waiting: dict[int, Sequence[Job]] = {}
        self.max_in_flight = 0
        self.killed: list[int] = []

    def policy(self) -> Policy:
        return self._policy

    def submit(self, jobs: Sequence[Job], deadline: float) -> int:
        ticket = len(self.submitted)
        self.submitted.append([j.function for j in jobs])
        self.waiting[ticket] = jobs
        self.max_in_flight = max(self.max_in_flight, len(self.waiting))
        return ticket

    def wait(self) -> list[Finished]:
        ticket, jobs = next(iter(self.waiting.items()))
        del self.waiting[ticket]
        fates = []
        for job in jobs:
            n = self.tries.get(job.function, 0)
            self.tries[job.function] = n + 1
            steps = self.script.get(job.function, ["ok"])
            fates.append(steps[min(n, len(steps) - 1)])
        if "die" in fates:
            return [Finished(ticket, failure=WORKER_DIED, reason="WorkerCrashedError")]
        if "hang" in fates:
            return [Finished(ticket, failure=TIMEOUT, reason="timeout: the function took longer than 9 s")]
        return [Finished(ticket, results=[_result(j) for j in jobs])]

    def kill(self, ticket: int) -> None:
        self.killed.append(ticket)
        self.waiting.pop(ticket, None)

    def close(self) -> None:
        pass


def _result(job: Job) -> FunctionResult:
    return FunctionResult(job.function, job.target.span, job.target.span, ())


def _jobs() -> list[Job]:
    jobs = cluster_helpers._jobs([str(PROGRAM)])
    assert len(jobs) >= 4
    return jobs


def test_a_job_whose_worker_died_is_retried_and_reported_only_after_the_retries() -> None:
    jobs = _jobs()
    a, b = jobs[0].function, jobs[1].function
    ex = Scripted({a: ["die", "die", "ok"], b: ["die"]}, Policy(in_flight=2, retries=2))
    out = dict(run_jobs(ex, jobs, 9.0))
    assert isinstance(out[0], FunctionResult) and ex.tries[a] == 3
    assert out[1] == "internal error: worker died 3 times (WorkerCrashedError)" and ex.tries[b] == 3
    assert all(isinstance(out[i], FunctionResult) for i in range(2, len(jobs)))
    assert ex.max_in_flight <= 2


def test_a_batch_that_overran_or_died_is_split_and_only_the_culprit_is_unknown() -> None:
    jobs = _jobs()[:4]
    names = [j.function for j in jobs]
    ex = Scripted({names[1]: ["hang"], names[2]: ["die", "ok"]},
                  Policy(in_flight=1, retries=2, longest_first=True, tiny_ms=100, batch_ms=1000))
    out = dict(run_jobs(ex, jobs, 9.0, estimates=[10.0] * 4))
    assert ex.submitted[0] == names  # one batch of four tiny jobs
    assert out[1] == "timeout: the function took longer than 9 s"
    assert [i for i, r in out.items() if isinstance(r, FunctionResult)] == [0, 2, 3]


def test_a_consumer_that_stops_early_kills_what_is_in_flight() -> None:
    jobs = _jobs()
    ex = Scripted({}, Policy(in_flight=3))
    gen = run_jobs(ex, jobs, 9.0)
    next(gen)
    gen.close()
    assert len(ex.killed) == 2


def test_the_local_pool_kills_an_overrun_at_its_deadline_and_a_crash_is_unknown() -> None:
    jobs = _jobs()[:1]
    pool = LocalPool(1, work=cluster_helpers.overrun)
    try:
        assert list(run_jobs(pool, jobs, 1.0)) == [(0, "timeout: the function took longer than 1 s")]
    finally:
        pool.close()
    pool = LocalPool(1, work=cluster_helpers.always_die)
    try:
        [(_, reason)] = list(run_jobs(pool, jobs, 30.0))
        assert isinstance(reason, str) and reason.startswith("internal error: worker failed (ProcessExpired")
    finally:
        pool.close()


class InProcess(Scripted):
    """Runs the real verification, in this process, and records what was submitted when."""

    def wait(self) -> list[Finished]:
        ticket, jobs = next(iter(self.waiting.items()))
        del self.waiting[ticket]
        return [Finished(ticket, results=[verify_job(j) for j in jobs])]


def test_the_runner_stores_timings_and_a_cluster_gets_the_longest_first() -> None:
    path = str(PROGRAM)
    files = [(path, PROGRAM.read_text())]
    cache = MemoryCache()
    first = InProcess({}, Policy(in_flight=8, longest_first=True))
    res = verify_files(files, Options(), cache, 1, executor=first)
    names = [f.name for f in res[0].functions]
    times = {n: cache.get(f"t:{path}:{n}") for n in names}
    assert all(t is not None and float(t) > 0 for t in times.values())
    # other options (every function a miss again), with stored times that say the last is the longest
    for i, n in enumerate(names):
        cache.put(f"t:{path}:{n}", str(1000.0 * (i + 1)))
    second = InProcess({}, Policy(in_flight=8, longest_first=True))
    verify_files(files, Options(data_model="ILP32"), cache, 1, executor=second)
    assert [b[0] for b in second.submitted] == list(reversed(names))


def test_cluster_spec_errors_are_usage_errors() -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    for spec, says in [("auto", "RAY_ADDRESS"), ("yarn", "expected ray, ray://HOST:PORT or auto")]:
        run = subprocess.run([sys.executable, "-m", "analysis.cli", "check", str(PROGRAM), "--no-cache",
                              "--cluster", spec], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert run.returncode == 3, run.stderr
        assert says in run.stderr
