// prooflens-test: long is 32 bits under ILP32: 2147483647L + 1 overflows, 1L << 31 overflows, 1L << 32 is too wide
//:: options --data-model ILP32
// functions: long_add32, long_unsigned_cmp32 (-1L < 1U is false), sizes, shift_long32
extern void __VERIFIER_assert(int cond);

void long_add32(long x) {
  if (x != 2147483647) return;
  //:: refuted(overflow.signed.add)
  long y = x + 1; // always when reached: x = 2147483647
  (void)y;
}

void long_unsigned_cmp32(void) {
  //:: refuted(assert.violated)
  __VERIFIER_assert(-1L < 1U); // always fails under ILP32
}

void sizes(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(sizeof(long) == 4 && sizeof(long long) == 8 && sizeof(int) == 4);
}

void shift_long32(int n) {
  if (n < 0 || n > 40) return;
  //:: refuted(shift.too-wide)
  //:: refuted(shift.overflow)
  long v = 1L << n; // too wide: n = 32; overflow: n = 31
  (void)v;
}
