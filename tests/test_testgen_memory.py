"""Counterexamples with memory replay (issue 11, item 7).

Each test writes a small C file, builds a counterexample by hand the way the engine reports one
(``Counterexample.objects``: NULL, a fresh object of N elements with its first values, or an
alias into another pointer's object), generates the harness with testgen, compiles it under
``gcc -fsanitize=address,undefined`` and runs it: it must stop with the sanitizer's report at the
expected line of the user's file. An input that does not fail must run clean.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analysis.model import CheckResult, Counterexample, Span, Status
from analysis.options import Options
from analysis.testgen import harness_for
from tests.toolchain import asan_flags


@dataclass
class Run:
    harness: str
    returncode: int
    output: str


def replay(tmp_path: Path, source: str, function: str, inputs: dict[str, int],
           objects: dict[str, dict[str, Any]], data_model: str = "LP64") -> Run:
    """Generate the harness for a hand-made counterexample, build it with ASan+UBSan and run it."""
    src = tmp_path / "user.c"
    src.write_text(source)
    cx = Counterexample(tuple(inputs.items()), objects=tuple(objects.items()))
    check = CheckResult("memory.bounds", Status.REFUTED, Span.of(1, 1, 1, 2), counterexample=cx)
    harness = harness_for(source, str(src), function, check, Options(data_model=data_model))
    c, exe = tmp_path / "harness.c", tmp_path / "harness"
    c.write_text(harness)
    cc = subprocess.run(["gcc", "-std=gnu11", "-O0", "-w", *asan_flags(data_model), str(c), "-o", str(exe)],
                        capture_output=True, text=True, timeout=120)
    assert cc.returncode == 0, cc.stderr + harness
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    return Run(harness, run.returncode, run.stdout + run.stderr)


def report(run: Run, path: Path) -> tuple[str, int]:
    """The sanitizer's finding and the line of the user's file it points at: UBSan's
    ``FILE:LINE:COL: runtime error: ...`` or AddressSanitizer's ``ERROR: ... KIND`` with the
    innermost stack frame in the user's file."""
    assert run.returncode != 0, run.output
    assert "did not fail" not in run.output, run.output
    where = re.escape(str(path))
    ub = re.search(where + r":(\d+):\d+: runtime error: (.*)", run.output)
    if ub:
        return ub.group(2), int(ub.group(1))
    asan = re.search(r"ERROR: AddressSanitizer: ([\w-]+)", run.output)
    frame = re.search(r"#\d+ 0x[0-9a-f]+ in \w+ " + where + r":(\d+)", run.output)
    assert asan and frame, run.output
    return asan.group(1), int(frame.group(1))


def line_of(source: str, needle: str) -> int:
    (line,) = [i for i, text in enumerate(source.splitlines(), 1) if needle in text]
    return line


FIRST = "int first(const int *a) {\n  return a[0];\n}\n"


def test_empty_object_read_fails_one_past_the_end(tmp_path: Path) -> None:
    run = replay(tmp_path, FIRST, "first", {}, {"a": {"size": 0}})
    assert "(calloc)(0, sizeof(int))" in run.harness
    kind, line = report(run, tmp_path / "user.c")
    assert kind in ("heap-buffer-overflow", "use-after-poison") and line == 2


def test_empty_char_object_has_no_addressable_byte(tmp_path: Path) -> None:
    """malloc(0) gives AddressSanitizer one addressable byte: the harness must take it away."""
    source = "char head(const char *s) {\n  return s[0];\n}\n"
    kind, line = report(replay(tmp_path, source, "head", {}, {"s": {"size": 0}}), tmp_path / "user.c")
    assert kind == "use-after-poison" and line == 2


def test_null_pointer_fails_at_the_dereference(tmp_path: Path) -> None:
    run = replay(tmp_path, FIRST, "first", {}, {"a": {"null": True}})
    kind, line = report(run, tmp_path / "user.c")
    assert "null pointer" in kind and line == 2


def test_input_that_does_not_fail_runs_clean(tmp_path: Path) -> None:
    run = replay(tmp_path, FIRST, "first", {}, {"a": {"size": 1, "elements": [7]}})
    assert run.returncode == 0, run.output
    assert "did not fail" in run.output and "Sanitizer" not in run.output


SUM = ("long sum(const int *a, int n) {\n  long s = 0;\n  for (int i = 0; i < n; i++)\n"
       "    s += a[i];\n  return s;\n}\n")


