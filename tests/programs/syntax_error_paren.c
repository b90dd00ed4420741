// prooflens-test: an unbalanced parenthesis inside one function (braces stay balanced); neighbours still verified
// functions: first (refuted), broken_paren (syntax error), last (proved)
int first(int x, int y) {
  //:: refuted(div-by-zero.div)
  //:: refuted(overflow.signed.div)
  return x / y; // e.g. y = 0, or x = INT_MIN and y = -1
}

int broken_paren(int x) {
  //:: syntax-error
  int z = (x + 1;
  return z;
}

int last(int x) {
  if (x < 0) return 0;
  //:: proved(overflow.signed.neg)
  return -x;
}
