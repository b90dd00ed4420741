// prooflens-test: shift by a negative amount (left and right shifts, signed and unsigned operands)
// functions: shl_by (n may be negative), ushr (n may be negative), shr_ok (0 <= n <= 31)
int shl_by(int x, int n) {
  if (x < 0 || x > 255 || n > 20) return 0;
  //:: refuted(shift.negative)
  //:: proved(shift.too-wide)
  //:: proved(shift.overflow)
  return x << n; // e.g. x = 1, n = -1
}

unsigned ushr(unsigned x, int n) {
  if (n >= 32) return 0;
  //:: refuted(shift.negative)
  return x >> n; // e.g. n = -1
}

int shr_ok(int x, int n) {
  if (n < 0 || n > 31) return 0;
  //:: proved(shift.negative)
  return x >> n; /* right shift of a negative x is implementation-defined, not UB */
}
