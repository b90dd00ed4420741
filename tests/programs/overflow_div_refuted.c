// prooflens-test: INT_MIN / -1 overflows (int, compound /=, long long); division by zero excluded
// functions: quot, div_by_minus_one, div_assign, div_ll
int quot(int a, int b) {
  if (b == 0) return 0;
  //:: refuted(overflow.signed.div)
  return a / b; // e.g. a = INT_MIN, b = -1
}

int div_by_minus_one(int a) {
  //:: refuted(overflow.signed.div)
  return a / -1; // e.g. a = INT_MIN
}

int div_assign(int a, int b) {
  if (b != 0)
    //:: refuted(overflow.signed.div)
    a /= b; // e.g. a = INT_MIN, b = -1
  return a;
}

long long div_ll(long long a, long long b) {
  if (b == 0) return 0;
  //:: refuted(overflow.signed.div)
  return a / b; // e.g. a = LLONG_MIN, b = -1
}
