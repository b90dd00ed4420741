// prooflens-test: floating point is not modelled: checks that depend on float/double values are unknown
// functions: float_assert (x * 0.5f <= 50), float_to_index (t[(int)(d * 2.0)] with d == x / 2.0)
extern void __VERIFIER_assert(int cond);

void float_assert(int x) {
  if (x < 0 || x > 100) return;
  float f = x * 0.5f;
  //:: unknown(assert.violated)
  __VERIFIER_assert(f <= 50.0f);
}

int float_to_index(int x) {
  int t[10] = {0};
  if (x < 0 || x > 9) return 0;
  double d = x / 2.0;
  //:: unknown(bounds.index)
  return t[(int)(d * 2.0)];
}
