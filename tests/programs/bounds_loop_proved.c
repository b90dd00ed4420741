// prooflens-test: loop-indexed arrays whose loop bound matches the array size (needs loop invariants)
// functions: zero_prefix (requires n <= 16), fill_all, reverse_fill, pairs (i += 2 with a[i + 1])
/*@ requires 0 <= n && n <= 16; */
void zero_prefix(int n) {
  int a[16];
  for (int i = 0; i < n; i++)
    //:: proved(bounds.index)
    a[i] = 0;
}

void fill_all(void) {
  int a[16];
  for (int i = 0; i < 16; i++)
    //:: proved(bounds.index)
    a[i] = i;
}

void reverse_fill(void) {
  int a[16];
  for (int i = 15; i >= 0; i--)
    //:: proved(bounds.index)
    a[i] = i;
}

void pairs(void) {
  int a[16];
  for (int i = 0; i + 1 < 16; i += 2) {
    a[i] = 0;
    //:: proved(bounds.index)
    a[i + 1] = 1;
  }
}
