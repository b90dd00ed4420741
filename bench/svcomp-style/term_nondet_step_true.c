/* prooflens bench: x advances by a nondet step in [1, 10] until it reaches n (n bounded: no overflow).
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n <= 1000000);
  int x = 0;
  while (x < n) {
    int k = __VERIFIER_nondet_int();
    __VERIFIER_assume(k >= 1 && k <= 10);
    x = x + k;
  }
  return 0;
}
