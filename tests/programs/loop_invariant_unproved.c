// prooflens-test: a proof that assumed a user loop invariant which is not proved is no proof
// functions: stays_zero (i == 0 is not preserved: the assert after the loop fails for n = 1)
#include <assert.h>
void stays_zero(int n) {
  if (n < 0 || n >= 100) return;
  int i = 0;
  //:: refuted(invariant.consecution)
  /*@ loop invariant i == 0; */
  //:: unknown(termination.loop)
  while (i < n) // e.g. n = 1
    //:: unknown(overflow.signed.inc)
    i++;
  //:: unknown(assert.violated)
  assert(i == 0); // fails for n = 1 (unknown: the proof assumed the broken invariant)
}
