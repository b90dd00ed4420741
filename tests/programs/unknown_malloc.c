// prooflens-test: heap memory is not modelled: a check depending on a malloc'd cell is unknown (though it holds)
// functions: heap_read (*p == 7 after the store), heap_local_ok (the local part is still proved;
// every access to the heap cell is itself a check that stays unknown: no tick over unmodelled memory)
#include <stdlib.h>

int heap_read(void) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  //:: unknown(memory.unmodelled)
  *p = 7;
  //:: unknown(div-by-zero.div)
  //:: unknown(memory.unmodelled)
  int q = 100 / *p;
  //:: unknown(memory.unmodelled)
  free(p);
  return q;
}

int heap_local_ok(int x) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  //:: unknown(memory.unmodelled)
  free(p);
  //:: proved(div-by-zero.div)
  return x / 4;
}
