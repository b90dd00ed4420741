/* prooflens bench: overflow-free average floor((a + b) / 2) as (a & b) + ((a ^ b) >> 1).
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int a = __VERIFIER_nondet_int();
  int b = __VERIFIER_nondet_int();
  int avg = (a & b) + ((a ^ b) >> 1);
  int lo = a < b ? a : b;
  int hi = a < b ? b : a;
  return avg >= lo && avg <= hi;
}
