"""Result types shared by the CLI, the cache and the language server.

Everything here is a frozen dataclass with enums so that results can be cached, compared,
shipped between processes and serialised to JSON without any z3 or pycparser object in them.

Positions: every :class:`Pos` is **1-based** in line and column (as pycparser and compilers
report them); the end of a :class:`Span` is inclusive-exclusive like an editor selection, i.e.
``end.column`` is the column just after the last character. The LSP layer converts to 0-based
in exactly one place (``server/convert.py``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Status(str, enum.Enum):
    """A check's answer. UNKNOWN is never promoted to PROVED."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"


class CheckKind(str, enum.Enum):
    OVERFLOW = "overflow"
    DIV_BY_ZERO = "div-by-zero"
    SHIFT = "shift"
    BOUNDS = "bounds"
    ASSERT = "assert"
    REACH_ERROR = "reach-error"
    PRECONDITION = "precondition"
    POSTCONDITION = "postcondition"
    TERMINATION = "termination"
    INVARIANT = "invariant"
    MEMORY = "memory"


# Stable check ids (the LSP Diagnostic.code) -> (kind, human message). One table.
CHECK_IDS: dict[str, tuple[CheckKind, str]] = {
    "overflow.signed.add": (CheckKind.OVERFLOW, "signed overflow in +"),
    "overflow.signed.sub": (CheckKind.OVERFLOW, "signed overflow in -"),
    "overflow.signed.mul": (CheckKind.OVERFLOW, "signed overflow in *"),
    "overflow.signed.div": (CheckKind.OVERFLOW, "signed overflow in / (INT_MIN / -1)"),
    "overflow.signed.rem": (CheckKind.OVERFLOW, "signed overflow in % (INT_MIN % -1)"),
    "overflow.signed.neg": (CheckKind.OVERFLOW, "signed overflow in unary -"),
    "overflow.signed.inc": (CheckKind.OVERFLOW, "signed overflow in ++"),
    "overflow.signed.dec": (CheckKind.OVERFLOW, "signed overflow in --"),
    "div-by-zero.div": (CheckKind.DIV_BY_ZERO, "division by zero"),
    "div-by-zero.rem": (CheckKind.DIV_BY_ZERO, "remainder by zero"),
    "shift.negative": (CheckKind.SHIFT, "shift by a negative amount"),
    "shift.too-wide": (CheckKind.SHIFT, "shift by the width of the type or more"),
    "shift.negative-value": (CheckKind.SHIFT, "left shift of a negative value"),
    "shift.overflow": (CheckKind.SHIFT, "left shift overflows"),
    "bounds.index": (CheckKind.BOUNDS, "array index out of bounds"),
    "assert.violated": (CheckKind.ASSERT, "assertion may fail"),
    "reach-error.reachable": (CheckKind.REACH_ERROR, "error function reachable"),
    "precondition.violated": (CheckKind.PRECONDITION, "callee precondition may not hold"),
    "postcondition.violated": (CheckKind.POSTCONDITION, "postcondition may not hold"),
    "assigns.violated": (CheckKind.POSTCONDITION, "a location the assigns clause does not list may change"),
    "termination.loop": (CheckKind.TERMINATION, "loop may not terminate"),
    "termination.recursion": (CheckKind.TERMINATION, "recursion may not terminate"),
    "invariant.initiation": (CheckKind.INVARIANT, "loop invariant may not hold on entry"),
    "invariant.consecution": (CheckKind.INVARIANT, "loop invariant may not be preserved"),
    # until the memory model lands, every access through memory the engine cannot see is a check
    # of its own, never proved: a function with one is not shown as safe
    "memory.unmodelled": (CheckKind.MEMORY, "memory access not verified (not modelled)"),
    "memory.null": (CheckKind.MEMORY, "NULL pointer dereference"),
    "memory.use-after-free": (CheckKind.MEMORY, "access to freed memory"),
    "memory.bounds": (CheckKind.MEMORY, "out-of-bounds access through a pointer"),
    "memory.pointer-arith": (CheckKind.MEMORY, "pointer arithmetic beyond one past the end"),
    "memory.double-free": (CheckKind.MEMORY, "memory freed twice"),
    "memory.invalid-free": (CheckKind.MEMORY, "free of a pointer that is not the start of a heap block"),
    "memory.local-escape": (CheckKind.MEMORY, "address of a local variable escapes its scope"),
    "memory.leak": (CheckKind.MEMORY, "a block allocated here is unreachable when the function returns"),
    "memory.overlap": (CheckKind.MEMORY, "copy between overlapping ranges (memcpy, strcpy, strncpy)"),
    "memory.string": (CheckKind.MEMORY, "string function reads past the end of its object (no terminator)"),
    "library.ctype-domain": (CheckKind.MEMORY, "<ctype.h> argument is neither EOF nor an unsigned char value"),
}

