"""Mutation campaign support: one-token mutants of the proved programs, and the concrete judge.

A mutant changes one operator, comparison or integer constant inside a function body. The
engine verifies the mutant; then every check it reports "proved" is attacked with the fuzzing
harness of tests/fuzz_support.py, and every "refuted" counterexample is replayed. A proved check
that fails on a concrete input, or a counterexample that does not reproduce, is a wrong answer:
mutants are where an engine's shortcuts (constant folding, accelerated loops, cached facts)
stop matching C, which the hand-written corpus alone cannot show.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis.model import CheckResult, FileResult, FunctionResult, Status
from analysis.options import Options
from tests.fuzz_support import Event, compile_fuzz, first_events, folded_ub_lines, fuzz_harness
from tests.toolchain import m32_flags

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "programs"
BENCH = ROOT / "bench" / "svcomp-style"
TRAPV = ("-ftrapv",)  # no folding of signed overflow: UBSan sees every operation as written
REPLAY_LONG = 180.0  # seconds for a counterexample that did not fail within replay's 10 s
TERMINATION_CONFIRM = 3.0  # seconds an input of a function proved terminating may run before a note

# --------------------------------------------------------------------------- tokenizer

_PUNCT = sorted(""">>= <<= ... -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= ##
{ } [ ] ( ) ; , . ? : ~ ! + - * / % < > = & | ^ #""".split(), key=len, reverse=True)
_IDENT = re.compile(r"[A-Za-z_]\w*")
_PPNUM = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*")
_INT = re.compile(r"(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)")
_KEYWORDS = frozenset("""auto break case char const continue default do double else enum extern float for goto
if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned
void volatile while _Bool _Complex _Alignas _Alignof _Atomic _Static_assert _Noreturn _Thread_local""".split())
_TYPE_WORDS = frozenset("""char const double float int long short signed unsigned void volatile _Bool struct union
enum bool size_t""".split())


@dataclass(frozen=True)
class Token:
    kind: str  # id, num, op, char, str
    text: str
    start: int  # offset in the source
    line: int


def tokenize(text: str) -> list[Token]:
    """C tokens, without comments (so without ACSL annotations) and preprocessor lines."""
    out: list[Token] = []
    i, n, line = 0, len(text), 1
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            line, i, at_line_start = line + 1, i + 1, True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "#" and at_line_start:  # a preprocessor line, with its continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    line += 1
                    i += 1
                i += 1
            continue
        at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(Token("str" if c == '"' else "char", text[i:j], i, line))
            i = j
            continue
        m = _IDENT.match(text, i)
        if m:
            if text.startswith(("'", '"'), m.end()) and m.group() in ("L", "u", "U", "u8"):
                i = m.end()  # prefix of a wide literal: the literal follows
                continue
            out.append(Token("id", m.group(), i, line))
            i = m.end()
            continue
        m = _PPNUM.match(text, i)
        if m:
            out.append(Token("num", m.group(), i, line))
            i = m.end()
            continue
        op = next((p for p in _PUNCT if text.startswith(p, i)), c)
        out.append(Token("op", op, i, line))
        i += len(op)
    return out


@dataclass(frozen=True)
class Body:
    """A function definition: its name and the token range of its body (braces included)."""

    name: str
    first: int  # token index of '{'
    last: int  # token index of the matching '}'
    head_line: int  # line just after the previous top-level construct (contracts sit above)
    end_line: int


def function_bodies(tokens: list[Token]) -> list[Body]:
    """Top-level `{` right after a `)` opens a function body (struct/enum/initialiser braces do not)."""
    out: list[Body] = []
    depth, i, prev_end_line = 0, 0, 1
    while i < len(tokens):
        t = tokens[i]
        if t.text == "{" and depth == 0 and i > 0 and tokens[i - 1].text == ")":
            k, paren = i - 1, 0  # back to the parameter list's '(' and the name before it
            while k >= 0:
                paren += {")": 1, "(": -1}.get(tokens[k].text, 0)
                if paren == 0:
                    break
                k -= 1
            name = tokens[k - 1].text if k > 0 and tokens[k - 1].kind == "id" else "?"
            d, j = 0, i
            while j < len(tokens):
                d += {"{": 1, "}": -1}.get(tokens[j].text, 0)
                if d == 0:
                    break
                j += 1
            j = min(j, len(tokens) - 1)
            out.append(Body(name, i, j, prev_end_line, tokens[j].line))
            prev_end_line = tokens[j].line + 1
            i = j + 1
            continue
        depth += {"{": 1, "}": -1}.get(t.text, 0)
        if depth == 0 and t.text in (";", "}"):
            prev_end_line = t.line + 1
        i += 1
    return out


