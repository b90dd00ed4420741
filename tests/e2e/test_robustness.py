"""Robustness of the real server (issue 6): random editing, hostile input, runaway work, memory,
and a cache shared by two servers, all through a real LSP client (pytest-lsp, VS Code's
capabilities) on a temporary cache.

Every session here is checked on the way out: after shutdown and exit no process that carries the
session's marker environment (the server and everything it ever started) may remain.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    SEED,
    alive,
    change_full,
    change_range,
    descendants,
    expected_state,
    final_statuses,
    lsp_position,
    memory_kb,
    next_publish,
    open_doc,
    pending_of,
    processes_with_env,
    prooflens_diagnostics,
    published,
    server_pid,
    server_state,
    server_stats,
    statuses,
    track_versions,
    wait_until,
)
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from lsprotocol import types
from pytest_lsp import LanguageClient

from analysis import service
from analysis.options import Options

pytestmark = pytest.mark.slow

TEXT = SEED.read_text()
Session = Callable[..., AbstractAsyncContextManager[LanguageClient]]


@pytest.fixture
def session(restart: Session) -> Session:
    """``async with session(options) as c``: a VS Code-like session of the real server on its own
    temporary cache home (the marker of its processes); on leaving, none of them may be left."""

    @asynccontextmanager
    async def start(options: dict[str, Any] | None = None, caps: str = "vscode") -> AsyncIterator[LanguageClient]:
        home = tempfile.mkdtemp(prefix="prooflens-rob-")
        failed = False
        try:
            async with restart(caps, home, options or {}) as client:
                track_versions(client)
                try:
                    yield client
                except BaseException:
                    # without shutdown/exit pygls' stop() waits for the server forever: end it
                    failed = True
                    proc = client._server
                    if proc is not None and proc.returncode is None:
                        proc.terminate()
                    raise
        finally:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 1.0
            while processes_with_env("XDG_CACHE_HOME", home) and loop.time() < deadline:
                await asyncio.sleep(0.02)
            left = processes_with_env("XDG_CACHE_HOME", home)
            if failed:
                for pid in left:  # this session's own processes only
                    os.kill(pid, signal.SIGKILL)
            else:
                assert not left, f"{len(left)} processes of the session left 1 s after exit"

    return start


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="prooflens-rob-src-"))


async def assert_matches_fresh_verification(client: LanguageClient, uri: str, path: Path, text: str,
                                            options: Options, timeout: float = 120.0) -> None:
    """The server's diagnostics and lenses for ``text`` equal a fresh ``verify_text`` of it."""
    fresh = asyncio.create_task(asyncio.to_thread(service.verify_text, text, str(path), options))
    count = len(service.functions_of(service.split_text(text, str(path), options)))
    await final_statuses(client, uri, count, timeout=timeout)
    want = expected_state(text, await fresh)
    got: tuple[Any, Any] = ([], [])

    async def same() -> bool:
        nonlocal got
        got = await server_state(client, uri)
        return got == want

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not await same() and loop.time() < deadline:  # the last publish may follow the lenses
        await next_publish(client, 1.0)
    assert got[1] == want[1], f"lenses differ from a fresh verification:\n{got[1]}\n!=\n{want[1]}"
    assert got[0] == want[0], f"diagnostics differ from a fresh verification:\n{got[0]}\n!=\n{want[0]}"


