// prooflens-test: integer promotions: short/char arithmetic is int arithmetic; unsigned short * unsigned short can overflow int
// functions: short_add (no overflow), short_inc (s++ narrows, no UB), ushort_mul (65535 * 65535), ushort_mul_ok, char_sum
extern void __VERIFIER_assert(int cond);

int short_add(short a) {
  //:: proved(overflow.signed.add)
  return a + 1;
}

void short_inc(void) {
  short s = 32767;
  s++;
  //:: proved(assert.violated)
  __VERIFIER_assert(s == -32768);
}

int ushort_mul(unsigned short a, unsigned short b) {
  //:: refuted(overflow.signed.mul)
  return a * b; // e.g. a = b = 65535: both promote to int
}

unsigned ushort_mul_ok(unsigned short a, unsigned short b) {
  return (unsigned)a * b;
}

int char_sum(char a, char b) {
  //:: proved(overflow.signed.add)
  return a + b;
}
