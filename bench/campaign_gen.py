"""Seeded random generator of small C functions with an execution oracle (stdlib only).

Each generated program is one function `fN` (plus small static helpers) in its own file:

- `void fN(void)`: deterministic; one run decides every assert;
- `int fN(int a, unsigned b, ...)`: parameters are restricted by guards at the top
  (`if (!(a >= -3 && a < 12)) return 0;`), and the compiled function is run on EVERY input of
  that small domain, so the truth of each assert is exact: true if it held on all of them.

Programs are built in two steps. First a probe build prints the values of the variables at a
few top-level points (one run per input). From those values, asserts are proposed (about half
of them true: `x == v`, `x == v + 1`, bounds over all inputs, implications on one input,
relations between variables). Then the final program (the file given to prooflens) is compiled
again as the oracle build: `assert(e)` becomes `__oracle(__LINE__, e)`, which counts reached and
failed asserts per line and, like a failing C assert, ends that execution (longjmp back to the
input loop). Both builds use `gcc -O0 -fsanitize=undefined -fno-sanitize-recover=all`: a program
that traps on undefined behaviour, crashes or runs longer than the time limit is discarded.

Memory programs (MemGen: pointers, arrays, helpers with pointer parameters, the heap, strings) are
built the same way under AddressSanitizer and UBSan, one forked child per input; a memory error
ends that input's execution like a failing assert and is recorded (`Program.faults`: kind, line in
the function, how many inputs), any other undefined behaviour discards the program.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GCC_FLAGS = ["-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all"]
RUN_TIMEOUT = 2.0
MAX_DOMAIN = 1500  # exhaustive input enumeration up to this many inputs
DET_WORK = 3_000_000  # total loop iterations allowed in a deterministic function
INPUT_WORK = 20_000_000  # domain size x loop iterations for an input-taking function

# name -> (bits, signed)
TYPES: dict[str, tuple[int, bool]] = {
    "int": (32, True), "unsigned": (32, False), "long": (64, True), "unsigned long": (64, False),
    "short": (16, True), "unsigned short": (16, False), "char": (8, True), "unsigned char": (8, False),
}
SCALAR_WEIGHTS = [("int", 6), ("unsigned", 4), ("long", 2), ("unsigned long", 1), ("short", 1),
                  ("unsigned short", 1), ("char", 1), ("unsigned char", 1)]
PARAM_TYPES = ["int", "unsigned", "char", "short", "long"]


def gcc_available() -> bool:
    return shutil.which("gcc") is not None


def memory_toolchain_available() -> bool:
    """Can memory programs get their ground truth here: gcc's AddressSanitizer runs, addr2line exists?"""
    if not gcc_available() or shutil.which("addr2line") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="campaign-asan-") as d:
        src, exe = Path(d) / "probe.c", Path(d) / "probe"
        src.write_text("#include <stdlib.h>\nint main(void) { free(malloc(1)); return 0; }\n")
        cc = subprocess.run(["gcc", *MEMORY_GCC_FLAGS, "-o", str(exe), str(src)], capture_output=True)
        return cc.returncode == 0 and subprocess.run([str(exe)], capture_output=True, timeout=60).returncode == 0


def lit(v: int) -> str:
    """A C literal (or constant expression) whose value is v, typed wide enough to hold it."""
    if 0 <= v < 2**31:
        return str(v)
    if -(2**31) < v < 0:
        return f"({v})"
    if v == -(2**31):
        return "(-2147483647 - 1)"
    if 0 <= v < 2**63:
        return f"{v}L"
    if -(2**63) < v < 0:
        return f"({v}L)"
    if v == -(2**63):
        return "(-9223372036854775807L - 1)"
    if 0 <= v < 2**64:
        return f"{v}UL"
    raise ValueError(v)


def representable(v: int) -> bool:
    return -(2**63) <= v < 2**64


@dataclass
class Var:
    name: str
    ctype: str
    size: int = 0  # > 0 for an array of that many elements
    probed: bool = True  # False: a pointer into another array (its elements are probed there)

    @property
    def signed(self) -> bool:
        return TYPES[self.ctype][1]


@dataclass
class Probe:
    k: int
    names: list[tuple[str, bool]]  # (C lvalue, signed)
    indent: str


Line = str | Probe


@dataclass
class Fault:
    """A memory error that the sanitizers reported on some inputs, where fN was running."""

    line: int  # the line in fN (of the faulting access, or of the call that led to it)
    kind: str  # one of FAULT_CHECKS' keys
    inputs: int  # how many inputs of the domain ended with it there
    frame: str  # the report's first stack frame in the program file, "function:line"
    report: str  # the report's first line


@dataclass
class Program:
    """A generated program whose asserts have a known truth."""

    name: str  # file stem
    seed: int
    func: str
    source: str
    deterministic: bool
    domain_size: int
    exhaustive: bool
    truth: dict[int, bool]  # assert line -> holds on every (enumerated) execution
    reached: dict[int, int]  # assert line -> number of executions that reached it
    ub_free: bool = True  # no undefined behaviour other than the memory errors in `faults`
    meta: dict[str, str] = field(default_factory=dict)
    memory: bool = False  # a pointer/array/heap program (run under AddressSanitizer)
    faults: list[Fault] = field(default_factory=list)  # memory errors AddressSanitizer saw


@dataclass
class OracleRun:
    ok: bool
    reason: str  # "ub", "timeout", "crash", "compile", "" when ok
    stdout: str = ""
    stderr: str = ""
    faults: list[Fault] = field(default_factory=list)  # memory programs: the errors that ended inputs


