/* prooflens bench: two phases; the second phase starts one step late for some thresholds.
 * property: unreach-call, expected: false (e.g. t = 0: y == 199 at the end) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int t = __VERIFIER_nondet_int();
  __VERIFIER_assume(t >= 0 && t <= 200);
  int x = 0;
  int y = t;
  while (x < 200) {
    x++;
    if (x > t + 1) y++;
  }
  if (y != 200) reach_error();
  return 0;
}
