// prooflens-test: a backward goto that is not a loop of its own block (here it jumps back from inside a for loop) is not modelled: unknown, never proved (they hold)
// functions: goto_from_inner_loop (a counter restarted from inside a for loop)
extern void __VERIFIER_assert(int cond);

int goto_from_inner_loop(void) {
  int i = 0;
again:
  //:: unknown(termination.loop)
  //:: unknown(overflow.signed.inc)
  for (int k = 0; k < 2; k++) {
    //:: unknown(overflow.signed.inc)
    if (i < 10) { i++; goto again; }
  }
  //:: unknown(assert.violated)
  __VERIFIER_assert(i == 10);
  return i;
}
