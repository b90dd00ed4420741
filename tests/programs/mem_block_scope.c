// prooflens-test: a local's lifetime ends with its block (C11 6.2.4p6): an access through its address afterwards is use after scope, whichever way the block was left
// functions: after_block (the block ended normally), after_break (left by break), same_block, enclosing_block, per_iteration (each iteration's local, used inside it)
int after_block(void) {
  int *p = 0;
  {
    int y = 7;
    p = &y;
  }
  //:: refuted(memory.use-after-free)
  return *p; // always: y's block has ended
}

int after_break(int c) {
  int *p = 0;
  while (1) {
    int y = c;
    p = &y;
    break;
  }
  //:: refuted(memory.use-after-free)
  return *p; // always
}

int same_block(int c) {
  int y = c;
  int *p = &y;
  {
    p = &y;
  }
  //:: proved(memory.bounds)
  return *p;
}

int enclosing_block(int c) {
  int r = 0;
  {
    int y = c;
    int *p = &y;
    //:: proved(memory.bounds)
    r = *p;
  }
  return r;
}

int per_iteration(void) {
  int s = 0;
  for (int i = 0; i < 3; i++) {
    int y = i;
    int *p = &y;
    //:: proved(memory.bounds)
    s += *p;
  }
  return s;
}
