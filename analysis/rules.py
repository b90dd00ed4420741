"""What each check id means, for people: the rule text of the SARIF output and the HTML report.

Why a table of its own: GitHub code scanning shows a rule's ``fullDescription`` and ``help``
next to every alert, and a reader who meets ``shift.negative-value`` for the first time needs the
C rule behind it, a two-line example and the two ways out (fix the code, or state the assumption
as an annotation so that it is checked at the callers). One entry per id of
:data:`analysis.model.CHECK_IDS`; tests/test_sarif.py keeps them in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.model import CheckKind, kind_of, message_of

# assertion-like kinds are errors: the program states a property and it fails; undefined behaviour
# is a warning (it may be intended on the compiler at hand, but nothing guarantees it)
ERROR_KINDS = {CheckKind.ASSERT, CheckKind.POSTCONDITION, CheckKind.REACH_ERROR, CheckKind.PRECONDITION,
               CheckKind.INVARIANT, CheckKind.TERMINATION}


@dataclass(frozen=True)
class RuleDoc:
    meaning: str  # one paragraph: the C rule and what a refutation shows
    example: str  # a few lines of C that the check refutes
    fix: str  # how to fix the code or annotate the assumption
    tags: tuple[str, ...] = ()
    cwes: tuple[int, ...] = ()
    security_severity: float | None = None  # GitHub's 0-10 scale, for results tagged "security"


_ANNOTATE_ARGS = ("If the inputs can never be that large, say so where the function starts: "
                  "`/*@ requires ... */` is then assumed here and checked at every call site.")

_UB_TAGS = ("security", "correctness", "undefined-behavior")
_OVERFLOW = ("Signed integer overflow is undefined behaviour in C (C11 6.5p5): the compiler may assume it never "
             "happens and optimise the surrounding code accordingly. The counterexample gives inputs for which "
             "the exact result does not fit in the type.")

RULE_DOCS: dict[str, RuleDoc] = {
    "overflow.signed.add": RuleDoc(
        _OVERFLOW, "int sum(int a, int b) {\n    return a + b;   /* a = INT_MAX, b = 1 */\n}",
        "Check the operands first (`if (b > 0 && a > INT_MAX - b) ...`), compute in a wider or unsigned type, or "
        "use `__builtin_add_overflow`. " + _ANNOTATE_ARGS,
        _UB_TAGS, (190,), 7.0),
    "overflow.signed.sub": RuleDoc(
        _OVERFLOW, "int diff(int x, int y) {\n    return x - y;   /* x = 1, y = INT_MIN */\n}",
        "Check the operands first (`if (y < 0 && x > INT_MAX + y) ...`), compute in a wider type, or use "
        "`__builtin_sub_overflow`. " + _ANNOTATE_ARGS,
        _UB_TAGS, (190, 191), 7.0),
    "overflow.signed.mul": RuleDoc(
        _OVERFLOW, "int area(int w, int h) {\n    return w * h;   /* w = h = 65536 */\n}",
        "Bound the factors, multiply in a wider type and check the result, or use `__builtin_mul_overflow`. "
        + _ANNOTATE_ARGS,
        _UB_TAGS, (190,), 7.0),
    "overflow.signed.div": RuleDoc(
        "`INT_MIN / -1` is undefined behaviour (C11 6.5.5p6): the quotient does not fit in the type, and on "
        "x86 the division traps.",
        "int quot(int a, int b) {\n    return b ? a / b : 0;   /* a = INT_MIN, b = -1 */\n}",
        "Handle `b == -1` separately (`a == INT_MIN && b == -1`), or require it away: "
        "`/*@ requires a != INT_MIN || b != -1; */`.",
        _UB_TAGS, (190,), 6.5),
    "overflow.signed.rem": RuleDoc(
        "`INT_MIN % -1` is undefined behaviour (C11 6.5.5p6), although the mathematical result is 0; on x86 "
        "it traps like the division.",
        "int rem(int a, int b) {\n    return b ? a % b : 0;   /* a = INT_MIN, b = -1 */\n}",
        "Return 0 for `b == -1` before the `%`, or require `a != INT_MIN || b != -1`.",
        _UB_TAGS, (190,), 6.5),
    "overflow.signed.neg": RuleDoc(
        "Negating the most negative value (`-INT_MIN`) overflows: undefined behaviour (C11 6.5p5).",
        "int abs_value(int x) {\n    return x < 0 ? -x : x;   /* x = INT_MIN */\n}",
        "Return an unsigned result (`0u - (unsigned)x`), handle `INT_MIN` first, or `/*@ requires x != INT_MIN; */`.",
        _UB_TAGS, (190,), 6.0),
    "overflow.signed.inc": RuleDoc(
        _OVERFLOW + " For `++` this is a counter that reaches the maximum of its type.",
        "void count(int n) {\n    for (int i = 0; i <= n; i++) { }   /* n = INT_MAX */\n}",
        "Use a loop condition that cannot reach the maximum (`i < n`), a wider or unsigned counter, or bound "
        "the input. " + _ANNOTATE_ARGS,
        _UB_TAGS, (190,), 6.5),
    "overflow.signed.dec": RuleDoc(
        _OVERFLOW + " For `--` this is a counter that goes below the minimum of its type.",
        "int before(int x) {\n    return --x;   /* x = INT_MIN */\n}",
        "Stop the loop before the minimum, use a wider counter, or bound the input. " + _ANNOTATE_ARGS,
        _UB_TAGS, (191,), 6.5),
    "div-by-zero.div": RuleDoc(
        "Division by zero is undefined behaviour (C11 6.5.5p5); on most machines the program is killed.",
        "int mean(int total, int n) {\n    return total / n;   /* n = 0 */\n}",
        "Test the divisor first, or require it: `/*@ requires n != 0; */` (then every caller is checked).",
        _UB_TAGS, (369,), 5.5),
    "div-by-zero.rem": RuleDoc(
        "Remainder by zero is undefined behaviour (C11 6.5.5p5); on most machines the program is killed.",
        "int bucket(int h, int size) {\n    return h % size;   /* size = 0 */\n}",
        "Test the divisor first, or require it: `/*@ requires size != 0; */`.",
        _UB_TAGS, (369,), 5.5),
    "shift.negative": RuleDoc(
        "Shifting by a negative amount is undefined behaviour (C11 6.5.7p3).",
        "unsigned bit(int k) {\n    return 1u << k;   /* k = -1 */\n}",
        "Check `0 <= k && k < 32` first, use an unsigned shift count, or require the range with `requires`.",
        _UB_TAGS, (1335,), 5.0),
    "shift.too-wide": RuleDoc(
        "Shifting by the width of the (promoted) left operand or more is undefined behaviour (C11 6.5.7p3); "
        "x86 silently masks the count, other machines do not.",
        "unsigned bit(unsigned k) {\n    return 1u << k;   /* k = 32 */\n}",
        "Check the count against the width first, or require `k < 32`.",
        _UB_TAGS, (1335,), 5.0),
    "shift.negative-value": RuleDoc(
        "Left-shifting a negative signed value is undefined behaviour (C11 6.5.7p4).",
        "int scale(int x) {\n    return x << 2;   /* x = -1 */\n}",
        "Shift an unsigned value (`(int)((unsigned)x << 2)` is defined up to the conversion) or multiply, or "
        "require `x >= 0`.",
        _UB_TAGS, (1335,), 5.0),
    "shift.overflow": RuleDoc(
        "A left shift of a signed value whose result is not representable is undefined behaviour "
        "(C11 6.5.7p4), e.g. `1 << 31` on a 32-bit `int`.",
        "int flag(int k) {\n    return 1 << k;   /* k = 31 */\n}",
        "Shift unsigned values (`1u << k`), or bound the value and the count with `requires`.",
        _UB_TAGS, (1335, 190), 5.0),
    "bounds.index": RuleDoc(
        "An array index outside `0 .. N-1` reads or writes memory outside the array: undefined behaviour "
        "(C11 6.5.6p8) and the classic buffer overflow.",
        "int last(int a[8], int n) {\n    return a[n];   /* n = 8 */\n}",
        "Check the index against the array's length (`if (0 <= n && n < 8)`), fix an off-by-one loop bound "
        "(`<` instead of `<=`), or require the range: `/*@ requires 0 <= n && n < 8; */`.",
        _UB_TAGS, (129, 125, 787), 8.0),
    "assert.violated": RuleDoc(
        "An `assert`, `__VERIFIER_assert` or ACSL `//@ assert` can fail: the counterexample reaches it with "
        "the condition false.",
        "int max(int a, int b) {\n    int m = a > b ? a : b;\n    assert(m > a);   /* a = b */\n    return m;\n}",
        "Fix the code or the assertion. If the assertion holds only for some inputs, state them as a "
        "`requires` so that the callers are checked instead.",
        ("correctness",), (617,)),
    "reach-error.reachable": RuleDoc(
        "A call of `reach_error()` (SV-COMP's error location) is reachable: the counterexample drives the "
        "program there.",
        "void check(int x) {\n    if (x == 42) reach_error();\n}",
        "Fix the code so that the error location cannot be reached, or restrict the inputs with `requires` or "
        "`__VERIFIER_assume`.",
        ("correctness",), (617,)),
    "precondition.violated": RuleDoc(
        "A callee's `requires` clause may not hold at this call: the caller passes arguments the callee "
        "does not accept.",
        "/*@ requires n != 0; */ int inv(int n);\nint use(int k) {\n    return inv(k);   /* k = 0 */\n}",
        "Check the arguments before the call, or pass the obligation up with a `requires` on the caller.",
        ("correctness", "contract"), (628,)),
    "postcondition.violated": RuleDoc(
        "The function's `ensures` clause may not hold when it returns: the counterexample returns a value "
        "(or leaves a state) the contract excludes.",
        "/*@ ensures \\result >= 0; */\nint abs_value(int x) {\n    return x;   /* x = -1 */\n}",
        "Fix the code, weaken the `ensures`, or add the `requires` it depends on.",
        ("correctness", "contract"), ()),
    "assigns.violated": RuleDoc(
        "The function's `assigns` clause may not hold when it returns: some location that existed when it "
        "was called and that the clause does not list has a new value, or a block the caller had is freed "
        "without a `frees` clause. Callers replacing the call by the contract assume all else unchanged.",
        "/*@ requires \\valid(c); assigns c->hits; */\nvoid hit(struct counter *c) {\n    c->hits++;\n"
        "    c->misses = 0;   /* not listed */\n}",
        "Stop writing the location, or list it (`assigns c->hits, c->misses;`): every caller then forgets it.",
        ("correctness", "contract"), ()),
    "termination.loop": RuleDoc(
        "The loop may run forever: the counterexample enters it in a state from which it never leaves "
        "(a recurrent set). A hang is a denial of service.",
        "void walk(int x, int y) {\n    while (x > y) x = x - y;   /* x = 1, y = 0 */\n}",
        "Make sure every iteration makes progress toward the exit (here: require `y > 0`), or bound the loop.",
        ("correctness", "termination"), (835,), 5.0),
    "termination.recursion": RuleDoc(
        "The recursion may not end: some input makes the calls go on without reaching a base case "
        "(stack exhaustion in practice).",
        "int down(int n) {\n    return n == 0 ? 0 : down(n - 2);   /* n = 1 */\n}",
        "Make the base case cover every input (`n <= 0`), or require inputs for which the measure decreases "
        "to it.",
        ("correctness", "termination"), (674,), 5.0),
    "invariant.initiation": RuleDoc(
        "A `loop invariant` you wrote does not hold when the loop is entered, so it cannot be used.",
        "/*@ loop invariant i >= 1; */\nfor (int i = 0; i < n; i++) { }",
        "Fix the invariant (here `i >= 0`) or the initialisation before the loop.",
        ("correctness", "annotation"), ()),
    "invariant.consecution": RuleDoc(
        "A `loop invariant` you wrote holds on entry but one iteration can break it, so it cannot be used.",
        "/*@ loop invariant s <= 100; */\nfor (int i = 0; i < n; i++) s += i;",
        "Strengthen the invariant with what the proof needs (e.g. a bound on `i`), or fix the loop body.",
        ("correctness", "annotation"), ()),
    "memory.unmodelled": RuleDoc(
        "An access through memory that the memory model does not represent (a pointer to a pointer, a cast "
        "between object types, a library function it does not know, a loop that loses track of a pointer): "
        "prooflens neither proves nor refutes it. It is listed so that a function with one is never shown "
        "as proved.",
        "int first(int **p) {\n    return **p;\n}",
        "Nothing to fix in your code. To get a proof, keep the pointer work in a small function of its own "
        "over int or char arrays and structs of integers.",
        ("limitation",), ()),
    "memory.null": RuleDoc(
        "A pointer that may be NULL is dereferenced (or passed to a library function that needs a valid "
        "pointer): undefined behaviour, usually a crash (C11 6.5.3.2p4).",
        "int *p = malloc(sizeof *p);\n*p = 1;  /* malloc may return NULL */",
        "Check the pointer before using it, or state that callers pass a valid one.",
        ("security", "memory"), (476,), 6.5),
    "memory.use-after-free": RuleDoc(
        "Memory is accessed after it was freed (C11 7.22.3p1: the pointer is indeterminate).",
        "free(p);\nreturn *p;",
        "Read what you need before free, or free later.",
        ("security", "memory"), (416,), 8.8),
    "memory.bounds": RuleDoc(
        "An access through a pointer reads or writes outside the object it points into.",
        "int v[5];\nint *p = v;\nreturn p[5];",
        "Bound the index by the object's size, or allocate room for the access.",
        ("security", "memory"), (125, 787), 8.8),
    "memory.pointer-arith": RuleDoc(
        "Pointer arithmetic leaves its object (C11 6.5.6p8 allows only the elements and one past the end), "
        "or two pointers into different objects are subtracted or ordered.",
        "int v[4];\nint *p = v + 5;",
        "Keep pointers within the object (or one past its end).",
        ("security", "memory"), (823,), 6.5),
    "memory.double-free": RuleDoc(
        "A block is freed twice.",
        "free(p);\nfree(p);",
        "Free each block once; set the pointer to NULL after free.",
        ("security", "memory"), (415,), 8.8),
    "memory.invalid-free": RuleDoc(
        "free is passed a pointer that is not the start of a block from malloc, calloc or realloc.",
        "int x;\nfree(&x);",
        "Free only what was allocated, through the pointer the allocator returned.",
        ("security", "memory"), (590, 761), 7.5),
    "memory.leak": RuleDoc(
        "A block allocated by the function is still live when it returns, and neither the returned "
        "value nor a global points to it: nothing can free it any more (a definite leak).",
        "int f(int n) {\n    char *p = malloc(n);\n    if (!p || n > 8)\n        return -1;\n    free(p);\n    return 0;\n}",
        "Free the block on every way out (a single cleanup label helps), or hand it on: return it or "
        "store it where the caller can reach it.",
        ("security", "memory"), (401,), 5.3),
    "memory.local-escape": RuleDoc(
        "The address of a local variable is returned: it dangles as soon as the function returns.",
        "int *f(void) {\n    int x = 1;\n    return &x;\n}",
        "Return the value, or allocate the object, or let the caller pass the storage.",
        ("security", "memory"), (562,), 7.5),
    "memory.overlap": RuleDoc(
        "memcpy, strcpy or strncpy between overlapping ranges is undefined (C11 7.24.2.1p2, 7.24.2.3p2, "
        "7.24.2.4p2).",
        "memcpy(buf + 1, buf, 4);",
        "Use memmove for overlapping ranges.",
        ("correctness", "memory"), (475,)),
    "memory.string": RuleDoc(
        "A string function reads past the end of its object: no NUL terminator inside it.",
        "char s[3] = {'a', 'b', 'c'};\nreturn strlen(s);",
        "Terminate the string, or use a length-bounded function.",
        ("security", "memory"), (170,), 7.5),
    "library.ctype-domain": RuleDoc(
        "The argument of isdigit, isalpha, ..., toupper and tolower must be EOF or a value of unsigned char "
        "(C11 7.4p1). A plain `char` holding a byte >= 128 is negative: the call is undefined, and most C "
        "libraries index their class table before its start.",
        "int digit(char c) {\n    return isdigit(c);   /* c = '\\xe9' (-23) */\n}",
        "Convert to unsigned char first: `isdigit((unsigned char)c)`.",
        ("security", "correctness", "undefined-behavior"), (125, 704), 5.0),
}


def level_of(check_id: str) -> str:
    """SARIF level of a refuted result of this check (unknown results are always "note")."""
    if check_id == "memory.unmodelled":
        return "note"
    return "error" if kind_of(check_id) in ERROR_KINDS else "warning"


def cwe_tags(doc: RuleDoc) -> list[str]:
    # the spelling GitHub and CodeQL use, so code scanning can filter by CWE
    return [f"external/cwe/cwe-{n}" for n in doc.cwes]


def help_text(check_id: str) -> str:
    doc = RULE_DOCS[check_id]
    return f"{doc.meaning}\n\nExample:\n{doc.example}\n\nHow to fix: {doc.fix}"


def help_markdown(check_id: str) -> str:
    doc = RULE_DOCS[check_id]
    cwes = ", ".join(f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)" for n in doc.cwes)
    md = (f"**{message_of(check_id)}** (`{check_id}`)\n\n{doc.meaning}\n\n"
          f"#### Example\n\n```c\n{doc.example}\n```\n\n#### How to fix\n\n{doc.fix}\n")
    if cwes:
        md += f"\n#### References\n\n{cwes}\n"
    return md

