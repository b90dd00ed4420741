"""The certificate checker's memory model (analysis/certify/memory.py) on hand-written certificates."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.certify import Verdict, check_certificate
from analysis.options import Options
from analysis.service import functions_of, make_job, split_text

HEADER = """typedef unsigned long size_t;
void *malloc(size_t);
void *calloc(size_t, size_t);
void free(void *);
void *memcpy(void *, const void *, size_t);
void *memset(void *, int, size_t);
size_t strlen(const char *);
void __VERIFIER_assert(int c);
"""


def where(text: str, marker: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``marker`` in ``text`` (placed after HEADER)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(marker, at + 1)
    return HEADER.count("\n") + text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def check(text: str, fn: str, check_id: str, marker: str, requires: list[str] | None = None,
          loops: tuple[tuple[str, str], ...] = (), nth: int = 0, **extra: Any) -> Verdict:
    """Certify ``check_id`` at ``marker`` (pycparser puts a unary ``*`` at its operand) assuming
    ``requires``, with (loop keyword marker, SMT-LIB invariant) pairs."""
    opts = Options()
    split = split_text(HEADER + text, "/tmp/certify_memory_test.c", opts)
    unit = next(u for u in functions_of(split) if u.name == fn)
    entries = [dict(zip(("line", "column"), where(text, m), strict=True), invariant=term) for m, term in loops]
    cert = {"version": 1, "method": "invariants", "loops": entries, "requires": requires or [], **extra}
    line, col = where(text, marker, nth)
    return check_certificate(make_job(split, unit, opts), check_id, line, col, cert)


def accepted(*args: Any, **kw: Any) -> bool:
    v = check(*args, **kw)
    assert v.accepted or v.reason.startswith("condition does not hold"), v.reason  # decided, not out of reach
    return v.accepted


# -- parameters and the certificate's requires -----------------------------------------------------
FIRST = "int first(const int *a) { return a[0]; }\n"


def test_first_element_needs_valid_read() -> None:
    for cid in ("memory.null", "memory.use-after-free", "memory.bounds"):
        assert accepted(FIRST, "first", cid, "a[0]", ["\\valid_read(a)"]), cid
    assert not accepted(FIRST, "first", "memory.null", "a[0]")
    assert not accepted(FIRST, "first", "memory.bounds", "a[0]")
    # the element after the start only: a[0] is then inside too (offsets are not negative)
    assert accepted(FIRST, "first", "memory.bounds", "a[0]", ["\\valid_read(a + (1 .. 1))"])
    assert not accepted(FIRST, "first", "memory.bounds", "a[0]", ["\\valid_read(a + (-1 .. -1))"])


SUM = """long sum(const int *a, int n) {
  long s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}
