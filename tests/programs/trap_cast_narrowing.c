// prooflens-test: narrowing conversions wrap modulo 2^N like gcc (implementation-defined, never a check)
// functions: narrow (300 -> 44), narrow_neg (128 -> -128), narrow_bad (char c == x fails for x >= 128), uint_to_int
extern void __VERIFIER_assert(int cond);

void narrow(void) {
  int x = 300;
  char c = (char)x;
  //:: proved(assert.violated)
  __VERIFIER_assert(c == 44);
}

void narrow_neg(void) {
  int x = 128;
  signed char c = (signed char)x;
  //:: proved(assert.violated)
  __VERIFIER_assert(c == -128);
}

void narrow_bad(int x) {
  if (x < 0 || x > 255) return;
  char c = (char)x;
  //:: refuted(assert.violated)
  __VERIFIER_assert(c == x); // e.g. x = 128
}

void uint_to_int(unsigned u) {
  int i = (int)u;
  if (u > 2147483647u)
    //:: proved(assert.violated)
    __VERIFIER_assert(i < 0);
}
