"""`prooflens check | testgen | serve`: argument parsing and output formats only.

Exit status of `check`: 0 all proved, 1 something refuted, 2 unknowns but nothing refuted,
3 input or usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.model import FileResult, FunctionResult, SourceError, Span, Status
from analysis.options import Options

EXIT_PROVED, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_USAGE = 0, 1, 2, 3


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-model", choices=["LP64", "ILP32"], default="LP64")
    p.add_argument("--timeout", type=float, default=None, help="seconds per check (default 5)")
    p.add_argument("--inline-depth", type=int, default=None)
    p.add_argument("--unroll", type=int, default=None, help="loop unrolling bound for bug finding")
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR")
    p.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=VALUE]")
    p.add_argument("--compile-commands", default=None, metavar="FILE")


def _options(a: argparse.Namespace) -> Options:
    raw: dict[str, Any] = {"data_model": a.data_model, "include_dirs": list(a.include),
                           "defines": list(a.define), "compile_commands": a.compile_commands}
    if a.timeout is not None:
        raw["timeout"] = a.timeout
    if a.inline_depth is not None:
        raw["inline_depth"] = a.inline_depth
    if a.unroll is not None:
        raw["unroll"] = a.unroll
    opts, problems = Options.from_dict(raw)
    for p in problems:
        print(f"prooflens: {p}", file=sys.stderr)
    return opts


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="prooflens", description="Prove or refute properties of C functions.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="verify C files or directories")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    c.add_argument("--function", default=None)
    c.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    c.add_argument("--entry", default=None, help="SV-COMP mode: verify the whole program from this function")
    c.add_argument("--property", choices=["unreach-call", "no-overflow", "termination"], default="unreach-call")
    c.add_argument("--no-cache", action="store_true", help="do not read or write the persistent cache")
    c.add_argument("--witness", default=None, metavar="FILE",
                   help="SV-COMP mode: write a witness (format 2.0, YAML) for a true or false verdict")
    c.add_argument("--report", default=None, metavar="FILE.html",
                   help="also write a self-contained HTML report (any --format)")
    c.add_argument("--baseline", default=None, metavar="PREVIOUS.json",
                   help="a previous --format json output: SARIF and the report mark what is new, fixed, unchanged")
    c.add_argument("--cache-path", default=None)
    c.add_argument("--cache", default=None, metavar="redis://HOST:PORT/DB", type=_redis_url,
                   help="a shared proof cache (Redis) under the local one")
    c.add_argument("--cache-mode", choices=["rw", "ro", "rebuild", "off"], default="rw",
                   help="rw: read and write the persistent caches; ro: only read (pull requests); "
                        "rebuild: only write; off: like --no-cache")
    c.add_argument("--cluster", default=None, metavar="ray|ray://HOST:PORT|auto",
                   help="verify the functions on Ray: a local runtime, an existing cluster, or the one "
                        "RAY_ADDRESS names (needs prooflens[cluster]; not in SV-COMP mode)")
    _common(c)
    t = sub.add_parser("testgen", help="write a C harness that replays a counterexample")
    t.add_argument("path")
    t.add_argument("--function", required=True)
    t.add_argument("--check", required=True, help="check id, optionally @LINE (e.g. overflow.signed.sub@18)")
    t.add_argument("-o", "--output", default=None)
    _common(t)
    s = sub.add_parser("serve", help="run the language server (stdio, or --tcp HOST:PORT)")
    s.add_argument("--tcp", default=None, metavar="HOST:PORT")
    s.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    return ap


def _object_text(obj: dict[str, Any]) -> str:
    """What a pointer of a counterexample points to, in a few words."""
    if obj.get("null"):
        return "NULL"
    if "alias" in obj:
        return f"{obj['alias']} + {obj.get('offset', 0)} (the same object)"
    size = obj.get("size", 0)
    elements = obj.get("elements", [])
    def c_text(e: Any) -> str:  # a struct element as C writes it: {.x = 1, .buf = {0, 7}}
        if isinstance(e, dict):
            return "{" + ", ".join(f".{k} = {c_text(v)}" for k, v in e.items()) + "}"
        return "{" + ", ".join(map(c_text, e)) + "}" if isinstance(e, list) else str(e)

    parts = [c_text(e) for e in elements] + (["0..."] if len(elements) < size else [])
    return f"{size} element{'s' * (size != 1)} {{{', '.join(parts)}}}"


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # the reader went away (`prooflens check f.c | head`): no traceback; the answer was not read
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 3


def _main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.cmd == "serve":
        from server.main import serve

        return serve(["--tcp", args.tcp] if args.tcp else [])
    if args.cmd == "testgen":
        return _testgen(args)
    return _check(args)


# -- check -----------------------------------------------------------------------------------


def c_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(q for q in path.rglob("*.c") if q.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(p)
    return files, missing


def _redis_url(text: str) -> str:
    from analysis.cache_redis import RedisUnavailable, check_url

    try:
        return check_url(text)
    except RedisUnavailable as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _open_cache(args: argparse.Namespace) -> Any:
    return _cache_setup(args)[0]


def _cache_setup(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The result cache (memory over sqlite over the shared Redis, through ``--cache-mode``) and
    the arguments of ``verify_files`` that let the workers open the same layers for SMT queries."""
    from analysis.cache import MemoryCache, NullCache

    mode = "off" if args.no_cache else getattr(args, "cache_mode", "rw")
    off: dict[str, Any] = {"query_store": None, "query_cache": mode != "off", "cache_mode": mode}
    if mode == "off":
        return NullCache(), off
    try:
        from analysis.cache import LayeredCache, open_persistent

        layers = open_persistent(args.cache_path, getattr(args, "cache", None), mode)
        for p in layers.problems:
            print(f"prooflens: {p}", file=sys.stderr)
        if layers.cache is None:
            return NullCache(), off
        return LayeredCache(MemoryCache(), layers.cache), {
            "query_store": layers.sqlite_path, "query_cache": True, "query_redis": layers.redis_url,
            "cache_mode": mode}
    except Exception as e:  # noqa: BLE001 - a broken cache must never stop verification
        print(f"prooflens: cache disabled: {e}", file=sys.stderr)
        return NullCache(), off


