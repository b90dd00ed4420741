// prooflens-test: a struct tag defined again in a block or in an inlined callee hides the file's for that scope only; the engine and the checker keep one table of tags, so such a function is not analysed (unknown), never proved over the other layout
// functions: helper (its block's struct pt: unknown), size_after_call (inlines helper, then sizeof(struct pt) is the file's 8: unknown, reported at helper's definition, not proved), size_after_block (the same after a block: unknown), untouched (the file's struct pt only: proved)
struct pt {
  int x, y;
};

static int helper(void) {
  //:: unknown(assert.violated)
  struct pt { char c[40]; } l;
  l.c[0] = 1;
  return l.c[0];
}

int size_after_call(void) {
  int r = helper();
  return 100 / (int)(sizeof(struct pt) - 8 + (unsigned)r - 1); // divides by zero: sizeof is 8 here
}

int size_after_block(void) {
  {
    //:: unknown(assert.violated)
    struct pt { int y; } l;
    l.y = 0;
    (void)l;
  }
  return 100 / (int)(sizeof(struct pt) - 8); // divides by zero
}

int untouched(const struct pt *p) {
  if (p->x > 1000 || p->x < -1000)
    return 0;
  return p->x + 1;
}
