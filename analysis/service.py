"""The one entry point that the CLI and the language server both call.

Split (fast, no solving, safe on the keystroke path) -> per-function cache keys -> verify
the functions whose key is not cached (in a worker process: this module's ``verify_job``
is what a worker runs) -> results positioned in the current text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from pathlib import Path

from analysis.build import ENGINE_ID
from analysis.cache import NullCache, ResultCache
from analysis.frontend.units import SplitFile, Unit, UnitKind
from analysis.job import Job
from analysis.model import CheckResult, FileResult, FunctionResult, SourceError, Status
from analysis.options import Options


def split_text(text: str, path: str, options: Options, cache: ResultCache | None = None) -> SplitFile:
    """Preprocess and split into top-level units (no C parsing, no solving).

    With a persistent cache the split itself is reused (the preprocessor is a process start),
    as long as no included file changed."""
    from analysis.frontend.units import split_from_json, split_to_json

    key = None
    if cache is not None:
        digest = hashlib.sha256(f"{ENGINE_ID}|{options.semantic_key()}|{path}|".encode() + text.encode())
        key = "split:" + digest.hexdigest()
        raw = cache.get(key)
        if raw is not None:
            try:
                hit = split_from_json(json.loads(raw))
            except (ValueError, KeyError, TypeError):
                hit = None
            if hit is not None:
                return hit
    from analysis.frontend.split import included_files, split_file

    split = split_file(text, path, options)
    if cache is not None and key is not None:
        cache.put(key, json.dumps(split_to_json(split, included_files(text, path, options))))
    return split


def functions_of(split: SplitFile) -> list[Unit]:
    return [u for u in split.units if u.kind is UnitKind.FUNCTION and u.in_user_file and u.name]


def _definitions(split: SplitFile) -> dict[str, Unit]:
    return {u.name: u for u in split.units if u.kind is UnitKind.FUNCTION and u.name}


def dependencies(split: SplitFile, name: str, defs: dict[str, Unit] | None = None) -> list[Unit]:
    """The function definitions ``name`` transitively calls (over-approximated from tokens)."""
    defs = defs if defs is not None else _definitions(split)
    seen: dict[str, Unit] = {}
    todo = [c for c in defs[name].calls if c in defs]
    while todo:
        n = todo.pop()
        if n in seen or n == name:
            continue
        seen[n] = defs[n]
        todo.extend(c for c in defs[n].calls if c in defs)
    return list(seen.values())


def _solver_version() -> str:
    """z3's version from its installed metadata, without importing z3 (80-130 ms) or
    importlib.metadata (about as slow): the cache key needs it on every keystroke."""
    import importlib.util

    spec = importlib.util.find_spec("z3")
    if spec is None or spec.origin is None:
        return "none"
    site = Path(spec.origin).resolve().parent.parent
    found = sorted(site.glob("z3_solver-*.dist-info"))
    return found[-1].name[len("z3_solver-"):-len(".dist-info")] if found else "unknown"


_Z3_VERSION = _solver_version()


def function_key(split: SplitFile, unit: Unit, options: Options) -> str:
    """Cache key of a function's result: it, its dependencies, context, options, versions."""
    assert unit.name is not None
    h = hashlib.sha256()
    h.update(f"{ENGINE_ID}|{_Z3_VERSION}|{options.semantic_key()}|{unit.key}|{unit.span.start.column}".encode())
    for dep in sorted(dependencies(split, unit.name), key=lambda u: u.name or ""):
        h.update(f"|dep:{dep.name}:{dep.key}".encode())
    for decl in split.units:
        if decl.kind is UnitKind.DECLARATION:
            h.update(f"|decl:{decl.key}".encode())
    return h.hexdigest()


