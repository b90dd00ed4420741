"""Code that runs inside the verification worker processes (never on the server's loop).

The server process imports this module only to name its functions for the pool (pickled by
reference); nothing here imports z3 or pycparser at import time. In a worker, ``initialize``
makes the process safe to kill and quiet on stdout (stdout is the LSP channel of the server
whose descriptors the worker inherited), then pre-imports the engine so that the first job
does not pay for ``import z3``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Any


def protect_stdout() -> None:
    """Point fd 1 at stderr: a stray print in a worker must not corrupt the LSP stream."""
    with contextlib.suppress(OSError):
        os.dup2(2, 1)
    with contextlib.suppress(Exception):
        sys.stdout = sys.stderr


def die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (no orphaned solver after a crash)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def watch_server(pid: int, every_s: float = 0.5) -> None:
    """Exit when the server process ``pid`` is gone. The worker's parent is the fork server, not the
    server, so the death signal alone let a killed server's workers solve on for half a minute."""
    import threading
    import time

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # (alive, owned by another user)
        try:  # a killed server its editor has not reaped yet is a zombie: gone all the same
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
                return f.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X")
        except OSError:
            return False

    def watch() -> None:
        while not gone():
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="prooflens-watch-server", daemon=True).start()


def warm() -> bool:
    """Import the engine now (z3 and pycparser); False while the engine is not importable."""
    try:
        import analysis.engine  # noqa: F401
        import analysis.service  # noqa: F401
    except Exception:  # noqa: BLE001 - a broken engine is reported per job, not here
        return False
    return True


def initialize(server_pid: int | None = None) -> None:
    """Pebble worker initializer."""
    protect_stdout()
    # pebble installs a Python SIGTERM handler, which cannot run while z3 holds the thread in C:
    # the default action kills at once, so cancelling a job kills its process immediately.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if server_pid is not None:
        watch_server(server_pid)
    with contextlib.suppress(OSError):
        os.nice(2)  # the server's loop (keystrokes) comes first, without starving the solver on a busy machine
    warm()


def ping() -> int:
    """A no-op job that proves the pool is up."""
    return os.getpid()


def make_harness(text: str, path: str, function: str, check: dict[str, Any], options: Any) -> str:
    """Build the C test harness for a refuted check (in a worker: test generation may parse C)."""
    from analysis.model import CheckResult
    from analysis.testgen import harness_for

    return harness_for(text, path, function, CheckResult.from_json(check), options)
