"""``--report FILE.html``: one self-contained HTML page for people reading CI results.

Why one file with inline CSS and no script or link to anywhere: CI stores it as an artifact that
is opened from a zip, offline, or behind a proxy; it must show the same thing everywhere. The page
has, in the spirit of litani's dashboard and cbmc-viewer: a summary (counts, time per function,
cache hits, the comparison with ``--baseline``), one row per function with its checks as chips
(problems first), a section per refuted check with the function's source, the trace's lines
marked and the values at each step, and the unknowns grouped by reason, biggest group first, so
that a team sees what to annotate or simplify first.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.baseline import Baseline, Comparison, Finding, compare, findings, read_source
from analysis.model import CheckResult, FileResult, FunctionResult, Status, message_of
from analysis.rules import RULE_DOCS
from analysis.sarif import flow_steps, values_text

TOP_SLOWEST = 30
MAX_ROWS_PER_GROUP = 200
MAX_SOURCE_LINES = 400
PROVED_CHIPS = 12  # more proved checks than this in one function collapse into one chip
Pos3 = tuple[int, int, int]  # (file, function, check) indices
RANK = {Status.REFUTED: 0, Status.UNKNOWN: 1, Status.PROVED: 2}
SYMBOL = {Status.PROVED: "✔", Status.REFUTED: "✘", Status.UNKNOWN: "?"}


def e(value: object) -> str:
    return escape(str(value), quote=True)


# -- grouping the unknowns ------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonGroup:
    label: str
    hint: str


_LINE_REFS = re.compile(r"\s*\((?:also )?on line \d+\)|\s*\(line \d+\)|\s+(?:at|on) line \d+")
_NUMBERS = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")

_TIMEOUT_HINT = ("Split the function, bound its loops, or give the loop invariants and callee contracts that "
                 "the proof needs; or raise --timeout.")
_GROUPS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"timeout|timed out|took longer than|time limit", re.I), "timeout", _TIMEOUT_HINT),
    (re.compile(r"unmodelled function"), "depends on a call of an unmodelled function",
     "Give the callee a contract (`/*@ requires ...; ensures ...; */` on its declaration), or its body."),
    (re.compile(r"^proved by .*no certificate", re.S), "proof found, but of a kind the checker cannot certify yet",
     "Nothing is wrong in the code: the engine has a proof (closed form, cases, recursion) outside the independent "
     "checker's fragment. A `loop invariant` the checker can use turns it into a certified proof."),
    (re.compile(r"^certificate rejected"), "certificate rejected (an engine bug: please report it)",
     "Report it with the function: the engine's proof did not pass the independent checker."),
    (re.compile(r"^internal error|^analysis failed|^solver error|^termination analysis failed"),
     "internal error", "Report it with the function; the rest of the run is not affected."),
]
_PREFIX_HINTS: list[tuple[str, str]] = [
    ("not certified", "The proof is outside the independent checker's fragment (often pointers or structs)."),
    ("unsupported:", "The construct is not modelled: keep it in a small function of its own, or rewrite it."),
    ("depends on", "The answer depends on something not modelled: give it a contract or keep it out of the function."),
    ("no proof", "Give the loop a `loop invariant` (or the callee an `ensures`) strong enough for the check."),
    ("termination", "Termination was not decided: simplify the loop's guard and update, or bound the loop."),
]


def normalise_reason(reason: str) -> str:
    """The reason without line numbers and constants: ``unsupported: goto (line 9)`` and
    ``unsupported: goto (line 40)`` are the same thing to fix."""
    text = _LINE_REFS.sub("", reason)
    text = _NUMBERS.sub("N", text)
    return " ".join(text.split())


def reason_group(reason: str | None) -> ReasonGroup:
    """The group an unknown's reason belongs to, with a hint on what to do about it."""
    if not reason:
        return ReasonGroup("no reason given", "")
    for pattern, label, hint in _GROUPS:
        if pattern.search(reason):
            return ReasonGroup(label, hint)
    text = normalise_reason(reason)
    if text.startswith("a violation depends on "):
        text = text.removeprefix("a violation ")
    if text.startswith("no violation found") and "no proof" in text:
        inner = re.search(r"and no proof \(([^)]*)\)", text)
        text = f"no proof ({inner.group(1)})" if inner else "no proof found"
    if "ranking: none" in text or "no recurrent set" in text:
        text = "termination: no ranking function and no recurrent set found"
    if len(text) > 120:
        text = text[:117] + "…"
    hint = next((h for prefix, h in _PREFIX_HINTS if text.startswith(prefix)), "")
    return ReasonGroup(text, hint)


