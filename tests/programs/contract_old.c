// prooflens-test: \old() of a global in ensures; the global's range comes from requires
// functions: tick (proved), tick_bad (adds 2 when counter > 500), reset
int counter;

//:: proved(postcondition.violated)
/*@ requires counter < 1000; ensures counter == \old(counter) + 1; */
void tick(void) {
  //:: proved(overflow.signed.inc)
  counter++;
}

//:: refuted(postcondition.violated)
/*@ requires counter < 1000; ensures counter == \old(counter) + 1; */
void tick_bad(void) { // e.g. counter = 501
  if (counter > 500) counter += 2;
  else counter++;
}

/*@ ensures counter == 0 && \result == \old(counter); */
int reset(void) {
  int old = counter;
  counter = 0;
  return old;
}
