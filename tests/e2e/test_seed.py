"""The real server on examples/seed.c, for each recorded client (VS Code, Neovim, eglot).

Expected answers (the essay's functions): f proved, g proved, g2 refuted with a signed
overflow in ``x - y`` (line 18), h unknown. Requires the real splitter and engine.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    SEED,
    alive,
    change_full,
    change_range,
    final_statuses,
    line_of,
    open_doc,
    pending_of,
    prooflens_diagnostics,
    server_stats,
    wait_until,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.slow

TEXT = SEED.read_text()
F, G, G2, H = (line_of(TEXT, s) for s in ("bool f(", "void g(", "void g2(", "void h("))
G2_SUB = line_of(TEXT, "x = x - y", G2)


def _copy_seed() -> tuple[Path, str]:
    d = Path(tempfile.mkdtemp(prefix="prooflens-e2e-"))
    path = d / "seed.c"
    shutil.copy(SEED, path)
    return path, path.as_uri()


def _near(statuses: dict[int, str], line: int) -> str:
    cands = [t for ln, t in statuses.items() if line - 1 <= ln <= line + 1]
    return cands[0] if cands else ""


def _overflow(client: LanguageClient, uri: str) -> types.Diagnostic | None:
    for d in prooflens_diagnostics(client, uri):
        if d.range.start.line == G2_SUB and str(d.code).startswith("overflow.signed.sub"):
            return d
    return None


async def test_diagnostics_and_status(client: LanguageClient) -> None:
    path, uri = _copy_seed()
    open_doc(client, uri, TEXT)
    await wait_until(client, lambda: _overflow(client, uri) is not None, what="g2's overflow diagnostic")
    d = _overflow(client, uri)
    assert d is not None
    assert d.source == "prooflens" and d.severity == types.DiagnosticSeverity.Warning
    assert "x - y" in TEXT.split("\n")[G2_SUB][d.range.start.character:d.range.end.character]
    caps = client.capabilities
    wants_related = bool(caps and caps.text_document and caps.text_document.publish_diagnostics
                         and caps.text_document.publish_diagnostics.related_information)
    assert (d.related_information is not None) == wants_related
    st = await final_statuses(client, uri, 4)
    assert re.search(r"✔ proved", _near(st, F)), st
    assert re.search(r"✔ proved", _near(st, G)) or "unknown" in _near(st, G), st
    assert "refuted" not in _near(st, G)
    assert re.search(r"✘ refuted", _near(st, G2)), st
    assert re.search(r"\? unknown", _near(st, H)), st


async def test_hover(client: LanguageClient) -> None:
    _, uri = _copy_seed()
    open_doc(client, uri, TEXT)
    await wait_until(client, lambda: _overflow(client, uri) is not None)
    d = _overflow(client, uri)
    assert d is not None
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=d.range.start))
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    text = h.contents.value
    assert "Counterexample" in text and "| `x` |" in text and "| `y` |" in text
    name_col = TEXT.split("\n")[G2].index("g2")
    await final_statuses(client, uri, 4)
    h2 = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=G2, character=name_col + 1)))
    assert h2 is not None and isinstance(h2.contents, types.MarkupContent)
    assert "**g2**" in h2.contents.value and "overflow.signed.sub" in h2.contents.value


async def test_code_action_generates_a_test(client: LanguageClient) -> None:
    path, uri = _copy_seed()
    open_doc(client, uri, TEXT)
    await wait_until(client, lambda: _overflow(client, uri) is not None)
    d = _overflow(client, uri)
    assert d is not None
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    assert actions, "no code action on a refuted check"
    action = actions[0]
    assert action.title.startswith("Generate a test")
    if isinstance(action, types.Command):  # clients that cannot create files: the server writes it
        res = await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command=action.command, arguments=action.arguments))
        assert res["ok"], res
        assert Path(res["path"]).is_file() and "main" in Path(res["path"]).read_text()
        return
    if action.edit is None:
        action = await client.code_action_resolve_async(action)
    assert action.edit is not None and action.edit.document_changes
    create, insert = action.edit.document_changes[0], action.edit.document_changes[1]
    assert isinstance(create, types.CreateFile) and create.uri.endswith(".c")
    assert isinstance(insert, types.TextDocumentEdit) and "main" in insert.edits[0].new_text


async def test_break_and_mend_g(client: LanguageClient) -> None:
    _, uri = _copy_seed()
    open_doc(client, uri, TEXT)
    await wait_until(client, lambda: _overflow(client, uri) is not None)

    def in_g() -> list[types.Diagnostic]:
        return [d for d in prooflens_diagnostics(client, uri) if G <= d.range.start.line < G2
                and d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning)]

    assert not in_g()
    broken = re.sub(r"if\s*\(\s*y\s*>\s*0\s*\)", "if (y > -5)", TEXT, count=1)
    change_full(client, uri, broken, 2)
    await wait_until(client, lambda: bool(in_g()), what="g refuted after breaking it")
    t = time.monotonic()
    change_full(client, uri, TEXT, 3)
    await wait_until(client, lambda: not in_g(), what="g mended")
    assert time.monotonic() - t < 1.0  # the mended text is the original one: answered from the cache
    # a newline in the header comment moves every diagnostic one line down, at once
    change_range(client, uri, 4, (0, 2), (0, 2), "\n")
    await wait_until(client, lambda: any(d.range.start.line == G2_SUB + 1 for d in prooflens_diagnostics(client, uri)),
                     timeout=2, what="shifted diagnostics")


async def test_cancellation_kills_the_running_job(client: LanguageClient) -> None:
    """A function edited while its job runs: the job's process is killed within 1 s."""
    _, uri = _copy_seed()
    # 64-bit multiplication undone by division: seconds of bit-blasting for z3
    slow = ("void reach_error(void);\n"
            "void divmul(unsigned long a, unsigned long b) {\n"
            "  if (b != 0 && a < 4000000000UL && b < 4000000000UL && (a * b) / b != a) reach_error();\n}\n")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"prooflens": {"timeout": 60, "jobTimeout": 300}}))
    open_doc(client, uri, slow)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    stats = await server_stats(client)
    while not stats["workerPids"] or pending_of(stats, uri) == 0:
        if loop.time() > deadline:
            pytest.skip("the engine answered before the job could be cancelled")
        await asyncio.sleep(0.05)
        stats = await server_stats(client)
    await asyncio.sleep(0.5)  # the job is running now
    stats = await server_stats(client)
    if pending_of(stats, uri) == 0:
        pytest.skip("the engine answered before the job could be cancelled")
    pids = stats["workerPids"]
    t = time.monotonic()
    change_full(client, uri, slow.replace("a < 4000000000UL", "a < 4000000001UL"), 2)
    while all(alive(p) for p in pids):
        assert time.monotonic() - t < 1.0, "no worker was killed within 1 s of the edit"
        await asyncio.sleep(0.02)
    after = await server_stats(client)
    assert after["cancelled"] >= 1


@pytest.mark.parametrize("client", ["vscode"], indirect=True)
async def test_restart_on_persistent_cache(client: LanguageClient, restart: Callable[..., Any]) -> None:
    path, uri = _copy_seed()
    open_doc(client, uri, TEXT)
    first = await final_statuses(client, uri, 4)
    async with restart("vscode") as again:
        t = time.monotonic()
        open_doc(again, uri, TEXT)
        second = await final_statuses(again, uri, 4, timeout=5)
        assert time.monotonic() - t < 1.0
        stats = await server_stats(again)
        assert stats["dispatched"] == 0
    assert {k: re.sub(r" · \d+ ms$", "", v) for k, v in first.items()} == \
        {k: re.sub(r" · \d+ ms$", "", v) for k, v in second.items()}
