"""The prooflens language server: one LanguageServer subclass that owns all state.

State: open documents (:mod:`server.documents`), the configuration, the result caches
(parsed results in memory in front of the shared persistent sqlite store) and the scheduler
(worker processes). Features live in ``server/features/``, one file each; this module wires
them to LSP methods, every handler wrapped so that no input can crash the server.

The keystroke path (``didChange``) is synchronous and does no solving: split the text,
compute per-function keys (incrementally), attach known results by key at their current
position, publish diagnostics at once, then tell the scheduler what is left to verify.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import sys
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from analysis import __version__, service
from analysis.cache import LayeredCache, MemoryCache, ResultCache
from analysis.frontend.units import SplitFile
from analysis.model import FunctionResult, SourceError, Span

from .config import ServerConfig, merge
from .documents import Document, FunctionEntry, Phase
from .features.code_actions import CodeActionFeature
from .features.code_lens import VERIFY_FILE, VERIFY_FUNCTION, CodeLensFeature
from .features.commands import CommandsFeature
from .features.diagnostics import DiagnosticsFeature
from .features.hover import HoverFeature
from .features.inlay_hints import InlayHintFeature
from .features.progress import ProgressFeature
from .incremental import compute_keys
from .scheduler import Outcome, Scheduler, Want
from .transport import ThreadedPipe

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
LANGUAGES = ("c",)
FLUSH_DELAY = 0.03
STATS_METHOD = "prooflens/stats"
PREWARM_DELAY = 2.0  # seconds after `initialized` to start idle workers  # seconds: coalesce results that finish together into one publish


@dataclass
class ClientCaps:
    """The client capabilities the server's behaviour depends on."""

    code_lens: bool = False
    code_lens_refresh: bool = False
    inlay_hint_refresh: bool = False
    related_information: bool = False
    work_done_progress: bool = False
    configuration: bool = False
    show_document: bool = False
    code_action_resolve_edit: bool = False
    create_files: bool = False

    @staticmethod
    def of(c: types.ClientCapabilities) -> ClientCaps:
        td, ws, win = c.text_document, c.workspace, c.window
        resolve = td.code_action.resolve_support if td and td.code_action else None
        edit = ws.workspace_edit if ws else None
        return ClientCaps(
            code_lens=bool(td and td.code_lens is not None),
            code_lens_refresh=bool(ws and ws.code_lens and ws.code_lens.refresh_support),
            inlay_hint_refresh=bool(ws and ws.inlay_hint and ws.inlay_hint.refresh_support),
            related_information=bool(td and td.publish_diagnostics and td.publish_diagnostics.related_information),
            work_done_progress=bool(win and win.work_done_progress),
            configuration=bool(ws and ws.configuration),
            show_document=bool(win and win.show_document and win.show_document.support),
            code_action_resolve_edit=bool(resolve and "edit" in (resolve.properties or [])),
            create_files=bool(edit and edit.document_changes
                              and types.ResourceOperationKind.Create in (edit.resource_operations or [])),
        )


# on shutdown, jobs already running get this long to finish and reach the persistent cache
SHUTDOWN_GRACE_S = 2.0


def guarded(default: Any = None) -> Callable[[F], F]:
    """Wrap a handler: log any exception and answer ``default`` instead of failing."""

    def wrap(fn: F) -> F:
        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def awrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception:  # noqa: BLE001 - the server never dies on a request
                    log.error("prooflens: %s failed:\n%s", fn.__name__, traceback.format_exc())
                    return default

            return awrapper  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001
                log.error("prooflens: %s failed:\n%s", fn.__name__, traceback.format_exc())
                return default

        return wrapper  # type: ignore[return-value]

    return wrap


@dataclass(frozen=True)
class _Origin:
    """Stands for a unit at line 0 in service.cached_result / store_result (no shifting)."""

    span: Span = Span.of(0, 0, 0, 0)


_ORIGIN = _Origin()