def _unmodelled_callee(reason: str | None) -> str | None:
    m = re.search(r"unmodelled function (\w+)\(\)", reason or "")
    return m.group(1) if m else None


# -- the page -------------------------------------------------------------------------------


CSS = """
:root{--ok:#1a7f37;--bad:#cf222e;--unk:#9a6700;--muted:#57606a;--line:#d0d7de;--bg2:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1f2328}
header{background:#24292f;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
header .sub{color:#c9d1d9;font-size:12px}main{padding:8px 24px 40px;max-width:1400px}
h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}h3{margin:18px 0 6px}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
nav a{margin-right:14px}.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;
min-width:150px;background:var(--bg2)}.card b{font-size:22px;display:block}
.proved{color:var(--ok)}.refuted{color:var(--bad)}.unknown{color:var(--unk)}
.stack{display:flex;height:14px;border-radius:3px;overflow:hidden;background:#eaeef2;margin-top:6px}
.stack span{display:block;height:100%}.s-proved{background:var(--ok)}.s-refuted{background:var(--bad)}
.s-unknown{background:#d4a72c}.s-cache{background:#8250df}.s-solved{background:#afb8c1}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;
vertical-align:top}th{background:var(--bg2);font-weight:600}
.bar{background:#0969da;height:12px;border-radius:2px;min-width:1px}.bar.cached{background:#8250df}
.chip{display:inline-block;border-radius:10px;padding:0 8px;margin:1px 2px;font:12px ui-monospace,monospace;
border:1px solid transparent;white-space:nowrap}
.chip.refuted{background:#ffebe9;border-color:#ff8182;color:#82071e}
.chip.unknown{background:#fff8c5;border-color:#d4a72c;color:#6f4b00}
.chip.proved{background:#dafbe1;border-color:#4ac26b;color:#116329}
.chip.error{background:#24292f;color:#fff}
.badge{font-weight:600}.tag{font-size:11px;border-radius:4px;padding:0 5px;border:1px solid var(--line)}
.tag.new{background:#ffebe9;color:#82071e}.tag.unchanged{background:#eaeef2}
pre.src{margin:0}table.src{font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;width:auto;min-width:60%}
table.src td{border:0;padding:0 8px;white-space:pre}table.src td.ln{color:var(--muted);text-align:right;
user-select:none}table.src tr.trace td{background:#fff8c5}table.src tr.entry td{background:#ddf4ff}
table.src tr.fail td{background:#ffcecb;font-weight:600}table.src td.val{color:#8250df;white-space:normal}
section.cx{border:1px solid var(--line);border-radius:6px;padding:6px 14px 12px;margin:14px 0}
ol.steps{font:12px ui-monospace,monospace;max-height:320px;overflow:auto;background:var(--bg2);padding:6px 30px}
details summary{cursor:pointer}details.group{margin:12px 0}td.t{white-space:nowrap}code{font:12px ui-monospace,monospace;background:var(--bg2);padding:0 3px}
"""


def render_report(results: list[FileResult], baseline: Baseline | None = None,
                  stats: dict[str, Any] | None = None, from_cache: set[tuple[str, str]] | None = None,
                  texts: dict[str, str] | None = None, generated: str | None = None) -> str:
    """The HTML page. ``from_cache``: the (path, function) pairs whose result came from the cache,
    when the caller knows; ``stats``: the run statistics of the JSON output, when given."""
    texts = dict(texts or {})
    for fr in results:
        if fr.path not in texts:
            text = read_source(fr.path)
            if text is not None:
                texts[fr.path] = text
    all_findings = list(findings(results, texts))
    positions = [(fi, ni, ci) for fi, fr in enumerate(results) for ni, fn in enumerate(fr.functions)
                 for ci in range(len(fn.checks))]
    by_check = dict(zip(positions, all_findings, strict=True))
    cmp = compare(all_findings, baseline) if baseline is not None else None
    refuted = [f for f in all_findings if f.status is Status.REFUTED]
    page = _Page(results, texts, by_check, cmp, from_cache)
    when = generated or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        f"<header><h1>prooflens report</h1><div class=sub>{e(len(results))} file(s) · prooflens {e(__version__)}"
        f" · {e(when)}</div></header><main>",
        "<nav><a href='#summary'>Summary</a><a href='#functions'>Functions</a>"
        "<a href='#refuted'>Refuted checks</a><a href='#unknowns'>Unknowns by reason</a>"
        + ("<a href='#baseline'>Baseline</a>" if cmp is not None else "") + "</nav>",
        page.summary(stats),
        page.baseline_section(baseline) if cmp is not None and baseline is not None else "",
        page.functions_table(),
        page.refuted_sections(refuted),
        page.unknowns([f for f in all_findings if f.status is Status.UNKNOWN]),
        page.errors(),
        "</main>",
    ]
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>prooflens report</title><style>{CSS}</style></head><body>\n"
            + "\n".join(b for b in body if b) + "\n</body></html>\n")


