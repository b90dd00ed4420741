"""Helpers for the end-to-end tests (imported by the tests and by conftest.py)."""

from __future__ import annotations

import asyncio
import re
import weakref
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


async def next_publish(client: LanguageClient, timeout: float) -> None:
    """Wait up to ``timeout`` for the next publishDiagnostics. On a timeout the waiter is withdrawn:
    pytest-lsp would otherwise set the next notification's result on the cancelled future, and
    its InvalidStateError fails the whole session."""
    method = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
    fut = client.protocol.wait_for_notification(method)
    try:
        await asyncio.wait_for(asyncio.wrap_future(fut), timeout)
    except TimeoutError:
        waiting = client.protocol._notification_futures
        if waiting.get(method) is fut:
            del waiting[method]


async def wait_until(client: LanguageClient, pred: Callable[[], bool], timeout: float = 90.0,
                     what: str = "condition") -> None:
    """Wait for ``pred`` to hold, re-checking after each diagnostics notification (no sleeping)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not pred():
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError(f"{what} not reached in {timeout} s")
        await next_publish(client, min(left, 1.0))


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
        await next_publish(client, min(left, 0.5))


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


# -- robustness helpers (tests/e2e/test_robustness.py, bench/server_rss.py) ----------------------

_VERSIONS: weakref.WeakKeyDictionary[LanguageClient, dict[str, int | None]] = weakref.WeakKeyDictionary()


def track_versions(client: LanguageClient) -> dict[str, int | None]:
    """uri -> the version of the last publishDiagnostics (pytest-lsp keeps only the diagnostics).
    Installed once per client; later calls return the same dict."""
    if client in _VERSIONS:
        return _VERSIONS[client]
    versions: dict[str, int | None] = {}
    _VERSIONS[client] = versions
    features = client.protocol.fm.features
    inner = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish(params: types.PublishDiagnosticsParams) -> Any:
        versions[params.uri] = params.version
        return inner(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    return versions


def processes_with_env(name: str, value: str) -> list[int]:
    """Live processes whose environment has ``name=value``: a server and all it ever started,
    even those re-parented to init (a per-session marker value finds escaped children)."""
    needle = f"{name}={value}".encode()
    out = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            env = (p / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if needle in env and alive(int(p.name)):
            out.append(int(p.name))
    return out


def memory_kb(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` (peak RSS) of a process, in kB, from /proc/<pid>/status."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(rest.split()[0])
    return out


def lsp_position(text: str, offset: int) -> tuple[int, int]:
    """The LSP position (0-based line, UTF-16 character) of a code-point offset in ``text``."""
    before = text[:offset]
    line = before.count("\n")
    last = before[before.rfind("\n") + 1:]
    return line, len(last.encode("utf-16-le", "surrogatepass")) // 2


def _units(lines: list[str], line0: int, col0: int) -> int:
    if not 0 <= line0 < len(lines):
        return max(col0, 0)
    return len(lines[line0][:max(col0, 0)].encode("utf-16-le", "surrogatepass")) // 2


def expected_state(text: str, result: Any) -> tuple[list[tuple[int, int, str, int]], list[tuple[int, str]]]:
    """What a server showing ``result`` (a fresh ``verify_text`` of ``text``) must publish, with
    the default severities: diagnostics as sorted (line, character, code, severity) and lenses
    as sorted (line, title without its time)."""
    from analysis.model import Status
    from server.config import DEFAULT_SEVERITY
    from server.features.code_lens import result_title

    lines = text.split("\n")
    sev = {"error": 1, "warning": 2, "information": 3, "info": 3, "hint": 4}
    diags = []

    def add(span: Any, code: str, severity: int) -> None:
        line0 = max(0, span.start.line - 1)
        diags.append((line0, _units(lines, line0, span.start.column - 1), code, severity))

    for err in result.errors:
        add(err.span, "source.error", sev.get(err.severity, 1))
    lenses = []
    for fn in result.functions:
        for err in fn.errors:
            add(err.span, "source.error", sev.get(err.severity, 1))
        for check in fn.checks:
            if check.status is Status.REFUTED:
                add(check.span, check.id, sev[DEFAULT_SEVERITY.get(check.kind.value, "warning")])
            elif check.status is Status.UNKNOWN:
                add(check.span, check.id, 3)
            elif check.unreachable:  # dead code: a faded hint
                add(check.span, "unreachable", 4)
        lenses.append((max(0, fn.name_span.start.line - 1), untimed(result_title(fn, 0))))
    return sorted(diags), sorted(lenses)


def untimed(title: str) -> str:
    """A lens title without its verification time (``✔ proved · 3 checks · 12 ms``); of a
    function that could not be parsed only that (the parser's message varies with the stack
    depth it ran at, e.g. Python's RecursionError text)."""
    if title.startswith("⚠ not verified"):
        return "⚠ not verified"
    return re.sub(r" · [\d.]+ m?s$", "", title)


async def server_state(client: LanguageClient, uri: str) -> tuple[list[tuple[int, int, str, int]],
                                                                   list[tuple[int, str]]]:
    """The client's view, in :func:`expected_state`'s form (lenses asked for now)."""
    diags = sorted((d.range.start.line, d.range.start.character, str(d.code), int(d.severity or 0))
                   for d in prooflens_diagnostics(client, uri))
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    return diags, sorted((lens.range.start.line, untimed(lens.command.title if lens.command else ""))
                         for lens in lenses or [])


async def published(client: LanguageClient, uri: str, version: int, timeout: float = 60.0) -> None:
    """Wait until the last diagnostics published for ``uri`` are those of ``version``."""
    versions = track_versions(client)
    await wait_until(client, lambda: versions.get(uri) == version, timeout=timeout,
                     what=f"diagnostics of version {version}")