# --------------------------------------------------------------------------- mutants

ARITH = ("+", "-", "*", "/", "%")
COMPARE = ("<", "<=", ">", ">=", "==", "!=")
COMPOUND = {"+=": ("-=",), "-=": ("+=",), "*=": ("/=",), "/=": ("*=",), "%=": ("/=",)}
SWAP = {"&&": "||", "||": "&&", "++": "--", "--": "++"}


@dataclass(frozen=True)
class Mutant:
    """One change of one token: `text[start:start+len(original)]` becomes `replacement`."""

    file: str  # path relative to the repository
    function: str
    line: int
    start: int
    original: str
    replacement: str

    @property
    def description(self) -> str:
        return f"line {self.line}: '{self.original}' -> '{self.replacement}'"

    @property
    def ident(self) -> str:
        """A readable, stable test id."""
        return f"{Path(self.file).stem}:{self.function}:{self.line}:{self.original}->{self.replacement}"

    def apply(self, text: str) -> str:
        assert text[self.start:self.start + len(self.original)] == self.original, self
        return text[:self.start] + self.replacement + text[self.start + len(self.original):]


def _is_cast(tokens: list[Token], close: int) -> bool:
    """Does the `)` at ``close`` end a cast such as `(unsigned char)`?"""
    k, depth = close, 0
    while k >= 0:
        depth += {")": 1, "(": -1}.get(tokens[k].text, 0)
        if depth == 0:
            break
        k -= 1
    inner = tokens[k + 1:close]
    return bool(inner) and all(t.text in _TYPE_WORDS or t.text == "*" or
                               (t.kind == "id" and t.text.endswith("_t")) for t in inner)


def _binary(tokens: list[Token], i: int) -> bool:
    """Is the operator at ``i`` binary (its left neighbour ends an operand)?"""
    if i == 0:
        return False
    p = tokens[i - 1]
    if p.kind in ("num", "char", "str"):
        return True
    if p.kind == "id":
        return p.text not in _KEYWORDS
    if p.text == "]":
        return True
    if p.text == ")":
        return not _is_cast(tokens, i - 1)
    if p.text in ("++", "--"):
        return i >= 2 and (tokens[i - 2].kind == "id" or tokens[i - 2].text in (")", "]"))
    return False


def _constant_variants(tok: str) -> list[str]:
    m = _INT.fullmatch(tok)
    if not m:
        return []  # a float, or not a number
    digits, suffix = m.groups()
    hexa = digits[:2].lower() == "0x"
    octal = not hexa and len(digits) > 1 and digits.startswith("0")
    if octal and any(d in "89" for d in digits):
        return []
    value = int(digits, 16 if hexa else 8 if octal else 10)
    out: list[str] = []
    for v in (value + 1, value - 1, 0):
        if v < 0 or v == value:
            continue
        text = (hex(v) if hexa else ("0" + oct(v)[2:] if octal and v else str(v))) + suffix
        if text not in out:
            out.append(text)
    return out


def mutants_of(text: str, file: str, functions: set[str] | None = None) -> list[Mutant]:
    """Every one-token mutant inside the bodies of ``functions`` (default: all), in source order."""
    tokens = tokenize(text)
    out: list[Mutant] = []
    for body in function_bodies(tokens):
        if functions is not None and body.name not in functions:
            continue
        for i in range(body.first + 1, body.last):
            t = tokens[i]
            reps: list[str] = []
            if t.kind == "num":
                reps = _constant_variants(t.text)
            elif t.text in ARITH and _binary(tokens, i):
                reps = [o for o in ARITH if o != t.text]
            elif t.text in COMPARE:
                reps = [o for o in COMPARE if o != t.text]
            elif t.text in COMPOUND:
                reps = list(COMPOUND[t.text])
            elif t.text in SWAP:
                reps = [SWAP[t.text]]
            for r in reps:
                out.append(Mutant(file, body.name, t.line, t.start, t.text, r))
    return out


