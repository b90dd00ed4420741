// prooflens-test: glibc's typedefs from <sys/types.h> have their real types (uint is unsigned, u_char 8 bits, u_long 64 bits)
// functions: t_uint (unsigned wrap), t_uchar (8-bit wrap), t_ulong (64-bit on LP64), t_mode (unsigned)
#include <sys/types.h>
#include <assert.h>
void t_uint(void) {
  uint x = 0;
  x--;
  //:: proved(assert.violated)
  assert(x > 0);
}
void t_uchar(void) {
  u_char c = 255;
  c++;
  //:: proved(assert.violated)
  assert(c == 0);
}
void t_ulong(void) {
  //:: proved(assert.violated)
  assert(sizeof(u_long) == 8);
}
void t_mode(void) {
  mode_t m = 0;
  m--;
  //:: proved(assert.violated)
  assert(m > 0);
}
