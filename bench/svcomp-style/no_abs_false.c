/* prooflens bench: absolute value of a nondet int: -x overflows for INT_MIN.
 * property: no-overflow, expected: false (x = -2147483648) */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = x < 0 ? -x : x;
  return y > 100;
}
