// prooflens-test: INT_MIN % -1 is undefined (C11 6.5.5p6) even though the remainder would be 0
// functions: rem, rem_assign
int rem(int a, int b) {
  if (b == 0) return 0;
  //:: refuted(overflow.signed.rem)
  return a % b; // e.g. a = INT_MIN, b = -1
}

int rem_assign(int a, int b) {
  if (b != 0)
    //:: refuted(overflow.signed.rem)
    a %= b; // e.g. a = INT_MIN, b = -1
  return a;
}
