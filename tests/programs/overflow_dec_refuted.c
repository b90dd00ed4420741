// prooflens-test: -- on INT_MIN / LLONG_MIN overflows
// functions: post_dec, pre_dec_ret, dec_if_neg, dec_ll
int post_dec(int x) {
  //:: refuted(overflow.signed.dec)
  x--; // e.g. x = INT_MIN
  return x;
}

int pre_dec_ret(int x) {
  //:: refuted(overflow.signed.dec)
  return --x; // e.g. x = INT_MIN
}

int dec_if_neg(int x) {
  if (x < 0)
    //:: refuted(overflow.signed.dec)
    x--; // e.g. x = INT_MIN
  return x;
}

long long dec_ll(long long x) {
  //:: refuted(overflow.signed.dec)
  x--; // e.g. x = LLONG_MIN
  return x;
}
