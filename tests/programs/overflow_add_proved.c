// prooflens-test: signed + that can never overflow (contract bounds, explicit guards, halves)
// functions: add_small (requires), add_sat (saturating guards), add_halves (a/2 + b/2)
#include <limits.h>

/*@ requires -1000000 <= a && a <= 1000000;
    requires -1000000 <= b && b <= 1000000;
    ensures \result == a + b; */
int add_small(int a, int b) {
  //:: proved(overflow.signed.add)
  return a + b;
}

int add_sat(int a, int b) {
  if (b > 0 && a > INT_MAX - b) return INT_MAX;
  if (b < 0 && a < INT_MIN - b) return INT_MIN;
  //:: proved(overflow.signed.add)
  return a + b;
}

int add_halves(int a, int b) {
  //:: proved(overflow.signed.add)
  return a / 2 + b / 2;
}
