"""The SMT-query level of the cache: ``unsat`` answers keyed by normalised SMT-LIB text.

Why a second level under the per-function results: a renamed or moved function, a function
whose edit left most of its checks alone, or a caller re-verified because a callee's text
changed, asks many of the queries it asked before. Their ``unsat`` answers (the proofs) come
back from here without solving.

What is cached:
- ``unsat``: a property of the formula alone (no model, no solver, no time limit changes it),
  so an answer stored by any engine build of the same z3 holds for any alpha-equivalent query.
- ``sat`` with the model's values of the declared constants (bit-vectors, Booleans, integers),
  by their normalised names. A hit rebuilds the model over the new query's constants and
  *evaluates the query in it*: only a model that makes every assertion true is returned, so a
  stored ``sat`` is never trusted, only re-checked (milliseconds instead of a solver run).
- ``unknown`` is never stored: it depends on the load of the machine.

Two keys, so that a query that was never stored costs microseconds:
- the *index*: z3's structural hash of each assertion (kept in every term by z3, free to read).
  32 bits, collisions expected: it only says where to look.
- the *identity*: ``to_smt2`` of a copy of the assertions in a fresh context, with every declared
  constant and every ``let`` name renamed by first occurrence and the declarations sorted, hashed
  with the z3 version. An answer is used only when its stored identity equals the query's.
  Renaming is a bijection on names, so equal identities are the same formula up to names.
  The identity costs ~2 ms, so it is computed on an index hit, and on recording, which is only
  done for queries that took the solver at least ``RECORD_MIN_S`` (a faster answer is cheaper
  asked again than stored).

Storage: a bounded in-process dictionary in front of the persistent store (the sqlite file of
the per-function results, rows ``q:<index>``, then the shared Redis cache when one is configured:
:func:`analysis.cache.open_persistent`). Writes are buffered per job and flushed in one
transaction (one Redis round trip) at its end (:func:`session`). An answer read from Redis goes
through the same identity and model checks as one read from the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import z3

from analysis.build import ENGINE_ID
from analysis.cache import MemoryCache, ResultCache, put_many

# above this many characters of SMT-LIB, normalising costs more than most answers are worth
MAX_QUERY_CHARS = 400_000
# answers found faster than this are not stored (see the module docstring)
RECORD_MIN_S = 0.025
# literals and keywords are matched first so that no part of them is ever taken for a name
_SYMBOL = re.compile(r'#x[0-9a-fA-F]+|#b[01]+|"(?:[^"]|"")*"|:[^\s()|]+|\|[^|]*\|'
                     r"|[A-Za-z~!@$%^&*_+=<>.?/\-][A-Za-z0-9~!@$%^&*_+=<>.?/\-]*")
_LET_NAME = re.compile(r"[$?]x\d+")
_DECLARATION = re.compile(r"\((?:declare-fun|declare-const)\s+(\|[^|]*\||[^\s()]+)")
_Z3 = z3.get_version_string()
UNSAT = "unsat"


@dataclass(frozen=True)
class Query:
    """A query's key and, for rebuilding models, its declared constants: (name as printed,
    normalised name, sort) -- sort None when it is not one we store values of."""

    facts: tuple[Any, ...]
    key: str
    constants: tuple[tuple[str, str, Any], ...] | None


def query_of(facts: list[Any]) -> Query | None:
    """The cache identity of the conjunction of ``facts`` (None: too large or not printable)."""
    if not facts:
        return None
    ctx = facts[0].ctx
    try:
        text = _printed(facts)
    except z3.Z3Exception:
        return None
    if len(text) > MAX_QUERY_CHARS:
        return None
    key, declared = _digest(text)
    constants: list[tuple[str, str, Any]] = []
    storable = True
    for printed, canonical, arity, sort_text in declared:
        sort = _sort_of(sort_text, ctx) if arity == "" and not printed.startswith("|") else None
        if sort is None:
            storable = False  # a function, an array, a quoted name: unsat answers only
            break
        constants.append((printed, canonical, sort))
    return Query(tuple(facts), key, tuple(constants) if storable else None)


def _printed(facts: list[Any]) -> str:
    """SMT-LIB text of ``facts`` that depends on their structure only.

    z3 chooses ``let`` bindings and numbers them by reference counts and AST ids, which in the
    engine's context depend on every other live term (and on Python's garbage collector). A
    copy in a fresh context holds nothing else, so its printing follows the formula alone.
    (A context costs ~1.5 ms: this runs only for queries the prefilter does not rule out.)"""
    fresh = z3.Context()
    s = z3.Solver(ctx=fresh)
    s.add(*[f.translate(fresh) for f in facts])
    return s.to_smt2()


def query_key(facts: list[Any]) -> str | None:
    q = query_of(facts)
    return q.key if q else None


_SORT_BV = re.compile(r"\(_ BitVec (\d+)\)")


def _sort_of(text: str, ctx: Any) -> Any:
    if text == "Bool":
        return z3.BoolSort(ctx)
    if text == "Int":
        return z3.IntSort(ctx)
    m = _SORT_BV.fullmatch(text)
    return z3.BitVecSort(int(m.group(1)), ctx) if m else None


_DECL_PARTS = re.compile(r"\((?:declare-fun|declare-const)\s+(\|[^|]*\||[^\s()]+)\s+(?:\(([^()]*)\)\s+)?(.*)\)$")


def _digest(text: str) -> tuple[str, list[tuple[str, str, str, str]]]:
    lines = text.splitlines()
    declarations = [ln for ln in lines if ln.startswith("(declare-")]
    body = "\n".join(ln for ln in lines if not ln.startswith(("(declare-", ";", "(set-info")))
    parts = [(m.group(1), (m.group(2) or "").strip(), m.group(3).strip()) if m else None
             for ln in declarations for m in [_DECL_PARTS.match(ln)]]
    declared = {pt[0] for pt in parts if pt}
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok in declared or _LET_NAME.fullmatch(tok):
            new = names.get(tok)
            if new is None:
                new = names[tok] = f"|q{len(names)}|"
            return new
        return tok

    body = _SYMBOL.sub(rename, body)  # first occurrence in the assertions decides the number
    decls = sorted(_SYMBOL.sub(rename, ln) for ln in declarations)
    h = hashlib.blake2b(digest_size=20)
    # the engine's build too: a model another build found would make the CLI and an editor on
    # different caches show different counterexamples for the same check
    h.update(f"q1|{_Z3}|{ENGINE_ID}\n".encode())
    h.update("\n".join(decls).encode())
    h.update(b"\n")
    h.update(body.encode())
    out = [(name, names.get(name, name), arity, sort) for pt in parts if pt for name, arity, sort in [pt]]
    if any(pt is None for pt in parts):  # a declaration we could not read: no models for it
        out.append(("|?|", "|?|", "?", "?"))
    return "q:" + h.hexdigest(), out


def model_values(query: Query, model: Any) -> dict[str, int] | None:
    """The model's values of the query's constants by normalised name (None: not storable)."""
    if query.constants is None:
        return None
    out: dict[str, int] = {}
    for printed, canonical, sort in query.constants:
        v = model.eval(z3.Const(printed, sort), model_completion=True)
        if z3.is_true(v) or z3.is_false(v):
            out[canonical] = int(z3.is_true(v))
        elif z3.is_bv_value(v) or z3.is_int_value(v):
            out[canonical] = v.as_long()
        else:
            return None
    return out


def rebuild_model(query: Query, values: dict[str, int]) -> Any:
    """A model of ``query`` from stored values, or None unless it makes every assertion true."""
    if query.constants is None:
        return None
    ctx = query.facts[0].ctx
    m = z3.Model(ctx)
    try:
        for printed, canonical, sort in query.constants:
            if canonical not in values:
                return None
            c = z3.Const(printed, sort)
            v = values[canonical]
            if z3.is_bool(c):
                m.update_value(c, z3.BoolVal(bool(v), ctx))
            elif z3.is_bv(c):
                m.update_value(c, z3.BitVecVal(v, sort.size(), ctx))
            else:
                m.update_value(c, z3.IntVal(v, ctx))
        ok = all(z3.is_true(m.eval(f, model_completion=True)) for f in query.facts)
    except (z3.Z3Exception, TypeError, ValueError):
        return None
    return m if ok else None


@dataclass
class QueryCache:
    """Known answers by query key: this process's memory, then an optional persistent store.
    Values are ``"unsat"`` or ``{"sat": {normalised name: value}}`` as JSON."""

    store: ResultCache | None = None
    memory: MemoryCache = field(default_factory=lambda: MemoryCache(100_000))
    pending: dict[str, str] = field(default_factory=dict)  # written to the store by flush()
    hits: int = 0
    misses: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str) -> str | None:
        v = self.memory.get(key)
        if v is None and self.store is not None:
            v = self.store.get(key)
            if v is not None:
                self.memory.put(key, v)
        return v

    def put(self, key: str, value: str) -> None:
        self.memory.put(key, value)
        if self.store is not None:
            with self.lock:
                self.pending[key] = value

    def count(self, hit: bool) -> None:
        with self.lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1

    def flush(self) -> None:
        """Write the buffered answers in one transaction where the store can (sqlite)."""
        with self.lock:
            todo, self.pending = self.pending, {}
        if not todo or self.store is None:
            return
        put_many(self.store, todo.items())


_MEMORY_ONLY = QueryCache()
_by_path: dict[tuple[str | None, str | None, str], QueryCache] = {}
_active: QueryCache | None = None


def for_store(path: str | None, redis: str | None = None, mode: str = "rw") -> QueryCache:
    """This process's query cache for a persistent store path and/or a shared Redis URL (neither:
    memory only), seen through a cache mode (``analysis.cache.CACHE_MODES``)."""
    if (not path and not redis) or mode == "off":
        return _MEMORY_ONLY
    qc = _by_path.get((path, redis, mode))
    if qc is None:
        from analysis.cache import open_persistent

        # a broken store degrades to memory only; the driver process reported the problems
        store = open_persistent(path, redis, mode, sqlite=bool(path), quiet=True).cache
        qc = _by_path[(path, redis, mode)] = QueryCache(store)
    return qc


@contextlib.contextmanager
def session(path: str | None, enabled: bool = True, redis: str | None = None,
            mode: str = "rw") -> Iterator[QueryCache | None]:
    """Make the query cache of ``path`` (and of the shared ``redis``) the one the solver calls
    consult while a job runs."""
    global _active
    previous = _active
    qc = for_store(path, redis, mode) if enabled else None
    _active = qc
    try:
        yield qc
    finally:
        _active = previous
        if qc is not None:
            with contextlib.suppress(Exception):  # a cache write never fails a verification
                qc.flush()


def index_key(facts: list[Any]) -> str:
    return "q:" + ".".join(f"{f.hash():x}" for f in facts)


@dataclass
class Lookup:
    """What the active cache knows of one query: ``status`` "unsat", "sat" (with a model that
    was checked against the query) or None; the rest is what to record an answer under."""

    facts: list[Any] | None
    index: str | None = None
    query: Query | None = None
    status: str | None = None
    model: Any = None


_NOTHING = Lookup(None)


def lookup(facts: list[Any]) -> Lookup:
    qc = _active
    if qc is None or not facts:
        return _NOTHING
    index = index_key(facts)
    raw = qc.get(index)
    if raw is None:
        qc.count(False)
        return Lookup(facts, index)
    q = query_of(facts)
    found = Lookup(facts, index, q)
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        entry = json.loads(raw)
        if q is not None and entry.get("k") == q.key:
            answer = entry.get("a")
            if answer == UNSAT:
                found.status = UNSAT
            elif isinstance(answer, dict) and isinstance(answer.get("sat"), dict):
                m = rebuild_model(q, answer["sat"])
                if m is not None:
                    found.status, found.model = "sat", m
    qc.count(found.status is not None)
    return found


def record(found: Lookup, status: str, model: Any = None, elapsed_s: float = RECORD_MIN_S) -> None:
    """Remember a solver's definite answer to the looked-up query (``unknown`` is not kept, nor
    answers found in less than ``RECORD_MIN_S``)."""
    qc = _active
    if qc is None or found.facts is None or found.index is None or found.status is not None:
        return
    if elapsed_s < RECORD_MIN_S or status not in (UNSAT, "sat"):
        return
    with contextlib.suppress(z3.Z3Exception):
        q = found.query or query_of(found.facts)
        if q is None:
            return
        answer: Any = UNSAT
        if status == "sat":
            if model is None or (values := model_values(q, model)) is None:
                return
            answer = {"sat": values}
        qc.put(found.index, json.dumps({"k": q.key, "a": answer}, separators=(",", ":")))


# -- answers that are not sat/unsat: Spacer's invariants ----------------------------------------------


def lookup_answer(tag: str, facts: list[Any]) -> tuple[Lookup, dict[str, Any] | None]:
    """A stored JSON answer of a procedure other than a plain check (``tag`` names it), for the
    same formulas. The caller must not trust it further than it trusts that procedure: Spacer's
    invariants, for one, are re-checked before any use."""
    qc = _active
    if qc is None or not facts:
        return _NOTHING, None
    index = f"{index_key(facts)}:{tag}"
    raw = qc.get(index)
    found = Lookup(facts, index)
    if raw is None:
        qc.count(False)
        return found, None
    found.query = query_of(facts)
    answer = None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        entry = json.loads(raw)
        if found.query is not None and entry.get("k") == f"{found.query.key}:{tag}" and isinstance(entry.get("a"), dict):
            answer = entry["a"]
    qc.count(answer is not None)
    return found, answer


def record_answer(found: Lookup, tag: str, answer: dict[str, Any]) -> None:
    qc = _active
    if qc is None or found.facts is None or found.index is None:
        return
    with contextlib.suppress(z3.Z3Exception):
        q = found.query or query_of(found.facts)
        if q is not None:
            qc.put(found.index, json.dumps({"k": f"{q.key}:{tag}", "a": answer}, separators=(",", ":")))


def formula_text(f: Any) -> str:
    s = z3.Solver(ctx=f.ctx)
    s.add(f)
    return str(s.to_smt2())


def parse_formula(text: str, ctx: Any) -> Any:
    """A formula stored with :func:`formula_text`, over the same-named constants of ``ctx``."""
    return z3.And(*z3.parse_smt2_string(text, ctx=ctx))


__all__ = ["QueryCache", "Query", "Lookup", "query_of", "query_key", "index_key", "session", "for_store", "lookup",
           "record", "model_values", "rebuild_model", "RECORD_MIN_S", "lookup_answer", "record_answer",
           "formula_text", "parse_formula"]
