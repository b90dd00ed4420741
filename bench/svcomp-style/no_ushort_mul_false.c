/* prooflens bench: unsigned short operands are promoted to (signed) int: 65535 * 65535 overflows int.
 * property: no-overflow, expected: false (a = b = 65535) */
extern unsigned short __VERIFIER_nondet_ushort(void);

int main(void) {
  unsigned short a = __VERIFIER_nondet_ushort();
  unsigned short b = __VERIFIER_nondet_ushort();
  unsigned int area = a * b;
  return area > 1000u;
}
