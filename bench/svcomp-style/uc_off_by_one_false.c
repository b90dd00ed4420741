/* prooflens bench: like the even counter, but the loop runs once too often (i <= n).
 * property: unreach-call, expected: false (any n, e.g. n = 0 gives s == 2) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 1000000);
  int i = 0, s = 0;
  while (i <= n) {
    i = i + 1;
    s = s + 2;
  }
  if (s != 2 * n) reach_error();
  return 0;
}
