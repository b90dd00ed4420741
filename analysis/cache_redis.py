"""The shared proof cache: a :class:`analysis.cache.ResultCache` on a Redis server.

Why: a second CI runner, or a teammate, should not solve again what the first one proved. The
layers are memory, then the local sqlite file, then this one (:func:`analysis.cache.open_persistent`),
with the same keys: per-function results (``fn:``), file splits (``split:``) and SMT-query answers
(``q:``, :mod:`analysis.querycache`; the workers open their own connection from the URL).

Entries:
- JSON text, written with ``SET key value NX``: the first answer stays and nothing is ever
  overwritten (two runners that race store the same answer for the same key anyway), with a
  time to live so that entries no build reads any more go away by themselves;
- keys are namespaced by the engine's build and z3's version (``prooflens:<build>:<z3>:<key>``):
  an answer stored by another build never sits on the index of this build's answer (NX);
- a value that is not JSON is a miss, never handed on to the layers above.

Trust is the same as the sqlite file's: a stored entry goes through the same checks as any
other (a function result is parsed and positioned by ``service.cached_result``; a query answer
is used only when its identity matches and a ``sat`` model satisfies the query; Spacer's
invariants are re-proved). Writing to the server is writing what other runs will read: give
pull-request jobs a read-only Redis user (and ``--cache-mode ro``).

A broken cache never breaks verification: connection errors and timeouts (short ones) are
misses, reported once, after which the server is left alone for ``RETRY_AFTER_S``.

This module imports neither z3 nor pycparser (the language server uses it).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

PREFIX = "prooflens"
# connecting to a cache on the local network takes well under this; a lost one costs it once
CONNECT_TIMEOUT_S = 0.5
SOCKET_TIMEOUT_S = 2.0
# after a failure, misses without asking for this long (the server retries; a CLI run does not)
RETRY_AFTER_S = 60.0
# entries that no build reads any more (older engines, older z3) expire
TTL_S = 30 * 24 * 3600
SCHEMES = ("redis", "rediss", "unix")


class RedisUnavailable(Exception):
    """The URL is wrong or the client library is missing."""


def namespace() -> str:
    """``prooflens:<engine build>:<z3 version>:``: see the module docstring."""
    from analysis.build import ENGINE_ID
    from analysis.cache_store import _z3_version

    return f"{PREFIX}:{ENGINE_ID}:{_z3_version()}:"


def check_url(url: str) -> str:
    """The URL if it names a Redis server (``redis://HOST:PORT/DB``), else RedisUnavailable."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise RedisUnavailable(f"not a Redis URL (redis://HOST:PORT/DB): {url!r}")
    if parts.scheme != "unix" and not parts.hostname:
        raise RedisUnavailable(f"no host in {url!r}")
    return url


def client_for(url: str, connect_timeout_s: float = CONNECT_TIMEOUT_S,
               socket_timeout_s: float = SOCKET_TIMEOUT_S) -> Any:
    """A redis-py client for ``url`` with short timeouts and no retries (a retry with backoff
    would stall every lookup of a run while the server is away). Tests replace this."""
    try:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry
    except ImportError as e:
        raise RedisUnavailable("the redis client is not installed (pip install 'prooflens[cache]')") from e
    return redis.Redis.from_url(check_url(url), socket_connect_timeout=connect_timeout_s,
                                socket_timeout=socket_timeout_s, retry=Retry(NoBackoff(), 0),
                                decode_responses=False)


def _display(url: str) -> str:
    """The URL without its password (it ends up in warnings and editor messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


class RedisCache:
    """A ResultCache over one Redis database; see the module docstring for the rules."""

    def __init__(self, url: str, *, client: Any = None, prefix: str | None = None, ttl_s: int = TTL_S,
                 retry_after_s: float = RETRY_AFTER_S, quiet: bool = False) -> None:
        self.url = url
        self.shown = _display(url)
        self.prefix = namespace() if prefix is None else prefix
        self.ttl_s = ttl_s
        self.retry_after_s = retry_after_s
        self.quiet = quiet
        self.problems: list[str] = []
        self.errors = 0
        self.rejected = 0  # values that were not JSON: misses
        self._client = client if client is not None else client_for(url)
        self._down_until = 0.0
        self._lock = threading.Lock()

    # -- failure handling ---------------------------------------------------------------------
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, e: Exception) -> None:
        with self._lock:
            self.errors += 1
            self._down_until = time.monotonic() + self.retry_after_s
            first = self.errors == 1
        if first:
            msg = f"shared cache {self.shown} unavailable ({type(e).__name__}: {e}): continuing without it"
            self.problems.append(msg)
            if not self.quiet:
                log.warning("prooflens: %s", msg)

    def ping(self) -> bool:
        """Is the server there? (Opening it reports a missing server at once, not mid-run.)"""
        try:
            return bool(self._client.ping())
        except Exception as e:  # noqa: BLE001 - any client error is a miss (see the module docstring)
            self._failed(e)
            return False

    # -- values ---------------------------------------------------------------------------------
    def _text(self, raw: Any) -> str | None:
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            self.rejected += 1
            return None
        return text

    # -- the ResultCache protocol -----------------------------------------------------------
    def get(self, key: str) -> str | None:
        if not self.available():
            return None
        try:
            raw = self._client.get(self.prefix + key)
        except Exception as e:  # noqa: BLE001 - see ping
            self._failed(e)
            return None
        return self._text(raw)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """One round trip for many keys (MGET)."""
        todo = list(dict.fromkeys(keys))
        if not todo or not self.available():
            return {}
        try:
            raws = self._client.mget([self.prefix + k for k in todo])
        except Exception as e:  # noqa: BLE001 - see ping
            self._failed(e)
            return {}
        return {k: text for k, raw in zip(todo, raws, strict=True) if (text := self._text(raw)) is not None}

    def put(self, key: str, value: str) -> None:
        if not self.available():
            return
        try:
            self._client.set(self.prefix + key, value.encode("utf-8"), nx=True, ex=self.ttl_s)
        except Exception as e:  # noqa: BLE001 - see ping
            self._failed(e)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Many SET NX in one round trip (a worker's SMT-query answers at the end of a job)."""
        rows = list(items)
        if not rows or not self.available():
            return
        try:
            pipe = self._client.pipeline(transaction=False)
            for key, value in rows:
                pipe.set(self.prefix + key, value.encode("utf-8"), nx=True, ex=self.ttl_s)
            pipe.execute()
        except Exception as e:  # noqa: BLE001 - see ping
            self._failed(e)

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken connection has nothing to report
            pass


def open_redis(url: str, *, quiet: bool = False) -> tuple[RedisCache | None, list[str]]:
    """Open the shared cache; never raises. (None, [why]) for a bad URL or a missing client; a
    server that does not answer gives a cache that misses until it is back, and the problem."""
    try:
        cache = RedisCache(url, quiet=True)  # a failed ping is returned, not logged as well
    except RedisUnavailable as e:
        return None, [f"shared cache disabled: {e}"]
    if not quiet:
        cache.ping()
        cache.quiet = False
    return cache, list(cache.problems)


__all__ = ["RedisCache", "RedisUnavailable", "open_redis", "client_for", "check_url", "namespace", "PREFIX"]
