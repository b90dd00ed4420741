// prooflens-test: sizeof takes its operand's C type without evaluating it: a string literal is char[n + 1] (it was a char * for the engine and the checker: memcpy(buf, "...", sizeof "...") overflowing buf was proved), an array decays in arithmetic, ?: and the comma operator, operands are promoted, an array parameter is a pointer
// functions: literal_sizes, literal_copy_fits, literal_copy_overflows (17 + 1 bytes into 16), literal_dim_in/literal_dim_past (char b[sizeof "abcdef" - 1]), deref_address (sizeof *&a is the array), deref_address_wrong, decay (m + 1, *m + 1, (0, m)), decay_wrong, promotions (_Bool ?: _Bool is int), members_casts, array_param (int a[10] is an int *), array_param_wrong, array_param_clear (memset(a, 0, sizeof a) clears 8 bytes, not 40), float_operand (not typed: unknown)
#include <assert.h>
#include <string.h>

void literal_sizes(void) {
  //:: proved(assert.violated)
  assert(sizeof "abc" == 4);
  assert(sizeof("") == 1);
  assert(sizeof("ab" "cd") == 5);
  assert(sizeof "a\n\0b" == 5);
  assert(sizeof "abc" - 1 == 3);
}

void literal_copy_fits(void) {
  char buf[18];
  //:: proved(memory.bounds)
  memcpy(buf, "0123456789abcdef!", sizeof "0123456789abcdef!");
}

void literal_copy_overflows(void) {
  char buf[16];
  //:: refuted(memory.bounds)
  memcpy(buf, "0123456789abcdef!", sizeof "0123456789abcdef!"); // always: 18 bytes into 16
}

void literal_dim_in(int i) {
  char b[sizeof "abcdef" - 1];
  if (i >= 0 && i < 6)
    //:: proved(bounds.index)
    b[i] = 0;
}

void literal_dim_past(int i) {
  char b[sizeof "abcdef" - 1];
  if (i >= 0 && i < 7)
    //:: refuted(bounds.index)
    b[i] = 0; // e.g. i = 6
}

void deref_address(void) {
  int a[3];
  //:: proved(assert.violated)
  assert(sizeof(*&a) == 12);
  assert(sizeof(&a) == 8);
  assert(sizeof(a[0]) == 4);
  assert(sizeof(&a[1] - &a[0]) == 8);
}

void deref_address_wrong(void) {
  int a[3];
  //:: refuted(assert.violated)
  assert(sizeof(*&a) == 4); // always
}

void decay(void) {
  short m[4][5];
  //:: proved(assert.violated)
  assert(sizeof m == 40);
  assert(sizeof(m + 1) == 8);
  assert(sizeof(*m + 1) == 8);
  assert(sizeof(*m) == 10);
  assert(sizeof(m[1]) == 10);
  assert(sizeof(m[1][2]) == 2);
  assert(sizeof((0, m)) == 8);
}

void decay_wrong(void) {
  short m[4][5];
  //:: refuted(assert.violated)
  assert(sizeof(*m + 1) == 4); // always: a short *
}

void promotions(int c) {
  _Bool bo = 1;
  char ch = 'x';
  //:: proved(assert.violated)
  assert(sizeof(c ? bo : bo) == 4);
  assert(sizeof bo == 1);
  assert(sizeof(!bo) == 4);
  assert(sizeof(ch + ch) == 4);
  assert(sizeof(-ch) == 4);
  assert(sizeof(ch << 1) == 4);
  assert(sizeof 'a' == 4);
  assert(sizeof(c < 2) == 4);
  assert(sizeof(1L + c) == 8);
  assert(sizeof(c ? 1 : 2UL) == 8);
  assert(sizeof(ch = 5) == 1);
  assert(sizeof(ch++) == 1);
}

struct rec {
  char tag;
  int vals[3];
};

void members_casts(struct rec *p, int i) {
  struct rec r;
  //:: proved(assert.violated)
  assert(sizeof r == 16);
  assert(sizeof(*p) == 16);
  assert(sizeof(p->vals) == 12);
  assert(sizeof(r.tag) == 1);
  assert(sizeof(p->vals[0] + r.tag) == 4);
  assert(sizeof((char)i) == 1);
  assert(sizeof((long)i) == 8);
  assert(sizeof(p + 1) == 8);
}

void array_param(int a[10]) {
  //:: proved(assert.violated)
  assert(sizeof(a) == sizeof(int *));
  assert(sizeof a[0] == 4);
}

void array_param_wrong(int a[10]) {
  //:: refuted(assert.violated)
  assert(sizeof(a) == 40); // always: a is an int *
}

void array_param_clear(int a[10]) {
  //:: refuted(memory.bounds)
  memset(a, 0, sizeof a); // e.g. a points to one int (8 bytes cleared)
}

float float_operand(float x) {
  //:: unknown(assert.violated)
  assert(sizeof(x * 2.0f) == 4);
  return x;
}
