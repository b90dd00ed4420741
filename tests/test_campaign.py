"""Differential soundness campaign (bench/campaign.py), CI-sized.

A fixed sample of generated programs (fixed seed) is verified and compared with the truth
obtained by compiling and running them: no wrong answer is allowed. The oracle itself is
tested (a false assert fails when the program is compiled with the real <assert.h> and run,
a true one holds), and so is the comparison (a fake prooflens result with wrong verdicts is
counted as wrong). Needs gcc: skipped without it, unless CI=true (then it fails).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from analysis.model import Status
from tests import toolchain

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import campaign  # noqa: E402
import campaign_gen as cg  # noqa: E402

SAMPLE_SEED = 20240
SAMPLE_SIZE = 50
SAMPLE_WALL = 25.0  # seconds per file before it counts as unknown


@pytest.fixture(scope="module")
def gcc() -> None:
    if shutil.which("gcc") is None:
        toolchain.unavailable("gcc", "the soundness campaign runs the programs for its ground truth")


def _compile_plain(text: str, func: str, work: Path) -> Path:
    """The program file with the real <assert.h> and a main() that calls func once (no arguments)."""
    src = work / "plain.c"
    src.write_text(text + f"\nint main(void) {{ {func}(); return 0; }}\n")
    exe = work / "plain"
    subprocess.run(["gcc", *cg.GCC_FLAGS, "-o", str(exe), str(src)], check=True, capture_output=True)
    return exe


def _first_deterministic(small: bool, want_false: bool, tmp: Path) -> cg.Program:
    for i in range(60):
        prog, _ = cg.generate(77, tmp, i, small=small)
        if prog is None or not prog.deterministic:
            continue
        false_reached = [ln for ln, t in prog.truth.items() if not t and prog.reached[ln]]
        if bool(false_reached) == want_false:
            return prog
    raise AssertionError("no suitable generated program in 60 tries")


def test_oracle_false_assert_fails(gcc: None, tmp_path: Path) -> None:
    prog = _first_deterministic(True, True, tmp_path)
    line = next(ln for ln, t in prog.truth.items() if not t)
    exe = _compile_plain(prog.source, prog.func, tmp_path)
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=10)
    assert run.returncode != 0 and "Assertion" in run.stderr, run.stderr
    assert f":{line}:" in run.stderr, (line, run.stderr)


def test_oracle_true_asserts_hold(gcc: None, tmp_path: Path) -> None:
    prog = _first_deterministic(True, True, tmp_path)
    # drop the false asserts (keeping the line numbers): every remaining one must hold
    lines = prog.source.split("\n")
    for ln, t in prog.truth.items():
        if not t:
            lines[ln - 1] = ";"
    exe = _compile_plain("\n".join(lines), prog.func, tmp_path)
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0, run.stderr
    assert any(prog.truth[ln] and prog.reached[ln] for ln in prog.truth)


def test_oracle_input_domain_is_exhaustive(gcc: None, tmp_path: Path) -> None:
    text = ("#include <assert.h>\n"
            "int f0(int a, unsigned b) {\n"
            "  if (!(a >= -3 && a < 5)) return 0;\n"
            "  if (!(b >= 0 && b < 4)) return 0;\n"
            "  int s = a * (int)b;\n"
            "  assert(s <= 12);\n"
            "  assert(s != 12);\n"
            "  assert(s > -10);\n"
            "  return s;\n"
            "}\n")
    run = cg.run_oracle(text, "f0", [("a", "int", -3, 5), ("b", "unsigned", 0, 4)], tmp_path)
    assert run.ok, run.stderr
    # 32 inputs; s == 12 only for a = 4, b = 3, and s == -9 (the minimum) for a = -3, b = 3
    assert cg.parse_asserts(run.stdout) == {6: (32, 0), 7: (32, 1), 8: (31, 0)}
    ub = text.replace("a * (int)b", "a * (int)b + 2147483647")
    assert cg.run_oracle(ub, "f0", [("a", "int", -3, 5), ("b", "unsigned", 0, 4)], tmp_path).reason == "ub"


def _fake(prog: cg.Program, statuses: dict[int, str], others: list[tuple[str, int, str]]) -> dict[str, Any]:
    def check(cid: str, line: int, status: str) -> dict[str, Any]:
        return {"id": cid, "kind": cid.split(".")[0], "status": status, "message": "",
                "range": {"start": {"line": line, "column": 3}, "end": {"line": line, "column": 9}},
                "counterexample": None, "witness": None, "reason": None, "time_ms": 1.0}
    checks = [check("assert.violated", ln, st) for ln, st in statuses.items()]
    checks += [check(cid, ln, st) for cid, ln, st in others]
    return {"path": "fake.c", "errors": [],
            "functions": [{"name": prog.func, "status": "unknown", "checks": checks, "errors": []},
                          {"name": prog.func + "_h0", "status": "refuted", "errors": [],
                           "checks": [check("overflow.signed.add", 3, "refuted")]}]}


def test_compare_counts_wrong_verdicts() -> None:
    prog = cg.Program(name="fake", seed=0, func="f0", source="", deterministic=True, domain_size=1,
                      exhaustive=True, truth={10: True, 11: False, 12: True, 13: False, 14: True},
                      reached={10: 1, 11: 1, 12: 0, 13: 1, 14: 1})
    right = campaign.compare(prog, _fake(prog, {10: "proved", 11: "refuted", 12: "proved", 13: "unknown",
                                                14: "unknown"}, [("overflow.signed.add", 8, "proved")]), "fake.c")
    assert right.wrong == [] and (right.proved, right.refuted, right.unknown) == (2, 1, 2)
    bad = campaign.compare(prog, _fake(prog, {10: "refuted", 11: "proved", 12: "proved"},
                                       [("overflow.signed.add", 8, "refuted"), ("termination.loop", 7, "unknown")]),
                           "fake.c")
    got = sorted((w.line, w.check, w.answer, w.truth) for w in bad.wrong)
    assert got == [(8, "overflow.signed.add", "refuted", "clean run"), (10, "assert.violated", "refuted", "true"),
                   (11, "assert.violated", "proved", "false")]
    assert bad.missing == 2 and bad.unknown == 2  # asserts 13 and 14 not reported: unknown, never wrong


def test_ci_sample_has_no_wrong_answer(gcc: None, tmp_path: Path) -> None:
    start = time.monotonic()
    progs, _ = campaign.generate_all(SAMPLE_SIZE, SAMPLE_SEED, 2, tmp_path, small=True)
    assert len(progs) == SAMPLE_SIZE
    truths = [t for p, _ in progs for t in p.truth.values()]
    assert truths.count(True) > 20 and truths.count(False) > 10
    total = campaign.verify_all(progs, 2, 2.0, SAMPLE_WALL)
    report = campaign.table(total, time.monotonic() - start)
    print(report)
    assert total.decided > 0, report
    details = []
    for w in total.wrong:
        src = Path(w.program).read_text()
        details.append(f"{Path(w.program).name}:{w.line} {w.check}: prooflens {w.answer}, truth {w.truth}"
                       f" ({w.detail})\n{src}")
    assert not total.wrong, report + "\n\n" + "\n\n".join(details)


# Wrong answers the campaign found, kept as programs. The truth of each was checked by running it.
ARRAY_IN_LOOP = """\
#include <assert.h>
void found_9201_167(void) {
  unsigned v1 = 4;
  unsigned short v2 = 11;
  int v4 = 11;
  int arr5[5] = {3, 2, 2, 7, 4};
  for (unsigned i6 = 0; i6 < 4096; i6++) {
    arr5[(unsigned)(v2) % 5u] = v4;
    if (((unsigned)(v1) % 7u) == 1u) return;
  }
  assert(arr5[1] == 11);
  assert(arr5[2] == 2);
}
void chase(void) {
  unsigned a[2] = {1, 0};
  for (unsigned i = 0; a[0] != i; i++) a[0] = i + 2;
}
"""


def test_a_loop_that_writes_an_array_is_not_accelerated_over_a_fixed_array() -> None:
    """Seed 9201, program 167: the accelerated search read `arr5` as one value for all 4096
    iterations (the array is not in the loop's scalar state) and "found" both true asserts
    failing in iteration 4097. `chase` runs forever only because it rewrites a[0] each time:
    over a fixed a[0] the counter would meet it, so no termination proof may stand either."""
    from analysis.options import Options
    from analysis.service import verify_text

    res = verify_text(ARRAY_IN_LOOP, "found.c", Options(timeout=2.0))
    by_fn = {f.name: f for f in res.functions}
    asserts = [c for c in by_fn["found_9201_167"].checks if c.id == "assert.violated"]
    assert len(asserts) == 2 and all(c.status is not Status.REFUTED for c in asserts), asserts
    assert all(c.status is not Status.REFUTED for c in by_fn["found_9201_167"].checks)
    chase = [c for c in by_fn["chase"].checks if c.id == "termination.loop"]
    assert len(chase) == 1 and chase[0].status is not Status.PROVED, chase


# ------------------------------------------------------------------ memory programs (AddressSanitizer)

MEMORY_SAMPLE_SEED = 4242
MEMORY_SAMPLE_SIZE = 12


@pytest.fixture(scope="module")
def asan() -> None:
    if shutil.which("gcc") is None or not toolchain.asan_runs():
        toolchain.unavailable("gcc -fsanitize=address", "the memory programs' ground truth comes from AddressSanitizer")
    if shutil.which("addr2line") is None:
        toolchain.unavailable("addr2line", "Debian: apt install binutils (symbolizes the sanitizer reports)")


FAULTY = """\
#include <assert.h>
#include <stdlib.h>
#include <string.h>
static int f0_sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}
int f0(int a) {
  if (!(a >= 0 && a < 6)) return 0;
  int arr[4] = {1, 2, 3, 4};
  int s = f0_sum(arr, a);
  assert(s <= 10);
  int *h = malloc(4 * sizeof(int));
  if (!h) return 0;
  memset(h, 0, 4 * sizeof(int));
  free(h);
  if (a == 3) return h[1];
  if (a == 4) free(h);
  assert(a != 2);
  return s;
}
"""


def test_memory_oracle_ends_each_faulting_input_where_asan_says(asan: None, tmp_path: Path) -> None:
    run = cg.run_oracle(FAULTY, "f0", [("a", "int", 0, 6)], tmp_path, memory=True)
    assert run.ok, (run.reason, run.stderr)
    # a = 5 reads arr[4] inside the helper (judged at the call, line 12); a = 3 reads h after free;
    # a = 4 frees h twice; a = 2 fails the last assert, which a = 3, 4, 5 never reach
    got = [(f.line, f.kind, f.inputs, f.frame) for f in run.faults]
    assert got == [(12, "bounds", 1, "f0_sum:6"), (18, "use-after-free", 1, "f0:18"), (19, "double-free", 1, "f0:19")]
    assert cg.parse_asserts(run.stdout) == {13: (5, 0), 20: (3, 1)}


LEAKY = """\
#include <assert.h>
#include <stdlib.h>
int f0(int a) {
  int *h = malloc(4 * sizeof(int));
  if (!h) return 0;
  int *g = malloc(2 * sizeof(int));
  if (!g) { free(h); return 0; }
  h[0] = g[0] = a;
  if (a == 1) return 1;
  if (a != 2) free(h);
  free(g);
  assert(a != 3);
  return 0;
}
"""


def test_memory_oracle_sees_each_leaked_block_at_its_allocation(asan: None, tmp_path: Path) -> None:
    run = cg.run_oracle(LEAKY, "f0", [("a", "int", 0, 5)], tmp_path, memory=True)
    assert run.ok, (run.reason, run.stderr)
    # a = 1 returns early with both blocks (two leaks in one report), a = 2 never frees h; a = 3
    # fails the assert: an input that did not return is not checked for leaks
    got = [(f.line, f.kind, f.inputs) for f in run.faults]
    assert got == [(4, "leak", 2), (6, "leak", 1)], got


def test_memory_oracle_discards_other_undefined_behaviour(asan: None, tmp_path: Path) -> None:
    ubsan = ("#include <assert.h>\n"
             "int f0(int a) {\n"
             "  if (!(a >= 0 && a < 3)) return 0;\n"
             "  int arr[2] = {1, 2};\n"
             "  int *q = arr;\n"
             "  if (a == 1) q = 0;\n"
             "  int x = *q;\n"
             "  return x + arr[a];\n"
             "}\n")
    run = cg.run_oracle(ubsan, "f0", [("a", "int", 0, 3)], tmp_path, memory=True)
    # UBSan's reports count too: the NULL load (a = 1) and the index past the array (a = 2)
    assert run.ok and [(f.line, f.kind, f.inputs) for f in run.faults] == [(7, "null", 1), (8, "bounds", 1)], run
    overflow = ubsan.replace("x + arr[a]", "x + 2147483647")
    assert cg.run_oracle(overflow, "f0", [("a", "int", 0, 3)], tmp_path, memory=True).reason == "ub"


def test_memory_oracle_agrees_with_a_plain_asan_run(asan: None, tmp_path: Path) -> None:
    """A generated deterministic program with a recorded fault, compiled with the real <assert.h>
    and run once, stops with the sanitizer's report at that line."""
    for i in range(80):
        prog, _ = cg.generate(MEMORY_SAMPLE_SEED, tmp_path, i, small=True, kinds="memory")
        if prog is not None and prog.deterministic and prog.faults:
            break
    else:
        raise AssertionError("no deterministic memory program with a fault in 80")
    assert prog.memory and prog.meta["hazard"] != "none"
    src = tmp_path / "plain.c"
    src.write_text(prog.source + f"\nint main(void) {{ {prog.func}(); return 0; }}\n")
    exe = tmp_path / "plain"
    subprocess.run(["gcc", *cg.MEMORY_GCC_FLAGS, "-o", str(exe), str(src)], check=True, capture_output=True)
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30,
                         env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"})
    fault = prog.faults[0]
    assert run.returncode != 0 and cg.classify_report(run.stderr)[0] == fault.kind, run.stderr
    assert f"plain.c:{fault.line}" in run.stderr, (fault, run.stderr)


