"""The persistent sqlite store: round trip, distrust of bad files, two processes at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cache_store
from analysis.cache_store import SqliteCache, open_store


def test_round_trip_and_reopen(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    c = SqliteCache(db)
    assert c.get("k") is None
    c.put("k", '{"a": 1}')
    c.put("k2", "2")
    assert c.get("k") == '{"a": 1}'
    assert c.get_many(["k", "k2", "nope"]) == {"k": '{"a": 1}', "k2": "2"}
    c.close()
    c2 = SqliteCache(db)
    assert c2.get("k2") == "2" and c2.problems == []
    assert len(c2) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "zeroed-page"])
def test_bad_file_is_rebuilt_never_trusted(tmp_path: Path, damage: str) -> None:
    db = tmp_path / "c.sqlite3"
    c = SqliteCache(db)
    for i in range(300):
        c.put(f"k{i}", "x" * 200)
    c.close()
    # fold the WAL into the main file so that damaging it damages the data
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all" * 100)
    elif damage == "truncated":
        db.write_bytes(raw[: len(raw) // 3])
    elif damage == "foreign":
        db.unlink()
        other = sqlite3.connect(db)
        other.execute("CREATE TABLE results (key TEXT, value TEXT)")
        other.execute("INSERT INTO results VALUES ('k1', 'forged')")
        other.commit()
        other.close()
    else:
        page = 4096
        db.write_bytes(raw[: 2 * page] + b"\xff" * page + raw[3 * page:])
    store, problems = open_store(db)
    assert store is not None
    assert problems, "the damage must be reported"
    assert store.get("k1") is None  # nothing from the bad file is trusted
    store.put("new", "1")
    assert store.get("new") == "1"


def test_version_change_empties_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.sqlite3"
    c = SqliteCache(db)
    c.put("k", "v")
    c.close()
    monkeypatch.setattr(cache_store, "_z3_version", lambda: "99.0")
    c2 = SqliteCache(db)
    assert c2.get("k") is None and c2.problems == []


def test_unusable_location_degrades(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store, problems = open_store(blocker / "sub" / "c.sqlite3")
    assert store is None and problems


_WRITER = """
import sys
from analysis.cache_store import SqliteCache
c = SqliteCache(sys.argv[1])
tag = sys.argv[2]
for i in range(400):
    c.put(f"{tag}{i}", str(i))
    assert c.get(f"{tag}{i}") == str(i)
print("ok")
"""


def test_two_processes_at_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(db), tag], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ})
             for tag in ("a", "b", "c")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    c = SqliteCache(db)
    assert len(c) == 1200 and c.problems == []
