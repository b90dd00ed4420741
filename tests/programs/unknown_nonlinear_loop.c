// prooflens-test: a loop whose invariant is nonlinear (s == i * i): the overflow of s holds by the loop's closed form
// (s is a sum of a counter), a proof with no certificate yet: unknown; the final assert (s == n * n, true) stays unknown
// functions: squares (requires n <= 46340)
extern void __VERIFIER_assert(int cond);

/*@ requires 0 <= n && n <= 46340; */
int squares(int n) {
  int s = 0;
  //:: proved(termination.loop)
  for (int i = 0; i < n; i++) {
    //:: proved(overflow.signed.add)
    int odd = 2 * i + 1;
    //:: unknown(overflow.signed.add)
    s += odd;
  }
  //:: unknown(assert.violated)
  __VERIFIER_assert(s == n * n);
  return s;
}
