// prooflens-test: switch on x % 4 (negative remainders!), grouped case labels and default
// functions: classify, check (default only for remainder 3 or -3), check_bad
extern void __VERIFIER_assert(int cond);

int classify(int x) {
  int r;
  switch (x % 4) {
  case 0: r = 0; break;
  case 1: case -1: r = 1; break;
  case 2: case -2: r = 2; break;
  default: r = 3;
  }
  return r;
}

void check(int x) {
  int r = classify(x);
  //:: proved(assert.violated)
  __VERIFIER_assert(r != 3 || x % 4 == 3 || x % 4 == -3);
}

void check_bad(int x) {
  int r = classify(x);
  //:: refuted(assert.violated)
  __VERIFIER_assert(r != 3); // e.g. x = 3 (or x = -3)
}
