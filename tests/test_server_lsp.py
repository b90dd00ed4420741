"""Feature-level LSP tests: the real server process with the stand-in splitter and engine of
``test_server_fakes.py`` (fast and deterministic), driven by pytest-lsp."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = tempfile.mkdtemp(prefix="prooflens-lsp-cache-")
WITH_LENS = {"textDocument": {"codeLens": {}, "publishDiagnostics": {"relatedInformation": True},
                              "inlayHint": {}, "hover": {"contentFormat": ["markdown"]},
                              "codeAction": {"resolveSupport": {"properties": ["edit"]}}},
             "workspace": {"codeLens": {"refreshSupport": True}, "configuration": True},
             "window": {"workDoneProgress": True}}
NO_LENS = {"textDocument": {"publishDiagnostics": {"relatedInformation": False}}}

SRC = """int add(int x) { return x + 1; }
int bad(int x) { BUG; return add(x); }
int slow(int x) { SLOW; }
int loop(int x) { LOOP; return x; }
"""


def _caps(d: dict[str, Any]) -> types.ClientCapabilities:
    return default_converter().structure(d, types.ClientCapabilities)


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, str(HERE / "test_server_fakes.py")],
    server_env={**os.environ, "XDG_CACHE_HOME": CACHE, "PYTHONPATH": str(ROOT)}),
    params=["lens", "nolens"])
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest) -> Any:
    for method in (types.WORKSPACE_CODE_LENS_REFRESH, types.WORKSPACE_INLAY_HINT_REFRESH):
        lsp_client.feature(method)(lambda *_: None)
    caps = WITH_LENS if request.param == "lens" else NO_LENS
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=_caps(caps), initialization_options={"debounceMs": 100, "workers": 1, "bogus": 1}))
    yield
    await lsp_client.shutdown_session()


def _uri() -> str:
    return (Path(tempfile.mkdtemp(prefix="prooflens-lsp-")) / "t.c").as_uri()


async def _wait(client: LanguageClient, pred: Any, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not pred():
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                   min(left, 0.5))
        except TimeoutError:
            pass


def _diags(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.code != "prooflens.status"]


def _hints(client: LanguageClient, uri: str) -> dict[int, str]:
    return {d.range.start.line: d.message for d in client.diagnostics.get(uri, []) if d.code == "prooflens.status"}


def _open(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="c", version=1, text=text)))


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def test_diagnostics_lenses_or_hints(client: LanguageClient) -> None:
    uri = _uri()
    _open(client, uri, SRC)
    await _wait(client, lambda: any(d.code == "assert.violated" for d in _diags(client, uri))
                and any(d.code == "overflow.signed.mul" for d in _diags(client, uri)))
    bug = next(d for d in _diags(client, uri) if d.code == "assert.violated")
    assert bug.severity == types.DiagnosticSeverity.Error and bug.source == "prooflens"
    assert bug.range.start.line == 1 and "x = 7" in bug.message
    unknown = next(d for d in _diags(client, uri) if d.code == "overflow.signed.mul")
    assert unknown.severity == types.DiagnosticSeverity.Information
    if client.capabilities and client.capabilities.text_document and client.capabilities.text_document.code_lens:
        assert bug.related_information and bug.related_information[0].location.range.start.line == 1
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        titles = {lens.range.start.line: lens.command.title for lens in lenses if lens.command}
        assert titles[0].startswith("✔ proved · 1 check") and titles[1].startswith("✘ refuted")
        assert titles[2].startswith("? unknown: timeout")
        assert not _hints(client, uri)
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=9, character=0))))
        assert hints and "x - y + 1" in str(hints[0].label) and hints[0].position.line == 3
        assert any(m.type == types.MessageType.Warning and "bogus" in m.message for m in client.messages)
    else:
        assert bug.related_information is None
        await _wait(client, lambda: len(_hints(client, uri)) == 4 and "✔ proved" in _hints(client, uri).get(0, ""))
        assert _hints(client, uri)[1].startswith("✘ refuted")


async def test_edit_republishes_shifted_then_reverifies(client: LanguageClient) -> None:
    uri = _uri()
    _open(client, uri, SRC)
    await _wait(client, lambda: any(d.code == "assert.violated" for d in _diags(client, uri)))
    # a comment line on top: same results, one line lower, published at once
    t = time.monotonic()
    _change(client, uri, 2, "// hello\n" + SRC)
    await _wait(client, lambda: any(d.code == "assert.violated" and d.range.start.line == 2
                                    for d in _diags(client, uri)), timeout=2)
    assert time.monotonic() - t < 1.0
    # fixing `bad` removes its diagnostic once re-verified; add() is untouched
    _change(client, uri, 3, "// hello\n" + SRC.replace("BUG;", ""))
    await _wait(client, lambda: not any(d.code == "assert.violated" for d in _diags(client, uri)))


async def test_old_versions_never_published(client: LanguageClient) -> None:
    """Edits racing with slow jobs: every publish carries the latest version and its positions."""
    uri = _uri()
    seen: list[types.PublishDiagnosticsParams] = []
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: types.PublishDiagnosticsParams) -> None:
        seen.append(params)
        original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    versions_text = {}
    text = SRC
    _open(client, uri, text)
    versions_text[1] = text
    for v in range(2, 12):
        text = ("\n" * (v % 3)) + SRC.replace("BUG", "BUG" if v % 2 else "OK")
        versions_text[v] = text
        _change(client, uri, v, text)
        await asyncio.sleep(0.03)
    await _wait(client, lambda: bool(seen) and seen[-1].version == 11 and any(
        d.code == "assert.violated" for d in seen[-1].diagnostics))
    for p in seen:
        if p.uri != uri or p.version is None:
            continue
        lines = versions_text[p.version].split("\n")
        for d in p.diagnostics:
            if d.code == "assert.violated":
                assert lines[d.range.start.line][d.range.start.character:d.range.end.character] == "BUG"


async def test_hostile_text_never_crashes(client: LanguageClient) -> None:
    uri = _uri()
    _open(client, uri, "int deep(int x) { return " + "(" * 5000 + "x" + ")" * 5000 + "; }\n")
    await _wait(client, lambda: uri in client.diagnostics)
    for v, junk in enumerate(["}}}{{{", "\x00\x01é😋 /* unterminated", "#include \"nope.h\"\nint", ""], start=2):
        _change(client, uri, v, junk)
    uri2 = _uri()
    _open(client, uri2, SRC)
    await _wait(client, lambda: any(d.code == "assert.violated" for d in _diags(client, uri2)))


async def test_verify_function_command_and_close(client: LanguageClient) -> None:
    uri = _uri()
    _open(client, uri, SRC)
    await _wait(client, lambda: any(d.code == "assert.violated" for d in _diags(client, uri)))
    res = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="prooflens.verifyFunction", arguments=[uri, "bad"]))
    assert res["ok"] is True
    res = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="prooflens.verifyFile", arguments=[uri]))
    assert res["functions"] == 4
    await _wait(client, lambda: any(d.code == "assert.violated" for d in _diags(client, uri)))
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await _wait(client, lambda: not client.diagnostics.get(uri, [1]))


PRE_SRC = r"""int first(const int *a) { REQUIRES("\\valid_read(a)"); BUG; return a[0]; }

  long sum(const int *a, int n) {
    REQUIRES("\\valid_read(a + (0 .. n-1))");
    BUG; return a[0] + n;
  }
