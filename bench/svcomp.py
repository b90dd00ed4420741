#!/usr/bin/env python3
"""Run `prooflens check --entry main --property P --format json` on bench/svcomp-style and print
the SV-COMP score: +2 correct true, +1 correct false, -32 wrong true, -16 wrong false, 0 unknown.

Each task is a separate process (as a competition run would be), with the persistent cache off.
Usage: python bench/svcomp.py [--timeout S] [--jobs N] [--json OUT] [PATTERN]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "bench" / "svcomp-style"
SCORE = {("true", "true"): 2, ("false", "false"): 1, ("true", "false"): -32, ("false", "true"): -16}


def expectation(c_file: Path) -> tuple[str, str]:
    fields = {}
    for line in c_file.with_suffix(".yml").read_text().splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields["property"], fields["expected"]


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def run_task(c_file: Path, timeout: float) -> dict[str, object]:
    prop, expected = expectation(c_file)
    cmd = prooflens() + ["check", str(c_file), "--entry", "main", "--property", prop, "--format", "json",
                         "--no-cache", "--timeout", str(timeout)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * 20 + 30)
        verdict = json.loads(p.stdout).get("verdict", "unknown")
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        verdict = "unknown"
    wall = time.perf_counter() - t0
    return {"task": c_file.stem, "property": prop, "expected": expected, "verdict": verdict,
            "score": SCORE.get((verdict, expected), 0), "seconds": round(wall, 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pattern", nargs="?", default="*")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per check")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    files = sorted(TASKS.glob(f"{a.pattern}.c"))
    with ThreadPoolExecutor(a.jobs) as pool:
        rows = list(pool.map(lambda f: run_task(f, a.timeout), files))
    print(f"{'task':40} {'property':13} {'expected':8} {'verdict':8} {'score':>5} {'s':>6}")
    for r in rows:
        mark = "" if r["verdict"] in (r["expected"], "unknown") else "   <-- WRONG"
        print(f"{r['task']:40} {r['property']:13} {r['expected']:8} {r['verdict']:8} {r['score']:>5} "
              f"{r['seconds']:>6.2f}{mark}")
    print()
    print(f"{'property':13} {'tasks':>5} {'correct T':>9} {'correct F':>9} {'wrong':>5} {'unknown':>7} {'score':>6}")
    for prop in sorted({str(r["property"]) for r in rows}) + ["all"]:
        sub = [r for r in rows if prop == "all" or r["property"] == prop]
        ct = sum(1 for r in sub if r["verdict"] == r["expected"] == "true")
        cf = sum(1 for r in sub if r["verdict"] == r["expected"] == "false")
        wrong = sum(1 for r in sub if r["verdict"] != "unknown" and r["verdict"] != r["expected"])
        unk = sum(1 for r in sub if r["verdict"] == "unknown")
        print(f"{prop:13} {len(sub):>5} {ct:>9} {cf:>9} {wrong:>5} {unk:>7} {sum(int(r['score']) for r in sub):>6}")
    decided = sum(1 for r in rows if r["verdict"] != "unknown")
    med = statistics.median(float(r["seconds"]) for r in rows) if rows else 0.0
    print(f"\ndecided {decided}/{len(rows)} ({100 * decided / max(1, len(rows)):.0f} %), "
          f"median {med:.2f} s per task (process wall, including interpreter start)")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))
    return 1 if any(r["verdict"] not in (r["expected"], "unknown") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