class ResultStore:
    """Parsed, relative results by key (bounded LRU) in front of the shared ResultCache."""

    def __init__(self, cache: ResultCache, max_entries: int = 20_000) -> None:
        self.cache = cache
        self._parsed: OrderedDict[str, FunctionResult] = OrderedDict()
        self._max = max_entries
        self.failed: dict[str, str] = {}  # key -> why the job failed (this session only)
        self.forced: set[str] = set()  # keys whose stored answer the user asked to recompute

    def lookup(self, key: str) -> FunctionResult | None:
        if key in self.forced:
            return None
        res = self._parsed.get(key)
        if res is not None:
            self._parsed.move_to_end(key)
            return res
        # the cache stores results relative to their function's first line: reading them "at
        # line 0" returns them as stored, without copying every span twice
        res = service.cached_result(self.cache, key, _ORIGIN)  # type: ignore[arg-type]
        if res is None:
            return None
        self._remember(key, res)
        return res

    def store(self, key: str, unit: Any, positioned: FunctionResult, persist: bool) -> FunctionResult:
        rel = positioned.shifted(-unit.span.start.line)
        self.forced.discard(key)
        self.failed.pop(key, None)
        self._remember(key, rel)
        if persist:
            try:
                service.store_result(self.cache, key, _ORIGIN, rel)  # type: ignore[arg-type]
            except Exception as e:  # noqa: BLE001 - the cache is an optimisation
                log.warning("could not store a result: %s", e)
        return rel

    def forget(self, key: str) -> None:
        self._parsed.pop(key, None)
        self.failed.pop(key, None)
        self.forced.add(key)

    def _remember(self, key: str, rel: FunctionResult) -> None:
        self._parsed[key] = rel
        if len(self._parsed) > self._max:
            self._parsed.popitem(last=False)


class RawResult:
    """A request result that is already JSON text: sent as is, without the cattrs round trip.

    Editors (and the acceptance checks) poll code lenses; 500 lenses through attrs and cattrs
    cost ~20 ms of the server's CPU per poll, taken from the verification workers.
    """

    __slots__ = ("encoded",)

    def __init__(self, encoded: str) -> None:
        self.encoded = encoded


# what an unreadable request becomes once answered: a notification no handler takes
_UNREADABLE = JsonRPCNotification(method="$/prooflens/unreadable", jsonrpc="2.0", params=None)


class ProoflensProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        """A request pygls cannot read still gets an answer: JSON-RPC lets ``params`` be left out
        (read as null), and invalid parameters (a hover at line -1) get an error response, where
        they got a logged traceback and a client waiting forever."""
        if isinstance(data, dict) and "jsonrpc" in data and "method" in data and "params" not in data:
            data = {**data, "params": None}
        try:
            return super().structure_message(data)
        except Exception as exc:
            if not (isinstance(data, dict) and "id" in data and "method" in data):
                raise
            code = getattr(exc, "code", -32602)
            self.send_text(json.dumps({"jsonrpc": "2.0", "id": data["id"], "error": {
                "code": code if isinstance(code, int) else -32602,
                "message": f"prooflens: cannot read the parameters of {data['method']}"}}))
            return _UNREADABLE

    def send_text(self, body: str) -> None:
        """Send one JSON-RPC message given as JSON text."""
        if self.writer is None:
            return
        data = body.encode()
        header = f"Content-Length: {len(data)}\r\nContent-Type: {self.CONTENT_TYPE}; charset=utf-8\r\n\r\n"
        self.writer.write(header.encode() + data)

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        if error is None and isinstance(result, RawResult):
            self._result_types.pop(msg_id, None)
            self.send_text(f'{{"jsonrpc": "2.0", "id": {json.dumps(msg_id)}, "result": {result.encoded}}}')
            return
        super()._send_response(msg_id, result, error)

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None) -> None:
        """pygls (2.1) files the future of a notification's generator, coroutine or thread handler
        in ``_request_futures`` under a fresh uuid; only a response removes an entry, and a
        notification has none: ~1 KB leaked per didOpen/didChange/didClose. Drop it when done."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if callback != self._check_handler_result:  # a request: its response pops the entry
            return
        fut = self._request_futures.get(msg_id)
        if fut is None:
            return
        if fut.done():
            del self._request_futures[msg_id]
        else:
            fut.add_done_callback(lambda _: self._request_futures.pop(msg_id, None))


_LSP_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    """A pygls document whose lines end where LSP's do: at \\n, \\r\\n or \\r only.

    pygls (2.1) splits with ``str.splitlines()``, which also ends a line at \\f, \\v,
    \\x1c-\\x1e, \\x85, U+2028 and U+2029: a range edit below a form feed (a page break in
    many C sources) landed on the wrong line, and the server verified a text the editor never had.
    """

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(_LSP_LINES.findall(self.source))


def _use_lsp_lines(workspace: Any) -> None:
    """Make ``workspace`` create :class:`LspTextDocument` documents (pygls has no hook for it)."""

    def create(uri: str, source: str | None = None, version: int | None = None,
               language_id: str | None = None) -> TextDocument:
        return LspTextDocument(uri, source=source, version=version, language_id=language_id,
                               sync_kind=workspace._sync_kind, position_codec=workspace._position_codec)

    workspace._create_text_document = create


class ProoflensServer(LanguageServer):
    """All state of one prooflens session (see the module docstring)."""

    def __init__(self, *, runner: Callable[..., FunctionResult] | None = None,
                 start_method: str = "forkserver") -> None:
        super().__init__("prooflens", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=ProoflensProtocol)
        self.config = ServerConfig()
        self.config_generation = 0  # part of every cached rendering that depends on settings
        self.caps = ClientCaps()
        self.docs: dict[str, Document] = {}
        self.encoding = "utf-16"
        self._init_options: Any = None
        self._workspace_settings: Any = None
        self._runner = runner
        self._start_method = start_method
        self.scheduler: Scheduler | None = None
        self.store_problems: list[str] = []
        self.results = ResultStore(MemoryCache())
        self._persistent: Any = None
        self.query_store: str | None = None  # the persistent file the workers share SMT-query answers through
        self.query_redis: str | None = None  # and the shared Redis cache, when it is configured and answers
        self._pending_messages: list[tuple[types.MessageType, str]] = []
        self._initialized = False
        self._dirty: set[str] = set()
        self._flush_handle: asyncio.Handle | None = None
        self._lens_refresh_inflight = False
        self._lens_refresh_again = False
        self._closed = False
        self._stdout: ThreadedPipe | None = None
        self.timings: dict[str, float] = {}  # last keystroke-path timings (ms), for the bench
        self.diagnostics = DiagnosticsFeature(self)
        self.code_lens = CodeLensFeature(self)
        self.hover_feature = HoverFeature(self)
        self.inlay_hints = InlayHintFeature(self)
        self.code_actions = CodeActionFeature(self)
        self.commands = CommandsFeature(self)
        self.progress_feature = ProgressFeature(self)
        self._register()

    # -- registration -----------------------------------------------------------------------
    def _register(self) -> None:
        @self.feature(types.INITIALIZE)
        @guarded()
        def initialize(params: types.InitializeParams) -> None:
            self._on_initialize(params)

        @self.feature(types.INITIALIZED)
        @guarded()
        def initialized(params: types.InitializedParams) -> None:
            self._on_initialized()

        @self.feature(types.SHUTDOWN)
        @guarded()
        async def shutdown(*_: Any) -> None:
            if self.scheduler is not None and not self._closed:
                await self.scheduler.drain(SHUTDOWN_GRACE_S)
            self.close()

        @self.feature(types.EXIT)
        def exit_(*_: Any) -> None:
            self.leave(0 if getattr(self.protocol, "_shutdown", False) else 1)

        @self.feature(types.TEXT_DOCUMENT_DID_OPEN)
        @guarded()
        def did_open(params: types.DidOpenTextDocumentParams) -> None:
            td = params.text_document
            if td.language_id.lower() not in LANGUAGES and not td.uri.endswith((".c", ".h")):
                return
            path = to_fs_path(td.uri) or td.uri
            doc = Document(td.uri, path, td.version, td.text, self.encoding)
            self.docs[td.uri] = doc
            self.refresh(doc, opened=True)

        @self.feature(types.TEXT_DOCUMENT_DID_CHANGE)
        @guarded()
        def did_change(params: types.DidChangeTextDocumentParams) -> None:
            doc = self.docs.get(params.text_document.uri)
            if doc is None:
                return
            doc.version = params.text_document.version
            self.refresh(doc)

        @self.feature(types.TEXT_DOCUMENT_DID_SAVE)
        @guarded()
        def did_save(params: types.DidSaveTextDocumentParams) -> None:
            doc = self.docs.get(params.text_document.uri)
            if doc is not None:
                self.refresh(doc)

        @self.feature(types.TEXT_DOCUMENT_DID_CLOSE)
        @guarded()
        def did_close(params: types.DidCloseTextDocumentParams) -> None:
            doc = self.docs.pop(params.text_document.uri, None)
            if doc is None:
                return
            if self.scheduler is not None:
                self.scheduler.set_wants(doc.uri, {})
            self.progress_feature.end(doc)
            self._dirty.discard(doc.uri)
            self.diagnostics.clear(doc.uri)

        @self.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
        @guarded(default=[])
        def code_lens(params: types.CodeLensParams) -> RawResult | list[types.CodeLens]:
            doc = self.docs.get(params.text_document.uri)
            if doc is None:
                return []
            if doc.lens_json is None or doc.lens_json[0] != doc.generation:
                doc.lens_json = (doc.generation, json.dumps(self.code_lens.lenses(doc)))
            return RawResult(doc.lens_json[1])

        @self.feature(types.TEXT_DOCUMENT_HOVER)
        @guarded()
        def hover(params: types.HoverParams) -> types.Hover | None:
            doc = self.docs.get(params.text_document.uri)
            return self.hover_feature.hover(doc, params.position) if doc is not None else None

        @self.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
        @guarded(default=[])
        def inlay_hint(params: types.InlayHintParams) -> list[types.InlayHint]:
            doc = self.docs.get(params.text_document.uri)
            return self.inlay_hints.hints(doc, params.range) if doc is not None else []

        @self.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite],
            resolve_provider=True))
        @guarded(default=[])
        async def code_action(params: types.CodeActionParams) -> list[types.CodeAction | types.Command]:
            doc = self.docs.get(params.text_document.uri)
            return await self.code_actions.actions(doc, params) if doc is not None else []

        @self.feature(types.CODE_ACTION_RESOLVE)
        async def code_action_resolve(action: types.CodeAction) -> types.CodeAction:
            try:
                return await self.code_actions.resolve(action)
            except Exception:  # noqa: BLE001
                log.error("codeAction/resolve failed:\n%s", traceback.format_exc())
                return action

        @self.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
        @guarded()
        def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
            settings = params.settings
            if isinstance(settings, dict) and settings:
                self._workspace_settings = merge(self._workspace_settings, settings)
                self.apply_config()
            if self.caps.configuration:
                asyncio.ensure_future(self._pull_configuration())

        @self.feature(STATS_METHOD)
        @guarded(default={})
        def stats(*_: Any) -> dict[str, Any]:
            return self.stats()

        @self.command(VERIFY_FUNCTION)
        @guarded(default={"ok": False})
        def verify_function(*args: Any) -> Any:
            return self.commands.verify_function(*args)

        @self.command(VERIFY_FILE)
        @guarded(default={"ok": False})
        def verify_file(*args: Any) -> Any:
            return self.commands.verify_file(*args)

        @self.command("prooflens.generateTest")
        @guarded(default={"ok": False})
        async def generate_test(*args: Any) -> Any:
            return await self.commands.generate_test(*args)

        @self.command("prooflens.runTest")
        @guarded(default={"ok": False})
        async def run_test(*args: Any) -> Any:
            return await self.commands.run_test(*args)

    # -- lifecycle ----------------------------------------------------------------------------
    def _on_initialize(self, params: types.InitializeParams) -> None:
        self.caps = ClientCaps.of(params.capabilities)
        if getattr(self.protocol, "_workspace", None) is not None:
            _use_lsp_lines(self.protocol._workspace)
        enc = getattr(getattr(self.protocol, "_workspace", None), "position_encoding", None)
        self.encoding = str(getattr(enc, "value", enc) or "utf-16")  # what pygls negotiated
        self._init_options = params.initialization_options
        cfg, problems = ServerConfig.from_dict(merge(self._init_options))
        self.config = cfg
        self._pending_messages += [(types.MessageType.Warning, f"prooflens: {p}") for p in problems]
        self._open_store()

    def _on_initialized(self) -> None:
        self._initialized = True
        for kind, msg in self._pending_messages:
            self.show(kind, msg)
        self._pending_messages.clear()
        # Workers start with the first job; if none comes soon, start them anyway so that the
        # first edit is fast. (Not at once: importing z3 in the fork server competes for the CPU
        # with opening the first document from the cache.)
        sched = self._ensure_scheduler()
        asyncio.get_running_loop().call_later(PREWARM_DELAY, sched.start)
        if self.caps.configuration:
            asyncio.ensure_future(self._pull_configuration())

    def _ensure_scheduler(self) -> Scheduler:
        if self.scheduler is None:
            self.scheduler = Scheduler(asyncio.get_running_loop(), self._on_outcome, workers=self.config.workers,
                                       job_timeout=self.config.effective_job_timeout(), runner=self._runner,
                                       on_started=self._on_started, start_method=self._start_method)
        return self.scheduler

    def _open_store(self) -> None:
        from analysis.cache import open_persistent

        if self._persistent is not None:
            self._persistent.close()
            self._persistent = None
        cache: ResultCache = MemoryCache()
        self.query_store = self.query_redis = None
        if self.config.persistent_cache:
            # memory, then the sqlite file, then the shared Redis cache (analysis/cache_redis.py)
            layers = open_persistent(self.config.cache_path, self.config.cache_redis, self.config.cache_mode)
            self.store_problems = layers.problems
            for p in layers.problems:
                self.show(types.MessageType.Warning, f"prooflens: {p}")
            if layers.cache is not None:
                self._persistent = layers.cache
                cache = LayeredCache(MemoryCache(), layers.cache)
            # the workers open the same layers for the SMT-query level of the cache
            self.query_store, self.query_redis = layers.sqlite_path, layers.redis_url
        old = self.results
        self.results = ResultStore(cache)
        self.results.failed = old.failed

    async def _pull_configuration(self) -> None:
        try:
            got = await self.workspace_configuration_async(types.ConfigurationParams(
                items=[types.ConfigurationItem(section="prooflens")]))
        except Exception as e:  # noqa: BLE001 - a client without configuration: keep what we have
            log.debug("workspace/configuration failed: %s", e)
            return
        if got and isinstance(got[0], dict):
            self._workspace_settings = got[0]
            self.apply_config()

    def apply_config(self) -> None:
        """Re-read the layered settings; re-verify, resize or republish as needed."""
        cfg, problems = ServerConfig.from_dict(merge(self._init_options, self._workspace_settings))
        for p in problems:
            self.show(types.MessageType.Warning, f"prooflens: {p}")
        old, self.config = self.config, cfg
        self.config_generation += 1
        if (old.cache_path, old.persistent_cache, old.cache_redis, old.cache_mode) != (
                cfg.cache_path, cfg.persistent_cache, cfg.cache_redis, cfg.cache_mode):
            self._open_store()
        if self.scheduler is not None and (old.workers, old.effective_job_timeout()) != (
                cfg.workers, cfg.effective_job_timeout()):
            self.scheduler.resize(cfg.workers, cfg.effective_job_timeout())
        if old.options != cfg.options:
            for doc in list(self.docs.values()):
                self.refresh(doc)
        elif old != cfg:
            for doc in self.docs.values():
                self.mark_dirty(doc)
        if old.inlay_hints != cfg.inlay_hints and self.caps.inlay_hint_refresh:
            self._send_refresh(types.WORKSPACE_INLAY_HINT_REFRESH)

    def close(self) -> None:
        """Stop the workers (shutdown, exit, lost client); idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._flush_handle is not None:
            self._flush_handle.cancel()
        if self.scheduler is not None:
            self.scheduler.close()
        if self._persistent is not None:
            self._persistent.close()

    def shutdown(self) -> None:  # JsonRPCServer.shutdown: the connection ended
        self.close()
        super().shutdown()

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """Serve over stdio; stdout is written by a thread so the loop never blocks on it."""
        self._stdout = ThreadedPipe(stdout or sys.stdout.buffer)
        super().start_io(stdin, self._stdout)  # type: ignore[arg-type]  # file-like enough for pygls

    def leave(self, code: int) -> None:
        """Stop the workers, send what is queued, and exit now (see :func:`with_flush`)."""
        try:
            self.close()
        finally:
            pipe = getattr(self, "_stdout", None)
            if pipe is not None:
                pipe.drain(2.0)
            with_flush(code)

    # -- messages -----------------------------------------------------------------------------
    def show(self, kind: types.MessageType, message: str) -> None:
        if not self._initialized:
            self._pending_messages.append((kind, message))
            return
        try:
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))
        except Exception as e:  # noqa: BLE001
            log.debug("showMessage failed: %s", e)

    def send_raw_notification(self, method: str, params: str) -> None:
        """Send a notification whose params are already JSON text (no attrs/cattrs round trip)."""
        protocol = self.protocol
        assert isinstance(protocol, ProoflensProtocol)
        protocol.send_text(f'{{"jsonrpc": "2.0", "method": {json.dumps(method)}, "params": {params}}}')

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("prooflens: internal error (%s): %s", getattr(source, "__name__", source), error)

    def wants_status_diagnostics(self) -> bool:
        mode = self.config.status_diagnostics
        return mode == "always" or (mode == "auto" and not self.caps.code_lens)

    # -- the keystroke path ---------------------------------------------------------------------
    def refresh(self, doc: Document, opened: bool = False) -> None:
        """Bring ``doc`` in line with its current text; publish at once; queue what changed."""
        t0 = time.perf_counter()
        try:
            text = self.workspace.get_text_document(doc.uri).source
        except Exception:  # noqa: BLE001 - before initialize, or a document pygls does not hold
            text = doc.text
        doc.text = text
        doc.index = None
        doc.encoding = self.encoding
        options = self.config.options
        try:
            split = service.split_text(text, doc.path, options)
        except Exception as e:  # noqa: BLE001 - a splitter bug must not take the server down
            log.error("split failed on %s:\n%s", doc.uri, traceback.format_exc())
            split = SplitFile(doc.path, (), (SourceError(f"prooflens could not read this file: {e}",
                                                         Span.of(1, 1, 1, 2)),))
        t1 = time.perf_counter()
        try:
            snapshot, keys = compute_keys(split, options, doc.keys)
        except Exception as e:  # noqa: BLE001
            log.error("keys failed on %s:\n%s", doc.uri, traceback.format_exc())
            split = SplitFile(doc.path, (), (*split.errors, SourceError(f"prooflens internal error: {e}",
                                                                         Span.of(1, 1, 1, 2))))
            snapshot, keys = compute_keys(split, options, None)
        t2 = time.perf_counter()
        old_keys = {f.key for f in doc.functions}
        had = {f.name for f in doc.functions if f.result is not None or f.had_result}
        sched = self.scheduler
        entries: list[FunctionEntry] = []
        new_pending = False
        for unit, key in zip(service.functions_of(split), keys, strict=True):
            entry = FunctionEntry(unit, key, had_result=(unit.name or "?") in had)
            res = self.results.lookup(key)
            if res is not None:
                entry.result, entry.phase = res, Phase.FINAL
            elif key in self.results.failed and key not in self.results.forced:
                entry.error, entry.phase = self.results.failed[key], Phase.FINAL
            else:
                entry.phase = Phase.RUNNING if sched is not None and sched.is_running(key) else Phase.QUEUED
                new_pending = new_pending or key not in old_keys
            entries.append(entry)
        t3 = time.perf_counter()
        doc.split, doc.keys, doc.functions, doc.errors = split, snapshot, entries, split.errors
        doc.generation += 1
        now = time.monotonic()
        if new_pending and not opened:
            quiet = now - doc.last_semantic_edit > self.config.debounce_ms / 1000
            not_before = now if quiet else now + self.config.debounce_ms / 1000
            doc.last_semantic_edit = now
        else:
            not_before = now
        self.diagnostics.publish(doc)
        t4 = time.perf_counter()
        self._request(doc, split, not_before, old_keys)
        self.progress_feature.update(doc)
        self.timings = {"split": (t1 - t0) * 1000, "keys": (t2 - t1) * 1000, "lookup": (t3 - t2) * 1000,
                        "publish": (t4 - t3) * 1000, "total": (time.perf_counter() - t0) * 1000,
                        "recomputed": float(snapshot.recomputed)}

    def _request(self, doc: Document, split: SplitFile, not_before: float, old_keys: set[str]) -> None:
        """Tell the scheduler which of ``doc``'s functions need a worker (edited ones first)."""
        pending = [(i, f) for i, f in enumerate(doc.functions) if f.phase is not Phase.FINAL]
        if not pending and self.scheduler is None:
            return
        sched = self._ensure_scheduler()
        options = self.config.options
        wants: dict[str, Want] = {}
        due: dict[str, float] = {}
        for i, f in pending:
            tier = 0 if f.key not in old_keys and f.had_result else 1  # edited functions first
            when = doc.due.get(f.key, not_before)  # a key already waiting keeps its turn
            due[f.key] = when
            wants[f.key] = Want(f.key, functools.partial(service.make_job, split, f.unit, options, self.query_store,
                                                         query_redis=self.query_redis,
                                                         cache_mode=self.config.cache_mode),
                                (tier, when, i), when)
        doc.due = due
        sched.set_wants(doc.uri, wants)

    def force_verify(self, doc: Document, keys: set[str]) -> None:
        for key in keys:
            self.results.forget(key)
        self.refresh(doc)

    # -- results --------------------------------------------------------------------------------
    def _on_started(self, key: str) -> None:
        for doc in self.docs.values():
            hit = False
            for f in doc.functions:
                if f.key == key and f.phase is Phase.QUEUED:
                    f.phase = Phase.RUNNING
                    hit = True
                    doc.generation += 1
            if hit and (self.wants_status_diagnostics() or self.caps.code_lens_refresh):
                self.mark_dirty(doc)

    def _on_outcome(self, outcome: Outcome) -> None:
        key, job = outcome.key, outcome.job
        rel: FunctionResult | None = None
        if outcome.result is not None:
            internal = any(c.reason and c.reason.startswith("internal error") for c in outcome.result.checks)
            rel = self.results.store(key, job.target, outcome.result, persist=not internal)
        else:
            self.results.failed[key] = outcome.error or "no answer"
            self.results.forced.discard(key)
        for doc in self.docs.values():
            hit = False
            for f in doc.functions:
                if f.key == key:
                    f.result, f.error, f.phase, f.had_result = rel, outcome.error, Phase.FINAL, True
                    hit = True
                    doc.generation += 1
            if hit:
                self.mark_dirty(doc)

    def mark_dirty(self, doc: Document) -> None:
        self._dirty.add(doc.uri)
        if self._flush_handle is None and not self._closed:
            self._flush_handle = asyncio.get_running_loop().call_later(FLUSH_DELAY, self._flush)

    @guarded()
    def _flush(self) -> None:
        self._flush_handle = None
        dirty, self._dirty = self._dirty, set()
        for uri in dirty:
            doc = self.docs.get(uri)
            if doc is None:
                continue
            self.diagnostics.publish(doc)
            self.progress_feature.update(doc)
        if dirty:
            self._send_lens_refresh()
            if self.caps.inlay_hint_refresh and self.config.inlay_hints:
                self._send_refresh(types.WORKSPACE_INLAY_HINT_REFRESH)

    def _send_lens_refresh(self) -> None:
        if not self.caps.code_lens_refresh:
            return
        if self._lens_refresh_inflight:
            self._lens_refresh_again = True
            return
        self._lens_refresh_inflight = True

        def done(*_: Any) -> None:
            self._lens_refresh_inflight = False
            if self._lens_refresh_again:
                self._lens_refresh_again = False
                self._send_lens_refresh()

        try:
            fut = self.protocol.send_request(types.WORKSPACE_CODE_LENS_REFRESH, None)
            fut.add_done_callback(done)
        except Exception as e:  # noqa: BLE001
            log.debug("codeLens/refresh failed: %s", e)
            self._lens_refresh_inflight = False

    def _send_refresh(self, method: str) -> None:
        try:
            self.protocol.send_request(method, None)
        except Exception as e:  # noqa: BLE001
            log.debug("%s failed: %s", method, e)

    async def scheduler_submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self._ensure_scheduler().submit_aux(fn, *args)

    # -- introspection (tests, bench) -------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """``prooflens/stats``: the work done so far and the last keystroke's timings."""
        st = self.scheduler.stats if self.scheduler is not None else None
        return {
            "dispatched": st.dispatched if st else 0, "completed": st.completed if st else 0,
            "cancelled": st.cancelled if st else 0, "failed": st.failed if st else 0,
            "jobMs": round(st.job_ms, 1) if st else 0.0, "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "workerPids": self.scheduler.worker_pids() if self.scheduler else [],
            # requests in flight either way (pygls' bookkeeping; must not grow with the edits)
            "protocolFutures": len(getattr(self.protocol, "_request_futures", ())),
            "documents": [{"uri": uri, "version": d.version, "functions": len(d.functions),
                           "pending": len(d.pending())} for uri, d in self.docs.items()],
        }


def with_flush(code: int) -> None:
    """Leave now: pygls would wait for its stdin reader thread, i.e. for the client to hang up."""
    logging.shutdown()
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001
        pass
    os._exit(code)
