// prooflens-test: a walk toward 0 from either side has no linear ranking function; split on the
// sign of x at entry, each half has one (-x, then x). The same walk by steps of 2 misses 0 from an odd start.
// functions: toward_zero (terminates), overshoot (x = 1: 1, -1, 1, ... forever)
// (a proof by cases has no certificate yet: unknown until the checker takes one)

int toward_zero(int x) {
  //:: unknown(termination.loop)
  while (x != 0) {
    if (x > 0) x--;
    else x++;
  }
  return x;
}

void overshoot(int x) {
  //:: refuted(termination.loop)
  while (x != 0) {
    if (x > 0) x = x - 2;
    else x = x + 2;
  }
}
