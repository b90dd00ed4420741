// prooflens-test: user loop invariants that fail on entry (initiation) or after an iteration (consecution)
// functions: bad_init (i >= 1 but i starts at 0), bad_consec (s <= i broken by the first iteration).
// The loops end and nothing overflows, but those proofs assumed the broken invariant: unknown
/*@ requires 0 <= n && n <= 1000; */
void bad_init(int n) {
  int i = 0;
  //:: refuted(invariant.initiation)
  //:: proved(invariant.consecution)
  /*@ loop invariant i >= 1; */
  //:: unknown(termination.loop)
  while (i < n) { // e.g. any n: i == 0 on entry
    //:: unknown(overflow.signed.inc)
    i++;
  }
}

/*@ requires 0 <= n && n <= 1000; */
void bad_consec(int n) {
  int i = 0, s = 0;
  //:: proved(invariant.initiation)
  //:: refuted(invariant.consecution)
  /*@ loop invariant s <= i; */
  //:: unknown(termination.loop)
  while (i < n) { // e.g. n = 1: s == 2, i == 1 after one iteration
    //:: unknown(overflow.signed.inc)
    i++;
    //:: unknown(overflow.signed.add)
    s += 2;
  }
}
