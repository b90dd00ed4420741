// prooflens-test: signed - that can never overflow (same-sign operands, contract)
// functions: sub_nonneg, width (requires 0 <= lo <= hi), dist (a > b, same sign)
int sub_nonneg(int a, int b) {
  if (a >= 0 && b >= 0)
    //:: proved(overflow.signed.sub)
    return a - b;
  return 0;
}

/*@ requires 0 <= lo && lo <= hi;
    ensures \result >= 0; */
int width(int lo, int hi) {
  //:: proved(overflow.signed.sub)
  return hi - lo;
}

int dist(int a, int b) {
  if (a > b && (b >= 0 || a < 0))
    //:: proved(overflow.signed.sub)
    return a - b;
  return 0;
}
