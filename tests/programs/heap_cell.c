// prooflens-test: one heap cell through malloc and free: what the engine stores in it is read back exactly, and a read after free or a second free is refuted
// functions: heap_read (*p == 7 after the store: no division by zero), heap_local_ok (x / 4 between the allocation and the free), read_after_free (*p after free(p)), free_twice
#include <stdlib.h>

int heap_read(void) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  *p = 7;
  int q = 100 / *p;
  free(p);
  return q;
}

int heap_local_ok(int x) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  free(p);
  return x / 4;
}

int read_after_free(void) {
  int *p = malloc(sizeof(int));
  if (!p) return 0;
  *p = 1;
  free(p);
  //:: refuted(memory.use-after-free)
  return *p;
}

void free_twice(void) {
  int *p = malloc(sizeof(int));
  free(p);
  //:: refuted(memory.double-free)
  free(p);
}
