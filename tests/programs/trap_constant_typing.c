// prooflens-test: integer-constant types (LP64): 2147483648 is long, 0xFFFFFFFF is unsigned int, -2147483648 is a long expression
// functions: big_literal, hex_literal (wraps to 0, no UB), minus_literal (long division, no overflow), int_min_div, literal_sum
extern void __VERIFIER_assert(int cond);

void big_literal(void) {
  long v = 2147483648;
  //:: proved(assert.violated)
  __VERIFIER_assert(v > 0 && sizeof(2147483648) == 8);
}

void hex_literal(void) {
  unsigned u = 0xFFFFFFFF + 1;
  //:: proved(assert.violated)
  __VERIFIER_assert(u == 0);
}

void minus_literal(void) {
  long q = -2147483648 / -1;
  //:: proved(assert.violated)
  __VERIFIER_assert(q == 2147483648);
}

void int_min_div(int m) {
  if (m != -2147483647 - 1) return;
  //:: refuted(overflow.signed.div)
  int q = m / -1; // always when reached: m = INT_MIN
  (void)q;
}

long literal_sum(int a) {
  //:: proved(overflow.signed.add)
  long wide = a + 2147483648; /* long arithmetic */
  //:: refuted(overflow.signed.add)
  long narrow = a + 2147483647; // e.g. a = 1 (int arithmetic)
  return wide + narrow;
}