def _memory_program(faults: list[cg.Fault]) -> cg.Program:
    return cg.Program(name="fakemem", seed=0, func="f0", source="", deterministic=False, domain_size=6,
                      exhaustive=True, truth={30: True}, reached={30: 4}, memory=True, faults=faults)


def _fake_memory(checks: list[tuple[str, int, str]], status: str = "unknown") -> dict[str, Any]:
    def check(cid: str, line: int, st: str) -> dict[str, Any]:
        return {"id": cid, "kind": cid.split(".")[0], "status": st, "message": "",
                "range": {"start": {"line": line, "column": 3}, "end": {"line": line, "column": 9}},
                "counterexample": None, "witness": None, "reason": None, "time_ms": 1.0}
    return {"path": "fake.c", "errors": [],
            "functions": [{"name": "f0", "status": status, "errors": [],
                           "checks": [check("assert.violated", 30, "proved"), *(check(*c) for c in checks)]}]}


BOUNDS_AT_12 = cg.Fault(12, "bounds", 1, "f0_sum:6", "stack-buffer-overflow")
UAF_AT_18 = cg.Fault(18, "use-after-free", 2, "f0:18", "heap-use-after-free")


def test_compare_judges_memory_checks_against_asan() -> None:
    prog = _memory_program([BOUNDS_AT_12, UAF_AT_18])
    right = campaign.compare(prog, _fake_memory([
        ("memory.null", 12, "proved"), ("memory.bounds", 12, "refuted"),
        ("memory.null", 18, "proved"), ("memory.use-after-free", 18, "refuted"), ("memory.bounds", 18, "proved"),
        ("memory.bounds", 7, "proved"), ("memory.pointer-arith", 7, "proved"), ("memory.unmodelled", 9, "unknown")]),
        "fake.c")
    assert right.wrong == [], right.wrong
    assert (right.mem_checks, right.mem_checks_proved, right.mem_checks_refuted, right.faults) == (7, 5, 2, 2)
    assert right.mem_programs == 1 and right.mem_proved == 1

    bad = campaign.compare(prog, _fake_memory([
        ("memory.null", 12, "proved"), ("memory.bounds", 12, "proved"),  # the overflow at 12 "cannot happen"
        ("memory.use-after-free", 18, "unknown"), ("memory.double-free", 18, "refuted"),  # not what happens there
        ("memory.use-after-free", 9, "refuted"), ("memory.pointer-arith", 7, "refuted")]), "fake.c")
    got = sorted((w.line, w.check, w.answer) for w in bad.wrong)
    assert got == [(7, "memory.pointer-arith", "refuted"), (9, "memory.use-after-free", "refuted"),
                   (12, "memory.bounds", "proved"), (18, "memory.double-free", "refuted")], got
    assert all(w.memory for w in bad.wrong) and bad.mem_wrong == 4 and bad.mem_check_wrong == 4


