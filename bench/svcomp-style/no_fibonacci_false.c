/* prooflens bench: Fibonacci numbers in int: F(47) = 2971215073 does not fit.
 * property: no-overflow, expected: false (e.g. n = 47) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 60);
  int a = 0, b = 1;
  for (int i = 0; i < n; i++) {
    int t = a + b;
    a = b;
    b = t;
  }
  return a > 0;
}
