// prooflens-test: / truncates toward zero, so % takes the sign of the dividend: -7 % 2 == -1
// functions: rem_neg, is_odd_bad (x % 2 == -1 for negative odd x), is_odd_ok, bucket (t[x % 10] with x < 0)
extern void __VERIFIER_assert(int cond);

void rem_neg(void) {
  int a = -7;
  //:: proved(assert.violated)
  __VERIFIER_assert(a % 2 == -1 && a / 2 == -3);
}

void is_odd_bad(int x) {
  //:: refuted(assert.violated)
  __VERIFIER_assert(x % 2 == 0 || x % 2 == 1); // e.g. x = -1
}

void is_odd_ok(int x) {
  //:: proved(assert.violated)
  __VERIFIER_assert(x % 2 == 0 || x % 2 == 1 || x % 2 == -1);
}

int bucket(int x) {
  int t[10] = {0};
  //:: refuted(bounds.index)
  return t[x % 10]; // e.g. x = -1
}