def test_compare_memory_refutation_in_a_clean_program_is_wrong() -> None:
    clean = _memory_program([])
    bad = campaign.compare(clean, _fake_memory([("memory.bounds", 12, "refuted"), ("memory.null", 12, "proved")]),
                           "fake.c")
    assert [(w.line, w.check, w.answer) for w in bad.wrong] == [(12, "memory.bounds", "refuted")]
    fine = campaign.compare(clean, _fake_memory([("memory.bounds", 12, "unknown"), ("memory.null", 12, "proved")]),
                            "fake.c")
    assert fine.wrong == [] and fine.faults == 0


def test_compare_judges_leaks_against_leaksanitizer() -> None:
    prog = _memory_program([cg.Fault(5, "leak", 2, "f0:5", "ERROR: LeakSanitizer: detected memory leaks")])
    right = campaign.compare(prog, _fake_memory([("memory.leak", 5, "refuted"), ("memory.leak", 8, "proved")]),
                             "fake.c")
    assert right.wrong == [] and right.mem_checks == 2
    bad = campaign.compare(prog, _fake_memory([("memory.leak", 5, "proved"), ("memory.leak", 8, "refuted")]),
                           "fake.c")
    assert sorted((w.line, w.check, w.answer) for w in bad.wrong) == [(5, "memory.leak", "proved"),
                                                                        (8, "memory.leak", "refuted")]


