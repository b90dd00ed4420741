/* prooflens bench: x = (x + 2) % 7 visits every residue (2 generates Z/7), so it reaches 0.
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x > -1000000 && x < 1000000);
  while (x != 0) {
    x = (x + 2) % 7;
  }
  return 0;
}
