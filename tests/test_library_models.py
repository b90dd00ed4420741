"""The C library models of issue 11 item 4: <ctype.h>, strcmp, strncmp, memcmp, strchr, strcpy,
strncpy and realloc (analysis/engine/calls.py, analysis/engine/memory.py).

Each C snippet is verified through the service API, as the CLI does. A refutation must replay: its
harness, built with AddressSanitizer and UBSan (tests/corpus.py ``replay``), must fail. Every proof,
the string functions' and realloc's included, is certified by the independent checker's own
byte-level models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.certify import check_certificate
from analysis.model import CheckResult, FunctionResult, Status
from analysis.options import Options
from analysis.service import functions_of, make_job, split_text, verify_text
from analysis.testgen import harness_for
from tests.corpus import replay

HEADER = "#include <assert.h>\n#include <ctype.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
OPTIONS = Options()


@dataclass
class Verified:
    text: str
    path: Path
    functions: dict[str, FunctionResult]

    def checks(self, fn: str, cid: str, marker: str | None = None) -> list[CheckResult]:
        """The checks of ``fn`` with id ``cid`` (on the line holding ``marker``, if given)."""
        line = None if marker is None else self.line(marker)
        found = [c for c in self.functions[fn].checks if c.id == cid and (line is None or c.span.start.line == line)]
        assert found, f"no {cid} check in {fn}: {[(c.id, c.span.start.line) for c in self.functions[fn].checks]}"
        return found

    def line(self, marker: str) -> int:
        (line,) = [i for i, text in enumerate(self.text.splitlines(), 1) if marker in text]
        return line

    def status(self, fn: str, cid: str, marker: str | None = None) -> Status:
        statuses = {c.status for c in self.checks(fn, cid, marker)}
        assert len(statuses) == 1, statuses
        return statuses.pop()

    def refuted_and_replays(self, fn: str, cid: str, marker: str | None = None) -> CheckResult:
        """The check is refuted and its counterexample fails under AddressSanitizer and UBSan."""
        refuted = [c for c in self.checks(fn, cid, marker) if c.status is Status.REFUTED]
        assert refuted, [(c.status, c.reason) for c in self.checks(fn, cid, marker)]
        for c in refuted:
            r = replay(self.text, self.path, fn, c, OPTIONS)
            assert r.reproduced, r.detail
        return refuted[0]

    def proved_by_models(self, fn: str, cid: str, callee: str, marker: str | None = None) -> None:
        """Proved, and certified through the checker's own model of ``callee``."""
        assert callee
        self.certified(fn, cid, marker)

    def certified(self, fn: str, cid: str, marker: str | None = None) -> None:
        for c in self.checks(fn, cid, marker):
            assert c.status is Status.PROVED, (c.status, c.reason)
            assert c.certificate is not None and "checked_ms" in c.certificate


_VERIFIED: dict[str, Verified] = {}


def verify(tmp_path: Path, source: str) -> Verified:
    """One verification per snippet group for the whole module (several tests read one group)."""
    if source not in _VERIFIED:
        text = HEADER + source
        path = tmp_path / "lib.c"
        path.write_text(text)
        res = verify_text(text, str(path), OPTIONS)
        _VERIFIED[source] = Verified(text, path, {f.name: f for f in res.functions})
    return _VERIFIED[source]


