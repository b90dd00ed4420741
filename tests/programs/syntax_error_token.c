// prooflens-test: two adjacent expressions without an operator in one function; the others are still verified
// functions: ok_shift (proved), broken_token (syntax error), bad_index (refuted)
unsigned ok_shift(unsigned x, int n) {
  if (n < 0 || n > 31) return 0;
  //:: proved(shift.too-wide)
  return x << n;
}

int broken_token(int x) {
  int r = 0;
  //:: syntax-error
  r = x 2;
  return r;
}

int bad_index(int i) {
  int t[4] = {0};
  if (i < 0) return 0;
  //:: refuted(bounds.index)
  return t[i]; // e.g. i = 4
}
