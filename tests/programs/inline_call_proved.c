// prooflens-test: calls to functions without a contract are inlined, so the caller sees their exact effect
// functions: clamp (no contract, no checks of its own), lookup (t[clamp(v, 0, 100)] on t[101]), half_twice
extern void __VERIFIER_assert(int cond);

static int clamp(int x, int lo, int hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}

int lookup(int v) {
  int t[101] = {0};
  int c = clamp(v, 0, 100);
  //:: proved(bounds.index)
  return t[c];
}

static int half(int x) { return x / 2; }

void half_twice(int x) {
  int h = half(x);
  //:: proved(assert.violated)
  __VERIFIER_assert(h * 2 == x || h * 2 == x - 1 || h * 2 == x + 1);
}
