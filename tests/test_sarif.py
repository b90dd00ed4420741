"""SARIF for GitHub code scanning, on real runs: rules with help, refuted results with their
traces as code flows, unknowns as notes, fingerprints that survive moved lines, --baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analysis.baseline import FINGERPRINT_KEY, load_baseline
from analysis.model import CHECK_IDS, CheckResult, Counterexample, FileResult, FunctionResult, Span, Status, TraceStep
from analysis.rules import RULE_DOCS
from analysis.sarif import MAX_FLOW_STEPS, flow_steps, rules, to_sarif

ROOT = Path(__file__).resolve().parent.parent

# refuted with a trace (ratio: d = 0), refuted at once (diff, twice), proved (guarded), unknown (opaque)
V1 = """extern int mystery(void);

int diff(int x, int y) {
    return x - y;
}

int ratio(int a) {
    int d = a - 5;   /* <b>not bold</b> & co */
    return 100 / d;
}

int guarded(int a) {
    if (a > 0 && a < 1000)
        return a + 1;
    return 0;
}

int opaque(int a) {
    int m = mystery();
    return a / m;
}

int twice(int n) {
    return n * 2;
}
"""
# the same functions four lines lower and re-indented; `twice` fixed, `negate` new
V2 = "\n\n/* moved down */\n\n" + V1.replace("    return x - y;", "  return x - y;").replace(
    "    return n * 2;", "    if (n > 1000 || n < -1000) return 0;\n    return n * 2;") + """
int negate(int z) {
    return -z;
}
"""
SHIFT = 4


def prooflens(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env_args = ["--no-cache", "--timeout", "2", "--jobs", "1"]
    return subprocess.run([sys.executable, "-m", "analysis.cli", "check", *args, *env_args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=_env())


def _env() -> dict[str, str]:
    """The checkout's prooflens, whichever folder the test runs it in."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def by_key(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """SARIF results by (function, rule, level): unique in these programs."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in doc["runs"][0]["results"]:
        key = (r["properties"]["function"], r["ruleId"], r["level"])
        assert key not in out, key
        out[key] = r
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """v1 as SARIF and as JSON (the baseline), then v2 as SARIF against that baseline and as JSON."""
    d = tmp_path_factory.mktemp("sarif")
    src = d / "prog.c"
    src.write_text(V1)
    out: dict[str, Any] = {"dir": d}
    s1 = prooflens(d, "prog.c", "--format", "sarif")
    j1 = prooflens(d, "prog.c", "--format", "json")
    assert s1.returncode == 1 and j1.returncode == 1, s1.stderr + j1.stderr
    (d / "v1.json").write_text(j1.stdout)
    out["s1"], out["j1"] = json.loads(s1.stdout), json.loads(j1.stdout)
    src.write_text(V2)
    s2 = prooflens(d, "prog.c", "--format", "sarif", "--baseline", "v1.json")
    j2 = prooflens(d, "prog.c", "--format", "json")
    assert s2.returncode == 1, s2.stderr
    out["s2"], out["j2"] = json.loads(s2.stdout), json.loads(j2.stdout)
    return out


def test_every_check_id_has_a_rule_with_help() -> None:
    assert set(RULE_DOCS) == set(CHECK_IDS)
    rs = rules()
    assert [r["id"] for r in rs] == list(CHECK_IDS)
    for r in rs:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert "Example" in r["help"]["text"] and "How to fix" in r["help"]["text"]
        assert "```c" in r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert r["properties"]["tags"]
    tags = {r["id"]: r["properties"]["tags"] for r in rs}
    assert "external/cwe/cwe-190" in tags["overflow.signed.add"]
    assert "external/cwe/cwe-369" in tags["div-by-zero.div"]
    assert {"external/cwe/cwe-125", "external/cwe/cwe-787"} <= set(tags["bounds.index"])
    assert all("security-severity" in r["properties"] for r in rs if "security" in r["properties"]["tags"])


def test_structure_github_needs(runs: dict[str, Any]) -> None:
    for doc in (runs["s1"], runs["s2"]):
        assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
        run = doc["runs"][0]
        rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        assert run["results"]
        for r in run["results"]:
            assert rule_ids[r["ruleIndex"]] == r["ruleId"]
            assert r["level"] in ("error", "warning", "note") and r["message"]["text"]
            loc = r["locations"][0]["physicalLocation"]
            assert loc["artifactLocation"]["uri"] == "prog.c"
            assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
            assert r["partialFingerprints"][FINGERPRINT_KEY]


