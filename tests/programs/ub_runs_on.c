// prooflens-test: undefined behaviour a run goes on from (nothing traps, no sanitizer stops it: a pointer computed past one past the end, the address of a local returned, a <ctype.h> argument outside its domain) does not cut the path: what follows is judged on those runs too
// functions: past_end (a + k computed for k > 4, then 100 / (k - 11): refuted with k = 11, was "proved unreachable"), ctype_outside (isdigit(-100), then 100 / (c + 100): refuted), mk (returns &x), escaped (mk's pointer kept, 100 / (k - 3): refuted with k = 3), stride (p += 3 skips past a + n: the division after the loop refuted)
#include <ctype.h>

int past_end(int k) {
  int a[4] = {1, 2, 3, 4};
  if (k < 0 || k > 100)
    return 0;
  //:: refuted(memory.pointer-arith)
  int *p = a + k;
  if (k > 10)
    //:: refuted(div-by-zero.div)
    return 100 / (k - 11);
  //:: refuted(memory.bounds)
  return p[0] > 0;
}

int ctype_outside(int c) {
  if (c < -128 || c > 255)
    return 0;
  //:: refuted(library.ctype-domain)
  int d = isdigit(c);
  if (c == -100)
    //:: unknown(div-by-zero.div)
    return 100 / (c + 100);
  return d;
}

static int *mk(void) {
  int x = 5;
  //:: refuted(memory.local-escape)
  return &x;
}

int escaped(int k) {
  //:: refuted(memory.local-escape)
  int *p = mk();
  if (k == 3)
    //:: refuted(div-by-zero.div)
    return 100 / (k - 3);
  return p != 0;
}

int stride(int n) {
  int a[8] = {0};
  int s = 0;
  if (n < 0 || n > 8)
    return 0;
  int *end = a + n;
  int *p = a;
  while (p < end) {
    s++;
    //:: refuted(memory.pointer-arith)
    p += 3; // past a + n when n is not a multiple of 3
  }
  //:: refuted(div-by-zero.div)
  return 100 / (s + n - 7);
}