def _cluster(args: argparse.Namespace) -> Any:
    """``--cluster``: the executor the cache misses run on (None: the local process pool)."""
    if not getattr(args, "cluster", None):
        return None
    from analysis.executors import cluster_executor

    return cluster_executor(args.cluster, args.jobs)


def _check(args: argparse.Namespace) -> int:
    opts = _options(args)
    files, missing = c_files(args.paths)
    if missing:
        for m in missing:
            print(f"prooflens: no such file or directory: {m}", file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print("prooflens: no C files found", file=sys.stderr)
        return EXIT_USAGE
    if args.witness and (not args.entry or len(files) != 1):
        print("prooflens: --witness needs SV-COMP mode (--entry FUNCTION --property PROPERTY) and exactly one "
              "C file", file=sys.stderr)
        return EXIT_USAGE
    baseline = None
    if args.baseline:
        from analysis.baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(args.baseline)
        except BaselineError as e:
            print(f"prooflens: {e}", file=sys.stderr)
            return EXIT_USAGE
    from analysis.stats import RunStats

    start = time.perf_counter()
    stats = RunStats()
    if args.entry:
        from analysis.svcomp import verify_entry

        results = [verify_entry(str(f), _read(f), opts, args.entry, args.property) for f in files]
        solved = [fn for r in results for fn in r.functions]  # SV-COMP mode has no cache
        stats.functions = stats.solved = len(solved)
        stats.solver_time_ms = sum(fn.time_ms for fn in solved)
    else:
        from analysis.executors import ClusterError
        from analysis.runner import verify_files

        cache, cache_args = _cache_setup(args)
        executor = None
        try:
            executor = _cluster(args)
            results = verify_files([(str(f), _read(f)) for f in files], opts, cache, args.jobs,
                                   args.function, progress=(args.format == "text" and sys.stderr.isatty()),
                                   stats=stats, executor=executor, **cache_args)
        except ClusterError as e:
            print(f"prooflens: {e}", file=sys.stderr)
            return EXIT_USAGE
        finally:
            if executor is not None:
                executor.close()
    elapsed = time.perf_counter() - start
    stats.wall_ms = elapsed * 1000
    if args.format == "json":
        from analysis.baseline import add_fingerprints

        doc = to_json(results, args.entry is not None, stats)
        add_fingerprints(doc, results)  # so that this output can be a later run's --baseline
        print(json.dumps(doc, indent=1))
    elif args.format == "sarif":
        from analysis.sarif import to_sarif

        print(json.dumps(to_sarif(results, baseline), indent=1))
    else:
        print_text(results, elapsed, stats)
    if args.witness:
        _write_witness(args, opts, files[0], results[0])
    if args.report:
        from analysis.report import write_report

        try:
            write_report(args.report, results, baseline=baseline, stats=stats.to_json())
        except OSError as e:
            print(f"prooflens: cannot write the report {args.report}: {e.strerror or e}", file=sys.stderr)
            return EXIT_USAGE
        print(f"prooflens: wrote report {args.report}", file=sys.stderr)
    return exit_code(results)


def _write_witness(args: argparse.Namespace, opts: Options, path: Path, result: FileResult) -> None:
    from analysis.witness import build_witness

    try:
        text, notes = build_witness(str(path), _read(path), opts, args.entry, args.property, result)
    except Exception as e:  # noqa: BLE001 - a witness bug must not change the verdict or exit status
        text, notes = None, [f"internal error, no witness written: {type(e).__name__}: {e}"]
    for n in notes:
        print(f"prooflens: witness: {n}", file=sys.stderr)
    if text is not None:
        Path(args.witness).write_text(text, encoding="utf-8")
        print(f"prooflens: wrote witness {args.witness}", file=sys.stderr)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def to_json(results: list[FileResult], with_verdict: bool, stats: Any = None) -> dict[str, Any]:
    """``stats``: an :class:`analysis.stats.RunStats`, shown as the top level's ``"stats"``."""
    doc: dict[str, Any] = {"files": [r.to_json() for r in results]}
    if stats is not None:
        doc["stats"] = stats.to_json()
    if with_verdict:
        verdicts = [r.verdict or "unknown" for r in results]
        doc["verdict"] = "false" if "false" in verdicts else "unknown" if "unknown" in verdicts else "true"
        cx = next((r.verdict_counterexample for r in results if r.verdict == "false"), None)
        doc["counterexample"] = cx.to_json() if cx else None
        for r, f in zip(results, doc["files"], strict=True):
            f["verdict"] = r.verdict
    return doc


def exit_code(results: list[FileResult]) -> int:
    statuses = [c.status for r in results for f in r.functions for c in f.checks]
    if any(r.verdict == "false" for r in results) or Status.REFUTED in statuses:
        return EXIT_REFUTED
    errors = any(r.errors or any(f.errors for f in r.functions) for r in results)
    if Status.UNKNOWN in statuses or errors or any(r.verdict == "unknown" for r in results):
        return EXIT_UNKNOWN
    return EXIT_PROVED


SYMBOL = {Status.PROVED: "✔", Status.REFUTED: "✘", Status.UNKNOWN: "?"}


def _where(span: Span) -> str:
    return f"{span.start.line}:{span.start.column}"


def print_text(results: list[FileResult], elapsed: float, stats: Any = None) -> None:
    n = {s: 0 for s in Status}
    for r in results:
        print(r.path)
        for e in r.errors:
            print(f"  {e.severity}: {_where(e.span)}: {e.message}")
        for f in r.functions:
            _print_function(f)
            n[f.status] += 1
    total = sum(n.values())
    cached = f", {stats.from_cache} from cache" if stats is not None and stats.from_cache else ""
    print(f"{total} function(s): {n[Status.PROVED]} proved, {n[Status.REFUTED]} refuted, "
          f"{n[Status.UNKNOWN]} unknown{cached} ({elapsed:.2f} s)")


def _print_function(f: FunctionResult) -> None:
    for e in f.errors:
        print(f"  {'✘' if e.severity == 'error' else '?'} {f.name}: {e.severity} at {_where(e.span)}: {e.message}")
    if not f.checks and f.errors:
        return
    label = {Status.PROVED: "proved", Status.REFUTED: "refuted", Status.UNKNOWN: "unknown"}[f.status]
    print(f"  {SYMBOL[f.status]} {f.name}: {label} · {len(f.checks)} check(s) · {f.time_ms:.0f} ms")
    for c in f.checks:
        if c.status is Status.PROVED and c.unreachable:
            print(f"    ✔ {_where(c.span)} {c.id}: proved: unreachable (no execution reaches it: dead code)")
            continue
        if c.status is Status.PROVED and not c.witness:
            continue
        head = f"    {SYMBOL[c.status]} {_where(c.span)} {c.id}: {c.message or _msg(c.id)}"
        if c.status is Status.PROVED:
            print(f"    {SYMBOL[c.status]} {_where(c.span)} {c.id}: proved by {c.witness}")
        elif c.status is Status.UNKNOWN:
            print(f"{head} (unknown: {c.reason})")
        else:
            print(head)
            if c.counterexample is not None:
                cx = c.counterexample
                ins = ", ".join(f"{k} = {v}" for k, v in cx.inputs) or "(no inputs)"
                print(f"        counterexample: {ins}")
                for name, obj in cx.objects:
                    print(f"        {name} -> {_object_text(obj)}")
                if cx.nondet:
                    print("        nondet values: " + ", ".join(f"{fn}() = {v}" for fn, v in cx.nondet))
                if cx.values:
                    print("        at the failure: " + ", ".join(f"{k} = {v}" for k, v in cx.values))
            if c.witness:
                print(f"        witness: {c.witness}")


def _msg(cid: str) -> str:
    from analysis.model import message_of

    return message_of(cid)


# -- testgen --------------------------------------------------------------------------------


def _testgen(args: argparse.Namespace) -> int:
    from analysis.service import verify_text
    from analysis.testgen import harness_for

    opts = _options(args)
    path = Path(args.path)
    if not path.is_file():
        print(f"prooflens: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    text = _read(path)
    res = verify_text(text, str(path), opts, only=args.function)
    want_id, _, want_line = args.check.partition("@")
    for f in res.functions:
        for c in f.checks:
            if c.id == want_id and c.status is Status.REFUTED and (
                    not want_line or str(c.span.start.line) == want_line):
                code = harness_for(text, str(path.resolve()), f.name, c, opts)
                if args.output:
                    Path(args.output).write_text(code)
                    print(f"wrote {args.output}", file=sys.stderr)
                else:
                    sys.stdout.write(code)
                return EXIT_PROVED
    print(f"prooflens: no refuted check {args.check} in {args.function}", file=sys.stderr)
    return EXIT_USAGE


__all__ = ["main", "SourceError"]

if __name__ == "__main__":
    sys.exit(main())