"""


async def test_inferred_precondition_hint_hover_and_code_action(client: LanguageClient) -> None:
    """What the engine inferred ``first`` and ``sum`` need: an inlay hint before each, the hover on
    the name, and a code action that writes it above the function (resolved lazily where the
    client can: the lens client announces resolveSupport, the other one does not)."""
    uri = _uri()
    _open(client, uri, PRE_SRC)
    await _wait(client, lambda: {d.range.start.line for d in _diags(client, uri) if d.code == "assert.violated"}
                == {0, 4})
    doc = types.TextDocumentIdentifier(uri=uri)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc, range=types.Range(start=types.Position(line=0, character=0),
                                             end=types.Position(line=9, character=0))))
    assert {(h.position.line, h.position.character, str(h.label)) for h in hints or []} == {
        (0, 0, r"⟨requires \valid_read(a);⟩"), (2, 2, r"⟨requires \valid_read(a + (0 .. n-1));⟩")}
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc, position=types.Position(line=2, character=8)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "Inferred precondition (checked at every call site):**\n\n- `requires \\valid_read(a + (0 .. n-1));`" \
        in hover.contents.value
    for line, character, written in ((0, 5, "/*@ requires \\valid_read(a); */\n"),
                                     (2, 8, "  /*@ requires \\valid_read(a + (0 .. n-1)); */\n")):
        at = types.Position(line=line, character=character)
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=doc, range=types.Range(start=at, end=at), context=types.CodeActionContext(diagnostics=[])))
        [action] = [a for a in actions or [] if isinstance(a, types.CodeAction) and "requires" in a.title]
        assert action.title == "Write the inferred precondition as an ACSL requires"
        td = client.capabilities.text_document if client.capabilities else None
        if td is not None and td.code_action is not None:  # it resolves lazily: the edit comes on resolve
            assert action.edit is None
            action = await client.code_action_resolve_async(action)
        assert action.edit is not None and action.edit.changes is not None
        [edit] = action.edit.changes[uri]
        assert edit.range == types.Range(start=types.Position(line=line, character=0),
                                         end=types.Position(line=line, character=0))
        assert edit.new_text == written
