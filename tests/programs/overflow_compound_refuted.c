// prooflens-test: compound assignments that overflow (+= -= *= <<=)
// functions: acc_add, acc_sub, acc_mul, acc_shl
int acc_add(int x, int y) {
  //:: refuted(overflow.signed.add)
  x += y; // e.g. x = INT_MAX, y = 1
  return x;
}

int acc_sub(int x, int y) {
  //:: refuted(overflow.signed.sub)
  x -= y; // e.g. x = INT_MIN, y = 1
  return x;
}

int acc_mul(int x, int y) {
  //:: refuted(overflow.signed.mul)
  x *= y; // e.g. x = y = 65536
  return x;
}

int acc_shl(int x) {
  if (x < 0) return 0;
  //:: refuted(shift.overflow)
  x <<= 8; // e.g. x = 8388608 (1 << 23)
  return x;
}
