// prooflens-test: initializers with elided braces fill nested arrays and structs in order (C11 6.7.9p20)
// functions: rows ({1,2,3,4} in int[2][3]), first_braced ({{1},2,3}), nested_struct, strings (char[2][4]), wrong_row (refuted), designated (unknown)
#include <assert.h>

struct P { int x, y; };
struct Q { int a[2]; struct P p; int z; };

void rows(void) {
  int m[2][3] = {1, 2, 3, 4};
  //:: proved(assert.violated)
  assert(m[0][2] == 3 && m[1][0] == 4 && m[1][1] == 0);
}

void first_braced(void) {
  int m[2][3] = {{1}, 2, 3};
  //:: proved(assert.violated)
  assert(m[0][1] == 0 && m[1][0] == 2 && m[1][1] == 3 && m[1][2] == 0);
}

void nested_struct(void) {
  struct Q q = {1, 2, 3, 4, 5};
  //:: proved(assert.violated)
  assert(q.a[1] == 2 && q.p.x == 3 && q.p.y == 4 && q.z == 5);
}

void strings(void) {
  char s[2][4] = {"ab", "cde"};
  //:: proved(assert.violated)
  assert(s[1][2] == 'e' && s[0][3] == 0);
}

void wrong_row(void) {
  int m[2][3] = {1, 2, 3, 4};
  //:: refuted(assert.violated)
  assert(m[1][0] == 2); // m[1][0] is 4
}

void designated(void) {
  int m[2][2] = {[1] = {1, 2}};
  //:: unknown(assert.violated)
  //:: unknown(bounds.index)
  assert(m[1][1] == 2);
}

int main(void) {
  rows(); first_braced(); nested_struct(); strings(); designated();
  return 0;
}