def test_reading_past_the_chosen_size(tmp_path: Path) -> None:
    run = replay(tmp_path, SUM, "sum", {"n": 4}, {"a": {"size": 3, "elements": [1, 2, 3]}})
    assert "(calloc)(3, sizeof(int))" in run.harness
    assert report(run, tmp_path / "user.c") == ("heap-buffer-overflow", line_of(SUM, "s += a[i]"))
    clean = replay(tmp_path, SUM, "sum", {"n": 3}, {"a": {"size": 3, "elements": [1, 2, 3]}})
    assert clean.returncode == 0, clean.output


SWAP = ("void swap(int *a, int *b) {\n  *a = *a + *b;\n  *b = *a - *b;\n  *a = *a - *b;\n}\n")


def test_aliased_parameters_are_passed_as_aliases(tmp_path: Path) -> None:
    """2^30 + 0 does not overflow; with b aliasing a it is 2^30 + 2^30."""
    big = {"size": 1, "elements": [1 << 30]}
    run = replay(tmp_path, SWAP, "swap", {}, {"a": big, "b": {"alias": "a", "offset": 0}})
    kind, line = report(run, tmp_path / "user.c")
    assert "signed integer overflow" in kind and line == 2
    separate = replay(tmp_path, SWAP, "swap", {}, {"a": big, "b": {"size": 1, "elements": [0]}})
    assert separate.returncode == 0, separate.output


def test_alias_offset_counts_elements(tmp_path: Path) -> None:
    """b one element into a's object of one element: one past the end, so reading *b fails."""
    run = replay(tmp_path, SWAP, "swap", {}, {"a": {"size": 1, "elements": [1]}, "b": {"alias": "a", "offset": 1}})
    assert report(run, tmp_path / "user.c") == ("heap-buffer-overflow", 2)
    inside = replay(tmp_path, SWAP, "swap", {}, {"a": {"size": 2, "elements": [1, 2]},
                                                 "b": {"alias": "a", "offset": 1}})
    assert inside.returncode == 0, inside.output


MOVE = "struct point { int x, y; };\nvoid move(struct point *p, int dx) {\n  p->x = p->x + dx;\n}\n"


def test_struct_elements_are_filled_by_field(tmp_path: Path) -> None:
    run = replay(tmp_path, MOVE, "move", {"dx": 1}, {"p": {"size": 1, "elements": [{"x": 2147483647, "y": 0}]}})
    kind, line = report(run, tmp_path / "user.c")
    assert "signed integer overflow" in kind and "2147483647" in kind and line == 3
    ok = replay(tmp_path, MOVE, "move", {"dx": 1}, {"p": {"size": 1, "elements": [{"x": 5, "y": 2147483647}]}})
    assert ok.returncode == 0, ok.output


def test_struct_object_of_zero_elements(tmp_path: Path) -> None:
    run = replay(tmp_path, MOVE, "move", {"dx": 1}, {"p": {"size": 0}})
    kind, line = report(run, tmp_path / "user.c")
    assert kind in ("heap-buffer-overflow", "use-after-poison") and line == 3


def test_overlapping_memcpy_through_an_alias(tmp_path: Path) -> None:
    source = ("#include <string.h>\nvoid shift(char *dst, const char *src, unsigned long n) {\n"
              "  memcpy(dst, src, n);\n}\n")
    objects = {"src": {"size": 4, "elements": [1, 2, 3, 4]}, "dst": {"alias": "src", "offset": 1}}
    run = replay(tmp_path, source, "shift", {"n": 2}, objects)
    assert report(run, tmp_path / "user.c") == ("memcpy-param-overlap", 3)


FREES = ("#include <stdlib.h>\nvoid release(int *p) {\n  free(p);\n  *p = 1;\n}\n"
         "void twice(int *p) {\n  free(p);\n  free(p);\n}\n"
         "void middle(int *p) {\n  free(p + 1);\n}\n")


@pytest.mark.parametrize("function, kind, needle", [
    ("release", "heap-use-after-free", "*p = 1"),
    ("twice", "attempting", "free(p);\n}"),
    ("middle", "attempting", "free(p + 1)"),
])
def test_heap_object_can_be_freed_by_the_function(tmp_path: Path, function: str, kind: str, needle: str) -> None:
    """The parameter's object is a real heap block: free, double free and invalid free replay."""
    run = replay(tmp_path, FREES, function, {}, {"p": {"size": 2}})
    found, line = report(run, tmp_path / "user.c")
    expected = FREES[:FREES.index(needle)].count("\n") + 1
    assert found == kind and line == expected