# -- 1. random editing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One didChange: a range edit (``start``/``end`` as LSP positions) or, without a range, the
    whole text; ``after`` is the document once it is applied."""

    start: tuple[int, int] | None
    end: tuple[int, int] | None
    text: str
    after: str


VALID = (
    TEXT,
    re.sub(r"if\s*\(\s*y\s*>\s*0\s*\)", "if (y > -5)", TEXT, count=1),  # g refuted
    TEXT + "\nint add(int a, int b) {\n   if (a > 100 || a < -100 || b > 100 || b < -100) return 0;\n"
           "   return a + b;\n}\n",
)
TOKENS = ("int ", "x", "y", "0", "1", "+", "-", "*", "/", "%", "=", "==", ";", ",", "<<", "return ",
          "while (x > 0) ", "if (", "x = x - 1;", "/*", "*/", "//", '"', "'", "\\", "#if 0\n", "#endif\n",
          "#define x y\n", "\n", " ", "\t", "unsigned ", "long ", "//@ assert x > 0;\n", "f(x)", "->", ".")
GARBAGE = st.text(alphabet=st.sampled_from(list("(){}[];=+-*/<>!&|^%~?:,. \n\t\"'#\\@$`xyzabc0189")
                                           + ["é", "ü", "€", "😋", "\u00a0", "\x00", "\x0c", "\u2028", "\ufeff"]),
                  min_size=1, max_size=40)
IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]+")


def random_edits(count: int, sink: Callable[[list[Edit]], None] = lambda _: None) -> list[Edit]:
    """At least ``count`` edits on seed.c from a hypothesis state machine that plays a careless
    typist: mid-token insertions and deletions, unbalanced braces, pasted garbage (non-ASCII, NUL,
    form feed, line separator), and now and then a jump back to valid code. No I/O here: each
    example's edits go to ``sink`` (the session replays them while the next are generated)."""
    edits: list[Edit] = []
    current = [TEXT]  # the text the replayed session is at, across examples

    class Typist(RuleBasedStateMachine):
        """One example: typing on valid code (examples start over with a full replacement)."""

        def __init__(self) -> None:
            super().__init__()
            self.text, self.since_valid, self.batch = TEXT, 0, list[Edit]()
            if current[0] != TEXT:
                self._record(Edit(None, None, TEXT, TEXT))

        def _record(self, edit: Edit) -> None:
            self.batch.append(edit)
            current[0] = self.text = edit.after

        def teardown(self) -> None:
            edits.extend(self.batch)
            sink(self.batch)

        def _replace(self, a: int, b: int, new: str) -> None:
            text = self.text
            self._record(Edit(lsp_position(text, a), lsp_position(text, b), new, text[:a] + new + text[b:]))
            self.since_valid += 1

        def _offset(self, data: st.DataObject) -> int:
            return data.draw(st.integers(0, len(self.text)), label="offset")

        @rule(data=st.data(), token=st.sampled_from(TOKENS))
        def insert_token(self, data: st.DataObject, token: str) -> None:
            a = self._offset(data)
            self._replace(a, a, token)

        @rule(data=st.data(), length=st.integers(1, 12))
        def delete(self, data: st.DataObject, length: int) -> None:
            a = self._offset(data)
            self._replace(a, min(a + length, len(self.text)), "")

        @rule(data=st.data())
        def edit_inside_a_word(self, data: st.DataObject) -> None:
            words = [m.span() for m in IDENT.finditer(self.text)]
            if not words:
                return
            lo, hi = data.draw(st.sampled_from(words), label="word")
            a = data.draw(st.integers(lo + 1, hi - 1), label="inside")
            if data.draw(st.booleans(), label="delete"):
                self._replace(a, a + 1, "")
            else:
                self._replace(a, a, data.draw(st.sampled_from(["x", "_", "1", " ", "é"]), label="char"))

        @rule(data=st.data(), brace=st.sampled_from(["{", "}", "(", ")", "[", "]", "{{", "}}}"]))
        def unbalance(self, data: st.DataObject, brace: str) -> None:
            a = self._offset(data)
            self._replace(a, a, brace)

        @rule(data=st.data(), junk=GARBAGE, length=st.integers(0, 5))
        def paste(self, data: st.DataObject, junk: str, length: int) -> None:
            a = self._offset(data)
            self._replace(a, min(a + length, len(self.text)), junk)

        @precondition(lambda self: self.since_valid >= 40)
        @rule(valid=st.sampled_from(VALID))
        def back_to_valid_code(self, valid: str) -> None:
            self._record(Edit(None, None, valid, valid))
            self.since_valid = 0

    config = settings(max_examples=10, stateful_step_count=200, deadline=None, database=None,
                      phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    while len(edits) < count:
        run_state_machine_as_test(Typist, settings=config)
    return edits


def dump(edits: Sequence[Edit]) -> Path:
    """Write the edits as JSON (a failing run's repro: replay them with didChange)."""
    path = Path(tempfile.mkstemp(prefix="prooflens-edits-", suffix=".json")[1])
    path.write_text(json.dumps([[e.start, e.end, e.text] for e in edits]))
    return path


async def test_ten_thousand_random_edits(session: Session) -> None:
    """10,000 random edits sent without pause: afterwards the server is alive and what it shows
    for the last version equals a fresh verification of the final text."""
    count, options = 10_000, {"timeout": 2}
    loop = asyncio.get_running_loop()
    batches: asyncio.Queue[list[Edit]] = asyncio.Queue()

    def deliver(batch: list[Edit]) -> None:
        loop.call_soon_threadsafe(batches.put_nowait, batch)

    generated = asyncio.create_task(asyncio.to_thread(random_edits, count, deliver))
    path = workdir() / "seed.c"
    path.write_text(TEXT)
    uri = path.as_uri()
    t0 = time.monotonic()
    sent: list[Edit] = []
    async with session(options) as client:
        pid = server_pid(client)
        open_doc(client, uri, TEXT)
        while len(sent) < count:
            for e in (await batches.get())[:count - len(sent)]:
                sent.append(e)
                version = len(sent) + 1
                if e.start is None or e.end is None:
                    change_full(client, uri, e.text, version)
                else:
                    change_range(client, uri, version, e.start, e.end, e.text)
                if len(sent) % 100 == 0:  # a round trip now and then: the server has read all so far
                    await server_stats(client)
                    assert alive(pid), f"the server died after {len(sent)} edits; edits in {dump(sent)}"
                if len(sent) % 2500 == 0:  # now and then: what is published is this very version
                    await published(client, uri, version, timeout=30)
        await generated
        sending = time.monotonic() - t0
        await published(client, uri, count + 1)
        try:
            await assert_matches_fresh_verification(client, uri, path, sent[-1].after, Options.from_dict(options)[0])
        except AssertionError as e:
            e.add_note(f"the edits, to replay: {dump(sent)}")
            raise
        assert alive(pid)
        stats = await server_stats(client)
        assert [d["version"] for d in stats["documents"] if d["uri"] == uri] == [count + 1]
    print(f"\n{count} random edits sent in {sending:.1f} s, final state checked at {time.monotonic() - t0:.1f} s; "
          f"jobs dispatched {stats['dispatched']}, cancelled {stats['cancelled']}")


# -- 2. memory over 1,000 edits ------------------------------------------------------------------

FILLER = "/* " + "\n".join(f" * filler line {i}: " + "lorem ipsum dolor sit amet " * 2 for i in range(800)) + " */\n"
G_GUARD = "if (y > 0)"


async def test_memory_bounded_over_1000_semantic_edits(session: Session) -> None:
    """1,000 edits that each change g's meaning (so each needs a worker, most of them cancelled) on
    a ~50 KB file: the server's RSS must not grow with the number of edits. Keeping one text or
    split per edit would add ~50 MB; the bound allows 40 MB (bounded caches fill by ~3 MB) and
    20 MB in the second half. Smaller per-edit leaks (pygls kept a future per notification, ~1 KB)
    are caught by counting what the protocol holds."""
    path = workdir() / "mem.c"
    text = TEXT + FILLER
    path.write_text(text)
    uri = path.as_uri()
    g_line = TEXT.split("\n").index(next(ln for ln in TEXT.split("\n") if G_GUARD in ln))
    col = TEXT.split("\n")[g_line].index(G_GUARD) + len("if (y > ")
    async with session({"timeout": 2, "debounceMs": 0}) as client:
        pid = server_pid(client)
        open_doc(client, uri, text)
        await final_statuses(client, uri, 4)
        current, version, rss = "0", 1, {}

        async def edits(n: int) -> None:
            nonlocal current, version
            for _ in range(n):
                version += 1
                new = str(version)
                change_range(client, uri, version, (g_line, col), (g_line, col + len(current)), new)
                current = new
                if version % 10 == 0:
                    await server_stats(client)
            await published(client, uri, version)
            await final_statuses(client, uri, 4)

        await edits(100)  # warm-up: workers started, caches and allocator arenas in use
        rss["start"] = memory_kb(pid)["VmRSS"]
        await edits(500)
        rss["500"] = memory_kb(pid)["VmRSS"]
        await edits(500)
        mem = memory_kb(pid)
        rss["1000"], rss["peak"] = mem["VmRSS"], mem["VmHWM"]
        children = len(descendants(pid))
        stats = await server_stats(client)
    print(f"\nserver RSS (MB): start {rss['start'] / 1024:.1f}, after 500 edits {rss['500'] / 1024:.1f}, "
          f"after 1,000 {rss['1000'] / 1024:.1f}, peak {rss['peak'] / 1024:.1f}; children {children}; "
          f"jobs {stats['dispatched']}, cancelled {stats['cancelled']}")
    assert rss["1000"] - rss["start"] < 40 * 1024
    assert rss["1000"] - rss["500"] < 20 * 1024
    assert stats["protocolFutures"] < 10, "pygls bookkeeping grows with the notifications"


# -- 3. one cache, two servers at once ---------------------------------------------------------------

BROKEN_G = VALID[1]
WITH_ADD = VALID[2]


async def edit_session(client: LanguageClient, uri: str, path: Path, options: Options) -> None:
    """Open seed.c, break g, add a function, then settle on WITH_ADD: correct at every stop."""
    open_doc(client, uri, TEXT)
    await assert_matches_fresh_verification(client, uri, path, TEXT, options)
    change_full(client, uri, BROKEN_G, 2)
    await published(client, uri, 2)
    await assert_matches_fresh_verification(client, uri, path, BROKEN_G, options)
    change_full(client, uri, WITH_ADD, 3)
    await published(client, uri, 3)
    await assert_matches_fresh_verification(client, uri, path, WITH_ADD, options)


async def test_two_servers_share_one_cache(session: Session) -> None:
    """Two servers editing the same file on the same cache file at once both end right; a third
    then answers everything from that cache, and the file passes sqlite's integrity check."""
    cache = workdir() / "shared" / "results.sqlite3"
    path = workdir() / "seed.c"
    path.write_text(TEXT)
    uri = path.as_uri()
    options = {"timeout": 2, "cachePath": str(cache)}
    opts = Options.from_dict(options)[0]
    async with session(options) as one, session(options) as two:
        await asyncio.gather(edit_session(one, uri, path, opts), edit_session(two, uri, path, opts))
    async with session(options) as third:
        for version, text in enumerate((TEXT, BROKEN_G, WITH_ADD), start=1):
            if version == 1:
                open_doc(third, uri, text)
            else:
                change_full(third, uri, text, version)
            await published(third, uri, version)
            await assert_matches_fresh_verification(third, uri, path, text, opts, timeout=5)
        stats = await server_stats(third)
        assert stats["dispatched"] == 0, "the third server verified what the cache should have answered"
    conn = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] > 0
    finally:
        conn.close()


