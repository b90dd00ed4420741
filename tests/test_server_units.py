"""Feature-level tests of the server's pure parts: configuration, position conversion,
incremental keys, lens titles, diagnostics content (no subprocess, no engine)."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_server_fakes import fake_split, fake_verify  # noqa: E402

from analysis import service  # noqa: E402
from analysis.model import CheckResult, FunctionResult, Pos, Span, Status  # noqa: E402
from analysis.options import Options  # noqa: E402
from server.config import ServerConfig, merge  # noqa: E402
from server.convert import LineIndex, contains  # noqa: E402
from server.documents import FunctionEntry, Phase  # noqa: E402
from server.features import code_lens  # noqa: E402
from server.incremental import compute_keys  # noqa: E402


# -- configuration ---------------------------------------------------------------------------
def test_config_defaults_and_values() -> None:
    cfg, problems = ServerConfig.from_dict({"prooflens": {"workers": 4, "debounceMs": 50, "timeout": 2,
                                                          "dataModel": "ILP32", "inlayHints": False,
                                                          "severity": {"overflow": "error"}}})
    assert problems == []
    assert cfg.workers == 4 and cfg.debounce_ms == 50 and not cfg.inlay_hints
    assert cfg.options.timeout == 2.0 and cfg.options.data_model == "ILP32"
    assert cfg.severity_of("overflow") == "error" and cfg.severity_of("assert") == "error"
    assert cfg.severity_of("div-by-zero") == "warning"


def test_config_bad_values_fall_back_and_are_reported() -> None:
    cfg, problems = ServerConfig.from_dict({"workers": "many", "debounceMs": -1, "dataModel": "PDP11",
                                            "severity": {"nonsense": "error"}, "unknownSeverity": "loud",
                                            "bogus": 1})
    assert cfg == ServerConfig()
    assert len(problems) == 6, problems
    assert any("bogus" in p for p in problems)


def test_config_accepts_what_the_vscode_extension_sends() -> None:
    sent = {"trace": {"server": "off"}, "server": {"command": [], "pythonPath": ""}, "statusBar": True,
            "timeout": 5, "dataModel": "LP64", "includeDirs": [], "defines": [], "compileCommands": "",
            "cachePath": "", "persistentCache": True, "workers": 2, "inlineDepth": 3, "unroll": 12,
            "termination": True, "checksEnabled": [], "unknownAsInformation": True,
            "severity": {"undefined-behaviour": "error"}, "inlayHints": True, "statusDiagnostics": "auto",
            "debounceMs": 150, "jobTimeout": 0, "compiler": "cc"}
    cfg, problems = ServerConfig.from_dict({"prooflens": sent})
    assert problems == []
    assert cfg.severity_of("shift") == "error" and cfg.cache_path is None


def test_config_unknown_as_information_and_merge() -> None:
    cfg, _ = ServerConfig.from_dict(merge({"unknownAsInformation": True}, {"prooflens": {"unknownAsInformation": False}}))
    assert cfg.unknown_severity == "off"
    assert ServerConfig.from_dict(None) == (ServerConfig(), [])
    assert ServerConfig.from_dict([1])[1]


# -- positions ---------------------------------------------------------------------------------
def test_convert_is_one_based_to_zero_based() -> None:
    idx = LineIndex("int f(void) {\n  return 1;\n}\n")
    r = idx.range(Span.of(2, 3, 2, 9))
    assert (r.start.line, r.start.character, r.end.line, r.end.character) == (1, 2, 1, 8)
    # relative spans (as cached) placed with an offset
    r = idx.range(Span.of(1, 3, 1, 9), offset=1)
    assert (r.start.line, r.start.character) == (1, 2)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_convert_ends_lines_where_lsp_does(eol: str) -> None:
    """A lone \\r ends a line for LSP and for the preprocessor: positions agree (line 2 = `return`)."""
    idx = LineIndex(eol.join(["int f(void) {", "  return 1;", "}", ""]))
    r = idx.range(Span.of(2, 3, 2, 9))
    assert (r.start.line, r.start.character, r.end.line, r.end.character) == (1, 2, 1, 8)
    end = idx.end_of_line(2)
    assert (end.line, end.character) == (1, len("  return 1;"))


@pytest.mark.parametrize("enc,expect", [("utf-16", 4), ("utf-32", 3), ("utf-8", 5)])
def test_convert_encodings(enc: str, expect: int) -> None:
    # "é" is 1 code point, 1 UTF-16 unit, 2 UTF-8 bytes; "😋" is 2 UTF-16 units, 4 UTF-8 bytes
    idx = LineIndex("/*é😋*/ x", enc)
    pos = idx.position(Pos(1, 4))  # the character after "/*é"
    assert pos.character == {"utf-16": 3, "utf-32": 3, "utf-8": 4}[enc]
    after = idx.position(Pos(1, 5)).character
    assert after == {"utf-16": 5, "utf-32": 4, "utf-8": 8}[enc]
    assert idx.to_analysis(types.Position(line=0, character=after)) == Pos(1, 5)
    assert expect  # parametrised for readability


def test_convert_accepts_the_lsprotocol_enum() -> None:
    idx = LineIndex("é x", types.PositionEncodingKind.Utf8)
    assert idx.encoding == "utf-8" and idx.position(Pos(1, 3)).character == 3


def test_contains_with_offset() -> None:
    assert contains(Span.of(0, 5, 0, 9), Pos(10, 6), offset=10)
    assert not contains(Span.of(0, 5, 0, 9), Pos(11, 6), offset=10)


# -- incremental keys ---------------------------------------------------------------------------
SRC = """int leaf(int x) { return x + 1; }
int mid(int x) { return leaf(x) + 2; }
int top(int x) { return mid(x) * 3; }
int lone(int y) { return y; }
int gone(int z) { return z; }
"""


def _full(text: str) -> list[str]:
    split = fake_split(text, "/t.c", Options())
    return [service.function_key(split, u, Options()) for u in service.functions_of(split)]


def test_incremental_keys_reuse_and_invalidate_callers() -> None:
    opts = Options()
    snap, keys = compute_keys(fake_split(SRC, "/t.c", opts), opts)
    assert keys == _full(SRC)
    # a comment line at the top: every key kept, none recomputed
    text2 = "/* moved */\n" + SRC
    snap2, keys2 = compute_keys(fake_split(text2, "/t.c", opts), opts, snap)
    assert keys2 == keys and snap2.recomputed == 0
    # editing leaf changes leaf, mid and top, not lone
    text3 = text2.replace("x + 1", "x + 2")
    snap3, keys3 = compute_keys(fake_split(text3, "/t.c", opts), opts, snap2)
    assert keys3 == _full(text3)
    assert [a != b for a, b in zip(keys2, keys3, strict=True)] == [True, True, True, False, False]
    assert snap3.recomputed == 3


def test_incremental_keys_match_full_on_random_edits() -> None:
    rnd = random.Random(7)
    opts = Options()
    pieces = ["leaf", "mid", "top", "lone", "gone", "x", "+", "1", "(", ")", ";", "{", "}", " ", "\n", "int ",
              "/* c */"]
    text = SRC
    snap = None
    for _ in range(300):
        a = rnd.randrange(len(text) + 1)
        b = min(len(text), a + rnd.choice([0, 0, 1, 4]))
        text = text[:a] + "".join(rnd.choice(pieces) for _ in range(rnd.choice([0, 1, 2]))) + text[b:]
        if rnd.random() < 0.05:
            text = SRC
        split = fake_split(text, "/t.c", opts)
        snap, keys = compute_keys(split, opts, snap)
        assert keys == _full(text)


# -- lens titles -------------------------------------------------------------------------------------
def _entry(text: str, phase: Phase = Phase.FINAL, had: bool = False) -> FunctionEntry:
    split = fake_split(text, "/t.c", Options())
    unit = service.functions_of(split)[0]
    res = fake_verify(service.make_job(split, unit, Options()))
    rel = res.shifted(-unit.span.start.line)
    return FunctionEntry(unit, "k", rel if phase is Phase.FINAL else None, phase, had)


def test_lens_titles() -> None:
    assert code_lens.title(_entry("int f(int x) { return x + 1; }")).startswith("✔ proved · 1 check · ")
    t = code_lens.title(_entry("\n\nint f(int x) { BUG; return 0; }"))
    assert t == "✘ refuted: assertion may fail (line 3)"
    assert code_lens.title(_entry("int f(int x) { SLOW; }")) == "? unknown: timeout (line 1)"
    assert code_lens.title(_entry("int f(int x) { }", Phase.QUEUED)) == "… verifying"
    assert code_lens.title(_entry("int f(int x) { }", Phase.QUEUED, had=True)) == "stale"
    assert code_lens.title(_entry("int f(int x) { }", Phase.RUNNING, had=True)) == "… verifying"


def test_result_title_counts_extra_refutations() -> None:
    span = Span.of(1, 1, 1, 2)
    res = FunctionResult("f", span, span, (CheckResult("overflow.signed.sub", Status.REFUTED, Span.of(12, 1, 12, 2)),
                                           CheckResult("div-by-zero.div", Status.REFUTED, Span.of(13, 1, 13, 2))))
    assert code_lens.result_title(res, 0) == "✘ refuted: signed overflow in - (line 12) · +1 more"
    term = CheckResult("termination.loop", Status.REFUTED, Span.of(11, 1, 11, 2))
    res2 = FunctionResult("f", span, span, (term, *res.checks))
    assert code_lens.result_title(res2, 0).startswith("✘ refuted: signed overflow in - (line 12)")
    long = CheckResult("termination.loop", Status.UNKNOWN, Span.of(3, 1, 3, 2), reason="word " * 40)
    title = code_lens.result_title(FunctionResult("f", span, span, (long,)), 0)
    assert "…" not in title and "..." not in title and len(title) < 90


# -- running a generated test (explicit command only) -----------------------------------------------
@pytest.mark.skipif(not __import__("shutil").which("cc"), reason="no C compiler")
def test_compile_and_run(tmp_path: Path) -> None:
    from server.features.commands import compile_and_run

    ok = tmp_path / "ok.c"
    ok.write_text("int main(void) { return 0; }\n")
    assert compile_and_run("cc", ok) == {"compiled": True, "exitCode": 0, "stdout": "", "stderr": ""}
    bad = tmp_path / "ovf.c"
    bad.write_text("#include <limits.h>\nint main(int c, char **v) { int x = INT_MAX; (void)v; return x + c; }\n")
    res = compile_and_run("cc", bad)
    assert res["compiled"] and res["exitCode"] != 0
    broken = tmp_path / "broken.c"
    broken.write_text("int main(void) { return }\n")
    assert compile_and_run("cc", broken)["compiled"] is False
    loop = tmp_path / "loop.c"
    loop.write_text("int main(void) { for (;;) {} }\n")
    assert "timed out" in compile_and_run("cc", loop, timeout=0.5)["stderr"]


# -- the keystroke path in-process: shifted fragments equal fresh ones -------------------------------
def test_shifted_diagnostics_equal_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from analysis.cache import MemoryCache
    from server.app import ProoflensServer, ResultStore
    from server.documents import Document

    monkeypatch.setattr(service, "split_text", fake_split)
    src = "".join(f"/* f{i} */\nint f{i}(int x) {{\n  {'BUG;' if i % 3 == 0 else ''} return x + {i};\n}}\n"
                  for i in range(30))

    async def run() -> None:
        srv = ProoflensServer()
        srv.caps.related_information = True
        srv.caps.code_lens = True
        srv.results = ResultStore(MemoryCache())
        sent: list[str] = []
        monkeypatch.setattr(srv, "send_raw_notification", lambda method, params: sent.append(params))
        monkeypatch.setattr(srv, "_request", lambda *a, **k: None)
        text = {"now": src}
        monkeypatch.setattr(type(srv), "workspace", property(
            lambda self: type("W", (), {"get_text_document": lambda _s, uri: type("T", (), {"source": text["now"]})()})()))
        split = fake_split(src, "/t.c", Options())
        for u in service.functions_of(split):
            res = fake_verify(service.make_job(split, u, Options()))
            srv.results.store(service.function_key(split, u, Options()), u, res, persist=False)
        doc = Document("file:///t.c", "/t.c", 1, src)
        srv.docs[doc.uri] = doc
        srv.refresh(doc, opened=True)
        for k in range(3):
            text["now"] = "\n" * (k + 1) + src
            doc.version = k + 2
            srv.refresh(doc)
            fresh = type(srv.diagnostics)(srv).build(doc)
            assert __import__("json").loads(sent[-1])["diagnostics"] == fresh
            assert [d["range"]["start"]["line"] for d in fresh if d["code"] == "assert.violated"][0] == 2 + k + 1

    asyncio.run(run())


# -- the inferred precondition: inlay hint, hover, code action ---------------------------------------
PRE_SRC = r"""int first(const int *a) { REQUIRES("\\valid_read(a)"); return a[0]; }

  long sum(const int *a, int n) {
    REQUIRES("\\valid_read(a + (0 .. n-1))");
    return a[0] + n;
  }
