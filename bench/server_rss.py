#!/usr/bin/env python3
"""Server memory over a long editing session (issue 6): the real server on examples/seed.c plus a
~50 KB comment, then N edits that each change g's meaning (each needs a worker; most jobs are
cancelled by the next edit). Prints the server's RSS after warm-up, after N/2 and N edits, its
peak (VmHWM), its child processes, and the work done.

Usage: ``python bench/server_rss.py [--edits 1000] [--debounce 0]``. Not a timed test: it prints
figures and never fails. ``tests/e2e/test_robustness.py`` asserts the bounds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from lsp_client import Client, lens_title  # noqa: E402

PENDING = ("verifying", "stale", "…", "...")
FILLER = "/* " + "\n".join(f" * filler line {i}: " + "lorem ipsum dolor sit amet " * 2 for i in range(800)) + " */\n"
GUARD = "if (y > 0)"


def memory_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(rest.split()[0])
    return out


def settle(c: Client, uri: str, n: int, timeout: float = 120) -> None:
    """Until every function's lens is final (polled: this client has no notification waits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        titles = [lens_title(lens) for lens in c.code_lenses(uri)]
        if len(titles) >= n and not any(p in t for t in titles for p in PENDING):
            return
        time.sleep(0.05)
    raise TimeoutError("lenses still pending")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--debounce", type=int, default=0, help="debounceMs (0: a job per edit)")
    args = ap.parse_args()
    seed = (ROOT / "examples" / "seed.c").read_text()
    text = seed + FILLER
    work = Path(tempfile.mkdtemp(prefix="prooflens-rss-"))
    path = work / "mem.c"
    path.write_text(text)
    uri = path.as_uri()
    lines = seed.split("\n")
    line = next(i for i, s in enumerate(lines) if GUARD in s)
    col = lines[line].index(GUARD) + len("if (y > ")
    py = ROOT / ".venv" / "bin" / "python"
    c = Client([str(py) if py.exists() else sys.executable, "-m", "server"], ROOT,
               {"XDG_CACHE_HOME": str(work / "cache")})
    rows: list[tuple[str, Any]] = []
    kids: list[int] = []
    try:
        c.initialize(ROOT, options={"timeout": 2, "debounceMs": args.debounce})
        c.open(uri, text)
        settle(c, uri, 4)
        current, version = "0", 1

        def edit(n: int) -> None:
            nonlocal current, version
            for _ in range(n):
                version += 1
                new = str(version)
                c.change_range(uri, version, (line, col), (line, col + len(current)), new)
                current = new
                if version % 10 == 0:
                    c.request("prooflens/stats", None)
            settle(c, uri, 4)

        edit(100)  # warm-up: workers, caches, allocator arenas
        start = memory_kb(c.proc.pid)["VmRSS"]
        t = time.monotonic()
        edit(args.edits // 2)
        half = memory_kb(c.proc.pid)["VmRSS"]
        edit(args.edits - args.edits // 2)
        elapsed = time.monotonic() - t
        mem = memory_kb(c.proc.pid)
        stats = c.request("prooflens/stats", None)
        kids = c.children()
        rows = [("RSS after warm-up (100 edits)", f"{start / 1024:.1f} MB"),
                (f"RSS after {args.edits // 2:,} more edits", f"{half / 1024:.1f} MB"),
                (f"RSS after {args.edits:,} edits", f"{mem['VmRSS'] / 1024:.1f} MB"),
                ("growth per 1,000 edits", f"{(mem['VmRSS'] - start) / 1024 * 1000 / args.edits:.1f} MB"),
                ("peak RSS (VmHWM)", f"{mem['VmHWM'] / 1024:.1f} MB"),
                ("child processes", len(kids)),
                ("jobs dispatched / cancelled", f"{stats['dispatched']} / {stats['cancelled']}"),
                ("protocol futures held", stats.get("protocolFutures", "n/a")),
                (f"time for {args.edits:,} edits", f"{elapsed:.1f} s")]
    finally:
        c.close()
    time.sleep(1.0)
    left = [k for k in kids if Path(f"/proc/{k}").exists()]
    rows.append(("children 1 s after exit", len(left)))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
