"""The shared proof cache on Redis (analysis/cache_redis.py): what it stores, what it refuses, how
it fails, the cache modes, and two `prooflens check` runs on fresh machines sharing one server.

The unit tests use fakeredis; the end-to-end tests start a real ``redis-server`` on a free port
(Debian's package: skipped with the reason where it is missing, a failure under CI=true)."""

from __future__ import annotations

import json
import logging
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fakeredis  # the [test] extra: a missing one is a broken install, not a skip
import pytest
import z3

from analysis import cache_redis, querycache, service
from analysis.cache import LayeredCache, MemoryCache, open_persistent
from analysis.cache_redis import RedisCache
from analysis.cache_store import SqliteCache
from analysis.options import Options
from analysis.runner import verify_files
from analysis.stats import RunStats
from tests.toolchain import unavailable

ROOT = Path(__file__).resolve().parent.parent
SMALL = """int sub(int x, int y) { return x - y; }

unsigned comm(unsigned x, unsigned y) {
  //@ assert x + y == y + x;
  return x;
}
"""


class Recording:
    """A redis client that notes which commands it was sent (to prove a mode never reads or writes)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self.inner, name)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Recording:
    """Every RedisCache of this process (the CLI's layer and the workers' query caches) talks to
    one fake server; the process's query caches start empty."""
    client = Recording(fakeredis.FakeRedis(server=fakeredis.FakeServer()))
    monkeypatch.setattr(cache_redis, "client_for", lambda url, *a, **k: client)
    monkeypatch.setattr(querycache, "_by_path", {})
    monkeypatch.setattr(querycache, "RECORD_MIN_S", 0.0)
    return client


URL = "redis://cache.invalid:6379/0"  # never resolved: the fake client stands in for it


def _answers(results: list[Any]) -> list[tuple[str, str, str]]:
    return [(f.name, c.id, c.status.value) for r in results for f in r.functions for c in f.checks]


def _run(tmp: Path, mode: str = "rw", text: str = SMALL) -> tuple[list[tuple[str, str, str]], RunStats]:
    """One run of the CLI's path: memory over a fresh sqlite file (a fresh machine) over Redis."""
    tmp.mkdir(parents=True, exist_ok=True)
    layers = open_persistent(tmp / "results.sqlite3", URL, mode)
    assert layers.cache is not None and not layers.problems
    stats = RunStats()
    results = verify_files([("small.c", text)], Options(), LayeredCache(MemoryCache(), layers.cache), 1,
                           query_store=layers.sqlite_path, query_redis=layers.redis_url, cache_mode=mode,
                           stats=stats)
    querycache._by_path.clear()  # the next run is another process
    return _answers(results), stats


# -- the store --------------------------------------------------------------------------------------


def test_set_nx_never_overwrites_and_entries_expire(fake: Recording) -> None:
    cache = RedisCache(URL)
    cache.put("fn:k", '{"first": 1}')
    cache.put("fn:k", '{"second": 2}')
    cache.put_many([("fn:k", '{"third": 3}'), ("q:i", '"unsat"')])
    assert cache.get("fn:k") == '{"first": 1}'
    assert cache.get_many(["fn:k", "q:i", "fn:none"]) == {"fn:k": '{"first": 1}', "q:i": '"unsat"'}
    raw = fake.inner
    assert raw.get(cache.prefix + "fn:k") == b'{"first": 1}'  # namespaced by build and z3
    assert cache.prefix.startswith("prooflens:") and cache.prefix.count(":") >= 3
    assert 0 < raw.ttl(cache.prefix + "fn:k") <= cache_redis.TTL_S


def test_a_value_that_is_not_json_is_a_miss_and_reaches_no_upper_layer(fake: Recording, tmp_path: Path) -> None:
    shared = RedisCache(URL)
    fake.inner.set(shared.prefix + "fn:bad", b"\xff\xfe not json")
    fake.inner.set(shared.prefix + "fn:text", b"<html>")
    sqlite = SqliteCache(tmp_path / "r.sqlite3")
    memory = MemoryCache()
    stack = LayeredCache(memory, LayeredCache(sqlite, shared))
    assert stack.get("fn:bad") is None and stack.get("fn:text") is None
    assert shared.rejected == 2
    assert len(sqlite) == 0 and memory.get("fn:bad") is None


def test_a_hit_in_redis_fills_the_layers_above(fake: Recording, tmp_path: Path) -> None:
    RedisCache(URL).put("fn:k", '{"v": 1}')
    sqlite = SqliteCache(tmp_path / "r.sqlite3")
    memory = MemoryCache()
    layers = open_persistent(tmp_path / "r.sqlite3", URL)
    stack = LayeredCache(memory, layers.cache)  # type: ignore[arg-type]
    assert stack.get("fn:k") == '{"v": 1}'
    assert memory.get("fn:k") == '{"v": 1}' and sqlite.get("fn:k") == '{"v": 1}'