LATE = """int late(int a, int b) {
    if (a > 1000 || a < -1000 || b > 1000 || b < -1000) return 0;
    int r = a * b + 7;
    if (b != 0) r = r / b;
    return r;
}
"""


async def test_a_job_running_at_shutdown_still_reaches_the_cache(session: Session) -> None:
    """An editor closed right after an edit: the job already running finishes within the
    shutdown grace and is stored, so the next server answers from the cache, verifying nothing."""
    cache = workdir() / "results.sqlite3"
    path = workdir() / "late.c"
    path.write_text(LATE)
    uri = path.as_uri()
    options = {"timeout": 2, "cachePath": str(cache), "workers": 1}
    async with session(options) as first:
        open_doc(first, uri, LATE)
        stats = await server_stats(first)
        while not stats["dispatched"]:  # one round trip per question: no sleeping
            stats = await server_stats(first)
        assert stats["completed"] == 0, "the job ended before the shutdown: nothing tested"
    async with session(options) as second:
        open_doc(second, uri, LATE)
        await final_statuses(second, uri, 1, timeout=30)
        assert (await server_stats(second))["dispatched"] == 0, "the running job's result was lost at shutdown"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-version"])
async def test_damaged_cache_is_rebuilt(session: Session, damage: str) -> None:
    """A server started on a damaged cache file says so, verifies afresh (nothing from the bad
    file is shown) and leaves a sound file that the next server answers from."""
    cache = workdir() / "results.sqlite3"
    path = workdir() / "seed.c"
    path.write_text(TEXT)
    uri = path.as_uri()
    options = {"timeout": 2, "cachePath": str(cache)}
    opts = Options.from_dict(options)[0]
    async with session(options) as first:
        open_doc(first, uri, TEXT)
        await assert_matches_fresh_verification(first, uri, path, TEXT, opts)
    conn = sqlite3.connect(cache)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "other-version":
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    raw = cache.read_bytes()
    if damage == "truncated":
        cache.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        cache.write_bytes(b"\x00garbage, not a database" * 200)
    async with session(options) as second:
        open_doc(second, uri, TEXT)
        await assert_matches_fresh_verification(second, uri, path, TEXT, opts)
        assert any("rebuilt" in m.message for m in second.messages), [m.message for m in second.messages]
        assert (await server_stats(second))["dispatched"] == 4, "results were read from a bad file"
    async with session(options) as third:
        open_doc(third, uri, TEXT)
        await assert_matches_fresh_verification(third, uri, path, TEXT, opts, timeout=5)
        assert (await server_stats(third))["dispatched"] == 0


