"""assigns clauses against ground truth from outside the engine: random small functions over two
pointer parameters and a global, each with a random assigns clause, are compiled with gcc and
run in every calling context the precondition allows (separate buffers, and ``b`` pointing into
``a``'s buffer before, at and after ``a``) for every value of ``x`` that changes a branch. A
changed byte outside the listed locations is a violation.

A proved ``assigns.violated`` with an observed violation is a wrong proof; a refuted one must
replay (the prooflens harness fails) and, the generator's writes being the only changes, must
also be observed here. Seeded: the same programs on every run."""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from analysis.model import Status
from analysis.options import Options
from analysis.service import verify_text
from tests.corpus import replay
from tests.toolchain import asan_flags

A_LEN, B_LEN = 4, 2
LOCATIONS = ["a[0 .. 1]", "a[2 .. 3]", "a[1]", "*a", "*b", "b[0 .. 1]", "b[1]", "g", "a[0 .. 3]"]
PROGRAMS = 24


def _statement(rng: random.Random) -> str:
    i, j, k = rng.randrange(A_LEN), rng.randrange(B_LEN), rng.randint(-2, 2)
    write = rng.choice([f"a[{i}] = x;", f"b[{j}] = {k};", "g = x;", f"{{ int t = a[{i}]; a[{i}] = x; a[{i}] = t; }}",
                        f"a[{i}] = b[{j}];", f"b[{j}] = x;"])
    return f"  if (x > {k}) {write}" if rng.random() < 0.5 else f"  {write}"


def program(seed: int) -> tuple[str, list[str]]:
    """A function ``f`` and its assigns locations (empty: ``\\nothing``)."""
    rng = random.Random(seed)
    listed = rng.sample(LOCATIONS, rng.randint(0, 2))
    clause = ", ".join(listed) if listed else "\\nothing"
    body = "\n".join(_statement(rng) for _ in range(rng.randint(1, 3)))
    text = (f"int g;\n\n/*@ requires \\valid(a + (0 .. {A_LEN - 1})) && \\valid(b + (0 .. {B_LEN - 1}));\n"
            f"    assigns {clause}; */\nvoid f(int *a, int *b, int x) {{\n{body}\n}}\n")
    return text, listed


def _range(loc: str) -> str:
    """C for the byte range [start, end) of one location, read before the call."""
    if ".." in loc:
        base, bounds = loc.split("[")
        lo, hi = (s.strip() for s in bounds.rstrip("]").split(".."))
        return f"(char *)&{base}[{lo}], (char *)&{base}[{hi} + 1]"
    if loc == "g":
        return "(char *)&g, (char *)(&g + 1)"
    cell = loc if "[" in loc else f"{loc[1:]}[0]"
    return f"(char *)&{cell}, (char *)(&{cell} + 1)"


def oracle(text: str, listed: list[str]) -> str:
    """A main that tries every calling context and every x, and prints VIOLATION or OK."""
    ranges = "\n".join(f"    lo[n] = {_range(loc).split(', ')[0]}; hi[n++] = {_range(loc).split(', ')[1]};"
                       for loc in listed)
    return text + f"""
#include <stdio.h>
#include <string.h>
int main(void) {{
  static int buf[{A_LEN + B_LEN + 4}], other[{B_LEN}];
  for (int ctx = 0; ctx < 5; ctx++)
    for (int x = -4; x <= 4; x++) {{
      for (int k = 0; k < (int)(sizeof buf / sizeof buf[0]); k++) buf[k] = 100 + k;
      other[0] = 200; other[1] = 201; g = 300;
      int *a = buf + 2, *b = ctx == 0 ? other : buf + 2 + (ctx - 2);  /* b = a - 1, a, a + 1, a + 2 */
      char *lo[8], *hi[8]; int n = 0;
{ranges}
      static int before_buf[sizeof buf / sizeof buf[0]], before_other[{B_LEN}]; int before_g = g;
      memcpy(before_buf, buf, sizeof buf); memcpy(before_other, other, sizeof other);
      f(a, b, x);
      char *areas[3] = {{(char *)buf, (char *)other, (char *)&g}};
      char *copies[3] = {{(char *)before_buf, (char *)before_other, (char *)&before_g}};
      unsigned long sizes[3] = {{sizeof buf, sizeof other, sizeof g}};
      for (int r = 0; r < 3; r++)
        for (unsigned long i = 0; i < sizes[r]; i++) {{
          char *at = areas[r] + i; int ok = 0;
          for (int m = 0; m < n; m++) ok |= at >= lo[m] && at < hi[m];
          if (!ok && areas[r][i] != copies[r][i]) {{ printf("VIOLATION ctx=%d x=%d\\n", ctx, x); return 0; }}
        }}
    }}
  printf("OK\\n");
  return 0;
}}
"""


def observed(text: str, listed: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="prooflens-assigns-") as d:
        src, exe = Path(d) / "oracle.c", Path(d) / "oracle"
        src.write_text(oracle(text, listed))
        cc = subprocess.run(["gcc", "-std=gnu11", "-w", "-O0", *asan_flags(), str(src), "-o", str(exe)],
                            capture_output=True, text=True)
        assert cc.returncode == 0, cc.stderr[-2000:]
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and (run.stdout.strip() == "OK" or run.stdout.startswith("VIOLATION")), \
            run.stdout + run.stderr[-2000:]
        return run.stdout.startswith("VIOLATION")


def test_assigns_verdicts_agree_with_running_the_function(tmp_path: Path) -> None:
    counts = {"proved": 0, "refuted": 0, "unknown": 0}
    wrong = []
    for seed in range(PROGRAMS):
        text, listed = program(seed)
        path = tmp_path / f"assigns_{seed}.c"
        path.write_text(text)
        res = verify_text(text, str(path), Options())
        check = next(c for fn in res.functions for c in fn.checks if c.id == "assigns.violated")
        counts[check.status.value] += 1
        truth = observed(text, listed)
        if check.status is Status.PROVED and truth:
            wrong.append(f"seed {seed}: proved, but running it changes an unlisted location\n{text}")
        if check.status is Status.REFUTED:
            if not truth:
                wrong.append(f"seed {seed}: refuted, but no calling context shows a violation\n{text}")
            r = replay(text, path, "f", check, Options())
            if not r.reproduced:
                wrong.append(f"seed {seed}: the counterexample does not replay: {r.detail}\n{text}")
    assert not wrong, "\n\n".join(wrong)
    # the generator makes both kinds, and the engine decides most of them
    assert counts["proved"] >= 3 and counts["refuted"] >= 3, counts
