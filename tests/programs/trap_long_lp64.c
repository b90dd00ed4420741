// prooflens-test: long is 64 bits in the default LP64 data model
// functions: long_add (2147483647L + 1 fits), long_unsigned_cmp (-1L < 1U is true), long_add_bad (LONG_MAX + 1)
extern void __VERIFIER_assert(int cond);

void long_add(long x) {
  if (x != 2147483647) return;
  //:: proved(overflow.signed.add)
  long y = x + 1;
  //:: proved(assert.violated)
  __VERIFIER_assert(y == 2147483648 && sizeof(long) == 8);
}

void long_unsigned_cmp(void) {
  /* unsigned int converts to long, which holds all its values */
  //:: proved(assert.violated)
  __VERIFIER_assert(-1L < 1U);
}

long long_add_bad(long x) {
  //:: refuted(overflow.signed.add)
  return x + 1; // e.g. x = LONG_MAX (9223372036854775807)
}
