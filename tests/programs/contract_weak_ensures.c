// prooflens-test: a contracted callee is used through its contract only: facts the contract omits stay unknown
// functions: five (always returns 5, ensures only \result > 0), use_five (assert r == 5 cannot be decided), use_five_pos
extern void __VERIFIER_assert(int cond);

/*@ ensures \result > 0; */
int five(void) { return 5; }

void use_five(void) {
  int r = five();
  //:: unknown(assert.violated)
  __VERIFIER_assert(r == 5); /* true at run time, not implied by the contract */
}

int use_five_pos(int x) {
  int r = five();
  //:: proved(div-by-zero.div)
  return x / r;
}
