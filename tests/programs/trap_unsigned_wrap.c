// prooflens-test: unsigned arithmetic wraps (no overflow check), including unsigned long long
// functions: ull_wrap, ucount (no checks), uint_sub (a < b wraps above a), uint_sub_bad (d <= a fails)
extern void __VERIFIER_assert(int cond);

void ull_wrap(void) {
  unsigned long long x = 18446744073709551615ULL;
  x = x + 1;
  //:: proved(assert.violated)
  __VERIFIER_assert(x == 0);
}

unsigned ucount(unsigned a, unsigned b) {
  return a * b + a - b;
}

void uint_sub(unsigned a, unsigned b) {
  unsigned d = a - b;
  if (a < b)
    //:: proved(assert.violated)
    __VERIFIER_assert(d > a);
}

void uint_sub_bad(unsigned a, unsigned b) {
  unsigned d = a - b;
  //:: refuted(assert.violated)
  __VERIFIER_assert(d <= a); // e.g. a = 0, b = 1
}
