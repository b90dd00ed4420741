// prooflens-test: loops driven by nondeterministic values: some run may never end
// functions: nd_loop (while nondet), nd_break (break only on a nondet 0), nd_bounded (counter bounds the nondet loop)
extern int __VERIFIER_nondet_int(void);

void nd_loop(void) {
  //:: refuted(termination.loop)
  while (__VERIFIER_nondet_int()) { } // e.g. every nondet value is 1
}

void nd_break(void) {
  //:: refuted(termination.loop)
  while (1) { // e.g. every nondet value is 1
    if (__VERIFIER_nondet_int() == 0) break;
  }
}

void nd_bounded(void) {
  int i = 0;
  //:: proved(termination.loop)
  while (i < 100 && __VERIFIER_nondet_int()) i++;
}