# the checks whose violation is undefined behaviour (what a termination argument assumes away);
# a leak is not one: the program goes on correctly, it only holds memory it cannot free
UB_PREFIXES = ("overflow.", "shift.", "div-by-zero.", "bounds.", "memory.")


def undefined_behaviour(check_id: str) -> bool:
    return check_id.startswith(UB_PREFIXES) and check_id != "memory.leak"


def kind_of(check_id: str) -> CheckKind:
    return CHECK_IDS[check_id][0]


def message_of(check_id: str) -> str:
    return CHECK_IDS[check_id][1]


@dataclass(frozen=True, order=True)
class Pos:
    """1-based line and column in the user's file."""

    line: int
    column: int

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "column": self.column}


@dataclass(frozen=True)
class Span:
    """A source range; 1-based, end exclusive (column just after the last character)."""

    start: Pos
    end: Pos

    @staticmethod
    def of(line: int, col: int, end_line: int, end_col: int) -> Span:
        return Span(Pos(line, col), Pos(end_line, end_col))

    def shifted(self, lines: int) -> Span:
        return Span(Pos(self.start.line + lines, self.start.column),
                    Pos(self.end.line + lines, self.end.column))

    def contains(self, line: int, column: int) -> bool:
        return (self.start.line, self.start.column) <= (line, column) <= (self.end.line, self.end.column)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.to_json(), "end": self.end.to_json()}

    @staticmethod
    def from_json(d: dict[str, Any]) -> Span:
        return Span(Pos(d["start"]["line"], d["start"]["column"]),
                    Pos(d["end"]["line"], d["end"]["column"]))


@dataclass(frozen=True)
class TraceStep:
    """One step of a counterexample trace: a source line and what it assigned."""

    line: int
    assigned: tuple[tuple[str, int], ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "assigned": dict(self.assigned), "note": self.note}

    @staticmethod
    def from_json(d: dict[str, Any]) -> TraceStep:
        return TraceStep(d["line"], tuple(d.get("assigned", {}).items()), d.get("note", ""))


@dataclass(frozen=True)
class Counterexample:
    """Concrete inputs that drive the function to the failure.

    ``inputs`` are parameters and globals (array elements as ``a[0]``), ``nondet`` the values
    returned by each nondet call in execution order as (function name, value), ``values`` the
    operands of the failing expression.

    ``objects`` says what each pointer parameter (and pointer global) points to, by name, as
    JSON-shaped entries the replay harness allocates: ``{"null": True}``; ``{"size": N,
    "elements": [...]}`` (the start of a fresh object of N elements of the pointee type, the
    first values listed, ints or for a struct pointee dicts field -> int, the rest 0); or
    ``{"alias": "q", "offset": K}`` (into q's object, K elements from its start). The entries are
    dicts, so they take part in equality but not in the hash.
    """

    inputs: tuple[tuple[str, int], ...]
    nondet: tuple[tuple[str, int], ...] = ()
    trace: tuple[TraceStep, ...] = ()
    values: tuple[tuple[str, int], ...] = ()
    objects: tuple[tuple[str, dict[str, Any]], ...] = field(default=(), hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "inputs": dict(self.inputs),
            "nondet": [{"function": f, "value": v} for f, v in self.nondet],
            "trace": [s.to_json() for s in self.trace],
            "values": dict(self.values),
        }
        if self.objects:
            out["objects"] = dict(self.objects)
        return out

    @staticmethod
    def from_json(d: dict[str, Any]) -> Counterexample:
        return Counterexample(
            tuple(d.get("inputs", {}).items()),
            tuple((n["function"], n["value"]) for n in d.get("nondet", [])),
            tuple(TraceStep.from_json(s) for s in d.get("trace", [])),
            tuple(d.get("values", {}).items()),
            tuple((d.get("objects") or {}).items()),
        )

    def shifted(self, lines: int) -> Counterexample:
        return replace(self, trace=tuple(replace(s, line=s.line + lines) for s in self.trace))


