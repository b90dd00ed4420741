"""Per-function cache keys, recomputed only where an edit can have changed them.

``analysis.service.function_key`` hashes a function, the definitions it transitively calls
and every declaration of the file. Computing it for all 500 functions of a big file costs
tens of milliseconds (each call re-derives the call graph), too much for the keystroke path.
Here the previous keys are reused for every function that provably has the same key:

- the options and the file's declarations are unchanged (else: recompute everything);
- the function's own unit (token digest and start column) is unchanged;
- no definition it can reach through the *token* call graph (edges to every called name,
  defined or not) changed, appeared or disappeared.

Any change to a function's transitive dependency set or to a dependency's key lies on such
a path (see ``tests/test_server_incremental.py``, which compares against the full
computation on random edits). Duplicate function names fall back to the full computation.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from analysis import service
from analysis.frontend.units import SplitFile, Unit, UnitKind
from analysis.options import Options

log = logging.getLogger(__name__)


@dataclass
class KeySnapshot:
    """The keys of one split, plus what is needed to update them cheaply."""

    options_key: str = ""
    decl_digest: str = ""
    defs: dict[str, str] = field(default_factory=dict)  # function name -> unit.key (last definition)
    own: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (unit.key, column)
    keys: dict[str, str] = field(default_factory=dict)  # user function name -> function_key
    unique: bool = False  # function names are unique (the incremental path is valid)
    recomputed: int = 0  # how many keys the last update computed (for tests and the bench)


def _decl_digest(split: SplitFile) -> str:
    h = hashlib.sha256()
    for u in split.units:
        if u.kind is UnitKind.DECLARATION:
            h.update(u.key.encode())
            h.update(b"|")
    return h.hexdigest()


def compute_keys(split: SplitFile, options: Options, previous: KeySnapshot | None = None
                 ) -> tuple[KeySnapshot, list[str]]:
    """The keys of the user's functions in file order (one per unit of ``functions_of``)."""
    funcs = service.functions_of(split)
    all_defs = [u for u in split.units if u.kind is UnitKind.FUNCTION and u.name]
    names = [u.name for u in all_defs]
    unique = len(set(names)) == len(names)
    snap = KeySnapshot(options.semantic_key(), _decl_digest(split),
                       {u.name: u.key for u in all_defs if u.name},
                       {u.name: (u.key, u.span.start.column) for u in all_defs if u.name},
                       unique=unique)
    incremental = (previous is not None and previous.unique and unique
                   and previous.options_key == snap.options_key and previous.decl_digest == snap.decl_digest)
    if not incremental:
        keys = all_keys(split, funcs, options)
        snap.recomputed = len(funcs)
        if unique:
            snap.keys = {u.name: k for u, k in zip(funcs, keys, strict=True) if u.name}
        return snap, keys
    assert previous is not None
    changed = {n for n in set(previous.defs) | set(snap.defs) if previous.defs.get(n) != snap.defs.get(n)}
    dirty = _reverse_reachable(all_defs, changed)
    keys = []
    for u in funcs:
        name = u.name or ""
        old = previous.keys.get(name)
        if old is None or name in dirty or previous.own.get(name) != snap.own.get(name):
            old = service.function_key(split, u, options)
            snap.recomputed += 1
        keys.append(old)
        snap.keys[name] = old
    return snap, keys


def _reverse_reachable(defs: list[Unit], changed: set[str]) -> set[str]:
    """Names of definitions from which a changed name is reachable over call tokens."""
    if not changed:
        return set()
    callers: dict[str, list[str]] = {}
    for u in defs:
        for c in set(u.calls):
            callers.setdefault(c, []).append(u.name or "")
    seen = set(changed)
    todo = list(changed)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in seen:
                seen.add(caller)
                todo.append(caller)
    return seen


def all_keys(split: SplitFile, funcs: list[Unit], options: Options) -> list[str]:
    """Every key at once (``service.function_keys``: one linear pass, equal to ``function_key``)."""
    return service.function_keys(split, options, funcs)
