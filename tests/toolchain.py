"""What the tests need from the machine beyond what the README installs (``gcc -m32``, Debian's
gcc-multilib, to replay counterexamples found under the ILP32 data model; gcc for the campaign;
the real editors), and the one rule for a missing one.

A machine without it skips those replays and says why; under ``CI=true`` the same absence is a
failure, since CI installs everything (`.ci/run`) and a skip there would hide a lost check.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# pretend gcc -m32 is missing (to try the skip path on a machine that has it)
HIDE_M32 = "PROOFLENS_TEST_WITHOUT_M32"


@functools.cache
def m32_builds() -> bool:
    """Does ``gcc -m32 -fsanitize=undefined`` build and link a program here?"""
    if os.environ.get(HIDE_M32) == "1" or shutil.which("gcc") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="prooflens-m32-") as d:
        src = Path(d) / "probe.c"
        src.write_text("#include <stdio.h>\nint main(void) { return printf(\"\") ; }\n")
        try:
            cc = subprocess.run(["gcc", "-m32", "-fsanitize=undefined", str(src), "-o", str(Path(d) / "probe")],
                                capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return cc.returncode == 0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(what: str, hint: str) -> None:
    """A prerequisite is missing: a failure under CI=true, a skip (with the reason) elsewhere."""
    msg = f"{what} is not available ({hint})"
    if in_ci():
        pytest.fail(f"CI=true: {msg}", pytrace=False)
    pytest.skip(msg)


def m32_flags(data_model: str) -> list[str]:
    """gcc's flags for the data model; an ILP32 replay first requires ``gcc -m32``."""
    if data_model != "ILP32":
        return []
    if not m32_builds():
        unavailable("gcc -m32", "Debian: apt install gcc-multilib")
    return ["-m32"]


# the flags that replay a counterexample with memory: AddressSanitizer finds the bad access, UBSan the rest
ASAN_FLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-builtin", "-g"]


@functools.cache
def asan_runs(m32: bool = False) -> bool:
    """Does ``gcc -fsanitize=address,undefined`` build a program here that then runs?
    (AddressSanitizer's runtime needs libasan, and -m32 its 32-bit build.)"""
    if shutil.which("gcc") is None or (m32 and not m32_builds()):
        return False
    with tempfile.TemporaryDirectory(prefix="prooflens-asan-") as d:
        src, exe = Path(d) / "probe.c", Path(d) / "probe"
        src.write_text("#include <stdlib.h>\nint main(void) { free(malloc(1)); return 0; }\n")
        try:
            cc = subprocess.run(["gcc", *(["-m32"] if m32 else []), *ASAN_FLAGS, str(src), "-o", str(exe)],
                                capture_output=True, timeout=60)
            return cc.returncode == 0 and subprocess.run([str(exe)], capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


def asan_flags(data_model: str = "LP64") -> list[str]:
    """gcc's flags for a replay under AddressSanitizer and UBSan in the data model."""
    flags = m32_flags(data_model)
    if not asan_runs(bool(flags)):
        unavailable("gcc -fsanitize=address" + (" -m32" if flags else ""),
                    "Debian: apt install gcc" + (" gcc-multilib" if flags else ""))
    return [*flags, *ASAN_FLAGS]
