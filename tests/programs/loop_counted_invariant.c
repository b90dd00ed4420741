// prooflens-test: counted loops whose checks need relational invariants (s == 2 * i, i + j == n, x + y == x0)
//:: options --timeout 15
// functions: double_count (requires n <= 1000000), lockstep (i++ / j--), transfer (x-- / y++); 15 s per check:
// under a loaded machine the invariant search can run out of 5 s, and the closed form that then proves
// transfer's assert has no certificate yet
extern void __VERIFIER_assert(int cond);

/*@ requires 0 <= n && n <= 1000000; */
int double_count(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    //:: proved(overflow.signed.add)
    s += 2;
  //:: proved(assert.violated)
  __VERIFIER_assert(s == 2 * n);
  return s;
}

/*@ requires 0 <= n && n <= 1000; */
int lockstep(int n) {
  int i = 0, j = n;
  while (i < n) { i++; j--; }
  //:: proved(assert.violated)
  __VERIFIER_assert(j == 0 && i == n);
  return j;
}

int transfer(int x) {
  if (x < 0 || x > 100) return 0;
  int y = 0;
  while (x > 0) { x--; y++; }
  //:: proved(assert.violated)
  __VERIFIER_assert(y <= 100 && x == 0);
  return y;
}
