/* prooflens bench: repeated subtraction x = x - y with y allowed to be 0 (y >= 0 also rules out overflow).
 * property: termination, expected: false (e.g. x = 5, y = 0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = __VERIFIER_nondet_int();
  __VERIFIER_assume(y >= 0);
  while (x > y) {
    x = x - y;
  }
  return 0;
}
