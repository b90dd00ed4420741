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