# --------------------------------------------------------------------------- which programs

_EXPECT_BAD = re.compile(r"//::\s*(refuted|unknown)\(|//::\s*syntax-error")


def proved_functions(path: Path) -> set[str]:
    """The functions a program expects fully proved: in tests/programs those without a
    `refuted`/`unknown` annotation (in the body or the contract above it), in bench/svcomp-style
    every function of an `expected: true` program."""
    text = path.read_text()
    bodies = function_bodies(tokenize(text))
    if path.parent == BENCH:
        yml = path.with_suffix(".yml")
        return {b.name for b in bodies} if yml.exists() and "expected: true" in yml.read_text() else set()
    if "//:: syntax-error" in text:
        return set()
    lines = text.split("\n")
    return {b.name for b in bodies
            if not any(_EXPECT_BAD.search(ln) for ln in lines[b.head_line - 1:b.end_line])}


def program_options(path: Path, timeout: float | None = None) -> Options:
    """The options the corpus runs a program with (tests/programs: its `//:: options` line)."""
    from tests.corpus import expectations

    opts = expectations(path).options if path.parent == PROGRAMS else Options()
    return dataclasses.replace(opts, timeout=timeout) if timeout is not None else opts


def all_mutants(paths: list[Path]) -> list[Mutant]:
    out: list[Mutant] = []
    for p in paths:
        fns = proved_functions(p)
        if fns:
            out += mutants_of(p.read_text(), p.relative_to(ROOT).as_posix(), fns)
    return out


def corpus_files() -> list[Path]:
    return sorted(PROGRAMS.glob("*.c")) + sorted(BENCH.glob("*.c"))


# --------------------------------------------------------------------------- the judge


@dataclass
class Outcome:
    mutant: Mutant
    valid: bool = True  # False: the mutant does not parse or compile (not counted)
    affected: list[str] = field(default_factory=list)  # functions whose verification input changed
    proved: int = 0  # proved checks of the affected functions (each attacked)
    refuted: int = 0  # refuted checks of the affected functions (each replayed)
    unknown: int = 0
    killed: bool = False  # a check refuted, or a function's status changed
    wrong: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # suspicious but not wrong (reported, not failed)
    seconds: float = 0.0

    @property
    def decided(self) -> bool:
        return self.valid and self.unknown == 0 and (self.proved + self.refuted) > 0


_BASELINES: dict[tuple[Path, Options], FileResult] = {}
_CACHE: object = None


def _cache() -> object:
    """One in-memory result cache per process: a mutant re-verifies only what it changed."""
    global _CACHE
    if _CACHE is None:
        from analysis.cache import MemoryCache

        _CACHE = MemoryCache()
    return _CACHE


def _verify(text: str, path: Path, options: Options) -> FileResult:
    from analysis.service import verify_text

    return verify_text(text, str(path), options, _cache())  # type: ignore[arg-type]


def baseline(path: Path, options: Options) -> FileResult:
    key = (path, options)
    if key not in _BASELINES:
        _BASELINES[key] = _verify(path.read_text(), path, options)
    return _BASELINES[key]


def _keys(text: str, path: Path, options: Options) -> dict[str, str]:
    from analysis.service import function_keys, functions_of, split_text

    split = split_text(text, str(path), options)
    units = functions_of(split)
    return {u.name or "": k for u, k in zip(units, function_keys(split, options, units), strict=True)}


_CALL_SITES = re.compile(r"(\bvoid\s+)?\b(reach_error|__VERIFIER_error|__VERIFIER_assert)\s*\((\s*\))?")
_LINE_HOOKS = """
static void __pl_reach_at(int line) { fprintf(stderr, "PLFAIL reach %d\\n", line); _exit(0); }
static void __pl_vassert_at(int line, int c) { if (!c) fprintf(stderr, "PLFAIL vassert %d\\n", line); }
"""


def _with_lines(code: str) -> str:
    """Give reach_error() and __VERIFIER_assert() reports their call line (in the program part
    of the harness only: declarations and the harness's own definitions keep their names)."""
    start = code.index('#line 1 "')
    end = code.index("#undef main", start)

    def repl(m: re.Match[str]) -> str:
        if m.group(1):  # a declaration or definition
            return m.group()
        if m.group(2) == "__VERIFIER_assert":
            return m.group() if m.group(3) else "__pl_vassert_at(__LINE__, "
        return "__pl_reach_at(__LINE__)" if m.group(3) else m.group()

    program = _CALL_SITES.sub(repl, code[start:end])
    return code[:start] + _LINE_HOOKS + program + code[end:]


