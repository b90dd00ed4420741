"""Golden runner over tests/programs: every expected (check id, line, status) must be found;
every check without an expectation must be proved; every refuted check must replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.model import Status
from tests.corpus import PROGRAMS, actual, error_lines, expectations, replay, status_of, verified

FILES = sorted(PROGRAMS.glob("*.c"))


@pytest.fixture(scope="module")
def results() -> dict[Path, object]:
    return {}


def _verify(path: Path, cache: dict[Path, object]):  # type: ignore[no-untyped-def]
    exp = expectations(path)
    return exp, verified(path, exp.options)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_expected_outcomes(path: Path, results: dict[Path, object]) -> None:
    exp, res = _verify(path, results)
    got = actual(res)
    problems = []
    for (cid, line), want in sorted(exp.checks.items(), key=lambda kv: kv[0][1]):
        cs = got.get((cid, line))
        if not cs:
            near = sorted(k for k in got if k[0] == cid)
            problems.append(f"line {line}: expected {want}({cid}), no such check (checks with that id: {near})")
        elif status_of(cs) != want:
            problems.append(f"line {line}: expected {want}({cid}), got {status_of(cs)}"
                            f" ({'; '.join(c.reason or '' for c in cs)})")
    for (cid, line), cs in sorted(got.items(), key=lambda kv: kv[0][1]):
        if (cid, line) not in exp.checks and status_of(cs) != "proved":
            problems.append(f"line {line}: unexpected {status_of(cs)}({cid}) {cs[0].reason or ''}")
    missing_errors = exp.syntax_errors - error_lines(res)
    if missing_errors:
        problems.append(f"syntax errors expected at {sorted(missing_errors)}, got {sorted(error_lines(res))}")
    assert not problems, "\n".join(problems)


REFUTED = []
for _p in FILES:
    _text = _p.read_text()
    if "refuted(" in _text:
        REFUTED.append(_p)


@pytest.mark.parametrize("path", REFUTED, ids=[p.stem for p in REFUTED])
def test_counterexamples_replay(path: Path, results: dict[Path, object]) -> None:
    exp, res = _verify(path, results)
    text = path.read_text()
    failures = []
    count = 0
    for fn in res.functions:
        for c in fn.checks:
            if c.status is not Status.REFUTED:
                continue
            count += 1
            r = replay(text, path, fn.name, c, exp.options)
            if not r.reproduced:
                failures.append(f"{fn.name} {c.id} line {c.span.start.line}: {r.detail}")
    assert count > 0
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_proof_is_certified(path: Path, results: dict[Path, object]) -> None:
    """The de Bruijn gate, as a test: a certificate the independent checker rejects is an engine
    bug (its argument is wrong), never a silent downgrade; every proved check carries one that
    was accepted (``checked_ms`` is set only then)."""
    _exp, res = _verify(path, results)
    problems = []
    for fn in res.functions:
        for c in fn.checks:
            if (c.reason or "").startswith("certificate rejected"):
                problems.append(f"{fn.name} {c.id} line {c.span.start.line}: {c.reason}")
            if c.status is Status.PROVED and (
                    c.certificate is None or "checked_ms" not in c.certificate):
                problems.append(f"{fn.name} {c.id} line {c.span.start.line}: proved without an accepted certificate")
    assert not problems, "\n".join(problems)