def test_connection_refused_is_a_miss_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    cache, problems = cache_redis.open_redis(url)
    assert cache is not None and len(problems) == 1 and "unavailable" in problems[0]
    caplog.set_level(logging.WARNING, logger="analysis.cache_redis")
    start = time.perf_counter()
    for i in range(50):
        assert cache.get(f"fn:{i}") is None
        cache.put(f"fn:{i}", "{}")
    cache.put_many([("q:1", "{}")])
    assert cache.get_many(["q:1"]) == {}
    assert time.perf_counter() - start < 1.0  # no retries, no waiting on a server that is away
    assert not caplog.records  # the one warning was the opening's problem

    mid_run = RedisCache(url)  # a server lost in the middle of a run: one warning, then silence
    for i in range(20):
        assert mid_run.get(f"fn:{i}") is None
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1

    layers = open_persistent(None, url)  # the local file still works; workers are not sent the URL
    assert layers.cache is not None and layers.sqlite_path is not None and layers.redis_url is None


# -- trust: what comes from Redis goes through the same checks as what comes from the file ----------


def test_a_corrupt_or_foreign_function_entry_is_verified_again(fake: Recording, tmp_path: Path) -> None:
    honest, cold = _run(tmp_path / "honest")
    assert cold.solved == 2
    fake.inner.flushall()
    split = service.split_text(SMALL, "small.c", Options())
    keys = service.function_keys(split, Options())
    shared = RedisCache(URL)
    shared.put("fn:" + keys[0], "this is not JSON")
    shared.put("fn:" + keys[1], json.dumps({"name": "comm", "status": "proved"}))  # not a result
    again, stats = _run(tmp_path / "forged")
    assert again == honest
    assert (stats.from_cache, stats.solved) == (0, 2)
    assert shared.get("fn:" + keys[1]) == json.dumps({"name": "comm", "status": "proved"})  # NX: still there
    assert SqliteCache(tmp_path / "forged" / "results.sqlite3").get("fn:" + keys[1]) != shared.get("fn:" + keys[1])


def _sat_query(ctx: z3.Context) -> Any:
    x, y = z3.BitVec("x", 32, ctx), z3.BitVec("y", 32, ctx)
    return z3.And(x * y == 391, x > 1, y > 1, x < y)


def test_query_answers_from_redis_are_checked_before_use(fake: Recording) -> None:
    ctx = z3.Context()
    f = _sat_query(ctx)
    with querycache.session(None, redis=URL) as qc:
        assert qc is not None
        found = querycache.lookup([f])
        q = querycache.query_of([f])
        assert found.index is not None and q is not None
        names = [canonical for _printed, canonical, _sort in q.constants or ()]
        shared = RedisCache(URL)
        shared.put(found.index, json.dumps({"k": q.key, "a": {"sat": {n: 1 for n in names}}}))
        assert querycache.lookup([f]).status is None  # x = y = 1 does not satisfy f: refused
        assert qc.hits == 0
    fake.inner.flushall()
    querycache._by_path.clear()
    with querycache.session(None, redis=URL):
        shared.put(found.index, json.dumps({"k": "q:someone-else", "a": "unsat"}))
        assert querycache.lookup([f]).status is None  # another formula's answer
    fake.inner.flushall()
    querycache._by_path.clear()
    s = z3.Solver(ctx=ctx)
    s.add(f)
    assert s.check() == z3.sat
    with querycache.session(None, redis=URL):  # a real answer, stored by one process...
        querycache.record(querycache.lookup([f]), "sat", s.model(), elapsed_s=1.0)
    querycache._by_path.clear()
    ctx2 = z3.Context()
    with querycache.session(None, redis=URL):  # ...is rebuilt and checked in another
        again = querycache.lookup([_sat_query(ctx2)])
    assert again.status == "sat"
    assert z3.is_true(again.model.eval(_sat_query(ctx2), model_completion=True))


# -- modes ------------------------------------------------------------------------------------------


