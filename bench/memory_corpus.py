#!/usr/bin/env python3
"""The memory model on the realistic corpus (tests/programs/mem_*.c, and the slow ones in
bench/memory-corpus/: a tokenizer, a JSON reader,
base64, a ring buffer, string utilities, a linked list, a hash set, an arena, crypto rounds,
packets), as a user runs it: one cold `prooflens check --format json --no-cache` per file.

Prints one row per file and a total: functions, checks, decided (proved or refuted), memory
checks and how many were decided, preconditions inferred (functions with a non-empty
`inferred_requires`), wall time, the slowest function, and how many of the file's `//::`
annotations the answers disagree with (the slow programs' expectations are checked here).

`--copies K` instead runs one cold `prooflens check` over K copies of the whole corpus (each copy
in its own directory, so nothing clashes), the issue's "pointer-heavy 3,000 lines of about 100
functions, every lens from a cold cache": lines, functions, checks, share decided and wall time.

Usage: python bench/memory_corpus.py [--jobs N] [--timeout S] [--copies K] [FILE.c ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def measure(path: Path, jobs: int, timeout: float) -> list[Any]:
    t0 = time.perf_counter()
    out = subprocess.run([*prooflens(), "check", str(path), "--format", "json", "--no-cache", "--jobs", str(jobs),
                          "--timeout", str(timeout)], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    doc = json.loads(out.stdout)
    fns = [fn for f in doc["files"] for fn in f["functions"]]
    return [*_row(path.name if path.is_dir() else path.stem, fns, wall), *([] if path.is_dir() else [_off(path, fns)])]


def _off(path: Path, fns: list[dict[str, Any]]) -> str:
    """How many of the file's ``//::`` annotations the run disagrees with (a check annotated
    proved/refuted/unknown that got another answer, or an unannotated one not proved), with the
    first few: the slow programs' expectations are checked here, not by the test suite. A timing-
    dependent answer (a proof near the timeout) may differ on a loaded machine."""
    sys.path.insert(0, str(ROOT))
    from tests.corpus import expectations

    got: dict[tuple[str, int], list[str]] = {}
    for fn in fns:
        for c in fn["checks"]:
            got.setdefault((c["id"], c["range"]["start"]["line"]), []).append(c["status"])

    def status(statuses: list[str]) -> str:
        return "refuted" if "refuted" in statuses else "proved" if all(x == "proved" for x in statuses) else "unknown"

    want = expectations(path).checks
    off = [f"{cid}@{line}: {status(got[(cid, line)]) if (cid, line) in got else 'absent'} not {w}"
           for (cid, line), w in want.items() if (cid, line) not in got or status(got[(cid, line)]) != w]
    off += [f"{cid}@{line}: {status(st)}" for (cid, line), st in got.items()
            if (cid, line) not in want and status(st) != "proved"]
    return str(len(off)) + (f" ({'; '.join(off[:3])})" if off else "")


def _row(name: str, fns: list[dict[str, Any]], wall: float) -> list[Any]:
    checks = [c for fn in fns for c in fn["checks"]]
    mem = [c for c in checks if c["id"].startswith("memory.")]
    decided = sum(c["status"] in ("proved", "refuted") for c in checks)
    mem_decided = sum(c["status"] in ("proved", "refuted") for c in mem)
    inferred = sum(bool(fn.get("inferred_requires")) for fn in fns)
    slowest = max(fns, key=lambda fn: fn.get("time_ms") or 0.0, default=None)
    slow = f"{slowest['name']} {slowest['time_ms'] / 1000:.1f} s" if slowest else "-"
    return [name, len(fns), len(checks), decided, len(mem), mem_decided, inferred, wall, slow]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--copies", type=int, default=0, metavar="K")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or [*sorted((ROOT / "tests" / "programs").glob("mem_*.c")),
                           *sorted((ROOT / "bench" / "memory-corpus").glob("mem_*.c"))]
    if args.copies:
        with tempfile.TemporaryDirectory(prefix="prooflens-bench-") as d:
            lines = 0
            for k in range(args.copies):
                where = Path(d) / f"copy{k}"
                where.mkdir()
                for f in files:
                    for h in f.parent.glob("*.h"):  # the corpus's own headers, if any
                        shutil.copy(h, where / h.name)
                    shutil.copy(f, where / f.name)
                    lines += f.read_text().count("\n")
            r = measure(Path(d), args.jobs, args.timeout)
        share = 100.0 * r[3] / r[2] if r[2] else 0.0
        print("copies | lines | functions | checks | decided | memory | mem decided | requires | wall s | slowest")
        print(f"{args.copies} | {lines} | {r[1]} | {r[2]} | {r[3]} ({share:.0f} %) | {r[4]} | {r[5]} | {r[6]} | "
              f"{r[7]:.1f} | {r[8]}")
        return 0
    head = ["file", "functions", "checks", "decided", "memory", "mem decided", "requires", "wall s", "slowest",
            "off annotations"]
    print(" | ".join(head))
    rows = []
    for path in files:
        r = measure(path, args.jobs, args.timeout)
        rows.append(r)
        print(" | ".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in r), flush=True)
    tot = [sum(r[k] for r in rows) for k in range(1, 8)]  # type: ignore[misc]
    share = 100.0 * tot[2] / tot[1] if tot[1] else 0.0
    mshare = 100.0 * tot[4] / tot[3] if tot[3] else 0.0
    print(f"total | {tot[0]} functions | {tot[1]} checks | {tot[2]} decided ({share:.0f} %) | {tot[3]} memory, "
          f"{tot[4]} decided ({mshare:.0f} %) | {tot[5]} preconditions inferred | {tot[6]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
