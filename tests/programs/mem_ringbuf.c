// prooflens-test: a ring buffer of ints over a caller's array of cap slots; head and tail count pops and pushes and wrap freely (unsigned)
// functions: push_bad (the slot is tail & cap instead of tail % cap: slot cap when tail = cap), push (fixed), pop, roundtrip (a local ring of 4 slots: push two, pop one)
struct ring { unsigned head; unsigned tail; };

int push_bad(struct ring *r, int *slots, unsigned cap, int v) {
  if (cap == 0 || r->tail - r->head >= cap)
    return -1;
  //:: refuted(memory.bounds)
  slots[r->tail & cap] = v; // e.g. cap = 4, head = 1, tail = 4: slots[4]
  r->tail++;
  return 0;
}

int push(struct ring *r, int *slots, unsigned cap, int v) {
  if (cap == 0 || r->tail - r->head >= cap)
    return -1;
  //:: proved(memory.bounds)
  slots[r->tail % cap] = v;
  r->tail++;
  return 0;
}

int pop(struct ring *r, const int *slots, unsigned cap, int *out) {
  if (cap == 0 || r->tail == r->head)
    return -1;
  //:: proved(memory.bounds)
  *out = slots[r->head % cap];
  r->head++;
  return 0;
}

int roundtrip(void) {
  int slots[4];
  struct ring r = {0, 0};
  int v = 0;
  push(&r, slots, 4, 10);
  push(&r, slots, 4, 20);
  pop(&r, slots, 4, &v);
  return v;
}