int use(void) {
  int v[5] = {1, 2, 3, 4, 5};
  return (int)sum(v, 5);
}
int use6(void) {
  int v[5] = {1, 2, 3, 4, 5};
  return (int)sum(v, 6);
}
"""
LOOP = (("for", "(bvsle #x00000000 i)"),)


def test_sum_with_a_range_precondition_and_a_loop_invariant() -> None:
    whole = ["\\valid_read(a + (0 .. n-1))"]
    assert accepted(SUM, "sum", "memory.bounds", "a[i]", whole, LOOP)
    assert accepted(SUM, "sum", "memory.null", "a[i]", whole, LOOP)
    assert not accepted(SUM, "sum", "memory.bounds", "a[i]", ["\\valid_read(a + (0 .. n-2))"], LOOP)
    assert not accepted(SUM, "sum", "memory.bounds", "a[i]", whole)  # the invariant is needed: i may be < 0
    assert not accepted(SUM, "sum", "memory.bounds", "a[i]", [], LOOP)


def test_callee_checks_belong_to_the_call_in_the_top_function() -> None:
    assert accepted(SUM, "use", "memory.bounds", "sum(v, 5)", loops=LOOP)
    assert accepted(SUM, "use", "memory.null", "sum(v, 5)", loops=LOOP)
    assert not accepted(SUM, "use6", "memory.bounds", "sum(v, 6)", loops=LOOP)
    v = check(SUM, "use", "memory.bounds", "a[i]", loops=LOOP)  # not at the callee's own node
    assert not v.accepted and "no memory.bounds check" in v.reason


SWAP = """void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }
int alias(int *a, int *b) { *a = 1; *b = 0; __VERIFIER_assert(*a == 1); return 0; }
int apart(int *a, short *b) { *a = 1; *b = 0; __VERIFIER_assert(*a == 1); return 0; }
"""


def test_parameters_of_one_pointee_type_may_alias() -> None:
    both = ["\\valid(a)", "\\valid(b)"]
    assert accepted(SWAP, "swap", "memory.bounds", "a;", both)  # the read *a
    assert accepted(SWAP, "swap", "memory.bounds", "a =", both)
    assert accepted(SWAP, "swap", "memory.null", "b;", ["\\valid(a) && \\valid(b)"])
    assert not accepted(SWAP, "swap", "memory.null", "b;", ["\\valid(a)"])
    # with a == b the store to *b overwrites *a; an int and a short object are distinct
    assert not accepted(SWAP, "alias", "assert.violated", "__VERIFIER_assert", both)
    assert accepted(SWAP, "apart", "assert.violated", "__VERIFIER_assert", both, nth=1)


@pytest.mark.parametrize("form", ["\\valid(a + 1)", "\\separated(a, b, n)", "\\valid(n)", "\\valid(c)",
                                  "valid_read_string(a + (0 .. 1))", "\\valid(a + (0 .. m))"])
def test_unknown_requires_are_rejected(form: str) -> None:
    text = "int f(int *a, int *b, int n) { return n; }\n"
    v = check(text, "f", "overflow.signed.add", "n; }", [form])
    assert not v.accepted and v.reason.startswith("checker: unsupported"), v.reason
    v = check(text, "f", "overflow.signed.add", "n; }", [7])  # type: ignore[list-item]
    assert not v.accepted and "requires must be a list of strings" in v.reason


# -- the heap ----------------------------------------------------------------------------------------
HEAP = """int *mk(int v) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  *p = v;
  return p;
}
int *mk2(int v) {
  int *p = malloc(sizeof *p);
  *p = v;
  return p;
}
int uaf(void) {
  int *p = malloc(4 * sizeof(int));
  if (p == 0) return 0;
  p[3] = 1;
  free(p);
  return p[3];
}
void dbl(void) {
  char *p = malloc(8);
  free(p);
  free(p);
}
void local(void) { int x; free(&x); }
void param(int *q) { free(q); }
int callo(unsigned n) {
  if (n == 0) return 0;
  int *p = calloc(n, sizeof(int));
  if (!p) return 0;
  __VERIFIER_assert(p[0] == 0);
  free(p);
  return 1;
}
int mallo(unsigned n) {
  if (n == 0) return 0;
  int *p = malloc(n * sizeof(int));
  if (!p) return 0;
  __VERIFIER_assert(p[0] == 0);
  free(p);
  return 1;
}
"""


def test_malloc_may_return_null() -> None:
    assert accepted(HEAP, "mk", "memory.null", "p = v")
    assert accepted(HEAP, "mk", "memory.bounds", "p = v")
    assert not accepted(HEAP, "mk2", "memory.null", "p = v", nth=1)
    assert accepted(HEAP, "mk2", "memory.bounds", "p = v", nth=1)  # sizeof *p is the int's size


def test_use_after_free_double_and_invalid_free() -> None:
    assert accepted(HEAP, "uaf", "memory.use-after-free", "p[3] = 1")
    assert not accepted(HEAP, "uaf", "memory.use-after-free", "p[3];")
    assert accepted(HEAP, "dbl", "memory.double-free", "free(p);\n  free")
    assert not accepted(HEAP, "dbl", "memory.double-free", "free(p);\n}")
    assert not accepted(HEAP, "local", "memory.invalid-free", "free(&x)")
    assert not accepted(HEAP, "param", "memory.invalid-free", "free(q)", ["\\valid(q)"])  # heap or not: unknown
    assert accepted(HEAP, "dbl", "memory.invalid-free", "free(p);\n  free")


def test_calloc_zeroes_and_malloc_does_not() -> None:
    assert accepted(HEAP, "callo", "assert.violated", "__VERIFIER_assert")
    assert not accepted(HEAP, "mallo", "assert.violated", "__VERIFIER_assert", nth=1)


# -- the library ---------------------------------------------------------------------------------------
LIB = """void past(const char *src) {
  char *b = malloc(4);
  if (!b) return;
  memcpy(b, src, 5);
  free(b);
}
void exact(const char *src) {
  char *b = malloc(4);
  if (!b) return;
  memcpy(b, src, 4);
  free(b);
}
void shift(char *d) { memcpy(d, d + 2, 4); }
int copied(void) {
  char a[4] = {1, 2, 3, 4};
  char b[4];
  memcpy(b, a, 4);
  __VERIFIER_assert(b[2] == 3);
  __VERIFIER_assert(b[3] == 3);
  return 0;
}
void zero(char *d, unsigned long n) { memset(d, 0, n); }
unsigned long len(const char *s) { return strlen(s); }
"""


def test_memcpy_one_byte_past_a_block() -> None:
    src = ["\\valid_read(src + (0 .. 4))"]
    assert not accepted(LIB, "past", "memory.bounds", "memcpy", src)
    assert accepted(LIB, "exact", "memory.bounds", "memcpy", src, nth=1)
    assert not accepted(LIB, "exact", "memory.bounds", "memcpy", ["\\valid_read(src + (0 .. 2))"], nth=1)
    assert accepted(LIB, "exact", "memory.overlap", "memcpy", src, nth=1)  # a fresh block is apart
    assert accepted(LIB, "shift", "memory.bounds", "memcpy", ["\\valid(d + (0 .. 5))"], nth=2)
    assert not accepted(LIB, "shift", "memory.overlap", "memcpy", ["\\valid(d + (0 .. 5))"], nth=2)
    assert accepted(LIB, "copied", "assert.violated", "__VERIFIER_assert(b[2]")
    assert not accepted(LIB, "copied", "assert.violated", "__VERIFIER_assert(b[3]")


def test_memset_and_strlen() -> None:
    assert accepted(LIB, "zero", "memory.bounds", "memset", ["\\valid(d + (0 .. n-1))"])
    assert not accepted(LIB, "zero", "memory.bounds", "memset", ["\\valid(d + (0 .. n-2))"])
    assert accepted(LIB, "len", "memory.string", "strlen", ["valid_read_string(s)"])
    assert accepted(LIB, "len", "memory.null", "strlen", ["valid_read_string(s)"])
    assert not accepted(LIB, "len", "memory.string", "strlen", ["\\valid_read(s)"])  # no terminator known


# -- goto --------------------------------------------------------------------------------------------
GOTO = """int cleanup(int n) {
  int rc = -1;
  char *p = malloc(16);
  if (!p) goto out;
  if (n > 3) goto out;
  p[0] = 1;
  rc = 0;
out:
  free(p);
  return rc;
}
int onlyvia(int n) {
  char *p = malloc(4);
  if (!p) return -1;
  if (n > 0) goto out;
  p[0] = 1;
  return 0;
out:
  p[4] = 1;
  return 1;
}
int back(int n) {
  int i = 0;
again:
  i++;
  if (i < n) goto again;
  return i;
}
int into(int n) { int i = 0; goto in; while (i < n) { in: i++; } return i; }
"""


def test_goto_cleanup() -> None:
    assert accepted(GOTO, "cleanup", "memory.null", "p[0]")
    for cid in ("memory.double-free", "memory.invalid-free"):
        assert accepted(GOTO, "cleanup", cid, "free(p)"), cid
    assert not accepted(GOTO, "onlyvia", "memory.bounds", "p[4]")  # reached by the goto only
    assert accepted(GOTO, "onlyvia", "memory.bounds", "p[0]", nth=1)
    # a loop of backward gotos is a while (1) loop for the engine and the checker alike
    # (the loop is at the label: `again`; i < n <= INT_MAX before each i++)
    inv = "(and (bvsle #x00000000 i) (or (= i #x00000000) (bvslt i n)))"
    assert accepted(GOTO, "back", "overflow.signed.inc", "i++", loops=(("again", inv),))
    assert not accepted(GOTO, "back", "overflow.signed.inc", "i++")  # no invariant: i is any int
    v = check(GOTO, "into", "overflow.signed.inc", "i++", nth=1)
    assert not v.accepted and "unsupported goto" in v.reason, v.reason


# -- locals, structs, pointer arithmetic -----------------------------------------------------------
LOCALS = """int *esc(void) { int x = 1; int *p = &x; return p; }
int *row(void) { int v[3]; return v + 1; }
int *same(int *q) { return q; }
int through(void) { int x = 0; int *q = same(&x); return *q; }
struct S { int a; char b[3]; };
int fields(struct S *s, int i) {
  struct S loc;
  struct S *t = &loc;
  t->a = 1;
  t->b[2] = 2;
  return t->a + t->b[2] + s->a + s->b[i];
}
int bytes(void) {
  int x = 0x01020304;
  unsigned char *b = (unsigned char *)&x;
  __VERIFIER_assert(b[0] == 4 && b[3] == 1);
  return 0;
}
int distinct(void) { int x = 0, y = 0; __VERIFIER_assert(&x != &y); return x + y; }
int wrap(const int *a, long i) {
  if (i == 4611686018427387904L) return a[i];
  return 0;
}
int ends(void) {
  char *p = malloc(4);
  if (!p) return 0;
  char *q = p + 4;
  char *r = p + 5;
  free(p);
  return 0;
}
"""


def test_local_escape() -> None:
    assert not accepted(LOCALS, "esc", "memory.local-escape", "p; }")
    assert not accepted(LOCALS, "row", "memory.local-escape", "v + 1")
    assert accepted(LOCALS, "same", "memory.local-escape", "q; }")
    assert accepted(LOCALS, "through", "memory.local-escape", "same(&x)")  # the caller's local, not the callee's
    assert accepted(LOCALS, "through", "memory.null", "q; }", nth=1)


def test_struct_members_through_pointers() -> None:
    assert accepted(LOCALS, "fields", "memory.bounds", "t->a +")
    assert accepted(LOCALS, "fields", "memory.bounds", "t->b[2] =")
    assert accepted(LOCALS, "fields", "memory.bounds", "s->a", ["\\valid_read(s)"])
    assert not accepted(LOCALS, "fields", "memory.bounds", "s->a", [])
    assert not accepted(LOCALS, "fields", "bounds.index", "s->b[i]", ["\\valid_read(s)"])  # the member's [3]
    assert accepted(LOCALS, "fields", "memory.bounds", "s->b[i]", ["\\valid_read(s)"])  # (assumed in range)


MEMBERS = """struct node { int value; struct node *next; };
struct buf { char *data; unsigned long len; };
int second(struct node *n) { struct node *m = n->next; return m->value; }
int stored(struct node *n, struct node *m) { n->next = m; struct node *k = n->next; return k->value; }
int len(struct buf *b) { b->data = 0; return (int)b->len; }
int clobber(struct buf *b, int *out) { *out = 1; char *d = b->data; d[0] = 0; __VERIFIER_assert(*out == 1); return 0; }
"""


def test_pointer_members_are_bytes_and_a_loaded_pointer_is_any_pointer() -> None:
    # the struct a parameter points to is checked; the next node, read through a loaded pointer, never
    assert accepted(MEMBERS, "second", "memory.bounds", "n->next", ["\\valid_read(n)"])
    assert not accepted(MEMBERS, "second", "memory.bounds", "n->next", [])
    for cid in ("memory.null", "memory.use-after-free", "memory.bounds"):
        assert not accepted(MEMBERS, "second", cid, "m->value", ["\\valid_read(n)"]), cid
    # a pointer stored and read back is any pointer to the checker (its bytes are not kept)
    assert accepted(MEMBERS, "stored", "memory.bounds", "n->next =", ["\\valid(n)", "\\valid_read(m)"])
    assert not accepted(MEMBERS, "stored", "memory.bounds", "k->value", ["\\valid(n)", "\\valid_read(m)"])
    # storing a pointer member leaves the integer members as they were
    assert accepted(MEMBERS, "len", "memory.bounds", "b->len", ["\\valid(b)"])
    # a write through a loaded char pointer may land in any object: *out is not known after it
    assert not accepted(MEMBERS, "clobber", "assert.violated", "__VERIFIER_assert", ["\\valid(b)", "\\valid(out)"])


def test_bytes_comparison_and_exact_offsets() -> None:
    assert accepted(LOCALS, "bytes", "assert.violated", "__VERIFIER_assert")  # little-endian bytes
    assert accepted(LOCALS, "distinct", "assert.violated", "__VERIFIER_assert(&x")
    assert not accepted(LOCALS, "wrap", "memory.bounds", "a[i]", ["\\valid_read(a)"])  # 2^62 * 4 wraps 64 bits
    assert accepted(LOCALS, "ends", "memory.pointer-arith", "p + 4")  # one past the end
    assert not accepted(LOCALS, "ends", "memory.pointer-arith", "p + 5")


# -- loops -----------------------------------------------------------------------------------------
LOOPS = """int walk(int *a, int n) {
  if (n <= 0) return 0;
  int *end = a + n;
  int *p = a;
  int k = 0;
  while (p < end) { k += *p; p++; }
  return k;
}
int written(int c) {
  int x = 1; int *p = &x;
  while (c > 0) { *p = 2; c--; }
  __VERIFIER_assert(x == 1);
  return x;
}
int read(int c) {
  int x = 1; int *p = &x;
  while (c > 0) { c -= *p; }
  __VERIFIER_assert(x == 1);
  return x;
}
int frees(int *a, int n) {
  for (int i = 0; i < n; i++) { int *q = malloc(4); if (q) { *q = i; free(q); } }
  return *a;
}
int allocs(int *a, int n) {
  for (int i = 0; i < n; i++) { int *q = malloc(4); if (q) *q = *a; }
  return *a;
}
"""
# p stays within [a, end], a whole number of ints from a (a pointer p is p.offset in an invariant)
WALK = ("(and (bvule a.offset p.offset) (bvule p.offset end.offset) (= ((_ extract 1 0) (bvsub p.offset a.offset)) #b00)"
        " (= ((_ extract 1 0) (bvsub end.offset a.offset)) #b00))")


def test_pointer_loop_with_an_invariant_over_offsets() -> None:
    whole = ["\\valid_read(a + (0 .. n-1))"]
    assert accepted(LOOPS, "walk", "memory.pointer-arith", "a + n", whole)
    assert not accepted(LOOPS, "walk", "memory.pointer-arith", "a + n")
    assert accepted(LOOPS, "walk", "memory.bounds", "p; p++", whole, (("while", WALK),))
    assert accepted(LOOPS, "walk", "memory.pointer-arith", "p++", whole, (("while", WALK),))
    assert not accepted(LOOPS, "walk", "memory.bounds", "p; p++", whole, (("while", "true"),))
    unaligned = WALK.replace(" (= ((_ extract 1 0) (bvsub p.offset a.offset)) #b00)", "")
    v = check(LOOPS, "walk", "memory.bounds", "p; p++", whole, (("while", unaligned),))
    assert not v.accepted and "preserved" in v.reason


def test_loops_that_write_free_or_allocate() -> None:
    assert not accepted(LOOPS, "written", "assert.violated", "__VERIFIER_assert")
    assert accepted(LOOPS, "read", "assert.violated", "__VERIFIER_assert", nth=1)
    # freeing in a loop forgets what is live (conservative); allocating keeps the parameter's object
    assert not accepted(LOOPS, "frees", "memory.use-after-free", "a;\n}", ["\\valid(a)"])
    assert accepted(LOOPS, "allocs", "memory.use-after-free", "a;\n}", ["\\valid(a)"], nth=1)
    assert accepted(LOOPS, "allocs", "memory.bounds", "a; }", ["\\valid(a)"])


def test_a_loop_calling_an_unknown_function_forgets_memory() -> None:
    """``ext`` may write the global array ``p`` points into, in any iteration: the loop head must
    not keep the memory of its entry (the checker once did, and accepted this wrong proof)."""
    text = """int g[4];