def test_pointer_global_gets_its_object(tmp_path: Path) -> None:
    source = "int *counter;\nvoid bump(void) {\n  *counter = *counter + 1;\n}\n"
    run = replay(tmp_path, source, "bump", {"counter": 99}, {"counter": {"size": 1, "elements": [2147483647]}})
    kind, line = report(run, tmp_path / "user.c")
    assert "signed integer overflow" in kind and line == 3
    null = replay(tmp_path, source, "bump", {}, {"counter": {"null": True}})
    kind, line = report(null, tmp_path / "user.c")
    assert "null pointer" in kind and line == 3


def test_array_parameter_and_typedef_pointer(tmp_path: Path) -> None:
    source = ("typedef const int *cursor_t;\nint pick(const int a[], cursor_t c, int i) {\n"
              "  return a[i] + *c;\n}\n")
    objects = {"a": {"size": 2, "elements": [1, 2]}, "c": {"alias": "a", "offset": 1}}
    run = replay(tmp_path, source, "pick", {"i": 2}, objects)
    assert report(run, tmp_path / "user.c") == ("heap-buffer-overflow", 3)
    clean = replay(tmp_path, source, "pick", {"i": 1}, objects)
    assert clean.returncode == 0, clean.output


def test_ilp32_replay(tmp_path: Path) -> None:
    run = replay(tmp_path, SUM, "sum", {"n": 2}, {"a": {"size": 1, "elements": [1]}}, data_model="ILP32")
    assert report(run, tmp_path / "user.c") == ("heap-buffer-overflow", line_of(SUM, "s += a[i]"))


def test_objects_round_trip_through_json() -> None:
    objects = (("a", {"size": 3, "elements": [1, 2, 3]}), ("b", {"alias": "a", "offset": 2}),
               ("p", {"size": 1, "elements": [{"x": 1, "y": -2}]}), ("q", {"null": True}))
    cx = Counterexample((("n", 4),), objects=objects)
    doc = json.loads(json.dumps(cx.to_json()))
    assert doc["objects"]["b"] == {"alias": "a", "offset": 2}
    assert Counterexample.from_json(doc) == cx
    assert hash(Counterexample.from_json(doc)) == hash(cx)
    assert Counterexample.from_json(doc) != Counterexample((("n", 4),), objects=objects[:3])
    assert "objects" not in Counterexample((("n", 4),)).to_json()
    assert Counterexample.from_json({"inputs": {"n": 4}, "objects": {}}) == Counterexample((("n", 4),))


@pytest.mark.parametrize("objects, message", [
    ({"a": {"alias": "nobody", "offset": 0}}, "no object"),
    ({"a": {"alias": "a", "offset": 0}}, "no object"),
    ({"a": {"size": 1, "elements": [1, 2]}}, "2 elements for size 1"),
    ({"n": {"null": True}}, "not a pointer"),
    ({"a": {"size": 1, "elements": [{"x; abort()": 1}]}}, "not a C identifier"),
])
def test_a_counterexample_the_harness_cannot_build_is_an_error(tmp_path: Path, objects: dict[str, Any],
                                                               message: str) -> None:
    cx = Counterexample((), objects=tuple(objects.items()))
    check = CheckResult("memory.bounds", Status.REFUTED, Span.of(2, 1, 2, 2), counterexample=cx)
    with pytest.raises(ValueError, match=re.escape(message)):
        harness_for(SUM, str(tmp_path / "user.c"), "sum", check, Options())


def test_an_assigns_harness_lists_the_locations_also_beside_a_frees_clause() -> None:
    """main notes the listed bytes before the call (a frees clause lets the function free, it
    does not empty the list), and wraps free only when freeing is not allowed."""
    from pathlib import Path

    from analysis.model import Status
    from analysis.options import Options
    from analysis.service import verify_text
    from analysis.testgen import harness_for

    path = Path(__file__).parent / "programs" / "mem_assigns.c"
    text = path.read_text()
    res = verify_text(text, str(path), Options(), only="set_and_drop_bad")
    (c,) = [c for f in res.functions for c in f.checks if c.id == "assigns.violated"]
    assert c.status is Status.REFUTED
    code = harness_for(text, str(path), "set_and_drop_bad", c, Options())
    assert "__pl_list(&(*p), sizeof(*p));" in code and "#define free(p) __pl_free(p)" not in code