# -- 4. hostile input ----------------------------------------------------------------------------------

FN = "int k(int x) {\n  if (x > 100 || x < -100) return 0;\n  return x + 1;\n}\n"
RAW = b"int k(int x) { return x; }\n/* caf\xe9 \xff\xfe */\nint j(int \xe9) { return 1; }\n"


@dataclass(frozen=True)
class Hostile:
    """A document, files next to it, and what the diagnostic must say (None: no error expected)."""

    text: str
    says: str | None
    files: tuple[tuple[str, str], ...] = ()


HOSTILE = {
    "non-utf8-replaced": Hostile(RAW.decode("utf-8", "replace"), "Illegal character"),
    "non-utf8-surrogates": Hostile(RAW.decode("utf-8", "surrogateescape"), "Illegal character"),
    "deep-nesting": Hostile("int deep(int x) { return " + "(" * 10_000 + "x" + ")" * 10_000 + "; }\n" + FN,
                            "recursion|nest|deep"),
    "long-line": Hostile("int l(int x) { return x" + " + 1" * 25_000 + "; }\n" + FN, "complex|unsupported"),
    "missing-include": Hostile('#include "does_not_exist.h"\n' + FN, "cannot find include file does_not_exist.h"),
    "include-loop": Hostile('#include "loop_a.h"\n' + FN, "nested depth|include",
                            (("loop_a.h", '#include "loop_b.h"\nint a_decl(int);\n'),
                             ("loop_b.h", '#include "loop_a.h"\nint b_decl(int);\n'))),
    "unsupported-c": Hostile("int v(int n) { int a[n]; return sizeof a; }\n"
                             "int w(int x) { return ({ x; }); }\n"
                             "int s(void) { static int t; asm(\"nop\"); return t; }\n" + FN, "unsupported"),
}


