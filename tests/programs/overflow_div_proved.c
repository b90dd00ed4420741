// prooflens-test: signed / that can never overflow or divide by zero
// functions: safe_div (excludes 0 and INT_MIN / -1), div_pos, div_const (a / -2)
#include <limits.h>

int safe_div(int a, int b) {
  if (b == 0) return 0;
  if (a == INT_MIN && b == -1) return INT_MAX;
  //:: proved(overflow.signed.div)
  //:: proved(div-by-zero.div)
  return a / b;
}

int div_pos(int a, int b) {
  if (b > 0)
    //:: proved(overflow.signed.div)
    return a / b;
  return 0;
}

int div_const(int a) {
  //:: proved(overflow.signed.div)
  return a / -2; /* INT_MIN / -2 == 1073741824 fits */
}
