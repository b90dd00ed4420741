/* prooflens bench: absolute value and negation with INT_MIN excluded.
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = 0;
  if (x != -2147483647 - 1) {
    y = x < 0 ? -x : x;
  }
  int z = y / 2 + 1;
  return z;
}
