// prooflens-test: __VERIFIER_assert (SV-COMP) holding and failing
// functions: va_ok, va_bad, va_loop (i counts to 5)
extern void __VERIFIER_assert(int cond);

void va_ok(int x) {
  if (x > 10)
    //:: proved(assert.violated)
    __VERIFIER_assert(x != 0);
}

void va_bad(int x) {
  if (x > -10)
    //:: refuted(assert.violated)
    __VERIFIER_assert(x != 0); // e.g. x = 0
}

void va_loop(void) {
  int i = 0;
  while (i < 5) i++;
  //:: proved(assert.violated)
  __VERIFIER_assert(i == 5);
}
