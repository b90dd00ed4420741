// prooflens-test: switch with fallthrough between cases, break and default
// functions: acc (case 0 falls into case 1; case 2 falls into default), check_acc, check_acc_bad
extern void __VERIFIER_assert(int cond);

int acc(int k) {
  int s = 0;
  switch (k) {
  case 0: s += 1;     /* fallthrough */
  case 1: s += 10; break;
  case 2: s += 100;   /* fallthrough */
  default: s += 1000;
  }
  return s;
}

void check_acc(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(acc(0) == 11 && acc(1) == 10 && acc(2) == 1100 && acc(7) == 1000);
}

void check_acc_bad(int k) {
  int r = acc(k);
  //:: refuted(assert.violated)
  __VERIFIER_assert(r != 11); // e.g. k = 0
}
