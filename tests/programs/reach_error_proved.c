// prooflens-test: reach_error() calls that are unreachable
// functions: re_contra (x > 0 && x < 0), re_order, re_loop (i == 10 after the loop)
extern void reach_error(void);

void re_contra(int x) {
  if (x > 0 && x < 0)
    //:: proved(reach-error.reachable)
    reach_error();
}

void re_order(int x, int y) {
  if (x > y) {
    if (y >= x)
      //:: proved(reach-error.reachable)
      reach_error();
  }
}

void re_loop(void) {
  int i = 0;
  while (i < 10) i++;
  if (i != 10)
    //:: proved(reach-error.reachable)
    reach_error();
}
