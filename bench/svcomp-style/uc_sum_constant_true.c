/* prooflens bench: moving units from x to y keeps x + y constant.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);
extern void reach_error(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x >= 0 && x <= 5000);
  int y = 5000 - x;
  while (x > 0) {
    x--;
    y++;
  }
  if (y != 5000) reach_error();
  return 0;
}
