"""$/progress work-done reports (``n/m functions``) while a document is being verified.

One progress per document and verification round: created when the first function becomes
pending, reported as functions finish, ended when none is pending. Only used when the client
announced ``window.workDoneProgress``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from lsprotocol import types

from ..documents import Document

if TYPE_CHECKING:
    from ..app import ProoflensServer

log = logging.getLogger(__name__)


class ProgressFeature:
    def __init__(self, server: ProoflensServer) -> None:
        self.server = server
        self._round_keys: dict[str, set[str]] = {}  # uri -> keys pending at some point this round
        self._last: dict[str, str] = {}

    def update(self, doc: Document) -> None:
        if not self.server.caps.work_done_progress:
            return
        pending = {f.key for f in doc.pending()}
        keys = self._round_keys.setdefault(doc.uri, set())
        if pending:
            keys.update(pending)
            if doc.progress_token is None:
                doc.progress_token = f"prooflens/{uuid.uuid4().hex}"
                doc.progress_begun = False
                asyncio.ensure_future(self._create(doc, doc.progress_token))
            elif doc.progress_begun:
                self._report(doc, pending, keys)
        elif doc.progress_token is not None:
            self.end(doc)

    def _message(self, pending: set[str], keys: set[str]) -> tuple[str, int]:
        total = max(1, len(keys))
        done = total - len(pending & keys)
        return f"{done}/{total} functions", int(100 * done / total)

    async def _create(self, doc: Document, token: str) -> None:
        try:
            await self.server.work_done_progress.create_async(token)
        except Exception as e:  # noqa: BLE001 - the client refused: no progress, nothing else lost
            log.debug("work done progress refused: %s", e)
            if doc.progress_token == token:
                doc.progress_token = None
            return
        if doc.progress_token != token:  # ended before the client answered
            with contextlib.suppress(Exception):
                self.server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title="prooflens"))
                self.server.work_done_progress.end(token, types.WorkDoneProgressEnd())
            return
        pending = {f.key for f in doc.pending()}
        keys = self._round_keys.setdefault(doc.uri, set())
        message, pct = self._message(pending, keys)
        self.server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
            title=f"prooflens: verifying {PurePath(doc.path).name}", message=message, percentage=pct,
            cancellable=False))
        doc.progress_begun = True
        if not pending:
            self.end(doc)

    def _report(self, doc: Document, pending: set[str], keys: set[str]) -> None:
        message, pct = self._message(pending, keys)
        if self._last.get(doc.uri) == message or doc.progress_token is None:
            return
        self._last[doc.uri] = message
        self.server.work_done_progress.report(doc.progress_token, types.WorkDoneProgressReport(
            message=message, percentage=pct))

    def end(self, doc: Document) -> None:
        token, begun = doc.progress_token, doc.progress_begun
        doc.progress_token, doc.progress_begun = None, False
        keys = self._round_keys.pop(doc.uri, set())
        self._last.pop(doc.uri, None)
        if token is not None and begun:
            self.server.work_done_progress.end(token, types.WorkDoneProgressEnd(
                message=f"{len(keys)} function{'s' if len(keys) != 1 else ''} verified"))
        if token is not None:
            self.server.work_done_progress.tokens.pop(token, None)
