"""The persistent result cache: one sqlite3 file shared by the CLI, the server and its workers.

Implements :class:`analysis.cache.ResultCache`. Lives in the platformdirs user cache dir
(``prooflens/results.sqlite3``) unless a path is configured.

Trust: the file is only used after it proved to be ours and whole: the sqlite header, our
``application_id`` and ``user_version``, a ``meta`` row with the schema, and
``PRAGMA quick_check``. A foreign, truncated or corrupt file is moved aside and rebuilt,
never read. A different prooflens or z3 version empties the results (keys include the
versions anyway; this just bounds the size).

Concurrency: WAL journal and a busy timeout make two processes safe at once; opening and
rebuilding happen under an exclusive ``flock`` on ``<file>.lock`` so two processes never
rebuild the same file concurrently. Runtime sqlite errors degrade to cache misses: a broken
cache must never break verification.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from analysis import __version__

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
APPLICATION_ID = 0x50524C4E  # "PRLN"
_HEADER = b"SQLite format 3\x00"
_FILE_NAME = "results.sqlite3"


def _z3_version() -> str:
    try:
        from importlib.metadata import version

        return version("z3-solver")
    except Exception:  # noqa: BLE001 - any failure yields a distinct version string
        return "unknown"


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return Path(user_cache_path("prooflens"))


def default_cache_path() -> Path:
    return default_cache_dir() / _FILE_NAME


class CacheRebuilt(Exception):
    """Internal: the file was not trustworthy."""


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock next to the database (no-op where flock is unavailable)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class SqliteCache:
    """A ResultCache in one sqlite3 file; see the module docstring for the trust rules."""

    def __init__(self, path: str | Path | None = None, *, max_rows: int = 200_000,
                 busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.max_rows = max_rows
        self.problems: list[str] = []  # what was wrong with the file and what was done about it
        self._lock = threading.Lock()
        self._busy_ms = busy_timeout_ms
        self._errors = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.path):
            self._conn: sqlite3.Connection | None = self._open_trusted()

    # -- opening -----------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=self._busy_ms / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_ms)}")
        return conn

    def _open_trusted(self) -> sqlite3.Connection:
        for attempt in range(2):
            try:
                if self.path.exists() and self.path.stat().st_size > 0:
                    with open(self.path, "rb") as f:
                        if f.read(16) != _HEADER:
                            raise CacheRebuilt("not an sqlite database")
                conn = self._connect()
                try:
                    self._validate_or_init(conn)
                except BaseException:
                    conn.close()
                    raise
                return conn
            except (CacheRebuilt, sqlite3.DatabaseError) as e:
                if attempt:
                    raise
                self.problems.append(f"cache file {self.path} rebuilt: {e}")
                log.warning("prooflens cache %s is not trustworthy (%s): rebuilding", self.path, e)
                self._move_aside()
        raise AssertionError("unreachable")

    def _validate_or_init(self, conn: sqlite3.Connection) -> None:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id == 0 and user_version == 0 and not tables:
            self._create(conn)
            return
        if app_id != APPLICATION_ID:
            raise CacheRebuilt(f"foreign database (application_id {app_id:#x})")
        if user_version != SCHEMA_VERSION or not {"meta", "results"} <= tables:
            raise CacheRebuilt(f"schema version {user_version}, expected {SCHEMA_VERSION}")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise CacheRebuilt(f"integrity check failed: {check[0][0] if check else 'no answer'}")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != str(SCHEMA_VERSION):
            raise CacheRebuilt("meta row missing or wrong schema")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if meta.get("prooflens") != __version__ or meta.get("z3") != _z3_version():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM results")
            self._write_meta(conn)
            conn.execute("COMMIT")
        self._prune(conn)

    def _create(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                     "created REAL NOT NULL)")
        self._write_meta(conn)
        conn.execute("COMMIT")

    @staticmethod
    def _write_meta(conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
            ("schema", str(SCHEMA_VERSION)), ("prooflens", __version__), ("z3", _z3_version())])

    def _prune(self, conn: sqlite3.Connection) -> None:
        n = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        if n > self.max_rows:
            keep = self.max_rows * 3 // 4
            conn.execute("DELETE FROM results WHERE rowid IN (SELECT rowid FROM results "
                         "ORDER BY created ASC LIMIT ?)", (n - keep,))

    def _move_aside(self) -> None:
        """Keep the bad file for inspection (one generation) and clear the way for a new one."""
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)
        with contextlib.suppress(OSError):
            os.replace(self.path, str(self.path) + ".corrupt")

    # -- the ResultCache protocol -------------------------------------------------------------
    def get(self, key: str) -> str | None:
        conn = self._conn
        if conn is None:
            return None
        try:
            with self._lock:
                row = conn.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as e:
            self._failed(e)
            return None
        return row[0] if row else None

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """Batch lookup (one query per 500 keys): the server's startup path."""
        conn = self._conn
        out: dict[str, str] = {}
        if conn is None:
            return out
        todo = list(dict.fromkeys(keys))
        try:
            with self._lock:
                for i in range(0, len(todo), 500):
                    chunk = todo[i:i + 500]
                    marks = ",".join("?" * len(chunk))
                    out.update(conn.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk))
        except sqlite3.Error as e:
            self._failed(e)
        return out

    def put(self, key: str, value: str) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            with self._lock:
                conn.execute("INSERT OR REPLACE INTO results (key, value, created) VALUES (?, ?, ?)",
                             (key, value, time.time()))
        except sqlite3.Error as e:
            self._failed(e)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Many rows in one transaction (a worker's SMT-query answers at the end of a job)."""
        conn = self._conn
        if conn is None:
            return
        now = time.time()
        rows = [(k, v, now) for k, v in items]
        try:
            with self._lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany("INSERT OR REPLACE INTO results (key, value, created) VALUES (?, ?, ?)", rows)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._failed(e)

    def _failed(self, e: sqlite3.Error) -> None:
        self._errors += 1
        log.warning("prooflens cache %s: %s", self.path, e)
        if self._errors >= 20:  # persistently broken: stop using it for this process
            self.problems.append(f"cache {self.path} disabled after repeated errors: {e}")
            self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def __len__(self) -> int:
        conn = self._conn
        if conn is None:
            return 0
        with self._lock:
            return int(conn.execute("SELECT COUNT(*) FROM results").fetchone()[0])


def open_store(path: str | Path | None = None) -> tuple[SqliteCache | None, list[str]]:
    """Open the persistent store; never raises: (None, [why]) when it cannot be used at all."""
    try:
        store = SqliteCache(path)
    except (OSError, sqlite3.Error, CacheRebuilt) as e:
        return None, [f"persistent cache {path or default_cache_path()} unavailable: {e}"]
    return store, list(store.problems)


__all__ = ["SqliteCache", "open_store", "default_cache_dir", "default_cache_path", "SCHEMA_VERSION"]