def test_refuted_results_carry_their_trace_with_values(runs: dict[str, Any]) -> None:
    res = by_key(runs["s1"])
    refuted = [r for r in runs["s1"]["runs"][0]["results"] if r["level"] != "note"]
    assert len(refuted) == 4  # diff, ratio (overflow and division), twice
    for r in refuted:
        steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
        assert steps and all(s["location"]["message"]["text"] for s in steps)
        assert steps[-1]["location"]["physicalLocation"]["region"] == r["locations"][0]["physicalLocation"]["region"]
    div = res[("ratio", "div-by-zero.div", "warning")]
    steps = [s["location"] for s in div["codeFlows"][0]["threadFlows"][0]["locations"]]
    texts = [s["message"]["text"] for s in steps]
    assert "a = 5" in texts[0] and steps[0]["physicalLocation"]["region"]["startLine"] == 7  # the inputs, at entry
    assert "d = 0" in texts[1] and steps[1]["physicalLocation"]["region"]["startLine"] == 8  # the assignment
    assert "division by zero" in texts[-1] and steps[-1]["physicalLocation"]["region"]["startLine"] == 9
    sub = res[("diff", "overflow.signed.sub", "warning")]
    first = sub["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["message"]["text"]
    assert "x = " in first and "y = " in first  # the counterexample's inputs


def test_a_refuted_check_without_trace_gets_one_step_with_the_inputs() -> None:
    span = Span.of(3, 5, 3, 10)
    cx = Counterexample((("x", 16), ("y", 0)), (), (), (("x", 16), ("y", 0)))
    c = CheckResult("termination.loop", Status.REFUTED, span, counterexample=cx, witness="x > y forever")
    fn = FunctionResult("g2", Span.of(1, 1, 5, 2), Span.of(1, 6, 1, 8), (c,))
    steps = flow_steps(fn, c)
    assert len(steps) == 1 and steps[0].span == span
    assert "x = 16, y = 0" in steps[0].text and "x > y forever" in steps[0].text


def test_a_long_trace_keeps_its_start_and_its_end() -> None:
    trace = tuple(TraceStep(4, (("i", k),)) for k in range(500)) + (TraceStep(6, (), "failure"),)
    c = CheckResult("bounds.index", Status.REFUTED, Span.of(6, 5, 6, 9),
                    counterexample=Counterexample((("n", 500),), (), trace, (("i", 500),)))
    fn = FunctionResult("walk", Span.of(1, 1, 8, 2), Span.of(1, 6, 1, 10), (c,))
    steps = flow_steps(fn, c)
    assert len(steps) <= MAX_FLOW_STEPS
    assert steps[0].role == "entry" and "n = 500" in steps[0].text
    assert steps[1].text == "i = 0" and steps[-2].text == "i = 499"
    assert any(s.role == "omitted" for s in steps)
    assert steps[-1].role == "failure" and "i = 500" in steps[-1].text


def test_unknowns_are_notes_that_say_why(runs: dict[str, Any]) -> None:
    res = by_key(runs["s1"])
    notes = [r for r in runs["s1"]["runs"][0]["results"] if r["level"] == "note"]
    assert {(r["properties"]["function"], r["ruleId"]) for r in notes} == {
        ("opaque", "div-by-zero.div"), ("opaque", "overflow.signed.div")}
    note = res[("opaque", "div-by-zero.div", "note")]
    assert "unknown" in note["message"]["text"] and "mystery()" in note["message"]["text"]
    assert "codeFlows" not in note
    assert not any(r["properties"]["function"] == "guarded" for r in runs["s1"]["runs"][0]["results"])


def test_fingerprints_survive_moved_lines_and_tell_checks_apart(runs: dict[str, Any]) -> None:
    before, after = by_key(runs["s1"]), by_key(runs["s2"])
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in before.values()]
    assert len(set(prints)) == len(prints)  # two checks of one function, one line: still two
    kept = set(before) & set(after)
    assert {("diff", "overflow.signed.sub", "warning"), ("ratio", "div-by-zero.div", "warning"),
            ("ratio", "overflow.signed.sub", "warning"), ("opaque", "div-by-zero.div", "note")} <= kept
    for key in kept:
        line = before[key]["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert after[key]["locations"][0]["physicalLocation"]["region"]["startLine"] == line + SHIFT
        assert after[key]["partialFingerprints"] == before[key]["partialFingerprints"], key
    # the JSON output carries the same fingerprints (what --baseline matches)
    json_prints = {c["fingerprint"] for f in runs["j1"]["files"] for fn in f["functions"] for c in fn["checks"]}
    assert set(prints) <= json_prints


def test_baseline_marks_new_and_unchanged_and_counts_the_fixed(runs: dict[str, Any]) -> None:
    after = by_key(runs["s2"])
    states = {k: r["baselineState"] for k, r in after.items()}
    assert states.pop(("negate", "overflow.signed.neg", "warning")) == "new"
    assert set(states.values()) == {"unchanged"}, states
    summary = runs["s2"]["runs"][0]["properties"]["baseline"]
    assert summary["new"] == 1 and summary["unchanged"] == len(states)
    assert summary["absent"] == 1
    assert summary["absentResults"][0]["function"] == "twice"
    assert summary["absentResults"][0]["ruleId"] == "overflow.signed.mul"


def test_a_baseline_without_fingerprints_matches_by_rank(runs: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    d: Path = runs["dir"]
    monkeypatch.chdir(d)
    old = json.loads((d / "v1.json").read_text())
    for f in old["files"]:
        for fn in f["functions"]:
            for c in fn["checks"]:
                del c["fingerprint"]
    (d / "old.json").write_text(json.dumps(old))
    current = [FileResult(f["path"], tuple(FunctionResult.from_json(fn) for fn in f["functions"]))
               for f in runs["j2"]["files"]]
    with_prints = by_key(to_sarif(current, load_baseline("v1.json")))
    by_rank = by_key(to_sarif(current, load_baseline("old.json")))
    assert {k: r["baselineState"] for k, r in by_rank.items()} == {
        k: r["baselineState"] for k, r in with_prints.items()}


def test_a_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "p.c").write_text("int f(int a) { return a; }\n")
    (tmp_path / "bad.json").write_text("[1, 2]")
    missing = prooflens(tmp_path, "p.c", "--format", "sarif", "--baseline", "nope.json")
    assert missing.returncode == 3 and "nope.json" in missing.stderr
    bad = prooflens(tmp_path, "p.c", "--format", "sarif", "--baseline", "bad.json")
    assert bad.returncode == 3 and "not a `prooflens check --format json` output" in bad.stderr
