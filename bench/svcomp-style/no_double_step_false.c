/* prooflens bench: y grows by 2 for every unit taken from x: y == 2 * (x0 - x) exceeds INT_MAX for large x0.
 * property: no-overflow, expected: false (e.g. x0 = 1073741824) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x >= 0);
  int y = 0;
  while (x > 0) {
    x--;
    y = y + 2;
  }
  return y;
}