void swap(int *a, int *b) { REQUIRES("\\valid(a)"); REQUIRES("\\valid(b)"); }
int plain(int x) { return x + 1; }
"""


def _pre_server(text: str, split: object = None, resolve: bool = False) -> tuple[object, object]:
    """A document whose functions carry the fake engine's answers, and the little of a server the
    features read (settings, client capabilities, open documents)."""
    from types import SimpleNamespace

    from server.app import ClientCaps
    from server.documents import Document

    doc = Document("file:///t.c", "/t.c", 1, text)
    split = split or fake_split(text, "/t.c", Options())
    for unit in service.functions_of(split):  # type: ignore[arg-type]
        res = fake_verify(service.make_job(split, unit, Options()))  # type: ignore[arg-type]
        doc.functions.append(FunctionEntry(unit, f"k-{unit.name}", res.shifted(-unit.span.start.line), Phase.FINAL))
    shown: list[str] = []
    srv = SimpleNamespace(config=ServerConfig(), caps=ClientCaps(code_action_resolve_edit=resolve),
                          docs={doc.uri: doc}, show=lambda kind, message: shown.append(message), shown=shown)
    return srv, doc


def _everywhere() -> types.Range:
    return types.Range(start=types.Position(line=0, character=0), end=types.Position(line=99, character=0))


def test_precondition_inlay_hints_stand_before_the_declaration() -> None:
    from server.features.inlay_hints import InlayHintFeature

    srv, doc = _pre_server(PRE_SRC)
    hints = InlayHintFeature(srv).hints(doc, _everywhere())  # type: ignore[arg-type]
    got = {(h.position.line, h.position.character): h.label for h in hints}
    assert got == {(0, 0): r"⟨requires \valid_read(a);⟩",
                   (2, 2): r"⟨requires \valid_read(a + (0 .. n-1));⟩",
                   (6, 0): r"⟨requires \valid(a); requires \valid(b);⟩"}
    assert all(h.padding_right for h in hints)
    assert "checked at every call site" in str(hints[0].tooltip)
    # only the lines asked for, and none while the function is being re-verified
    only_sum = types.Range(start=types.Position(line=1, character=0), end=types.Position(line=3, character=0))
    assert [h.position.line for h in InlayHintFeature(srv).hints(doc, only_sum)] == [2]  # type: ignore[arg-type]
    doc.functions[1].phase = Phase.QUEUED  # type: ignore[attr-defined]
    assert 2 not in {h.position.line for h in InlayHintFeature(srv).hints(doc, _everywhere())}  # type: ignore[arg-type]
    srv.config = ServerConfig(inlay_hints=False)  # type: ignore[attr-defined]
    assert InlayHintFeature(srv).hints(doc, _everywhere()) == []  # type: ignore[arg-type]


def test_precondition_in_the_function_hover() -> None:
    from server.features.hover import function_markdown

    _, doc = _pre_server(PRE_SRC)
    first, sum_, swap, plain = doc.functions  # type: ignore[attr-defined]
    text = function_markdown(first)
    assert "**Inferred precondition (checked at every call site):**\n\n- `requires \\valid_read(a);`" in text
    assert "- `requires \\valid_read(a + (0 .. n-1));`" in function_markdown(sum_)
    assert "- `requires \\valid(a);`\n- `requires \\valid(b);`" in function_markdown(swap)
    assert "Inferred precondition" not in function_markdown(plain)


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    at = edit.range.start
    assert edit.range.end == at and at.character == 0
    return "\n".join(lines[:at.line]) + ("\n" if at.line else "") + edit.new_text + "\n".join(lines[at.line:])


def _action_at(srv: object, doc: object, line: int, character: int,
               only: list[str] | None = None) -> list[types.CodeAction | types.Command]:
    import asyncio

    from server.features.code_actions import CodeActionFeature

    at = types.Position(line=line, character=character)
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri="file:///t.c"),
                                    range=types.Range(start=at, end=at),
                                    context=types.CodeActionContext(diagnostics=[], only=only))
    return asyncio.run(CodeActionFeature(srv).actions(doc, params))  # type: ignore[arg-type]


def test_precondition_code_action_writes_a_requires_above_the_function() -> None:
    import asyncio

    from server.features.code_actions import WRITE_REQUIRES_TITLE, CodeActionFeature

    srv, doc = _pre_server(PRE_SRC)
    [action] = _action_at(srv, doc, 2, 8)  # on `sum`'s name
    assert isinstance(action, types.CodeAction) and action.title == WRITE_REQUIRES_TITLE
    assert action.kind == types.CodeActionKind.RefactorRewrite
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes["file:///t.c"]
    assert edit.new_text == "  /*@ requires \\valid_read(a + (0 .. n-1)); */\n"
    assert _apply(PRE_SRC, edit).split("\n")[2:4] == ["  /*@ requires \\valid_read(a + (0 .. n-1)); */",
                                                      "  long sum(const int *a, int n) {"]
    [swap] = _action_at(srv, doc, 6, 6)
    assert isinstance(swap, types.CodeAction) and swap.edit and swap.edit.changes
    assert swap.edit.changes["file:///t.c"][0].new_text == "/*@ requires \\valid(a);\n    requires \\valid(b); */\n"
    # not on the body, not on a function without one, not when the client asks only for quick fixes
    assert _action_at(srv, doc, 4, 6) == [] and _action_at(srv, doc, 7, 5) == []
    assert _action_at(srv, doc, 0, 5, only=["quickfix"]) == [] and len(_action_at(srv, doc, 0, 5, only=["refactor"])) == 1
    # a client that resolves lazily gets the edit when it picks the action, for the text of then
    srv, doc = _pre_server(PRE_SRC, resolve=True)
    [lazy] = _action_at(srv, doc, 0, 5)
    assert isinstance(lazy, types.CodeAction) and lazy.edit is None
    done = asyncio.run(CodeActionFeature(srv).resolve(lazy))  # type: ignore[arg-type]
    assert done.edit and done.edit.changes
    assert done.edit.changes["file:///t.c"][0].new_text == "/*@ requires \\valid_read(a); */\n"
    doc.functions[0].key = "edited"  # type: ignore[attr-defined]
    lazy.edit = None
    assert asyncio.run(CodeActionFeature(srv).resolve(lazy)).edit is None  # type: ignore[arg-type]
    assert srv.shown and "out of date" in srv.shown[-1]  # type: ignore[attr-defined]


def test_precondition_goes_below_the_contract_and_comments_already_there() -> None:
    """The real splitter's unit starts at the contract before the function: the new contract is
    written after it (two contracts before a function are one), with the document's line ends."""
    from server.features.inlay_hints import InlayHintFeature

    text = ("#include <stddef.h>\r\n// sums a\r\n/*@ ensures \\result >= 0;\r\n    ensures 1; */ /* more */\r\n"
            "\tstatic long\r\n\tsum(const int *a, int n) { REQUIRES(\"\\\\valid_read(a + (0 .. n-1))\"); return n; }\r\n")
    split = service.split_text(text, "/t.c", Options())
    srv, doc = _pre_server(text, split)
    entry = doc.functions[0]  # type: ignore[attr-defined]
    assert entry.unit.span.start.line == 3  # the unit begins with its contract
    [hint] = InlayHintFeature(srv).hints(doc, _everywhere())  # type: ignore[arg-type]
    assert (hint.position.line, hint.position.character) == (4, 1)
    [action] = _action_at(srv, doc, 5, 3)
    assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
    [edit] = action.edit.changes["file:///t.c"]
    assert edit.range.start == types.Position(line=4, character=0)
    assert edit.new_text == "\t/*@ requires \\valid_read(a + (0 .. n-1)); */\r\n"


