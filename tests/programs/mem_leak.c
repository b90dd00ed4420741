// prooflens-test: memory.leak, a block still live when the function returns and reachable from nothing it hands back; error paths that forget a free are refuted (LeakSanitizer confirms each), cleanup labels, returned blocks and a static cache are proved
// functions: read_record_bad/read_record (early error return), pair_bad/pair (the second allocation fails), dup_bytes (returns its block), scratch_cache (a static pointer keeps it), squares_sum (a block filled by a loop, freed after it), per_line (a block per iteration of a loop run once for all: unknown), with_buffer_bad/with_buffer (a helper's block, leaked or freed by its caller)
#include <stdlib.h>
#include <string.h>

int read_record_bad(const unsigned char *src, int n) {
  if (n <= 0 || n > 64)
    return -1;
  //:: refuted(memory.leak)
  unsigned char *rec = malloc(n);
  if (rec == NULL)
    return -1;
  memcpy(rec, src, n);
  if (rec[0] != 0x7f)
    return -2; // the malformed record's buffer is never freed
  int kind = rec[n - 1];
  free(rec);
  return kind;
}

int read_record(const unsigned char *src, int n) {
  int result = -2;
  if (n <= 0 || n > 64)
    return -1;
  unsigned char *rec = malloc(n);
  if (rec == NULL)
    return -1;
  memcpy(rec, src, n);
  if (rec[0] != 0x7f)
    goto out;
  result = rec[n - 1];
out:
  free(rec);
  return result;
}

int pair_bad(int n) {
  if (n <= 0 || n > 1024)
    return -1;
  //:: refuted(memory.leak)
  int *keys = malloc(n * sizeof *keys);
  //:: refuted(memory.leak)
  int *vals = malloc(n * sizeof *vals);
  if (keys == NULL || vals == NULL)
    return -1; // when only one of them failed, the other leaks
  keys[0] = vals[0] = n;
  free(keys);
  free(vals);
  return 0;
}

int pair(int n) {
  if (n <= 0 || n > 1024)
    return -1;
  int *keys = malloc(n * sizeof *keys);
  int *vals = malloc(n * sizeof *vals);
  if (keys == NULL || vals == NULL) {
    free(keys);
    free(vals);
    return -1;
  }
  keys[0] = vals[0] = n;
  free(keys);
  free(vals);
  return 0;
}

char *dup_bytes(const char *s, int n) {
  if (n <= 0 || n > 4096)
    return NULL;
  char *d = malloc(n);
  if (d != NULL)
    memcpy(d, s, n);
  return d;
}

char *scratch_cache(int n) {
  static char *scratch;
  if (n <= 0 || n > 256)
    return NULL;
  scratch = malloc(n);
  return NULL; // the block stays reachable through scratch
}

int squares_sum(int n) {
  if (n <= 0 || n > 100)
    return 0;
  int *sq = calloc(n, sizeof *sq);
  if (sq == NULL)
    return 0;
  for (int i = 0; i < n; i++)
    sq[i] = i * i;
  int last = sq[n - 1];
  free(sq);
  return last;
}

static int *make_counts(int n) {
  if (n <= 0 || n > 16)
    return NULL;
  return calloc(n, sizeof(int));
}

int with_buffer_bad(int n) {
  //:: refuted(memory.leak)
  int *c = make_counts(n);
  if (c == NULL)
    return 0;
  c[0] = 1;
  return c[0]; // the caller's copy of the pointer dies here
}

int with_buffer(int n) {
  int *c = make_counts(n);
  if (c == NULL)
    return 0;
  c[0] = 1;
  int v = c[0];
  free(c);
  return v;
}

int per_line(int lines) {
  int total = 0;
  for (int i = 0; i < lines && i < 1000; i++) {
    //:: unknown(memory.leak)
    char *line = malloc(80);
    if (line == NULL)
      return total;
    line[0] = (char)i;
    total += line[0] != 0;
    free(line);
  }
  return total;
}