def write_report(path: str | Path, results: list[FileResult], **kw: Any) -> None:
    """Writes the page, making its folder if needed (a CI job's ``--report build/report.html``)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(results, **kw), encoding="utf-8")


class _Page:
    def __init__(self, results: list[FileResult], texts: dict[str, str], by_check: dict[Pos3, Finding],
                 cmp: Comparison | None, from_cache: set[tuple[str, str]] | None) -> None:
        self.results = results
        self.texts = texts
        self.by_check = by_check
        self.cmp = cmp
        self.from_cache = from_cache
        self.lines: dict[str, list[str] | None] = {}
        # (file index, function index, file, function), in the order of the input
        self.functions = [(fi, ni, fr, fn) for fi, fr in enumerate(results) for ni, fn in enumerate(fr.functions)]
        refuted = [pos for pos, f in by_check.items() if f.status is Status.REFUTED]
        self.anchors = {pos: f"cx-{k + 1}" for k, pos in enumerate(refuted)}
        self.anchor_of = {id(by_check[pos]): a for pos, a in self.anchors.items()}

    # -- summary

    def summary(self, stats: dict[str, Any] | None) -> str:
        fn_counts = Counter(fn.status for *_, fn in self.functions)
        checks = [c for *_, fn in self.functions for c in fn.checks]
        ck_counts = Counter(c.status for c in checks)
        dead = sum(1 for c in checks if c.status is Status.PROVED and c.unreachable)
        out = ["<h2 id=summary>Summary</h2><div class=cards>"]
        for label, counts, total in (("functions", fn_counts, len(self.functions)), ("checks", ck_counts, len(checks))):
            out.append(f"<div class=card><span class=muted>{label}</span><b>{total}</b>"
                       f"<span class=proved>{SYMBOL[Status.PROVED]} {counts[Status.PROVED]} proved</span> · "
                       f"<span class=refuted>{SYMBOL[Status.REFUTED]} {counts[Status.REFUTED]} refuted</span> · "
                       f"<span class=unknown>{SYMBOL[Status.UNKNOWN]} {counts[Status.UNKNOWN]} unknown</span>"
                       f"{_stack(counts, total)}</div>")
        total_ms = sum(fn.time_ms for *_, fn in self.functions)
        out.append(f"<div class=card><span class=muted>time in functions</span><b>{_ms(total_ms)}</b>"
                   f"{dead} check(s) proved only because unreachable</div>")
        out.append(self._cache_card(stats))
        out.append("</div>")
        if stats:
            rows = "".join(f"<tr><th>{e(k)}</th><td>{e(_stat(k, v))}</td></tr>" for k, v in stats.items())
            out.append(f"<h3>Run statistics</h3><table style='width:auto'>{rows}</table>")
        out.append(self._time_chart())
        return "\n".join(out)

    def _cache_card(self, stats: dict[str, Any] | None) -> str:
        hits, total = None, len(self.functions)
        if stats and isinstance(stats.get("from_cache"), int):
            hits, total = stats["from_cache"], int(stats.get("functions") or total)
        elif self.from_cache is not None:
            hits = sum(1 for _, _, fr, fn in self.functions if (fr.path, fn.name) in self.from_cache)
        if hits is None:
            return "<div class=card><span class=muted>cache hits</span><b>n/a</b>not recorded for this run</div>"
        pct = 100 * hits / total if total else 0
        return (f"<div class=card><span class=muted>cache hits</span><b>{hits} / {total}</b>{pct:.0f}% of the "
                f"functions came from the cache<div class=stack><span class=s-cache style='width:{pct:.1f}%'></span>"
                f"<span class=s-solved style='width:{100 - pct:.1f}%'></span></div></div>")

    def _time_chart(self) -> str:
        slow = sorted(self.functions, key=lambda p: -p[3].time_ms)[:TOP_SLOWEST]
        if not slow:
            return ""
        top = max(slow[0][3].time_ms, 1e-9)
        rows = []
        for fi, ni, fr, fn in slow:
            cached = self._cached(fr, fn)
            width = 100 * fn.time_ms / top
            rows.append(f"<tr><td><a href='#fn-{fi}-{ni}'>{e(fn.name)}</a> "
                        f"<span class=muted>{e(Path(fr.path).name)}</span></td>"
                        f"<td style='width:55%'><div class='bar{' cached' if cached == 'yes' else ''}' "
                        f"style='width:{width:.1f}%'></div></td><td class=t>{_ms(fn.time_ms)}</td><td>{cached}</td></tr>")
        return (f"<h3>Time per function (the {len(slow)} slowest)</h3><table><tr><th>function</th><th>time</th>"
                f"<th></th><th>from cache</th></tr>{''.join(rows)}</table>")

    def _cached(self, fr: FileResult, fn: FunctionResult) -> str:
        if self.from_cache is None:
            return "n/a"
        return "yes" if (fr.path, fn.name) in self.from_cache else "no"

    # -- baseline

    def baseline_section(self, baseline: Baseline) -> str:
        assert self.cmp is not None
        cmp = self.cmp
        refuted = [f for f in self.by_check.values() if f.status is Status.REFUTED]
        new = [f for f in refuted if cmp.of(f) == "new"]
        same = [f for f in refuted if cmp.of(f) == "unchanged"]
        fixed = [a for a in cmp.absent if a.status is Status.REFUTED]
        unknown_new = sum(1 for f in self.by_check.values() if f.status is Status.UNKNOWN and cmp.of(f) == "new")
        unknown_gone = sum(1 for a in cmp.absent if a.status is Status.UNKNOWN)
        out = [f"<h2 id=baseline>Against the baseline <code>{e(baseline.source)}</code></h2><div class=cards>",
               f"<div class=card><span class=muted>new refuted</span><b class=refuted>{len(new)}</b></div>",
               f"<div class=card><span class=muted>fixed (no longer refuted)</span><b class=proved>{len(fixed)}</b>"
               "</div>",
               f"<div class=card><span class=muted>unchanged refuted</span><b>{len(same)}</b></div>",
               f"<div class=card><span class=muted>unknowns</span><b>+{unknown_new} / −{unknown_gone}</b>"
               "new / gone</div></div>"]
        for title, items in (("New", new), ("Unchanged", same)):
            if items:
                lis = "".join(f"<li>{self._check_link(f)}</li>" for f in items)
                out.append(f"<details{' open' if title == 'New' else ''}><summary>{title} refuted checks "
                           f"({len(items)})</summary><ul>{lis}</ul></details>")
        if fixed:
            lis = "".join(f"<li><b>{e(a.function)}</b> <code>{e(a.check_id)}</code> <span class=muted>"
                          f"{e(a.path)}:{a.line} in the baseline</span></li>" for a in fixed)
            out.append(f"<details open><summary>Fixed ({len(fixed)})</summary><ul>{lis}</ul></details>")
        return "\n".join(out)

    def _check_link(self, f: Finding) -> str:
        anchor = self.anchor_of.get(id(f))
        label = f"{f.function.name}: {f.check.id} at {Path(f.path).name}:{f.check.span.start.line}"
        return f"<a href='#{anchor}'>{e(label)}</a>" if anchor else e(label)

    # -- one row per function

    def functions_table(self) -> str:
        order = sorted(self.functions, key=lambda p: (RANK[p[3].status], p[2].path, p[3].span.start.line))
        rows = []
        for fi, ni, fr, fn in order:
            chips = [f"<span class='chip error' title='{e(err.message)}'>{e(err.severity)} at line "
                     f"{err.span.start.line}</span>" for err in fn.errors]
            checks = sorted(enumerate(fn.checks), key=lambda p: (RANK[p[1].status], p[1].span.start.line,
                                                                 p[1].span.start.column))
            proved = [c for _, c in checks if c.status is Status.PROVED]
            for ci, c in checks:
                if c.status is Status.PROVED and len(proved) > PROVED_CHIPS:
                    continue
                chips.append(self._chip(c, self.anchors.get((fi, ni, ci), "")))
            if len(proved) > PROVED_CHIPS:
                names = ", ".join(sorted({c.id for c in proved}))
                chips.append(f"<span class='chip proved' title='{e(names)}'>✔ {len(proved)} proved</span>")
            st = fn.status.value
            rows.append(f"<tr id='fn-{fi}-{ni}'><td class='badge {st}'>{SYMBOL[fn.status]} {st}</td>"
                        f"<td><b>{e(fn.name)}</b><br><span class=muted>{e(fr.path)}:{fn.span.start.line}</span></td>"
                        f"<td>{''.join(chips) or '<span class=muted>no checks</span>'}</td>"
                        f"<td class=t>{_ms(fn.time_ms)}</td><td>{self._cached(fr, fn)}</td></tr>")
        return ("<h2 id=functions>Functions</h2><table><tr><th>status</th><th>function</th><th>checks</th>"
                f"<th>time</th><th>from cache</th></tr>{''.join(rows)}</table>")

    def _chip(self, c: CheckResult, anchor: str) -> str:
        label = f"{c.id}@{c.span.start.line}"
        if c.status is Status.REFUTED:
            return (f"<a class='chip refuted' href='#{anchor}' title='{e(c.message or message_of(c.id))}'>"
                    f"✘ {e(label)}</a>")
        if c.status is Status.UNKNOWN:
            return f"<span class='chip unknown' title='{e(c.reason or '')}'>? {e(label)}</span>"
        tip = "unreachable: no execution reaches it" if c.unreachable else (c.witness or "proved")
        return f"<span class='chip proved' title='{e(tip)}'>✔ {e(label)}</span>"

    # -- a section per refuted check

    def refuted_sections(self, refuted: list[Finding]) -> str:
        out = [f"<h2 id=refuted>Refuted checks ({len(refuted)})</h2>"]
        if not refuted:
            out.append("<p class=muted>None.</p>")
        for f in refuted:
            out.append(self._refuted(f))
        return "\n".join(out)

    def _refuted(self, f: Finding) -> str:
        c, fn = f.check, f.function
        anchor = self.anchor_of[id(f)]
        state = self.cmp.of(f) if self.cmp is not None else None
        tag = f" <span class='tag {state}'>{state}</span>" if state else ""
        cx = c.counterexample
        facts = []
        if cx is not None:
            facts.append(f"<b>inputs</b>: <code>{e(values_text(cx.inputs) or '(none)')}</code>")
            if cx.nondet:
                facts.append("<b>nondet calls return</b>: <code>"
                             + e(", ".join(f"{n}() = {v}" for n, v in cx.nondet)) + "</code>")
            if cx.values:
                facts.append(f"<b>at the failure</b>: <code>{e(values_text(cx.values))}</code>")
        if c.witness:
            facts.append(f"<b>witness</b>: {e(c.witness)}")
        steps = flow_steps(fn, c)
        step_items = "".join(
            f"<li><a href='#{anchor}-L{s.line}'>line {s.line}</a>: {e(s.text)}</li>" for s in steps)
        doc = RULE_DOCS[c.id]
        return (f"<section class=cx id='{anchor}'><h3>✘ {e(fn.name)}: <code>{e(c.id)}</code>{tag}</h3>"
                f"<div class=muted>{e(f.path)}:{c.span.start.line}:{c.span.start.column} · "
                f"{e(c.message or message_of(c.id))}</div><p>{'<br>'.join(facts)}</p>"
                f"{self._source(f, steps, anchor)}"
                f"<details><summary>The {len(steps)} step(s)</summary><ol class=steps>{step_items}</ol></details>"
                f"<details><summary>What this check means and how to fix it</summary><p>{e(doc.meaning)}</p>"
                f"<pre class=src>{e(doc.example)}</pre><p>{_code(doc.fix)}</p></details></section>")

    def _source(self, f: Finding, steps: list[Any], anchor: str) -> str:
        lines = self._lines(f.path)
        if lines is None:
            return "<p class=muted>(the source is not available)</p>"
        fn, c = f.function, f.check
        first, last = max(1, fn.span.start.line), min(len(lines), fn.span.end.line)
        values: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        cx = c.counterexample
        if cx is not None:  # the inputs where the function starts
            for name, v in cx.inputs:
                values[fn.name_span.start.line][name].append(v)
        for s in cx.trace if cx is not None else ():
            for name, v in s.assigned:
                values[s.line][name].append(v)
        if cx is not None and cx.values:
            for name, v in cx.values:
                values[c.span.start.line][name].append(v)
        traced = {s.line for s in steps}
        wanted = list(range(first, last + 1))
        if len(wanted) > MAX_SOURCE_LINES:  # a huge function: the lines around the trace
            near = {n for t in traced | {c.span.start.line} for n in range(t - 3, t + 4)}
            wanted = sorted(n for n in near if first <= n <= last)
        rows, prev = [], None
        for n in wanted:
            if prev is not None and n != prev + 1:
                rows.append("<tr><td class=ln>…</td><td></td><td></td></tr>")
            prev = n
            cls = "fail" if n == c.span.start.line else "entry" if n == fn.name_span.start.line else (
                "trace" if n in traced else "")
            rows.append(f"<tr id='{anchor}-L{n}' class='{cls}'><td class=ln>{n}</td><td>{e(lines[n - 1])}</td>"
                        f"<td class=val>{e(_line_values(values.get(n, {})))}</td></tr>")
        return f"<table class=src>{''.join(rows)}</table>"

    def _lines(self, path: str) -> list[str] | None:
        if path not in self.lines:
            text = self.texts.get(path)
            self.lines[path] = text.splitlines() if text is not None else None
        return self.lines[path]

    # -- unknowns grouped by reason

    def unknowns(self, unknown: list[Finding]) -> str:
        out = [f"<h2 id=unknowns>Unknowns by reason ({len(unknown)})</h2>"]
        if not unknown:
            out.append("<p class=muted>None.</p>")
            return "\n".join(out)
        groups: dict[str, list[Finding]] = defaultdict(list)
        hints: dict[str, str] = {}
        for f in unknown:
            g = reason_group(f.check.reason)
            groups[g.label].append(f)
            hints[g.label] = g.hint
        out.append("<p class=muted>Largest group first: what to annotate or simplify to turn the most checks into "
                   "answers.</p>")
        for label, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            n_fns = len({(f.path, f.function.name) for f in items})
            callees = Counter(x for x in (_unmodelled_callee(f.check.reason) for f in items) if x)
            extra = ""
            if callees:
                extra = "<p>callees: " + ", ".join(f"<code>{e(n)}()</code> ×{k}" for n, k in callees.most_common()) + "</p>"
            rows = "".join(
                f"<tr><td>{e(f.function.name)}</td><td><code>{e(f.check.id)}</code></td>"
                f"<td>{e(f.path)}:{f.check.span.start.line}</td><td>{e(f.check.reason or '')}</td></tr>"
                for f in items[:MAX_ROWS_PER_GROUP])
            more = (f"<p class=muted>… and {len(items) - MAX_ROWS_PER_GROUP} more</p>"
                    if len(items) > MAX_ROWS_PER_GROUP else "")
            out.append(f"<details class=group open><summary><b>{e(label)}</b>: {len(items)} check(s) in {n_fns} "
                       f"function(s)</summary><p>{_code(hints[label])}</p>{extra}<table><tr><th>function</th>"
                       f"<th>check</th><th>where</th><th>reason</th></tr>{rows}</table>{more}</details>")
        return "\n".join(out)

    def errors(self) -> str:
        items = [(fr.path, err) for fr in self.results for err in fr.errors]
        if not items:
            return ""
        lis = "".join(f"<li>{e(p)}:{err.span.start.line}: {e(err.severity)}: {e(err.message)}</li>" for p, err in items)
        return f"<h2 id=errors>Input errors</h2><ul>{lis}</ul>"


def _code(text: str) -> str:
    """Escaped text with its `backticked` parts as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", e(text))


def _line_values(per_var: dict[str, list[int]]) -> str:
    parts = []
    for name, vals in per_var.items():
        shown = [str(v) for v in vals]
        if len(shown) > 6:
            shown = [*shown[:3], "…", *shown[-2:]]
        times = f" ({len(vals)}×)" if len(vals) > 1 else ""
        parts.append(f"{name} = {', '.join(shown)}{times}")
    return "; ".join(parts)


def _stack(counts: Counter[Status], total: int) -> str:
    if not total:
        return ""
    return "<div class=stack>" + "".join(
        f"<span class=s-{s.value} style='width:{100 * counts[s] / total:.1f}%'></span>"
        for s in (Status.PROVED, Status.REFUTED, Status.UNKNOWN)) + "</div>"


def _ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def _stat(key: str, value: Any) -> str:
    if key.endswith("_ms") and isinstance(value, int | float):
        return _ms(float(value))
    return str(value)

