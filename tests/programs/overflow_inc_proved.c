// prooflens-test: ++ that can never overflow (loop counter bounded by the guard, explicit guards)
// functions: count_up (c == i invariant), next (x < INT_MAX), pre_inc
#include <limits.h>

int count_up(int n) {
  int c = 0;
  for (int i = 0; i < n; i++)
    //:: proved(overflow.signed.inc)
    c++;
  return c;
}

int next(int x) {
  if (x < INT_MAX)
    //:: proved(overflow.signed.inc)
    x++;
  return x;
}

int pre_inc(int x) {
  if (x == INT_MAX) return x;
  //:: proved(overflow.signed.inc)
  return ++x;
}
