/* prooflens bench: the inner loop's step is nondet and may be 0.
 * property: termination, expected: false (e.g. n = 1, step = 0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 100);
  for (int i = 0; i < n; i++) {
    int step = __VERIFIER_nondet_int();
    __VERIFIER_assume(step >= 0 && step <= 10);
    for (int j = 0; j < 10; j = j + step) {
    }
  }
  return 0;
}
