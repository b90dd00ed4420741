// prooflens-test: C assert() that always holds (max, swap-to-order, counted loop exit value)
// functions: max2, order, loop_exit (requires n >= 0: i == n after the loop)
#include <assert.h>

int max2(int a, int b) {
  int m = a > b ? a : b;
  //:: proved(assert.violated)
  assert(m >= a && m >= b);
  return m;
}

void order(int a, int b) {
  if (a > b) { int t = a; a = b; b = t; }
  //:: proved(assert.violated)
  assert(a <= b);
}

/*@ requires n >= 0; */
int loop_exit(int n) {
  int i = 0;
  while (i < n) i++;
  //:: proved(assert.violated)
  assert(i == n);
  return i;
}
