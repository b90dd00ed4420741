#!/usr/bin/env python3
"""Mutation campaign: flip one operator, comparison or constant of a proved program at a time,
verify the mutant, attack every "proved" check with concrete inputs and replay every "refuted"
counterexample. WRONG counts the mutants with a wrong answer; it must be 0.

The mutants and the judge are in tests/mutation.py (shared with tests/test_mutation.py).
Usage: python bench/mutation.py [--jobs N] [--limit PROGRAMS] [--max-mutants N] [--seed S]
                                [--timeout S] [--samples N] [--json OUT] [PATTERN]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mutation import Mutant, Outcome, all_mutants, corpus_files, evaluate, sample  # noqa: E402


def run_file(mutants: list[Mutant], timeout: float, samples: int) -> list[Outcome]:
    """All mutants of one program in one worker: the unchanged functions stay cached."""
    return [evaluate(m, timeout, samples) for m in mutants]


def table(outcomes: list[Outcome], programs: int, seconds: float) -> str:
    valid = [o for o in outcomes if o.valid]
    rows = [
        ("programs", programs),
        ("mutants", len(outcomes)),
        ("  not parsing / not compiling (skipped)", len(outcomes) - len(valid)),
        ("mutants with >=1 proved check", sum(o.proved > 0 for o in valid)),
        ("proved checks attacked", sum(o.proved for o in valid)),
        ("refuted checks replayed", sum(o.refuted for o in valid)),
        ("mutants killed (refuted or verdict changed)", sum(o.killed for o in valid)),
        ("mutants decided (no unknown check)", sum(o.decided for o in valid)),
        ("mutants with >=1 unknown check", sum(o.unknown > 0 for o in valid)),
        ("WRONG (must be 0)", sum(bool(o.wrong) for o in outcomes)),
        ("notes (UB without a check, timeouts)", sum(bool(o.notes) for o in valid)),
        ("time (s)", f"{seconds:.0f}"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"| {k:<{width}} | {v!s:>6} |" for k, v in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pattern", nargs="?", default="", help="only programs whose path contains this")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="at most this many programs (0: all)")
    ap.add_argument("--max-mutants", type=int, default=0, help="a seeded sample of this many mutants (0: all)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--timeout", type=float, default=2.0, help="per-check timeout (s)")
    ap.add_argument("--samples", type=int, default=100, help="concrete inputs per function")
    ap.add_argument("--no-bench", action="store_true", help="tests/programs only (not bench/svcomp-style)")
    ap.add_argument("--json", type=Path, help="write every outcome here")
    a = ap.parse_args()

    files = [f for f in corpus_files() if a.pattern in f.as_posix()]
    if a.no_bench:
        files = [f for f in files if f.parent.name == "programs"]
    mutants = all_mutants(files)
    if a.limit:
        keep = sorted({m.file for m in mutants})[:a.limit]
        mutants = [m for m in mutants if m.file in keep]
    if a.max_mutants:
        mutants = sample(mutants, a.max_mutants, a.seed)
    by_file: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_file.setdefault(m.file, []).append(m)
    print(f"{len(mutants)} mutants of {len(by_file)} programs, jobs={a.jobs}, timeout={a.timeout}s", flush=True)

    start = time.perf_counter()
    outcomes: list[Outcome] = []

    def report(done: list[Outcome]) -> None:
        outcomes.extend(done)
        for o in done:
            if o.wrong:
                print(f"WRONG {o.mutant.file} {o.mutant.function} {o.mutant.description}", flush=True)
                for w in o.wrong:
                    print(f"    {w}", flush=True)
            for n in o.notes:
                if o.valid:
                    print(f"note {o.mutant.file} {o.mutant.description}: {n[:300]}", flush=True)
        print(f"  [{len(outcomes)}/{len(mutants)}] {done[0].mutant.file if done else ''} "
              f"{time.perf_counter() - start:.0f}s", flush=True)

    if a.jobs <= 1:
        for chunk in by_file.values():
            report(run_file(chunk, a.timeout, a.samples))
    else:
        with ProcessPoolExecutor(max_workers=a.jobs) as pool:
            futures = [pool.submit(run_file, chunk, a.timeout, a.samples) for chunk in by_file.values()]
            for fut in as_completed(futures):
                report(fut.result())
    seconds = time.perf_counter() - start
    outcomes.sort(key=lambda o: (o.mutant.file, o.mutant.start, o.mutant.replacement))
    print()
    print(table(outcomes, len(by_file), seconds))
    if a.json:
        a.json.write_text(json.dumps([{"mutant": o.mutant.ident, "description": o.mutant.description,
                                       "valid": o.valid, "affected": o.affected, "proved": o.proved,
                                       "refuted": o.refuted, "unknown": o.unknown, "killed": o.killed,
                                       "wrong": o.wrong, "notes": o.notes, "seconds": round(o.seconds, 2)}
                                      for o in outcomes], indent=1))
    return 1 if any(o.wrong for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
