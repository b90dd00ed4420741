// prooflens-test: pointer parameters that the caller owns: freeing one depends on where the caller got it (unknown), using it after the free is refuted, parameters of one type may alias, and NULL chosen or returned is the null pointer
// functions: release (free(p): unknown), use_after_release (*p after free(p)), release_twice, shift (memcpy from in + 1 to out: out and in may be one buffer), pick / first_or_minus (NULL returned by a helper and tested), choose (NULL picked by ?:)
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void release(int *p) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(p);
}

int use_after_release(int *p) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(p);
  //:: refuted(memory.use-after-free)
  return *p;
}

void release_twice(int *p) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(p);
  //:: refuted(memory.double-free)
  free(p);
}

void shift(char *out, const char *in) {
  //:: refuted(memory.overlap)
  //:: refuted(memory.bounds)
  memcpy(out, in + 1, 2); // e.g. shift(b, b): the two ranges overlap
}

char *pick(char *p, int k) {
  if (k)
    return NULL;
  return p;
}

int first_or_minus(int k) {
  char buf[4] = {0};
  char *q = pick(buf, k);
  if (q == NULL)
    return -1;
  return q[0];
}

int choose(int k) {
  char buf[4] = {1, 2, 3, 4};
  char *q = k ? NULL : buf;
  if (q == NULL)
    return -1;
  return q[3];
}