def test_ro_reads_but_never_writes(fake: Recording, tmp_path: Path) -> None:
    answers, stats = _run(tmp_path / "ro-cold", "ro")
    assert stats.solved == 2
    assert fake.inner.dbsize() == 0 and len(SqliteCache(tmp_path / "ro-cold" / "results.sqlite3")) == 0
    assert not {"set", "pipeline"} & set(fake.calls)
    _run(tmp_path / "main-branch", "rw")
    stored = fake.inner.dbsize()
    assert stored > 0
    fake.calls.clear()
    warm, stats = _run(tmp_path / "pull-request", "ro")
    assert warm == answers and (stats.from_cache, stats.solved) == (2, 0)
    assert fake.inner.dbsize() == stored and not {"set", "pipeline"} & set(fake.calls)
    assert len(SqliteCache(tmp_path / "pull-request" / "results.sqlite3")) == 0  # no fill either


def test_rebuild_never_reads_and_writes_fresh_results(fake: Recording, tmp_path: Path) -> None:
    answers, _ = _run(tmp_path / "first", "rw")
    stored = fake.inner.dbsize()
    fake.calls.clear()
    again, stats = _run(tmp_path / "first", "rebuild")  # the same machine: both layers hold everything
    assert again == answers and (stats.from_cache, stats.solved) == (0, 2)
    assert not {"get", "mget"} & set(fake.calls)
    assert "set" in fake.calls or "pipeline" in fake.calls
    assert fake.inner.dbsize() >= stored


def test_off_is_no_persistent_cache(fake: Recording, tmp_path: Path) -> None:
    layers = open_persistent(tmp_path / "r.sqlite3", URL, "off")
    assert layers.cache is None and not (tmp_path / "r.sqlite3").exists()
    assert fake.calls == []


def test_server_layers_redis_under_its_sqlite_store(fake: Recording, tmp_path: Path) -> None:
    import asyncio
    import dataclasses

    from server.app import ProoflensServer
    from server.config import ServerConfig

    cfg, problems = ServerConfig.from_dict({"cacheRedis": URL, "cacheMode": "ro", "cachePath": str(tmp_path / "s")})
    assert not problems and (cfg.cache_redis, cfg.cache_mode) == (URL, "ro")
    assert ServerConfig.from_dict({"cacheRedis": "http://example"})[1]  # not a Redis URL: a problem

    async def run() -> None:
        srv = ProoflensServer()
        srv.config = dataclasses.replace(cfg, cache_mode="rw")
        RedisCache(URL).put("fn:shared", '{"v": 1}')
        srv._open_store()
        assert srv.query_redis == URL and srv.query_store == str(tmp_path / "s")
        assert srv.results.cache.get("fn:shared") == '{"v": 1}'
        assert SqliteCache(tmp_path / "s").get("fn:shared") == '{"v": 1}'
        srv.close()

    asyncio.run(run())