# -- <ctype.h> ------------------------------------------------------------------------------------------
CTYPE = r"""
int digit(char c) { return isdigit(c); }
int digit_fixed(char c) { return isdigit((unsigned char)c); }
int weight(int c) {
  static const int w[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  if (c < 0 || c > 255) return 0;
  if (isdigit(c)) return w[c - '0']; /* @class index */
  return 0;
}
int weight_bad(int c) {
  const int w[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  if (c < 0 || c > 255) return 0;
  if (isxdigit(c)) return w[c - '0']; /* @hex index */
  return 0;
}
void nonzero(void) { assert(isalpha('q') != 0); }
void is_one(void) { assert(isalpha('q') == 1); /* @one */ }
void is_glibc_bit(void) { assert(isalpha('q') == 1024); }
int as_index_ok(unsigned char c) { int t[2] = {0, 1}; return t[isspace(c) != 0]; }
int as_index_bad(unsigned char c) { int t[2] = {0, 1}; return t[isspace(c)]; /* @raw index */ }
void c_locale(void) {
  assert(!isalpha(200) && !isprint(128) && toupper(200) == 200 && tolower(EOF) == EOF);
  assert(toupper('a') == 'A' && tolower('Z') == 'z' && toupper('5') == '5' && isblank('\t') && iscntrl(127));
  assert(ispunct('~') && !ispunct(' ') && isgraph('!') && !isgraph(' ') && isspace('\v') && islower('z'));
}
void high_byte_bad(void) { assert(isupper(0xC9)); /* no class beyond 127 */ }
"""


def test_ctype_argument_domain(tmp_path: Path) -> None:
    v = verify(tmp_path, CTYPE)
    c = v.refuted_and_replays("digit", "library.ctype-domain")
    value = dict(c.counterexample.inputs)["c"] if c.counterexample else None
    assert value is not None and value < -1, c.counterexample  # a negative char that is not EOF
    v.certified("digit_fixed", "library.ctype-domain")


def test_ctype_classes_are_the_c_locales_and_certified(tmp_path: Path) -> None:
    v = verify(tmp_path, CTYPE)
    v.certified("weight", "bounds.index", "@class index")
    v.refuted_and_replays("weight_bad", "bounds.index", "@hex index")  # 'A' is a hex digit: index 17
    v.certified("c_locale", "assert.violated")
    v.refuted_and_replays("high_byte_bad", "assert.violated")


def test_ctype_true_is_only_nonzero(tmp_path: Path) -> None:
    """glibc returns its table's bit (1024 for isalpha): never assume 1, never assume glibc's bit."""
    v = verify(tmp_path, CTYPE)
    v.certified("nonzero", "assert.violated")
    v.refuted_and_replays("is_one", "assert.violated")
    (c,) = v.checks("is_glibc_bit", "assert.violated")  # true in glibc only: not proved, not refuted
    assert c.status is Status.UNKNOWN and "the non-zero value of isalpha()" in (c.reason or ""), c.reason
    v.certified("as_index_ok", "bounds.index")
    v.refuted_and_replays("as_index_bad", "bounds.index", "@raw index")  # t[8192]


# -- strcmp, strncmp, memcmp ------------------------------------------------------------------------------
COMPARE = r"""
int is_quit(const char *cmd) { return strcmp(cmd, "quit") == 0; }
int tag_bad(void) { char tag[3] = {'a', 'b', 'c'}; return strcmp(tag, "abc"); }
int tag_differs(void) { char tag[3] = {'a', 'x', 'c'}; return strcmp(tag, "abc"); }
int both(const char *a, const char *b) { return strcmp(a, b); }
int call_both(void) { char x[2] = {'a', 'b'}, y[3] = "ab"; return both(x, y); }
int order(void) { char a[4] = "abd"; int slot[2] = {0, 1}; int r = strcmp(a, "abc"); return slot[r > 0]; /* @sign */ }
int magnitude(void) { char a[4] = "abz"; int slot[3] = {0, 1, 2}; return slot[strcmp(a, "abc") + 1]; /* @magnitude */ }
int verb(void) { char line[3] = {'G', 'E', 'T'}; return strncmp(line, "GET /", 3) == 0; }
int verb_bad(void) { char line[3] = {'G', 'E', 'T'}; return strncmp(line, "GET /", 4) == 0; }
int is_get(const char *req) { return strncmp(req, "GET ", 4) == 0; }
int same(const char *a, const char *b, size_t n) { return memcmp(a, b, n) == 0; }
int short_bad(void) { char a[4] = "abc", b[3] = "ab"; return memcmp(a, b, 4) == 0; }
void mem_sign(void) { char a[4] = "abc", b[4] = "abz"; assert(memcmp(a, b, 4) < 0); }
void mem_minus_one_bad(void) { char a[4] = "abc", b[4] = "abz"; assert(memcmp(a, b, 4) == -1); /* @diff */ }
"""


