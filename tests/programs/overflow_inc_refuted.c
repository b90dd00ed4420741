// prooflens-test: ++ on INT_MAX / LLONG_MAX overflows (postfix, prefix, guarded only on sign)
// functions: post_inc, pre_inc_ret, inc_if_pos, inc_ll
int post_inc(int x) {
  //:: refuted(overflow.signed.inc)
  x++; // e.g. x = INT_MAX
  return x;
}

int pre_inc_ret(int x) {
  //:: refuted(overflow.signed.inc)
  return ++x; // e.g. x = INT_MAX
}

int inc_if_pos(int x) {
  if (x > 0)
    //:: refuted(overflow.signed.inc)
    x++; // e.g. x = INT_MAX
  return x;
}

long long inc_ll(long long x) {
  //:: refuted(overflow.signed.inc)
  x++; // e.g. x = LLONG_MAX
  return x;
}