void ext(void);
int f(int *p, int c) {
  int x = *p;
  while (c > 0) { ext(); c--; }
  __VERIFIER_assert(*p == x);
  return 0;
}
"""
    assert not accepted(text, "f", "assert.violated", "__VERIFIER_assert", ["\\valid(p)"], (("while", "true"),))


def test_a_static_pointer_keeps_the_value_of_the_previous_call() -> None:
    """``p`` is NULL only in the first call: later it holds an earlier ``q``, maybe freed since
    (the checker once re-ran the initializer of a static pointer, and accepted this)."""
    text = "int f(int *q) {\n  static int *p = 0;\n  int r = 0;\n  if (p) r = *p;\n  p = q;\n  return r;\n}\n"
    assert not accepted(text, "f", "memory.bounds", "p;\n  p =")


def test_calls_that_may_touch_memory_are_rejected() -> None:
    text = "void ext(int *p);\nint f(int *p) { ext(p); return 0; }\n"
    v = check(text, "f", "overflow.signed.add", "ext(p)")
    assert not v.accepted and "may touch memory" in v.reason


def test_pointers_outside_the_fragment_are_unsupported_not_rejected() -> None:
    """What the checker cannot read is a limit ("unsupported"), never a crash the gate counts as a
    wrong proof."""
    text = """/*@ requires x > 0; */
