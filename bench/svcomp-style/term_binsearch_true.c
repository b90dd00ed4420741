/* prooflens bench: bisection with nondet decisions: the interval [lo, hi) shrinks every step.
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int lo = __VERIFIER_nondet_int();
  int hi = __VERIFIER_nondet_int();
  __VERIFIER_assume(lo >= 0 && hi >= 0);
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (__VERIFIER_nondet_int()) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}
