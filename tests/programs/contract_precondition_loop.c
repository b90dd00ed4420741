// prooflens-test: contracted callee called from loops: precondition proved with the loop bound, refuted one past it
// functions: get (requires 0 <= i < 8), scan (i < 8), scan_bad (i <= 8)
int tbl[8];

/*@ requires 0 <= i && i < 8; */
int get(int i) {
  return tbl[i];
}

int scan(void) {
  int hits = 0;
  for (int i = 0; i < 8; i++)
    //:: proved(precondition.violated)
    if (get(i) == 0) hits++;
  return hits;
}

void scan_bad(void) {
  for (int i = 0; i <= 8; i++)
    //:: refuted(precondition.violated)
    get(i); // always: i = 8 in the ninth iteration
}
