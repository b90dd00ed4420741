/* prooflens bench: stepping by 2 from 0 stops at n or n + 1 (i is even and i <= n + 1).
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n < 2000000000);
  int i = 0;
  while (i < n) i += 2;
  if (i != n && i != n + 1) reach_error();
  if (i % 2 != 0) reach_error();
  return 0;
}
