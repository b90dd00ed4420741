/* prooflens bench: swapping two different values forever: the loop test never changes.
 * property: termination, expected: false (e.g. x = 1, y = 2) */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = __VERIFIER_nondet_int();
  while (x != y) {
    int t = x;
    x = y;
    y = t;
  }
  return 0;
}
