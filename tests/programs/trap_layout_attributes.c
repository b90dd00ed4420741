// prooflens-test: attributes and pragmas that change a struct's layout are not modelled: unknown, never proved
// functions: s_al (_Alignas member: sizeof 32), s_pk (packed: sizeof 5), s_pp (#pragma pack: sizeof 5), plain (an unaffected struct keeps its proof)
#include <assert.h>
struct AL { char c; _Alignas(16) char d; };
struct __attribute__((packed)) PK { char c; int x; };
struct N { char c; int x; };
int s_al(void) {
  //:: unknown(assert.violated)
  assert(sizeof(struct AL) == 32);
  return 0;
}
int s_pk(void) {
  //:: unknown(assert.violated)
  assert(sizeof(struct PK) == 5);
  return 0;
}
int plain(void) {
  //:: proved(assert.violated)
  assert(sizeof(struct N) == 8);
  return 0;
}
#pragma pack(1)
struct PP { char c; int x; };
#pragma pack()
int s_pp(void) {
  //:: unknown(assert.violated)
  assert(sizeof(struct PP) == 5);
  return 0;
}