def _check_lines(fn: FunctionResult) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    proved = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is Status.PROVED}
    open_ = {(c.span.start.line, c.kind.value) for c in fn.checks if c.status is not Status.PROVED}
    return proved, open_


def _callees(text: str, path: Path, options: Options) -> dict[str, set[str]]:
    """Function -> the functions it calls, transitively."""
    from analysis.service import dependencies, functions_of, split_text

    split = split_text(text, str(path), options)
    return {u.name or "": {d.name or "" for d in dependencies(split, u.name or "")} for u in functions_of(split)}


def _invariant_lines(text: str) -> dict[int, int]:
    """Annotation number -> line of each `loop invariant` (the line its checks are reported at)."""
    from analysis.frontend.annotations import rewrite_annotations

    rewritten = rewrite_annotations(text).text
    return {int(m.group(1)): rewritten.count("\n", 0, m.start()) + 1
            for m in re.finditer(r"__pl_invariant\s*\(\s*(\d+)\s*,", rewritten)}


def _function_level(fn: FunctionResult, kind: str) -> str | None:
    """For a failure without a line: "wrong" if every check of that kind is proved, "note" if the
    function has none (and is proved), None if some check of that kind is not proved."""
    checks = [c for c in fn.checks if c.kind.value == kind]
    if checks and all(c.status is Status.PROVED for c in checks):
        return "wrong"
    if not checks and fn.status is Status.PROVED:
        return "note"
    return None


def _owner(functions: tuple[FunctionResult, ...], line: int) -> FunctionResult | None:
    return next((f for f in functions if f.span.start.line <= line <= f.span.end.line), None)


def _judge(fn: FunctionResult, ev: Event, functions: tuple[FunctionResult, ...]) -> tuple[str, str] | None:
    """Is this first failure of an execution of ``fn`` a wrong answer ("wrong") or odd ("note")?

    A failure at a line is judged against ``fn`` (checks it reports there, e.g. inlined ones) and
    against the function that contains the line (verified for every input, so for this call too)."""
    if ev.kind == "precondition":
        callee = ev.message.rsplit(" ", 1)[-1]
        if callee in (fn.name, "__prooflens_user_main"):
            return None  # the function's own requires: this input is not one prooflens reasons about
        v = _function_level(fn, "precondition")
        return (v, fn.name) if v else None
    if ev.kind in ("postcondition", "timeout") or (ev.kind in ("assert", "reach-error") and ev.line == 0):
        v = _function_level(fn, "termination" if ev.kind == "timeout" else ev.kind)
        return (v, fn.name) if v else None
    where = (ev.line, ev.kind)
    owner = _owner(functions, ev.line)
    claims = [fn] + ([owner] if owner is not None and owner.name != fn.name else [])
    for c in claims:
        proved, open_ = _check_lines(c)
        if where in proved and where not in open_:
            return "wrong", c.name
    decider = owner if owner is not None else fn
    proved, open_ = _check_lines(decider)
    if ev.kind != "other" and where not in proved and where not in open_ and decider.status is Status.PROVED and \
            where not in _check_lines(fn)[1]:
        return "note", decider.name
    return None


def _folded_before(fn: FunctionResult, folded: dict[int, str]) -> int | None:
    """A line of ``fn`` where gcc folded undefined behaviour away and prooflens did not prove the
    matching check: executions through it are not ones prooflens reasons about."""
    for line, kind in sorted(folded.items()):
        if any(c.span.start.line == line and c.kind.value == kind and c.status is not Status.PROVED
               for c in fn.checks):
            return line
    return None


