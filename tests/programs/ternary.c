// prooflens-test: the conditional operator guards its branches
// functions: min3, safe_div_t (nested ?:), sel_bad (a > 0 ? a / b : 0), neg_t (x > 0 ? -x : x)
int min3(int a, int b, int c) {
  int m = a < b ? a : b;
  return m < c ? m : c;
}

int safe_div_t(int a, int b) {
  //:: proved(div-by-zero.div)
  //:: proved(overflow.signed.div)
  return b == 0 ? 0 : (b == -1 ? 0 : a / b);
}

int sel_bad(int a, int b) {
  //:: refuted(div-by-zero.div)
  //:: proved(overflow.signed.div)
  return a > 0 ? a / b : 0; // e.g. a = 1, b = 0
}

int neg_t(int x) {
  //:: proved(overflow.signed.neg)
  return x > 0 ? -x : x;
}
