/* prooflens bench: x = (x + 7) % 14 alternates between two values; it reaches 0 only if x starts at a multiple of 7.
 * property: termination, expected: false (e.g. x = 1: 1, 8, 1, 8, ...) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x > -1000000 && x < 1000000);
  while (x != 0) {
    x = (x + 7) % 14;
  }
  return 0;
}
