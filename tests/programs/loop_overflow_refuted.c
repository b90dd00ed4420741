// prooflens-test: overflow inside a loop found after a few iterations (the step is a parameter)
// functions: sum_steps (s += x, n iterations), sum_steps_ok (constant step 1000, requires n <= 1000)
int sum_steps(int x, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    //:: refuted(overflow.signed.add)
    s += x; // e.g. x = INT_MAX, n = 2 (second iteration)
  return s;
}

/*@ requires n <= 1000; */
int sum_steps_ok(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    //:: proved(overflow.signed.add)
    s += 1000; /* s == 1000 * i <= 1000000 */
  return s;
}
