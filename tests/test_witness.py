"""SV-COMP witnesses (format 2.0): the SMT-LIB -> C translator (differential testing against z3
with gcc + UBSan), and `--witness` end to end on small programs."""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import z3

from analysis.cli import main
from analysis.witness import smt_to_c, to_yaml

GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="needs gcc")

# -- a parser for the YAML subset the writer emits (block style, JSON scalars) ------------------------


def parse_yaml(text: str) -> Any:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    pos = 0

    def indent(ln: str) -> int:
        return len(ln) - len(ln.lstrip(" "))

    def scalar(s: str) -> Any:
        s = s.strip()
        return {} if s == "{}" else [] if s == "[]" else json.loads(s)

    def block(ind: int) -> Any:
        nonlocal pos
        if lines[pos].lstrip().startswith("- "):
            out: list[Any] = []
            while pos < len(lines) and indent(lines[pos]) == ind and lines[pos].lstrip().startswith("- "):
                rest = lines[pos][ind + 2:]
                lines[pos] = " " * (ind + 2) + rest  # the item's first line, one level in
                if rest.startswith("- ") or (":" in rest and not rest.startswith('"')):
                    out.append(block(ind + 2))
                else:
                    pos += 1
                    out.append(scalar(rest))
            return out
        obj: dict[str, Any] = {}
        while pos < len(lines) and indent(lines[pos]) == ind and not lines[pos].lstrip().startswith("- "):
            key, _, val = lines[pos].strip().partition(":")
            pos += 1
            obj[key] = block(indent(lines[pos])) if not val.strip() else scalar(val)
        return obj

    doc = block(0)
    assert pos == len(lines), f"unparsed line {pos}: {lines[pos]!r}"
    return doc


def load(text: str) -> Any:
    doc = parse_yaml(text)
    # a real YAML parser, when some interpreter on the machine has one, must read the same document
    for py in (sys.executable, shutil.which("python3")):
        if py is None:
            continue
        got = subprocess.run([py, "-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"],
                             input=text, capture_output=True, text=True)
        if got.returncode == 0:
            assert json.loads(got.stdout) == doc
            break
    return doc


def test_yaml_writer_round_trip() -> None:
    doc = [{"a": "x: \"y\" \\ \n", "b": [1, -2, {"c": [], "d": {}}], "e": [[1, "2"], {"f": {"g": "h"}}]}]
    assert load(to_yaml(doc)) == doc


# -- the translator, by differential testing ------------------------------------------------------------

