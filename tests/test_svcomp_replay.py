"""Every "false" verdict of the SV-COMP-style benchmark replays: the counterexample of the
verdict, turned into a harness by testgen and compiled with UBSan, really fails (or, for
termination, really runs until killed). A wrong "false" costs -16 in the competition's
score and, worse, sends the user after a bug that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.options import Options
from analysis.svcomp import verdict_of, verify_entry
from tests.corpus import replay

BENCH = Path(__file__).resolve().parent.parent / "bench" / "svcomp-style"


def _property(task: Path) -> tuple[str, str]:
    fields = dict(line.split(":", 1) for line in task.with_suffix(".yml").read_text().splitlines() if ":" in line)
    return fields["property"].strip(), fields["expected"].strip()


FALSE_TASKS = [t for t in sorted(BENCH.glob("*.c")) if _property(t)[1] == "false"]


@pytest.mark.parametrize("task", FALSE_TASKS, ids=[t.stem for t in FALSE_TASKS])
def test_false_verdict_replays(task: Path) -> None:
    prop, _ = _property(task)
    text = task.read_text()
    options = Options()
    result = verify_entry(str(task), text, options, "main", prop)
    assert result.verdict != "true", "a false task verified true"
    if result.verdict != "false":
        pytest.skip(f"verdict {result.verdict}: nothing to replay")
    verdict, check = verdict_of(prop, result.functions[0])
    assert verdict == "false" and check is not None
    outcome = replay(text, task, "main", check, options, run_timeout=60)
    assert outcome.reproduced, f"{check.id} at line {check.span.start.line} does not replay:\n{outcome.detail}"
