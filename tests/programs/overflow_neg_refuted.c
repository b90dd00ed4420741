// prooflens-test: unary - of INT_MIN / LLONG_MIN overflows
// functions: abs_val, negate, neg_ll
int abs_val(int x) {
  //:: refuted(overflow.signed.neg)
  return x < 0 ? -x : x; // e.g. x = INT_MIN
}

int negate(int x) {
  //:: refuted(overflow.signed.neg)
  return -x; // e.g. x = INT_MIN
}

long long neg_ll(long long x) {
  //:: refuted(overflow.signed.neg)
  return -x; // e.g. x = LLONG_MIN
}
