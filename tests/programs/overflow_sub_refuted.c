// prooflens-test: signed - that overflows for some inputs
// functions: sub, diff_abs (both branches overflow), neg_via_sub (0 - x)
int sub(int a, int b) {
  //:: refuted(overflow.signed.sub)
  return a - b; // e.g. a = INT_MIN, b = 1
}

int diff_abs(int a, int b) {
  if (a > b)
    //:: refuted(overflow.signed.sub)
    return a - b; // e.g. a = INT_MAX, b = -1
  //:: refuted(overflow.signed.sub)
  return b - a; // e.g. a = INT_MIN, b = 0
}

int neg_via_sub(int x) {
  //:: refuted(overflow.signed.sub)
  return 0 - x; // e.g. x = INT_MIN
}