class Gen:
    def __init__(self, seed: int, func: str, small: bool = False) -> None:
        self.rng = random.Random(seed)
        self.small = small  # fewer statements and shallower nesting (the CI sample)
        self.seed = seed
        self.func = func
        self.deterministic = self.rng.random() < 0.5
        self.params: list[tuple[str, str, int, int]] = []  # name, type, lo, hi (exclusive)
        self.locals: list[Var] = []
        self.arrays: list[Var] = []
        self.helpers: list[str] = []
        self.headers: list[str] = []  # #include lines after <assert.h>
        self.helper_sigs: list[tuple[str, int]] = []
        self.loopvars: list[str] = []
        self.nprobes = 0
        self.loop_depth = 0
        self.domain = 1
        self.counter = 0
        self.depth = 0  # nesting of compound statements
        self.simple = self.rng.choice([0.3, 0.6, 0.9])  # share of counter/sum updates
        self.false_probe = 0  # the probe that gets a (probably) false assert, 0: none
        # gotos (out of loops, and loops made of a backward goto) draw from their own stream, so
        # that the rest of a seed's program stays what it was before they existed
        self.grng = random.Random(seed * 7919 + 13)
        self.exits: list[str] = []  # labels right after the enclosing loops that have one
        self.nlabels = 0

    # ---------------------------------------------------------------- expressions
    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def readable(self) -> list[str]:
        names = [v.name for v in self.locals] + [p[0] for p in self.params] + self.loopvars
        return names

    def const(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return str(self.rng.randint(0, 20))
        if r < 0.75:
            return f"{self.rng.randint(0, 300)}u"
        if r < 0.85:
            return lit(-self.rng.randint(1, 50))
        return str(self.rng.choice([127, 255, 1000, 65535, 100000, 0x7fff]))

    def leaf(self) -> str:
        r = self.rng.random()
        if r < 0.75:
            return self.rng.choice(self.readable())
        if r < 0.85 and self.arrays:
            arr = self.rng.choice(self.arrays)
            return f"{arr.name}[{self.index(arr)}]"
        return self.const()

    def index(self, arr: Var) -> str:
        e = self.rng.choice(self.readable()) if self.rng.random() < 0.8 else self.expr(1)
        return f"(unsigned)({e}) % {arr.size}u"

    def expr(self, depth: int = 1) -> str:
        if depth <= 0 or self.rng.random() < 0.35:
            return self.leaf()
        a = self.expr(depth - 1)
        b = self.expr(depth - 1)
        r = self.rng.random()
        if r < 0.3:
            op = self.rng.choice(["+", "-", "*", "+", "-"])
            if self.rng.random() < 0.75:  # wrap-around arithmetic through unsigned
                return f"(int)((unsigned)({a}) {op} (unsigned)({b}))"
            return f"({a} {op} {b})"
        if r < 0.45:
            op = self.rng.choice(["&", "|", "^"])
            return f"({a} {op} {b})"
        if r < 0.55:
            op = self.rng.choice(["/", "%"])
            if self.rng.random() < 0.5:
                return f"({a} {op} ((int)((unsigned)({b}) % 7u) + 1))"
            return f"((unsigned)({a}) {op} ((unsigned)({b}) % 9u + 1u))"
        if r < 0.65:
            amount = f"((unsigned)({b}) % {self.rng.choice([3, 5, 8, 13])}u)"
            if self.rng.random() < 0.5:
                return f"((unsigned)({a}) << {amount})"
            return f"({a} >> {amount})"
        if r < 0.75:
            t = self.rng.choice(["char", "unsigned char", "short", "unsigned short", "unsigned", "int", "long"])
            return f"({t})({a})"
        if r < 0.82:
            return f"({self.cond(depth - 1)} ? {a} : {b})"
        if r < 0.88 and self.helper_sigs:
            name, arity = self.rng.choice(self.helper_sigs)
            args = ", ".join(self.expr(depth - 1) for _ in range(arity))
            return f"{name}({args})"
        if r < 0.94:
            return f"(~{a})"
        return f"({self.cond(depth - 1)})"

    def cond(self, depth: int = 1) -> str:
        r = self.rng.random()
        a = self.expr(depth)
        if r < 0.5:
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"{a} {op} {self.expr(depth) if self.rng.random() < 0.5 else self.const()}"
        if r < 0.8:
            return f"((unsigned)({a}) % {self.rng.randint(2, 7)}u) == {self.rng.randint(0, 1)}u"
        if r < 0.9:
            return f"({a} & {self.rng.choice([1, 2, 4, 8, 16])}) != 0"
        return f"({self.cond(0)} {self.rng.choice(['&&', '||'])} {self.cond(0)})"

    # ---------------------------------------------------------------- statements
    def target(self) -> Var:
        return self.rng.choice(self.locals)

    def simple_assign(self) -> str:
        """Counters and sums: the updates that loop invariants and closed forms are made for."""
        v = self.target()
        r = self.rng.random()
        if self.loopvars and r < 0.3 and v.ctype in ("long", "unsigned", "unsigned long"):
            return f"{v.name} += {self.rng.choice(self.loopvars)};"
        if self.loopvars and r < 0.4:
            return f"{v.name} = {self.rng.choice(self.loopvars)};"
        if r < 0.75:
            k = self.rng.choice([1, 1, 1, 2, 3, 5, 7])
            return self.rng.choice([f"{v.name}++;", f"{v.name} += {k};", f"{v.name} -= {k};",
                                    f"{v.name} = {v.name} + {k};"])
        if r < 0.85:
            return f"{v.name} = {lit(self.rng.randint(-3, 40) if v.signed else self.rng.randint(0, 40))};"
        w = self.target()
        return f"{v.name} = {w.name} {self.rng.choice(['+', '-', '^', '&'])} {self.rng.randint(0, 9)};"

    def assign(self) -> str:
        if self.rng.random() < self.simple:
            return self.simple_assign()
        r = self.rng.random()
        if r < 0.2 and self.arrays:
            arr = self.rng.choice(self.arrays)
            return f"{arr.name}[{self.index(arr)}] = {self.expr()};"
        v = self.target()
        if r < 0.55:
            return f"{v.name} = {self.expr()};"
        op = self.rng.choice(["+=", "-=", "^=", "|=", "&=", "+=", "^="])
        if v.signed and op in ("+=", "-=") and v.ctype in ("int", "long") and self.rng.random() < 0.8:
            cast = "unsigned" if v.ctype == "int" else "unsigned long"
            sign = "+" if op == "+=" else "-"
            return f"{v.name} = ({v.ctype})(({cast}){v.name} {sign} ({cast})({self.expr()}));"
        if v.signed and op in ("+=", "-=") and v.ctype in ("int", "long"):
            return f"{v.name} {op} {self.expr(1)} % 16;"
        return f"{v.name} {op} {self.expr()};"

    def block(self, n: int, ind: str, top: bool = False) -> list[Line]:
        out: list[Line] = []
        for _ in range(n):
            out += self.stmt(ind, top)
            if top and self.rng.random() < 0.35:
                out.append(self.probe(ind))
        return out

    def probe(self, ind: str) -> Probe:
        self.nprobes += 1
        names: list[tuple[str, bool]] = [(v.name, v.signed) for v in self.locals]
        names += [(p[0], TYPES[p[1]][1]) for p in self.params]
        for arr in self.arrays:
            if not arr.probed:
                continue
            for i in range(arr.size):
                names.append((f"{arr.name}[{i}]", arr.signed))
        return Probe(self.nprobes, names, ind)

    def loop_bound(self) -> tuple[str, int]:
        """A loop bound (C text) and its largest value, within the work budget."""
        budget = DET_WORK if self.deterministic else INPUT_WORK // max(self.domain, 1)
        outer = 1
        for m in self.mults:
            outer *= m
        room = max(budget // max(outer, 1), 1)
        params_int = [p for p in self.params if p[1] in ("int", "unsigned", "short", "char", "long")]
        if params_int and self.rng.random() < 0.35:
            p = self.rng.choice(params_int)
            hi = max(p[3] - 1, 0) + 3
            if hi <= room:
                return (f"{p[0]} + {self.rng.randint(0, 3)}" if self.rng.random() < 0.5 else p[0]), hi + 3
        choices = [3, 4, 5, 7, 8, 10, 12, 13, 16, 20, 30, 50, 64, 100, 200, 255, 256, 1000, 1024, 4096,
                   10000, 65536, 100000]
        if self.loop_depth == 0 and self.rng.random() < 0.5:
            choices = [c for c in choices if c >= 13]
        ok = [c for c in choices if c <= room]
        if not ok:
            return "3", 3
        b = self.rng.choice(ok)
        return str(b), b

    def loop(self, ind: str) -> list[Line]:
        bound, bmax = self.loop_bound()
        iv = self.fresh("i")
        ty = self.rng.choice(["int", "unsigned", "int", "long"])
        self.mults.append(bmax)
        self.loop_depth += 1
        self.loopvars.append(iv)
        body: list[Line] = []
        n = self.rng.randint(1, 2)
        kind = self.rng.random()
        inner = ind + "  "
        by_goto = self.grng.random() < GOTO_LOOP_RATE  # written as `again: ... if (i < n) goto again;`
        exit_label = self._label("out") if self.grng.random() < GOTO_EXIT_RATE else None
        if exit_label:
            self.exits.append(exit_label)
        if self.rng.random() < 0.35:
            jump = f"{inner}if ({self.cond()}) {self.rng.choice(['break', 'continue'])};"
            if not by_goto:  # (the drawing above keeps the main stream as it was)
                body.append(jump)
        body += self.block(n, inner)
        if self.rng.random() < 0.25:
            jump = f"{inner}if ({self.cond()}) break;"
            if not by_goto:
                body.append(jump)
        if self.exits and self.grng.random() < 0.6:
            target = self.grng.choice(self.exits)
            var = self.grng.choice([iv, *(v.name for v in self.locals if v.name not in self.loopvars)])
            at = self.grng.randint(0, len(body))
            body.insert(at, f"{inner}if ({var} == {self.grng.randint(0, 5)}) goto {target};")
        if exit_label:
            self.exits.pop()
        self.loopvars.pop()
        self.loop_depth -= 1
        self.mults.pop()
        after = [f"{ind}{exit_label}:;"] if exit_label else []
        if by_goto:
            again = self._label("again")
            return [f"{ind}{ty} {iv} = 0;", f"{ind}{again}:", f"{ind}{iv}++;", *body,
                    f"{ind}if ({iv} < {bound}) goto {again};", *after]
        if kind < 0.6:
            head = f"{ind}for ({ty} {iv} = 0; {iv} < {bound}; {iv}++) {{"
            return [head, *body, f"{ind}}}", *after]
        if kind < 0.75:
            head = f"{ind}for ({ty} {iv} = {bound}; {iv} > 0; {iv}--) {{"
            return [head, *body, f"{ind}}}", *after]
        if kind < 0.9:
            # the counter moves first, so that `continue` cannot skip it
            return [f"{ind}{ty} {iv} = 0;", f"{ind}while ({iv} < {bound}) {{", f"{ind}  {iv}++;", *body,
                    f"{ind}}}", *after]
        return [f"{ind}{ty} {iv} = 0;", f"{ind}do {{", f"{ind}  {iv} += 2;", *body,
                f"{ind}}} while ({iv} < {bound});", *after]

    def _label(self, prefix: str) -> str:
        self.nlabels += 1
        return f"{prefix}{self.nlabels}"

    def ret(self) -> str:
        if self.deterministic:
            return "return;"
        return f"return {self.expr(1)};"

    def stmt(self, ind: str, top: bool) -> list[Line]:
        r = self.rng.random()
        depth_ok = self.loop_depth < 3
        if r < 0.35 or self.depth >= (2 if self.small else 3):
            return [ind + self.assign()]
        self.depth += 1
        try:
            return self.compound(ind, top, r, depth_ok)
        finally:
            self.depth -= 1

    def compound(self, ind: str, top: bool, r: float, depth_ok: bool) -> list[Line]:
        if r < 0.55 and depth_ok:
            return self.loop(ind)
        if r < 0.68:
            then = self.block(self.rng.randint(1, 2), ind + "  ")
            out: list[Line] = [f"{ind}if ({self.cond()}) {{", *then]
            if self.rng.random() < 0.5:
                out += [f"{ind}}} else {{", *self.block(1, ind + "  ")]
            return [*out, f"{ind}}}"]
        if r < 0.78:
            mod = self.rng.randint(3, 6)
            out = [f"{ind}switch ((unsigned)({self.expr(1)}) % {mod}u) {{"]
            for c in sorted(self.rng.sample(range(mod), self.rng.randint(1, min(3, mod)))):
                out.append(f"{ind}case {c}:")
                out += self.block(1, ind + "  ")
                if self.rng.random() < 0.6:
                    out.append(f"{ind}  break;")
            if self.rng.random() < 0.6:
                out.append(f"{ind}default:")
                out += self.block(1, ind + "  ")
            return [*out, f"{ind}}}"]
        if r < 0.86 and self.helper_sigs:
            v = self.target()
            name, arity = self.rng.choice(self.helper_sigs)
            args = ", ".join(self.expr(1) for _ in range(arity))
            return [f"{ind}{v.name} = {name}({args});"]
        if r < 0.92 and (self.loop_depth > 0 or not top):
            return [f"{ind}if ({self.cond()}) {self.ret()}"]
        return [ind + self.assign()]

    def helper(self, i: int) -> str:
        name = f"{self.func}_h{i}"
        arity = self.rng.randint(1, 2)
        ps = ["int x", "unsigned y"][:arity]
        body = [f"static int {name}({', '.join(ps)}) {{"]
        yexpr = "y" if arity == 2 else "3u"
        r = self.rng.random()
        if r < 0.4:
            body.append(f"  return (int)((unsigned)x * {self.rng.randint(1, 9)}u + {yexpr});")
        elif r < 0.7:
            body.append(f"  if (x > {self.rng.randint(-5, 20)}) return (int)((unsigned)x - {yexpr});")
            body.append(f"  return (x & {self.rng.randint(1, 63)}) + (int)({yexpr} % 5u);")
        else:
            body.append("  unsigned r = (unsigned)x;")
            body.append(f"  for (int k = 0; k < {self.rng.randint(2, 6)}; k++) r = r * 3u + {yexpr};")
            body.append("  return (int)(r >> 3);")
        body.append("}")
        self.helper_sigs.append((name, arity))
        return "\n".join(body)

    def build(self) -> list[Line]:
        """The function's lines (probes as placeholders); helpers go in self.helpers."""
        self.mults: list[int] = []
        if not self.deterministic:
            names = ["a", "b", "c"]
            for i in range(self.rng.choice([1, 2, 2, 3])):
                ty = self.rng.choice(PARAM_TYPES)
                lo = 0 if ty == "unsigned" else self.rng.randint(-8, 0)
                hi = lo + self.rng.randint(2, 30)
                self.params.append((names[i], ty, lo, hi))
            self.domain = 1
            for p in self.params:
                self.domain *= p[3] - p[2]
            while self.domain > MAX_DOMAIN:
                self.params.pop()
                self.domain = 1
                for p in self.params:
                    self.domain *= p[3] - p[2]
        for i in range(self.rng.randint(0, 2)):
            self.helpers.append(self.helper(i))
        lines: list[Line] = []
        for _ in range(self.rng.randint(2, 4)):
            ty = self.rng.choices([t for t, _ in SCALAR_WEIGHTS], [w for _, w in SCALAR_WEIGHTS])[0]
            v = Var(self.fresh("v"), ty)
            init = self.rng.randint(-5, 20) if TYPES[ty][1] else self.rng.randint(0, 20)
            lines.append(f"  {ty} {v.name} = {lit(init)};")
            self.locals.append(v)
        if self.rng.random() < 0.4:
            size = self.rng.choice([4, 5, 8])
            ty = self.rng.choice(["int", "unsigned", "short"])
            arr = Var(self.fresh("arr"), ty, size)
            vals = ", ".join(str(self.rng.randint(0, 9)) for _ in range(size))
            lines.append(f"  {ty} {arr.name}[{size}] = {{{vals}}};")
            self.arrays.append(arr)
        guard: list[Line] = []
        if self.params:
            for name, _ty, lo, hi in self.params:
                guard.append(f"  if (!({name} >= {lit(lo)} && {name} < {lit(hi)})) return 0;")
        lines = guard + lines
        lines += self.block(self.rng.randint(1, 2) if self.small else self.rng.randint(2, 3), "  ", top=True)
        lines.append(self.probe("  "))
        if not self.deterministic:
            lines.append(f"  return (int)({self.locals[0].name});")
        return lines

    def signature(self) -> str:
        if self.deterministic:
            return f"void {self.func}(void) {{"
        ps = ", ".join(f"{ty} {name}" for name, ty, _, _ in self.params)
        return f"int {self.func}({ps}) {{"


# -------------------------------------------------------------------- running


def _compile_and_run(source: str, work: Path, stem: str, timeout: float) -> OracleRun:
    c = work / f"{stem}.c"
    exe = work / stem
    c.write_text(source)
    cc = subprocess.run(["gcc", *GCC_FLAGS, "-o", str(exe), str(c)], capture_output=True, text=True)
    if cc.returncode != 0:
        return OracleRun(False, "compile", cc.stdout, cc.stderr)
    try:
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return OracleRun(False, "timeout")
    if "runtime error" in run.stderr:
        return OracleRun(False, "ub", run.stdout, run.stderr)
    if run.returncode != 0 or "\nEND\n" not in "\n" + run.stdout:
        return OracleRun(False, "crash", run.stdout, run.stderr)
    return OracleRun(True, "", run.stdout, run.stderr)


PRELUDE = r"""#include <stdio.h>
#include <setjmp.h>
static jmp_buf __jb;
static volatile long __cur;
static long __reach[100000], __fail[100000];
static void __oracle(int line, int ok) {
  __reach[line]++;
  if (!ok) { __fail[line]++; longjmp(__jb, 1); }
}
static void __pv(int k, const char *n, long long v) { printf("P %ld %d %s %lld\n", __cur, k, n, v); }
static void __pu(int k, const char *n, unsigned long long v) { printf("P %ld %d %s %llu\n", __cur, k, n, v); }
#define assert(e) __oracle(__LINE__, (e) ? 1 : 0)
"""


def harness_main(func: str, params: list[tuple[str, str, int, int]]) -> str:
    """A main() that runs func on every input of the (guarded) domain, each in its own setjmp."""
    lines = ["int main(void) {"]
    ind = "  "
    for name, _ty, lo, hi in params:
        lines.append(f"{ind}for (volatile long __{name} = {lo}L; __{name} < {hi}L; __{name}++) {{")
        ind += "  "
    args = ", ".join(f"({ty})__{name}" for name, ty, _, _ in params)
    lines.append(f"{ind}if (!setjmp(__jb)) {func}({args});")
    lines.append(f"{ind}__cur++;")
    for _ in params:
        ind = ind[:-2]
        lines.append(f"{ind}}}")
    lines.append("  for (int l = 0; l < 100000; l++)")
    lines.append('    if (__reach[l]) printf("A %d %ld %ld\\n", l, __reach[l], __fail[l]);')
    lines.append('  printf("END\\n");')
    lines.append("  return 0;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(g: Gen, body: list[Line], asserts: dict[int, list[str]] | None) -> str:
    """The program file: with probe print calls (asserts is None) or with the asserts."""
    out = ["#include <assert.h>", *g.headers, f"/* generated by bench/campaign_gen.py, seed {g.seed} */"]
    for h in g.helpers:
        out += h.split("\n")
    out.append(g.signature())
    for ln in body:
        if isinstance(ln, Probe):
            if asserts is None:
                calls = " ".join(
                    f'__pv({ln.k}, "{n}", (long long)({n}));' if s else f'__pu({ln.k}, "{n}", (unsigned long long)({n}));'
                    for n, s in ln.names)
                out.append(ln.indent + calls)
            else:
                out += [f"{ln.indent}assert({a});" for a in asserts.get(ln.k, [])]
        else:
            out.append(ln)
    out.append("}")
    return "\n".join(out) + "\n"


def oracle_source(program_text: str, func: str, params: list[tuple[str, str, int, int]]) -> str:
    """The oracle build of a program file: line numbers unchanged (the prelude replaces line 1)."""
    lines = program_text.split("\n")
    assert lines[0] == "#include <assert.h>"
    # the prelude is several lines: put it in front and compensate with #line
    return PRELUDE + "#line 2\n" + "\n".join(lines[1:]) + "\n" + harness_main(func, params)


def parse_probes(stdout: str) -> dict[int, dict[int, dict[str, int]]]:
    """probe k -> input index -> lvalue -> value."""
    res: dict[int, dict[int, dict[str, int]]] = {}
    for ln in stdout.splitlines():
        if ln.startswith("P "):
            _, cur, k, name, val = ln.split(" ")
            res.setdefault(int(k), {}).setdefault(int(cur), {})[name] = int(val)
    return res


def parse_asserts(stdout: str) -> dict[int, tuple[int, int]]:
    res: dict[int, tuple[int, int]] = {}
    for ln in stdout.splitlines():
        if ln.startswith("A "):
            _, line, reach, fail = ln.split(" ")
            res[int(line)] = (int(reach), int(fail))
    return res


# -------------------------------------------------------------------- asserts


def _small(name: str, g: Gen) -> bool:
    """A variable of at most 32 bits (so that (long)x - (long)y cannot overflow)."""
    for v in g.locals:
        if v.name == name:
            return TYPES[v.ctype][0] <= 32
    for p in g.params:
        if p[0] == name:
            return TYPES[p[1]][0] <= 32
    for arr in g.arrays:
        if name.startswith(arr.name + "["):
            return True
    return False


def propose(g: Gen, rng: random.Random, probe: Probe, obs: dict[int, dict[str, int]], false_last: bool) -> list[str]:
    """One to three asserts at a probe, from the observed values: meant to be true, except the
    last one when false_last (a failing assert ends the execution, so a false assert is last)."""
    names = [n for n, _ in probe.names]
    out: list[str] = []
    count = rng.choice([1, 1, 2, 2, 3])
    for i in range(count):
        x = rng.choice(names)
        want_true = not (false_last and i == count - 1)
        if not obs:  # never reached: anything holds
            out.append(f"{x} == {lit(rng.randint(-3, 99))}")
            continue
        vals = [o[x] for o in obs.values()]
        r = rng.random()
        if g.deterministic or r < 0.3:
            v = vals[0]
            if len(set(vals)) > 1 and not g.deterministic:
                want_true = False
            d = 0 if want_true else rng.choice([1, -1, 2])
            if representable(v + d):
                op = rng.choice(["==", "=="]) if d == 0 else rng.choice(["==", "=="])
                if not want_true and rng.random() < 0.3:
                    out.append(f"{x} != {lit(v)}")
                else:
                    out.append(f"{x} {op} {lit(v + d)}")
                continue
        if r < 0.55 and not g.deterministic:
            lo, hi = min(vals), max(vals)
            cands = [(f"{x} <= {lit(hi)}", True), (f"{x} >= {lit(lo)}", True)]
            if representable(hi - 1):
                cands.append((f"{x} < {lit(hi)}", False))
            if representable(lo + 1):
                cands.append((f"{x} > {lit(lo)}", False))
            pick = [c for c, t in cands if t == want_true] or [c for c, _ in cands]
            out.append(rng.choice(pick))
            continue
        if r < 0.8 and not g.deterministic:
            idx = rng.choice(list(obs))
            o = obs[idx]
            cond = " && ".join(f"{p[0]} == {lit(o[p[0]])}" for p in g.params)
            d = 0 if want_true else rng.choice([1, -1])
            if representable(o[x] + d):
                out.append(f"!({cond}) || {x} == {lit(o[x] + d)}")
                continue
        y = rng.choice(names)
        if _small(x, g) and _small(y, g):
            diffs = sorted({o[x] - o[y] for o in obs.values()})
            if want_true:
                out.append(f"(long)({x}) - (long)({y}) <= {lit(diffs[-1])}")
            else:
                out.append(f"(long)({x}) - (long)({y}) < {lit(diffs[-1])}")
        else:
            op = rng.choice(["<", "<=", ">=", ">", "!="])
            out.append(f"{x} {op} {y}")
    return out


def is_memory(seed: int, index: int, kinds: str) -> bool:
    """Whether program `index` of the campaign is a memory program (`kinds`: one of KINDS)."""
    if kinds not in KINDS:
        raise ValueError(f"kinds must be one of {KINDS}, not {kinds!r}")
    if kinds != "mixed":
        return kinds == "memory"
    return random.Random(seed * 7919 + index).random() < MEMORY_RATE


def generate(seed: int, workdir: Path, index: int = 0, tries: int = 20,
             small: bool = False, kinds: str = "scalar") -> tuple[Program | None, dict[str, int]]:
    """Generate program `index` of the campaign `seed`: UB-free, terminating, with asserts of known truth.

    Memory programs (see MemGen) may also end some inputs with a memory error, recorded in `faults`.
    Returns the program (None if every try was discarded) and the discard counts by reason."""
    discards: dict[str, int] = {}
    memory = is_memory(seed, index, kinds)
    run_build = _compile_and_run_memory if memory else _compile_and_run_plain
    for t in range(tries):
        s = ((seed * 1_000_003 + index) * 64 + t) % 2**62
        func = f"f{index}"
        g = MemGen(s, func, small) if memory else Gen(s, func, small)
        body = g.build()
        probes = [ln for ln in body if isinstance(ln, Probe)]
        with tempfile.TemporaryDirectory(dir=workdir) as d:
            work = Path(d)
            probe_src = render(g, body, None)
            run = run_build(probe_src, func, g.params, work, "probe")
            if not run.ok:
                discards[run.reason] = discards.get(run.reason, 0) + 1
                if run.reason == "compile":
                    raise RuntimeError(f"generated program does not compile (seed {s}):\n{run.stderr[-2000:]}\n{probe_src}")
                continue
            observed = parse_probes(run.stdout)
            rng = random.Random(s ^ 0x5EED)
            # a false assert ends its execution: each probe's last assert is meant to be false with
            # probability 0.3 (the final probe: 0.6), so that later asserts are often still reached
            asserts = {p.k: propose(g, rng, p, observed.get(p.k, {}),
                                    rng.random() < (0.6 if p is probes[-1] else 0.3)) for p in probes}
            text = render(g, body, asserts)
            run2 = run_build(text, func, g.params, work, "oracle")
            if not run2.ok:
                discards["final-" + run2.reason] = discards.get("final-" + run2.reason, 0) + 1
                if run2.reason == "compile":
                    raise RuntimeError(f"generated program does not compile (seed {s}):\n{run2.stderr[-2000:]}\n{text}")
                continue
        counts = parse_asserts(run2.stdout)
        truth: dict[int, bool] = {}
        reached: dict[int, int] = {}
        for no, ln in enumerate(text.split("\n"), start=1):
            if ln.strip().startswith("assert("):
                rc, fc = counts.get(no, (0, 0))
                truth[no] = fc == 0
                reached[no] = rc
        prog = Program(name=f"{'m' if small else 's'}{'mem' if memory else ''}{seed}_{index}", seed=s, func=func,
                       source=text, deterministic=g.deterministic, domain_size=g.domain, exhaustive=True, truth=truth,
                       reached=reached, memory=memory, faults=run2.faults)
        if isinstance(g, MemGen):
            prog.meta["hazard"] = g.hazard or "none"
        return prog, discards
    return None, discards


def _compile_and_run_plain(text: str, func: str, params: list[tuple[str, str, int, int]], work: Path,
                           stem: str) -> OracleRun:
    return _compile_and_run(oracle_source(text, func, params), work, stem, RUN_TIMEOUT)


def run_oracle(text: str, func: str, params: list[tuple[str, str, int, int]], workdir: Path,
               memory: bool = False) -> OracleRun:
    """Compile and run an arbitrary program file (first line `#include <assert.h>`) as an oracle build
    (memory: under AddressSanitizer, one forked child per input, faults parsed)."""
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        if memory:
            return _compile_and_run_memory(text, func, params, Path(d), "oracle")
        return _compile_and_run(oracle_source(text, func, params), Path(d), "oracle", RUN_TIMEOUT)


# -------------------------------------------------------------------- memory programs
#
# Pointer, array and heap programs. The same two builds (probe, then oracle), compiled with
# AddressSanitizer and UBSan, -fno-builtin (else gcc inlines a small memcpy and AddressSanitizer
# cannot see an overlap). A memory error aborts the process, so each input runs in its own forked
# child: an error ends that input's execution only, as a failing assert does. The child's stderr
# goes to `san.<input>`; the parent prints `C <input> <pid> <wait status>`, and the assert counters
# live in memory shared with the children. Reports are symbolized afterwards, all at once, with
# addr2line (AddressSanitizer's own symbolizer costs ~150 ms per report).

MEMORY_GCC_FLAGS = ["-O0", "-w", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-builtin"]
SANITIZER_ENV = {"ASAN_OPTIONS": "detect_leaks=1:symbolize=0:detect_stack_use_after_return=0",
                 "UBSAN_OPTIONS": "print_stacktrace=1:symbolize=0"}
KINDS = ("scalar", "memory", "mixed")
GOTO_LOOP_RATE = 0.12  # loops written with a backward goto
GOTO_EXIT_RATE = 0.25  # loops with a label right after them, the target of gotos from inside
MEMORY_RATE = 0.3  # share of memory programs under --kinds mixed
HAZARD_RATE = 0.5  # share of memory programs with one deliberate possible memory error
MEMORY_MAX_DOMAIN = 300  # one fork per input
MEMORY_RUN_TIMEOUT = 20.0
ELEM_TYPES = ["int", "int", "unsigned", "short", "unsigned char"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# fault kind -> the check ids that may report it. Lenient where the two tools name one error
# differently: a strlen past the terminator is AddressSanitizer's buffer overflow and prooflens's
# memory.string; freeing a freed block is a double free to one and may be an invalid free to the other.
FAULT_CHECKS: dict[str, tuple[str, ...]] = {
    "bounds": ("memory.bounds", "memory.string", "bounds.index"),
    "null": ("memory.null",),
    "use-after-free": ("memory.use-after-free",),
    "double-free": ("memory.double-free", "memory.invalid-free"),
    "invalid-free": ("memory.invalid-free", "memory.double-free"),
    "overlap": ("memory.overlap",),
    "leak": ("memory.leak",),
}
# the checks judged against the faults; memory.pointer-arith and memory.local-escape are invisible to
# the sanitizers, and the generator never computes a pointer beyond one past the end nor lets an
# address escape, so a refutation of them is wrong too
MEMORY_CHECK_IDS = frozenset({c for ids in FAULT_CHECKS.values() for c in ids}
                             | {"memory.pointer-arith", "memory.local-escape"})

ASAN_KINDS = [("heap-use-after-free", "use-after-free"), ("attempting double-free", "double-free"),
              ("not malloc()-ed", "invalid-free"), ("param-overlap", "overlap"),
              ("heap-buffer-overflow", "bounds"), ("stack-buffer-overflow", "bounds"),
              ("stack-buffer-underflow", "bounds"), ("global-buffer-overflow", "bounds")]
UBSAN_KINDS = [("load of null pointer", "null"), ("store to null pointer", "null"),
               ("member access within null pointer", "null"), (" out of bounds for type ", "bounds")]


def classify_report(text: str) -> tuple[str, str]:
    """(fault kind, the report's first line) of a sanitizer report; kind "other" for an error that is
    not one of FAULT_CHECKS' (signed overflow, a wild SEGV...), "" when there is no report."""
    for ln in text.splitlines():
        if "ERROR: LeakSanitizer: detected memory leaks" in ln:
            return "leak", ln.strip()
        if "ERROR: AddressSanitizer:" in ln:
            for pat, kind in ASAN_KINDS:
                if pat in ln:
                    return kind, ln.strip()
            m = re.search(r"SEGV on unknown address (0x[0-9a-f]+)", ln)
            if m and int(m.group(1), 16) < 4096:
                return "null", ln.strip()
            return "other", ln.strip()
        if "runtime error:" in ln:
            for pat, kind in UBSAN_KINDS:
                if pat in ln:
                    return kind, ln.strip()
            return "other", ln.strip()
    return "", ""


FRAME_RE = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+\s+\((.+)\+0x([0-9a-f]+)\)")


def report_frames(text: str, exe_name: str) -> list[int]:
    """The offsets in the executable of the report's first stack trace, innermost first (the
    printed addresses are already those of the call instructions)."""
    offsets: list[int] = []
    started = False
    for ln in text.splitlines():
        m = FRAME_RE.match(ln)
        if not m:
            if started:
                break
            continue
        if started and m.group(1) == "0":
            break  # a second stack trace (allocated by / freed by)
        started = True
        if Path(m.group(2)).name == exe_name:
            offsets.append(int(m.group(3), 16))
    return offsets


def leak_frames(text: str, exe_name: str) -> list[list[int]]:
    """A LeakSanitizer report lists every leaked block, each with its allocation's stack trace."""
    chunks = re.split(r"^(?:Direct|Indirect) leak of .*$", text, flags=re.MULTILINE)[1:]
    return [report_frames(chunk, exe_name) for chunk in chunks]


def symbolize(exe: Path, offsets: list[int]) -> dict[int, tuple[str, int]]:
    """offset -> (function, line), by one addr2line run."""
    if not offsets:
        return {}
    uniq = sorted(set(offsets))
    out = subprocess.run(["addr2line", "-f", "-e", str(exe), *(hex(o) for o in uniq)],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    res: dict[int, tuple[str, int]] = {}
    for i, off in enumerate(uniq):
        fn, where = out[2 * i], out[2 * i + 1]
        m = re.search(r":(\d+)", where)
        res[off] = (fn, int(m.group(1)) if m else 0)
    return res


MEMORY_PRELUDE = r"""#include <stdio.h>
#include <setjmp.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
static jmp_buf __jb;
static volatile long __cur;
static long *__reach, *__fail; /* shared with the children (one per input) */
static void __oracle(int line, int ok) {
  __reach[line]++;
  if (!ok) { __fail[line]++; longjmp(__jb, 1); }
}
/* after a normal return, a block nothing reaches is a leak (the dead frames are zeroed first, so
   that no stale copy of a pointer hides one); an input whose assert failed is not checked */
extern int __lsan_do_recoverable_leak_check(void);
static void __attribute__((noinline)) __scrub(void) {
  volatile char dead[16384];
  for (unsigned long k = 0; k < sizeof dead; k++) dead[k] = 0;
}
static void __leak_check(void) { __scrub(); if (__lsan_do_recoverable_leak_check()) _exit(23); }
static void __pv(int k, const char *n, long long v) { printf("P %ld %d %s %lld\n", __cur, k, n, v); }
static void __pu(int k, const char *n, unsigned long long v) { printf("P %ld %d %s %llu\n", __cur, k, n, v); }
#define assert(e) __oracle(__LINE__, (e) ? 1 : 0)
"""


def forked_main(func: str, params: list[tuple[str, str, int, int]]) -> str:
    """A main() that runs func on every input of the domain, each in a forked child whose stderr
    (the sanitizer's report) goes to san.<input number>."""
    lines = ["int main(void) {",
             "  setvbuf(stdout, NULL, _IOLBF, 0);",
             "  __reach = mmap(NULL, 2 * 100000 * sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);",
             "  if (__reach == MAP_FAILED) return 2;",
             "  __fail = __reach + 100000;"]
    ind = "  "
    for name, _ty, lo, hi in params:
        lines.append(f"{ind}for (volatile long __{name} = {lo}L; __{name} < {hi}L; __{name}++) {{")
        ind += "  "
    args = ", ".join(f"({ty})__{name}" for name, ty, _, _ in params)
    lines += [f"{ind}fflush(stdout);",
              f"{ind}pid_t __pid = fork();",
              f"{ind}if (__pid < 0) return 2;",
              f"{ind}if (__pid == 0) {{",
              f"{ind}  char __nm[32];",
              f'{ind}  snprintf(__nm, sizeof __nm, "san.%ld", __cur);',
              f"{ind}  int __fd = open(__nm, O_WRONLY | O_CREAT | O_TRUNC, 0600);",
              f"{ind}  if (__fd >= 0) dup2(__fd, 2);",
              f"{ind}  alarm(5);",
              f"{ind}  if (!setjmp(__jb)) {{ {func}({args}); __leak_check(); }}",
              f"{ind}  fflush(stdout);",
              f"{ind}  _exit(0);",
              f"{ind}}}",
              f"{ind}int __st = 0;",
              f"{ind}waitpid(__pid, &__st, 0);",
              f'{ind}printf("C %ld %d %d\\n", __cur, (int)__pid, __st);',
              f"{ind}__cur++;"]
    for _ in params:
        ind = ind[:-2]
        lines.append(f"{ind}}}")
    lines += ["  for (int l = 0; l < 100000; l++)",
              '    if (__reach[l]) printf("A %d %ld %ld\\n", l, __reach[l], __fail[l]);',
              '  printf("END\\n");',
              "  return 0;",
              "}"]
    return "\n".join(lines) + "\n"


def memory_oracle_source(program_text: str, func: str, params: list[tuple[str, str, int, int]]) -> str:
    """The forked oracle build of a memory program file (line numbers unchanged)."""
    lines = program_text.split("\n")
    assert lines[0] == "#include <assert.h>"
    return MEMORY_PRELUDE + "#line 2\n" + "\n".join(lines[1:]) + "\n" + forked_main(func, params)


def _compile_and_run_memory(text: str, func: str, params: list[tuple[str, str, int, int]], work: Path,
                            stem: str) -> OracleRun:
    """Build and run a memory program: ok with the faults that ended some inputs, or the reason to
    discard it (undefined behaviour other than a memory error, a crash without a report, a timeout)."""
    c = work / f"{stem}.c"
    exe = (work / stem).resolve()
    c.write_text(memory_oracle_source(text, func, params))
    cc = subprocess.run(["gcc", *MEMORY_GCC_FLAGS, "-o", str(exe), str(c)], capture_output=True, text=True)
    if cc.returncode != 0:
        return OracleRun(False, "compile", cc.stdout, cc.stderr)
    try:
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=MEMORY_RUN_TIMEOUT, cwd=work,
                             env={**os.environ, **SANITIZER_ENV})
    except subprocess.TimeoutExpired:
        return OracleRun(False, "timeout")
    if run.returncode != 0 or "\nEND\n" not in "\n" + run.stdout:
        return OracleRun(False, "crash", run.stdout, run.stderr)
    ended: list[tuple[str, str, list[int]]] = []  # kind, first line, frame offsets
    for ln in run.stdout.splitlines():
        if not ln.startswith("C "):
            continue
        _, cur, _pid, status = ln.split(" ")
        if int(status) == 0:
            continue
        report_file = work / f"san.{cur}"
        report = report_file.read_text(errors="replace") if report_file.exists() else ""
        kind, first = classify_report(report)
        if kind == "other":
            return OracleRun(False, "ub", run.stdout, report)
        if not kind:
            signalled = int(status) & 0x7F
            return OracleRun(False, "timeout" if signalled == 14 else "crash", run.stdout, report)
        for offsets in leak_frames(report, exe.name) if kind == "leak" else [report_frames(report, exe.name)]:
            ended.append((kind, first, offsets))
    symbols = symbolize(exe, [o for _, _, offs in ended for o in offs])
    faults: dict[tuple[int, str], Fault] = {}
    for kind, first, offs in ended:
        frames = [symbols[o] for o in offs]
        mine = [(fn, line) for fn, line in frames if fn == func or fn.startswith(func + "_")]
        in_func = [line for fn, line in frames if fn == func]
        if not in_func:
            return OracleRun(False, "crash", run.stdout, f"no frame of {func} in: {first}")
        key = (in_func[0], kind)
        if key in faults:
            faults[key].inputs += 1
        else:
            faults[key] = Fault(in_func[0], kind, 1, f"{mine[0][0]}:{mine[0][1]}", first)
    return OracleRun(True, "", run.stdout, run.stderr, sorted(faults.values(), key=lambda f: (f.line, f.kind)))


class MemGen(Gen):
    """A pointer, array and heap program: a local array of `elem` filled and read through pointers
    (`p[i]`, `*(p + k)`, `++p` walks), passed with lengths to static helpers with pointer parameters,
    malloc/calloc'd buffers (NULL tested) initialized by loops, helpers, memcpy or memset and freed,
    strings in char arrays (strlen, memcpy, memset), a struct through `&` and `->`, `&x` of scalars
    and forward gotos; then the scalar statements of Gen around them. About half of the programs get
    one deliberate possible memory error (HAZARDS) whose index, length or condition depends on the
    inputs. Pointers never go beyond one past the end and no address escapes: those two errors are
    invisible to AddressSanitizer, so the ground truth could not see them. A failed allocation
    frees the live buffers before it returns (the runs never see one fail, so a leak there could
    not be judged); other leaks are LeakSanitizer's, checked after each input's normal return."""

    SEGMENTS = [("fill", 3), ("point", 3), ("call", 4), ("heap", 3), ("free", 2), ("walk", 2), ("string", 2),
                ("struct", 3), ("address", 2), ("goto", 1), ("bytes", 2), ("scalar", 3), ("distance", 1)]
    HAZARDS = [("index", 3), ("length", 2), ("loop", 2), ("use-after-free", 2), ("double-free", 1), ("null", 2),
               ("invalid-free", 1), ("string", 2), ("overlap", 1), ("memset", 1), ("leak", 2), ("member", 2)]

    def __init__(self, seed: int, func: str, small: bool = False) -> None:
        super().__init__(seed, func, small)
        self.elem = self.rng.choice(ELEM_TYPES)
        self.headers = ["#include <stdlib.h>", "#include <string.h>"]
        self.heap: list[Var] = []  # live heap buffers (also in self.arrays while live)
        self.strings: list[tuple[str, int]] = []  # char arrays (name, size) with a NUL at size - 1
        self.used: set[str] = set()
        self.struct = ""
        self.hazard = ""

    # ------------------------------------------------------------ helpers with pointer parameters
    def use(self, what: str) -> str:
        """The name of pointer helper `what`, its text added to the program on first use."""
        name = f"{self.func}_{what}"
        if what in self.used:
            return name
        if what == "move":
            self.use("pt")
        self.used.add(what)
        t = self.elem
        texts = {
            "sum": [f"static int {name}(const {t} *a, int n) {{", "  unsigned s = 0u;",
                    "  for (int i = 0; i < n; i++) s += (unsigned)a[i];", "  return (int)s;", "}"],
            "fill": [f"static void {name}({t} *a, int n, int v) {{",
                     f"  for (int i = 0; i < n; i++) a[i] = ({t})((unsigned)v + (unsigned)i);", "}"],
            "max": [f"static int {name}(const {t} *a, int n) {{", "  int m = (int)a[0];",
                    "  for (int i = 1; i < n; i++)", "    if ((int)a[i] > m) m = (int)a[i];", "  return m;", "}"],
            "rev": [f"static void {name}({t} *a, int n) {{", "  for (int i = 0; i < n / 2; i++) {",
                    f"    {t} t = a[i];", "    a[i] = a[n - 1 - i];", "    a[n - 1 - i] = t;", "  }", "}"],
            "find": [f"static int {name}(const {t} *a, int n, int v) {{", "  for (int i = 0; i < n; i++)",
                     "    if ((int)a[i] == v) return i;", "  return -1;", "}"],
            "swap": [f"static void {name}(int *x, int *y) {{", "  int t = *x;", "  *x = *y;", "  *y = t;", "}"],
            # a point with an array member and a nested struct (issue 11: p->v[i], p->w.lo)
            "pt": [f"struct {self.func}_w {{ short lo; short hi; }};",
                   f"struct {self.func}_pt {{ int x; int y; int v[3]; struct {self.func}_w w; }};"],
            "move": [f"static void {name}(struct {self.func}_pt *p, int d) {{",
                     "  p->x = (int)((unsigned)p->x + (unsigned)d);", "  p->y = (int)((unsigned)p->y - (unsigned)d);", "}"],
            "count": [f"static int {name}(const char *s, int n, char c) {{", "  int k = 0;",
                      "  for (int i = 0; i < n; i++)", "    if (s[i] == c) k++;", "  return k;", "}"],
        }
        self.helpers.append("\n".join(texts[what]))
        return name

    # ------------------------------------------------------------ building blocks
    def buffer(self) -> Var:
        return self.rng.choice(self.arrays)

    def fail_return(self) -> str:
        """What a failed allocation does: free the live heap buffers, then return. The oracle's runs
        never see an allocation fail, so a leak on that path could not be judged."""
        ret = "return;" if self.deterministic else "return 0;"
        if not self.heap:
            return ret
        return "{ " + " ".join(f"free({h.name});" for h in self.heap) + f" {ret} }}"

    def word(self, n: int) -> str:
        return "".join(self.rng.choice(LETTERS) for _ in range(n))

    def hazard_value(self) -> str:
        """What a hazard's index, length or condition depends on: an input when there are some."""
        if self.params and self.rng.random() < 0.75:
            name = self.rng.choice(self.params)[0]
            return name if self.rng.random() < 0.6 else f"{name} + {self.rng.randint(1, 5)}"
        return self.expr(1)

    def up_to(self, last: int) -> str:
        """An unsigned expression in [0, last] over hazard_value(), which is `last` (the one too far)
        on some inputs: uniformly, or `last - 1` or `last` (about half of the runs then fault)."""
        if self.rng.random() < 0.5:
            return f"(unsigned)({self.hazard_value()}) % {last + 1}u"
        return f"((unsigned)({self.hazard_value()}) % 2u + {last - 1}u)"

    def with_loopvar(self, iv: str) -> str:
        self.loopvars.append(iv)
        try:
            return self.expr(1)
        finally:
            self.loopvars.pop()

    def alloc(self, ind: str) -> tuple[list[Line], Var]:
        """A heap buffer of elem, NULL tested, every element initialized."""
        t, m = self.elem, self.rng.randint(2, 8)
        h = Var(self.fresh("h"), t, m)
        r = self.rng.random()
        if r < 0.3:
            return [f"{ind}{t} *{h.name} = calloc({m}, sizeof({t}));", f"{ind}if (!{h.name}) {self.fail_return()}"], h
        out: list[Line] = [f"{ind}{t} *{h.name} = malloc({m} * sizeof({t}));", f"{ind}if (!{h.name}) {self.fail_return()}"]
        sources = [b for b in self.arrays if b.size >= m]
        r = self.rng.random()
        if r < 0.4:
            iv = self.fresh("i")
            out.append(f"{ind}for (int {iv} = 0; {iv} < {m}; {iv}++) {h.name}[{iv}] = {self.with_loopvar(iv)};")
        elif r < 0.7:
            out.append(f"{ind}{self.use('fill')}({h.name}, {m}, {self.expr(1)});")
        elif r < 0.85 and sources:
            out.append(f"{ind}memcpy({h.name}, {self.rng.choice(sources).name}, {m} * sizeof({t}));")
        else:
            out.append(f"{ind}memset({h.name}, {self.rng.choice([0, 0, 1, 255])}, {m} * sizeof({t}));")
        return out, h

    def live_heap(self, ind: str, min_size: int = 1) -> tuple[list[Line], Var]:
        """A live heap buffer (allocated here if there is none), no longer live after the caller's use."""
        cands = [h for h in self.heap if h.size >= min_size]
        out: list[Line] = []
        if cands:
            h = self.rng.choice(cands)
        else:
            out, h = self.alloc(ind)
        if h in self.heap:
            self.heap.remove(h)
        if h in self.arrays:
            self.arrays.remove(h)
        return out, h

    # ------------------------------------------------------------ segments
    def segment(self, ind: str) -> list[Line]:
        names = [n for n, _ in self.SEGMENTS]
        weights = [w for _, w in self.SEGMENTS]
        for _ in range(10):
            kind = self.rng.choices(names, weights)[0]
            out = getattr(self, "seg_" + kind)(ind)
            if out:
                return out
        return [ind + self.assign()]

    def seg_fill(self, ind: str) -> list[Line]:
        b, iv = self.buffer(), self.fresh("i")
        return [f"{ind}for (int {iv} = 0; {iv} < {b.size}; {iv}++) {b.name}[{iv}] = {self.with_loopvar(iv)};"]

    def seg_point(self, ind: str) -> list[Line]:
        b = self.buffer()
        k = self.rng.randrange(b.size)
        r = self.rng.random()
        if r < 0.35:
            return [f"{ind}*({b.name} + {k}) = {self.expr(1)};"]
        if r < 0.5:
            return [f"{ind}*{b.name} = {self.expr(1)};"]
        v = self.target()
        if r < 0.75:
            return [f"{ind}{v.name} = *({b.name} + {k});"]
        return [f"{ind}{v.name} = {b.name}[{k}];"]

    def seg_call(self, ind: str) -> list[Line]:
        b = self.buffer()
        k = self.rng.randrange(b.size) if self.rng.random() < 0.3 else 0
        n = self.rng.randint(1, b.size - k)
        base = b.name if k == 0 else f"{b.name} + {k}"
        what = self.rng.choice(["sum", "sum", "fill", "max", "rev", "find"])
        if what in ("fill", "rev"):
            extra = f", {self.expr(1)}" if what == "fill" else ""
            return [f"{ind}{self.use(what)}({base}, {n}{extra});"]
        extra = f", {self.leaf()}" if what == "find" else ""
        return [f"{ind}{self.target().name} = {self.use(what)}({base}, {n}{extra});"]

    def seg_heap(self, ind: str) -> list[Line]:
        if len(self.heap) >= 2:
            return []
        out, h = self.alloc(ind)
        self.heap.append(h)
        self.arrays.append(h)
        return out

    def seg_free(self, ind: str) -> list[Line]:
        if not self.heap:
            return []
        out, h = self.live_heap(ind)
        return [*out, f"{ind}free({h.name});"]

    def seg_walk(self, ind: str) -> list[Line]:
        b, r, t = self.buffer(), self.fresh("r"), self.elem
        if self.rng.random() < 0.6:
            v = self.target()
            return [f"{ind}for ({t} *{r} = {b.name}; {r} < {b.name} + {b.size}; ++{r}) "
                    f"{v.name} = ({v.ctype})((unsigned)({v.name}) + (unsigned)*{r});"]
        return [f"{ind}for ({t} *{r} = {b.name}; {r} != {b.name} + {b.size}; ++{r}) "
                f"*{r} = ({t})((unsigned)*{r} * {self.rng.randint(1, 5)}u + {self.rng.randint(0, 9)}u);"]

    def seg_string(self, ind: str) -> list[Line]:
        n, s = self.rng.randint(2, 7), self.fresh("s")
        out: list[Line] = [f'{ind}char {s}[] = "{self.word(n)}";']
        self.strings.append((s, n + 1))
        if self.rng.random() < 0.4:
            out.append(f"{ind}{s}[{self.rng.randrange(n)}] = '{self.rng.choice(LETTERS)}';")
        return [*out, self.read_string(ind, s, n + 1)]

    def read_string(self, ind: str, s: str, size: int) -> str:
        v, r = self.target(), self.rng.random()
        if r < 0.45:
            return f"{ind}{v.name} = (int)strlen({s});"
        if r < 0.75:
            return f"{ind}{v.name} = {self.use('count')}({s}, {size}, '{self.rng.choice(LETTERS[:6])}');"
        return f"{ind}{v.name} = {s}[{self.rng.randrange(size)}];"

    def seg_struct(self, ind: str) -> list[Line]:
        if not self.struct:
            pt = self.fresh("pt")
            self.use("pt")
            self.struct = pt
            out: list[Line] = [f"{ind}struct {self.func}_pt {pt} = {{{self.rng.randint(-5, 9)}, {self.rng.randint(0, 9)}}};"]
            self.locals += [Var(f"{pt}.x", "int"), Var(f"{pt}.y", "int")]
            return [*out, f"{ind}{self.use('move')}(&{pt}, {self.expr(1)});"]
        pt = self.struct
        if self.rng.random() < 0.3:
            return [f"{ind}{self.use('move')}(&{pt}, {self.expr(1)});"]
        q = self.fresh("q")
        out = [f"{ind}struct {self.func}_pt *{q} = &{pt};"]
        r = self.rng.random()
        if r < 0.25:
            return [*out, f"{ind}{q}->{self.rng.choice('xy')} = {self.expr(1)};"]
        if r < 0.45:
            return [*out, f"{ind}{self.target().name} = {q}->{self.rng.choice('xy')};"]
        k = f"(unsigned)({self.expr(1)}) % 3u"
        if r < 0.65:
            return [*out, f"{ind}{q}->v[{k}] = {self.expr(1)};"]
        if r < 0.8:
            return [*out, f"{ind}{self.target().name} = {q}->v[{k}];"]
        if r < 0.9:
            return [*out, f"{ind}{q}->w.{self.rng.choice(['lo', 'hi'])} = (short)(({self.expr(1)}) & 1023);"]
        return [*out, f"{ind}{self.target().name} = {q}->w.lo + {q}->w.hi;"]

    def seg_address(self, ind: str) -> list[Line]:
        ints = [v for v in self.locals if v.ctype == "int" and "." not in v.name]
        if not ints:
            return []
        if len(ints) >= 2 and self.rng.random() < 0.5:
            x, y = self.rng.sample(ints, 2)
            return [f"{ind}{self.use('swap')}(&{x.name}, &{y.name});"]
        x, q = self.rng.choice(ints), self.fresh("q")
        return [f"{ind}int *{q} = &{x.name};", f"{ind}*{q} = {self.expr(1)};"]

    def seg_goto(self, ind: str) -> list[Line]:
        """A forward goto over assignments only (jumping over a declaration would leave it unset)."""
        label = self.fresh("skip")
        body = [ind + self.assign() for _ in range(self.rng.randint(1, 2))]
        return [f"{ind}if ({self.cond(1)}) goto {label};", *body, f"{ind}{label}:;"]

    def seg_bytes(self, ind: str) -> list[Line]:
        c = self.fresh("c")
        out: list[Line] = [f'{ind}char {c}[] = "{self.word(15)}";']
        r = self.rng.random()
        srcs = [s for s in self.strings if s[1] <= 16]
        if r < 0.3:
            out.append(f"{ind}memset({c}, '{self.rng.choice(LETTERS)}', {self.rng.randint(1, 15)});")
        elif r < 0.55 and srcs:
            s, size = self.rng.choice(srcs)
            out.append(f"{ind}memcpy({c}, {s}, {size});")
        elif r < 0.8:
            n = self.rng.randint(1, 5)
            out.append(f"{ind}memcpy({c} + {self.rng.randint(n, 15 - n)}, {c}, {n});")
        elif r < 0.88:
            out.append(f"{ind}memmove({c} + 1, {c}, {self.rng.randint(1, 14)});")
        else:
            d = self.fresh("d")
            out += [f"{ind}char *{d} = malloc(16);", f"{ind}if (!{d}) {self.fail_return()}",
                    f"{ind}memcpy({d}, {c}, 16);", self.read_string(ind, d, 16), f"{ind}free({d});"]
            self.strings.append((c, 16))
            return out
        self.strings.append((c, 16))
        return [*out, self.read_string(ind, c, 16)]

    def seg_scalar(self, ind: str) -> list[Line]:
        return self.stmt(ind, True)

    def seg_distance(self, ind: str) -> list[Line]:
        b, v = self.buffer(), self.target()
        k1, k2 = self.rng.randint(0, b.size), self.rng.randint(0, b.size)
        if self.rng.random() < 0.5:
            return [f"{ind}{v.name} = (int)(({b.name} + {k1}) - ({b.name} + {k2}));"]
        op = self.rng.choice(["<", "<=", "==", "!="])
        return [f"{ind}{v.name} = ({b.name} + {k1}) {op} ({b.name} + {k2});"]

    # ------------------------------------------------------------ hazards
    def hazard_segment(self, ind: str) -> list[Line]:
        """One deliberate possible memory error: an index or a length one too far, a use after free,
        a double or invalid free, a NULL dereference, a string without its NUL, an overlapping memcpy,
        a leak;
        whether it happens depends on the inputs (or on the computed values)."""
        names = [n for n, _ in self.HAZARDS]
        self.hazard = self.rng.choices(names, [w for _, w in self.HAZARDS])[0]
        out: list[Line] = getattr(self, "haz_" + self.hazard.replace("-", "_"))(ind)
        return out

    def haz_index(self, ind: str) -> list[Line]:
        b = self.buffer()
        idx = self.up_to(b.size)
        if self.rng.random() < 0.5:
            return [f"{ind}{b.name}[{idx}] = {self.expr(1)};"]
        return [f"{ind}{self.target().name} = {b.name}[{idx}];"]

    def haz_length(self, ind: str) -> list[Line]:
        b = self.buffer()
        n = f"(int)({self.up_to(b.size)}) + 1"
        what = self.rng.choice(["sum", "fill", "find"])
        if what == "fill":
            return [f"{ind}{self.use('fill')}({b.name}, {n}, {self.expr(1)});"]
        extra = f", {self.leaf()}" if what == "find" else ""
        return [f"{ind}{self.target().name} = {self.use(what)}({b.name}, {n}{extra});"]

    def haz_loop(self, ind: str) -> list[Line]:
        b, iv, nv = self.buffer(), self.fresh("i"), self.fresh("n")
        out: list[Line] = [f"{ind}int {nv} = (int)({self.up_to(b.size)});"]
        out.append(f"{ind}for (int {iv} = 0; {iv} <= {nv}; {iv}++) {b.name}[{iv}] = {self.with_loopvar(iv)};")
        self.locals.append(Var(nv, "int"))
        return out

    def haz_use_after_free(self, ind: str) -> list[Line]:
        out, h = self.live_heap(ind)
        k = self.rng.randrange(h.size)
        out.append(f"{ind}free({h.name});")
        if self.rng.random() < 0.5:
            return [*out, f"{ind}if ({self.cond(1)}) {self.target().name} = {h.name}[{k}];"]
        return [*out, f"{ind}if ({self.cond(1)}) {h.name}[{k}] = {self.expr(1)};"]

    def haz_double_free(self, ind: str) -> list[Line]:
        out, h = self.live_heap(ind)
        return [*out, f"{ind}if ({self.cond(1)}) free({h.name});", f"{ind}free({h.name});"]

    def haz_member(self, ind: str) -> list[Line]:
        """An index one past an array member (not the last member: UBSan's bounds check sees it)."""
        out = self.seg_struct(ind) if not self.struct else []
        q = self.fresh("q")
        out.append(f"{ind}struct {self.func}_pt *{q} = &{self.struct};")
        if self.rng.random() < 0.5:
            return [*out, f"{ind}{q}->v[{self.up_to(3)}] = {self.expr(1)};"]
        return [*out, f"{ind}{self.target().name} = {q}->v[{self.up_to(3)}];"]

    def haz_null(self, ind: str) -> list[Line]:
        b, q = self.buffer(), self.fresh("q")
        out: list[Line] = [f"{ind}{self.elem} *{q} = {b.name};", f"{ind}if ({self.cond(1)}) {q} = 0;"]
        if self.rng.random() < 0.5:
            return [*out, f"{ind}{self.target().name} = *{q};"]
        return [*out, f"{ind}*{q} = {self.expr(1)};"]

    def haz_invalid_free(self, ind: str) -> list[Line]:
        out, h = self.live_heap(ind, 2)
        q = self.fresh("q")
        return [*out, f"{ind}{self.elem} *{q} = {h.name};",
                f"{ind}if ({self.cond(1)}) {q} = {h.name} + {self.rng.randint(1, h.size - 1)};", f"{ind}free({q});"]

    def haz_leak(self, ind: str) -> list[Line]:
        """A heap buffer freed on some inputs only, or skipped by an early return on some."""
        out, h = self.live_heap(ind)
        if self.rng.random() < 0.5:
            return [*out, f"{ind}if ({self.cond(1)}) free({h.name});"]
        return [*out, f"{ind}if ({self.cond(1)}) {self.fail_return()}", f"{ind}free({h.name});"]

    def haz_string(self, ind: str) -> list[Line]:
        n, s = self.rng.randint(2, 7), self.fresh("s")
        return [f'{ind}char {s}[] = "{self.word(n)}";',
                f"{ind}{s}[{self.up_to(n)}] = '{self.rng.choice(LETTERS)}';",
                f"{ind}{self.target().name} = (int)strlen({s});"]

    def haz_overlap(self, ind: str) -> list[Line]:
        c, k = self.fresh("c"), self.rng.randint(2, 6)
        return [f'{ind}char {c}[] = "{self.word(15)}";',
                f"{ind}memcpy({c} + {k}, {c}, (unsigned)({self.hazard_value()}) % {16 - k + 1}u);",  # overlap: > k
                f"{ind}{self.target().name} = {c}[{self.rng.randrange(16)}];"]

    def haz_memset(self, ind: str) -> list[Line]:
        n, c = self.rng.randint(3, 10), self.fresh("c")
        return [f'{ind}char {c}[] = "{self.word(n)}";',
                f"{ind}memset({c}, '{self.rng.choice(LETTERS)}', {self.up_to(n + 2)});",
                f"{ind}{self.target().name} = {c}[{self.rng.randrange(n + 1)}];"]

    # ------------------------------------------------------------ the function
    def build(self) -> list[Line]:
        self.mults = []
        if not self.deterministic:
            names = ["a", "b", "c"]
            for i in range(self.rng.choice([1, 2, 2])):
                ty = self.rng.choice(PARAM_TYPES)
                lo = 0 if ty == "unsigned" else self.rng.randint(-4, 0)
                self.params.append((names[i], ty, lo, lo + self.rng.randint(2, 20)))
            self.domain = 1
            for p in self.params:
                self.domain *= p[3] - p[2]
            while self.domain > MEMORY_MAX_DOMAIN:
                self.params.pop()
                self.domain = 1
                for p in self.params:
                    self.domain *= p[3] - p[2]
        if self.rng.random() < 0.3:
            self.helpers.append(self.helper(0))
        lines: list[Line] = []
        for i in range(self.rng.randint(2, 3)):
            ty = "int" if i == 0 else self.rng.choices([t for t, _ in SCALAR_WEIGHTS], [w for _, w in SCALAR_WEIGHTS])[0]
            v = Var(self.fresh("v"), ty)
            init = self.rng.randint(-5, 20) if TYPES[ty][1] else self.rng.randint(0, 20)
            lines.append(f"  {ty} {v.name} = {lit(init)};")
            self.locals.append(v)
        size = self.rng.choice([4, 5, 6, 8])
        arr = Var(self.fresh("arr"), self.elem, size)
        lines.append(f"  {self.elem} {arr.name}[{size}] = {{{', '.join(str(self.rng.randint(0, 9)) for _ in range(size))}}};")
        self.arrays.append(arr)
        if self.rng.random() < 0.7:
            k = self.rng.choice([0, 0, 1, 2])
            alias = Var(self.fresh("p"), self.elem, size - k, probed=False)
            lines.append(f"  {self.elem} *{alias.name} = {arr.name}{f' + {k}' if k else ''};")
            self.arrays.append(alias)
        for name, _ty, lo, hi in reversed(self.params):
            lines.insert(0, f"  if (!({name} >= {lit(lo)} && {name} < {lit(hi)})) return 0;")
        nseg = self.rng.randint(2, 3) if self.small else self.rng.randint(3, 5)
        hazard_at = self.rng.randrange(nseg + 1) if self.rng.random() < HAZARD_RATE else -1
        for i in range(nseg + 1):
            if i == hazard_at:
                lines += self.hazard_segment("  ")
            if i < nseg:
                lines += self.segment("  ")
            if self.rng.random() < 0.5:
                lines.append(self.probe("  "))
        if self.heap and self.rng.random() < 0.7:
            for h in list(self.heap):
                lines.append(f"  free({h.name});")
                self.heap.remove(h)
                self.arrays.remove(h)
        lines.append(self.probe("  "))
        if not self.deterministic:
            lines.append(f"  return (int)({self.locals[0].name});")
        return lines
