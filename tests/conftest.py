"""Session set-up shared by every test module."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def pytest_configure(config: object) -> None:
    # one verification cache per test session (shared by xdist workers through the environment)
    if "PROOFLENS_TEST_CACHE" not in os.environ:
        d = Path(tempfile.mkdtemp(prefix="prooflens-test-cache-"))
        os.environ["PROOFLENS_TEST_CACHE"] = str(d / "results.sqlite3")
