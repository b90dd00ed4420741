"""Shared set-up of the real-editor tests: the server executable, isolated editor dirs, and
the rule that a missing editor fails the run in CI (CI=true) and is only skipped elsewhere.

Everything these tests need is installed by `.ci/install-editors.sh` (apt: neovim, emacs-nox,
elpa-eglot, chromium; node 24 + code-server cached under ~/.cache/prooflens-ci)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import toolchain

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.c"
ARTIFACTS = ROOT / "artifacts"
INSTALL_HINT = "run .ci/install-editors.sh"

pytestmark = pytest.mark.editors


def unavailable(what: str, hint: str = INSTALL_HINT) -> None:
    """A prerequisite is missing: a failure in CI, a skip on a developer's machine."""
    toolchain.unavailable(what, hint)


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        unavailable(f"`{name}`")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def server_exe() -> str:
    """The prooflens executable the editors start (`.venv/bin/prooflens`, as `make` builds it)."""
    override = os.environ.get("PROOFLENS_SERVER")
    exe = Path(override) if override else ROOT / ".venv" / "bin" / "prooflens"
    if not exe.exists():
        unavailable(f"the prooflens server {exe}", "run `make demo` or `make test` first")
    return str(exe)


@pytest.fixture
def editor_env(tmp_path: Path) -> dict[str, str]:
    """Environment with HOME and the XDG dirs in a temp dir: no logs, shada, swap files or
    prooflens cache outside it, and a cold verification cache for every test."""
    home = tmp_path / "home"
    env = dict(os.environ)
    env.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(tmp_path),
    })
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return env


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A copy of examples/seed.c in its own folder, for the editors to open, edit and save."""
    ws = tmp_path / "ws"
    ws.mkdir()
    dst = ws / "seed.c"
    shutil.copyfile(SEED, dst)
    return dst


def ci_cache() -> Path:
    return Path(os.environ.get("PROOFLENS_CI_CACHE") or Path.home() / ".cache" / "prooflens-ci")
