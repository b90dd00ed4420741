/* prooflens bench: nested loops, the inner bound depends on the outer counter.
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n <= 10000);
  int c = 0;
  for (int i = 0; i < n; i++) {
    for (int j = i; j > 0; j--) {
      c = c ^ j;
    }
  }
  return c;
}
