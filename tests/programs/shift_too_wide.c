// prooflens-test: shift amount >= width of the promoted left operand (32 for int/unsigned, 64 for long long)
// functions: umask (n may be 32), umask_ok, ushl64 (n <= 63 is fine for 64-bit), sar_wide
unsigned umask(int n) {
  if (n < 0) return 0;
  //:: refuted(shift.too-wide)
  return 1u << n; // e.g. n = 32
}

unsigned umask_ok(int n) {
  if (n < 0 || n >= 32) return 0;
  //:: proved(shift.too-wide)
  return 1u << n;
}

unsigned long long ushl64(unsigned long long x, int n) {
  if (n < 0 || n > 63) return 0;
  //:: proved(shift.too-wide)
  return x << n;
}

int sar_wide(int x, int n) {
  if (n < 0) return 0;
  //:: refuted(shift.too-wide)
  return x >> n; // e.g. n = 32
}
