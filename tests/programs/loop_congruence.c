// prooflens-test: a counter moved by steps of 3 keeps its remainder modulo 3 (congruence invariant); the claim with 4 is wrong
//:: options --timeout 15
// functions: reduce3, step_back, reduce_wrong
// (15 s per check: the checker needs seconds for the consecution of (x - n) % 3 == 0 over bit-vectors)
extern void __VERIFIER_assert(int cond);

void reduce3(int n) {
  if (n < 0) return;
  int x = n;
  while (x >= 3) x -= 3;
  //:: proved(assert.violated)
  __VERIFIER_assert(x == n % 3);
}

void step_back(unsigned int n) {
  if (n > 1000000) return;
  unsigned int x = 5 * n + 2;
  while (x > 4) x -= 5;
  //:: proved(assert.violated)
  __VERIFIER_assert(x == 2);
}

void reduce_wrong(int n) {
  if (n < 0) return;
  int x = n;
  while (x >= 3) x -= 3;
  //:: refuted(assert.violated)
  __VERIFIER_assert(x == n % 4); // e.g. n = 3
}
