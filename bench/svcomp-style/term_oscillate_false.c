/* prooflens bench: above 10 the loop counts down, at or below 10 it counts up: it oscillates between 10 and 11.
 * property: termination, expected: false (e.g. x = 1) */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  while (x > 0) {
    if (x > 10) x = x - 1;
    else x = x + 1;
  }
  return 0;
}
