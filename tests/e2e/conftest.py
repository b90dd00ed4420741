"""End-to-end fixtures: the real server (``python -m server``, real splitter and engine) driven
by pytest-lsp, once per recorded client: VS Code, Neovim and Emacs eglot.

The capability dicts below are trimmed from what those editors send (pytest-lsp's recordings of
VS Code 1.65, Neovim 0.10 and Emacs 29.1/eglot), keeping every capability the server looks at.
VS Code is given ``workspace.codeLens.refreshSupport`` as current versions send it. Neither
Neovim nor eglot announces code lenses, so both must get each function's status as a Hint
diagnostic instead; eglot also lacks related information and file creation in edits.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, os.path.dirname(__file__))

from e2e_support import ROOT, alive, descendants, server_pid

VSCODE: dict[str, Any] = {
    "general": {"regularExpressions": {"engine": "ECMAScript", "version": "ES2020"},
                "markdown": {"parser": "marked", "version": "1.1.0"}},
    "window": {"workDoneProgress": True, "showMessage": {"messageActionItem": {"additionalPropertiesSupport": True}},
               "showDocument": {"support": True}},
    "workspace": {
        "applyEdit": True, "configuration": True, "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": True},
        "executeCommand": {"dynamicRegistration": True},
        "codeLens": {"refreshSupport": True},
        "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"],
                          "failureHandling": "textOnlyTransactional", "normalizesLineEndings": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": True, "willSave": True, "willSaveWaitUntil": True,
                            "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "tagSupport": {"valueSet": [1, 2]},
                               "versionSupport": False, "codeDescriptionSupport": True, "dataSupport": True},
        "hover": {"dynamicRegistration": True, "contentFormat": ["markdown", "plaintext"]},
        "codeLens": {"dynamicRegistration": True},
        "codeAction": {"dynamicRegistration": True, "isPreferredSupport": True, "disabledSupport": True,
                       "dataSupport": True, "resolveSupport": {"properties": ["edit"]},
                       "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                           "", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
                           "source", "source.organizeImports"]}}},
    },
}

NEOVIM: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True, "showMessage": {"messageActionItem": {"additionalPropertiesSupport": False}},
               "showDocument": {"support": True}},
    "workspace": {
        "applyEdit": True, "configuration": True, "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
        "inlayHint": {"refreshSupport": True},
        "workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "willSave": True, "willSaveWaitUntil": True,
                            "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "tagSupport": {"valueSet": [1, 2]}, "dataSupport": True},
        "hover": {"dynamicRegistration": True, "contentFormat": ["markdown", "plaintext"]},
        "inlayHint": {"dynamicRegistration": True,
                      "resolveSupport": {"properties": ["textEdits", "tooltip", "location", "command"]}},
        "codeAction": {"dynamicRegistration": True, "isPreferredSupport": True, "dataSupport": True,
                       "resolveSupport": {"properties": ["edit"]},
                       "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                           "", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
                           "source", "source.organizeImports"]}}},
    },
}

EGLOT: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-32", "utf-8", "utf-16"]},
    "window": {"workDoneProgress": True},
    "workspace": {
        "applyEdit": True, "configuration": True, "workspaceFolders": True,
        "executeCommand": {"dynamicRegistration": False},
        "workspaceEdit": {"documentChanges": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "willSave": True, "willSaveWaitUntil": True,
                            "didSave": True},
        "publishDiagnostics": {"relatedInformation": False, "codeDescriptionSupport": False,
                               "tagSupport": {"valueSet": [1, 2]}},
        "hover": {"dynamicRegistration": False, "contentFormat": ["markdown", "plaintext"]},
        "codeAction": {"dynamicRegistration": False, "isPreferredSupport": True,
                       "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                           "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
                           "source", "source.organizeImports"]}}},
    },
}

CLIENTS: dict[str, dict[str, Any]] = {"vscode": VSCODE, "neovim": NEOVIM, "eglot": EGLOT}
CACHE_HOME = tempfile.mkdtemp(prefix="prooflens-e2e-cache-")


def capabilities(name: str) -> types.ClientCapabilities:
    return default_converter().structure(CLIENTS[name], types.ClientCapabilities)


def answer_refreshes(client: LanguageClient) -> None:
    """Like an editor, answer the server's refresh requests (pytest-lsp's client has no handler)."""
    for method in (types.WORKSPACE_CODE_LENS_REFRESH, types.WORKSPACE_INLAY_HINT_REFRESH):
        if method not in client.protocol.fm.features:
            client.feature(method)(lambda *_: None)


def server_config(cache_home: str = CACHE_HOME) -> ClientServerConfig:
    return ClientServerConfig(server_command=[sys.executable, "-m", "server"],
                              server_env={**os.environ, "XDG_CACHE_HOME": cache_home, "PYTHONPATH": str(ROOT)})


@pytest_lsp.fixture(config=server_config(), params=sorted(CLIENTS))
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A session of the real server for one recorded client; afterwards no child may be left."""
    answer_refreshes(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities(request.param), root_uri=ROOT.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=ROOT.as_uri(), name="main")],
        initialization_options={"workers": 2}))
    pid = server_pid(lsp_client)
    yield
    kids = descendants(pid)
    await lsp_client.shutdown_session()
    deadline = time.monotonic() + 1.0
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert not [k for k in kids if alive(k)], "child processes left after exit"


@asynccontextmanager
async def _session(caps: str = "vscode", cache_home: str = CACHE_HOME,
                  options: dict[str, Any] | None = None) -> AsyncIterator[LanguageClient]:
    """A second, hand-made session (e.g. to restart the server on the same cache)."""
    c = await server_config(cache_home).start()
    assert isinstance(c, LanguageClient)
    answer_refreshes(c)
    try:
        await c.initialize_session(types.InitializeParams(
            capabilities=capabilities(caps), root_uri=ROOT.as_uri(), initialization_options=options or {}))
        yield c
        await c.shutdown_session()
    except BaseException:
        # the server was never told to exit: stop() would wait for it forever
        server = getattr(c, "_server", None)
        if server is not None:
            server.terminate()
        raise
    finally:
        await c.stop()




@pytest.fixture
def restart() -> Callable[..., AbstractAsyncContextManager[LanguageClient]]:
    """Start another server on the same persistent cache: ``async with restart("vscode") as c``."""
    return _session