int g(int *p, int x);
int viacontract(int *p) { return g(p, 1); }
long negate(int *p) { return -(long)p; }
int minus(int *p) { int *q = -p; return 0; }
int twice(int **pp) { return 0; }
"""
    for fn, marker in (("negate", "(long)p"), ("minus", "p; return"), ("twice", "0; }")):
        v = check(text, fn, "overflow.signed.add", marker)
        assert not v.accepted and v.reason.startswith("checker: unsupported"), (fn, v.reason)
    # a declared-only callee with a contract: its precondition is checked, the memory it is handed forgotten
    assert check(text, "viacontract", "precondition.violated", "g(p, 1)").accepted


# -- initializer lists of locals in memory -----------------------------------------------------------
INIT = """struct point { int x, y; };
struct pad { char c; int i; };
struct seg { struct point a, b; };
void move(struct point *p, int dx) { p->x = p->x + dx; }
int clamp(void) {
  struct point p = {1, 2};
  move(&p, 3);
  __VERIFIER_assert(p.x == 4 && p.y == 2);
  return p.x;
}
int partial(void) { struct point p = {7}; __VERIFIER_assert(p.x == 7 && p.y == 0); return 0; }
int nested(void) {
  struct seg s = {{1, 2}, {3}};
  struct point ps[3] = {{5, 6}};
  int v[4] = {1, 2};
  int *q = v;
  __VERIFIER_assert(s.a.y == 2 && s.b.x == 3 && s.b.y == 0 && ps[0].y == 6 && ps[2].x == 0 && ps[1].y == 0);
  __VERIFIER_assert(q[1] == 2 && q[3] == 0);
  return 0;
}
int padding(void) {
  struct pad s = {1, 2};
  unsigned char *b = (unsigned char *)&s;
  __VERIFIER_assert(b[0] == 1 && b[4] == 2);
  __VERIFIER_assert(b[1] == 0);
  return 0;
}
int wrong(void) { struct point p = {1, 2}; __VERIFIER_assert(p.y == 1); return 0; }
int padzero(void) {
  struct pad s = {1};
  struct pad t[2] = {{1, 2}};
  unsigned char *b = (unsigned char *)&s;
  unsigned char *c = (unsigned char *)t;
  __VERIFIER_assert(b[4] == 0 && b[7] == 0 && c[8] == 0 && c[12] == 0 && c[15] == 0);
  __VERIFIER_assert(b[1] == 0);
  __VERIFIER_assert(c[9] == 0);
  return 0;
}
int designated(void) { struct point p = {.y = 1}; return p.x; }
int elided(void) { struct seg s = {1, 2, 3, 4}; return s.a.x; }
int copied(void) { struct point p = {1, 2}; struct point q = p; return q.x; }
int toomany(void) { struct point p = {1, 2, 3}; return p.x; }
"""


def test_initializer_lists_of_structs_and_arrays_in_memory() -> None:
    """C11 6.7.9: the members an initializer list leaves out are zero; padding is not."""
    assert accepted(INIT, "clamp", "assert.violated", "__VERIFIER_assert")
    assert accepted(INIT, "clamp", "memory.null", "move(&p, 3)")
    assert accepted(INIT, "clamp", "memory.bounds", "move(&p, 3)")
    assert accepted(INIT, "partial", "assert.violated", "__VERIFIER_assert", nth=1)
    assert accepted(INIT, "nested", "assert.violated", "__VERIFIER_assert", nth=2)
    assert accepted(INIT, "nested", "assert.violated", "__VERIFIER_assert", nth=3)
    assert accepted(INIT, "padding", "assert.violated", "__VERIFIER_assert", nth=4)
    assert not accepted(INIT, "padding", "assert.violated", "__VERIFIER_assert", nth=5)  # a padding byte
    assert not accepted(INIT, "wrong", "assert.violated", "__VERIFIER_assert", nth=6)
    assert accepted(INIT, "padzero", "assert.violated", "__VERIFIER_assert", nth=7)  # the members left out
    assert not accepted(INIT, "padzero", "assert.violated", "__VERIFIER_assert", nth=8)  # padding
    assert not accepted(INIT, "padzero", "assert.violated", "__VERIFIER_assert", nth=9)  # in an element left out
    # (brace elision, {1, 2, 3, 4} for two structs of two ints, is read: C11 6.7.9p20)
    for fn in ("designated", "toomany"):
        v = check(INIT, fn, "memory.bounds", "return")  # any check: the declaration is read first
        assert not v.accepted and v.reason.startswith("checker: unsupported"), (fn, v.reason)
    # a struct initialised from another is a copy of its bytes
    assert accepted(INIT.replace("return q.x; }", "__VERIFIER_assert(q.x == 1 && q.y == 2); return q.x; }"),
                    "copied", "assert.violated", "__VERIFIER_assert", nth=10)


# -- leaks: a block from the certified call, live at a return and reachable from nothing ------------
LEAKS = """
int early(int n) {
  char *p = malloc(8);
  if (!p) return 0;
  if (n > 3) return 1;
  free(p);
  return 0;
}
int cleanup(int n) {
  char *p = malloc(8);
  char *q = malloc(8);
  if (!p || !q) { free(p); free(q); return 0; }
  free(q);
  free(p);
  return n;
}
char *handed(int n) {
  char *p = malloc(n);
  return p + 1;
}
char *cached(int n) {
  static char *keep;
  keep = malloc(n);
  return 0;
}
int per_iteration(int n) {
  for (int i = 0; i < n; i++) {
    char *p = malloc(4);
    if (i == 5) return 1;
    free(p);
  }
  return 0;
}
static char *mk(void) { return malloc(4); }
int via_helper(int n) {
  char *p = mk();
  if (n) free(p);
  return 0;
}
"""


def test_leak_needs_a_free_or_a_reference_at_every_return() -> None:
    assert not accepted(LEAKS, "early", "memory.leak", "malloc")
    assert accepted(LEAKS, "cleanup", "memory.leak", "malloc(8);\n  char")
    assert accepted(LEAKS, "cleanup", "memory.leak", "malloc(8);\n  if")
    assert accepted(LEAKS, "handed", "memory.leak", "malloc(n)")  # returned (at an offset)
    assert accepted(LEAKS, "cached", "memory.leak", "malloc(n)", nth=1)  # a static pointer holds it
    assert not accepted(LEAKS, "via_helper", "memory.leak", "mk()")  # reported at the top function's call


def test_leak_in_a_loop_needs_an_invariant_about_blocks() -> None:
    # the loop forgets which blocks its allocating call made: no certificate without more than
    # an invariant over integers can say
    assert not accepted(LEAKS, "per_iteration", "memory.leak", "malloc(4)",
                        loops=(("for", "(bvsle #x00000000 i)"),))


# -- contracts that read memory: a user-written \valid, *p, a[i], \old over memory, p == \null --------
CONTRACTS = """/*@ requires \\valid(p) && *p < 1000; ensures *p == \\old(*p) + 1; */
void bump(int *p) { *p = *p + 1; }
/*@ requires \\valid(p) && *p < 1000; ensures *p == \\old(*p); */
void same(int *p) { *p = *p + 1; }
/*@ requires n >= 2 && \\valid(a + (0..n-1)); ensures a[1] == \\old(a[0]) && a[0] == \\old(a[0]); */
void shift(int *a, int n) { a[1] = a[0]; }
/*@ requires n >= 2 && \\valid(a + (0..n-1)); ensures a[1] == \\old(a[1]); */
void shift_bad(int *a, int n) { a[1] = a[0]; }
/*@ requires p != \\null; */
int deref(int *p) { return *p; }
/*@ requires \\valid(a + (1..2)); */
int second(int *a) { return a[2]; }
"""


def test_a_written_valid_precondition_is_what_the_checker_assumes() -> None:
    for cid in ("memory.null", "memory.bounds", "memory.use-after-free"):
        assert accepted(CONTRACTS, "bump", cid, "p + 1"), cid
        assert accepted(CONTRACTS, "shift", cid, "a[0]; }"), cid
    assert accepted(CONTRACTS, "bump", "overflow.signed.add", "p + 1")  # *p < 1000 read from memory
    assert accepted(CONTRACTS, "deref", "memory.null", "p; }")
    assert not accepted(CONTRACTS, "deref", "memory.bounds", "p; }")  # not NULL says nothing of the size
    assert accepted(CONTRACTS, "second", "memory.bounds", "a[2]")
    # a written precondition replaces the inferred one: a certificate may not bring its own
    assert not check(CONTRACTS, "second", "memory.bounds", "a[2]", ["\\valid(a + (0 .. 2))"]).accepted


def test_old_reads_memory_as_it_was_at_entry() -> None:
    assert accepted(CONTRACTS, "bump", "postcondition.violated", "*p == \\old(*p) + 1")
    assert not accepted(CONTRACTS, "same", "postcondition.violated", "*p == \\old(*p);")
    assert accepted(CONTRACTS, "shift", "postcondition.violated", "a[1] == \\old(a[0]) &&")
    assert not accepted(CONTRACTS, "shift_bad", "postcondition.violated", "a[1] == \\old(a[1])")


SEPARATED = """/*@ requires \\valid(a) && \\valid(b) && \\separated(a, b); ensures *a == 1; */
void apart(int *a, int *b) { *a = 1; *b = 2; }
/*@ requires \\valid(a) && \\valid(b); ensures *a == 1; */
void maybe_same(int *a, int *b) { *a = 1; *b = 2; }
/*@ requires 0 < n && \\valid(d + (0..n-1)) && \\valid(s + (0..n-1)) && \\separated(d + (0..n-1), s + (0..n-1)); */
void copy(unsigned char *d, unsigned char *s, int n) { memcpy(d, s, n); }
/*@ requires 0 < n && \\valid(d + (0..n-1)) && \\valid(s + (0..n-1)) && \\separated(d + (0..n-2), s + (0..n-2)); */
void copy_short(unsigned char *d, unsigned char *s, int n) { memcpy(d, s, n); }
/*@ requires \\separated(a, b); */
void callee(int *a, int *b);
void two(void) { int x, y; callee(&x, &y); }
void one(void) { int x; callee(&x, &x); }
"""


def test_separated_keeps_parameters_apart() -> None:
    assert accepted(SEPARATED, "apart", "postcondition.violated", "*a == 1")
    assert not accepted(SEPARATED, "maybe_same", "postcondition.violated", "*a == 1", nth=1)
    assert accepted(SEPARATED, "copy", "memory.overlap", "memcpy")
    assert not accepted(SEPARATED, "copy_short", "memory.overlap", "memcpy", nth=1)  # the last bytes may meet
    # at a call: the checker reads the arguments' objects
    assert accepted(SEPARATED, "two", "precondition.violated", "callee(&x, &y)")
    assert not accepted(SEPARATED, "one", "precondition.violated", "callee(&x, &x)")


def test_an_inferred_separation_is_a_requires_the_checker_reads() -> None:
    text = "void copy(unsigned char *d, const unsigned char *s, int n) { if (n > 0) memcpy(d, s, n); }\n"
    both = ["\\valid(d + (0 .. n-1))", "\\valid_read(s + (0 .. n-1))"]
    apart = [*both, "\\separated(s + (0 .. n-1), d + (0 .. n-1))"]
    assert accepted(text, "copy", "memory.overlap", "memcpy", apart)
    assert not accepted(text, "copy", "memory.overlap", "memcpy", both)
    assert not accepted(text, "copy", "memory.overlap", "memcpy", [*both, "\\separated(s + (0 .. n-2), d + (0 .. n-2))"])
    v = check(text, "copy", "memory.overlap", "memcpy", [*both, "\\separated(s, d, n)"])
    assert not v.accepted and "unsupported" in v.reason  # a form it does not know is refused, not guessed


# -- assigns: the function's own clause, and calls through it ----------------------------------------
ASSIGNS = """/*@ assigns *p; requires \\valid(p) && \\valid(q); */
void first(int *p, int *q) { *p = 1; }
/*@ assigns *p; requires \\valid(p) && \\valid(q); */
void both(int *p, int *q) { *p = 1; *q = 2; }
/*@ assigns a[0 .. 1]; requires \\valid(a + (0 .. 3)); */
void head(int *a) { a[0] = 5; a[1] = a[3]; }
/*@ assigns a[0 .. 1]; requires \\valid(a + (0 .. 3)); */
void head_bad(int *a) { a[0] = 5; a[2] = 6; }
/*@ assigns \\nothing; requires \\valid(p); */
int put_back(int *p) { int t = *p; *p = t + 1; *p = t; return t; }
/*@ assigns \\nothing; */
void gone(int *p) { free(p); }
/*@ assigns \\nothing; frees p; */
void gone_ok(int *p) { free(p); }
int g, h;
/*@ assigns g; */
void set_g(void) { g = 1; }
/*@ assigns g; */
void set_h(void) { h = 1; }
/*@ assigns *p; requires \\valid(p) && \\valid(q); */
void ext(int *p, int *q);
int keeps(void) { int x = 1, y = 2; ext(&x, &y); __VERIFIER_assert(y == 2); return x; }
int loses(void) { int x = 1, y = 2; ext(&x, &y); __VERIFIER_assert(x == 1); return y; }
/*@ assigns \\nothing; */
void quiet(void);
int keeps_h(void) { h = 4; quiet(); __VERIFIER_assert(h == 4); return 0; }
"""


def test_assigns_is_what_the_function_may_change_at_its_return() -> None:
    at = "assigns"
    assert accepted(ASSIGNS, "first", "assigns.violated", "*p; requires", nth=0)
    assert not accepted(ASSIGNS, "both", "assigns.violated", "*p; requires", nth=1)  # q's cell changes
    assert accepted(ASSIGNS, "head", "assigns.violated", "a[0 .. 1]")
    assert not accepted(ASSIGNS, "head_bad", "assigns.violated", "a[0 .. 1]", nth=1)
    assert accepted(ASSIGNS, "put_back", "assigns.violated", "\\nothing; requires")  # written and put back
    assert not accepted(ASSIGNS, "gone", "assigns.violated", "\\nothing; */\nvoid gone(")  # freeing needs frees
    assert accepted(ASSIGNS, "gone_ok", "assigns.violated", "\\nothing; frees")
    assert accepted(ASSIGNS, "set_g", "assigns.violated", "g; */\nvoid set_g")
    assert not accepted(ASSIGNS, "set_h", "assigns.violated", "g; */\nvoid set_h")
    del at


def test_a_call_through_assigns_keeps_the_rest_of_memory_and_the_globals() -> None:
    assert accepted(ASSIGNS, "keeps", "assert.violated", "__VERIFIER_assert(y == 2)")
    assert not accepted(ASSIGNS, "loses", "assert.violated", "__VERIFIER_assert(x == 1)")
    assert accepted(ASSIGNS, "keeps_h", "assert.violated", "__VERIFIER_assert(h == 4)")


# -- the string functions and realloc: the checker's own models -----------------------------------
STRINGS = """int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strchr(const char *, int);
char *strcpy(char *, const char *);
char *strncpy(char *, const char *, size_t);
void *realloc(void *, size_t);
int memcmp(const void *, const void *, size_t);
int differs(void) { char t[3] = {'a', 'x', 'c'}; return strcmp(t, "abc"); }
int runs_off(void) { char t[3] = {'a', 'b', 'c'}; return strcmp(t, "abc"); }
int prefix(void) { char t[3] = {'G', 'E', 'T'}; return strncmp(t, "GET /", 3); }
int prefix_long(void) { char t[3] = {'G', 'E', 'T'}; return strncmp(t, "GET /", 4); }
char after(void) { char p[8] = "key=val"; char *eq = strchr(p, '='); return eq ? eq[1] : 0; }
char missing(void) { char p[8] = "key=val"; char *c = strchr(p, ':'); return *c; }
int fits(void) { char b[6]; strcpy(b, "hello"); __VERIFIER_assert(strlen(b) == 5); return b[4]; }
int short_dst(void) { char b[5]; strcpy(b, "hello"); return b[0]; }
int padded(void) { char b[6]; strncpy(b, "ab", 6); __VERIFIER_assert(b[5] == 0 && b[1] == 'b'); return 0; }
int sign(void) { char a[4] = "abc", b[4] = "abz"; __VERIFIER_assert(memcmp(a, b, 4) < 0); return 0; }
int minus_one(void) { char a[4] = "abc", b[4] = "abz"; __VERIFIER_assert(memcmp(a, b, 4) == -1); return 0; }
int grow(void) {
  int *p = malloc(2 * sizeof *p);
  if (!p) return 0;
  p[0] = 7;
  int *q = realloc(p, 4 * sizeof *q);
  if (!q) { free(p); return 0; }
  __VERIFIER_assert(q[0] == 7);
  free(q);
  return 1;
}
int stale(void) {
  int *p = malloc(2 * sizeof *p);
  if (!p) return 0;
  int *q = realloc(p, 4 * sizeof *q);
  if (!q) { free(p); return 0; }
  int v = p[0];
  free(q);
  return v;
}
"""


def test_the_string_models_accept_what_holds_and_reject_what_does_not() -> None:
    assert accepted(STRINGS, "differs", "memory.string", "strcmp(t, \"abc\"); }")  # stops at t[1]
    assert not accepted(STRINGS, "runs_off", "memory.string", "strcmp(t, \"abc\"); }", nth=1)
    assert accepted(STRINGS, "prefix", "memory.string", "strncmp(t, \"GET /\", 3)")
    assert not accepted(STRINGS, "prefix_long", "memory.string", "strncmp(t, \"GET /\", 4)")
    assert accepted(STRINGS, "after", "memory.bounds", "eq[1]")
    assert not accepted(STRINGS, "missing", "memory.null", "c; }")
    assert accepted(STRINGS, "fits", "memory.bounds", "strcpy(b, \"hello\"); __VERIFIER_assert")
    assert accepted(STRINGS, "fits", "assert.violated", "__VERIFIER_assert(strlen(b) == 5)")
    assert not accepted(STRINGS, "short_dst", "memory.bounds", "strcpy(b, \"hello\"); return")
    assert accepted(STRINGS, "padded", "assert.violated", "__VERIFIER_assert(b[5] == 0")
    assert accepted(STRINGS, "sign", "assert.violated", "__VERIFIER_assert(memcmp(a, b, 4) < 0)")
    assert not accepted(STRINGS, "minus_one", "assert.violated", "__VERIFIER_assert(memcmp(a, b, 4) == -1)")


def test_realloc_keeps_the_first_bytes_and_frees_the_old_block() -> None:
    assert accepted(STRINGS, "grow", "assert.violated", "__VERIFIER_assert(q[0] == 7)")
    assert not accepted(STRINGS, "stale", "memory.use-after-free", "p[0];")


PART = """int tab[4];
/*@ assigns tab[0 .. 1]; */
void head_bad(void) { tab[0] = 1; tab[2] = 2; }
/*@ assigns tab[0 .. 1]; */
void ext_head(void);
void use(void) { tab[3] = 7; ext_head(); __VERIFIER_assert(tab[3] == 7); }
"""


def test_a_global_listed_in_part_is_not_read_as_the_whole_global() -> None:
    """Read as all of ``tab``, the clause would let tab[2] change unseen: the function's own
    check is out of the checker's reach; a caller forgets the whole global (sound, coarse)."""
    v = check(PART, "head_bad", "assigns.violated", "tab[0 .. 1]")
    assert not v.accepted and v.reason.startswith("checker: unsupported assigns of part of a global"), v.reason
    assert not accepted(PART, "use", "assert.violated", "__VERIFIER_assert(tab[3] == 7)")
