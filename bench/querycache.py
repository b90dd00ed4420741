#!/usr/bin/env python3
"""What the SMT-query cache saves: the test corpus with every function renamed, checked with the
persistent cache left by the original corpus (no function-level hit is possible: every
function's text changed), against the same renamed corpus with an empty cache.

Also checks that the answers are the same both ways (status of every check), and prints a table.
Usage: python bench/querycache.py [--jobs 2] [--programs tests/programs]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = re.compile(r"^[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*(?:/\*.*?\*/\s*)?\{", re.M | re.S)


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def renamed(text: str) -> str:
    """Every defined function except ``main`` renamed (calls included), nothing else touched."""
    names = {m.group(1) for m in DEFINITION.finditer(text)} - {"main", "if", "while", "for", "switch"}
    for n in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(n)}\b", f"{n}_renamed", text)
    return text


def check(folder: Path, cache_home: Path, jobs: int) -> tuple[float, dict[str, str]]:
    t = time.perf_counter()
    out = subprocess.run([*prooflens(), "check", str(folder), "--jobs", str(jobs), "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(cache_home), "PATH": "/usr/bin:/bin"})
    elapsed = time.perf_counter() - t
    statuses: dict[str, str] = {}
    for f in json.loads(out.stdout)["files"]:
        for fn in f["functions"]:
            for c in fn["checks"]:
                name = fn["name"].removesuffix("_renamed")
                statuses[f"{Path(f['path']).name}:{name}:{c['id']}:{c['range']['start']['line']}"] = c["status"]
    return elapsed, statuses


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--programs", default="tests/programs")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="prooflens-qc-bench-"))
    try:
        original, moved = work / "original", work / "renamed"
        original.mkdir()
        moved.mkdir()
        for src in sorted((ROOT / a.programs).glob("*.c")):
            shutil.copyfile(src, original / src.name)
            (moved / src.name).write_text(renamed(src.read_text()))
        shared, empty = work / "cache-shared", work / "cache-empty"
        t_cold, base = check(original, shared, a.jobs)
        t_warm, warm = check(moved, shared, a.jobs)
        t_fresh, fresh = check(moved, empty, a.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    same = sum(1 for k, v in fresh.items() if warm.get(k) == v)
    print(f"{'run':58} {'wall s':>7}  checks")
    print(f"{'original corpus, empty cache':58} {t_cold:>7.1f}  {len(base)}")
    print(f"{'every function renamed, empty cache':58} {t_fresh:>7.1f}  {len(fresh)}")
    print(f"{'every function renamed, cache of the original (queries)':58} {t_warm:>7.1f}  {len(warm)}")
    print(f"answers equal with and without the query cache: {same}/{len(fresh)}")
    differ = sorted(k for k, v in fresh.items() if warm.get(k) != v)
    for k in differ[:20]:
        print(f"  differs: {k}: empty cache {fresh[k]}, query cache {warm.get(k)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
