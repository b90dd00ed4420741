"""Emacs eglot with the project's package (editors/emacs/prooflens.el), in batch mode, against
the real server on examples/seed.c (editors/emacs/test/prooflens-test.el): diagnostics, the
per-function status from the server's Hint diagnostics (flymake notes + lines drawn above each
function + mode-line summary), the counterexample, an edit that breaks g and one that mends it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT, tool

pytestmark = pytest.mark.editors
EL = ROOT / "editors" / "emacs" / "prooflens.el"


def _eglot_available(emacs: str, env: dict[str, str]) -> bool:
    p = subprocess.run([emacs, "--batch", "--eval", "(kill-emacs (if (require 'eglot nil t) 0 3))"],
                       env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return p.returncode == 0


def test_prooflens_el_byte_compiles_cleanly(editor_env, tmp_path):
    emacs = tool("emacs")
    if not _eglot_available(emacs, editor_env):
        from .conftest import unavailable
        unavailable("eglot (elpa-eglot)")
    src = tmp_path / "prooflens.el"
    shutil.copyfile(EL, src)
    p = subprocess.run([emacs, "--batch", "--eval", "(setq byte-compile-error-on-warn t)",
                        "-f", "batch-byte-compile", str(src)],
                       env=editor_env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr[-3000:]
    assert (tmp_path / "prooflens.elc").exists()


def test_emacs_eglot_end_to_end(server_exe, editor_env, seed_copy):
    emacs = tool("emacs")
    if not _eglot_available(emacs, editor_env):
        from .conftest import unavailable
        unavailable("eglot (elpa-eglot)")
    script = ROOT / "editors" / "emacs" / "test" / "prooflens-test.el"
    env = {**editor_env, "SERVER": server_exe, "FILE": str(seed_copy), "TIMEOUT": "90"}
    # no -Q: Debian's site-start puts elpa-eglot on the load path
    p = subprocess.run([emacs, "--batch", "-l", str(script)], env=env, capture_output=True, text=True,
                       timeout=600, stdin=subprocess.DEVNULL)
    out = p.stdout + p.stderr
    print(out)
    assert p.returncode == 0, f"emacs exited {p.returncode}:\n{out[-3000:]}"
    assert "ALL OK" in out
    for step in ("ok diagnostic", "ok lenses", "ok flymake note", "ok summary", "ok counterexample",
                 "ok broken g", "ok mended g"):
        assert step in out, f"step {step!r} missing:\n{out[-3000:]}"