def test_strcmp(tmp_path: Path) -> None:
    v = verify(tmp_path, COMPARE)
    v.proved_by_models("is_quit", "memory.string", "strcmp")
    assert "valid_read_string(cmd)" in v.functions["is_quit"].inferred_requires
    v.refuted_and_replays("tag_bad", "memory.string")
    v.proved_by_models("tag_differs", "memory.string", "strcmp")  # the walk stops at tag[1]
    # both strings are the callers' business: each call site is checked against the precondition
    v.proved_by_models("both", "memory.string", "strcmp")
    assert {"valid_read_string(a)", "valid_read_string(b)"} <= set(v.functions["both"].inferred_requires)
    v.refuted_and_replays("call_both", "memory.string")
    v.proved_by_models("order", "bounds.index", "strcmp", "@sign")


def test_strcmp_result_size_is_the_librarys(tmp_path: Path) -> None:
    """strcmp("abz", "abc") is 1 under AddressSanitizer and 23 in glibc: an index that depends on
    the size is neither proved nor refuted."""
    v = verify(tmp_path, COMPARE)
    (c,) = v.checks("magnitude", "bounds.index", "@magnitude")
    assert c.status is Status.UNKNOWN and "the size of strcmp()'s result" in (c.reason or ""), c.reason


def test_strncmp_reads_at_most_n(tmp_path: Path) -> None:
    v = verify(tmp_path, COMPARE)
    v.proved_by_models("verb", "memory.string", "strncmp")
    v.refuted_and_replays("verb_bad", "memory.string")
    v.proved_by_models("is_get", "memory.string", "strncmp")


def test_memcmp(tmp_path: Path) -> None:
    v = verify(tmp_path, COMPARE)
    v.proved_by_models("same", "memory.bounds", "memcmp")
    assert {"\\valid_read(a + (0 .. n-1))", "\\valid_read(b + (0 .. n-1))"} <= set(v.functions["same"].inferred_requires)
    v.refuted_and_replays("short_bad", "memory.bounds")
    v.proved_by_models("mem_sign", "assert.violated", "memcmp")
    v.refuted_and_replays("mem_minus_one_bad", "assert.violated", "@diff")  # glibc: 'c' - 'z'


# -- strchr ------------------------------------------------------------------------------------------
SEARCH = r"""
char value_after(void) { char pair[8] = "key=val"; char *eq = strchr(pair, '='); return eq ? eq[1] : 0; /* @after */ }
char find_bad(void) { char pair[8] = "key=val"; char *colon = strchr(pair, ':'); return *colon; /* @deref */ }
char terminator(void) { char s[4] = "abc"; return *strchr(s, 0); /* @nul */ }
int unterminated_bad(void) { char s[3] = {'a', 'b', 'c'}; return strchr(s, 'z') != NULL; }
int found_early(void) { char s[3] = {'a', 'b', 'c'}; return strchr(s, 'b') != NULL; }
char after_colon(const char *s) { const char *p = strchr(s, ':'); return p ? p[1] : 0; /* @param */ }
"""


def test_strchr(tmp_path: Path) -> None:
    v = verify(tmp_path, SEARCH)
    v.proved_by_models("value_after", "memory.bounds", "strchr", "@after")
    v.refuted_and_replays("find_bad", "memory.null", "@deref")
    v.proved_by_models("terminator", "memory.null", "strchr", "@nul")
    v.refuted_and_replays("unterminated_bad", "memory.string")
    v.proved_by_models("found_early", "memory.string", "strchr")
    # past the exact window: the character found lies before the precondition's NUL
    v.proved_by_models("after_colon", "memory.bounds", "strchr", "@param")
    assert "valid_read_string(s)" in v.functions["after_colon"].inferred_requires


