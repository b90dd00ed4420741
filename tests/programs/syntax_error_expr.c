// prooflens-test: a syntax error (missing operand) in one function; the other functions are still verified
// functions: before (proved), broken (syntax error), after (refuted)
int before(int x) {
  if (x > 100 || x < -100) return 0;
  //:: proved(overflow.signed.add)
  return x + 1;
}

int broken(int x) {
  //:: syntax-error
  int y = x + ;
  return y;
}

int after(int a) {
  //:: refuted(overflow.signed.mul)
  return a * 2; // e.g. a = INT_MAX
}
