// prooflens-test: a value read from heap bytes no one wrote (malloc's block, realloc's new tail) is no run's value (AddressSanitizer fills them with 0xbe): a violation resting on it is only possible; bytes written, zeroed by calloc or memset are real
// functions: never_written (the divisor is malloc's), member_never_written (a struct's other member), realloc_tail (an element past the old size), partly_filled (written for n >= 1 only), written (the divisor is the argument), zeroed (calloc), cleared (memset), kept_by_realloc (realloc keeps what was written), written_odd (never 0: proved), nested_member (one member of a nested struct written, the other read), filled (written by a loop that runs at least once: never 0, unknown, once wrongly refuted)
#include <stdlib.h>
#include <string.h>

struct pair {
  int x;
  int y;
};

int never_written(int a) {
  int *p = malloc(2 * sizeof *p);
  if (!p)
    return 0;
  p[0] = a;
  //:: unknown(div-by-zero.div)
  int r = 100 / p[1]; // p[1] is whatever malloc's block holds
  free(p);
  return r;
}

int member_never_written(int a) {
  struct pair *s = malloc(sizeof *s);
  if (!s)
    return 0;
  s->x = a;
  //:: unknown(div-by-zero.div)
  int r = 100 / s->y;
  free(s);
  return r;
}

int realloc_tail(int a) {
  int *p = malloc(sizeof *p);
  if (!p)
    return 0;
  p[0] = a;
  int *q = realloc(p, 4 * sizeof *q);
  if (!q) {
    free(p);
    return 0;
  }
  //:: unknown(div-by-zero.div)
  int r = 100 / q[3]; // past the old size: never written
  free(q);
  return r;
}

int partly_filled(int n) {
  if (n < 0 || n > 8)
    return 0;
  int *p = malloc(8 * sizeof *p);
  if (!p)
    return 0;
  for (int i = 0; i < n; i++)
    p[i] = i + 1;
  //:: unknown(div-by-zero.div)
  int r = 100 / p[0]; // 1 when n >= 1; malloc's bytes when n == 0
  free(p);
  return r;
}

int written(int a) {
  int *p = malloc(2 * sizeof *p);
  if (!p)
    return 0;
  p[1] = a;
  //:: refuted(div-by-zero.div)
  int r = 100 / p[1]; // e.g. a = 0
  free(p);
  return r;
}

int zeroed(int a) {
  int *p = calloc(2, sizeof *p);
  if (!p)
    return 0;
  p[0] = a;
  //:: refuted(div-by-zero.div)
  int r = 100 / p[1]; // always: calloc's bytes are 0
  free(p);
  return r;
}

int cleared(int a) {
  int *p = malloc(2 * sizeof *p);
  if (!p)
    return 0;
  memset(p, 0, 2 * sizeof *p);
  p[0] = a;
  //:: refuted(div-by-zero.div)
  int r = 100 / p[1]; // always: memset wrote 0
  free(p);
  return r;
}

int kept_by_realloc(int a) {
  int *p = malloc(sizeof *p);
  if (!p)
    return 0;
  p[0] = a;
  int *q = realloc(p, 4 * sizeof *q);
  if (!q) {
    free(p);
    return 0;
  }
  //:: refuted(div-by-zero.div)
  int r = 100 / q[0]; // e.g. a = 0: realloc kept it
  free(q);
  return r;
}

int written_odd(int a) {
  int *p = malloc(2 * sizeof *p);
  if (!p)
    return 0;
  p[1] = a | 1;
  //:: proved(div-by-zero.div)
  int r = 100 / p[1];
  free(p);
  return r;
}

int filled(int n) {
  if (n < 1 || n > 100000)
    return 0;
  int *p = malloc(100000 * sizeof *p);
  if (!p)
    return 0;
  for (int i = 0; i < n; i++)
    p[i] = i + 1;
  //:: unknown(div-by-zero.div)
  int r = 100 / p[0]; // always 1 (the loop runs at least once): was refuted with p[0] = 0 after 6,273 iterations
  free(p);
  return r;
}

struct inner {
  int x;
  int y;
};

struct outer {
  int a;
  struct inner in;
};

int nested_member(int n) {
  struct outer *s = malloc(sizeof *s);
  if (!s)
    return 0;
  if (n > 2)
    s->in.x = 0;
  else
    s->in.y = 0;
  //:: refuted(div-by-zero.div)
  int r = 10 / s->in.x; // e.g. n = 3 (when n <= 2, in.x is never written: only possible)
  free(s);
  return r;
}
