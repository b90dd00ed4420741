// prooflens-test: division and remainder by zero (int, unsigned, computed divisor)
// functions: divide (also INT_MIN / -1), modulo, udiv, div_after_sub
int divide(int a, int b) {
  //:: refuted(div-by-zero.div)
  //:: refuted(overflow.signed.div)
  return a / b; // e.g. b = 0; overflow: a = INT_MIN, b = -1
}

int modulo(int a, int b) {
  if (b == -1) return 0;
  //:: refuted(div-by-zero.rem)
  return a % b; // e.g. b = 0
}

unsigned udiv(unsigned a, unsigned b) {
  //:: refuted(div-by-zero.div)
  return a / b; // e.g. b = 0
}

int div_after_sub(int x) {
  if (x < 0 || x > 100) return 0;
  //:: refuted(div-by-zero.div)
  return 1000 / (x - 10); // e.g. x = 10
}