async def responsive(client: LanguageClient, uri: str, within: float = 10.0) -> None:
    """Hover and code lenses both answer in time (the loop is not stuck in the document)."""
    pos = types.Position(line=0, character=4)
    await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), within)
    await asyncio.wait_for(client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))), within)


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_hostile_document(session: Session, name: str) -> None:
    """Each hostile document gets a clear diagnostic; the server stays up, answers, stays small,
    and an edit to the document is taken as usual; its last state equals a fresh verification."""
    case = HOSTILE[name]
    d = workdir()
    for file, body in case.files:
        (d / file).write_text(body)
    path = d / f"{name}.c"
    path.write_bytes(RAW if name.startswith("non-utf8") else case.text.encode())
    uri = path.as_uri()
    options = {"timeout": 2}
    async with session(options) as client:
        pid = server_pid(client)
        open_doc(client, uri, case.text)
        await published(client, uri, 1, timeout=30)
        await responsive(client, uri)
        if case.says is not None:
            await wait_until(client, lambda: any(re.search(case.says, d.message, re.I)
                                                 for d in prooflens_diagnostics(client, uri)),
                             timeout=60, what=f"a diagnostic saying {case.says!r}")
        await assert_matches_fresh_verification(client, uri, path, case.text, Options.from_dict(options)[0])
        lines = case.text.split("\n")
        end = len(lines) - 1
        change_range(client, uri, 2, (end, 0), (end, 0), "int z(void) { return 1 / 0; }\n")
        await published(client, uri, 2, timeout=30)
        final = case.text + "int z(void) { return 1 / 0; }\n"
        await assert_matches_fresh_verification(client, uri, path, final, Options.from_dict(options)[0])
        await responsive(client, uri)
        assert alive(pid)
        assert memory_kb(pid)["VmRSS"] < 400 * 1024


