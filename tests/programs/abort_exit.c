// prooflens-test: abort() and exit() end the execution without error; checks after them need not hold
// functions: checked_div (abort on 0, exit on -1), after_exit, abort_late (the division happens before abort)
#include <stdlib.h>

int checked_div(int a, int b) {
  if (b == 0) abort();
  if (b == -1) exit(1);
  //:: proved(div-by-zero.div)
  //:: proved(overflow.signed.div)
  return a / b;
}

void after_exit(int x) {
  if (x > 10) exit(0);
  int t[11];
  //:: proved(bounds.index)
  t[x < 0 ? 0 : x] = 1;
}

int abort_late(int x) {
  //:: refuted(div-by-zero.div)
  int y = 100 / x; // e.g. x = 0
  if (x == 0) abort();
  return y;
}
