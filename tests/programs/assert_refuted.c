// prooflens-test: C assert() that fails for some inputs
// functions: max_bad (m > a), abs_pos (|0| is not > 0), loop_exit_any (n < 0 leaves i == 0)
#include <assert.h>
#include <limits.h>

int max_bad(int a, int b) {
  int m = a > b ? a : b;
  //:: refuted(assert.violated)
  assert(m > a); // e.g. a = 1, b = 0
  return m;
}

void abs_pos(int x) {
  if (x == INT_MIN) return;
  int y = x < 0 ? -x : x;
  //:: refuted(assert.violated)
  assert(y > 0); // e.g. x = 0
}

int loop_exit_any(int n) {
  int i = 0;
  while (i < n) i++;
  //:: refuted(assert.violated)
  assert(i == n); // e.g. n = -1
  return i;
}