# -- strcpy, strncpy -----------------------------------------------------------------------------------
COPY = r"""
char word(void) { char b[8]; strcpy(b, "hello"); assert(strlen(b) == 5 && b[1] == 'e'); return b[5]; }
char long_bad(void) { char b[4]; strcpy(b, "hello"); return b[0]; }
char overlap_bad(void) { char b[8] = "abc"; strcpy(b + 1, b); return b[0]; }
void copy_name(char *dst, const char *src) { strcpy(dst, src); }
char pad(void) { char b[6]; strncpy(b, "ab", sizeof b); assert(b[5] == 0 && b[1] == 'b'); return b[2]; }
char pad_bad(void) { char b[4]; strncpy(b, "ab", 5); return b[0]; }
size_t truncated_bad(void) { char b[4]; strncpy(b, "abcdef", sizeof b); return strlen(b); /* @no NUL */ }
char bounded_source(void) { char s[3] = {'a', 'b', 'c'}; char d[3]; strncpy(d, s, 3); return d[2]; }
"""


def test_strcpy(tmp_path: Path) -> None:
    v = verify(tmp_path, COPY)
    for cid in ("memory.string", "memory.bounds", "memory.overlap", "assert.violated"):
        v.proved_by_models("word", cid, "strcpy")
    v.refuted_and_replays("long_bad", "memory.bounds")
    v.refuted_and_replays("overlap_bad", "memory.overlap")
    c = v.refuted_and_replays("copy_name", "memory.overlap")  # dst and src may be one buffer
    assert c.counterexample is not None and any("alias" in entry for _, entry in c.counterexample.objects)


def test_strncpy_pads_and_may_not_terminate(tmp_path: Path) -> None:
    v = verify(tmp_path, COPY)
    v.proved_by_models("pad", "assert.violated", "strncpy")
    v.refuted_and_replays("pad_bad", "memory.bounds")
    v.refuted_and_replays("truncated_bad", "memory.string", "@no NUL")  # the strlen after it
    for cid in ("memory.string", "memory.bounds"):
        v.proved_by_models("bounded_source", cid, "strncpy")


# -- realloc -------------------------------------------------------------------------------------------
REALLOC = r"""
int grow(void) {
  int *p = malloc(2 * sizeof *p);
  if (p == NULL) return 0;
  p[1] = 7;
  int *q = realloc(p, 4 * sizeof *q);
  if (q == NULL) { free(p); return 0; }
  int v = 70 / q[1]; /* @kept */
  q[3] = v;
  free(q);
  return v;
}
int stale_bad(void) {
  int *p = malloc(8);
  if (p == NULL) return 0;
  int *q = realloc(p, 16);
  if (q == NULL) { free(p); return 0; }
  int v = p[0]; /* @stale */
  free(q);
  return v;
}
int unchecked_bad(void) {
  int *p = malloc(8);
  if (p == NULL) return 0;
  int *q = realloc(p, 16);
  q[3] = 1; /* @unchecked */
  free(q);
  return 0;
}
int shrink_bad(void) {
  int *p = malloc(16);
  if (p == NULL) return 0;
  int *q = realloc(p, 8);
  if (q == NULL) { free(p); return 0; }
  q[2] = 1; /* @shrunk */
  free(q);
  return 0;
}
int from_null(int n) {
  if (n <= 0 || n > 100) return 0;
  char *p = realloc(NULL, n);
  if (p == NULL) return 0;
  p[n - 1] = 1; /* @last */
  free(p);
  return 1;
}
int twice_bad(void) {
  char *p = malloc(4);
  if (p == NULL) return 0;
  free(p);
  char *q = realloc(p, 8); /* @again */
  free(q);
  return 0;
}
int stack_bad(void) { char b[4]; char *q = realloc(b, 8); free(q); return 0; }
int to_zero(int *p, unsigned n) { int *q = realloc(p, n); return q != NULL; }
"""


def test_realloc(tmp_path: Path) -> None:
    v = verify(tmp_path, REALLOC)
    v.proved_by_models("grow", "div-by-zero.div", "realloc", "@kept")  # q[1] is p[1]
    v.proved_by_models("grow", "memory.bounds", "realloc", "@kept")
    v.refuted_and_replays("stale_bad", "memory.use-after-free", "@stale")
    v.refuted_and_replays("unchecked_bad", "memory.null", "@unchecked")  # the harness's realloc fails
    v.refuted_and_replays("shrink_bad", "memory.bounds", "@shrunk")
    v.proved_by_models("from_null", "memory.bounds", "realloc", "@last")
    v.refuted_and_replays("twice_bad", "memory.double-free", "@again")
    v.refuted_and_replays("stack_bad", "memory.invalid-free")


