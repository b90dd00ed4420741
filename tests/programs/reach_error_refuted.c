// prooflens-test: reach_error() calls that are reachable
// functions: re_eq (x == 42), re_system (small linear system), re_loop_bad (i += 3 overshoots 10)
extern void reach_error(void);

void re_eq(int x) {
  if (x == 42)
    //:: refuted(reach-error.reachable)
    reach_error(); // e.g. x = 42
}

void re_system(int x, int y) {
  if (x < -1000 || x > 1000 || y < -1000 || y > 1000) return;
  if (x + y == 10 && x - y == 4)
    //:: refuted(reach-error.reachable)
    reach_error(); // e.g. x = 7, y = 3
}

void re_loop_bad(void) {
  int i = 0;
  while (i < 10) i += 3;
  if (i != 10)
    //:: refuted(reach-error.reachable)
    reach_error(); // always: the loop ends with i == 12
}
