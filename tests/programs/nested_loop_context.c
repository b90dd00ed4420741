// prooflens-test: an invariant of an inner loop (or of a loop in a branch) holds only where that loop is;
// code after the outer loop must not inherit it (a wrong "proved" of session 3: assert(0) after a nested loop)
// functions: after_nest_false (i == 5000 at the exit: beyond every unrolling), after_nest_true, branch_loop_false (n = 0 skips the loop)
extern void __VERIFIER_assert(int cond);

void after_nest_false(void) {
  unsigned i = 0, j = 0;
  while (i < 5000) {
    j = 0;
    while (j < 4) { j++; }
    i++;
  }
  //:: unknown(assert.violated)
  __VERIFIER_assert(i == 4999); // false, but no unrolling reaches the exit: unknown, never proved
}

void after_nest_true(void) {
  unsigned i = 0, j = 0, t = 0;
  while (i < 5000) {
    j = 0;
    while (j < 4) { j++; t++; }
    i++;
  }
  //:: proved(assert.violated)
  __VERIFIER_assert(i == 5000 && t == 4 * i);
}

void branch_loop_false(int n) {
  int i = 0;
  if (n > 5) {
    while (i < n) i++;
  }
  //:: refuted(assert.violated)
  __VERIFIER_assert(n > 5); // e.g. n = 0
}
