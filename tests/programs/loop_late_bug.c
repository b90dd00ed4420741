// prooflens-test: bugs that appear only after many iterations (beyond any small unrolling)
// functions: late_reach (reach_error at i == 65536), sum_1000 (s += 1000 overflows after 2147484 iterations)
extern void reach_error(void);

void late_reach(void) {
  for (int i = 0; i < 100000; i++) {
    if (i == 65536)
      //:: refuted(reach-error.reachable)
      reach_error(); // always: in iteration 65537
  }
}

/*@ requires n >= 0; */
int sum_1000(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    //:: refuted(overflow.signed.add)
    s += 1000; // e.g. n = 2147484 (s == 2147483000 before the last add)
  return s;
}
