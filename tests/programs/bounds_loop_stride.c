// prooflens-test: strided loops over an array (i += 3): exact bound vs one past
// functions: stride_ok (a[i] for i = 0, 3, 6, 9), stride_bad (a[i + 1] reaches a[10])
void stride_ok(void) {
  int a[10];
  for (int i = 0; i < 10; i += 3)
    //:: proved(bounds.index)
    a[i] = 1;
}

void stride_bad(void) {
  int a[10];
  for (int i = 0; i < 10; i += 3)
    //:: refuted(bounds.index)
    a[i + 1] = 1; // always: i = 9 in the fourth iteration
}
