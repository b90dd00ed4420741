"""textDocument/codeAction on a refuted check: "Generate a test that reproduces this counterexample";
on a function's name with an inferred precondition: "Write the inferred precondition as an ACSL
requires" (an edit of the document itself, made when picked where the client resolves lazily).

The harness comes from ``analysis.testgen.harness_for``, which parses C (pycparser), so it is
built in a worker process, never in the server. Where the client can resolve code actions
lazily the edit is only computed when the user picks the action. Where the client accepts
file creation in a workspace edit, the action is that edit (create the file, insert the
harness); otherwise the action runs ``prooflens.generateTest``, which writes the file itself.
Running the test is a separate, explicit command (``prooflens.runTest``): it compiles and
executes user code, so it never happens on its own.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from analysis.model import CheckResult, Status

from ..convert import contains
from ..documents import Document, FunctionEntry
from . import diagnostics, preconditions

if TYPE_CHECKING:
    from ..app import ProoflensServer

log = logging.getLogger(__name__)

TITLE = "Generate a test that reproduces this counterexample"
GENERATE_TEST = "prooflens.generateTest"
RUN_TEST = "prooflens.runTest"
WRITE_REQUIRES_TITLE = "Write the inferred precondition as an ACSL requires"
WRITE_REQUIRES = "writeRequires"  # ``data["action"]`` of that action, to tell it apart on resolve


def test_path(doc_path: str, function: str, check_id: str, line: int) -> Path:
    src = Path(doc_path)
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", check_id)
    return src.parent / "prooflens-tests" / f"{src.stem}_{function}_{slug}_line{line}.c"


class CodeActionFeature:
    def __init__(self, server: ProoflensServer) -> None:
        self.server = server

    def find(self, doc: Document, data: Any) -> tuple[FunctionEntry, CheckResult] | None:
        """The refuted check a diagnostic's ``data`` names, in the *current* version."""
        if not isinstance(data, dict):
            return None
        key, check_id, line = data.get("key"), data.get("check"), data.get("line")
        if not isinstance(key, str) or not key:
            return None
        for entry in doc.functions:
            if not entry.key.startswith(key) or entry.result is None:
                continue
            for c in entry.result.checks:
                if c.id == check_id and c.status is Status.REFUTED and c.span.start.line + entry.offset == line:
                    return entry, c
        return None

    async def actions(self, doc: Document, params: types.CodeActionParams) -> list[types.CodeAction | types.Command]:
        out: list[types.CodeAction | types.Command] = []
        for d in params.context.diagnostics:
            if d.source != diagnostics.SOURCE or not isinstance(d.data, dict) or d.data.get("status") != "refuted":
                continue
            found = self.find(doc, d.data)
            if found is None:
                continue
            entry, check = found
            line = check.span.start.line + entry.offset
            data = {"uri": doc.uri, "function": entry.name, "key": entry.key, "check": check.id, "line": line}
            if not self.server.caps.create_files:
                # A bare Command: unambiguous for every client (a CodeAction carrying only a
                # command is mistaken for a Command by some parsers and loses its arguments).
                out.append(types.Command(title=TITLE, command=GENERATE_TEST, arguments=[data]))
                continue
            action = types.CodeAction(title=TITLE, kind=types.CodeActionKind.QuickFix, diagnostics=[d], data=data)
            if not self.server.caps.code_action_resolve_edit:
                action = await self.resolve(action)  # the client cannot ask for the edit later
            out.append(action)
        out += self.requires_actions(doc, params)
        return out

    def requires_actions(self, doc: Document, params: types.CodeActionParams) -> list[types.CodeAction]:
        """On a function's name: write what the engine inferred it needs as a ``requires``."""
        kind = types.CodeActionKind.RefactorRewrite
        only = params.context.only
        wanted = [str(getattr(k, "value", k)) for k in only or ()]
        if only is not None and not any(kind.value == k or kind.value.startswith(f"{k}.") for k in wanted):
            return []
        pos = doc.lines().to_analysis(params.range.start)
        out = []
        for entry in doc.functions:
            if not contains(entry.name_span, pos) or not preconditions.inferred(entry):
                continue
            data = {"uri": doc.uri, "function": entry.name, "key": entry.key, "action": WRITE_REQUIRES}
            action = types.CodeAction(title=WRITE_REQUIRES_TITLE, kind=kind, data=data)
            if not self.server.caps.code_action_resolve_edit:
                action.edit = self.requires_edit(data)
            out.append(action)
        return out

    def requires_edit(self, data: dict[str, Any]) -> types.WorkspaceEdit | None:
        """The insertion for the function ``data`` names, in the document's *current* text."""
        doc = self.server.docs.get(str(data.get("uri")))
        if doc is None:
            return None
        for entry in doc.functions:
            if entry.key == data.get("key") and entry.name == data.get("function"):
                edit = preconditions.insert_edit(doc, entry)
                if edit is not None:
                    return types.WorkspaceEdit(changes={doc.uri: [edit]})
        self.server.show(types.MessageType.Warning, "prooflens: the inferred precondition is out of date; try again")
        return None

    async def resolve(self, action: types.CodeAction) -> types.CodeAction:
        if action.edit is not None or action.command is not None or not isinstance(action.data, dict):
            return action
        if action.data.get("action") == WRITE_REQUIRES:
            action.edit = self.requires_edit(action.data)
            return action
        made = await self.harness(action.data)
        if made is None:
            return action
        path, text = made
        uri = path.as_uri()
        action.edit = types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=True)),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[types.TextEdit(range=types.Range(start=types.Position(line=0, character=0),
                                                        end=types.Position(line=0, character=0)),
                                      new_text=text)]),
        ])
        return action

    async def harness(self, data: dict[str, Any]) -> tuple[Path, str] | None:
        """(test file path, harness text) for the check ``data`` names, built in a worker."""
        from .. import worker

        doc = self.server.docs.get(str(data.get("uri")))
        if doc is None:
            return None
        found = self.find(doc, data)
        if found is None:
            self.server.show(types.MessageType.Warning, "prooflens: the counterexample is out of date; try again")
            return None
        entry, check = found
        positioned = check.shifted(entry.offset)
        try:
            text = await self.server.scheduler_submit(worker.make_harness, doc.text, doc.path, entry.name,
                                                      positioned.to_json(), self.server.config.options)
        except Exception as e:  # noqa: BLE001 - testgen missing or failing: tell the user, keep going
            log.warning("test generation failed: %s", e)
            self.server.show(types.MessageType.Error, f"prooflens: could not generate the test: {e}")
            return None
        if not isinstance(text, str):
            return None
        return test_path(doc.path, entry.name, check.id, check.span.start.line + entry.offset), text
