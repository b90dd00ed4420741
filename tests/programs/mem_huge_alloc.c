// prooflens-test: no allocator gives a block of more than PTRDIFF_MAX bytes, nor more than x86-64's 47-bit user address space (glibc returns NULL), and calloc gives NULL when k * n wraps: those paths go on with NULL
// functions: negative_size (malloc((size_t)n) with n < 0 always fails: the division after it is unreachable), small_size (a size a run can have: refuted with n = 5), calloc_wraps (calloc(n, 16) with n >= 2^60 wraps: NULL, and 100 / (n - 2^60) divides by zero with n = 2^60), calloc_wrapped_block (the same calloc never gives a block: proved), realloc_too_big (realloc to (size_t)-1 bytes fails and keeps p: p[0] is still 7), huge_given (a violation only where a 32 TiB block was given: possible, but no harness can count on it)
#include <stdlib.h>

int negative_size(int n) {
  if (n >= 0)
    return 0;
  char *p = malloc((size_t)n);
  if (!p)
    return 0;
  p[0] = 1;
  //:: proved(div-by-zero.div)
  int r = 100 / (n + 5); // never reached: the block would be more than PTRDIFF_MAX bytes
  free(p);
  return r;
}

int small_size(int n) {
  if (n < 1 || n > 64)
    return 0;
  char *p = malloc((size_t)n);
  if (!p)
    return 0;
  p[0] = 1;
  //:: refuted(div-by-zero.div)
  int r = 100 / (n - 5); // n = 5
  free(p);
  return r;
}

int calloc_wraps(unsigned long n) {
  if (n < (1UL << 60) || n > (1UL << 61))
    return 0;
  char *p = calloc(n, 16);
  if (p) {
    free(p);
    return 0;
  }
  //:: refuted(div-by-zero.div)
  return 100 / (int)(n - (1UL << 60)); // n = 2^60: 16 * n wraps to 0 and calloc gives NULL
}

int calloc_wrapped_block(unsigned long n) {
  if (n < (1UL << 60) || n > (1UL << 61))
    return 0;
  char *p = calloc(n, 16);
  if (!p)
    return 0;
  p[0] = 1;
  int zero = (int)(n >> 62);
  //:: proved(div-by-zero.div)
  int r = 100 / zero; // never reached
  free(p);
  return r;
}

int realloc_too_big(void) {
  char *p = malloc(4);
  if (!p)
    return 0;
  p[0] = 7;
  char *q = realloc(p, (size_t)-1);
  if (q) {
    free(q);
    return 0;
  }
  //:: proved(div-by-zero.div)
  int r = 100 / p[0];
  free(p);
  return r;
}

int huge_given(unsigned long n) {
  char *p = malloc(n);
  if (!p)
    return 0;
  int r = 0;
  if (n > (1UL << 45))
    //:: unknown(div-by-zero.div)
    r = 100 / (int)(n >> 50); // n in (2^45, 2^50): a block AddressSanitizer (and most machines) refuse
  free(p);
  return r;
}