VARS = {"a": 8, "b": 16, "c": 32, "d": 64, "e": 32, "f": 1}
CTYPES = {1: ("_Bool", "_Bool"), 8: ("signed char", "unsigned char"), 16: ("short", "unsigned short"),
          32: ("int", "unsigned int"), 64: ("long long", "unsigned long long")}


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vars = {n: z3.BitVec(n, w) for n, w in VARS.items()}

    def const(self, w: int) -> Any:
        r = self.rng.random()
        v = (self.rng.choice([0, 1, 2, (1 << w) - 1, 1 << (w - 1), (1 << (w - 1)) - 1, w - 1, w])
             if r < 0.5 else self.rng.getrandbits(w))
        return z3.BitVecVal(v % (1 << w), w)

    def leaf(self, w: int) -> Any:
        same = [v for v in self.vars.values() if v.size() == w]
        wider = [v for v in self.vars.values() if v.size() > w]
        r = self.rng.random()
        if same and r < 0.6:
            return self.rng.choice(same)
        if wider and r < 0.8:
            v = self.rng.choice(wider)
            lo = self.rng.randint(0, v.size() - w)
            return z3.Extract(lo + w - 1, lo, v)
        return self.const(w)

    def bv(self, w: int, depth: int) -> Any:  # noqa: C901
        rng = self.rng
        if depth == 0 or rng.random() < 0.2:
            return self.leaf(w)
        ops = ["add", "sub", "mul", "neg", "not", "and", "or", "xor", "udiv", "urem", "shl", "lshr", "ashr",
               "ite", "extract", "zext", "sext", "concat"]
        if w in (8, 16, 32, 64):
            ops += ["sdiv", "srem", "smod"]
        op = rng.choice(ops)

        def sub() -> Any:
            return self.bv(w, depth - 1)

        if op in ("add", "sub", "mul", "and", "or", "xor"):
            a, b = sub(), sub()
            return {"add": a + b, "sub": a - b, "mul": a * b, "and": a & b, "or": a | b, "xor": a ^ b}[op]
        if op == "neg":
            return -sub()
        if op == "not":
            return ~sub()
        if op in ("udiv", "urem", "sdiv", "srem", "smod"):
            a = sub()
            b = sub() if rng.random() < 0.6 else z3.BitVecVal(rng.choice([0, 1, (1 << w) - 1, 3]), w)
            return {"udiv": z3.UDiv, "urem": z3.URem, "sdiv": lambda x, y: x / y, "srem": z3.SRem,
                    "smod": lambda x, y: x % y}[op](a, b)
        if op in ("shl", "lshr", "ashr"):
            a = sub()
            b = sub() if rng.random() < 0.3 else z3.BitVecVal(rng.randint(0, w + 2) % (1 << w), w)
            return {"shl": lambda x, y: x << y, "lshr": z3.LShR, "ashr": lambda x, y: x >> y}[op](a, b)
        if op == "ite":
            return z3.If(self.boolean(depth - 1), sub(), sub())
        if op == "extract" and w < 64:
            src = rng.choice([x for x in (8, 16, 32, 36, 64) if x > w])
            lo = rng.randint(0, src - w)
            return z3.Extract(lo + w - 1, lo, self.bv(src, depth - 1))
        if op in ("zext", "sext") and w > 1:
            src = rng.choice([x for x in (1, 5, 8, 16, 32) if x < w])
            inner = self.bv(src, depth - 1)
            return z3.ZeroExt(w - src, inner) if op == "zext" else z3.SignExt(w - src, inner)
        if op == "concat" and w > 1:
            hi = rng.randint(1, w - 1)
            return z3.Concat(self.bv(hi, depth - 1), self.bv(w - hi, depth - 1))
        return self.leaf(w)

    def boolean(self, depth: int) -> Any:
        rng = self.rng
        if depth <= 0 or rng.random() < 0.5:
            w = rng.choice([1, 5, 8, 16, 32, 36, 64])
            a, b = self.bv(w, max(depth - 1, 0)), self.bv(w, max(depth - 1, 0))
            cmp = rng.choice(["ule", "ult", "uge", "ugt", "sle", "slt", "sge", "sgt", "eq", "ne"])
            return {"ule": z3.ULE, "ult": z3.ULT, "uge": z3.UGE, "ugt": z3.UGT, "sle": lambda x, y: x <= y,
                    "slt": lambda x, y: x < y, "sge": lambda x, y: x >= y, "sgt": lambda x, y: x > y,
                    "eq": lambda x, y: x == y, "ne": lambda x, y: z3.Distinct(x, y)}[cmp](a, b)
        op = rng.choice(["and", "or", "not", "implies", "xor", "ite", "beq"])
        p, q = self.boolean(depth - 1), self.boolean(depth - 1)
        return {"and": z3.And(p, q), "or": z3.Or(p, q), "not": z3.Not(p), "implies": z3.Implies(p, q),
                "xor": z3.Xor(p, q), "ite": z3.If(p, q, self.boolean(depth - 1)), "beq": p == q}[op]


def _c_value(v: int, w: int, signed: bool) -> str:
    if w == 1:
        return str(v)
    if signed and v >= 1 << (w - 1):
        v -= 1 << w
    if v == -(1 << 63):
        return "(-9223372036854775807LL - 1)"
    return f"{v}LL" if signed else f"{v}ULL"


