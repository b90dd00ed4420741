"""Verify many files for the CLI: split each, answer from the cache, verify the rest in
worker processes (killable: a runaway job is stopped at its deadline, not waited for)."""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from analysis.cache import ResultCache
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

# below this many jobs, a process pool costs more than it saves
POOL_THRESHOLD = 6


def job_deadline(options: Options) -> float:
    """Wall-clock cap for one function (its checks each have their own solver limits)."""
    return max(30.0, options.timeout * 12)


def verify_files(files: list[tuple[str, str]], options: Options, cache: ResultCache, jobs: int,
                 only: str | None = None, progress: bool = False, query_store: str | None = None,
                 query_cache: bool = True) -> list[FileResult]:
    """``query_store``: the sqlite file whose SMT-query answers the workers share (None: each
    process remembers its own); ``query_cache=False`` solves every query (``--no-cache``)."""
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
                todo.append((fi, ui, key, make_job(split, unit, options, query_store, query_cache)))
            entries.append((key, unit, unit.name or ""))
        plans.append((path, split, entries))
    bar = _Progress(len(todo), len(files)) if progress else None
    for (fi, ui, key, job), res in _run(todo, options, jobs, bar):
        found[(fi, ui)] = res
        if not any(c.reason and c.reason.startswith("internal error") for c in res.checks):
            store_result(cache, key, job.target, res)
    if bar:
        bar.close()
    out = []
    for fi, (path, split, entries) in enumerate(plans):
        fns = tuple(found[(fi, ui)] for ui in range(len(entries)))
        out.append(FileResult(path, fns, split.errors))
    return out


def _run(todo: list[tuple[int, int, str, Job]], options: Options, jobs: int, bar: Any) -> Any:
    if jobs <= 1 or len(todo) < POOL_THRESHOLD:
        for item in todo:
            res = verify_job(item[3])
            if bar:
                bar.advance(item[3].function)
            yield item, res
        return
    from pebble import ProcessPool

    with ProcessPool(max_workers=jobs) as pool:
        futures = [(item, pool.schedule(verify_job, args=(item[3],), timeout=job_deadline(options)))
                   for item in todo]
        for item, fut in futures:
            try:
                res = fut.result()
            except FutureTimeout:
                res = _failed(item[3], f"timeout: the function took longer than {job_deadline(options):.0f} s")
            except Exception as e:  # noqa: BLE001 - a crashed worker is an unknown, not a crash
                res = _failed(item[3], f"internal error: worker failed ({type(e).__name__}: {e})")
            if bar:
                bar.advance(item[3].function)
            yield item, res


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

