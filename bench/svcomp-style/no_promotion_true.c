/* prooflens bench: char and short operands are promoted to int, where their products cannot overflow.
 * property: no-overflow, expected: true */
extern unsigned char __VERIFIER_nondet_uchar(void);
extern short __VERIFIER_nondet_short(void);

int main(void) {
  unsigned char a = __VERIFIER_nondet_uchar();
  unsigned char b = __VERIFIER_nondet_uchar();
  short s = __VERIFIER_nondet_short();
  int p = a * b;        /* <= 65025 */
  int q = s * s;        /* <= 32768 * 32768 == 2^30 */
  short t = s;
  t++;                  /* computed in int, then narrowed: no overflow */
  return p + q + t > 0;
}
