// prooflens-test: __VERIFIER_nondet_int values and __VERIFIER_assume constraints
// functions: nd_ok (assume 0 < x < 100 then t[x]), nd_bad (assume x >= 0 then x + 1), nd_two
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void __VERIFIER_assert(int cond);

void nd_ok(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x > 0 && x < 100);
  int t[100];
  //:: proved(bounds.index)
  t[x] = 1;
}

int nd_bad(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x >= 0);
  //:: refuted(overflow.signed.add)
  return x + 1; // e.g. nondet x = INT_MAX
}

void nd_two(void) {
  int a = __VERIFIER_nondet_int();
  int b = __VERIFIER_nondet_int();
  __VERIFIER_assume(a > b);
  //:: proved(assert.violated)
  __VERIFIER_assert(a != b);
  //:: refuted(assert.violated)
  __VERIFIER_assert(a > b + 1 || b < 0); // e.g. a = 1, b = 0
}
