"""A small, dependency-free LSP client for the benchmark: stdio JSON-RPC with a reader thread.

It answers the server's own requests (configuration, progress creation, refreshes) with
neutral values, records every notification, and lets a check wait on a predicate.
"""
from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

VSCODE_LIKE_CAPS: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True, "showMessage": {}},
    "workspace": {
        "configuration": True,
        "didChangeConfiguration": {"dynamicRegistration": True},
        "codeLens": {"refreshSupport": True},
        "inlayHint": {"refreshSupport": True},
        "diagnostics": {"refreshSupport": True},
        "executeCommand": {"dynamicRegistration": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": True, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                               "codeDescriptionSupport": True, "dataSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeLens": {"dynamicRegistration": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "source"]}}},
        "inlayHint": {"dynamicRegistration": True},
    },
}

# Emacs eglot 1.9 style: no code lens, no inlay hints, no work-done progress.
EGLOT_LIKE_CAPS: dict[str, Any] = {
    "workspace": {"configuration": True},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"relatedInformation": False},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
}


class Client:
    def __init__(self, cmd: list[str], cwd: str | Path, env: dict[str, str] | None = None):
        self.proc = subprocess.Popen(
            cmd, cwd=str(cwd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(os.devnull, "wb") if not os.environ.get("ACCEPTANCE_DEBUG") else None,
            env={**os.environ, **(env or {})}, start_new_session=True)
        self._id = 0
        self._lock = threading.Condition()
        self.responses: dict[int, dict] = {}
        self.notes: list[tuple[float, dict]] = []
        self.server_requests: list[dict] = []
        self.dead = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- wire ---------------------------------------------------------------
    def _send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = out.read(length or 0)
                msg = json.loads(body)
                self._dispatch(msg)
        except (EOFError, ValueError, OSError):
            with self._lock:
                self.dead = True
                self._lock.notify_all()

    def _dispatch(self, msg: dict) -> None:
        if "id" in msg and "method" in msg:  # a request from the server
            self.server_requests.append(msg)
            result: Any = None
            if msg["method"] == "workspace/configuration":
                result = [None for _ in msg["params"].get("items", [])]
            try:
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            except OSError:
                pass
            return
        with self._lock:
            if "id" in msg:
                self.responses[msg["id"]] = msg
            else:
                self.notes.append((time.monotonic(), msg))
            self._lock.notify_all()

    # -- calls --------------------------------------------------------------
    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        with self._lock:
            self._id += 1
            rid = self._id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._lock:
            while rid not in self.responses:
                if self.dead:
                    raise RuntimeError(f"server died during {method}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to {method} in {timeout}s")
                self._lock.wait(left)
            msg = self.responses.pop(rid)
        if "error" in msg:
            raise RuntimeError(f"{method} failed: {msg['error']}")
        return msg.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_note(self, pred: Callable[[dict], bool], timeout: float = 30,
                  since: float = 0.0) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for t, m in self.notes:
                    if t >= since and pred(m):
                        return t, m
                if self.dead:
                    raise RuntimeError("server died")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("notification not seen")
                self._lock.wait(left)

    # -- LSP helpers ----------------------------------------------------------
    def initialize(self, root: Path, caps: dict | None = None, options: dict | None = None) -> dict:
        res = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": caps if caps is not None else VSCODE_LIKE_CAPS,
            "initializationOptions": options or {}}, timeout=60)
        self.notify("initialized", {})
        return res

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "c", "version": version, "text": text}})

    def change_full(self, uri: str, text: str, version: int) -> None:
        """Send a change as one range edit replacing the whole text (valid for both sync kinds)."""
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]})

    def change_range(self, uri: str, version: int, start: tuple[int, int],
                     end: tuple[int, int], text: str) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]}}, "text": text}]})

    def diagnostics_after(self, uri: str, since: float, timeout: float = 30,
                          pred: Callable[[list], bool] = lambda d: True) -> tuple[float, list]:
        t, m = self.wait_note(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                              and m["params"]["uri"] == uri and pred(m["params"]["diagnostics"]),
                              timeout=timeout, since=since)
        return t, m["params"]["diagnostics"]

    def latest_diagnostics(self, uri: str) -> list:
        with self._lock:
            for _, m in reversed(self.notes):
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                    return m["params"]["diagnostics"]
        return []

    def code_lenses(self, uri: str) -> list[dict]:
        lenses = self.request("textDocument/codeLens", {"textDocument": {"uri": uri}}) or []
        out = []
        for lens in lenses:
            if not lens.get("command"):
                try:
                    lens = self.request("codeLens/resolve", lens)
                except RuntimeError:
                    pass
            out.append(lens)
        return out

    def children(self) -> list[int]:
        """Pids of live descendants of the server process (from /proc)."""
        kids: dict[int, list[int]] = {}
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                kids.setdefault(ppid, []).append(int(p.name))
        out, todo = [], [self.proc.pid]
        while todo:
            for c in kids.get(todo.pop(), []):
                out.append(c)
                todo.append(c)
        return out

    def close(self, timeout: float = 10) -> None:
        try:
            self.request("shutdown", None, timeout=timeout)
            self.notify("exit", None)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def lens_title(lens: dict) -> str:
    return (lens.get("command") or {}).get("title", "")


def hover_text(h: Any) -> str:
    if not h:
        return ""
    c = h.get("contents")
    if isinstance(c, dict):
        return c.get("value", "")
    if isinstance(c, list):
        return "\n".join(x if isinstance(x, str) else x.get("value", "") for x in c)
    return str(c)
