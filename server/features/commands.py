"""workspace/executeCommand: re-verify a function or a file, write or run a generated test.

``prooflens.runTest`` compiles and runs a file of C code: it only ever runs when the user
invokes it, with a time limit, without a shell, in a temporary directory.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from . import code_actions
from .code_lens import VERIFY_FILE, VERIFY_FUNCTION

if TYPE_CHECKING:
    from ..app import ProoflensServer

log = logging.getLogger(__name__)

COMMANDS = (VERIFY_FUNCTION, VERIFY_FILE, code_actions.GENERATE_TEST, code_actions.RUN_TEST)
RUN_TIMEOUT = 10.0


def _path_of(arg: Any) -> Path | None:
    if isinstance(arg, dict):
        arg = arg.get("uri") or arg.get("path")
    if not isinstance(arg, str) or not arg:
        return None
    if arg.startswith("file:"):
        fs = to_fs_path(arg)
        return Path(fs) if fs else None
    return Path(arg)


def compile_and_run(compiler: str, source: Path, timeout: float = RUN_TIMEOUT) -> dict[str, Any]:
    """Compile ``source`` (with ASan and UBSan when available) and run it; never raises."""
    with tempfile.TemporaryDirectory(prefix="prooflens-test-") as tmp:
        exe = os.path.join(tmp, "test")
        base = [compiler, "-std=gnu11", "-g", "-O0", "-I", str(source.parent), "-I", str(source.parent.parent),
                "-o", exe, str(source)]
        # AddressSanitizer for memory counterexamples (-fno-builtin: a small memcpy stays a call it
        # intercepts), else UBSan alone, else plain
        attempts = [base[:1] + ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-builtin"] + base[1:],
                    base[:1] + ["-fsanitize=undefined", "-fno-sanitize-recover=all"] + base[1:], base]
        comp: subprocess.CompletedProcess[str] | None = None
        try:
            for cmd in attempts:
                comp = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
                if comp.returncode == 0:
                    break
        except (OSError, subprocess.TimeoutExpired) as e:
            return {"compiled": False, "exitCode": None, "stdout": "", "stderr": str(e)}
        assert comp is not None
        if comp.returncode != 0:
            return {"compiled": False, "exitCode": comp.returncode, "stdout": comp.stdout, "stderr": comp.stderr}
        try:
            run = subprocess.run([exe], capture_output=True, text=True, timeout=timeout, check=False, cwd=tmp)
        except subprocess.TimeoutExpired:
            return {"compiled": True, "exitCode": None, "stdout": "", "stderr": f"timed out after {timeout:.0f} s"}
        except OSError as e:
            return {"compiled": True, "exitCode": None, "stdout": "", "stderr": str(e)}
        return {"compiled": True, "exitCode": run.returncode, "stdout": run.stdout[-4000:], "stderr": run.stderr[-4000:]}


class CommandsFeature:
    def __init__(self, server: ProoflensServer) -> None:
        self.server = server

    def verify_function(self, uri: Any = None, name: Any = None, *_: Any) -> dict[str, Any]:
        doc = self.server.docs.get(str(uri))
        if doc is None:
            return {"ok": False, "reason": "document not open"}
        keys = [f.key for f in doc.functions if name is None or f.name == name]
        if not keys:
            return {"ok": False, "reason": f"no function {name!r}"}
        self.server.force_verify(doc, set(keys))
        return {"ok": True, "functions": len(keys)}

    def verify_file(self, uri: Any = None, *_: Any) -> dict[str, Any]:
        return self.verify_function(uri, None)

    async def generate_test(self, data: Any = None, *_: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            return {"ok": False, "reason": "expected the code action's data"}
        made = await self.server.code_actions.harness(data)
        if made is None:
            return {"ok": False, "reason": "no harness"}
        path, text = made
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        except OSError as e:
            self.server.show(types.MessageType.Error, f"prooflens: cannot write {path}: {e}")
            return {"ok": False, "reason": str(e)}
        if self.server.caps.show_document:
            try:
                await self.server.window_show_document_async(types.ShowDocumentParams(uri=path.as_uri(),
                                                                                      take_focus=True))
            except Exception as e:  # noqa: BLE001
                log.debug("showDocument failed: %s", e)
        else:
            self.server.show(types.MessageType.Info, f"prooflens: test written to {path}")
        return {"ok": True, "path": str(path)}

    async def run_test(self, target: Any = None, *_: Any) -> dict[str, Any]:
        path = _path_of(target)
        if path is None or not path.is_file():
            return {"ok": False, "reason": f"no such test file: {target!r}"}
        res = await asyncio.to_thread(compile_and_run, self.server.config.compiler, path)
        if not res["compiled"]:
            msg = f"prooflens: {path.name} did not compile: {res['stderr'].strip()[-300:]}"
            kind = types.MessageType.Error
        elif res["exitCode"] == 0:
            msg, kind = f"prooflens: {path.name} ran and exited normally (counterexample not reproduced)", \
                types.MessageType.Warning
        else:
            msg = f"prooflens: {path.name} failed as predicted (exit {res['exitCode']}): " \
                  f"{(res['stderr'] or res['stdout']).strip()[-300:]}"
            kind = types.MessageType.Info
        self.server.show(kind, msg)
        return {"ok": True, **res}
