/* prooflens bench: remainder by repeated subtraction of 3 (the residue mod 3 is invariant).
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0);
  int x = n;
  while (x >= 3) x -= 3;
  if (x < 0 || x > 2) reach_error();
  if (x != n % 3) reach_error();
  return 0;
}
