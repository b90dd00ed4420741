"""Differential soundness check: every "proved" is attacked with concrete inputs.

For each program of the corpus and of bench/svcomp-style, a fuzzing harness calls every
function with scalar parameters on boundary and random inputs (one forked child per input,
with a time limit), compiled with `gcc -fsanitize=undefined -fsanitize-recover=all`. Any
sanitizer report, failed assert or reached error function at a check that prooflens proved
is a soundness bug and fails the test.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from analysis.model import Status
from analysis.options import Options
from tests.corpus import PROGRAMS, expectations, verified
from tests.fuzz_support import SAMPLES, UBSAN_KINDS, compile_fuzz, fuzz_harness

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "svcomp-style"
FILES = sorted(PROGRAMS.glob("*.c")) + sorted(BENCH.glob("*.c"))
def violations(path: Path) -> tuple[list[str], int]:
    text = path.read_text()
    options = expectations(path).options if path.parent == PROGRAMS else Options()
    result = verified(path, options)
    built = fuzz_harness(text, path, result, options)
    if built is None:
        return [], 0
    code, names = built
    by_fn = {f.name: f for f in result.functions}
    found: list[str] = []
    attacked = 0
    with tempfile.TemporaryDirectory(prefix="prooflens-fuzz-") as d:
        exe, errors = compile_fuzz(code, path, options, Path(d))
        if exe is None:
            if options.data_model == "ILP32":
                return [], 0  # no 32-bit toolchain here: nothing to attack with
            if not _is_c(path):
                return [], 0  # a program gcc itself rejects (unknown_invalid_switch.c): nothing to run
            raise AssertionError(f"fuzz harness for {path.name} does not compile:\n{errors[-1500:]}")
        for i, name in enumerate(names):
            fn = by_fn.get(name)
            if fn is None:
                continue
            proved = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is Status.PROVED}
            open_ = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is not Status.PROVED}
            attacked += len(proved)
            try:
                run = subprocess.run([str(exe), str(i)], capture_output=True, text=True, timeout=SAMPLES * 1.2 + 30)
            except subprocess.TimeoutExpired:
                continue
            for m in re.finditer(rf"{re.escape(path.name)}:(\d+):\d+: runtime error: ([^\n]*)", run.stderr):
                line, msg = int(m.group(1)), m.group(2)
                kind = next((k for needle, k in UBSAN_KINDS if needle in msg), None)
                if kind and (line, kind) in proved and (line, kind) not in open_:
                    found.append(f"{path.name}:{line} {name}: proved {kind}, but: {msg}")
            all_checks = {c.kind.value: c.status for c in fn.checks}
            if "PLFAIL reach" in run.stderr and all(c.status is Status.PROVED for c in fn.checks
                                                     if c.kind.value == "reach-error") and "reach-error" in all_checks:
                found.append(f"{path.name} {name}: reach-error proved unreachable, but reached")
            if "PLFAIL vassert" in run.stderr and all(c.status is Status.PROVED for c in fn.checks
                                                       if c.kind.value == "assert") and "assert" in all_checks:
                found.append(f"{path.name} {name}: asserts proved, but one failed")
    return found, attacked


def _is_c(path: Path) -> bool:
    """Whether gcc accepts the program itself (so that a harness that does not build is our bug)."""
    return subprocess.run(["gcc", "-fsyntax-only", "-x", "c", str(path)], capture_output=True).returncode == 0


TOTALS: Counter[str] = Counter()


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_no_proved_check_fails_on_concrete_inputs(path: Path) -> None:
    found, attacked = violations(path)
    TOTALS["attacked"] += attacked
    assert not found, "\n".join(found)
