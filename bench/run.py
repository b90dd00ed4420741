#!/usr/bin/env python3
"""CLI speed, as a user sees it: process wall time of `prooflens check`, median of 5.

Rows: the seed file cold (no cache) and warm (persistent cache), and the test corpus
(every program, --jobs 2, no cache). Prints a table; the targets are in the README.
Usage: python bench/run.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def wall(args: list[str], runs: int, env_cache: str) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(prooflens() + args, cwd=ROOT, capture_output=True,
                       env={"XDG_CACHE_HOME": env_cache, "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - t)
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="prooflens-bench-cache-")
    seed = "examples/seed.c"
    rows = [
        ("seed.c, no cache", wall(["check", seed, "--no-cache", "--format", "json"], a.runs, cache)),
        ("seed.c, persistent cache", wall(["check", seed, "--format", "json"], a.runs + 1, cache)[1:]),
        ("tests/programs (all), --jobs 2, no cache",
         wall(["check", "tests/programs", "--no-cache", "--jobs", "2", "--format", "json"], max(1, a.runs // 5),
              cache)),
    ]
    print(f"{'what':45} {'median s':>9} {'min s':>7} {'max s':>7}  runs")
    for name, ts in rows:
        print(f"{name:45} {statistics.median(ts):>9.3f} {min(ts):>7.3f} {max(ts):>7.3f}  {len(ts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
