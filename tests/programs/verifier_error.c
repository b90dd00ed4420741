// prooflens-test: __VERIFIER_error() (old SV-COMP error function) reachable / unreachable
// functions: ve_bad (x % 7 == 3), ve_ok (unsigned x % 7 is never 7)
extern void __VERIFIER_error(void);

void ve_bad(int x) {
  if (x % 7 == 3)
    //:: refuted(reach-error.reachable)
    __VERIFIER_error(); // e.g. x = 3
}

void ve_ok(unsigned x) {
  if (x % 7u == 7u)
    //:: proved(reach-error.reachable)
    __VERIFIER_error();
}
