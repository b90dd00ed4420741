// prooflens-test: signed * that can never overflow (contract, guards, unsigned char promotion)
// functions: square (requires |x| <= 46340), times3 (guards with INT_MAX / 3), byte_product
#include <limits.h>

/*@ requires -46340 <= x && x <= 46340;
    ensures \result >= 0; */
int square(int x) {
  //:: proved(overflow.signed.mul)
  return x * x;
}

int times3(int x) {
  if (x > INT_MAX / 3 || x < INT_MIN / 3) return 0;
  //:: proved(overflow.signed.mul)
  return x * 3;
}

int byte_product(unsigned char a, unsigned char b) {
  //:: proved(overflow.signed.mul)
  return a * b; /* promoted to int: at most 255 * 255 */
}
