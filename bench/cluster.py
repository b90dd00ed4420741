#!/usr/bin/env python3
"""Per-function jobs on the local pool and on Ray, and a fresh machine on the shared cache.

A corpus of N functions (default 2,000): the programs of tests/programs copied again and again
with every function renamed (``f`` -> ``f_c3``), so no copy is a cache hit for another. Then
``prooflens check CORPUS --format json`` cold (a fresh sqlite cache; with a Redis server, each
cold row also writes to its own empty Redis DB, so every row pays the same cache writes) in:

- the local pool (``--jobs`` workers, the baseline);
- a local Ray runtime (``--cluster ray``: Ray's start-up included);
- the two-node cluster on this machine (``ray start --head`` + ``ray start --address``, one CPU
  each, started before the clock: an existing cluster);
- a fresh machine on the shared cache: a new sqlite file, the local pool's Redis DB.

Prints: setting, functions, wall s, overhead vs local %, from cache; and whether every setting
gave the same answers. Targets (issue 12): Ray at most 15 % over the local pool on the same
cores, the shared-cache run at most 5 % of the cold time.

Usage: python bench/cluster.py [--functions N] [--jobs 2] [--no-two-nodes] [--no-redis]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.options import Options  # noqa: E402
from analysis.service import functions_of, split_text  # noqa: E402


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def make_corpus(dest: Path, want: int) -> int:
    """Renamed copies of the test programs (not the syntax-error ones, nor those that need other
    options) until ``want`` functions; returns how many."""
    sources = []
    for src in sorted((ROOT / "tests" / "programs").glob("*.c")):
        text = src.read_text()
        if src.name.startswith("syntax_error") or "//:: options" in text:
            continue
        names = [u.name for u in functions_of(split_text(text, str(src), Options())) if u.name]
        if names:
            sources.append((src, text, names))
    total, copy = 0, 0
    while total < want:
        for src, text, names in sources:
            if total >= want:
                break
            renamed = text
            for name in names:
                renamed = re.sub(rf"\b{re.escape(name)}\b", f"{name}_c{copy}", renamed)
            keep = names[: want - total]
            if len(keep) < len(names):  # the last file: only as many functions as still wanted
                renamed = _only(renamed, src, [f"{n}_c{copy}" for n in keep])
            (dest / f"{src.stem}_c{copy}.c").write_text(renamed)
            total += len(keep)
        copy += 1
    return total


def _only(text: str, src: Path, keep: list[str]) -> str:
    """The file cut after the last function of ``keep`` (the corpus's last, partial copy)."""
    units = functions_of(split_text(text, str(src), Options()))
    last = max(u.span.end.line for u in units if u.name in keep)
    return "\n".join(text.splitlines()[:last]) + "\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Redis:
    """A throwaway redis-server on loopback (no persistence)."""

    def __init__(self, where: Path) -> None:
        exe = shutil.which("redis-server")
        assert exe is not None
        self.port = free_port()
        self.proc = subprocess.Popen([exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(where)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if "Ready to accept connections" in line:
                return
        raise RuntimeError("redis-server did not start")

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def check(corpus: Path, cache_file: Path, extra: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    argv = prooflens() + ["check", str(corpus), "--format", "json", "--cache-path", str(cache_file), *extra]
    t0 = time.perf_counter()
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if run.returncode not in (0, 1, 2):
        raise RuntimeError(f"{' '.join(argv)} exited {run.returncode}:\n{run.stderr[-3000:]}")
    return wall, json.loads(run.stdout)


def answers(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(f["path"], fn["name"]): fn["status"] for f in doc["files"] for fn in f["functions"]}


def reasons(doc: dict[str, Any], function: str) -> list[str]:
    """Why a function is unknown (a timeout under load is not a wrong answer)."""
    return sorted({c["reason"] for f in doc["files"] for fn in f["functions"] if fn["name"] == function
                   for c in fn["checks"] if c.get("reason")})


def cli_has_redis_cache() -> bool:
    run = subprocess.run(prooflens() + ["check", "--help"], capture_output=True, text=True, cwd=ROOT)
    return "--cache " in run.stdout or "--cache\n" in run.stdout or "redis://" in run.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--functions", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="the local pool's and Ray's CPUs")
    ap.add_argument("--no-two-nodes", action="store_true")
    ap.add_argument("--no-redis", action="store_true")
    ap.add_argument("--no-client", action="store_true", help="skip the two-node run through Ray Client")
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="prooflens-bench-cluster-"))
    corpus = work / "corpus"
    corpus.mkdir()
    n = make_corpus(corpus, a.functions)
    # no user cache, no stray RAY_ADDRESS: every row starts from nothing
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env["XDG_CACHE_HOME"] = str(work / "xdg")
    redis_note = ""
    redis = None
    if a.no_redis:
        redis_note = "n/a (--no-redis)"
    elif not cli_has_redis_cache():
        redis_note = "n/a (needs --cache redis)"
    elif shutil.which("redis-server") is None:
        redis_note = "n/a (no redis-server: apt-get install redis-server)"
    else:
        redis = Redis(work)
    print(f"corpus: {n} functions in {len(list(corpus.glob('*.c')))} files ({corpus}); {a.jobs} CPUs", flush=True)

    def cold(db: int) -> list[str]:
        return ["--cache", redis.url(db)] if redis is not None else []

    rows: list[tuple[str, float | None, dict[str, Any] | None, str]] = []
    docs: dict[str, dict[str, Any]] = {}
    try:
        wall, doc = check(corpus, work / "local.sqlite3", ["--jobs", str(a.jobs), *cold(1)], env)
        rows.append(("local pool", wall, doc, ""))
        docs["local pool"] = doc
        print(f"  local pool: {wall:.1f} s", flush=True)

        wall, doc = check(corpus, work / "ray.sqlite3", ["--cluster", "ray", "--jobs", str(a.jobs), *cold(2)], env)
        rows.append(("local Ray runtime", wall, doc, ""))
        docs["local Ray runtime"] = doc
        print(f"  local Ray runtime: {wall:.1f} s", flush=True)

        if a.no_two_nodes:
            rows.append(("two-node cluster", None, None, "n/a (--no-two-nodes)"))
        else:
            from tests.cluster_helpers import TwoNodes

            nodes = TwoNodes()
            try:
                nodes.start()
                node_env = {**env, **{k: v for k, v in nodes.env.items() if k.startswith("RAY_")}}
                # a driver on the head node (a CI runner there: `--cluster auto`, RAY_ADDRESS the GCS)
                head_env = {**node_env, "RAY_ADDRESS": f"{nodes.ips[0]}:{nodes.gcs_port}"}
                wall, doc = check(corpus, work / "two.sqlite3", ["--cluster", "auto", *cold(3)], head_env)
                rows.append(("two-node cluster, driver on the head", wall, doc, ""))
                docs["two-node cluster, driver on the head"] = doc
                print(f"  two-node cluster, driver on the head: {wall:.1f} s", flush=True)
                if not a.no_client:
                    # a driver elsewhere, through the head's Ray Client port (gRPC)
                    wall, doc = check(corpus, work / "client.sqlite3", ["--cluster", nodes.address, *cold(4)],
                                      node_env)
                    rows.append(("two-node cluster, Ray Client", wall, doc, ""))
                    docs["two-node cluster, Ray Client"] = doc
                    print(f"  two-node cluster, Ray Client: {wall:.1f} s", flush=True)
            finally:
                nodes.stop()
                shutil.rmtree(nodes.temp, ignore_errors=True)

        if redis is not None:
            wall, doc = check(corpus, work / "fresh.sqlite3", ["--jobs", str(a.jobs), "--cache", redis.url(1)], env)
            rows.append(("fresh machine, shared Redis cache", wall, doc, ""))
            docs["shared cache"] = doc
        else:
            rows.append(("fresh machine, shared Redis cache", None, None, redis_note))
    finally:
        if redis is not None:
            redis.stop()

    base = rows[0][1] or 1.0
    print()
    print(f"{'setting':36} {'functions':>9} {'wall s':>8} {'vs local':>9} {'from cache':>10}")
    for name, wall, doc, note in rows:
        if wall is None or doc is None:
            print(f"{name:36} {note}")
            continue
        stats = doc.get("stats", {})
        functions = stats.get("functions", len(answers(doc)))
        from_cache = stats.get("from_cache", "?")
        print(f"{name:36} {functions:>9} {wall:>8.1f} {100 * (wall - base) / base:>+8.1f}% {from_cache:>10}")
    reference = answers(docs["local pool"])
    differ = [name for name, doc in docs.items() if answers(doc) != reference]
    print("answers: " + ("the same in every setting" if not differ else f"DIFFERENT in {', '.join(differ)}"))
    for name in differ:
        theirs = answers(docs[name])
        for key in sorted(k for k in reference if theirs.get(k) != reference[k])[:10]:
            print(f"  {key[1]}: local pool {reference[key]} {reasons(docs['local pool'], key[1])}, "
                  f"{name} {theirs.get(key)} {reasons(docs[name], key[1])}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