# -- end to end: a real redis-server, two fresh machines ---------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("redis-server")
    if exe is None:
        unavailable("redis-server", "Debian: apt-get install redis-server")
        raise AssertionError("unreachable")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    where = tmp_path_factory.mktemp("redis")
    # unbuffered: a buffered reader can take the "Ready" line into its buffer along with an earlier
    # one, and select() then waits on the pipe for output that already came (the fixture failed so
    # under load, after 30 s, with redis up)
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(where)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    assert proc.stdout is not None
    try:
        _wait_for_line(proc, "Ready to accept connections", 30.0)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for_line(proc: subprocess.Popen[bytes], needle: str, timeout: float) -> None:
    """Block on the server's own output until it says it is ready (or has died)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(deadline - time.monotonic()):
                break
            chunk = os.read(fd, 65536)  # what the pipe holds: nothing waits in a reader's buffer
            if not chunk:
                break
            seen += chunk
            if needle.encode() in seen:
                return
    raise AssertionError(f"redis-server did not start: {seen.decode(errors='replace')[-2000:]}")


def _check(args: list[str], cache_home: Path) -> tuple[dict[str, Any], str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("PROOFLENS_TEST_CACHE", None)
    p = subprocess.run([sys.executable, "-m", "analysis.cli", "check", *args, "--format", "json"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode in (0, 1, 2), p.stderr
    return json.loads(p.stdout), p.stderr


def _statuses(doc: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(f["name"], f["status"], c["id"], c["status"]) for file in doc["files"] for f in file["functions"]
            for c in f["checks"]]


def _info(url: str, field: str) -> int:
    import redis

    return int(redis.Redis.from_url(url).info("stats")[field])


def _keys(url: str, pattern: str) -> list[bytes]:
    import redis

    return list(redis.Redis.from_url(url).scan_iter(pattern))


def test_a_fresh_machine_gets_everything_from_the_shared_cache(redis_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "examples" / "seed.c", corpus / "seed.c")
    # with a factorisation: every other query here may be answered under the 25 ms recording
    # threshold on an idle machine (then nothing is stored, and this failed in one run of five)
    # (a name and a product of its own: the renamed-function test, on the same Redis, must not hit it)
    (corpus / "small.c").write_text(SMALL + FACTOR.format(i=9, n=65437 * 65423))
    args = [str(corpus), "--cache", redis_url, "--jobs", "2"]
    cold, _ = _check(args, tmp_path / "machine-a")
    assert cold["stats"]["functions"] == 7 and cold["stats"]["solved"] == 7 and cold["stats"]["from_cache"] == 0
    assert _keys(redis_url, "prooflens:*:q:*"), "the worker processes stored no SMT answer in Redis"
    warm, _ = _check(args, tmp_path / "machine-b")
    assert warm["stats"]["from_cache"] == warm["stats"]["functions"] == 7
    assert warm["stats"]["solved"] == 0 and warm["stats"]["solver_time_ms"] == 0
    assert _statuses(warm) == _statuses(cold)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "machine-c")}
    text = subprocess.run([sys.executable, "-m", "analysis.cli", "check", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env=env).stdout
    assert "7 from cache" in text.splitlines()[-1], text


WEIGHTED = """
int weighted{i}(int a, int b, int c) {{
  int s = 0;
  if (a > 0 && a < {i}00 && b > 0 && b < 1000 && c > 0 && c < 1000) {{
    s = a * b + b * c;
    s = s + a * c;
  }}
  return s;
}}
"""
# a division by zero behind a 32-bit factorisation: the solver needs ~70 ms for its model on this
# machine, well over the query cache's recording threshold (the weighted sums are solved in a
# few ms since the integer reading, so alone they store no query at all)
FACTOR = """
int factor{i}(unsigned a, unsigned b) {{
  if (a > 1u && b > 1u && a < 65536u && b < 65536u && a * b == {n}u) {{
    return 10 / (int)(b - b);
  }}
  return 0;
}}
"""
SEMIPRIMES = (65521 * 65519, 65497 * 65479, 65449 * 65447)


def test_a_renamed_function_gets_its_smt_answers_from_redis(redis_url: str, tmp_path: Path) -> None:
    """Renaming changes a function's key (its text) but none of its queries (constants are named
    after the variables): on a fresh machine the function is verified, from Redis's answers."""
    src = tmp_path / "w.c"
    original = "".join(WEIGHTED.format(i=i) for i in range(1, 4))
    original += "".join(FACTOR.format(i=i, n=n) for i, n in enumerate(SEMIPRIMES))
    src.write_text(original)
    args = [str(src), "--cache", redis_url, "--jobs", "2"]  # six functions: the worker pool
    cold, _ = _check(args, tmp_path / "machine-a")
    assert cold["stats"]["solved"] == 6
    assert [f["status"] for f in cold["files"][0]["functions"]] == ["proved"] * 3 + ["refuted"] * 3
    assert _keys(redis_url, "prooflens:*:q:*"), "no query was slow enough to be stored"
    src.write_text("/* renamed */\n" + original.replace("weighted", "total_weight").replace("factor", "split"))
    hits = _info(redis_url, "keyspace_hits")
    renamed, _ = _check(args, tmp_path / "machine-b")
    assert renamed["stats"]["from_cache"] == 0 and renamed["stats"]["solved"] == 6
    # the functions' and the file's keys all changed: every Redis hit was a worker's SMT query
    assert _info(redis_url, "keyspace_hits") > hits
    assert [s[1:] for s in _statuses(renamed)] == [s[1:] for s in _statuses(cold)]


def test_stats_of_a_run_without_cache(tmp_path: Path) -> None:
    src = tmp_path / "small.c"
    src.write_text(SMALL)
    doc, _ = _check([str(src), "--no-cache", "--jobs", "1"], tmp_path / "home")
    stats = doc["stats"]
    assert set(stats) == {"functions", "from_cache", "solved", "solver_time_ms", "wall_ms"}
    assert (stats["functions"], stats["from_cache"], stats["solved"]) == (2, 0, 2)
    times = sum(f["time_ms"] for f in doc["files"][0]["functions"])
    assert stats["solver_time_ms"] == pytest.approx(times, abs=0.2) and stats["solver_time_ms"] > 0
    assert stats["wall_ms"] >= stats["solver_time_ms"]  # one process: the solving happened inside the run
    assert not (tmp_path / "home" / "prooflens").exists()


def test_cli_without_the_server_still_verifies(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = tmp_path / "small.c"
    src.write_text(SMALL)
    doc, stderr = _check([str(src), "--cache", f"redis://127.0.0.1:{port}/0"], tmp_path / "home")
    assert [(f["name"], f["status"]) for f in doc["files"][0]["functions"]] == [("sub", "refuted"), ("comm", "proved")]
    assert stderr.count("unavailable") == 1, stderr