async def test_one_megabyte_file(session: Session) -> None:
    """A 1 MB file (16,000 functions): published at once, the first function's refutation
    arrives while the rest queue, the server answers and stays small; closing it stops the work."""
    head = "int first(int x) {\n  return 100 / x;\n}\n"
    body = "".join(f"int f{i}(int x) {{ if (x > 100 || x < -100) return 0; return x + {i}; }}\n"
                   for i in range(16_000))
    text = head + body
    assert len(text) > 1_000_000
    path = workdir() / "big.c"
    path.write_text(text)
    uri = path.as_uri()
    async with session({"timeout": 2}) as client:
        pid = server_pid(client)
        t = time.monotonic()
        open_doc(client, uri, text)
        await published(client, uri, 1, timeout=60)
        opened = time.monotonic() - t
        await wait_until(client, lambda: any(d.code == "div-by-zero.div" and d.range.start.line == 1
                                             for d in prooflens_diagnostics(client, uri)),
                         timeout=60, what="first's division by zero")
        await responsive(client, uri, within=20)
        change_range(client, uri, 2, (1, 9), (1, 12), "1")  # 100 / x -> 1 / x
        t = time.monotonic()
        await published(client, uri, 2, timeout=60)
        keystroke = time.monotonic() - t
        rss = memory_kb(pid)["VmRSS"]
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        await wait_until(client, lambda: uri in client.diagnostics and not client.diagnostics[uri],
                         timeout=30, what="diagnostics cleared on close")
        stats = await server_stats(client)
        assert not stats["documents"]
    print(f"\n1 MB file: first publish {opened:.1f} s, a keystroke {keystroke:.1f} s, server RSS {rss / 1024:.0f} MB")
    assert rss < 1024 * 1024


async def test_line_separators_other_than_newline(session: Session) -> None:
    """LSP lines end at \\n, \\r\\n or \\r only: a form feed (a page break in many C sources), a
    vertical tab or U+2028 inside a line must not shift where a later range edit lands."""
    text = ("/* page one \x0c page two \x0b tab \u2028 sep \x85 nel */\n"
            "int k(int x) {\n  return x + 1;\n}\n")
    path = workdir() / "separators.c"
    path.write_text(text)
    uri = path.as_uri()
    options = {"timeout": 2}
    async with session(options) as client:
        open_doc(client, uri, text)
        await published(client, uri, 1)
        # line 2 is "  return x + 1;": make it "  return 10 / (x - x);"
        change_range(client, uri, 2, (2, 9), (2, 14), "10 / (x - x)")
        await published(client, uri, 2)
        final = text.replace("return x + 1;", "return 10 / (x - x);")
        await assert_matches_fresh_verification(client, uri, path, final, Options.from_dict(options)[0])
        assert any(d.code == "div-by-zero.div" for d in prooflens_diagnostics(client, uri))


# -- 5. runaway work -----------------------------------------------------------------------------------

RUNAWAY = ("void reach_error(void);\n"
           "void collatz(unsigned n) {\n  while (n > 1) {\n    if (n % 2) n = 3 * n + 1;\n    else n = n / 2;\n  }\n}\n"
           "void fermat(long x, long y, long z) {\n"
           "  if (x > 0 && y > 0 && z > 0 && x < 1000000 && y < 1000000 && z < 1000000)\n"
           "    if (x * x * x + y * y * y == z * z * z) reach_error();\n}\n")


async def test_undecidable_checks_end_unknown_and_leave_no_process(session: Session) -> None:
    """A Collatz loop and a nonlinear (Fermat, n = 3) check end as unknown within their limit
    (1 s per check); with a long limit, closing the document kills the running worker within
    1 s; after shutdown and exit no descendant of the server remains (counted)."""
    path = workdir() / "runaway.c"
    path.write_text(RUNAWAY)
    uri = path.as_uri()
    async with session({"timeout": 1}) as client:
        pid = server_pid(client)
        t = time.monotonic()
        open_doc(client, uri, RUNAWAY)
        got = await final_statuses(client, uri, 2, timeout=60)
        elapsed = time.monotonic() - t
        assert all(title.startswith("? unknown") for title in got.values()), got
        assert any("timeout" in title for title in got.values()), got
        assert elapsed < 20, f"unknown took {elapsed:.1f} s with a 1 s limit per check"
        await assert_matches_fresh_verification(client, uri, path, RUNAWAY, Options.from_dict({"timeout": 1})[0])
        # a long limit: fermat's job runs until it is cancelled
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"prooflens": {"timeout": 120, "jobTimeout": 600}}))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not any("verifying" in title for title in (await statuses(client, uri)).values()):
            assert loop.time() < deadline, "the re-verification never started"
            await next_publish(client, 1.0)
        stats = await server_stats(client)
        assert pending_of(stats, uri) > 0 and stats["workerPids"]
        workers = stats["workerPids"]
        t = time.monotonic()
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        while all(alive(w) for w in workers):
            assert time.monotonic() - t < 1.0, "no worker was killed within 1 s of closing the document"
            await asyncio.sleep(0.02)
        kids = descendants(pid)
        assert kids, "the server should have worker processes"
    left = [k for k in kids if alive(k)]
    assert not left, f"{len(left)} of the server's {len(kids)} descendants survived exit"
