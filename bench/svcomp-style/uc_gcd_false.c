/* prooflens bench: gcd by subtraction; the claim that the gcd is below both inputs is wrong.
 * property: unreach-call, expected: false (e.g. a0 = 6, b0 = 3: gcd 3 == b0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int a0 = __VERIFIER_nondet_int();
  int b0 = __VERIFIER_nondet_int();
  __VERIFIER_assume(a0 > 0 && b0 > 0 && a0 <= 1000 && b0 <= 1000);
  int a = a0, b = b0;
  while (a != b) {
    if (a > b) a = a - b;
    else b = b - a;
  }
  if (a >= b0) reach_error();
  return 0;
}
