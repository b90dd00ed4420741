// prooflens-test: a bump allocator handing out 8-aligned blocks of a caller's pool base[0 .. cap-1]; *used counts the bytes handed out
// functions: arena_alloc_bad (checks the room before rounding the start up: the block can begin or end past the pool), arena_alloc (fixed), scratch_bad / scratch (a 16-byte local pool: a 3-byte and then a 12-byte block, zeroed)
#include <stddef.h>
#include <string.h>

char *arena_alloc_bad(char *base, size_t cap, size_t *used, size_t n) {
  if (*used > cap || n > cap - *used)
    return NULL;
  size_t start = (*used + 7) & ~(size_t)7;
  *used = start + n;
  //:: refuted(memory.pointer-arith)
  return base + start; // e.g. cap = 1, *used = 1, n = 0: base + 8
}

char *arena_alloc(char *base, size_t cap, size_t *used, size_t n) {
  if (*used > cap)
    return NULL;
  size_t start = (*used + 7) & ~(size_t)7;
  if (start > cap || n > cap - start)
    return NULL;
  *used = start + n;
  //:: proved(memory.pointer-arith)
  return base + start;
}

int scratch_bad(void) {
  char pool[16];
  size_t used = 0;
  char *a = arena_alloc_bad(pool, sizeof pool, &used, 3);
  char *b = arena_alloc_bad(pool, sizeof pool, &used, 12);
  if (a == NULL || b == NULL)
    return -1;
  memset(a, 0, 3);
  //:: refuted(memory.bounds)
  memset(b, 0, 12); // b = pool + 8: bytes 8 .. 19 of 16
  return 0;
}

int scratch(void) {
  char pool[16];
  size_t used = 0;
  char *a = arena_alloc(pool, sizeof pool, &used, 3);
  char *b = arena_alloc(pool, sizeof pool, &used, 12);
  if (a == NULL || b == NULL)
    return -1;
  memset(a, 0, 3);
  memset(b, 0, 12);
  return 0;
}
