"""Verify many files for the CLI: split each, answer from the cache, verify the rest in
worker processes (killable: a runaway job is stopped at its deadline, not waited for)."""

from __future__ import annotations

import time
from typing import Any

from analysis.cache import ResultCache
from analysis.executors import Executor, LocalPool, run_jobs
from analysis.model import CheckResult, FileResult, FunctionResult, Status
from analysis.options import Options
from analysis.service import (
    Job,
    cached_result,
    function_keys,
    functions_of,
    make_job,
    split_text,
    store_result,
    verify_job,
)
from analysis.stats import RunStats

# below this many jobs, a process pool costs more than it saves
POOL_THRESHOLD = 6


def job_deadline(options: Options) -> float:
    """Wall-clock cap for one function (its checks each have their own solver limits)."""
    return max(30.0, options.timeout * 12)


def verify_files(files: list[tuple[str, str]], options: Options, cache: ResultCache, jobs: int,
                 only: str | None = None, progress: bool = False, query_store: str | None = None,
                 query_cache: bool = True, *, query_redis: str | None = None, cache_mode: str = "rw",
                 stats: RunStats | None = None, executor: Executor | None = None) -> list[FileResult]:
    """``query_store``: the sqlite file whose SMT-query answers the workers share (None: each
    process remembers its own); ``query_cache=False`` solves every query (``--no-cache``);
    ``query_redis``: the shared cache's URL the workers also use for SMT queries, in ``cache_mode``;
    ``stats``: filled in with what came from the cache and what was solved;
    ``executor``: where the misses run (``--cluster``; default: a local process pool of ``jobs``)."""
    started = time.perf_counter()
    plans: list[tuple[str, Any, list[tuple[str, Any, str]]]] = []
    todo: list[tuple[int, int, str, Job]] = []
    found: dict[tuple[int, int], FunctionResult] = {}
    for fi, (path, text) in enumerate(files):
        split = split_text(text, path, options, cache)
        units = [u for u in functions_of(split) if only is None or u.name == only]
        keys = function_keys(split, options, units)
        entries = []
        for ui, (unit, key) in enumerate(zip(units, keys, strict=True)):
            hit = cached_result(cache, key, unit)
            if hit is not None:
                found[(fi, ui)] = hit
            else:
                todo.append((fi, ui, key, make_job(split, unit, options, query_store, query_cache,
                                                   query_redis=query_redis, cache_mode=cache_mode)))
            entries.append((key, unit, unit.name or ""))
        plans.append((path, split, entries))
    bar = _Progress(len(todo), len(files)) if progress else None
    for (fi, ui, key, job), res in _run(todo, options, jobs, bar, executor, cache):
        found[(fi, ui)] = res
        if stats is not None:
            stats.solved += 1
            stats.solver_time_ms += res.time_ms
        if not any(c.reason and c.reason.startswith("internal error") for c in res.checks):
            store_result(cache, key, job.target, res)
    if bar:
        bar.close()
    out = []
    for fi, (path, split, entries) in enumerate(plans):
        fns = tuple(found[(fi, ui)] for ui in range(len(entries)))
        out.append(FileResult(path, fns, split.errors))
    if stats is not None:
        stats.functions += len(found)
        stats.from_cache += len(found) - len(todo)
        stats.wall_ms += (time.perf_counter() - started) * 1000
    return out


def _run(todo: list[tuple[int, int, str, Job]], options: Options, jobs: int, bar: Any,
         executor: Executor | None = None, cache: ResultCache | None = None) -> Any:
    """Verify the misses: here when they are few, else on ``executor`` (default: a local process
    pool of ``jobs`` workers). Each function's time is remembered in the cache (``t:`` entries),
    so that a cluster run can start the longest functions first and batch the tiny ones."""
    if executor is None and (jobs <= 1 or len(todo) < POOL_THRESHOLD):
        for item in todo:
            res = verify_job(item[3])
            _remember_time(cache, item[3], res.time_ms)
            if bar:
                bar.advance(item[3].function)
            yield item, res
        return
    if not todo:
        return  # a run answered from the cache never starts a pool or a cluster
    pool = executor if executor is not None else LocalPool(jobs)
    deadline = job_deadline(options)
    # only a cluster uses the timings: the local pool keeps the order it was given
    estimates = [_known_time(cache, item[3]) for item in todo] if executor is not None else None
    try:
        for i, outcome in run_jobs(pool, [item[3] for item in todo], deadline, estimates):
            item = todo[i]
            if isinstance(outcome, str):
                res = _failed(item[3], outcome)
                if outcome.startswith("timeout"):
                    _remember_time(cache, item[3], deadline * 1000)
            else:
                res = outcome
                _remember_time(cache, item[3], res.time_ms)
            if bar:
                bar.advance(item[3].function)
            yield item, res
    finally:
        if executor is None:
            pool.close()


def _time_key(job: Job) -> str:
    return f"t:{job.path}:{job.function}"


def _known_time(cache: ResultCache | None, job: Job) -> float | None:
    """The function's last measured time (ms), whatever its text was then: a good guess for now."""
    raw = cache.get(_time_key(job)) if cache is not None else None
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _remember_time(cache: ResultCache | None, job: Job, ms: float) -> None:
    if cache is not None:
        cache.put(_time_key(job), f"{ms:.1f}")


def _failed(job: Job, reason: str) -> FunctionResult:
    span = job.target.name_span or job.target.span
    return FunctionResult(job.function, job.target.span, span,
                          (CheckResult("assert.violated", Status.UNKNOWN, span, message="function not verified",
                                       reason=reason),))


class _Progress:
    """A progress bar on stderr (terminals only; never in JSON/SARIF output)."""

    def __init__(self, total: int, files: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          transient=True)
        self.p.start()
        self.task = self.p.add_task(f"verifying {files} file(s)", total=total)

    def advance(self, name: str) -> None:
        self.p.update(self.task, advance=1, description=f"verifying {name}")

    def close(self) -> None:
        self.p.stop()

