/* prooflens bench: halving (integer log2) and clearing the lowest set bit of an unsigned.
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);
extern unsigned int __VERIFIER_nondet_uint(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int lg = 0;
  while (x > 1) {
    x = x / 2;
    lg++;
  }
  unsigned int u = __VERIFIER_nondet_uint();
  int bits = 0;
  while (u != 0u) {
    u = u & (u - 1u);
    bits++;
  }
  return lg + bits;
}
