// prooflens-test: size_t is unsigned (64-bit in LP64): i >= 0 is always true, n - 1 wraps for n == 0
// functions: count_down (i > 0 terminates), count_down_bad (i >= 0 never ends), size_index, size_minus
#include <stddef.h>

unsigned count_down(size_t n) {
  unsigned c = 0;
  //:: proved(termination.loop)
  for (size_t i = n; i > 0; i--) c++;
  return c;
}

unsigned count_down_bad(size_t n) {
  unsigned c = 0;
  //:: refuted(termination.loop)
  for (size_t i = n; i >= 0; i--) c++; // any n: i >= 0 always holds
  return c;
}

void size_index(size_t k) {
  int t[8];
  if (k < 8)
    //:: proved(bounds.index)
    t[k] = 1;
}

void size_minus(size_t n) {
  int t[8];
  if (n <= 8)
    //:: refuted(bounds.index)
    t[n - 1] = 0; // e.g. n = 0: index SIZE_MAX
}
