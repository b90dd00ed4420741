/* prooflens bench: each step increments x or y nondeterministically; they can end equal.
 * property: unreach-call, expected: false (e.g. n = 2, choices 1 then 0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 1000);
  int x = 0, y = 0;
  for (int i = 0; i < n; i++) {
    if (__VERIFIER_nondet_int()) x++;
    else y++;
  }
  if (x + y != n) reach_error();
  if (n > 0 && x == y) reach_error();
  return 0;
}
