// prooflens-test: unary - that can never overflow (guard, contract, promoted short)
// functions: abs_guard, abs_req (requires x > INT_MIN, ensures \result >= 0), neg_short
#include <limits.h>

int abs_guard(int x) {
  if (x == INT_MIN) return INT_MAX;
  //:: proved(overflow.signed.neg)
  return x < 0 ? -x : x;
}

/*@ requires x > INT_MIN;
    ensures \result >= 0; */
int abs_req(int x) {
  //:: proved(overflow.signed.neg)
  return x < 0 ? -x : x;
}

int neg_short(short s) {
  return -s; /* int arithmetic: -(-32768) == 32768 fits */
}
