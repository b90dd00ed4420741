// prooflens-test: unsigned shifts: no overflow checks, but the amount must be in [0, width)
// functions: rotl (amount masked), rotl_bad (x >> 32 when n == 0), ull_shift
unsigned rotl(unsigned x, int n) {
  n &= 31;
  //:: proved(shift.too-wide)
  return (x << n) | (x >> ((32 - n) & 31));
}

unsigned rotl_bad(unsigned x, int n) {
  if (n < 0 || n > 31) return x;
  unsigned hi = x << n;
  //:: refuted(shift.too-wide)
  unsigned lo = x >> (32 - n); // e.g. n = 0
  return hi | lo;
}

unsigned long long ull_shift(unsigned long long x, unsigned n) {
  if (n >= 64) return 0;
  //:: proved(shift.too-wide)
  return x << n;
}
