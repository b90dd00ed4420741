/* prooflens bench: gcd by subtraction with positive inputs (ranking function a + b).
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int a = __VERIFIER_nondet_int();
  int b = __VERIFIER_nondet_int();
  __VERIFIER_assume(a > 0 && b > 0);
  while (a != b) {
    if (a > b) a = a - b;
    else b = b - a;
  }
  return 0;
}
