// prooflens-test: a static local is one object shared by every call (inlined callees included)
// functions: counter (c arbitrary at entry: the overflow needs a value no harness can set), first_div
// (k starts at 5: the first call divides by zero), twice (two inlined calls share c: b == a + 1)
#include <assert.h>
int counter(void) {
  static int c = 0;
  //:: unknown(overflow.signed.inc)
  c++;
  return c;
}

int first_div(void) {
  static int k = 5;
  //:: unknown(overflow.signed.add)
  k = k + 1;
  //:: refuted(div-by-zero.div)
  //:: unknown(overflow.signed.sub)
  return 10 / (k - 6); // e.g. the first call: k == 6
}

void twice(void) {
  int a = counter();
  int b = counter();
  //:: proved(assert.violated)
  assert(b == a + 1);
}
