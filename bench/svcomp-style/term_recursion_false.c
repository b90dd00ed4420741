/* prooflens bench: a recursive countdown that stalls at 5 (calls itself with the same argument).
 * property: termination, expected: false (e.g. n = 7: 7, 6, 5, 5, 5, ...) */
extern int __VERIFIER_nondet_int(void);

static int down(int n) {
  if (n <= 0) return 0;
  if (n == 5) return down(n);
  return down(n - 1);
}

int main(void) {
  int n = __VERIFIER_nondet_int();
  return down(n);
}
