/* prooflens bench: each step decrements one of two positive counters, chosen nondeterministically (ranking x + y).
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = __VERIFIER_nondet_int();
  while (x > 0 && y > 0) {
    if (__VERIFIER_nondet_int()) x--;
    else y--;
  }
  return 0;
}