def function_keys(split: SplitFile, options: Options, units: list[Unit] | None = None) -> list[str]:
    """``function_key`` of each unit (default: every function of the file), in order: the
    declaration digest and the definitions map are built once (linear in practice, not quadratic).
    A list, not a map by name: while the user types, two functions can share a name."""
    # the same bytes function_key feeds the hash, joined once
    decl_part = "".join(f"|decl:{d.key}" for d in split.units if d.kind is UnitKind.DECLARATION).encode()
    out: list[str] = []
    defs = _definitions(split)
    options_key = options.semantic_key()
    for unit in units if units is not None else functions_of(split):
        assert unit.name is not None
        h = hashlib.sha256()
        h.update(f"{ENGINE_ID}|{_Z3_VERSION}|{options_key}|{unit.key}|{unit.span.start.column}".encode())
        for dep in sorted(dependencies(split, unit.name, defs), key=lambda u: u.name or ""):
            h.update(f"|dep:{dep.name}:{dep.key}".encode())
        h.update(decl_part)
        out.append(h.hexdigest())
    return out


def make_job(split: SplitFile, unit: Unit, options: Options, query_store: str | None = None,
             query_cache: bool = True, *, query_redis: str | None = None, cache_mode: str = "rw") -> Job:
    assert unit.name is not None
    deps = {d.name for d in dependencies(split, unit.name)}
    context = tuple(u for u in split.units
                    if u.kind is UnitKind.DECLARATION or (u.kind is UnitKind.FUNCTION and u.name in deps))
    return Job(split.path, unit.name, context, unit, options, query_store, query_cache, query_redis, cache_mode)


def verify_job(job: Job) -> FunctionResult:
    """Run in a worker process: parse the function in its context and verify it."""
    from analysis import querycache
    from analysis.engine import verify_function
    from analysis.z3context import release_unused

    start = time.perf_counter()
    try:
        with querycache.session(job.query_store, job.query_cache, job.query_redis, job.cache_mode):
            result = verify_function(job)
    except Exception as e:  # noqa: BLE001 - an engine bug must become "unknown", never a crash
        name_span = job.target.name_span or job.target.span
        result = FunctionResult(job.function, job.target.span, name_span, (
            CheckResult("assert.violated", Status.UNKNOWN, name_span,
                        reason=f"internal error: {type(e).__name__}: {e}"),))
    release_unused()  # (the function's z3 terms are garbage now: its contexts go after them, quickly)
    return dataclasses.replace(result, time_ms=(time.perf_counter() - start) * 1000)


def cached_result(cache: ResultCache, key: str, unit: Unit) -> FunctionResult | None:
    """A cached result placed at the unit's current position (results are stored relative)."""
    raw = cache.get("fn:" + key)
    if raw is None:
        return None
    try:
        return FunctionResult.from_json(json.loads(raw)).shifted(unit.span.start.line)
    except (ValueError, KeyError, TypeError):
        return None


def store_result(cache: ResultCache, key: str, unit: Unit, result: FunctionResult) -> None:
    cache.put("fn:" + key, json.dumps(result.shifted(-unit.span.start.line).to_json()))


def verify_text(text: str, path: str, options: Options, cache: ResultCache | None = None,
                only: str | None = None) -> FileResult:
    """Verify every function of one file in this process (the CLI parallelises over files/jobs)."""
    cache = cache or NullCache()
    split = split_text(text, path, options)
    results: list[FunctionResult] = []
    for unit in functions_of(split):
        if only is not None and unit.name != only:
            continue
        key = function_key(split, unit, options)
        res = cached_result(cache, key, unit)
        if res is None:
            res = verify_job(make_job(split, unit, options))
            if not _has_internal_error(res):
                store_result(cache, key, unit, res)
        results.append(res)
    return FileResult(path, tuple(results), split.errors)


def _has_internal_error(res: FunctionResult) -> bool:
    return any(c.reason and c.reason.startswith("internal error") for c in res.checks)


__all__ = ["Job", "SourceError", "split_text", "functions_of", "dependencies", "function_key", "function_keys",
           "make_job",
           "verify_job", "cached_result", "store_result", "verify_text"]
