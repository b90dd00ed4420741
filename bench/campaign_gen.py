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
"""

from __future__ import annotations

import random
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
    ub_free: bool = True
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class OracleRun:
    ok: bool
    reason: str  # "ub", "timeout", "crash", "compile", "" when ok
    stdout: str = ""
    stderr: str = ""


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
        self.helper_sigs: list[tuple[str, int]] = []
        self.loopvars: list[str] = []
        self.nprobes = 0
        self.loop_depth = 0
        self.domain = 1
        self.counter = 0
        self.depth = 0  # nesting of compound statements
        self.simple = self.rng.choice([0.3, 0.6, 0.9])  # share of counter/sum updates
        self.false_probe = 0  # the probe that gets a (probably) false assert, 0: none

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
        if self.rng.random() < 0.35:
            body.append(f"{inner}if ({self.cond()}) {self.rng.choice(['break', 'continue'])};")
        body += self.block(n, inner)
        if self.rng.random() < 0.25:
            body.append(f"{inner}if ({self.cond()}) break;")
        self.loopvars.pop()
        self.loop_depth -= 1
        self.mults.pop()
        if kind < 0.6:
            head = f"{ind}for ({ty} {iv} = 0; {iv} < {bound}; {iv}++) {{"
            return [head, *body, f"{ind}}}"]
        if kind < 0.75:
            head = f"{ind}for ({ty} {iv} = {bound}; {iv} > 0; {iv}--) {{"
            return [head, *body, f"{ind}}}"]
        if kind < 0.9:
            # the counter moves first, so that `continue` cannot skip it
            return [f"{ind}{ty} {iv} = 0;", f"{ind}while ({iv} < {bound}) {{", f"{ind}  {iv}++;", *body,
                    f"{ind}}}"]
        return [f"{ind}{ty} {iv} = 0;", f"{ind}do {{", f"{ind}  {iv} += 2;", *body,
                f"{ind}}} while ({iv} < {bound});"]

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
        guard = []
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
    out = ["#include <assert.h>", f"/* generated by bench/campaign_gen.py, seed {g.seed} */"]
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


def generate(seed: int, workdir: Path, index: int = 0, tries: int = 20,
             small: bool = False) -> tuple[Program | None, dict[str, int]]:
    """Generate program `index` of the campaign `seed`: UB-free, terminating, with asserts of known truth.

    Returns the program (None if every try was discarded) and the discard counts by reason."""
    discards: dict[str, int] = {}
    for t in range(tries):
        s = ((seed * 1_000_003 + index) * 64 + t) % 2**62
        func = f"f{index}"
        g = Gen(s, func, small)
        body = g.build()
        probes = [ln for ln in body if isinstance(ln, Probe)]
        with tempfile.TemporaryDirectory(dir=workdir) as d:
            work = Path(d)
            probe_src = render(g, body, None)
            run = _compile_and_run(oracle_source(probe_src, func, g.params), work, "probe", RUN_TIMEOUT)
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
            run2 = _compile_and_run(oracle_source(text, func, g.params), work, "oracle", RUN_TIMEOUT)
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
        prog = Program(name=f"{'m' if small else 's'}{seed}_{index}", seed=s, func=func, source=text, deterministic=g.deterministic,
                       domain_size=g.domain, exhaustive=True, truth=truth, reached=reached)
        return prog, discards
    return None, discards


def run_oracle(text: str, func: str, params: list[tuple[str, str, int, int]], workdir: Path) -> OracleRun:
    """Compile and run an arbitrary program file (first line `#include <assert.h>`) as an oracle build."""
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        return _compile_and_run(oracle_source(text, func, params), Path(d), "oracle", RUN_TIMEOUT)
