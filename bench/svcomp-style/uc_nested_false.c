/* prooflens bench: a triangular nested loop; the claimed count is wrong when n >= 2.
 * property: unreach-call, expected: false (e.g. n = 2: k == 1 < n) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 100);
  int k = 0;
  for (int i = 0; i < n; i++) {
    for (int j = i + 1; j < n; j++) {
      k++;
    }
  }
  if (n >= 2 && k < n) reach_error();
  return 0;
}
