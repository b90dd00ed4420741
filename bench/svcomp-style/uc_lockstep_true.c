/* prooflens bench: two counters moving in opposite directions; invariant i + j == n.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0);
  int i = 0, j = n;
  while (j > 0) {
    i++;
    j--;
  }
  if (i != n) reach_error();
  return 0;
}
