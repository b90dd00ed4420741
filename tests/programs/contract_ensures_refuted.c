// prooflens-test: ensures clauses that fail (postcondition.violated is located on the ensures line)
// functions: succ (INT_MAX case), half (requires n >= 0: proved), half_any (-1 >> 1 != -1 / 2)
#include <limits.h>

//:: refuted(postcondition.violated)
/*@ ensures \result > x; */
int succ(int x) { // e.g. x = INT_MAX
  if (x == INT_MAX) return x;
  return x + 1;
}

//:: proved(postcondition.violated)
/*@ requires n >= 0; ensures \result == n / 2; */
int half(int n) {
  return n >> 1;
}

//:: refuted(postcondition.violated)
/*@ ensures \result == n / 2; */
int half_any(int n) { // e.g. n = -1: -1 >> 1 == -1 but -1 / 2 == 0
  return n >> 1;
}
