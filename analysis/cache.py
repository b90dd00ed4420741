"""Result caches behind one interface (Boogie's IVerificationResultCache, in Python).

The stores hold per-function results (key = function text, its dependencies, the options,
the prooflens and z3 versions) and the split of a file. Values are JSON strings so that every
store is trivially safe against pickled-code injection and readable by any prooflens process.
The level below, single SMT queries, is :mod:`analysis.querycache`; its rows live in the same
persistent store under ``q:`` keys.
"""

from __future__ import annotations

import threading
from typing import Protocol


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
