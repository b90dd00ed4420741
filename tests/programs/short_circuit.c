// prooflens-test: && and || short-circuit guard their right operand (but b != 0 does not exclude INT_MIN / -1)
// functions: ratio_gt1, or_guard, and_bad, idx_guard, idx_bad
int ratio_gt1(int a, int b) {
  //:: proved(div-by-zero.div)
  //:: refuted(overflow.signed.div)
  return b != 0 && a / b > 1; // overflow: a = INT_MIN, b = -1
}

int or_guard(int a, int b) {
  //:: proved(div-by-zero.rem)
  //:: proved(overflow.signed.rem)
  return b == 0 || b == -1 || a % b == 0;
}

int and_bad(int a, int b) {
  //:: refuted(div-by-zero.div)
  return b >= 0 && a / b > 0; // e.g. b = 0
}

int idx_guard(int i) {
  int t[4] = {0};
  //:: proved(bounds.index)
  return i >= 0 && i < 4 && t[i] == 0;
}

int idx_bad(int i) {
  int t[4] = {0};
  //:: refuted(bounds.index)
  return i < 4 || t[i] == 0; // e.g. i = 4
}
