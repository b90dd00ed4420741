// prooflens-test: the comma operator (value of the right operand, left side effects happen first)
// functions: comma (y = (x = 3, x + 4)), comma_loop (i++, j-- meet in the middle), comma_bad (x++ before use)
extern void __VERIFIER_assert(int cond);

int comma(int x) {
  int y;
  y = (x = 3, x + 4);
  //:: proved(assert.violated)
  __VERIFIER_assert(y == 7 && x == 3);
  return y;
}

int comma_loop(void) {
  int i, j;
  //:: proved(termination.loop)
  for (i = 0, j = 10; i < j; i++, j--)
    ;
  //:: proved(assert.violated)
  __VERIFIER_assert(i == 5 && j == 5);
  return i;
}

int comma_bad(int x) {
  //:: refuted(overflow.signed.inc)
  int y = (x++, x); // e.g. x = INT_MAX
  return y;
}
