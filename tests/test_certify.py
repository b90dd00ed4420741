"""The independent certificate checker (analysis.certify) on small hand-written certificates."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.certify import Verdict, check_certificate
from analysis.options import Options
from analysis.service import functions_of, make_job, split_text

HEADER = """void reach_error(void);
void abort(void);
void __VERIFIER_assert(int c);
void __VERIFIER_assume(int c);
int __VERIFIER_nondet_int(void);
unsigned __VERIFIER_nondet_uint(void);
"""


def where(text: str, marker: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``marker`` in ``text`` (placed after HEADER)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(marker, at + 1)
    line = HEADER.count("\n") + text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def check(text: str, fn: str, check_id: str, marker: str, cert: dict[str, Any] | None = None, nth: int = 0,
          **options: Any) -> Verdict:
    opts = Options(**options)
    split = split_text(HEADER + text, "/tmp/certify_test.c", opts)
    unit = next(u for u in functions_of(split) if u.name == fn)
    line, col = where(text, marker, nth)
    return check_certificate(make_job(split, unit, opts), check_id, line, col, cert or INV)


INV: dict[str, Any] = {"version": 1, "method": "invariants"}


def inv(text: str, *loops: tuple[str, str], **extra: Any) -> dict[str, Any]:
    """An invariants certificate: (marker of the loop keyword, SMT-LIB invariant) pairs."""
    entries = []
    for marker, term in loops:
        line, col = where(text, marker)
        entries.append({"line": line, "column": col, "invariant": term, "text": term})
    return {"version": 1, "method": "invariants", "loops": entries, **extra}


def unroll(k: int) -> dict[str, Any]:
    return {"version": 1, "method": "unrolling", "unroll": k}


# -- loop invariants ----------------------------------------------------------------------------
COUNT = """int count(int n) {
  if (n < 0) return 0;
  int i = 0;
  while (i < n) {
    i++;
  }
  __VERIFIER_assert(i == n);
  return i;
}
"""


def test_correct_invariant_accepted() -> None:
    v = check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i", inv(COUNT, ("while", "(bvsle i n)")))
    assert v.accepted, v.reason


def test_non_inductive_invariant_rejected() -> None:
    v = check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i",
              inv(COUNT, ("while", "(and (bvsle i n) (bvslt i #x00000001))")))
    assert not v.accepted and "preserved" in v.reason


def test_invariant_not_holding_on_entry_rejected() -> None:
    v = check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i", inv(COUNT, ("while", "(= i #x00000001)")))
    assert not v.accepted and "entry" in v.reason


def test_true_invariant_that_does_not_imply_the_check_rejected() -> None:
    v = check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i", inv(COUNT, ("while", "(bvsge i #x00000000)")))
    assert not v.accepted and "assert.violated" in v.reason
    assert not check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i").accepted  # no invariant = true


def test_entry_values_in_invariant() -> None:
    text = """int up(int i, int n) {
  int j = i;
  while (n > 0) { i++; n--; }
  __VERIFIER_assert(i >= j);
  return 0;
}
"""
    good = inv(text, ("while", "(bvsle |i@entry| i)"))
    assert check(text, "up", "assert.violated", "__VERIFIER_assert(i", good).accepted
    assert check(text, "up", "assert.violated", "__VERIFIER_assert(i", inv(text, ("while", "(bvsle j i)"))).accepted
    assert not check(text, "up", "assert.violated", "__VERIFIER_assert(i").accepted
    bad = inv(text, ("while", "(bvsle |n@entry| i)"))  # not initially true
    assert not check(text, "up", "assert.violated", "__VERIFIER_assert(i", bad).accepted


NESTED = """void after_nested_false(void) {
  unsigned x = 0, y = 0;
  while (x < 1001) {
    y = 0;
    while (y < 3) {
      y++;
    }
    x++;
  }
  __VERIFIER_assert(x == %s);
}
"""


def test_inner_loop_invariant_not_usable_after_outer_loop() -> None:
    text = NESTED % "1000"
    cert = inv(text, ("while (x", "(bvule x #x000003e9)"), ("while (y", "(and (bvule y #x00000003) (bvule x #x000003e8))"))
    v = check(text, "after_nested_false", "assert.violated", "__VERIFIER_assert", cert)
    assert not v.accepted and "assert.violated" in v.reason
    # the same invariants do prove what really holds at the exit
    text = NESTED % "1001"
    cert = inv(text, ("while (x", "(bvule x #x000003e9)"), ("while (y", "(and (bvule y #x00000003) (bvule x #x000003e8))"))
    v = check(text, "after_nested_false", "assert.violated", "__VERIFIER_assert", cert)
    assert v.accepted, v.reason


def test_disjunction_of_entries_and_bad_invariant_text() -> None:
    cert = inv(COUNT, ("while", "(bvsle i n)"), ("while", "false"))
    assert check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i", cert).accepted
    for term in ("(bvsle i m)", "(bvsle i #x01)", "true) (assert false", "(bvadd i n)"):
        v = check(COUNT, "count", "assert.violated", "__VERIFIER_assert(i", inv(COUNT, ("while", term)))
        assert not v.accepted and "invariant" in v.reason, term


def test_user_loop_invariant_checks() -> None:
    text = """int f(int n) {
  int i = 0;
  /*@ loop invariant 0 <= i; */
  while (i < n) { i++; }
  /*@ loop invariant i >= 1; */
  while (i < 100) { i++; }
  return i;
}
"""
    assert check(text, "f", "invariant.initiation", "0 <= i").accepted
    assert check(text, "f", "invariant.consecution", "0 <= i").accepted
    assert not check(text, "f", "invariant.initiation", "i >= 1").accepted


def test_break_continue_and_do_while() -> None:
    text = """int f(void) {
  int i = 0, s = 0;
  for (;;) {
    if (i >= 10) break;
    i++;
    if (i % 2) continue;
    s++;
  }
  __VERIFIER_assert(i == 10);
  return s;
}
int g(void) {
  int k = 0;
  do { k++; } while (k < 3);
  __VERIFIER_assert(k == 3);
  return k;
}
"""
    cert = inv(text, ("for", "(and (bvsle i #x0000000a) (bvsge i #x00000000))"))
    assert check(text, "f", "assert.violated", "__VERIFIER_assert(i", cert).accepted
    # do B while (C) is checked as B; if (C) while (C) B: the head is before the guard, owed on
    # entry where C held (k == 1 there; k >= 2 is no such state: it holds nowhere on entry)
    assert check(text, "g", "assert.violated", "__VERIFIER_assert(k", inv(text, ("do", "(bvsle k #x00000003)"))).accepted
    assert check(text, "g", "assert.violated", "__VERIFIER_assert(k",
                 inv(text, ("do", "(and (bvsle k #x00000003) (bvsge k #x00000002))"))).accepted is False
    weak = inv(text, ("do", "(bvsle k #x00000001)"))  # true after the first run, not preserved
    assert not check(text, "g", "assert.violated", "__VERIFIER_assert(k", weak).accepted
    assert check(text, "g", "assert.violated", "__VERIFIER_assert(k", unroll(3)).accepted
    assert not check(text, "g", "assert.violated", "__VERIFIER_assert(k", unroll(2)).accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert(i", unroll(11)).accepted
    assert not check(text, "f", "assert.violated", "__VERIFIER_assert(i", unroll(10)).accepted


# -- unrolling -------------------------------------------------------------------------------------
SUM = """int sum(void) {
  int s = 0;
  for (int i = 0; i < 5; i++) {
    s += i;
  }
  __VERIFIER_assert(s == 10);
  return s;
}
"""


def test_unrolling_constant_bound() -> None:
    assert check(SUM, "sum", "assert.violated", "__VERIFIER_assert", unroll(5)).accepted
    v = check(SUM, "sum", "assert.violated", "__VERIFIER_assert", unroll(4))
    assert not v.accepted and "more than 4" in v.reason


def test_unrolling_nested_and_wrong_assert() -> None:
    text = NESTED.replace("1001", "4") % "4"
    assert check(text, "after_nested_false", "assert.violated", "__VERIFIER_assert", unroll(4)).accepted
    text = NESTED.replace("1001", "4") % "3"
    assert not check(text, "after_nested_false", "assert.violated", "__VERIFIER_assert", unroll(4)).accepted


# -- reachability ------------------------------------------------------------------------------------
def test_unreachable_claims() -> None:
    text = """void f(int x) {
  if (x > 0 && x < 0) reach_error();
  if (x > 5) reach_error();
}
"""
    claim = {"version": 1, "method": "invariants", "unreachable": True}
    assert check(text, "f", "reach-error.reachable", "reach_error();", claim, nth=0).accepted
    assert not check(text, "f", "reach-error.reachable", "reach_error();", claim, nth=1).accepted
    assert not check(text, "f", "reach-error.reachable", "reach_error();", INV, nth=1).accepted
    # a reachable assert that holds is proved, but is not unreachable
    text2 = "void g(int x) { __VERIFIER_assert(x == x); }\n"
    assert check(text2, "g", "assert.violated", "__VERIFIER_assert").accepted
    assert not check(text2, "g", "assert.violated", "__VERIFIER_assert", claim).accepted


# -- integer semantics ----------------------------------------------------------------------------
def test_signed_overflow_needs_assumption() -> None:
    text = """int f(int x) {
  __VERIFIER_assume(x < 100);
  return x + 1;
}
int g(int x) {
  return x + 1;
}
"""
    assert check(text, "f", "overflow.signed.add", "x + 1").accepted
    v = check(text, "g", "overflow.signed.add", "x + 1", nth=1)
    assert not v.accepted and "overflow.signed.add" in v.reason


def test_unsigned_wraps_without_overflow() -> None:
    text = """void f(unsigned u) {
  unsigned v = u + 1u;
  __VERIFIER_assert(4294967295u + 1u == 0);
  __VERIFIER_assert(v != 0);
}
"""
    assert check(text, "f", "overflow.signed.add", "u + 1u").accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert(4").accepted
    assert not check(text, "f", "assert.violated", "__VERIFIER_assert(v").accepted


def test_division_truncates_toward_zero() -> None:
    text = """void f(void) {
  int a = -7;
  __VERIFIER_assert(a % 2 == -1);
  __VERIFIER_assert(a / 2 == -3);
  __VERIFIER_assert(7 % -2 == 1);
  __VERIFIER_assert(a % 2 == 1);
  __VERIFIER_assert(-7 / 2u == 2147483644u);
}
"""
    for nth in (0, 1, 2, 4):
        assert check(text, "f", "assert.violated", "__VERIFIER_assert", nth=nth).accepted, nth
    assert not check(text, "f", "assert.violated", "__VERIFIER_assert", nth=3).accepted


def test_division_checks() -> None:
    text = """int f(int x, int y) {
  int q = 0;
  if (y != 0 && x / y > 1) q = 1;
  if (y != -1) q += x % y;
  return x / y;
}
"""
    assert check(text, "f", "div-by-zero.div", "x / y > 1").accepted
    assert not check(text, "f", "overflow.signed.div", "x / y > 1").accepted  # INT_MIN / -1
    assert check(text, "f", "overflow.signed.rem", "x % y").accepted
    assert not check(text, "f", "div-by-zero.rem", "x % y").accepted
    assert check(text, "f", "overflow.signed.div", "x / y;").accepted  # again: x / y > 1 ran before on y == -1
    # the earlier x % y (another check, assumed to hold after it) already excludes y == 0 there
    assert check(text, "f", "div-by-zero.div", "x / y;").accepted


def test_int_min_div_minus_one() -> None:
    text = """int f(int x) {
  __VERIFIER_assume(x < 0);
  return x / -1;
}
"""
    assert not check(text, "f", "overflow.signed.div", "x / -1").accepted
    assert check(text, "f", "div-by-zero.div", "x / -1").accepted


def shift(expr: str, check_id: str, **options: Any) -> bool:
    """Certify ``check_id`` on ``expr`` alone, in a function of its own (pycparser's position:
    a binary operator's is its left operand's, a cast's its parenthesis, a unary minus' its operand's)."""
    text = f"long f(int n, int x, unsigned u, long l, char c) {{\n  return {expr};\n}}\n"
    marker = expr if expr.startswith("(long)") else expr.lstrip("(-")
    return check(text, "f", check_id, marker, **options).accepted


def test_shift_rules() -> None:
    assert not shift("1 << 31", "shift.overflow")
    assert shift("1 << 30", "shift.overflow")
    assert shift("1u << 31", "shift.overflow")
    assert not shift("x << 32", "shift.too-wide")
    assert shift("1L << 40", "shift.too-wide")
    assert not shift("1L << 40", "shift.too-wide", data_model="ILP32")
    assert not shift("-1 << 1", "shift.negative-value")
    v = check("int f(void) { return -1 >> 1; }", "f", "shift.negative-value", "1 >>")
    assert not v.accepted and "no shift.negative-value check" in v.reason  # >> of a negative: not UB
    assert not shift("x >> n", "shift.negative")
    assert shift("x >> 3u", "shift.negative")
    assert shift("c << 24", "shift.too-wide")  # promoted to int: 24 < 32
    assert shift("c << 24", "shift.overflow")  # c >= 0 (else negative-value): 127 << 24 fits
    assert not shift("c << 25", "shift.overflow")
    assert shift("(u >> 1) << 1", "shift.negative-value")
    assert shift("(x & 255) << 23", "shift.overflow")
    assert not shift("(x & 255) << 24", "shift.overflow")
    assert not shift("(long)u << 31", "shift.overflow", data_model="ILP32")
    assert shift("(long)u << 31", "shift.overflow")


def test_bounds() -> None:
    text = """int f(int k, unsigned j) {
  int a[5] = {1, 2};
  int m[2][3];
  __VERIFIER_assert(a[3] == 0 && a[1] == 2);
  if (k >= 0 && k < 5) a[k] = 3;
  if (k >= 0 && k <= 5) a[k] = 4;
  if (j < 2) m[j][2] = a[4];
  __VERIFIER_assert(a[3] == 0);
  return m[1][0];
}
"""
    assert check(text, "f", "bounds.index", "a[k] = 3").accepted
    assert not check(text, "f", "bounds.index", "a[k] = 4").accepted
    assert check(text, "f", "bounds.index", "m[j]").accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert").accepted
    assert not check(text, "f", "assert.violated", "__VERIFIER_assert", nth=1).accepted  # a[k] = 3 may write a[3]
    text2 = text.replace("m[j][2]", "m[j][3]")
    assert not check(text2, "f", "bounds.index", "m[j]").accepted


def test_signed_char_increment_wraps_without_check() -> None:
    text = """void f(void) {
  signed char c = 127;
  c++;
  __VERIFIER_assert(c == -128);
  int i = 2147483647;
  i++;
}
"""
    assert check(text, "f", "overflow.signed.inc", "c++").accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert").accepted
    assert not check(text, "f", "overflow.signed.inc", "i++").accepted


def holds(cond: str, **options: Any) -> bool:
    text = f"""void f(void) {{
  unsigned char uc = 255;
  char c = 200;
  short s = 40000;
  __VERIFIER_assert({cond});
}}
"""
    return check(text, "f", "assert.violated", "__VERIFIER_assert", **options).accepted


def test_conversions_and_constants() -> None:
    for cond in ("uc + 1 == 256", "c == -56", "s < 0", "0xFFFFFFFF == -1", "(_Bool)5 == 1", "(_Bool)256 == 1",
                 "(unsigned char)256 == 0", "sizeof(long) == 8", "sizeof(int[3][2]) == 24", "'a' == 97",
                 "-2147483648 < 0", "2147483648 > 0", "0x80000000 > 0", "(signed char)c == c", "!5 == 0",
                 "~0 == -1", "(1 ? 2 : 3u) == 2u", "(3, 4) == 4", "(s > 0 || 1 / 0)"):
        assert holds(cond), cond
    for cond in ("-1 < 0u", "c == 200", "(unsigned short)s == -25536", "sizeof(int) == 8"):
        assert not holds(cond), cond
    assert holds("sizeof(long) == 4", data_model="ILP32")
    assert holds("-1L < 0u") and not holds("-1L < 0u", data_model="ILP32")


def test_compound_assignment_and_switch() -> None:
    text = """int f(int x, int k) {
  short s = 32767;
  s += 1;
  int r = 0;
  switch (k) {
  case 1: r = 10;
  case 2: r += 5; break;
  default: r = -1;
  }
  if (k == 1) __VERIFIER_assert(r == 15);
  if (k == 3) __VERIFIER_assert(r == -1);
  __VERIFIER_assume(x < 10);
  x += 1;
  return r;
}
"""
    assert check(text, "f", "overflow.signed.add", "s += 1").accepted  # computed in int, then wraps
    assert check(text, "f", "overflow.signed.add", "x += 1").accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert(r == 15").accepted
    assert check(text, "f", "assert.violated", "__VERIFIER_assert(r == -1").accepted
    bad = text.replace("r += 5; break;", "r += 5;")
    assert not check(bad, "f", "assert.violated", "__VERIFIER_assert(r == 15").accepted


# -- calls and contracts ---------------------------------------------------------------------------
CONTRACT = """/*@ requires x < 100;
    ensures \\result == x + 1; */
int inc(int x) {
  return x + 1;
}
/*@ ensures \\result > x; */
int bad(int x) {
  return x;
}
int twice(int a) { return a * 2; }
int g;
void setg(void) { g = 7; }
int use(int y) {
  int a = inc(3);
  int b = inc(y);
  __VERIFIER_assert(a == 4);
  __VERIFIER_assert(twice(3) == 6);
  setg();
  __VERIFIER_assert(g == 7);
  return a + b;
}
"""


def test_contracts() -> None:
    assert check(CONTRACT, "inc", "postcondition.violated", "\\result == x").accepted
    assert check(CONTRACT, "inc", "overflow.signed.add", "x + 1", nth=1).accepted
    assert not check(CONTRACT, "bad", "postcondition.violated", "\\result > x").accepted
    assert check(CONTRACT, "use", "precondition.violated", "inc(3)").accepted
    assert not check(CONTRACT, "use", "precondition.violated", "inc(y)").accepted
    assert check(CONTRACT, "use", "assert.violated", "__VERIFIER_assert(a").accepted
    assert check(CONTRACT, "use", "assert.violated", "__VERIFIER_assert(twice").accepted
    assert check(CONTRACT, "use", "assert.violated", "__VERIFIER_assert(g").accepted
    # b = inc(y) assumes y < 100 afterwards (the precondition is another check): a + b cannot overflow
    assert check(CONTRACT, "use", "overflow.signed.add", "a + b").accepted


def test_postcondition_reads_formals_at_entry_and_old_globals() -> None:
    text = """int g;
/*@ ensures \\result == x; */
int f(int x) {
  x = 5;
  return x;
}
/*@ requires g < 1000;
    ensures g == \\old(g) + 1 && \\result == \\old(g); */
int bump(void) {
  int g = 0;
  return g;
}
/*@ requires g < 1000;
    ensures g == \\old(g) + 1 && \\result == \\old(g); */
int bump2(void) {
  int r = g;
  g++;
  return r;
}
int user(void) {
  g = 3;
  int r = bump2();
  __VERIFIER_assert(g == 4 && r == 3);
  __VERIFIER_assert(r == 4);
  return r;
}
"""
    assert not check(text, "f", "postcondition.violated", "\\result == x").accepted
    assert not check(text, "bump", "postcondition.violated", "g == \\old").accepted
    assert check(text, "bump2", "postcondition.violated", "g == \\old", nth=1).accepted
    assert check(text, "user", "assert.violated", "__VERIFIER_assert(g").accepted
    assert not check(text, "user", "assert.violated", "__VERIFIER_assert(r").accepted


def test_callee_loop_invariant_and_volatile() -> None:
    text = """int zero_up(int n) {
  int i = 0;
  while (i < n) { i++; }
  return i;
}
int caller(void) {
  int r = zero_up(10);
  __VERIFIER_assert(r == 10);
  return r;
}
volatile int v;
int vol(void) { v = 1; __VERIFIER_assert(v == 1); return 0; }
"""
    assert check(text, "caller", "assert.violated", "__VERIFIER_assert", inv(text, ("while", "(bvsle i n)"))).accepted
    assert not check(text, "caller", "assert.violated", "__VERIFIER_assert").accepted  # callee loop: true
    assert check(text, "caller", "assert.violated", "__VERIFIER_assert", unroll(10)).accepted
    v = check(text, "vol", "assert.violated", "__VERIFIER_assert(v")
    assert not v.accepted and "volatile" in v.reason


def test_recursion_beyond_inline_depth_is_a_black_box() -> None:
    """Beyond the inline depth a call returns any value: what does not depend on it is still
    accepted, what does is rejected."""
    text = """int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); }
int down(int n) { if (n <= 0) return 0; return down(n - 1); }
"""
    v = check(text, "fact", "overflow.signed.mul", "n * fact")
    assert not v.accepted and "does not hold" in v.reason
    assert check(text, "down", "overflow.signed.sub", "n - 1", nth=1).accepted


def test_ranking_measured_before_a_guard_that_moves_the_counter() -> None:
    """``for (i = n; i-- > 0; )``: the guard itself decrements i; head to head i drops by one (the
    ranking was measured after the guard, so it looked constant and the proof was rejected)."""
    text = """int down(unsigned n) { int s = 0; for (unsigned i = n; i-- > 0; ) s ^= (int)i; return s; }
"""
    line, column = where(text, "for")
    rank = {**inv(text, ("for", "true")),
            "ranking": {"line": line, "column": column, "components": [{"const": 0, "coeffs": {"i": 1}}]}}
    v = check(text, "down", "termination.loop", "for", rank)
    assert v.accepted, v.reason
    flat = {**rank, "ranking": {**rank["ranking"], "components": [{"const": 5, "coeffs": {}}]}}
    assert not check(text, "down", "termination.loop", "for", flat).accepted


def test_calls_deeper_than_the_inline_depth_are_no_black_box_for_the_caller() -> None:
    """A helper's recursion cut below the inline depth would drop its own checks: the walk
    refuses (sum_to's off-by-one read six calls down was accepted as a black box); a chain of
    twelve calls likewise, one of four is run through."""
    text = """int down(int n) { if (n <= 0) return 0; return down(n - 1); }
int use(int n) { if (n < 0 || n > 9) return 0; int k = n - 1; return down(k); }
int c4(int n) { return n - 1; }
int c3(int n) { return c4(n); }
int c2(int n) { return c3(n); }
int c1(int n) { return c2(n); }
int chain(int n) { if (n > 100) return 0; return c1(n); }
"""
    v = check(text, "use", "overflow.signed.sub", "n - 1; return down(k)")
    assert not v.accepted and "deeper than the inline depth" in v.reason
    assert not check(text, "chain", "overflow.signed.sub", "n - 1; }").accepted  # (n may be INT_MIN)
    text_ok = text.replace("if (n > 100)", "if (n > 100 || n < 0)")
    assert check(text_ok, "chain", "overflow.signed.sub", "n - 1; }").accepted


def test_globals_entry_mode() -> None:
    text = """int g = 5;
static const int K = 3;
int main(void) {
  __VERIFIER_assert(g == 5);
  __VERIFIER_assert(K == 3);
  return 0;
}
"""
    entry = {"version": 1, "method": "invariants", "entry": True}
    assert check(text, "main", "assert.violated", "__VERIFIER_assert(g", entry).accepted
    assert not check(text, "main", "assert.violated", "__VERIFIER_assert(g").accepted
    assert check(text, "main", "assert.violated", "__VERIFIER_assert(K").accepted


# -- rejections -----------------------------------------------------------------------------------
def test_unsupported_and_malformed() -> None:
    text = """int f(int **p) { return **p + 1; }
int h(int x) { return x + 1; }
"""
    v = check(text, "f", "overflow.signed.add", "p + 1")  # a pointer to a pointer: outside the fragment
    assert not v.accepted and v.reason.startswith("checker: unsupported pointer")
    assert not check(text, "h", "overflow.signed.add", "x", {"version": 2, "method": "invariants"}).accepted
    assert not check(text, "h", "overflow.signed.add", "x", {"version": 1, "method": "guess"}).accepted
    assert not check(text, "h", "overflow.signed.add", "h(").accepted  # no such check there
    assert not check(text, "h", "no.such.check", "x + 1").accepted
    cert = {"version": 1, "method": "invariants", "loops": [{"line": 1, "column": 1, "invariant": "true"}]}
    assert not check(text, "h", "overflow.signed.add", "x + 1", cert).accepted  # no loop there


@pytest.mark.parametrize(("cid", "expr"), [("overflow.signed.neg", "-x"), ("overflow.signed.sub", "x - 1"),
                                         ("overflow.signed.mul", "x * x"), ("overflow.signed.dec", "x--"),
                                         ("overflow.signed.inc", "++x"), ("overflow.signed.rem", "x % -1")])
def test_other_overflows(cid: str, expr: str) -> None:
    text = f"int f(int x) {{\n  int r = {expr};\n  return r;\n}}\n"
    marker = expr.lstrip("-+") + ";" if expr[0] in "-+" else expr
    assert not check(text, "f", cid, marker).accepted
    guarded = text.replace("{\n", "{\n  __VERIFIER_assume(x > -1000 && x < 1000);\n", 1)
    assert check(guarded, "f", cid, marker).accepted


def test_division_by_constant_rewrite_is_exact() -> None:
    """The checker replaces `a % m`, `a / m` (constant m) by their definition for the SAT solver:
    equisatisfiable with z3's own operators on every 8-bit value and divisor (exhaustively)."""
    import z3

    from analysis.certify import _divisions_by_constants
    from analysis.certify.walk import scan

    a, b = z3.BitVec("a", 8), z3.BitVec("b", 8)
    for m in (-128, -7, -2, -1, 1, 2, 3, 5, 127):
        mv = z3.BitVecVal(m, 8)
        for op in (z3.SRem, lambda x, y: x / y, z3.URem, z3.UDiv):
            for value in (-128, -127, -9, -1, 0, 1, 2, 9, 127):
                want = z3.simplify(op(z3.BitVecVal(value, 8), mv))
                goal = b == op(a, mv)
                rewritten = _divisions_by_constants(a.ctx, goal, scan(goal).divisions)
                s = z3.Solver()
                s.add(rewritten, a == value, b != want)
                assert s.check() == z3.unsat, (m, value)
                s = z3.Solver()
                s.add(rewritten, a == value, b == want)
                assert s.check() == z3.sat, (m, value)


def test_product_ranges_only_over_approximate() -> None:
    """The checker's range abstraction of products (analysis.certify.bounds) may only lose
    models: on random bounded 8-bit conditions, whenever the abstraction is unsatisfiable the
    condition itself is, and it does decide some of them."""
    import random

    import z3

    from analysis.certify.bounds import abstract_bounded_products
    from analysis.certify.walk import scan

    rng = random.Random(11)
    x, y, z = (z3.BitVec(n, 8) for n in "xyz")
    decided = 0
    for _ in range(600):
        bounds = []
        for v in (x, y, z):
            lo = rng.randrange(-12, 12) if rng.random() < 0.9 else rng.randrange(-128, 100)
            hi = rng.randrange(lo, min(lo + rng.choice([2, 5, 10, 255]), 127) + 1)
            bounds += [v >= lo, v <= hi] if rng.random() < 0.8 else []
        a, b = rng.sample([x, y, z], 2)
        prod = rng.choice([a * b, a * b + z, z3.If(z > 0, a * b, b * z), a * b * z])
        c = rng.randrange(-128, 128) if rng.random() < 0.5 else rng.randrange(-30, 30)
        claim = rng.choice([prod > c, prod < c, prod == c, z3.Not(z3.BVMulNoOverflow(a, b, True))])
        goal = rng.choice([z3.And(*bounds, claim), z3.Or(z3.And(*bounds, claim), z3.And(*bounds, z3.Not(claim)))])
        found = scan(goal)
        ranged = abstract_bounded_products(goal, found.products, found.predicates)
        if ranged is None:
            continue
        s = z3.Solver()
        s.add(ranged)
        if s.check() == z3.unsat:
            decided += 1
            exact = z3.Solver()
            exact.add(goal)
            assert exact.check() == z3.unsat, goal
    assert decided > 20


def test_guarded_product_then_a_loop_is_certified_quickly() -> None:
    """`a * b` under a guard, then ten additions: a multiplier circuit the bit-blaster does not
    get through in seconds, certified through the product's range within the checker's budget
    (twice the 2 s timeout; without the ranges every strategy gave up)."""
    text = """int h(int a, int b) {
    if (a > 1000 || a < -1000 || b > 1000 || b < -1000) return 0;
    int r = a * b + 1;
    for (int k = 0; k < 10; k++) r += k;
    return r;
}
"""
    v = check(text, "h", "overflow.signed.add", "r += k", unroll(12), timeout=2)
    assert v.accepted, v.reason


# -- one walk for several claims --------------------------------------------------------------------
BATCH = """int batch(int *a, int n, int x) {
  int s = 0;
  int i = 0;
  while (i < n) {
    i++;
  }
  __VERIFIER_assert(i >= 0);
  s = x + 1;
  if (x > 5 && x < 3) reach_error();
  if (x > 5) reach_error();
  __VERIFIER_assert(i == 7);
  return s / (n + 1);
}
"""


def test_a_batch_gives_each_claim_the_verdict_it_gets_alone() -> None:
    """Claims sharing a certificate are checked by one walk: a wrong claim among right ones is
    still rejected, the right ones still accepted, and an unreachability flag stays per claim."""
    from analysis.certify import Claim, check_certificates

    opts = Options()
    split = split_text(HEADER + BATCH, "/tmp/certify_test.c", opts)
    job = make_job(split, next(u for u in functions_of(split) if u.name == "batch"), opts)
    cert = inv(BATCH, ("while", "(bvsge i #x00000000)"))
    claims = [("assert.violated", "__VERIFIER_assert(i >=", 0, cert),                   # holds
              ("overflow.signed.add", "x + 1", 0, cert),                                  # x = INT_MAX
              ("reach-error.reachable", "reach_error();", 0, {**cert, "unreachable": True}),  # dead
              ("reach-error.reachable", "reach_error();", 1, {**cert, "unreachable": True}),  # reachable
              ("assert.violated", "__VERIFIER_assert(i ==", 0, cert),                     # does not hold
              ("div-by-zero.div", "s / (n + 1)", 0, cert)]                                # n = -1
    batch = check_certificates(job, [Claim(cid, *where(BATCH, marker, nth), c) for cid, marker, nth, c in claims])
    alone = [check_certificate(job, cid, *where(BATCH, marker, nth), c) for cid, marker, nth, c in claims]
    assert [v.accepted for v in batch] == [v.accepted for v in alone] == [True, False, True, False, False, False]
    assert [v.reason for v in batch] == [v.reason for v in alone]
    # a loop condition that fails rejects every claim of the batch, as it does each alone
    wrong = inv(BATCH, ("while", "(= i #x00000001)"))
    assert not any(v.accepted for v in check_certificates(job, [Claim(cid, *where(BATCH, marker, nth), wrong)
                                                                 for cid, marker, nth, _c in claims]))
