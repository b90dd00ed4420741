// prooflens-test: signed % that can never overflow (INT_MIN % -1 excluded) or divide by zero
// functions: rem_guarded, rem_const, rem_req (requires a > INT_MIN)
#include <limits.h>

int rem_guarded(int a, int b) {
  if (b == 0 || b == -1) return 0;
  //:: proved(overflow.signed.rem)
  return a % b;
}

int rem_const(int a) {
  //:: proved(overflow.signed.rem)
  return a % 10;
}

/*@ requires a > INT_MIN; */
int rem_req(int a, int b) {
  if (b == 0) return 0;
  //:: proved(overflow.signed.rem)
  return a % b;
}
