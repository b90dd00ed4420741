"""The `prooflens` command as a user runs it: formats, exit codes, paths, flags, testgen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed.c"


def prooflens(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def seed_json() -> dict:
    p = prooflens("check", str(SEED), "--format", "json", "--no-cache")
    assert p.returncode == 1, p.stderr  # g2 is refuted
    return json.loads(p.stdout)


def fn(doc: dict, name: str) -> dict:
    return next(f for file in doc["files"] for f in file["functions"] if f["name"] == name)


def test_seed_answers(seed_json: dict) -> None:
    f, g, g2, h = (fn(seed_json, n) for n in ("f", "g", "g2", "h"))
    assert f["status"] == "proved" and [c["kind"] for c in f["checks"]] == ["postcondition"]
    assert g["status"] == "proved"
    term = [c for c in g["checks"] if c["kind"] == "termination"]
    assert term and term[0]["witness"]
    ovf = [c for c in g2["checks"] if c["id"] == "overflow.signed.sub"][0]
    x, y = ovf["counterexample"]["inputs"]["x"], ovf["counterexample"]["inputs"]["y"]
    assert x > y and not (-(2**31) <= x - y < 2**31)
    loop = [c for c in g2["checks"] if c["kind"] == "termination"][0]
    assert loop["status"] == "refuted"
    x, y = loop["counterexample"]["inputs"]["x"], loop["counterexample"]["inputs"]["y"]
    for _ in range(100_000):  # the witness really loops: x > y forever, no overflow
        assert x > y
        x -= y
        assert -(2**31) <= x < 2**31
    assert h["status"] == "unknown"
    assert "terminates" in h["checks"][0]["reason"]


def test_json_schema(seed_json: dict) -> None:
    for file in seed_json["files"]:
        assert set(file) >= {"path", "functions", "errors"}
        for f in file["functions"]:
            assert set(f) >= {"name", "range", "status", "time_ms", "checks"}
            for c in f["checks"]:
                assert set(c) >= {"id", "kind", "status", "range", "message", "counterexample", "witness",
                                  "reason", "time_ms"}
                assert c["range"]["start"]["line"] >= 1 and c["range"]["end"]["column"] > 0
                assert c["status"] in ("proved", "refuted", "unknown")
                assert (c["counterexample"] is not None) == (c["status"] == "refuted")
                assert (c["reason"] is not None) == (c["status"] == "unknown")


def test_text_output_and_exit_codes(tmp_path: Path) -> None:
    p = prooflens("check", str(SEED), "--no-cache")
    assert p.returncode == 1
    assert "✘ g2" in p.stdout and "✔ f" in p.stdout and "? h" in p.stdout
    ok = tmp_path / "ok.c"
    ok.write_text("int add(int a, int b) { if (a > 10 || a < 0 || b > 10 || b < 0) return 0; return a + b; }\n")
    assert prooflens("check", str(ok), "--no-cache").returncode == 0
    unknown = tmp_path / "unk.c"
    unknown.write_text("int ext(void);\nint u(int a) { return 10 / ext(); }\n")
    assert prooflens("check", str(unknown), "--no-cache").returncode == 2
    assert prooflens("check", str(tmp_path / "missing.c")).returncode == 3


def test_directory_and_function_filter(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.c").write_text("int a(int x) { return x + 1; }\n")
    (tmp_path / "b.c").write_text("int b(int x) { return x * 0; }\n")
    doc = json.loads(prooflens("check", str(tmp_path), "--format", "json", "--no-cache").stdout)
    assert sorted(Path(f["path"]).name for f in doc["files"]) == ["a.c", "b.c"]
    doc = json.loads(prooflens("check", str(tmp_path / "sub" / "a.c"), "--function", "a", "--format", "json",
                               "--no-cache").stdout)
    assert [f["name"] for f in doc["files"][0]["functions"]] == ["a"]


def test_defines_include_dirs_and_data_model(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "lim.h").write_text("#define LIMIT 100\n")
    src = tmp_path / "m.c"
    src.write_text('#include "lim.h"\nlong grow(long x) { if (x > LIMIT || x < 0) return 0; return x * SCALE; }\n')
    small = prooflens("check", str(src), "-I", str(tmp_path / "inc"), "-D", "SCALE=1000", "--no-cache")
    assert small.returncode == 0, small.stdout + small.stderr
    big = prooflens("check", str(src), "-I", str(tmp_path / "inc"), "-D", "SCALE=100000000", "--data-model",
                    "ILP32", "--no-cache")
    assert big.returncode == 1, big.stdout  # 100 * 10^8 overflows a 32-bit long
    lp64 = prooflens("check", str(src), "-I", str(tmp_path / "inc"), "-D", "SCALE=100000000", "--no-cache")
    assert lp64.returncode == 0, lp64.stdout


def test_compile_commands(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "k.h").write_text("#define K 0\n")
    src = tmp_path / "c.c"
    src.write_text('#include "k.h"\nint div(int x) { return x / (K + 1); }\n')
    cc = tmp_path / "compile_commands.json"
    cc.write_text(json.dumps([{"directory": str(tmp_path), "file": "c.c",
                               "command": f"gcc -I{tmp_path / 'inc'} -c c.c"}]))
    p = prooflens("check", str(src), "--compile-commands", str(cc), "--no-cache", "--format", "json")
    assert json.loads(p.stdout)["files"][0]["functions"][0]["name"] == "div", p.stdout + p.stderr


def test_sarif(tmp_path: Path) -> None:
    p = prooflens("check", str(SEED), "--format", "sarif", "--no-cache")
    doc = json.loads(p.stdout)
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert any(r["ruleId"] == "overflow.signed.sub" and r["level"] == "warning" for r in results)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)


def test_testgen_replays(tmp_path: Path) -> None:
    out = tmp_path / "h.c"
    p = prooflens("testgen", str(SEED), "--function", "g2", "--check", "overflow.signed.sub", "-o", str(out))
    assert p.returncode == 0, p.stderr
    exe = tmp_path / "h"
    subprocess.run(["gcc", "-fsanitize=undefined", "-fno-sanitize-recover=all", str(out), "-o", str(exe)],
                   check=True, capture_output=True)
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    assert run.returncode != 0 and "runtime error" in run.stderr and "seed.c:18" in run.stderr


def test_svcomp_verdicts(tmp_path: Path) -> None:
    src = tmp_path / "p.c"
    src.write_text("extern int __VERIFIER_nondet_int(void);\nextern void reach_error(void);\n"
                   "int main(void) { int x = __VERIFIER_nondet_int(); if (x > 5 && x < 3) reach_error();\n"
                   "  if (x == 42) reach_error(); return 0; }\n")
    doc = json.loads(prooflens("check", str(src), "--entry", "main", "--property", "unreach-call", "--format",
                               "json", "--no-cache").stdout)
    assert doc["verdict"] == "false"
    assert doc["counterexample"]["nondet"][0]["value"] == 42


def test_cached_split_follows_header_edits(tmp_path: Path) -> None:
    """A header of macros alone produces no unit, yet editing it must change the answer."""
    (tmp_path / "k.h").write_text("#define DIVISOR 2\n")
    src = tmp_path / "d.c"
    src.write_text('#include "k.h"\nint half(int x) { return x / DIVISOR; }\n')
    env_cache = ["--cache-path", str(tmp_path / "cache.sqlite3")]
    assert prooflens("check", str(src), *env_cache).returncode == 0
    (tmp_path / "k.h").write_text("#define DIVISOR 0\n")
    assert prooflens("check", str(src), *env_cache).returncode == 1


def test_counterexample_names_only_the_globals_the_failure_depends_on(tmp_path: Path) -> None:
    src = tmp_path / "globals.c"
    src.write_text("int limit = 10;\nint table[8];\nint unrelated;\n"
                   "int scaled(int x) { return x * limit; }\n"
                   "int plain(int x) { return x + 1; }\n")
    p = prooflens("check", str(src), "--format", "json", "--no-cache")
    assert p.returncode == 1, p.stderr
    doc = json.loads(p.stdout)

    def inputs(name: str) -> set[str]:
        (check,) = [c for c in fn(doc, name)["checks"] if c["status"] == "refuted"]
        return set(check["counterexample"]["inputs"])

    assert inputs("scaled") == {"x", "limit"}  # limit decides the overflow; table, unrelated do not
    assert inputs("plain") == {"x"}


def test_a_function_that_cannot_be_parsed_is_never_counted_proved(tmp_path: Path) -> None:
    src = tmp_path / "bad.c"
    depth = 3000
    src.write_text("int deep(int x) { return " + "(" * depth + "x" + ")" * depth + "; }\n"
                   "int broken(int x) { return x +; }\n"
                   "int fine(int y) { return y; }\n")
    p = prooflens("check", str(src), "--format", "json", "--no-cache")
    assert p.returncode == 2, p.stderr  # not everything is known, nothing refuted
    doc = json.loads(p.stdout)
    assert fn(doc, "fine")["status"] == "proved"
    for name in ("deep", "broken"):
        assert fn(doc, name)["status"] == "unknown"
    assert "nested too deeply" in fn(doc, "deep")["errors"][0]["message"]
    assert "syntax error" in fn(doc, "broken")["errors"][0]["message"]
    text = prooflens("check", str(src), "--no-cache").stdout
    assert "3 function(s): 1 proved, 0 refuted, 2 unknown" in text


def test_counterexamples_prefer_small_readable_values() -> None:
    """g2's overflow: the solver's first model was x = 1711538129, y = -503316440; x = 0,
    y = INT_MIN says the same at a glance (and still fails: x - y overflows)."""
    from analysis.model import Status
    from analysis.options import Options
    from analysis.service import verify_text

    text = (Path(__file__).resolve().parent.parent / "examples" / "seed.c").read_text()
    res = verify_text(text, "seed.c", Options(), only="g2")
    [sub] = [c for f in res.functions for c in f.checks if c.id == "overflow.signed.sub"]
    assert sub.status is Status.REFUTED and sub.counterexample is not None
    assert dict(sub.counterexample.inputs) == {"x": 0, "y": -2**31}


def test_an_array_of_structs_counterexample_reads_at_a_glance(tmp_path: Path) -> None:
    """The members of a parameter's structs are pinned like integers (0, 1, -1, then small
    magnitudes, then extremes), and the text shows them as C writes them: two points whose x
    sum overflows read {.x = 1, .y = 0}, {.x = 2147483647, .y = 0}, not two random numbers."""
    src = tmp_path / "points.c"
    src.write_text("struct pt { int x, y; };\n"
                   "int sum_x(const struct pt *p, int n) {\n"
                   "  int s = 0;\n"
                   "  for (int i = 0; i < n; i++) s += p[i].x;\n"
                   "  return s;\n"
                   "}\n"
                   "int minus_one(int a) { return a > 3 ? -1 : a; }\n")
    p = prooflens("check", str(src), "--format", "json", "--no-cache")
    assert p.returncode == 1, p.stderr
    doc = json.loads(p.stdout)
    (add,) = [c for c in fn(doc, "sum_x")["checks"] if c["id"] == "overflow.signed.add"]
    assert add["status"] == "refuted"
    elements = add["counterexample"]["objects"]["p"]["elements"]
    assert all(abs(e["x"]) in (0, 1, 2**31 - 1, 2**31) and e["y"] == 0 for e in elements), elements
    assert "{.x = " in prooflens("check", str(src), "--no-cache", "--function", "sum_x").stdout
    # a literal's minus sign is part of a number, not an operation that can overflow
    assert fn(doc, "minus_one")["checks"] == [] and fn(doc, "minus_one")["status"] == "proved"


def test_a_construct_nothing_checked_never_reads_proved(tmp_path: Path) -> None:
    """A function whose only risky part is something the engine does not model (a double
    converted to int: undefined out of range; a _Generic selection, whose branches were never
    evaluated) has no check left to carry the unknown: it must not show a tick with 0 checks."""
    src = tmp_path / "unmodelled.c"
    src.write_text("int truncate(double d) { return (int)d; }\n"
                   "int pick(int i) { int a[4] = {0}; return _Generic(i, int: a[i], default: 0); }\n"
                   "int plain(int i) { return i > 3 ? -1 : i; }\n")
    p = prooflens("check", str(src), "--format", "json", "--no-cache")
    assert p.returncode == 2, p.stderr
    doc = json.loads(p.stdout)
    for name, what in (("truncate", "conversion from double"), ("pick", "GenericSelection")):
        f = fn(doc, name)
        assert f["status"] == "unknown", f
        assert what in f["errors"][0]["message"] and f["errors"][0]["severity"] == "warning"
    assert fn(doc, "plain")["status"] == "proved"


def test_pointers_c_lets_alias_are_separated_by_the_precondition_or_not_proved(tmp_path: Path) -> None:
    """An int * and a char * may reach one object (C11 6.5p7). The inferred precondition says
    the model's assumption (different objects unless NULL); a written contract that does not say
    it leaves the proof to the checker, which models the alias, and rejects it."""
    src = tmp_path / "alias.c"
    src.write_text("#include <assert.h>\n"
                   "int f3(int *a, char *b) { *a = 0; *b = 1; assert(*a == 0); return 0; }\n"
                   "/*@ requires \\valid(a) && \\valid(b); */\n"
                   "int h3(int *a, char *b) { *a = 0; *b = 1; assert(*a == 0); return 0; }\n")
    doc = json.loads(prooflens("check", str(src), "--format", "json", "--no-cache").stdout)
    f3 = fn(doc, "f3")
    assert f3["status"] == "proved"
    assert "a == \\null || b == \\null || \\base_addr(a) != \\base_addr(b)" in f3["inferred_requires"]
    (assertion,) = [c for c in fn(doc, "h3")["checks"] if c["id"] == "assert.violated"]
    assert assertion["status"] == "unknown" and "certificate rejected" in assertion["reason"]


def test_a_precondition_no_input_satisfies_is_not_a_proof(tmp_path: Path) -> None:
    """requires x > 0 && x < 0: every check holds because nothing reaches it; the function is
    not shown proved (a warning at the clause says why), one with a satisfiable clause is."""
    src = tmp_path / "vacuous.c"
    src.write_text("/*@ requires x > 0 && x < 0; */\nint f(int x) { return x + 1; }\n"
                   "/*@ requires x > 0 && x < 10; */\nint g(int x) { return x + 1; }\n")
    doc = json.loads(prooflens("check", str(src), "--format", "json", "--no-cache").stdout)
    f = fn(doc, "f")
    assert f["status"] == "unknown" and "unsatisfiable" in f["errors"][0]["message"], f
    assert fn(doc, "g")["status"] == "proved"


def test_main_gets_what_program_start_guarantees(tmp_path: Path) -> None:
    """argc >= 0 and argv non-NULL (C11 5.1.2.2.1p2): argv[1] behind argc > 1 was refuted with
    argv == NULL, a call no program start makes (the harness called main(2, NULL))."""
    src = tmp_path / "args.c"
    src.write_text("#include <string.h>\nint main(int argc, char **argv) {\n"
                   "  const char *in = argc > 1 ? argv[1] : \"abc\";\n  return (int)strlen(in);\n}\n")
    doc = json.loads(prooflens("check", str(src), "--format", "json", "--no-cache").stdout)
    assert all(c["status"] != "refuted" for c in fn(doc, "main")["checks"]), fn(doc, "main")["checks"]
