/* prooflens bench: counting down by a nondet positive step (ranking function x).
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int d = __VERIFIER_nondet_int();
  __VERIFIER_assume(d >= 1);
  while (x > 0) {
    x = x - d;
  }
  return 0;
}
