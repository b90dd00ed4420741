// prooflens-test: data model ILP32 (same code as trap_data_model_lp64.c, other answers): long, unsigned long and size_t are 32 bits
//:: options --data-model ILP32
// functions: ulong_wrap, size_max, long_mul, ulong_shift, llong_vs_ulong, long_from_unsigned
#include <stddef.h>
extern void __VERIFIER_assert(int cond);

void ulong_wrap(unsigned long x) {
  if (x != 4294967295UL) return;
  //:: proved(assert.violated)
  __VERIFIER_assert(x + 1 == 0);
}

void size_max(void) {
  size_t n = (size_t)-1;
  //:: proved(assert.violated)
  __VERIFIER_assert(n == 4294967295u);
}

long long_mul(int x) {
  if (x < 0 || x > 65536) return 0;
  //:: refuted(overflow.signed.mul)
  return x * 65536L; // e.g. x = 65536: 2^32 does not fit in a 32-bit long
}

unsigned long ulong_shift(int n) {
  if (n < 0 || n > 63) return 0;
  //:: refuted(shift.too-wide)
  return 1UL << n; // e.g. n = 32: unsigned long has 32 bits
}

void llong_vs_ulong(void) {
  /* long long can hold every unsigned long: -1LL stays negative */
  //:: proved(assert.violated)
  __VERIFIER_assert(-1LL < 1UL);
}

void long_from_unsigned(unsigned u) {
  if (u != 4294967295u) return;
  long l = (long)u;
  //:: refuted(assert.violated)
  __VERIFIER_assert(l > 0); // always when reached: (long)4294967295u == -1 (wraps like gcc)
}
