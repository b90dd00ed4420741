/* prooflens bench: the remainder takes the sign of the dividend, so x % 4 == -3 is possible.
 * property: unreach-call, expected: false (e.g. x = -3) */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int r = x % 4;
  if (r == -3) reach_error();
  return 0;
}
