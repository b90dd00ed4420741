// prooflens-test: a violation that depends on an unmodelled call stays unknown in a function with pointer parameters too (the inferred precondition's templates are fixed in the conditions of the paths through that call, not only in the checks: left free, a model could step around the call and read the violation as real)
// functions: after_unmodelled (an assert and an overflow on a value an unmodelled function returns), through_global_pointer (a write through a global pointer may reach any global whose address the function never took)
int ext(int *p);

int after_unmodelled(int *p, int n) {
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  int v = p[0];
  //:: unknown(memory.unmodelled)
  int r = ext(p);
  //:: unknown(assert.violated)
  //@ assert r != 7;
  //:: unknown(overflow.signed.add)
  return v + r + (n > 0);
}

int counter;
int *cursor; // some other function may have set it to &counter

int through_global_pointer(void) {
  counter = 0;
  if (cursor)
    //:: unknown(memory.null)
    //:: unknown(memory.bounds)
    *cursor = 1; // may write counter: it is forgotten, never kept at 0
  //:: unknown(assert.violated)
  //@ assert counter == 0;
  return counter;
}
