/* prooflens bench: s = 0 + 1 + ... + (n - 1) for n <= 65535 stays below 2^31 (at most 2147385345).
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 65535);
  int s = 0;
  for (int i = 0; i < n; i++) {
    s = s + i;
  }
  return s > 0;
}
