// prooflens-test: assigns.violated, what an assigns clause lets a function change: a write outside it, or freeing a block the caller had, is refuted (main's copies of every object and global show the byte that changed); callers through the contract keep everything else
// functions: hit/hit_bad (a struct member), clear_head/clear_head_bad (a constant loop over a range), pop/push_bad (globals), swap (two cells that may be one), release_bad/release (a free needs a frees clause), keeps_misses/reset_then_read (callers through contracts), keep_flag (a function declared only), sneaky (a write through a global pointer: unknown), widen (a wider write: unknown), set_and_drop_bad (frees allows the free, not the write)
#include <stddef.h>
#include <stdlib.h>

struct counter {
  unsigned hits;
  unsigned misses;
};

/*@ assigns c->hits;
    requires \valid(c); */
void hit(struct counter *c) { c->hits = c->hits + 1u; }

//:: refuted(assigns.violated)
/*@ assigns c->hits;
    requires \valid(c); */
void hit_bad(struct counter *c) {
  c->hits = c->hits + 1u;
  c->misses = 0; // not listed
}

/*@ assigns buf[0 .. 3];
    requires \valid(buf + (0 .. 7)); */
void clear_head(unsigned char *buf) {
  for (int i = 0; i < 4; i++)
    buf[i] = 0;
}

//:: refuted(assigns.violated)
/*@ assigns buf[0 .. 3];
    requires \valid(buf + (0 .. 7)); */
void clear_head_bad(unsigned char *buf) {
  for (int i = 0; i <= 4; i++) // one too many
    buf[i] = 0;
}

int top;
int stack[8];

/*@ assigns top;
    requires 0 < top && top <= 8; */
int pop(void) {
  top = top - 1;
  return stack[top];
}

//:: refuted(assigns.violated)
/*@ assigns top;
    requires 0 <= top && top < 8; */
void push_bad(int v) {
  stack[top] = v; // stack is not listed
  top = top + 1;
}

/*@ assigns *a, *b;
    requires \valid(a) && \valid(b); */
void swap(int *a, int *b) {
  int t = *a;
  *a = *b;
  *b = t;
}

//:: refuted(assigns.violated)
/*@ assigns \nothing; */
void release_bad(int *p) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(p); // freeing needs a frees clause
}

/*@ assigns \nothing;
    frees p; */
void release(int *p) {
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(p);
}

unsigned keeps_misses(struct counter *c) {
  unsigned before = c->misses;
  hit(c);
  unsigned after = c->misses;
  //@ assert after == before;
  return after;
}

/*@ requires \valid(buf + (0 .. 7)); */
int reset_then_read(unsigned char *buf) {
  buf[5] = 7;
  clear_head(buf);
  //@ assert buf[5] == 7;
  return buf[5];
}

int flag;

/*@ assigns \nothing; */
void log_event(int code);

int keep_flag(int code) {
  flag = 1;
  log_event(code);
  //@ assert flag == 1;
  return flag;
}

int *shared;

//:: unknown(assigns.violated)
/*@ assigns \nothing; */
void sneaky(void) {
  if (shared)
    //:: unknown(memory.null)
    //:: unknown(memory.bounds)
    //:: unknown(memory.use-after-free)
    *shared = 1; // memory the engine does not follow: no proof (and a havocked pointer need not be NULL)
}

//:: unknown(assigns.violated)
/*@ assigns *p; */
void widen(char *p) {
  int *q = (int *)p;
  //:: unknown(memory.unmodelled)
  *q = 1; // four bytes through an int pointer: not followed, so never refuted on its havoc
}

//:: refuted(assigns.violated)
/*@ assigns *p;
    frees q; */
void set_and_drop_bad(int *p, int *r, char *q) {
  *p = 1;
  *r = 2; // not listed (freeing q is: frees)
  //:: unknown(memory.double-free)
  //:: unknown(memory.invalid-free)
  free(q);
}
