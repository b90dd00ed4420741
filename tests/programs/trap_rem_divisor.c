// prooflens-test: % with a negative divisor: the result has the dividend's sign, never the divisor's (7 % -2 == 1)
// functions: rem_neg_divisor, rem_sign_bad (x % y <= 0 for y < 0 fails), rem_bound (|x % y| < |y|), rem_index_bad
// (rem_bound holds; its certificate needs a 32-bit divider circuit the checker cannot decide in time: unknown)
extern void __VERIFIER_assert(int cond);

void rem_neg_divisor(void) {
  int a = 7, b = -2;
  //:: proved(assert.violated)
  __VERIFIER_assert(a % b == 1 && -a % b == -1 && a / b == -3 && (a / b) * b + a % b == a);
}

void rem_sign_bad(int x, int y) {
  if (y >= 0 || x == -2147483647 - 1) return;
  //:: refuted(assert.violated)
  __VERIFIER_assert(x % y <= 0); // e.g. x = 7, y = -2: 7 % -2 == 1
}

void rem_bound(int x, int y) {
  if (y >= 0 || y == -2147483647 - 1 || x == -2147483647 - 1) return;
  int r = x % y;
  //:: unknown(assert.violated)
  __VERIFIER_assert(r > y && r < -y && (r == 0 || (r < 0) == (x < 0)));
}

int rem_index_bad(int x) {
  int t[4] = {0};
  //:: refuted(bounds.index)
  return t[x % -4]; // e.g. x = -1: -1 % -4 == -1
}
