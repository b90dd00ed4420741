// prooflens-test: \old over memory (\old(*p), \old(a[i])) and over a global in a callee's contract, with user-written \valid and \valid(p + (0..n)) preconditions the checker certifies
// functions: bump (proved), bump_bad (ensures what the body does not), swap_ends (a range precondition without spaces), swap_ends_bad (\old of the wrong element), tick/tick_twice (a callee's \old(global) read at the call), tick_twice_bad (asserts the wrong count), scale_first (\old(*p) through a contract callee), step/step_caller/step_caller_bad (\old in an inlined callee's assert is its entry, the call)
int clicks;

/*@ requires \valid(p) && *p < 1000;
    ensures *p == \old(*p) + 1; */
void bump(int *p) {
  //:: proved(overflow.signed.add)
  *p = *p + 1;
}

//:: refuted(postcondition.violated)
/*@ requires \valid(p) && *p < 1000; ensures *p == \old(*p); */
void bump_bad(int *p) { // e.g. *p = 0: afterwards it is 1
  *p = *p + 1;
}

//:: proved(postcondition.violated)
/*@ requires n >= 1 && \valid(a + (0..n)); ensures a[0] == \old(a[n]) && a[n] == \old(a[0]); */
void swap_ends(int *a, int n) {
  int t = a[0];
  a[0] = a[n];
  a[n] = t;
}

//:: refuted(postcondition.violated)
/*@ requires n >= 1 && \valid(a + (0..n)); ensures a[0] == \old(a[0]); */
void swap_ends_bad(int *a, int n) { // e.g. a = {0, 1}, n = 1
  int t = a[0];
  a[0] = a[n];
  a[n] = t;
}

/*@ requires clicks < 100; ensures clicks == \old(clicks) + 1; */
void tick(void) {
  clicks = clicks + 1;
}

void tick_twice(void) {
  clicks = 0;
  tick();
  tick();
  //@ assert clicks == 2;
}

void tick_twice_bad(void) {
  clicks = 5;
  tick();
  //:: refuted(assert.violated)
  //@ assert clicks == 5;
}

int scale_first(int *v) {
  int x = 3;
  // the precondition reads x through p; the callee proves its own accesses under it
  //:: unknown(memory.unmodelled)
  //:: proved(precondition.violated)
  bump(&x);
  //:: refuted(assert.violated)
  //@ assert x == 3;
  return x;
}

int step(int x) {
  if (x < 0 || x > 100)
    return 0;
  x++;
  //@ assert x == \old(x) + 1;
  return x;
}

int step_caller(int y) {
  if (y != 6)
    return 7;
  int r = step(y);
  //@ assert r == 7;
  return r;
}

int step_caller_bad(int y) {
  if (y < 0 || y > 100)
    return 0;
  int r = step(y);
  //:: refuted(assert.violated)
  //@ assert r == 7;
  return r; // e.g. y = 0
}
