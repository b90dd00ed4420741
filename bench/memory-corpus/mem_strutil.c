// prooflens-test: string utilities over NUL-terminated strings
// functions: trim_bad (strips trailing blanks but reads s[-1] when nothing but blanks is left), trim (fixed), join_bad (allocates strlen(a) + strlen(b) bytes, then copies the NUL too), join (fixed), copy_bad (truncates to cap bytes, leaving no room for the NUL), copy (fixed for separate buffers; called with overlapping buffers its memcpy is undefined). Unknown: a loop walking a string backwards, a violation that rests on where a parameter's NUL is
#include <stdlib.h>
#include <string.h>

void trim_bad(char *s) {
  size_t n = strlen(s);
  //:: refuted(memory.bounds)
  while (s[n - 1] == ' ') // e.g. s = " " (or ""): s[-1]
    n--;
  //:: unknown(memory.bounds)
  s[n] = 0;
}

void trim(char *s) {
  size_t n = strlen(s);
  //:: unknown(memory.bounds)
  while (n > 0 && s[n - 1] == ' ')
    n--;
  //:: unknown(memory.bounds)
  s[n] = 0;
}

char *join_bad(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *p = malloc(la + lb);
  if (p == NULL) return NULL;
  memcpy(p, a, la);
  //:: refuted(memory.bounds)
  memcpy(p + la, b, lb + 1); // e.g. a = "ab", b = "c": writes p[3] of 3 bytes
  return p;
}

char *join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *p = malloc(la + lb + 1);
  if (p == NULL) return NULL;
  memcpy(p, a, la);
  //:: proved(memory.bounds)
  memcpy(p + la, b, lb + 1);
  return p;
}

void copy_bad(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n > cap) n = cap;
  //:: refuted(memory.overlap)
  //:: unknown(memory.bounds)
  memcpy(dst, src, n);
  //:: refuted(memory.bounds)
  dst[n] = 0; // e.g. cap = 1, src = "ab": dst[1]
}

void copy(char *dst, size_t cap, const char *src) {
  if (cap == 0) return;
  size_t n = strlen(src);
  if (n >= cap) n = cap - 1;
  //:: unknown(memory.bounds)
  //:: refuted(memory.overlap)
  memcpy(dst, src, n); // e.g. src = "ab", dst = src + 1, cap = 3
  //:: proved(memory.bounds)
  dst[n] = 0;
}
