// prooflens-test: structs nested in structs reached through a pointer (a segment of two points, a record with a header): p->a.x is read and written member by member, whole nested members are copied through memory, and counterexamples show the nesting
// functions: seg_width (refuted: the difference overflows), seg_shift (guarded: proved), seg_after_shift (a zeroed segment shifted once: refuted division), seg_swap (two nested members swapped through the pointer: proved assertion), rec_payload (a header's length checked against the payload: proved), rec_payload_bad (refuted: off by one), seg_swap_bad (a swap without a temporary: refuted assertion)
#include <assert.h>
#include <stdlib.h>

struct point {
  int x, y;
};

struct seg {
  struct point a, b;
  int tag;
};

int seg_width(const struct seg *s) {
  //:: refuted(overflow.signed.sub)
  return s->b.x - s->a.x; // e.g. a.x = INT_MIN, b.x = 7
}

void seg_shift(struct seg *s) {
  if (s->a.x < 1000 && s->a.x > -1000)
    s->a.x += 1;
}

int seg_after_shift(void) {
  struct seg *s = calloc(1, sizeof *s);
  if (s == NULL)
    return 0;
  seg_shift(s);
  //:: refuted(div-by-zero.div)
  int r = 10 / (s->a.x - 1); // calloc zeroed it, the shift made it 1
  free(s);
  return r;
}

void seg_swap(struct seg *s) {
  struct point t = s->a;
  s->a = s->b;
  s->b = t;
}

int seg_swap_twice(struct seg *s) {
  int x = s->a.x;
  seg_swap(s);
  seg_swap(s);
  assert(s->a.x == x);
  return x;
}

struct header {
  unsigned char kind;
  unsigned char len;
};

struct record {
  struct header h;
  unsigned char payload[16];
};

int rec_payload(const struct record *r) {
  if (r->h.len == 0 || r->h.len > 16)
    return -1;
  return r->payload[r->h.len - 1];
}

int rec_payload_bad(const struct record *r) {
  if (r->h.len > 16)
    return -1;
  //:: refuted(bounds.index)
  return r->payload[r->h.len]; // e.g. h.len = 16
}

int seg_swap_bad(struct seg *s) {
  int x = s->a.x;
  s->a = s->b;
  s->b = s->a;
  //:: refuted(assert.violated)
  assert(s->b.x == x); // e.g. a.x = 0, b.x = 1: both end as the old b
  return x;
}