def _still_running(exe: Path, index: int, run: int, seconds: float) -> bool:
    """Re-run one input with a longer time limit: does it still not finish (nor fail)?"""
    usec = str(int(seconds * 1e6))
    try:
        r = subprocess.run([str(exe), str(index), str(run), usec], capture_output=True, text=True,
                           timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        return True
    return "PLTIMEOUT" in r.stderr and "PLFAIL" not in r.stderr and "runtime error" not in r.stderr


def _attack(mtext: str, path: Path, result: FileResult, options: Options, targets: list[str], samples: int,
            out: Outcome) -> None:
    """Run the affected functions on concrete inputs; the first failure of an execution at a
    check proved for that function is a wrong answer. An input that runs past the time limit of
    a function proved terminating is re-run for longer and reported as a note (a long loop is
    not a wrong answer by itself)."""
    built = fuzz_harness(mtext, path, result, options, samples=samples, mark_runs=True)
    if built is None:
        return
    code, names = built
    code = _with_lines(code)
    inv_lines = _invariant_lines(mtext)
    # functions with a contract whose postcondition is not proved: their callers' proofs rest on it
    weak = {f.name for f in result.functions
            if any(c.kind.value == "postcondition" and c.status is not Status.PROVED for c in f.checks)}
    deps = _callees(mtext, path, options)
    by_fn = {f.name: f for f in result.functions}
    with tempfile.TemporaryDirectory(prefix="prooflens-mutant-") as d:
        exe, errors = compile_fuzz(code, path, options, Path(d), cflags=TRAPV)
        if exe is None:
            out.valid = False
            out.notes.append("mutant does not compile: " + errors[-300:])
            return
        folded = folded_ub_lines(code, path, options, Path(d))
        for i, name in enumerate(names):
            fn = by_fn.get(name)
            if fn is None or name not in targets:
                continue
            try:
                run = subprocess.run([str(exe), str(i)], capture_output=True, text=True, timeout=samples * 0.2 + 30)
            except subprocess.TimeoutExpired:
                out.notes.append(f"{name}: fuzzing timed out")
                continue
            seen: set[tuple[int, str]] = set()
            excuse = sorted(weak & deps.get(name, set()))
            for ev in first_events(run.stderr, path.name, inv_lines):
                judged = _judge(fn, ev, result.functions)
                if judged is None or (ev.line, ev.kind) in seen:
                    continue  # one report per check: the first input that breaks it
                seen.add((ev.line, ev.kind))
                verdict, claimant = judged
                what = (f"running {name}: {ev.kind} at line {ev.line}: {ev.message} "
                        f"(run {ev.run}; parameter j = seeds[j % 8] = {list(ev.seeds)})")
                if ev.kind == "timeout":
                    if _still_running(exe, i, ev.run, TERMINATION_CONFIRM):
                        out.notes.append(f"{claimant} proved terminating but still running after "
                                         f"{TERMINATION_CONFIRM:g} s: " + what)
                elif verdict == "wrong" and (hidden := _folded_before(fn, folded)):
                    out.notes.append(f"{claimant} proved it, but the run went on past undefined behaviour that gcc "
                                     f"folded at compile time (line {hidden}, a check not proved): " + what)
                elif verdict == "wrong" and excuse:
                    out.notes.append(f"{claimant} proved through the contract of {', '.join(excuse)}, whose "
                                     "postcondition is not proved: " + what)
                elif verdict == "wrong":
                    out.wrong.append(f"{claimant} proved it, but " + what)
                else:
                    out.notes.append(f"no check in {claimant} (proved), but " + what)


def _instrumented(text: str, path: Path, function: str, check: CheckResult, options: Options) -> bool:
    """Does gcc's UBSan still check some operation on the check's line of the replay harness?"""
    from analysis.testgen import harness_for

    code = harness_for(text, str(path), function, check, options)
    with tempfile.TemporaryDirectory(prefix="prooflens-fold-") as d:
        src = Path(d) / "harness.c"
        src.write_text(code)
        flags = m32_flags(options.data_model)
        subprocess.run(["gcc", "-std=gnu11", "-w", "-O0", "-fsanitize=undefined", *TRAPV, *flags,
                        "-fdump-tree-optimized-lineno", "-dumpdir", f"{d}/", "-I", str(path.parent), "-c", str(src),
                        "-o", f"{d}/harness.o"], capture_output=True, text=True, timeout=60)
        dumps = list(Path(d).glob("*.optimized"))
        if not dumps:
            return True  # no dump: assume it is checked (the replay's verdict stands)
        where = f"{Path(path).as_posix()}:{check.span.start.line}:"
        return any(where in ln and "ubsan" in ln.lower() for ln in dumps[0].read_text().splitlines())


def _replay(mtext: str, path: Path, fn: FunctionResult, check: CheckResult, options: Options, out: Outcome) -> None:
    from tests.corpus import replay

    name, text = fn.name, mtext
    if name == "main":  # the replay harness brings its own main: the program's is renamed (same lines)
        name, text = "__pl_user_main", re.sub(r"\bmain\b", "__pl_user_main", mtext)
    r = replay(text, path, name, check, options)
    if not r.reproduced and r.detail == "ran until killed":  # a long path (2^31 iterations): give it time
        r = replay(text, path, name, check, options, run_timeout=REPLAY_LONG)
    if not r.reproduced and not check.id.startswith("termination"):
        # gcc folds some overflowing expressions away before UBSan sees them, even at -O0
        # (`x - 4 > 0` becomes `x > 4`); -ftrapv turns that folding off
        r2 = replay(text, path, name, check, options, cflags=TRAPV)
        if r2.reproduced:
            out.notes.append(f"{fn.name}: refuted {check.id} at line {check.span.start.line} replays only with "
                             "-ftrapv (gcc folded the overflow away)")
            return
        if check.kind.value in ("overflow", "div-by-zero", "shift") and not _instrumented(text, path, name, check,
                                                                                          options):
            # some folds survive -ftrapv (`a - b == 0` becomes `a == b`; `-2147483647 - 2` is a constant):
            # the compiled harness has no UBSan check left on that line, so a replay proves nothing
            out.notes.append(f"{fn.name}: refuted {check.id} at line {check.span.start.line} cannot be replayed: "
                             "gcc folded the operation away (no UBSan check on that line)")
            return
    if not r.reproduced:
        out.wrong.append(f"{fn.name}: refuted {check.id} at line {check.span.start.line} does not replay: "
                         f"{r.detail[-400:]}")


def evaluate(mutant: Mutant, timeout: float | None = 2.0, samples: int = 100, compare: bool = True) -> Outcome:
    """Verify one mutant and judge every answer about the functions it affects.

    ``compare`` also verifies the original program, to tell whether the mutant changed a
    function's status (``killed``); the judge itself does not need it."""
    t0 = time.perf_counter()
    path = ROOT / mutant.file
    options = program_options(path, timeout)
    text = path.read_text()
    out = Outcome(mutant)
    if text[mutant.start:mutant.start + len(mutant.original)] != mutant.original:
        out.valid = False  # the program changed since the mutants were generated
        out.notes.append("source changed: mutant no longer applies")
        return out
    mtext = mutant.apply(text)
    base_status = {f.name: f.status for f in baseline(path, options).functions} if compare else {}
    result = _verify(mtext, path, options)
    if result.errors or any(f.errors for f in result.functions):
        out.valid = False
        out.notes.append("mutant does not parse")
        out.seconds = time.perf_counter() - t0
        return out
    before, after = _keys(text, path, options), _keys(mtext, path, options)
    out.affected = [n for n, k in after.items() if before.get(n) != k]
    fns = [f for f in result.functions if f.name in out.affected]
    for f in fns:
        out.proved += sum(c.status is Status.PROVED for c in f.checks)
        out.refuted += sum(c.status is Status.REFUTED for c in f.checks)
        out.unknown += sum(c.status is Status.UNKNOWN for c in f.checks)
        if f.status is Status.REFUTED or (compare and f.status != base_status.get(f.name)):
            out.killed = True
    if out.proved:
        _attack(mtext, path, result, options, out.affected, samples, out)
    if out.valid:
        for f in fns:
            for c in f.checks:
                if c.status is Status.REFUTED:
                    _replay(mtext, path, f, c, options, out)
    out.seconds = time.perf_counter() - t0
    return out


def sample(mutants: list[Mutant], count: int, seed: int) -> list[Mutant]:
    """A seeded choice of ``count`` mutants, spread over the programs, in a stable order."""
    import random

    rng = random.Random(seed)
    by_file: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_file.setdefault(m.file, []).append(m)
    files = sorted(by_file)
    rng.shuffle(files)
    chosen: list[Mutant] = []
    while len(chosen) < count and any(by_file.values()):
        for f in files:
            if by_file[f] and len(chosen) < count:
                chosen.append(by_file[f].pop(rng.randrange(len(by_file[f]))))
    return chosen
