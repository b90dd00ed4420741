/* prooflens bench: gcd by subtraction; the result is positive and at most both inputs.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int a0 = __VERIFIER_nondet_int();
  int b0 = __VERIFIER_nondet_int();
  __VERIFIER_assume(a0 > 0 && b0 > 0);
  int a = a0, b = b0;
  while (a != b) {
    if (a > b) a = a - b;
    else b = b - a;
  }
  if (a <= 0 || a > a0 || a > b0) reach_error();
  return 0;
}
