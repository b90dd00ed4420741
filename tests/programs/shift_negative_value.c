// prooflens-test: left shift of a negative value is UB; right shift of a negative value is not
// functions: shl_neg, shl_nonneg, shr_neg (arithmetic shift on gcc), shl_char (promoted signed char)
extern void __VERIFIER_assert(int cond);

int shl_neg(int x) {
  //:: refuted(shift.negative-value)
  //:: refuted(shift.overflow)
  return x << 1; // e.g. x = -1 (negative value), x = 1073741824 (overflow)
}

int shl_nonneg(int x) {
  if (x < 0 || x >= 1 << 30) return 0;
  //:: proved(shift.negative-value)
  //:: proved(shift.overflow)
  return x << 1;
}

int shr_neg(int x) {
  if (x != -8) return 0;
  int r = x >> 1;
  //:: proved(assert.violated)
  __VERIFIER_assert(r == -4);
  return r;
}

int shl_char(signed char c) {
  //:: refuted(shift.negative-value)
  return c << 2; // e.g. c = -1 (promoted to int, still negative)
}
