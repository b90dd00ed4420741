// prooflens-test: one-dimensional array indexing off by one / negative / wrong mask
// functions: get_bad (i == 10), get_neg (i < 0), mask_bad (u & 16 may be 16)
int get_bad(int i) {
  int a[10] = {0};
  if (i >= 0 && i <= 10)
    //:: refuted(bounds.index)
    return a[i]; // e.g. i = 10
  return -1;
}

int get_neg(int i) {
  int a[10] = {0};
  if (i < 10)
    //:: refuted(bounds.index)
    return a[i]; // e.g. i = -1
  return -1;
}

int mask_bad(unsigned u) {
  int t[16] = {0};
  //:: refuted(bounds.index)
  return t[u & 16u]; // e.g. u = 16
}