@dataclass(frozen=True)
class CheckResult:
    id: str
    status: Status
    span: Span
    message: str = ""
    counterexample: Counterexample | None = None
    witness: str | None = None
    reason: str | None = None
    time_ms: float = 0.0
    # the evidence of a proof, as plain data that the independent checker (analysis.certify) accepted
    certificate: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    unreachable: bool = False  # proved only because no execution reaches it (dead code, not a success)

    @property
    def kind(self) -> CheckKind:
        return kind_of(self.id)

    def shifted(self, lines: int) -> CheckResult:
        if lines == 0:
            return self
        return replace(self, span=self.span.shifted(lines),
                       counterexample=self.counterexample.shifted(lines) if self.counterexample else None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "status": self.status.value,
            "range": self.span.to_json(),
            "message": self.message or message_of(self.id),
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
            "witness": self.witness,
            "reason": self.reason,
            "time_ms": round(self.time_ms, 2),
            "certificate": self.certificate,
            "unreachable": self.unreachable,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> CheckResult:
        cx = d.get("counterexample")
        return CheckResult(d["id"], Status(d["status"]), Span.from_json(d["range"]), d.get("message", ""),
                           Counterexample.from_json(cx) if cx else None, d.get("witness"), d.get("reason"),
                           d.get("time_ms", 0.0), d.get("certificate"), bool(d.get("unreachable", False)))


def summarize(checks: tuple[CheckResult, ...]) -> Status:
    """A function is refuted if any check is, proved only if every check is."""
    if any(c.status is Status.REFUTED for c in checks):
        return Status.REFUTED
    if all(c.status is Status.PROVED for c in checks):
        return Status.PROVED
    return Status.UNKNOWN


@dataclass(frozen=True)
class FunctionResult:
    name: str
    span: Span
    name_span: Span
    checks: tuple[CheckResult, ...]
    time_ms: float = 0.0
    errors: tuple[SourceError, ...] = ()  # syntax errors inside this function
    unsupported: tuple[str, ...] = ()  # constructs that rule out any proof in this function (goto ...)
    # what the function needs from its pointer parameters (ACSL), inferred and assumed by its proofs;
    # every call site is checked against it
    inferred_requires: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        """A function with a syntax or analysis error is never "proved": its checks are not all known."""
        status = summarize(self.checks)
        return Status.UNKNOWN if self.errors and status is Status.PROVED else status

    def shifted(self, lines: int) -> FunctionResult:
        if lines == 0:
            return self
        return replace(self, span=self.span.shifted(lines), name_span=self.name_span.shifted(lines),
                       checks=tuple(c.shifted(lines) for c in self.checks),
                       errors=tuple(replace(e, span=e.span.shifted(lines)) for e in self.errors))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "range": self.span.to_json(),
            "name_range": self.name_span.to_json(),
            "status": self.status.value,
            "time_ms": round(self.time_ms, 2),
            "checks": [c.to_json() for c in self.checks],
            "errors": [e.to_json() for e in self.errors],
            "unsupported": list(self.unsupported),
            "inferred_requires": list(self.inferred_requires),
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> FunctionResult:
        return FunctionResult(d["name"], Span.from_json(d["range"]), Span.from_json(d["name_range"]),
                              tuple(CheckResult.from_json(c) for c in d["checks"]), d.get("time_ms", 0.0),
                              tuple(SourceError.from_json(e) for e in d.get("errors", [])),
                              tuple(d.get("unsupported", [])), tuple(d.get("inferred_requires", [])))


@dataclass(frozen=True)
class SourceError:
    """A problem with the input itself (syntax error, missing include): not a check."""

    message: str
    span: Span
    severity: str = "error"  # error | warning | info

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "range": self.span.to_json(), "severity": self.severity}

    @staticmethod
    def from_json(d: dict[str, Any]) -> SourceError:
        return SourceError(d["message"], Span.from_json(d["range"]), d.get("severity", "error"))


@dataclass(frozen=True)
class FileResult:
    path: str
    functions: tuple[FunctionResult, ...]
    errors: tuple[SourceError, ...] = ()
    verdict: str | None = None
    verdict_counterexample: Counterexample | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "functions": [f.to_json() for f in self.functions],
            "errors": [e.to_json() for e in self.errors],
        }
        return d
