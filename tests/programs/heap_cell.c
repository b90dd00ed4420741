// prooflens-test: heap memory is not modelled: a check depending on a malloc'd cell is unknown (though it holds)
// functions: heap_read (*p == 7 after the store), heap_local_ok (the local part holds but is not certified;
// every access to the heap cell is itself a check that stays unknown: no tick over unmodelled memory)
#include <stdlib.h>

int heap_read(void) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  //:: unknown(memory.unmodelled)
  *p = 7;
  //:: unknown(div-by-zero.div)
  //:: unknown(overflow.signed.div)
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
  //:: unknown(div-by-zero.div)
  //:: unknown(overflow.signed.div)
  return x / 4; // holds, but functions with pointers are outside the independent checker: not certified
}
