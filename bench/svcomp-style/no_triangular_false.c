/* prooflens bench: the triangular sum overflows only after 65536 iterations (needs n >= 65537).
 * property: no-overflow, expected: false (e.g. n = 65537: s == 2147450880 + 65536) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 100000);
  int s = 0;
  for (int i = 0; i < n; i++) {
    s = s + i;
  }
  return s > 0;
}
