// prooflens-test: -- that can never overflow (countdown loop, guards)
// functions: count_down (n > 0 guard), prev (x > INT_MIN), pre_dec
#include <limits.h>

int count_down(int n) {
  int steps = 0;
  while (n > 0) {
    //:: proved(overflow.signed.dec)
    n--;
    steps++;
  }
  return steps;
}

int prev(int x) {
  if (x > INT_MIN)
    //:: proved(overflow.signed.dec)
    x--;
  return x;
}

int pre_dec(int x) {
  if (x == INT_MIN) return x;
  //:: proved(overflow.signed.dec)
  return --x;
}
