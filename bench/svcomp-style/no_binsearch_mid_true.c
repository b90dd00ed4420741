/* prooflens bench: bisection on [0, n] with the overflow-free midpoint lo + (hi - lo) / 2.
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0);
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (__VERIFIER_nondet_int()) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