def test_unreadable_requests_are_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON-RPC lets a request leave ``params`` out (read as null); a request pygls cannot read
    (a hover at line -1) gets an error response instead of a logged traceback and a client that
    waits forever."""
    import json

    from server.app import ProoflensServer

    srv = ProoflensServer()
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(srv.protocol, "send_text", lambda body: sent.append(json.loads(body)))
    msg = srv.protocol.structure_message({"jsonrpc": "2.0", "id": 7, "method": "shutdown"})
    assert getattr(msg, "method", None) == "shutdown" and not sent
    bad = {"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover",
           "params": {"textDocument": {"uri": "file:///t.c"}, "position": {"line": -1, "character": 0}}}
    msg = srv.protocol.structure_message(bad)
    assert sent and sent[0]["id"] == 8 and sent[0]["error"]["code"] == -32602
    assert getattr(msg, "method", "").startswith("$/")  # (answered: no handler takes it)
    from pygls.exceptions import JsonRpcException

    with pytest.raises(JsonRpcException):  # a notification nobody waits on is not answered
        srv.protocol.structure_message({k: v for k, v in bad.items() if k != "id"})
    assert len(sent) == 1


def test_workers_exit_when_the_server_is_gone() -> None:
    """A worker's parent is the fork server, which outlives a killed server: the worker watches
    the server's pid (a zombie counts as gone) and exits."""
    import subprocess

    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    code = ("import sys, time; from server.worker import watch_server; "
            f"watch_server({server.pid}, every_s=0.05); time.sleep(30); sys.exit(0)")
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=str(Path(__file__).resolve().parent.parent))
    try:
        server.kill()  # (not reaped yet: a zombie)
        assert worker.wait(timeout=10) == 1
    finally:
        server.wait()
        if worker.poll() is None:
            worker.kill()
