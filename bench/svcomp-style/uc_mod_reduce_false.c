/* prooflens bench: remainder by repeated subtraction, with a wrong claim that it is at most 1.
 * property: unreach-call, expected: false (e.g. n = 2) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 1000000);
  int x = n;
  while (x >= 3) x -= 3;
  if (x > 1) reach_error();
  return 0;
}
