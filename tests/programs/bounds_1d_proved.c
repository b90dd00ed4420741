// prooflens-test: one-dimensional array indexing that stays in bounds
// functions: get (explicit range test), clamp_index (clamped), mask_index (u & 15), last (constant)
int get(int i) {
  int a[10] = {0};
  if (i >= 0 && i < 10)
    //:: proved(bounds.index)
    return a[i];
  return -1;
}

int clamp_index(int i) {
  int a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  if (i < 0) i = 0;
  if (i > 7) i = 7;
  //:: proved(bounds.index)
  return a[i];
}

int mask_index(unsigned u) {
  int t[16] = {0};
  //:: proved(bounds.index)
  return t[u & 15u];
}

int last(void) {
  int a[5] = {1, 2, 3, 4, 5};
  return a[4];
}
