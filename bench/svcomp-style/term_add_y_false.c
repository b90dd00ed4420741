/* prooflens bench: while (x > 0) x = x + y with y <= 0: terminates for y < 0, not for y == 0.
 * property: termination, expected: false (e.g. x = 1, y = 0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = __VERIFIER_nondet_int();
  __VERIFIER_assume(y <= 0 && y >= -1000);
  while (x > 0) {
    x = x + y;
  }
  return 0;
}
