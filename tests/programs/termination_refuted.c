// prooflens-test: non-terminating loops, and loops that only end by overflowing (termination proved, overflow refuted)
// functions: g2 (essay: y == 0 loops forever), spin (x > 0, empty body), step3 (i += 3 skips 10), chase (x != y)
void g2(int x, int y) {
  //:: refuted(termination.loop)
  while (x > y) // e.g. x = 5, y = 0
    //:: refuted(overflow.signed.sub)
    x = x - y; // e.g. x = INT_MAX, y = -1
}

void spin(int x) {
  //:: refuted(termination.loop)
  while (x > 0) { } // e.g. x = 1
}

void step3(void) {
  int i = 0;
  /* 0, 3, ..., 2147483646 never hits 10; the next += overflows: no non-UB infinite run */
  //:: proved(termination.loop)
  while (i != 10)
    //:: refuted(overflow.signed.add)
    i += 3; // always, after 715827882 iterations
}

void chase(int x, int y) {
  //:: proved(termination.loop)
  while (x != y)
    //:: refuted(overflow.signed.inc)
    x++; // e.g. x = 1, y = 0: x reaches INT_MAX, then overflows
}
