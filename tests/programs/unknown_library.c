// prooflens-test: library / external functions without a model or contract: dependent checks are unknown
// functions: lib_rand (rand() is never negative, so t[rand() % 10] is safe), ext_div (mystery() has no body)
#include <stdlib.h>

extern int mystery(int);

int lib_rand(void) {
  int t[10] = {0};
  //:: unknown(bounds.index)
  return t[rand() % 10];
}

int ext_div(int x) {
  //:: unknown(div-by-zero.div)
  //:: unknown(overflow.signed.div)
  return x / mystery(x);
}