@needs_gcc
def test_translator_agrees_with_z3(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    gen = Gen(rng)
    cases: list[tuple[str, str, bool]] = []  # (C declarations, C expression, z3's value)
    skipped = 0
    while len(cases) < 480:
        term = gen.boolean(3)
        c = smt_to_c(term.sexpr(), VARS)
        if c is None:
            skipped += 1
            continue
        for _ in range(4):
            vals = {n: rng.choice([0, 1, (1 << w) - 1, 1 << (w - 1), rng.getrandbits(w)]) % (1 << w)
                    for n, w in VARS.items()}
            expect = z3.simplify(z3.substitute(term, *[(gen.vars[n], z3.BitVecVal(v, VARS[n]))
                                                       for n, v in vals.items()]))
            assert z3.is_true(expect) or z3.is_false(expect)
            decls = []
            for n, v in vals.items():
                signed = rng.random() < 0.5
                t = CTYPES[VARS[n]][0 if signed else 1]
                decls.append(f"{t} {n} = ({t}){_c_value(v, VARS[n], signed)};")
            cases.append((" ".join(decls), c, z3.is_true(expect)))
    assert skipped < 50, f"{skipped} random terms not translated"
    body = "\n".join(f"  {{ {d} printf(\"%d\\n\", ({e}) ? 1 : 0); }}" for d, e, _ in cases)
    prog = tmp_path / "diff.c"
    prog.write_text(f"#include <stdio.h>\nint main(void) {{\n{body}\n  return 0;\n}}\n")
    exe = tmp_path / "diff"
    assert GCC is not None
    subprocess.run([GCC, "-O1", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all", str(prog), "-o",
                    str(exe)], check=True, capture_output=True, timeout=120)
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]  # UBSan: no undefined behaviour in any expression
    got = out.stdout.split()
    assert len(got) == len(cases)
    bad = [(e, d, want) for (d, e, want), g in zip(cases, got, strict=True) if (g == "1") != want]
    assert not bad, bad[:3]


def test_translator_skips_what_it_cannot_express() -> None:
    assert smt_to_c("(bvsle x@entry x)", {"x": 32}) is None
    assert smt_to_c("(bvsle y #x00000000)", {"x": 32}) is None  # not a C variable in scope
    assert smt_to_c("(bvule ((_ zero_extend 64) x) #x0000000000000000000000000000000a)", {"x": 64}) is None
    assert smt_to_c("(bvule x #x0000000a)", {"x": 32}) == "(((unsigned int)x) <= 10u)"


# -- end to end ----------------------------------------------------------------------------------------

TRUE_PROG = """extern unsigned int __VERIFIER_nondet_uint(void);
extern void __VERIFIER_assume(int);
extern void reach_error(void);
int main(void) {
    unsigned int n = __VERIFIER_nondet_uint();
    __VERIFIER_assume(n <= 1000);
    unsigned int i = 0;
    while (i < n) {
        i++;
    }
    if (i != n) reach_error();
    return 0;
}
"""

FALSE_PROG = """extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);
int main(void) {
    int x = __VERIFIER_nondet_int();
    int y = __VERIFIER_nondet_int();
    if (x > 10 && y == x + 5) {
        reach_error();
    }
    return 0;
}
"""

UNKNOWN_PROG = """extern void reach_error(void);
int main(void) {
    float f = 1.0f;
    if (f > 2.0f) reach_error();
    return 0;
}
"""

HARNESS = """#include <stdio.h>
#include <stdlib.h>
static long long vals[64]; static int nvals, next_val;
unsigned int __VERIFIER_nondet_uint(void) { return (unsigned int)vals[next_val++ % nvals]; }
int __VERIFIER_nondet_int(void) { return (int)vals[next_val++ % nvals]; }
void __VERIFIER_assume(int c) { if (!c) exit(0); }
void reach_error(void) { puts("REACHED"); exit(7); }
static int inv_ok(int c) { if (!c) { puts("INVARIANT VIOLATED"); exit(9); } return 1; }
#define main program_main
"""
DRIVER = """#undef main
int main(int argc, char **argv) {
    for (int k = 1; k < argc; k++) vals[nvals++] = atoll(argv[k]);
    if (nvals == 0) vals[nvals++] = 0;
    return program_main();
}
"""


def run_check(tmp_path: Path, prog: str, prop: str = "unreach-call",
              extra: tuple[str, ...] = ()) -> tuple[int, Path, Path, str]:
    src = tmp_path / "task.c"
    src.write_text(prog)
    out = tmp_path / "witness.yml"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = main(["check", str(src), "--entry", "main", "--property", prop, "--no-cache", "--format", "json",
                   "--witness", str(out), *extra])
    return rc, src, out, err.getvalue()


def check_metadata(entry: dict[str, Any], src: Path, spec: str) -> None:
    import hashlib

    meta = entry["metadata"]
    assert meta["format_version"] == "2.0"
    assert len(meta["uuid"]) == 36 and meta["creation_time"][:2] == "20"
    assert meta["producer"]["name"] == "prooflens"
    task = meta["task"]
    assert task["input_files"] == [str(src)]
    assert task["input_file_hashes"] == {str(src): hashlib.sha256(src.read_bytes()).hexdigest()}
    assert task["specification"] == spec and task["data_model"] == "LP64" and task["language"] == "C"


