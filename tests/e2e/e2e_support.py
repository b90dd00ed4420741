"""Helpers for the end-to-end tests (imported by the tests and by conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.c"


def descendants(pid: int) -> list[int]:
    """Live descendants of ``pid`` (zombies excluded: they hold no resources but count as gone late)."""
    kids: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(p.name))
    out, todo = [], [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def server_pid(client: LanguageClient) -> int:
    proc = client._server  # the asyncio subprocess pytest-lsp started
    assert proc is not None
    return proc.pid


async def wait_until(client: LanguageClient, pred: Callable[[], bool], timeout: float = 90.0,
                     what: str = "condition") -> None:
    """Wait for ``pred`` to hold, re-checking after each diagnostics notification (no sleeping)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not pred():
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError(f"{what} not reached in {timeout} s")
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                   min(left, 1.0))
        except TimeoutError:
            pass


PENDING = ("verifying", "stale", "…", "...")


async def statuses(client: LanguageClient, uri: str) -> dict[int, str]:
    """0-based line -> the function status text, from code lenses or (without them) Hint diagnostics."""
    caps = client.capabilities
    if caps is not None and caps.text_document is not None and caps.text_document.code_lens is not None:
        lenses = await client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        return {lens.range.start.line: lens.command.title if lens.command else "" for lens in lenses or []}
    return {d.range.start.line: d.message for d in client.diagnostics.get(uri, [])
            if d.severity == types.DiagnosticSeverity.Hint and d.code == "prooflens.status"}


async def final_statuses(client: LanguageClient, uri: str, count: int, timeout: float = 90.0) -> dict[int, str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        got = await statuses(client, uri)
        if len(got) >= count and not any(p in t for t in got.values() for p in PENDING):
            return got
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError(f"statuses still pending: {got}")
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                   min(left, 0.5))
        except TimeoutError:
            pass


def line_of(text: str, needle: str, after: int = 0) -> int:
    lines = text.split("\n")
    for i in range(after, len(lines)):
        if needle in lines[i]:
            return i
    raise AssertionError(f"{needle!r} not found")


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="c", version=version, text=text)))


def change_full(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def change_range(client: LanguageClient, uri: str, version: int, start: tuple[int, int], end: tuple[int, int],
                 text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=start[0], character=start[1]),
                              end=types.Position(line=end[0], character=end[1])), text=text)]))


def prooflens_diagnostics(client: LanguageClient, uri: str) -> Sequence[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.code != "prooflens.status"]


def plain(value: Any) -> Any:
    """pygls hands unknown JSON objects over as namedtuples: back to dicts and lists."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def server_stats(client: LanguageClient) -> dict[str, Any]:
    """The server's ``prooflens/stats`` (work counters, worker pids, documents)."""
    return plain(await client.protocol.send_request_async("prooflens/stats", None))


def pending_of(stats: dict[str, Any], uri: str) -> int:
    return sum(d["pending"] for d in stats["documents"] if d["uri"] == uri)