def test_compare_names_of_one_error_and_unchecked_faults() -> None:
    # a strlen past the NUL: AddressSanitizer's overflow, prooflens's memory.string
    prog = _memory_program([BOUNDS_AT_12])
    string = campaign.compare(prog, _fake_memory([("memory.bounds", 12, "proved"), ("memory.string", 12, "refuted")]),
                              "fake.c")
    assert string.wrong == []
    # no check at the line of a fault: unknown function, not wrong (counted); proved function: wrong
    unknown = campaign.compare(prog, _fake_memory([("memory.bounds", 7, "proved")]), "fake.c")
    assert unknown.wrong == [] and unknown.faults_unchecked == 1 and unknown.faults_unmodelled == 0
    # ... told apart when prooflens says there that it does not model the access
    covered = campaign.compare(prog, _fake_memory([("memory.unmodelled", 12, "unknown")]), "fake.c")
    assert covered.wrong == [] and covered.faults_unchecked == 1 and covered.faults_unmodelled == 1
    proved = campaign.compare(prog, _fake_memory([("memory.bounds", 7, "proved")], status="proved"), "fake.c")
    assert [(w.line, w.check, w.answer) for w in proved.wrong] == [(12, "function", "proved")]


def test_ci_memory_sample_has_no_wrong_answer(asan: None, tmp_path: Path) -> None:
    start = time.monotonic()
    progs, _ = campaign.generate_all(MEMORY_SAMPLE_SIZE, MEMORY_SAMPLE_SEED, 2, tmp_path, small=True, kinds="memory")
    assert len(progs) == MEMORY_SAMPLE_SIZE and all(p.memory for p, _ in progs)
    # the sample has memory errors on some inputs and programs that run clean
    assert any(p.faults for p, _ in progs) and any(not p.faults for p, _ in progs)
    total = campaign.verify_all(progs, 2, 2.0, SAMPLE_WALL)
    report = campaign.table(total, time.monotonic() - start)
    print(report)
    details = [f"{Path(w.program).name}:{w.line} {w.check}: prooflens {w.answer}, truth {w.truth} ({w.detail})\n"
               f"{Path(w.program).read_text()}" for w in total.wrong]
    assert not total.wrong, report + "\n\n" + "\n\n".join(details)
    assert total.mem_programs == MEMORY_SAMPLE_SIZE and total.decided > 0, report
    assert total.mem_checks_proved > 0 and total.mem_checks_refuted > 0, report


