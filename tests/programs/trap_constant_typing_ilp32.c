// prooflens-test: integer-constant types under ILP32: 2147483648 is long long, -1L < 1U is false
//:: options --data-model ILP32
// functions: big_literal32, long_vs_unsigned32, hex_size32, literal_sum32
extern void __VERIFIER_assert(int cond);

void big_literal32(void) {
  long long v = 2147483648;
  //:: proved(assert.violated)
  __VERIFIER_assert(v > 0 && sizeof(2147483648) == 8 && sizeof(long) == 4);
}

void long_vs_unsigned32(void) {
  /* long and unsigned int have the same width: both go to unsigned long */
  //:: proved(assert.violated)
  __VERIFIER_assert(!(-1L < 1U));
}

void hex_size32(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(sizeof(0xFFFFFFFF) == 4 && 0xFFFFFFFF + 1 == 0);
}

long long literal_sum32(int a) {
  //:: proved(overflow.signed.add)
  long long wide = a + 2147483648; /* long long arithmetic */
  //:: refuted(overflow.signed.add)
  long narrow = a + 2147483647L; // e.g. a = 1 (long is 32 bits)
  return wide + narrow;
}
