// prooflens-test: a claim broken after zero or two iterations of a loop whose twelve unrolled iterations make a slow formula: found by a shallow unrolling first
// functions: gcd_below
extern void __VERIFIER_assert(int cond);

void gcd_below(int a0, int b0) {
  if (a0 <= 0 || b0 <= 0 || a0 > 1000 || b0 > 1000) return;
  int a = a0, b = b0;
  while (a != b) {
    if (a > b) a = a - b;
    else b = b - a;
  }
  //:: refuted(assert.violated)
  __VERIFIER_assert(a < b0); // e.g. a0 = b0 = 1
}
