// prooflens-test: loop-indexed arrays with an off-by-one loop bound
// functions: zero_le (i <= 8 on int a[8]), shift_left (reads a[i + 1]), zero_prefix_le (requires n <= 8, i <= n)
void zero_le(void) {
  int a[8];
  for (int i = 0; i <= 8; i++)
    //:: refuted(bounds.index)
    a[i] = 0; // always: i = 8 in the ninth iteration
}

/*@ requires 0 <= n && n <= 8; */
void shift_left(int n) {
  int a[8] = {0};
  for (int i = 0; i < n; i++) {
    //:: refuted(bounds.index)
    int next = a[i + 1]; // e.g. n = 8 (i = 7)
    //:: proved(bounds.index)
    a[i] = next;
  }
}

/*@ requires 0 <= n && n <= 8; */
void zero_prefix_le(int n) {
  int a[8];
  for (int i = 0; i <= n; i++)
    //:: refuted(bounds.index)
    a[i] = 0; // e.g. n = 8
}
