// prooflens-test: a pointer parameter may point to a global the function uses (f(&g)): the model gives the parameter its own object, so the precondition says so (p == \null || \base_addr(p) != \base_addr(&g)) and a call passing &g is refuted at the call
// functions: divide_by_g (writes g, then *p), keep_g (asserts g kept), read_both (reads only: no clause, aliasing changes nothing), caller_aliased (passes &g), caller_apart
#include <assert.h>

int g;

int divide_by_g(int *p) {
  g = 1;
  *p = 0;
  //:: proved(div-by-zero.div)
  return 10 / g; // under p == \null || \base_addr(p) != \base_addr(&g)
}

void keep_g(int *p) {
  g = 0;
  *p = 5;
  //:: proved(assert.violated)
  assert(g == 0);
}

int read_both(const int *p) {
  if (*p > 1000 || *p < -1000 || g > 1000 || g < -1000)
    return 0;
  return *p + g;
}

int caller_aliased(void) {
  //:: refuted(precondition.violated)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  return divide_by_g(&g); // always: p points to g
}

int caller_apart(void) {
  int x = 0;
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  int q = divide_by_g(&x);
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(overflow.signed.add)
  return q + read_both(&g); // (the checker does not read &g: not certified)
}
