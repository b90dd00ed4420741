// prooflens-test: a user loop invariant that holds initially and is preserved
// functions: sum_even (loop invariant 0 <= i <= n && s == 2 * i), count_to (loop invariant i <= 100)
/*@ requires 0 <= n && n <= 1000;
    ensures \result == 2 * n; */
int sum_even(int n) {
  int i = 0, s = 0;
  //:: proved(invariant.initiation)
  //:: proved(invariant.consecution)
  /*@ loop invariant 0 <= i && i <= n && s == 2 * i; */
  while (i < n) {
    i++;
    s += 2;
  }
  return s;
}

void count_to(void) {
  int i = 0;
  //:: proved(invariant.initiation)
  //:: proved(invariant.consecution)
  /*@ loop invariant 0 <= i && i <= 100; */
  while (i < 100) {
    i++;
  }
}
