/* prooflens bench: factorial in int overflows from 13! on.
 * property: no-overflow, expected: false (e.g. n = 13) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 20);
  int f = 1;
  for (int i = 2; i <= n; i++) {
    f = f * i;
  }
  return f > 0;
}
