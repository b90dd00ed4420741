// prooflens-test: inlined calls (no contract) whose result breaks a check in the caller
// functions: clamp (no contract, no checks), lookup_bad (t[100] indexed by clamp(v, 0, 100)), half (x / 2), odd_check
extern void __VERIFIER_assert(int cond);

static int clamp(int x, int lo, int hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}

int lookup_bad(int v) {
  int t[100] = {0};
  int c = clamp(v, 0, 100);
  //:: refuted(bounds.index)
  return t[c]; // e.g. v = 100 (or any v >= 100)
}

static int half(int x) { return x / 2; }

void odd_check(int x) {
  int h = half(x);
  //:: refuted(assert.violated)
  __VERIFIER_assert(h * 2 == x); // e.g. x = 1
}
