/* prooflens bench: C division truncates toward zero: x / 4 == -1 means x in [-7, -4], where x % 4 <= 0.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  if (x / 4 == -1 && x % 4 == 3) reach_error();
  if (x % 4 > 0 && x < 0) reach_error();
  return 0;
}
