#!/usr/bin/env python3
"""What the de Bruijn gate costs and how much it lets through.

Runs `prooflens check --format json --no-cache` on the annotated corpus (tests/programs) and on the
SV-COMP-style tasks (bench/svcomp-style, per function, as the editor sees them), then prints a
table: proved checks, certified (accepted by the independent checker), not certified (outside the
checker's fragment or out of its time), rejected (an engine argument the checker refutes: a bug),
and the checker's time per check and per function (median and worst).

Usage: python bench/certificates.py [--jobs N] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"corpus": ROOT / "tests" / "programs", "svcomp-style": ROOT / "bench" / "svcomp-style"}


def prooflens() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "prooflens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def run(path: Path, jobs: int, timeout: float) -> dict[str, object]:
    out = subprocess.run([*prooflens(), "check", str(path), "--format", "json", "--no-cache", "--jobs", str(jobs),
                          "--timeout", str(timeout)], capture_output=True, text=True, check=False)
    return json.loads(out.stdout)


def row(name: str, doc: dict[str, object]) -> tuple[list[str], list[str]]:
    proved = certified = limits = 0
    rejected: list[str] = []
    per_check: list[float] = []
    per_function: list[float] = []
    for f in doc["files"]:  # type: ignore[union-attr]
        for fn in f["functions"]:
            total = 0.0
            for c in fn["checks"]:
                reason = c.get("reason") or ""
                cert = c.get("certificate") or {}
                if c["status"] == "proved":
                    proved += 1
                if "checked_ms" in cert and c["status"] == "proved":
                    certified += 1
                    per_check.append(cert["checked_ms"])
                    total += cert["checked_ms"]
                if reason.startswith("not certified") or "no certificate" in reason:
                    limits += 1
                if reason.startswith("certificate rejected"):
                    rejected.append(f"{f['path']}:{c['range']['start']['line']} {fn['name']} {c['id']}: {reason}")
            if total:
                per_function.append(total)
    cells = [name, str(proved), str(certified), str(limits), str(len(rejected)),
             f"{statistics.median(per_check):.0f}" if per_check else "-", f"{max(per_check, default=0):.0f}",
             f"{statistics.median(per_function):.0f}" if per_function else "-", f"{max(per_function, default=0):.0f}"]
    return cells, rejected


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    head = ["set", "proved", "certified", "not certified", "rejected", "check median ms", "check worst ms",
            "function median ms", "function worst ms"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    bugs: list[str] = []
    for name, path in SETS.items():
        cells, rejected = row(name, run(path, args.jobs, args.timeout))
        print("| " + " | ".join(cells) + " |", flush=True)
        bugs += rejected
    for b in bugs:
        print("REJECTED " + b)
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