def test_realloc_to_zero_bytes_is_unknown(tmp_path: Path) -> None:
    v = verify(tmp_path, REALLOC)
    (c,) = v.checks("to_zero", "memory.unmodelled")
    assert c.status is Status.UNKNOWN and "implementation-defined" in (c.reason or "")
    assert "memory.unmodelled" not in {c.id for c in v.functions["grow"].checks}  # 16 bytes: never 0


# -- string literals, and a loop that rests on a library's value -------------------------------------------
LITERALS = r"""
char third(const char *s) { return s[2]; }
char third_of_short_bad(void) { return third("a"); /* @short */ }
char third_of_word(void) { return third("abc"); /* @word */ }
size_t length(void) { return strlen("hello"); }
void literal_write_bad(void) { char *p = strchr("abc", 'b'); if (p) *p = 'x'; /* @write */ }
int spin(void) { int n = 0; while (isalpha('a') == 1) n = 0; /* @spin */ return n; }
"""


def test_string_literals_are_read_only_arrays(tmp_path: Path) -> None:
    v = verify(tmp_path, LITERALS)
    v.refuted_and_replays("third_of_short_bad", "memory.bounds", "@short")  # checked at the call
    assert v.status("third_of_word", "memory.bounds", "@word") is not Status.REFUTED
    v.certified("length", "memory.string")  # the checker's literal is an object of its own
    (c,) = v.checks("literal_write_bad", "memory.unmodelled", "@write")
    assert "string literal" in (c.reason or "")


def test_a_loop_on_glibcs_class_bit_is_neither_proved_nor_refuted(tmp_path: Path) -> None:
    """glibc's isalpha('a') is 1024, so this loop ends there; a library returning 1 spins forever.
    The exact run (glibc's values) does not count as complete, nor the abstract loop as exact."""
    v = verify(tmp_path, LITERALS)
    (c,) = v.checks("spin", "termination.loop", "@spin")
    assert c.status is Status.UNKNOWN and not (c.reason or "").startswith("certificate rejected"), c.reason


# -- the independent checker ------------------------------------------------------------------------------
MODELLED = {"memcmp": "memcmp(s, s, 1)", "strcmp": "strcmp(s, s)", "strncmp": "strncmp(s, s, 1)",
            "strchr": "strchr(s, 'a')", "strcpy": "strcpy(s, s)", "strncpy": "strncpy(s, s, 1)",
            "realloc": "realloc(s, 4)", "memmove": "memmove(s, s, 1)"}


def _overflow_after(call: str, header: str) -> object:
    """The checker's verdict on ``x + 1`` under ``x < 100``, after ``call``."""
    text = header + f"int f(char *s, int x) {{\n  {call};\n  if (x < 100) return x + 1;\n  return 0;\n}}\n"
    split = split_text(text, "/tmp/library_models_checker.c", OPTIONS)
    unit = next(u for u in functions_of(split) if u.name == "f")
    line = text.splitlines().index("  if (x < 100) return x + 1;") + 1
    cert = {"version": 1, "method": "invariants", "loops": []}
    return check_certificate(make_job(split, unit, OPTIONS), "overflow.signed.add", line, 23, cert)


@pytest.mark.parametrize("prototypes", [True, False], ids=["with-string.h", "undeclared"])
@pytest.mark.parametrize("name", sorted(MODELLED))
def test_checker_models_the_library_calls(name: str, prototypes: bool) -> None:
    """The checker has its own model of each of these calls: a proof after one is accepted (the
    call's own checks are other certificates)."""
    verdict = _overflow_after(MODELLED[name], "#include <stdlib.h>\n#include <string.h>\n" if prototypes else "")
    assert verdict.accepted, verdict.reason  # type: ignore[attr-defined]


