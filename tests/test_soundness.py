"""Differential soundness check: every "proved" is attacked with concrete inputs.

For each program of the corpus and of bench/svcomp-style, a fuzzing harness calls every
function with scalar parameters on boundary and random inputs (one forked child per input,
with a time limit), compiled with `gcc -fsanitize=undefined -fsanitize-recover=all`. Any
sanitizer report, failed assert or reached error function at a check that prooflens proved
is a soundness bug and fails the test.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from analysis.model import FileResult, Status
from analysis.options import Options
from tests.corpus import PROGRAMS, expectations, verified

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "svcomp-style"
FILES = sorted(PROGRAMS.glob("*.c")) + sorted(BENCH.glob("*.c"))
SAMPLES = 150

UBSAN_KINDS = [
    ("signed integer overflow", "overflow"), ("negation of", "overflow"),
    ("division by zero", "div-by-zero"), ("division of", "overflow"),
    ("shift exponent", "shift"), ("left shift", "shift"),
    ("out of bounds", "bounds"),
]

FUZZ_PRELUDE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/time.h>
static unsigned long long __pl_state = 88172645463325252ULL;
static long long __pl_rand(void) {
  static const long long edges[] = {0, 1, -1, 2, -2, 3, 5, 7, 10, 100, 255, 256, 1000, -1000, 65535, 65536,
    2147483647LL, -2147483647LL - 1, 2147483646LL, -2147483647LL, 4294967295LL, 9223372036854775807LL,
    -9223372036854775807LL - 1, 46340, -46340, 32767, -32768, 127, -128};
  __pl_state ^= __pl_state << 13; __pl_state ^= __pl_state >> 7; __pl_state ^= __pl_state << 17;
  unsigned long long r = __pl_state;
  switch (r % 4) {
    case 0: return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    case 1: return (long long)(r >> 8) % 201 - 100;
    case 2: return (int)(r >> 16);
    default: return (long long)(r >> 3);
  }
}
#define __pl_assert(n, p) ((p) ? (void)0 : (void)fprintf(stderr, "PLFAIL assert %d\n", __LINE__))
#define __pl_assume(n, p) ((p) ? (void)0 : _exit(0))
#define __pl_requires(n, p) ((p) ? (void)0 : _exit(0))
#define __pl_ensures(n, p) ((void)0)
#define __pl_decreases(n, e) ((void)0)
#define __pl_invariant(n, p) ((void)0)
#define __pl_variant(n, e) ((void)0)
#define __pl_implies(a, b) (!(a) || (b))
#define __pl_iff(a, b) (!(a) == !(b))
#define __pl_old(e) (e)
#define __pl_unsupported_asm() ((void)0)
"""


def _nondet_defs(text: str) -> list[str]:
    from analysis.testgen import NONDET_C_TYPES

    out = []
    for suffix, ctype in NONDET_C_TYPES.items():
        name = f"__VERIFIER_nondet_{suffix}"
        if re.search(r"\b" + name + r"\b", text):
            out.append(f"{ctype} {name}(void) {{ return ({ctype})__pl_rand(); }}")
    return out


