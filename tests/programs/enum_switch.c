// prooflens-test: enums (explicit values) and switch over them; enum constants as array indices
// functions: weight (switch with default), check_values, scale (index BLUE == 6 in t[7]), scale_bad (t[6])
extern void __VERIFIER_assert(int cond);

enum color { RED, GREEN = 5, BLUE };

int weight(enum color c) {
  switch (c) {
  case RED: return 1;
  case GREEN: return 2;
  case BLUE: return 3;
  default: return 0;
  }
}

void check_values(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert(BLUE == 6 && weight(GREEN) == 2 && weight(BLUE) == 3);
}

int scale(int k) {
  int t[7] = {0};
  if (k == RED || k == GREEN || k == BLUE)
    //:: proved(bounds.index)
    return t[k];
  return 0;
}

int scale_bad(int k) {
  int t[6] = {0};
  if (k == RED || k == GREEN || k == BLUE)
    //:: refuted(bounds.index)
    return t[k]; // e.g. k = BLUE (6)
  return 0;
}
