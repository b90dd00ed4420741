// prooflens-test: recursion deeper than the inline depth (3): the result of fact(6) and fact's product stay unknown
// (a recursion's decreasing measure has no certificate for the independent checker yet: unknown, never an unchecked tick)
// functions: fact (one line; n > 12 cut off, so n * fact(n - 1) never overflows at run time), use_fact
extern void __VERIFIER_assert(int cond);

//:: unknown(overflow.signed.mul)
//:: unknown(termination.recursion)
int fact(int n) { if (n <= 1 || n > 12) return 1; return n * fact(n - 1); }

void use_fact(void) {
  int r = fact(6);
  //:: unknown(assert.violated)
  __VERIFIER_assert(r == 720);
}
