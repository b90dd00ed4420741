/* prooflens bench: bisection with the classic (lo + hi) / 2 midpoint: lo + hi overflows on large ranges.
 * property: no-overflow, expected: false (e.g. n = 2147483647, first choice 1: lo = 1073741824) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0);
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (__VERIFIER_nondet_int()) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
