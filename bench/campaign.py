"""Differential soundness campaign: random C programs, ground truth from running them.

    python bench/campaign.py --programs N --seed S --jobs J [--timeout T] [--out DIR]

bench/campaign_gen.py generates N UB-free, terminating programs (one function per file) and
the truth of each of their asserts (from compiled runs: one run for `void f(void)`, every input
of the guarded domain for input-taking functions). Then `prooflens check FILE... --format json
--no-cache --timeout T` verifies them, and every answer is compared with the truth:

- an assert proved but false, or refuted but true, is WRONG;
- any other check (overflow, bounds, termination...) refuted is WRONG: each program ran clean
  under UBSan and terminated on its whole (exhaustively enumerated) input domain;
- unknown is never wrong.

The programs, their truth (NAME.json) and the wrong answers (wrong.json) are written under
--out (default bench/campaign-out/, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import campaign_gen as cg  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "campaign-out"


@dataclass
class Wrong:
    program: str  # path of the saved program
    function: str
    check: str
    line: int
    answer: str  # prooflens's status
    truth: str  # "true" / "false" for an assert, "clean run" for other checks
    detail: str = ""


@dataclass
class Tally:
    programs: int = 0
    asserts: int = 0
    proved: int = 0
    refuted: int = 0
    unknown: int = 0
    missing: int = 0  # asserts of the program that prooflens did not report
    other_checks: int = 0
    other_refuted: int = 0
    errors: int = 0
    timeouts: int = 0  # files killed after the wall-clock limit (all their asserts unknown)
    wrong: list[Wrong] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.proved + self.refuted

    def add(self, other: Tally) -> None:
        for k in ("programs", "asserts", "proved", "refuted", "unknown", "missing", "other_checks",
                  "other_refuted", "errors", "timeouts"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.wrong += other.wrong


def prooflens_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "prooflens"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("prooflens")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from analysis.cli import main; sys.exit(main())"]


def run_prooflens(files: Sequence[Path], timeout: float, wall: float, jobs: int = 1) -> dict[str, Any] | None:
    """prooflens's JSON for some files, by resolved path (an argument list, never a shell).

    None when the whole invocation took longer than `wall` seconds (the per-check --timeout does
    not bound a file's total time): it is killed, with its process group, and counts as unknown."""
    cmd = [*prooflens_cmd(), "check", *map(str, files), "--format", "json", "--no-cache",
           "--timeout", str(timeout), "--jobs", str(jobs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=wall)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    if proc.returncode not in (0, 1, 2):
        raise RuntimeError(f"prooflens exited with {proc.returncode}: {err[-2000:]}")
    data = json.loads(out)
    return {str(Path(f["path"]).resolve()): f for f in data["files"]}


def compare(program: cg.Program, file_result: dict[str, Any], path: str) -> Tally:
    """Compare prooflens's answers for one program file with the program's ground truth."""
    t = Tally(programs=1, asserts=len(program.truth))
    if file_result.get("errors"):
        t.errors += len(file_result["errors"])
    seen: set[int] = set()
    for fn in file_result.get("functions", []):
        if fn["name"] != program.func:
            continue  # helpers are verified for arbitrary arguments: no ground truth
        t.errors += len(fn.get("errors") or [])
        for c in fn["checks"]:
            line = int(c["range"]["start"]["line"])
            status = c["status"]
            if c["id"] == "assert.violated":
                truth = program.truth.get(line)
                if truth is None:
                    t.wrong.append(Wrong(path, fn["name"], c["id"], line, status, "?",
                                         "assert check on a line without a generated assert"))
                    continue
                seen.add(line)
                if status == "proved":
                    t.proved += 1
                    if not truth:
                        t.wrong.append(Wrong(path, fn["name"], c["id"], line, status, "false",
                                             f"reached {program.reached.get(line, 0)} time(s)"))
                elif status == "refuted":
                    t.refuted += 1
                    if truth:
                        cex = c.get("counterexample") or {}
                        t.wrong.append(Wrong(path, fn["name"], c["id"], line, status, "true",
                                             f"counterexample inputs {cex.get('inputs')}"))
                else:
                    t.unknown += 1
            else:
                t.other_checks += 1
                if status == "refuted" and program.ub_free and program.exhaustive:
                    t.other_refuted += 1
                    cex = c.get("counterexample") or {}
                    t.wrong.append(Wrong(path, fn["name"], c["id"], line, status, "clean run",
                                         f"{c.get('message')}; counterexample inputs {cex.get('inputs')}"))
    missing = set(program.truth) - seen
    t.missing += len(missing)
    t.unknown += len(missing)
    return t


def generate_all(n: int, seed: int, jobs: int, out: Path,
                 small: bool = False) -> tuple[list[tuple[cg.Program, Path]], dict[str, int]]:
    progdir = out / "programs"
    progdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="campaign-gen-"))
    discards: dict[str, int] = {}
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda i: cg.generate(seed, work, i, small=small), range(n)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progs: list[tuple[cg.Program, Path]] = []
    for prog, d in results:
        for k, v in d.items():
            discards[k] = discards.get(k, 0) + v
        if prog is None:
            discards["gave-up"] = discards.get("gave-up", 0) + 1
            continue
        path = progdir / f"{prog.name}.c"
        path.write_text(prog.source)
        path.with_suffix(".json").write_text(json.dumps(asdict(prog), indent=1))
        progs.append((prog, path))
    return progs, discards


