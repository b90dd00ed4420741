"""Result caches behind one interface (Boogie's IVerificationResultCache, in Python).

The stores hold per-function results (key = function text, its dependencies, the options,
the prooflens and z3 versions) and the split of a file. Values are JSON strings so that every
store is trivially safe against pickled-code injection and readable by any prooflens process.
The level below, single SMT queries, is :mod:`analysis.querycache`; its rows live in the same
persistent store under ``q:`` keys.

The layers are memory, the local sqlite file (:mod:`analysis.cache_store`) and, when configured,
a shared Redis server (:mod:`analysis.cache_redis`): :func:`open_persistent` builds the last two
through a cache mode.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, Protocol


class ResultCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...


class NullCache:
    """Caches nothing: every lookup misses."""

    def get(self, key: str) -> str | None:
        return None

    def put(self, key: str, value: str) -> None:
        return None


class MemoryCache:
    """An in-process dictionary, bounded so a long editing session cannot grow without limit."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._data: dict[str, str] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: str, value: str) -> None:
        with self._lock:
            if len(self._data) >= self._max:
                for k in list(self._data)[: self._max // 4]:
                    del self._data[k]
            self._data[key] = value


class LayeredCache:
    """Memory in front of a persistent store: reads fill the memory layer."""

    def __init__(self, front: ResultCache, back: ResultCache) -> None:
        self.front, self.back = front, back

    def get(self, key: str) -> str | None:
        v = self.front.get(key)
        if v is None:
            v = self.back.get(key)
            if v is not None:
                self.front.put(key, v)
        return v

    def put(self, key: str, value: str) -> None:
        self.front.put(key, value)
        self.back.put(key, value)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Batched where a layer can batch (one sqlite transaction, one Redis round trip)."""
        rows = list(items)
        for layer in (self.front, self.back):
            put_many(layer, rows)

    def close(self) -> None:
        close(self.front)
        close(self.back)


def close(cache: ResultCache) -> None:
    """Release a store's connection where it holds one."""
    closer = getattr(cache, "close", None)
    if closer is not None:
        closer()


def put_many(cache: ResultCache, rows: Iterable[tuple[str, str]]) -> None:
    """``cache.put_many`` where the store has one, else one ``put`` per row."""
    batch = getattr(cache, "put_many", None)
    if batch is not None:
        batch(rows)
    else:
        for key, value in rows:
            cache.put(key, value)


# --cache-mode: rw reads and writes the persistent layers; ro only reads them (a pull request's
# job must not write what the main branch shares); rebuild only writes (a run that trusts no
# stored answer but refreshes the store); off has no persistent layer at all (like --no-cache)
CACHE_MODES = ("rw", "ro", "rebuild", "off")


class GatedCache:
    """A persistent layer seen through a cache mode: reads and/or writes switched off."""

    def __init__(self, inner: ResultCache, *, read: bool = True, write: bool = True) -> None:
        self.inner, self.read, self.write = inner, read, write

    def get(self, key: str) -> str | None:
        return self.inner.get(key) if self.read else None

    def put(self, key: str, value: str) -> None:
        if self.write:
            self.inner.put(key, value)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        if self.write:
            put_many(self.inner, items)

    def close(self) -> None:
        close(self.inner)


def gated(inner: ResultCache, mode: str) -> ResultCache:
    if mode == "ro":
        return GatedCache(inner, write=False)
    if mode == "rebuild":
        return GatedCache(inner, read=False)
    return inner


class Persistent(NamedTuple):
    """What :func:`open_persistent` opened: what the workers need to open the same layers."""

    cache: ResultCache | None  # the layers seen through the mode; None: there are none
    sqlite_path: str | None
    redis_url: str | None  # None also when the server did not answer: workers would only wait on it
    problems: list[str]


def open_persistent(path: str | Path | None, redis_url: str | None = None, mode: str = "rw", *,
                    sqlite: bool = True, quiet: bool = False) -> Persistent:
    """The persistent layers under a memory layer: the local sqlite file, then the shared Redis.

    A layer that cannot be opened is left out with a problem: a broken cache never stops
    verification. A hit in Redis fills the sqlite file (unless the mode forbids writing).
    ``quiet``: a worker process, whose driver already reported the problems."""
    if mode == "off":
        return Persistent(None, None, None, [])
    problems: list[str] = []
    layers: list[ResultCache] = []
    sqlite_path: str | None = None
    if sqlite:
        from analysis.cache_store import open_store

        store, store_problems = open_store(path)
        problems += store_problems
        if store is not None:
            layers.append(gated(store, mode))
            sqlite_path = str(store.path)
    shared_url: str | None = None
    if redis_url:
        from analysis.cache_redis import open_redis

        shared, redis_problems = open_redis(redis_url, quiet=quiet)
        problems += redis_problems
        if shared is not None:
            layers.append(gated(shared, mode))
            shared_url = redis_url if shared.available() else None
    if not layers:
        return Persistent(None, None, None, problems)
    stack = layers[-1]
    for upper in reversed(layers[:-1]):
        stack = LayeredCache(upper, stack)
    return Persistent(stack, sqlite_path, shared_url, problems)
