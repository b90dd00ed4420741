"""Ground truth for the memory corpus (tests/programs/mem_*.c and bench/memory-corpus/, issue 11 item 9), from outside
the engine: each known bug is run under ``gcc -fsanitize=address,undefined`` by a small driver
that calls the buggy function with the triggering input, and the sanitizer must report the right
kind of error at the right line of the corpus file; the same driver calling the fixed function
must run clean. Two fixed functions keep one hazard the engine cannot exclude without a
``\\separated`` precondition (called with overlapping buffers their memcpy is undefined): those
have no clean run. A second test ties the corpus annotations to these runs: a line the sanitizer
shows faulty is never annotated (or left implicitly) ``proved``.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.corpus import PROGRAMS, expectations
from tests.toolchain import asan_flags

# the slow programs (minutes per file) are benchmarks (bench/memory_corpus.py), not corpus tests
BENCH = Path(__file__).resolve().parent.parent / "bench" / "memory-corpus"


def _source(file: str) -> Path:
    return PROGRAMS / f"{file}.c" if (PROGRAMS / f"{file}.c").exists() else BENCH / f"{file}.c"


@dataclass(frozen=True)
class Bug:
    """A known bug: ``driver`` is the body of main with ``FN`` standing for the function it calls;
    with ``bad`` the sanitizer reports ``report`` at the first line of ``bad`` containing ``at``,
    where the corpus annotates ``check`` (refuted or unknown); with ``fixed`` (if any) it runs clean."""

    file: str
    bad: str
    fixed: str | None
    driver: str
    report: str
    at: str
    check: str

    @property
    def name(self) -> str:
        return f"{self.file}:{self.bad}"


BUGS = [
    Bug("mem_base64", "encode_bad", "encode", """
        unsigned char in[3] = {'M', 'a', 'n'};
        char *out = malloc(4);
        int r = FN(in, 3, out, 4);
        free(out);
        return r == 4 ? 0 : r == -1 ? 0 : 1;""",
        "heap-buffer-overflow", "out[4 * groups] = 0", "memory.bounds"),
    Bug("mem_ringbuf", "push_bad", "push", """
        int *slots = malloc(4 * sizeof *slots);
        struct ring r = {0, 0};
        int v = 0;
        for (int k = 0; k < 6; k++) {
          FN(&r, slots, 4, k);
          pop(&r, slots, 4, &v);
        }
        free(slots);
        return v != 5;""",
        "heap-buffer-overflow", "slots[r->tail & cap] = v", "memory.bounds"),
    Bug("mem_strutil", "trim_bad", "trim", """
        char *s = malloc(2);
        strcpy(s, " ");
        FN(s);
        int r = s[0];
        free(s);
        return r != 0;""",
        "heap-buffer-overflow", "while (s[n - 1] == ' ')", "memory.bounds"),
    Bug("mem_strutil", "join_bad", "join", """
        char *p = FN("ab", "c");
        int r = p != NULL && strcmp(p, "abc") != 0;
        free(p);
        return r;""",
        "heap-buffer-overflow", "memcpy(p + la, b, lb + 1)", "memory.bounds"),
    Bug("mem_strutil", "copy_bad", "copy", """
        char *d = malloc(1);
        FN(d, 1, "ab");
        int r = d[0];
        free(d);
        return r != 0;""",
        "heap-buffer-overflow", "dst[n] = 0", "memory.bounds"),
    Bug("mem_arena", "scratch_bad", "scratch", """
        return FN() != -1;""",
        "stack-buffer-overflow", "memset(b, 0, 12)", "memory.bounds"),
    Bug("mem_tokenizer", "first_words_bad", "first_words", """
        return FN("a b c d e", 9) != -1;""",
        "stack-buffer-overflow", "tokenize_bad(s, len, starts, 4)", "memory.bounds"),
    Bug("mem_json", "last_of_two_bad", "last_of_two", """
        return FN("[1,2,3]", 7) != -1;""",
        "stack-buffer-overflow", "read_ints_bad(s, len, vals, 2)", "memory.bounds"),
    Bug("mem_json", "read_ints_bad", "read_ints", """
        int vals[4];
        return FN("[2147483648]", 12, vals, 4) != -1;""",
        "runtime error: signed integer overflow", "v = v * 10", "overflow.signed.add"),
    Bug("mem_crypto_round", "encrypt_bad", "encrypt", """
        unsigned char *block = calloc(16, 1), *key = calloc(16, 1);
        int r = FN(block, 16, key, 16);
        free(block);
        free(key);
        return r;""",
        "heap-buffer-overflow", "key[i + r]", "memory.bounds"),
    Bug("mem_crypto_round", "ct_equal_bad", "ct_equal", """
        unsigned char *a = calloc(4, 1), *b = calloc(4, 1);
        int r = FN(a, b, 4);
        free(a);
        free(b);
        return r != 1;""",
        "heap-buffer-overflow", "diff |= a[i] ^ b[i]", "memory.bounds"),
    Bug("mem_list", "free_all_bad", "free_all", """
        struct node *head = push_front(push_front(NULL, 1), 2);
        int r = length(head);
        FN(head);
        return r != 2;""",
        "heap-use-after-free", "for (struct node *n = head", "memory.use-after-free"),
    Bug("mem_hash", "insert_bad", "insert", """
        int *keys = calloc(4, sizeof *keys);
        int r = FN(keys, 4, -1);
        free(keys);
        return r != 3;""",
        "heap-buffer-overflow", "if (keys[i] == 0 || keys[i] == key)", "memory.bounds"),
    Bug("mem_hash", "pair_bad", "pair", """
        int *t = FN(0, 1);
        return t != NULL;""",
        "attempting double-free", "free(keys); // e.g.", "memory.double-free"),
    Bug("mem_packet", "payload_bad", "payload", """
        unsigned char *pkt = malloc(3);
        unsigned char out[8];
        pkt[0] = 1; pkt[1] = 0; pkt[2] = 1;
        int r = FN(pkt, 3, out, 8);
        free(pkt);
        return r != -1;""",
        "heap-buffer-overflow", "memcpy(out, pkt + 3, plen)", "memory.bounds"),
    # aliasing hazards of the fixed functions
    Bug("mem_strutil", "copy", None, """
        char b[4] = "ab";
        FN(b + 1, 3, b);
        return 0;""",
        "memcpy-param-overlap", "memcpy(dst, src, n)", "memory.overlap"),
    Bug("mem_packet", "echo_in_place", None, """
        unsigned char pkt[8] = {1, 0, 4, 'a', 'b', 'c', 'd', 0};
        return FN(pkt, 8) != 4;""",
        "memcpy-param-overlap", "payload(pkt, len, pkt, len)", "memory.overlap"),
]


def _line_in(path: Path, function: str, text: str) -> int:
    """The first line containing ``text`` after the definition of ``function``."""
    lines = path.read_text().split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(rf"\w[\w\s\*]*\b{function}\(", line))
    return next(i + 1 for i in range(start, len(lines)) if text in lines[i])


def _run(tmp_path: Path, bug: Bug, function: str) -> tuple[int, str]:
    """Build the driver (it includes the corpus file) with ASan and UBSan, run it."""
    src, exe = tmp_path / f"{function}_driver.c", tmp_path / f"{function}_driver"
    src.write_text("#include <stdlib.h>\n#include <string.h>\n"
                   f'#include "{bug.file}.c"\n'
                   f"int main(void) {{{bug.driver.replace('FN', function)}\n}}\n")
    cc = subprocess.run(["gcc", "-std=gnu11", "-O0", *asan_flags(), "-I", str(PROGRAMS), "-I", str(BENCH), str(src), "-o", str(exe)],
                        capture_output=True, text=True, timeout=120)
    assert cc.returncode == 0, cc.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    return run.returncode, run.stdout + run.stderr


def _report_lines(output: str, path: Path) -> list[int]:
    """The lines of the corpus file the report points at: UBSan's ``FILE:LINE:COL: runtime error``,
    else AddressSanitizer's stack frames in the corpus file, innermost first (a bug inside a callee
    is annotated at the call, as the engine reports it)."""
    name = re.escape(path.name)
    ub = re.search(rf"{name}:(\d+):\d+: runtime error", output)
    if ub:
        return [int(ub.group(1))]
    return [int(m.group(1)) for m in re.finditer(rf"#\d+ .* in \w+ \S*{name}:(\d+)", output)]


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.name}:{b.check}" for b in BUGS])
def test_bug_is_real_and_fix_runs_clean(bug: Bug, tmp_path: Path) -> None:
    path = _source(bug.file)
    line = _line_in(path, bug.bad, bug.at)
    code, out = _run(tmp_path, bug, bug.bad)
    assert code != 0, f"{bug.bad} did not fail:\n{out}"
    assert bug.report in out, out
    assert line in _report_lines(out, path), f"expected the report at {path.name}:{line}:\n{out}"
    if bug.fixed is None:
        return
    code, out = _run(tmp_path, bug, bug.fixed)
    assert code == 0 and "ERROR: AddressSanitizer" not in out and "runtime error" not in out, \
        f"{bug.fixed} with the same input is not clean (exit {code}):\n{out}"


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.name}:{b.check}" for b in BUGS])
def test_faulty_line_is_not_expected_proved(bug: Bug) -> None:
    """Where the sanitizer shows the bug, the corpus expects ``refuted`` or ``unknown``: an
    unannotated check counts as expected proved, so the annotation must be there."""
    path = _source(bug.file)
    line = _line_in(path, bug.bad, bug.at)
    want = expectations(path).checks.get((bug.check, line))
    assert want in ("refuted", "unknown"), f"{path.name}:{line} {bug.check} is expected {want or 'proved'}"
