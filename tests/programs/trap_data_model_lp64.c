// prooflens-test: data model LP64 (same code as trap_data_model_ilp32.c, other answers): long, unsigned long and size_t are 64 bits
// functions: ulong_wrap, size_max, long_mul, ulong_shift, llong_vs_ulong, long_from_unsigned
#include <stddef.h>
extern void __VERIFIER_assert(int cond);

void ulong_wrap(unsigned long x) {
  if (x != 4294967295UL) return;
  //:: refuted(assert.violated)
  __VERIFIER_assert(x + 1 == 0); // always when reached: x + 1 == 4294967296
}

void size_max(void) {
  size_t n = (size_t)-1;
  //:: refuted(assert.violated)
  __VERIFIER_assert(n == 4294967295u); // always fails: SIZE_MAX is 2^64 - 1
}

long long_mul(int x) {
  if (x < 0 || x > 65536) return 0;
  //:: proved(overflow.signed.mul)
  return x * 65536L;
}

unsigned long ulong_shift(int n) {
  if (n < 0 || n > 63) return 0;
  //:: proved(shift.too-wide)
  return 1UL << n;
}

void llong_vs_ulong(void) {
  /* long long cannot hold every unsigned long: both become unsigned long long */
  //:: refuted(assert.violated)
  __VERIFIER_assert(-1LL < 1UL); // always fails under LP64
}

void long_from_unsigned(unsigned u) {
  if (u != 4294967295u) return;
  long l = (long)u;
  //:: proved(assert.violated)
  __VERIFIER_assert(l > 0);
}
