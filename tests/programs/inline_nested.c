// prooflens-test: two levels of inlining (use -> norm -> sq8), results bound caller checks
// functions: sq8 ((x & 0xFF)^2, no checks can fail), norm (sum of two), use_norm, use_norm_bad
extern void __VERIFIER_assert(int cond);

static int sq8(int x) { return (x & 0xFF) * (x & 0xFF); }

static int norm(int a, int b) { return sq8(a) + sq8(b); }

int use_norm(int a, int b) {
  int n = norm(a, b);
  //:: proved(assert.violated)
  __VERIFIER_assert(n >= 0 && n <= 130050);
  int t[3] = {0};
  //:: proved(bounds.index)
  return t[n % 3];
}

void use_norm_bad(int a, int b) {
  int n = norm(a, b);
  //:: refuted(assert.violated)
  __VERIFIER_assert(n < 130050); // e.g. a = b = 255
}
