// prooflens-test: a fresh heap block passed to a contract's \valid gets its type from that use, as from a typed access (it was read as invalid: a wrong refutation)
// functions: set_three (the contract), big_enough (8 bytes hold an int), too_small (2 bytes do not)
#include <stdlib.h>

/*@ requires \valid(p); */
void set_three(int *p) { *p = 3; }

void big_enough(void) {
  int *q = malloc(8);
  if (q == NULL)
    return;
  //:: proved(precondition.violated)
  //:: unknown(memory.unmodelled)
  set_three(q);
  //:: unknown(memory.double-free)
  free(q);
}

void too_small(void) {
  int *q = malloc(2);
  if (q == NULL)
    return;
  //:: refuted(precondition.violated)
  //:: unknown(memory.unmodelled)
  set_three(q); // always: 2 bytes hold no int
  free(q);
}
