"""Concrete attack on "proved" checks, shared by test_soundness and the mutation campaign.

A fuzzing harness calls every function with scalar parameters on boundary and random inputs
(one forked child per input, with a time limit), compiled with
`gcc -fsanitize=undefined -fsanitize-recover=all`. The harness and the report parsing live here
(not in a test module) so that tests/mutation.py and bench/mutation.py can import them.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from analysis.model import FileResult
from analysis.options import Options
from tests.toolchain import m32_flags

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

# judge mode (mark_runs): invariants, preconditions of callees and postconditions report too;
# a failed `requires` of the called function itself only filters the input
JUDGE_MACROS = r"""
#undef __pl_requires
#define __pl_requires(n, p) ((p) ? (void)0 : (fprintf(stderr, "PLFAIL requires %d %s\n", n, __func__), _exit(0)))
#undef __pl_invariant
#define __pl_invariant(n, p) ((p) ? (void)0 : (void)fprintf(stderr, "PLFAIL invariant %d\n", n))
"""

# a child announces its input before running (mark_runs): "PLRUN <k> <seed0> ... <seed7>"
RUN_MARK = re.compile(r"^PLRUN (\d+)((?: -?\d+){8})$", re.M)


def _nondet_defs(text: str) -> list[str]:
    from analysis.testgen import NONDET_C_TYPES

    out = []
    for suffix, ctype in NONDET_C_TYPES.items():
        name = f"__VERIFIER_nondet_{suffix}"
        if re.search(r"\b" + name + r"\b", text):
            out.append(f"{ctype} {name}(void) {{ return ({ctype})__pl_rand(); }}")
    return out


def fuzz_harness(text: str, path: Path, result: FileResult, options: Options, samples: int = SAMPLES,
                 mark_runs: bool = False) -> tuple[str, list[str]] | None:
    """The harness source and the functions it calls (index = argv[1]).

    With ``mark_runs`` every child first prints a ``PLRUN`` line with its seeds, so that each
    report can be tied to one execution (and its input)."""
    from analysis.frontend.annotations import rewrite_annotations
    from analysis.service import functions_of, split_text
    from analysis.testgen import VALID_MACROS, _has_syntax_error, _param_decls, lower_memory_specs, prepare_source

    rewritten = rewrite_annotations(text).text
    if mark_runs:
        from analysis.testgen import inject_invariants

        rewritten = inject_invariants(rewritten)
    source, ensures = prepare_source(lower_memory_specs(rewritten))
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
    out = [FUZZ_PRELUDE + VALID_MACROS + (JUDGE_MACROS if mark_runs else ""), *_nondet_defs(text),
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
    if mark_runs:  # optional: only run number argv[2], with a timer of argv[3] microseconds
        out.append("  int only = argc > 2 ? atoi(argv[2]) : -1; long usec = argc > 3 ? atol(argv[3]) : 50000;")
    else:
        out.append("  int only = -1; long usec = 50000;")
    out.append(f"  for (int k = 0; k < {samples}; k++) {{")
    out.append("    long long seeds[8]; for (int s = 0; s < 8; s++) seeds[s] = __pl_rand();")
    out.append("    if (only >= 0 && k != only) continue;")
    out.append("    pid_t pid = fork();")
    out.append("    if (pid == 0) { struct itimerval t = {{0, 0}, {usec / 1000000, usec % 1000000}}; "
               "setitimer(ITIMER_REAL, &t, 0);")
    if mark_runs:
        out.append('      fprintf(stderr, "\\nPLRUN %d %lld %lld %lld %lld %lld %lld %lld %lld\\n", k, seeds[0], '
                   "seeds[1], seeds[2], seeds[3], seeds[4], seeds[5], seeds[6], seeds[7]);")
    out.append("      switch (which) {")
    for i, (name, params) in enumerate(targets):
        sets = " ".join(f"{d}; {n} = ({d.rsplit(' ', 1)[0]})seeds[{j % 8}];" for j, (n, d) in enumerate(params))
        callee = "__prooflens_user_main" if name == "main" else name
        call = f"{callee}({', '.join(n for n, _ in params)})"
        ens = ensures.get(name, []) if mark_runs else []
        if ens:
            call = _checked_call(call, ens, returns_void(text, path, name, options))
        out.append(f"        case {i}: {{ {sets} {call}; break; }}")
    out.append("      }")
    out.append("      _exit(0);")
    out.append("    }")
    out.append("    int status; waitpid(pid, &status, 0);")
    if mark_runs:
        out.append('    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) fprintf(stderr, "\\nPLTIMEOUT %d\\n", k);')
    out.append("  }")
    out.append("  return 0;")
    out.append("}")
    return "\n".join(out) + "\n", [n for n, _ in targets]


def returns_void(text: str, path: Path, name: str, options: Options) -> bool:
    from analysis.testgen import _signature

    return _signature(text, str(path), name, options)[1]


def _checked_call(call: str, ensures: list[str], void: bool) -> str:
    """The call followed by its postconditions (\\old(v) is v's value before the call, as in testgen)."""
    from analysis.testgen import capture_olds

    saved, ensures = capture_olds(ensures)
    pre = " ".join(saved)
    checks = " ".join(f'if (!({e})) fprintf(stderr, "PLFAIL ensures\\n");' for e in ensures)
    run = f"{call};" if void else f"__typeof__({call}) __pl_result = {call};"
    return f"{pre} {run} {checks}"


def compile_fuzz(code: str, path: Path, options: Options, workdir: Path,
                 cflags: tuple[str, ...] = ()) -> tuple[Path | None, str]:
    """Build the harness in ``workdir``: the executable (None if it does not build) and gcc's errors."""
    src, exe = workdir / "fuzz.c", workdir / "fuzz"
    src.write_text(code)
    flags = m32_flags(options.data_model)
    cc = subprocess.run(["gcc", "-std=gnu11", "-w", "-O0", "-fsanitize=undefined", "-fsanitize-recover=all",
                         *flags, *cflags, "-I", str(path.parent), str(src), "-o", str(exe)],
                        capture_output=True, text=True, timeout=120)
    return (exe if cc.returncode == 0 else None), cc.stderr


_FOLD_WARNINGS = ("-Woverflow", "-Wdiv-by-zero", "-Wshift-count-overflow", "-Wshift-count-negative",
                  "-Wshift-overflow=2")


def folded_ub_lines(code: str, path: Path, options: Options, workdir: Path) -> dict[int, str]:
    """Lines of the program where gcc evaluates undefined behaviour at compile time (constant
    folding: `-2147483647 - 2`, `1 << 31`), with its kind: UBSan never sees these at run time,
    so a run goes on past them silently."""
    src = workdir / "fold.c"
    src.write_text(code)
    flags = m32_flags(options.data_model)
    cc = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", *_FOLD_WARNINGS, *flags, "-I", str(path.parent),
                         str(src)], capture_output=True, text=True, timeout=120)
    out: dict[int, str] = {}
    for m in re.finditer(rf"{re.escape(path.name)}:(\d+):\d+: warning: ([^\n]*)", cc.stderr):
        msg = m.group(2)
        kind = ("overflow" if "overflow in expression" in msg else "div-by-zero" if "division by zero" in msg
                else "shift" if "shift" in msg or "requires" in msg else None)
        if kind:
            out[int(m.group(1))] = kind
    return out


