// prooflens-test: left shift whose result is not representable (C11: 1 << 31 is UB)
// functions: pow2 (n may be 31), pow2_ok, shl_bounded (0xFFFF << 15 fits), shl_overflow (0xFFFF << 16)
int pow2(int n) {
  if (n < 0 || n > 31) return 0;
  //:: refuted(shift.overflow)
  return 1 << n; // e.g. n = 31
}

int pow2_ok(int n) {
  if (n < 0 || n > 30) return 0;
  //:: proved(shift.overflow)
  return 1 << n;
}

int shl_bounded(int x, int n) {
  if (x < 0 || x > 0xFFFF || n < 0 || n > 15) return 0;
  //:: proved(shift.overflow)
  return x << n;
}

int shl_overflow(int x, int n) {
  if (x < 0 || x > 0xFFFF || n < 0 || n > 16) return 0;
  //:: refuted(shift.overflow)
  return x << n; // e.g. x = 0xFFFF, n = 16
}
