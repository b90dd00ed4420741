// prooflens-test: sizeof of expressions under ILP32: a string literal is char[n + 1], not a 4-byte char * (char b[sizeof "abcdef" - 1] has 6 elements: b[5] was refuted), pointers and pointer differences are 4 bytes, an array parameter is a pointer
//:: options --data-model ILP32
// functions: literal_dim_in (b[5] of char b[sizeof "abcdef" - 1]), literal_dim_past (b[6]), literal_wrong (sizeof "abc" is not a pointer's 4), decay (m + 1 and *m + 1 are pointers), array_param (int a[10] is an int *), array_param_wrong (int a[2][3] is an int (*)[3])
#include <assert.h>

void literal_dim_in(int i) {
  char b[sizeof "abcdef" - 1];
  if (i >= 0 && i < 6)
    //:: proved(bounds.index)
    b[i] = 0;
}

void literal_dim_past(int i) {
  char b[sizeof "abcdef" - 1];
  if (i >= 0 && i < 7)
    //:: refuted(bounds.index)
    b[i] = 0; // e.g. i = 6
}

void literal_wrong(void) {
  //:: refuted(assert.violated)
  assert(sizeof "abcdefg" == sizeof(char *)); // always: 8 bytes, not 4
}

void decay(void) {
  short m[4][5];
  int a[3];
  long l = 0;
  //:: proved(assert.violated)
  assert(sizeof "abcdefgh" == 9);
  assert(sizeof(m + 1) == 4);
  assert(sizeof(*m + 1) == 4);
  assert(sizeof(*m) == 10);
  assert(sizeof(*&a) == 12);
  assert(sizeof(&a[2] - &a[0]) == 4);
  assert(sizeof(l + 1) == 4);
  assert(sizeof(1LL + l) == 8);
}

void array_param(int a[10]) {
  //:: proved(assert.violated)
  assert(sizeof(a) == 4);
  assert(sizeof(a[0]) == 4);
}

void array_param_wrong(int a[2][3]) {
  //:: refuted(assert.violated)
  assert(sizeof(a) == 24); // always: a is a pointer
}
