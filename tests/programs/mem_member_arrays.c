// prooflens-test: structs with array members reached through a pointer (a ring buffer that keeps its slots inside, a fixed table): p->a[i] is checked against the member's length (bounds.index) and the object's (memory.*), a member array used as a pointer is not modelled
// functions: ring_peek (the index is reduced: proved), ring_peek_bad (refuted: head past the slots), ring_put (proved), ring_sum (refuted: the sum overflows), ring_local (a local ring written through &r: refuted division), table_find (a search loop over the member: proved), table_copy (the member passed as a pointer: unknown), msg_tail (an index past the last member, inside the block: gcc does not check it, unknown), ring_realloc_keeps (realloc keeps the member array's elements: proved)
#include <stdlib.h>
#include <string.h>

struct ring {
  int slots[4];
  unsigned head, tail;
};

struct table {
  unsigned count;
  short keys[8];
};

int ring_peek(const struct ring *r) {
  return r->slots[r->head % 4];
}

int ring_peek_bad(const struct ring *r) {
  //:: refuted(bounds.index)
  return r->slots[r->head]; // e.g. r->head = 4
}

void ring_put(struct ring *r, int v) {
  r->slots[r->tail & 3] = v;
  r->tail++;
}

int ring_sum(const struct ring *r) {
  int s = 0;
  for (int i = 0; i < 4; i++)
    //:: refuted(overflow.signed.add)
    s += r->slots[i]; // e.g. slots = {1, INT_MAX, ...}
  return s;
}

int ring_local(void) {
  struct ring r = {{1, 2, 3, 4}, 0, 0};
  ring_put(&r, 9);
  //:: refuted(div-by-zero.div)
  return 10 / (r.slots[0] - 9); // ring_put wrote 9 into slot 0
}

int table_find(const struct table *t, short key) {
  unsigned n = t->count < 8 ? t->count : 8;
  for (unsigned i = 0; i < n; i++)
    if (t->keys[i] == key)
      return (int)i;
  return -1;
}

void table_copy(struct table *t, const short *src) {
  //:: unknown(memory.unmodelled)
  memcpy(t->keys, src, sizeof t->keys);
}

struct msg {
  unsigned len;
  char text[4];
};

int msg_tail(void) {
  struct msg *m = malloc(sizeof *m + 8);
  if (m == NULL)
    return 0;
  //:: unknown(bounds.index)
  m->text[6] = 'x'; // past text[4] but inside the block: -fsanitize=bounds does not check a last member
  free(m);
  return 0;
}

int ring_realloc_keeps(void) {
  struct ring *r = malloc(sizeof *r);
  if (r == NULL)
    return 0;
  r->slots[1] = 7;
  struct ring *q = realloc(r, 2 * sizeof *r);
  if (q == NULL) {
    free(r);
    return 0;
  }
  int v = 10 / q->slots[1];
  free(q);
  return v;
}
