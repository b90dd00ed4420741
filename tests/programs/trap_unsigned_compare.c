// prooflens-test: usual arithmetic conversions in comparisons: -1 < 1u is false; int vs unsigned bounds
// functions: neg_vs_unsigned, neg_vs_unsigned_bad, mixed (x < 10u excludes negative x), mixed_bad (x < 10 does not)
extern void __VERIFIER_assert(int cond);

void neg_vs_unsigned(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(!(-1 < 1u));
}

void neg_vs_unsigned_bad(void) {
  //:: refuted(assert.violated)
  __VERIFIER_assert(-1 < 1u); // always fails: -1 converts to UINT_MAX
}

void mixed(int x) {
  unsigned u = 10;
  int t[10];
  if (x < u)
    //:: proved(bounds.index)
    t[x] = 0; /* negative x compares as a huge unsigned value */
}

void mixed_bad(int x) {
  int s = 10;
  int t[10];
  if (x < s)
    //:: refuted(bounds.index)
    t[x] = 0; // e.g. x = -1
}
