// prooflens-test: a global pointer holds, at entry, whatever the program stored there (its initializer need not be NULL): accesses through it are unknown, never refuted
// functions: deref (gp = garr), deref_addr (gq = &gx), string (gs = "abc"), offset (gp[2]), sum_two (an overflow on values read through global pointers), direct (garr itself: refuted)
int garr[10];
int gx;
int *gp = garr;
int *gq = &gx;
const char *gs = "abc";

int deref(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  return *gp;
}

int deref_addr(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  return *gq;
}

int string(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  return gs[1];
}

int offset(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  return gp[2];
}

int sum_two(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  //:: unknown(overflow.signed.add)
  return *gp + *gq;
}

int direct(void) {
  //:: refuted(overflow.signed.add)
  return garr[0] + 1; // e.g. garr[0] = INT_MAX
}

int main(void) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  deref(), deref_addr(), string(), offset(), sum_two();
  return 0;
}