def verify_all(progs: list[tuple[cg.Program, Path]], jobs: int, timeout: float, wall: float,
               batch: int = 1, progress: bool = False) -> Tally:
    """Run prooflens over the programs (a pool of `jobs` prooflens processes, `batch` files each)."""
    chunks = [progs[i:i + batch] for i in range(0, len(progs), batch)]
    done = [0]

    def one(chunk: list[tuple[cg.Program, Path]]) -> Tally:
        t = Tally()
        t0 = time.monotonic()
        res = run_prooflens([p for _, p in chunk], timeout, wall * len(chunk))
        done[0] += len(chunk)
        if progress:
            print(f"[{done[0]}/{len(progs)}] {' '.join(p.name for _, p in chunk)} {time.monotonic() - t0:.1f}s"
                  f"{' (killed at the wall-clock limit)' if res is None else ''}", file=sys.stderr, flush=True)
        for prog, path in chunk:
            fr = None if res is None else res.get(str(path.resolve()))
            path.with_suffix(".prooflens.json").write_text(json.dumps(fr, indent=1))
            if fr is None:
                t.add(Tally(programs=1, asserts=len(prog.truth), unknown=len(prog.truth),
                            timeouts=int(res is None), errors=int(res is not None)))
                continue
            t.add(compare(prog, fr, str(path)))
        return t

    total = Tally()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for t in pool.map(one, chunks):
            total.add(t)
    return total


def table(t: Tally, seconds: float) -> str:
    head = ["programs", "asserts", "decided", "proved", "refuted", "unknown", "wrong", "time"]
    row = [str(t.programs), str(t.asserts), str(t.decided), str(t.proved), str(t.refuted), str(t.unknown),
           str(len(t.wrong)), f"{seconds:.0f}s"]
    w = [max(len(a), len(b)) for a, b in zip(head, row, strict=True)]
    lines = ["  ".join(a.rjust(n) for a, n in zip(head, w, strict=True)),
             "  ".join(b.rjust(n) for b, n in zip(row, w, strict=True))]
    lines.append(f"(other checks: {t.other_checks}, of which refuted: {t.other_refuted}; asserts not reported: "
                 f"{t.missing}; files killed at the wall-clock limit: {t.timeouts}; parse/file errors: {t.errors})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=2.0, help="prooflens --timeout (seconds per check)")
    ap.add_argument("--wall", type=float, default=60.0, help="wall-clock limit per file (s); then all unknown")
    ap.add_argument("--batch", type=int, default=1, help="files per prooflens invocation")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--small", action="store_true", help="smaller programs (the CI sample's size)")
    args = ap.parse_args(argv)
    if not cg.gcc_available():
        print("gcc not found: the campaign needs it for the ground truth", file=sys.stderr)
        return 3
    start = time.monotonic()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    progs, discards = generate_all(args.programs, args.seed, args.jobs, out, args.small)
    gen_s = time.monotonic() - start
    total = verify_all(progs, args.jobs, args.timeout, args.wall, args.batch, progress=True)
    seconds = time.monotonic() - start
    print(table(total, seconds))
    print(f"(generation and oracle runs: {gen_s:.0f}s; discarded tries: {discards or 'none'})")
    for w in total.wrong:
        print(f"WRONG {w.program}:{w.line} {w.function} {w.check}: prooflens {w.answer}, truth {w.truth}"
              f" ({w.detail})")
    (out / "wrong.json").write_text(json.dumps([asdict(w) for w in total.wrong], indent=1))
    return 1 if total.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
