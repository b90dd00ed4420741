// prooflens-test: break and continue inside for loops
// functions: find (break on match), use_find (result in [-1, 7]), skip_odd (continue, s <= i), late_write (continue then a[i + 1])
int find(int key) {
  int a[8] = {3, 1, 4, 1, 5, 9, 2, 6};
  int pos = -1;
  for (int i = 0; i < 8; i++) {
    if (a[i] == key) { pos = i; break; }
  }
  return pos;
}

int use_find(int key) {
  int b[8] = {0};
  int p = find(key);
  if (p >= 0)
    //:: proved(bounds.index)
    return b[p];
  return 0;
}

int skip_odd(int n) {
  if (n < 0 || n > 1000) return 0;
  int s = 0;
  for (int i = 0; i < n; i++) {
    if (i % 2) continue;
    //:: proved(overflow.signed.inc)
    s++;
  }
  return s;
}

void late_write(void) {
  int a[10];
  for (int i = 0; i < 10; i++) {
    if (i < 5) continue;
    //:: refuted(bounds.index)
    a[i + 1] = 0; // always: i = 9
  }
}
