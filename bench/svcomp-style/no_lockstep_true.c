/* prooflens bench: x counts up while y counts down from n; both stay within [0, n].
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0);
  int x = 0, y = n;
  while (x < n) {
    x++;
    y--;
  }
  return x + y;
}
