"""The tests' own requirements (tests/toolchain.py): a missing tool skips with its reason on a
developer's machine and fails under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import toolchain


def test_missing_tool_skips_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="gcc-multilib"):
        monkeypatch.setattr(toolchain, "m32_builds", lambda: False)
        toolchain.m32_flags("ILP32")


def test_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(toolchain, "m32_builds", lambda: False)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        toolchain.m32_flags("ILP32")


def test_lp64_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolchain, "m32_builds", lambda: False)
    assert toolchain.m32_flags("LP64") == []


@pytest.mark.parametrize("ci", [False, True])
def test_ilp32_replays_without_m32(ci: bool) -> None:
    """On a machine without gcc -m32 (simulated), an ILP32 corpus program's replay test skips and
    says why; under CI=true it fails instead."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env[toolchain.HIDE_M32] = "1"
    if ci:
        env["CI"] = "true"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist", "-rs",
                          "tests/test_programs.py", "-k", "test_counterexamples_replay and trap_long_ilp32"],
                         capture_output=True, text=True, env=env, timeout=600, cwd=toolchain.ROOT)
    if ci:
        assert run.returncode == 1 and "1 failed" in run.stdout and "CI=true" in run.stdout, run.stdout[-3000:]
    else:
        assert run.returncode == 0 and "1 skipped" in run.stdout and "gcc-multilib" in run.stdout, run.stdout[-3000:]
