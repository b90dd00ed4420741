/* prooflens bench: counters in lockstep, but j is decremented twice on odd i.
 * property: unreach-call, expected: false (e.g. n = 2: i ends at 1) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  __VERIFIER_assume(n >= 0 && n <= 100000);
  int i = 0, j = n;
  while (j > 0) {
    i++;
    j--;
    if (i % 2 == 1 && j > 0) j--;
  }
  if (i != n) reach_error();
  return 0;
}
