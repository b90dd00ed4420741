// prooflens-test: a forward goto over a declaration with an initializer: the variable is in scope at the label, but on the jump's path its value is indeterminate (it was read as the initializer's value: y == 5 "proved")
// functions: jumped_over (unknown: the value is not 5 on the jump's path, and no harness can make it), not_jumped (the initializer runs on every path: proved)
#include <assert.h>

void jumped_over(int x) {
  if (x)
    goto done;
  int y = 5;
done:
  //:: unknown(assert.violated)
  assert(y == 5);
}

void not_jumped(int x) {
  int y = 5;
  if (x)
    goto done;
  y = 5;
done:
  //:: proved(assert.violated)
  assert(y == 5);
}