def build(tmp_path: Path, code: str, name: str) -> Path:
    c = tmp_path / f"{name}.c"
    c.write_text(HARNESS + code + "\n" + DRIVER)
    exe = tmp_path / name
    assert GCC is not None
    subprocess.run([GCC, "-O0", "-fsanitize=undefined", "-fno-sanitize-recover=all", "-w", str(c), "-o", str(exe)],
                   check=True, capture_output=True, timeout=60)
    return exe


@needs_gcc
def test_correctness_witness_invariant_holds_at_loop_head(tmp_path: Path) -> None:
    rc, src, out, err = run_check(tmp_path, TRUE_PROG)
    assert rc == 0, err
    doc = load(out.read_text())
    assert isinstance(doc, list) and len(doc) == 1
    entry = doc[0]
    assert entry["entry_type"] == "invariant_set"
    check_metadata(entry, src, "G ! call(reach_error())")
    invs = [item["invariant"] for item in entry["content"]]
    assert invs, "the loop's invariant is in the witness"
    for inv in invs:
        assert inv["type"] == "loop_invariant" and inv["format"] == "c_expression"
        assert inv["location"] == {"file_name": str(src), "line": 8, "column": 5, "function": "main"}
    # each invariant, evaluated every time the loop head is reached, holds (and is not trivially true)
    lines = TRUE_PROG.splitlines()
    for k, inv in enumerate(invs):
        ln = lines[7]
        assert ln[4:].startswith("while (")
        lines_k = list(lines)
        lines_k[7] = ln[:4] + "while (inv_ok(" + inv["value"] + "), " + ln[len("    while ("):]
        exe = build(tmp_path, "\n".join(lines_k) + "\n", f"inv{k}")
        for n in ("0", "1", "2", "17", "999", "1000", "1001", "4294967295"):
            r = subprocess.run([str(exe), n], capture_output=True, text=True, timeout=10)
            assert r.returncode == 0, (n, r.stdout, r.stderr)
        # the same expression is false on a state that is not reachable: it says something
        probe = build(tmp_path, "int main(void) { unsigned int n = 5, i = 6; return !(" + inv["value"] + "); }",
                      f"probe{k}")
        assert subprocess.run([str(probe)], timeout=10).returncode == 1


@needs_gcc
def test_violation_witness_replays_to_the_error(tmp_path: Path) -> None:
    rc, src, out, err = run_check(tmp_path, FALSE_PROG)
    assert rc == 1, err
    doc = load(out.read_text())
    entry = doc[0]
    assert entry["entry_type"] == "violation_sequence"
    check_metadata(entry, src, "G ! call(reach_error())")
    wps = [seg["segment"] for seg in entry["content"]]
    assert all(len(s) == 1 and s[0]["waypoint"]["action"] == "follow" for s in wps)
    wps = [s[0]["waypoint"] for s in wps]
    assert [w["type"] for w in wps] == ["function_return", "function_return", "target"]
    assert wps[-1]["location"] == {"file_name": str(src), "line": 7, "column": 9, "function": "main"}
    values = []
    for w, line in zip(wps[:2], (4, 5), strict=True):
        loc = w["location"]
        assert (loc["line"], loc["function"]) == (line, "main")
        assert FALSE_PROG.splitlines()[line - 1][loc["column"] - 1] == ")"  # the call's closing parenthesis
        assert w["constraint"]["format"] == "acsl_expression"
        assert w["constraint"]["value"].startswith("\\result == ")
        values.append(w["constraint"]["value"].split("== ")[1])
    exe = build(tmp_path, FALSE_PROG, "replay")
    r = subprocess.run([str(exe), *values], capture_output=True, text=True, timeout=10)
    assert r.returncode == 7 and "REACHED" in r.stdout


def test_no_witness_for_unknown(tmp_path: Path) -> None:
    rc, _, out, err = run_check(tmp_path, UNKNOWN_PROG)
    assert rc == 2
    assert not out.exists()
    assert "no witness" in err


def test_witness_needs_verdict_mode(tmp_path: Path) -> None:
    src = tmp_path / "t.c"
    src.write_text(FALSE_PROG)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = main(["check", str(src), "--no-cache", "--witness", str(tmp_path / "w.yml")])
    assert rc == 3
    assert "--witness needs SV-COMP mode" in err.getvalue()
    assert not (tmp_path / "w.yml").exists()
