// prooflens-test: char arithmetic is int arithmetic; c++ on a char narrows (no UB)
// functions: char_no_overflow (127 + 1 == 128 in int), schar_mul (max 16384), schar_mul_bad
extern void __VERIFIER_assert(int cond);

void char_no_overflow(void) {
  signed char c = 127;
  int r = c + 1;
  c++;
  //:: proved(assert.violated)
  __VERIFIER_assert(r == 128 && c == -128);
}

void schar_mul(signed char a, signed char b) {
  //:: proved(overflow.signed.mul)
  int r = a * b;
  //:: proved(assert.violated)
  __VERIFIER_assert(r <= 16384 && r >= -16256);
}

void schar_mul_bad(signed char a, signed char b) {
  int r = a * b;
  //:: refuted(assert.violated)
  __VERIFIER_assert(r < 16384); // e.g. a = b = -128
}
