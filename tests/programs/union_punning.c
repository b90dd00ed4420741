// prooflens-test: union members share their bytes; the engine does not model that, so reading one is unknown (never a wrong proof or counterexample)
// functions: pun (c[0] is the low byte of x: holds), pun_not (fails for every x), stale (c[0] after u.i = x is x's low byte, not the 0 stored before)
#include <assert.h>

union U { int i; unsigned char c[4]; };

void pun(int x) {
  union U u;
  u.i = x;
  //:: unknown(assert.violated)
  //:: unknown(bounds.index)
  assert(u.c[0] == (unsigned char)x);
}

void pun_not(int x) {
  union U u;
  u.i = x;
  //:: unknown(assert.violated)
  //:: unknown(bounds.index)
  assert(u.c[0] != (unsigned char)x);
}

void stale(int x) {
  union U u;
  //:: unknown(bounds.index)
  u.c[0] = 0;
  u.i = x;
  //:: unknown(assert.violated)
  //:: unknown(bounds.index)
  assert(u.c[0] == 0);
}

int main(void) {
  pun(258);
  stale(256);
  return 0;
}
