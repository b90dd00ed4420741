// prooflens-test: an open-addressing hash set of non-zero ints in keys[0 .. cap-1] (0 marks an empty slot, linear probing), and a small set built on the heap with a goto cleanup
// functions: insert_bad (the home slot key % cap is negative for a negative key), insert (fixed: computed unsigned), pair_bad (frees the table on an error path and again at the cleanup label), pair (fixed)
#include <stdlib.h>

int insert_bad(int *keys, int cap, int key) {
  if (cap <= 0 || key == 0)
    return -1;
  int i = key % cap;
  for (int probes = 0; probes < cap; probes++) {
    //:: refuted(memory.bounds)
    if (keys[i] == 0 || keys[i] == key) { // e.g. key = -1, cap = 4: keys[-1]
      keys[i] = key;
      return i;
    }
    //:: unknown(overflow.signed.inc)
    i++;
    if (i == cap)
      i = 0;
  }
  return -1;
}

int insert(int *keys, int cap, int key) {
  if (cap <= 0 || key == 0)
    return -1;
  int i = (int)((unsigned)key % (unsigned)cap);
  for (int probes = 0; probes < cap; probes++) {
    //:: unknown(memory.bounds)
    if (keys[i] == 0 || keys[i] == key) {
      keys[i] = key;
      return i;
    }
    //:: unknown(overflow.signed.inc)
    i++;
    if (i == cap)
      i = 0;
  }
  return -1;
}

int *pair_bad(int a, int b) {
  int *keys = calloc(4, sizeof *keys);
  if (keys == NULL)
    goto fail;
  if (insert(keys, 4, a) < 0) {
    free(keys);
    goto fail;
  }
  if (insert(keys, 4, b) < 0)
    goto fail;
  return keys;
fail:
  //:: refuted(memory.double-free)
  free(keys); // e.g. a = 0: keys freed twice
  return NULL;
}

int *pair(int a, int b) {
  int *keys = calloc(4, sizeof *keys);
  if (keys == NULL)
    goto fail;
  if (insert(keys, 4, a) < 0 || insert(keys, 4, b) < 0)
    goto fail;
  return keys;
fail:
  free(keys);
  return NULL;
}
