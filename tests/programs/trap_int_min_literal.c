// prooflens-test: INT_MIN cannot be written as an int literal; -2147483647 - 1 is the int expression
// functions: int_min_expr, min_literal_size (sizeof(-2147483648) == sizeof(long) in LP64), neg_of_max, neg_int_min_var
extern void __VERIFIER_assert(int cond);

void int_min_expr(void) {
  long long v = -2147483648;
  int m = -2147483647 - 1;
  //:: proved(assert.violated)
  __VERIFIER_assert(v == -2147483648LL && m == v && m < 0);
}

void min_literal_size(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(sizeof(-2147483648) == sizeof(long) && sizeof(-2147483647 - 1) == sizeof(int));
}

int neg_of_max(int x) {
  if (x < -2147483647) return 0;
  //:: proved(overflow.signed.neg)
  return -x;
}

int neg_int_min_var(void) {
  int m = -2147483647 - 1;
  //:: refuted(overflow.signed.neg)
  return -m; // always: m == INT_MIN
}
