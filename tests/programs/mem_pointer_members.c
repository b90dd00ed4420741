// prooflens-test: structs with pointer members (a buffer's data, a list node's next): the integer members are modelled through a pointer to the struct, a pointer loaded from memory points where the engine does not know (accesses through it unknown, never proved), and a block stored in memory is not a sure leak
// functions: buf_room and buf_used (proved under \valid_read(b)), buf_push (its store through b->data unknown), node_next_value (refuted: INT_MAX + 1), node_unlink (a freed node's next read after free), pair_new (a block stored in another is no sure leak), pair_make (a struct returned by value holds the block: the engine's proof, which the checker cannot follow: unknown), pair_lose (the block is lost: refuted), via_loaded (a write through a loaded pointer may hit *out: no proof of *out)
#include <stdlib.h>
#include <stddef.h>

struct buf {
  char *data;
  size_t len;
  size_t cap;
};

struct node {
  int value;
  struct node *next;
};

struct pair {
  int *first;
  int count;
};

size_t buf_room(const struct buf *b) {
  if (b->len > b->cap)
    return 0;
  return b->cap - b->len;
}

int buf_used(const struct buf *b) {
  //:: refuted(overflow.signed.add)
  return (int)b->len + 1; // e.g. b->len = 2147483647
}

int buf_push(struct buf *b, char c) {
  if (b->len >= b->cap)
    return -1;
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  b->data[b->len] = c;
  b->len++;
  return 0;
}

int node_next_value(struct node *n) {
  if (n == NULL)
    return 0;
  //:: refuted(overflow.signed.add)
  return n->value + 1; // e.g. n->value = INT_MAX
}

int node_unlink(struct node *n) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(n);
  //:: refuted(memory.use-after-free)
  return n->next != NULL; // e.g. a one-node list: n->next read after free(n)
}

struct pair *pair_new(int k) {
  struct pair *p = malloc(sizeof *p);
  if (p == NULL)
    return NULL;
  //:: unknown(memory.leak)
  p->first = malloc(sizeof(int));
  p->count = k;
  return p;
}

struct pair pair_make(void) {
  struct pair r;
  //:: unknown(memory.leak)
  r.first = malloc(sizeof(int));
  r.count = 1;
  return r;
}

int pair_lose(void) {
  struct pair r;
  //:: refuted(memory.leak)
  r.first = malloc(sizeof(int)); // e.g. the allocation succeeds: nothing frees it
  r.count = 1;
  return r.count;
}

int via_loaded(struct pair *p, int *out) {
  *out = 1;
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  p->first[0] = 0;
  //:: unknown(div-by-zero.div)
  return 10 / *out; // e.g. p->first == out
}
