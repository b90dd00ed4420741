// prooflens-test: a counter moved by steps of 3 keeps its remainder modulo 3 (congruence invariant); the claim with 4 is wrong
// functions: reduce3, reduce_wrong
extern void __VERIFIER_assert(int cond);

void reduce3(int n) {
  if (n < 0) return;
  int x = n;
  while (x >= 3) x -= 3;
  //:: proved(assert.violated)
  __VERIFIER_assert(x == n % 3);
}

void reduce_wrong(int n) {
  if (n < 0) return;
  int x = n;
  while (x >= 3) x -= 3;
  //:: refuted(assert.violated)
  __VERIFIER_assert(x == n % 4); // e.g. n = 3
}