def fuzz_harness(text: str, path: Path, result: FileResult, options: Options) -> tuple[str, list[str]] | None:
    """The harness source and the functions it calls (index = argv[1])."""
    from analysis.frontend.annotations import rewrite_annotations
    from analysis.service import functions_of, split_text
    from analysis.testgen import _has_syntax_error, _param_decls, prepare_source

    source, _ = prepare_source(rewrite_annotations(text).text)
    split = split_text(text, str(path), options)
    targets: list[tuple[str, list[tuple[str, str]]]] = []
    for unit in functions_of(split):
        name = unit.name or ""
        if name in ("reach_error", "__VERIFIER_error", "__VERIFIER_assert", "__VERIFIER_assume") or \
                name.startswith("__VERIFIER_nondet_") or _has_syntax_error(split, unit, options):
            if _has_syntax_error(split, unit, options) or name.startswith("__VERIFIER_nondet_") or name in (
                    "reach_error", "__VERIFIER_error"):
                lines = source.split("\n")
                for i in range(unit.span.start.line - 1, min(unit.span.end.line, len(lines))):
                    lines[i] = ""
                source = "\n".join(lines)
            continue
        params = _param_decls(text, str(path), name, options)
        if all(re.fullmatch(r"(const\s+)?(signed\s+|unsigned\s+)?(char|short|int|long|long long|_Bool|bool|"
                            r"unsigned|long int|short int|long long int|size_t|int\d+_t|uint\d+_t)\s+\w+", d.strip())
               for _, d in params):
            targets.append((name, params))
    if not targets:
        return None
    defined = {u.name for u in functions_of(split)}
    out = [FUZZ_PRELUDE, *_nondet_defs(text),
           'void reach_error(void) { fprintf(stderr, "PLFAIL reach\\n"); _exit(0); }',
           'void __VERIFIER_error(void) { fprintf(stderr, "PLFAIL reach\\n"); _exit(0); }',
           'void __pl_unmodelled_stub(void) { _exit(0); }']
    if "__VERIFIER_assume" not in defined:
        out.append("void __VERIFIER_assume(int c) { if (!c) _exit(0); }")
    if "__VERIFIER_assert" not in defined:
        out.append('void __VERIFIER_assert(int c) { if (!c) fprintf(stderr, "PLFAIL vassert\\n"); }')
    from analysis.testgen import _PROTOTYPE

    out.append('#pragma GCC diagnostic ignored "-Wattribute-alias"')
    for unit in split.units:  # declared-only functions link to a stub that ends the child
        if unit.kind.value == "declaration" and unit.in_user_file:
            for m in _PROTOTYPE.finditer(unit.text):
                if m.group(1) not in defined and not m.group(1).startswith("__VERIFIER_") and \
                        m.group(1) not in ("reach_error",):
                    out.append(f"#pragma weak {m.group(1)} = __pl_unmodelled_stub")
    out.append("#define main __prooflens_user_main")
    out.append(f'#line 1 "{path.name}"')
    out.append(source)
    out.append("#undef main")
    out.append('#line 100000 "fuzz-main"')
    out.append("int main(int argc, char **argv) {")
    out.append("  int which = atoi(argv[1]);")
    out.append(f"  for (int k = 0; k < {SAMPLES}; k++) {{")
    out.append("    long long seeds[8]; for (int s = 0; s < 8; s++) seeds[s] = __pl_rand();")
    out.append("    pid_t pid = fork();")
    out.append("    if (pid == 0) { struct itimerval t = {{0, 0}, {0, 50000}}; setitimer(ITIMER_REAL, &t, 0);")
    out.append("      switch (which) {")
    for i, (name, params) in enumerate(targets):
        sets = " ".join(f"{d}; {n} = ({d.rsplit(' ', 1)[0]})seeds[{j % 8}];" for j, (n, d) in enumerate(params))
        callee = "__prooflens_user_main" if name == "main" else name
        out.append(f"        case {i}: {{ {sets} {callee}({', '.join(n for n, _ in params)}); break; }}")
    out.append("      }")
    out.append("      _exit(0);")
    out.append("    }")
    out.append("    int status; waitpid(pid, &status, 0);")
    out.append("  }")
    out.append("  return 0;")
    out.append("}")
    return "\n".join(out) + "\n", [n for n, _ in targets]


def violations(path: Path) -> tuple[list[str], int]:
    text = path.read_text()
    options = expectations(path).options if path.parent == PROGRAMS else Options()
    result = verified(path, options)
    built = fuzz_harness(text, path, result, options)
    if built is None:
        return [], 0
    code, names = built
    by_fn = {f.name: f for f in result.functions}
    found: list[str] = []
    attacked = 0
    with tempfile.TemporaryDirectory(prefix="prooflens-fuzz-") as d:
        src, exe = Path(d) / "fuzz.c", Path(d) / "fuzz"
        src.write_text(code)
        flags = ["-m32"] if options.data_model == "ILP32" else []
        cc = subprocess.run(["gcc", "-std=gnu11", "-w", "-O0", "-fsanitize=undefined", "-fsanitize-recover=all",
                             *flags, "-I", str(path.parent), str(src), "-o", str(exe)],
                            capture_output=True, text=True, timeout=120)
        if cc.returncode != 0:
            if "-m32" in flags:
                return [], 0  # no 32-bit toolchain here: nothing to attack with
            raise AssertionError(f"fuzz harness for {path.name} does not compile:\n{cc.stderr[-1500:]}")
        for i, name in enumerate(names):
            fn = by_fn.get(name)
            if fn is None:
                continue
            proved = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is Status.PROVED}
            open_ = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is not Status.PROVED}
            attacked += len(proved)
            try:
                run = subprocess.run([str(exe), str(i)], capture_output=True, text=True, timeout=SAMPLES * 1.2 + 30)
            except subprocess.TimeoutExpired:
                continue
            for m in re.finditer(rf"{re.escape(path.name)}:(\d+):\d+: runtime error: ([^\n]*)", run.stderr):
                line, msg = int(m.group(1)), m.group(2)
                kind = next((k for needle, k in UBSAN_KINDS if needle in msg), None)
                if kind and (line, kind) in proved and (line, kind) not in open_:
                    found.append(f"{path.name}:{line} {name}: proved {kind}, but: {msg}")
            all_checks = {c.kind.value: c.status for c in fn.checks}
            if "PLFAIL reach" in run.stderr and all(c.status is Status.PROVED for c in fn.checks
                                                     if c.kind.value == "reach-error") and "reach-error" in all_checks:
                found.append(f"{path.name} {name}: reach-error proved unreachable, but reached")
            if "PLFAIL vassert" in run.stderr and all(c.status is Status.PROVED for c in fn.checks
                                                       if c.kind.value == "assert") and "assert" in all_checks:
                found.append(f"{path.name} {name}: asserts proved, but one failed")
    return found, attacked


TOTALS: Counter[str] = Counter()


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_no_proved_check_fails_on_concrete_inputs(path: Path) -> None:
    found, attacked = violations(path)
    TOTALS["attacked"] += attacked
    assert not found, "\n".join(found)
