// prooflens-test: under ILP32 (i386) long long and double members are aligned to 4 (struct S is 12 bytes)
//:: options --data-model ILP32
// functions: s12 (sizeof 12), l12 (trailing padding to 4)
#include <assert.h>
struct S { char c; long long x; };
struct L { long long a; char c; };
void s12(void) {
  //:: proved(assert.violated)
  assert(sizeof(struct S) == 12);
}
void l12(void) {
  //:: proved(assert.violated)
  assert(sizeof(struct L) == 12);
}