# Found by the memory campaign (seeds 11, 77, 78: smem11_15, smem77_58, smem78_31), minimised by
# hand; AddressSanitizer and UBSan run both functions clean.
FRESH_HEAP_BLOCK = """\
#include <stdlib.h>
int calloc_then_offset(void) {
  unsigned char *h = calloc(3, 1);
  if (!h) return 0;
  unsigned char *q = h + 2;
  int v = *q;
  free(h);
  return v;
}
int malloc_then_offset(void) {
  unsigned char *h = malloc(3);
  if (!h) return 0;
  unsigned char *q = h + 2;
  *q = 1;
  int v = h[2];
  free(h);
  return v;
}
"""


def test_pointer_arithmetic_on_a_fresh_heap_block_is_not_refuted() -> None:
    from analysis.options import Options
    from analysis.service import verify_text

    res = verify_text(FRESH_HEAP_BLOCK, "found.c", Options(timeout=2.0))
    assert {f.name for f in res.functions} == {"calloc_then_offset", "malloc_then_offset"}
    for f in res.functions:
        assert any(c.id == "memory.pointer-arith" for c in f.checks), f.checks
        assert all(c.status is not Status.REFUTED for c in f.checks), (f.name, f.checks)


LEAK_ON_FAILURE = """#include <stdlib.h>
void f(void) {
  int *a = malloc(4 * sizeof(int));
  if (!a) return;
  a[0] = 1;
  int *b = malloc(4 * sizeof(int));
  if (!b) return;
  b[0] = a[0];
  free(b);
  free(a);
}
"""


def test_a_refutation_through_a_failed_allocation_is_confirmed_by_running_it(tmp_path: Path, gcc: None) -> None:
    """The oracle's runs never make malloc fail, so it sees no leak of ``a``; the engine's
    counterexample makes the second malloc fail. It counts as right only because its harness,
    run, reports the leak; the same refutation without that failure would be wrong."""
    from types import SimpleNamespace

    path = tmp_path / "leak.c"
    path.write_text(LEAK_ON_FAILURE)
    program = SimpleNamespace(faults=[], func="f")
    failing = {"nondet": [{"function": "__pl_malloc_fails", "value": 0}, {"function": "__pl_malloc_fails", "value": 1}]}
    check = {"id": "memory.leak", "status": "refuted", "counterexample": failing, "message": "leak"}
    t = campaign.Tally()
    campaign._judge_memory_refutation(program, check, 3, str(path), t)  # type: ignore[arg-type]
    assert t.replayed == 1 and not t.wrong
    t = campaign.Tally()
    campaign._judge_memory_refutation(program, {**check, "counterexample": {"nondet": []}}, 3, str(path), t)  # type: ignore[arg-type]
    assert t.replayed == 0 and len(t.wrong) == 1
