// prooflens-test: a violation that depends on an unmodelled call stays unknown in a function with pointer parameters too (the inferred precondition's templates are fixed in the conditions of the paths through that call, not only in the checks: left free, a model could step around the call and read the violation as real)
// functions: after_unmodelled (an assert and an overflow on a value an unmodelled function returns), through_global_pointer (a write through a global pointer may reach any global whose address the function never took), sum_shorts / sum_of_bytes (a callee's access the engine cannot model on the caller's memory is the caller's unknown, at the call: sum_shorts reads h[3] of 3 shorts when k % 4 == 3, which was "proved")
#include <stdlib.h>
#include <string.h>
int ext(int *p);

int after_unmodelled(int *p, int n) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  int v = p[0];
  //:: unknown(memory.unmodelled)
  int r = ext(p);
  //:: unknown(assert.violated)
  //@ assert r != 7;
  //:: unknown(overflow.signed.add)
  return v + r + (n > 0);
}

int counter;
int *cursor; // some other function may have set it to &counter

int through_global_pointer(void) {
  counter = 0;
  if (cursor)
    //:: unknown(memory.null)
    //:: unknown(memory.bounds)
    //:: unknown(memory.use-after-free)
    *cursor = 1; // may write counter: it is forgotten, never kept at 0
  //:: unknown(assert.violated)
  //@ assert counter == 0;
  return counter;
}

static int sum_shorts(const short *a, int n) {
  unsigned s = 0u;
  for (int i = 0; i < n; i++)
    s += (unsigned)a[i];
  return (int)s;
}

int sum_of_bytes(unsigned k) {
  short *h = malloc(3 * sizeof(short));
  if (!h)
    return 0;
  memset((char *)h, 0, 3 * sizeof(short)); // the block is bytes to the engine now (a char view)
  //:: unknown(memory.unmodelled)
  int v = sum_shorts(h, (int)(k % 4u) + 1); // e.g. k = 3: h[3]
  free(h);
  return v;
}
