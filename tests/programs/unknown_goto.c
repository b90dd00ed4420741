// prooflens-test: goto is not supported: checks in a function with a backward goto are unknown (they hold)
// functions: goto_loop (a counting loop written with goto)
extern void __VERIFIER_assert(int cond);

int goto_loop(void) {
  int i = 0;
again:
  //:: unknown(overflow.signed.inc)
  if (i < 10) { i++; goto again; }
  //:: unknown(assert.violated)
  __VERIFIER_assert(i == 10);
  return i;
}
