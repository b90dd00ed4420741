"""``--cluster`` on a real two-node Ray cluster on this machine: ``ray start --head`` and a second
``ray start --address``, one CPU each (tests/cluster_helpers.py). One cluster for the module; the
drivers (the CLI, or a scenario of cluster_helpers) run in their own processes.

Without Ray (``pip install 'prooflens[cluster]'``, which ``make test`` does) the module is skipped,
and under CI=true it fails (tests/toolchain.py)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cluster_helpers import OTHER_BUILD, ROOT, TwoNodes, _jobs, _summary
from tests.toolchain import unavailable

PROGRAMS = [str(ROOT / "tests" / "programs" / name) for name in
            ("overflow_add_refuted.c", "div_by_zero_refuted.c", "bounds_1d_proved.c", "loop_counted_invariant.c",
             "assert_refuted.c")]
SMALL = PROGRAMS[1]  # four functions, all refuted


@pytest.fixture(scope="module")
def cluster() -> Iterator[TwoNodes]:
    if importlib.util.find_spec("ray") is None:
        unavailable("Ray", "pip install 'prooflens[cluster]'; `make test` installs it")
    nodes = TwoNodes()
    try:
        nodes.start()
        yield nodes
    finally:
        nodes.stop()
        shutil.rmtree(nodes.temp, ignore_errors=True)


def _local_answers(paths: list[str]) -> list[dict[str, Any]]:
    from analysis.service import verify_job

    return _sorted([_summary(job, verify_job(job)) for job in _jobs(paths)])


def _sorted(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By function, as JSON gives them back (tuples become lists)."""
    return sorted(json.loads(json.dumps(summaries)), key=lambda s: s["function"])


def _check(cluster: TwoNodes, *extra: str) -> tuple[int, dict[str, Any]]:
    run = subprocess.run([sys.executable, "-m", "analysis.cli", "check", *PROGRAMS, "--no-cache",
                          "--format", "json", *extra], capture_output=True, text=True, cwd=ROOT,
                         env=cluster.env, timeout=600)
    assert run.returncode in (0, 1, 2), run.stderr
    return run.returncode, json.loads(run.stdout)


def _answers(doc: dict[str, Any]) -> list[tuple[str, str, str, list[tuple[str, int, str]]]]:
    return [(f["path"], fn["name"], fn["status"],
             sorted((c["id"], c["range"]["start"]["line"], c["status"]) for c in fn["checks"]))
            for f in doc["files"] for fn in f["functions"]]


def test_the_cluster_gives_the_same_answers_as_the_local_pool(cluster: TwoNodes) -> None:
    local_rc, local = _check(cluster, "--jobs", "2")
    ray_rc, on_ray = _check(cluster, "--cluster", cluster.address)
    assert _answers(on_ray) == _answers(local)
    assert ray_rc == local_rc == 1
    assert on_ray["stats"]["solved"] == len(_answers(local)) >= 15


def test_a_job_that_kills_its_worker_is_retried_then_answered(cluster: TwoNodes, tmp_path: Path) -> None:
    marker = tmp_path / "died"
    out = cluster.driver("die-once", str(marker), SMALL)
    assert marker.exists()  # a worker did die
    assert out["results"] and _sorted(out["results"]) == _local_answers([SMALL])


def test_a_job_whose_worker_always_dies_is_unknown_after_two_retries(cluster: TwoNodes) -> None:
    out = cluster.driver("always-die", SMALL)
    [result] = out["results"]
    assert result["status"] == "unknown"
    assert result["reason"].startswith("internal error: worker died 3 times ("), result


def test_an_overrun_is_cancelled_at_its_deadline_and_the_cluster_stays_usable(cluster: TwoNodes) -> None:
    out = cluster.driver("overrun-then-answer", "3", SMALL)
    [overrun] = out["overrun"]
    assert overrun["status"] == "unknown" and overrun["reason"] == "timeout: the function took longer than 3 s"
    assert 3 <= out["overrun_s"] < 30
    assert _sorted(out["results"]) == _local_answers([SMALL])


def test_a_worker_of_another_build_is_refused(cluster: TwoNodes, tmp_path: Path) -> None:
    out = cluster.driver("other-build", str(tmp_path / "site"), SMALL)
    assert "results" not in out
    assert f"refused the Ray worker on {cluster.ips[0][:-1]}" in out["error"], out
    assert OTHER_BUILD in out["error"] and "this driver runs prooflens" in out["error"], out
