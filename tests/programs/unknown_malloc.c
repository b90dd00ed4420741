// prooflens-test: heap memory is not modelled: a check depending on a malloc'd cell is unknown (though it holds)
// functions: heap_read (*p == 7 after the store), heap_local_ok (the local part is still proved)
#include <stdlib.h>

int heap_read(void) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  *p = 7;
  //:: unknown(div-by-zero.div)
  int q = 100 / *p;
  free(p);
  return q;
}

int heap_local_ok(int x) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  free(p);
  //:: proved(div-by-zero.div)
  return x / 4;
}