@dataclass(frozen=True)
class Event:
    """The first failure of one execution: where (line in the program, 0 if unknown) and what kind."""

    run: int
    seeds: tuple[int, ...]
    line: int
    kind: str  # a CheckKind value: overflow, div-by-zero, shift, bounds, assert, reach-error
    message: str


_FIRST = re.compile(r"(?P<ub>(?P<file>[^\s:]+):(?P<line>\d+):\d+: runtime error: (?P<msg>[^\n]*))"
                    r"|(?P<pl>PLFAIL (?P<what>reach|vassert|assert|invariant|ensures|requires)"
                    r"(?: (?P<aline>\d+))?(?: (?P<func>\w+))?)"
                    r"|(?P<abort>(?P<afile>[^\s:]+):(?P<aaline>\d+): [^\n]*Assertion `[^\n]*' failed)"
                    r"|(?P<timeout>^PLTIMEOUT \d+$)", re.M)
_PL_KINDS = {"reach": "reach-error", "vassert": "assert", "assert": "assert", "invariant": "invariant",
             "ensures": "postcondition", "requires": "precondition"}


def first_events(stderr: str, filename: str, invariant_lines: dict[int, int] | None = None) -> list[Event]:
    """One event per marked execution: its first failure (later ones follow undefined behaviour
    or a failed assertion, executions that prooflens does not reason about).

    Kinds are CheckKind values, plus "timeout" (the child was still running at its time limit).
    An invariant's event carries the line of its annotation (``invariant_lines``: number -> line);
    a precondition's event names the function whose `requires` failed in ``message``."""
    marks = list(RUN_MARK.finditer(stderr))
    out: list[Event] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(stderr)
        seg = stderr[m.end():end]
        run, seeds = int(m.group(1)), tuple(int(s) for s in m.group(2).split())
        for f in _FIRST.finditer(seg):
            if f.group("ub"):
                if Path(f.group("file")).name != filename:
                    break  # a failure outside the program (harness code): not a check
                msg = f.group("msg")
                kind = next((k for needle, k in UBSAN_KINDS if needle in msg), "other")
                out.append(Event(run, seeds, int(f.group("line")), kind, msg))
            elif f.group("pl"):
                what = f.group("what")
                line = int(f.group("aline") or 0)
                if what == "invariant":
                    line = (invariant_lines or {}).get(line, 0)
                msg = f"PLFAIL {what}" + (f" in {f.group('func')}" if f.group("func") else "")
                out.append(Event(run, seeds, 0 if what == "requires" else line, _PL_KINDS[what], msg))
            elif f.group("abort"):
                out.append(Event(run, seeds, int(f.group("aaline")), "assert", "assert() failed"))
            else:
                out.append(Event(run, seeds, 0, "timeout", "still running at the time limit"))
            break
    return out
