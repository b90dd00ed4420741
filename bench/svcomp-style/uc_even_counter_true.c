/* prooflens bench: a counter and an accumulator in lockstep: s == 2 * i is the needed invariant.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 1000000);
  int i = 0, s = 0;
  while (i < n) {
    i = i + 1;
    s = s + 2;
  }
  if (s != 2 * n) reach_error();
  return 0;
}
