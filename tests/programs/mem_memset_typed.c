// prooflens-test: memset over wider integers (int a[4], an int block): whole elements, each byte the value (it was unknown: a char view of an int object)
// functions: zero_then_read, byte_pattern (0x01010101), all_ones (-1), past_the_end (5 ints into 4), part_of_an_element (3 bytes: not modelled), heap_block, wrong_pattern (memset(a, 1, ...) does not make 1s)
#include <assert.h>
#include <stdlib.h>
#include <string.h>

int zero_then_read(int i) {
  int a[10];
  memset(a, 0, sizeof a);
  if (i < 0 || i >= 10)
    return 0;
  //:: proved(bounds.index)
  return a[i];
}

int byte_pattern(void) {
  int a[4];
  memset(a, 1, sizeof a);
  //:: proved(assert.violated)
  assert(a[2] == 0x01010101);
  return a[3];
}

int all_ones(void) {
  int a[4];
  memset(a, 0xff, sizeof a);
  //:: proved(assert.violated)
  assert(a[1] == -1);
  return 0;
}

int past_the_end(void) {
  int a[4];
  //:: refuted(memory.bounds)
  memset(a, 0, 5 * sizeof(int)); // always: 20 bytes into 16
  return a[0];
}

int part_of_an_element(void) {
  int a[4];
  //:: unknown(memory.unmodelled)
  memset(a, 0, 3);
  return a[0];
}

int heap_block(int n) {
  if (n <= 0 || n > 100)
    return 0;
  int *p = malloc(n * sizeof *p);
  if (!p)
    return 0;
  memset(p, 0, n * sizeof *p);
  int r = p[n - 1];
  //:: proved(assert.violated)
  assert(r == 0);
  free(p);
  return r;
}

int wrong_pattern(void) {
  int a[4];
  memset(a, 1, sizeof a);
  //:: refuted(assert.violated)
  assert(a[0] == 1); // always: a[0] == 0x01010101
  return 0;
}
