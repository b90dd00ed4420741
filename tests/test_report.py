"""`--report FILE.html` on a real run: one self-contained page that names every function, marks
the trace's lines with their values, groups the unknowns by reason and compares with a baseline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from analysis.model import CheckResult, FileResult, FunctionResult, Span, Status
from analysis.report import reason_group, render_report
from tests.test_sarif import SHIFT, V1, V2, prooflens

NAMES = ("diff", "ratio", "guarded", "opaque", "twice", "negate")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("report")
    (d / "prog.c").write_text(V1)
    base = prooflens(d, "prog.c", "--format", "json")
    (d / "v1.json").write_text(base.stdout)
    (d / "prog.c").write_text(V2)
    run = prooflens(d, "prog.c", "--format", "text", "--report", "out/r.html", "--baseline", "v1.json")
    return {"run": run, "dir": d}


@pytest.fixture(scope="module")
def page(report: dict[str, Any]) -> str:
    path = report["dir"] / "out" / "r.html"
    assert path.exists(), report["run"].stderr
    return path.read_text(encoding="utf-8")


def section(html: str, needle: str) -> str:
    """The refuted check's section that contains ``needle``."""
    found = [s for s in re.findall(r"<section class=cx id='cx-\d+'>.*?</section>", html, re.S) if needle in s]
    assert len(found) == 1, needle
    return found[0]


def row(html: str, line: int) -> str:
    m = re.search(rf"<tr id='cx-\d+-L{line}' class='(\w*)'>(.*?)</tr>", html, re.S)
    assert m, line
    return m.group(1) + " " + m.group(2)


def test_an_unwritable_report_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "p.c").write_text("int f(int a) { return a; }\n")
    p = prooflens(tmp_path, "p.c", "--report", "p.c/r.html")  # a folder that is a file
    assert p.returncode == 3 and "cannot write the report" in p.stderr


def test_the_report_is_written_with_any_format(report: dict[str, Any], page: str) -> None:
    run = report["run"]
    assert run.returncode == 1 and "wrote report out/r.html" in run.stderr
    assert "function(s):" in run.stdout  # the text output is still there
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_the_report_is_self_contained(page: str) -> None:
    assert not re.search(r"https?:", page)
    for tag in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert tag not in page


def test_every_function_has_a_row_problems_first(page: str) -> None:
    table = page[page.index("<h2 id=functions>"):page.index("<h2 id=refuted>")]
    order = re.findall(r"<td><b>(\w+)</b>", table)
    assert sorted(order) == sorted(NAMES)
    assert order.index("opaque") > max(order.index(n) for n in ("diff", "ratio", "negate"))  # refuted first
    assert order.index("guarded") > order.index("opaque")  # then unknown, then proved
    chips = re.findall(r"<a class='chip refuted' href='#(cx-\d+)'", table)
    assert len(chips) == 4 and all(f"id='{c}'" in page for c in chips)


def test_a_refuted_check_shows_the_source_with_the_trace_and_its_values(page: str) -> None:
    div = section(page, "div-by-zero.div")
    entry, assign, fail = 7 + SHIFT, 8 + SHIFT, 9 + SHIFT
    assert row(div, entry).startswith("entry") and "a = 5" in row(div, entry)
    assert row(div, assign).startswith("trace") and "d = 0" in row(div, assign)
    assert row(div, fail).startswith("fail") and "return 100 / d;" in row(div, fail)
    assert row(div, fail + 1).startswith(" ")  # the closing brace: not on the trace
    # the source is escaped, never interpreted
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; co" in div and "<b>not bold</b>" not in page


def test_unknowns_are_grouped_by_reason(page: str) -> None:
    unknowns = page[page.index("<h2 id=unknowns>"):]
    groups = re.findall(r"<summary><b>([^<]+)</b>: (\d+) check\(s\) in (\d+) function\(s\)</summary>", unknowns)
    assert groups == [("depends on a call of an unmodelled function", "2", "1")]
    assert "<code>mystery()</code> ×2" in unknowns


def test_the_baseline_says_what_is_new_fixed_and_unchanged(page: str) -> None:
    base = page[page.index("<h2 id=baseline>"):page.index("<h2 id=functions>")]
    cards = dict((label, int(n)) for label, n in re.findall(r"<span class=muted>([^<]+)</span><b[^>]*>(\d+)</b>",
                                                            base))
    assert cards == {"new refuted": 1, "fixed (no longer refuted)": 1, "unchanged refuted": 3}
    assert re.search(r"Fixed \(1\)</summary><ul><li><b>twice</b> <code>overflow.signed.mul</code>", base)
    assert "<span class='tag new'>new</span>" in section(page, "negate")
    assert "<span class='tag unchanged'>unchanged</span>" in section(page, "div-by-zero.div")


def test_the_run_statistics_are_shown(page: str) -> None:
    assert "Run statistics" in page and "<th>from_cache</th><td>0</td>" in page


# -- without a run ---------------------------------------------------------------------------


def _fn(name: str, ms: float, status: Status = Status.PROVED, reason: str | None = None) -> FunctionResult:
    c = CheckResult("overflow.signed.add", status, Span.of(2, 3, 2, 8), reason=reason)
    return FunctionResult(name, Span.of(1, 1, 3, 2), Span.of(1, 5, 1, 5 + len(name)), (c,), time_ms=ms)


def test_time_chart_slowest_first_and_cache_hits() -> None:
    fr = FileResult("nowhere.c", (_fn("quick", 5), _fn("slowest", 50), _fn("middle", 20)))
    chart = lambda html: html[html.index("Time per function"):html.index("<h2 id=functions>")]  # noqa: E731
    known = render_report([fr], from_cache={("nowhere.c", "slowest")}, generated="t")
    assert re.findall(r">(quick|slowest|middle)</a>", chart(known)) == ["slowest", "middle", "quick"]
    assert "<b>1 / 3</b>" in known and "<td>yes</td>" in chart(known)
    unknown = render_report([fr], generated="t")
    assert "<b>n/a</b>" in unknown and "<td>yes</td>" not in unknown


def test_reasons_that_differ_only_in_numbers_are_one_group() -> None:
    same = [("timeout (5 s)", "solver: timeout after 2 s", "timeout: the function took longer than 30 s"),
            ("unsupported: goto (line 9)", "unsupported: goto (line 40)"),
            ("not certified (checker: unsupported pointer at line 7)",
             "not certified (checker: unsupported pointer at line 21)"),
            ("a violation depends on call of unmodelled function rand()",
             "nontermination depends on call of unmodelled function terminates()"),
            ("no violation found (loops unrolled 12 times) and no proof (no strong enough loop invariant)",
             "no violation found (loops unrolled 48 times) and no proof (no strong enough loop invariant)")]
    labels = []
    for reasons in same:
        group = {reason_group(r).label for r in reasons}
        assert len(group) == 1, reasons
        labels.append(group.pop())
    assert len(set(labels)) == len(labels)
    assert labels[1] == "unsupported: goto" and all(reason_group(r[0]).hint for r in same)


def test_a_report_of_a_file_that_is_gone_still_renders() -> None:
    fr = FileResult("gone.c", (_fn("lost", 1, Status.UNKNOWN, "timeout (2 s)"),))
    html = render_report([fr], generated="t")
    assert "lost" in html and "<b>timeout</b>: 1 check(s)" in html
    json.dumps(html)  # plain text, nothing else
