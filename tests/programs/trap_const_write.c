// prooflens-test: writing a const object through a cast is undefined (C11 6.7.3p6; gcc -O2 keeps x == 1): never proved; a const pointer to a non-const object may be cast and written
// functions: write_const_local, read_const (proved), write_const_global, write_through_const_pointer (y is not const: proved)
#include <assert.h>

void write_const_local(void) {
  const int x = 1;
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  *(int *)&x = 2;
  //:: unknown(assert.violated)
  assert(x == 2);
}

int read_const(void) {
  const int x = 1;
  const int *p = &x;
  return *p;
}

const int limit = 3;

void write_const_global(void) {
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  *(int *)&limit = 4;
}

void write_through_const_pointer(void) {
  int y = 1;
  const int *p = &y;
  *(int *)p = 2;
  //:: proved(assert.violated)
  assert(y == 2);
}