def test_checker_rejects_a_path_through_an_unmodelled_function() -> None:
    """A call the checker has no model of that is handed memory may do anything it cannot see."""
    verdict = _overflow_after("strtok(s, s)", "#include <string.h>\n")
    assert not verdict.accepted and verdict.reason.startswith("checker: unsupported call of strtok"), \
        verdict.reason  # type: ignore[attr-defined]
    assert _overflow_after("(void)s", "").accepted  # type: ignore[attr-defined]


def test_checker_models_ctype() -> None:
    text = HEADER + "int d(char c) { return isdigit(c); }\nint u(char c) { return isdigit((unsigned char)c); }\n"
    split = split_text(text, "/tmp/library_models_ctype.c", OPTIONS)
    line = len(HEADER.splitlines()) + 1
    for fn, at, accepted in (("d", (line, 24), False), ("u", (line + 1, 24), True)):
        unit = next(u for u in functions_of(split) if u.name == fn)
        cert = {"version": 1, "method": "invariants", "loops": []}
        verdict = check_certificate(make_job(split, unit, OPTIONS), "library.ctype-domain", *at, cert)
        assert verdict.accepted is accepted, verdict.reason
        if not accepted:
            assert verdict.reason.startswith("condition does not hold"), verdict.reason


# -- loops and harnesses ---------------------------------------------------------------------------------
def test_a_loop_of_library_calls_frees_nothing(tmp_path: Path) -> None:
    """The block stays live across a loop that only calls functions that never free."""
    v = verify(tmp_path, r"""
int scan(int n) {
  unsigned char *p = malloc(4);
  if (p == NULL) return 0;
  p[0] = '7';
  int k = 0;
  for (int i = 0; i < n && i < 1000; i++)
    k += isdigit(p[0]) != 0;
  p[1] = 0; /* @loop end */
  free(p);
  return k;
}
""")
    v.certified("scan", "memory.use-after-free", "@loop end")


def test_harness_checks_the_ctype_domain_and_fails_realloc(tmp_path: Path) -> None:
    """No sanitizer sees a <ctype.h> argument out of its domain: the harness checks it; and its
    realloc fails when the counterexample's does (the tests above replay both)."""
    v = verify(tmp_path, CTYPE)
    (c,) = [c for c in v.checks("digit", "library.ctype-domain") if c.status is Status.REFUTED]
    harness = harness_for(v.text, str(v.path), "digit", c, OPTIONS)
    assert "#define isdigit(c) (isdigit)(__pl_ctype_arg((c), __LINE__))" in harness
    v = verify(tmp_path, REALLOC)
    (c,) = [c for c in v.checks("unchecked_bad", "memory.null", "@unchecked") if c.status is Status.REFUTED]
    assert c.counterexample is not None and ("__pl_realloc_fails", True) in [
        (f, x != 0) for f, x in c.counterexample.nondet]
    harness = harness_for(v.text, str(v.path), "unchecked_bad", c, OPTIONS)
    assert "#define realloc(p, n) __pl_realloc(p, n)" in harness


GLOBAL_POINTER = r"""
int counter;
int *cursor;
void point(void) { cursor = &counter; }
int bump_through(void) { counter = 0; if (cursor) *cursor = 1; assert(counter == 0); /* @kept */ return counter; }
"""


def test_a_write_through_a_global_pointer_forgets_the_globals(tmp_path: Path) -> None:
    """``cursor`` may point to ``counter`` (point() sets it so): the engine once kept counter at 0
    and proved the assert (only the checker's refusal of pointer globals hid it). It is unknown
    now, for the engine's own reason, never proved and never refuted on an invented value."""
    v = verify(tmp_path, GLOBAL_POINTER)
    (c,) = v.checks("bump_through", "assert.violated", "@kept")
    # (the write's target is a global pointer's value at entry: unknown for that reason first)
    assert c.status is Status.UNKNOWN and any(why in (c.reason or "") for why in (
        "may reach any global", "a global pointer's value at entry")), (c.status, c.reason)
