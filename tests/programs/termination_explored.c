// prooflens-test: after one step x is in a small cycle of residues: every path of the unrolling
// leaves the loop (the solver shows no path is still inside after the bound), or one never does
// functions: residues (2 generates Z/7: reaches 0), stuck (from x = 1: 1, 4, 1, 4, ... never 0)
// stuck's refutation takes 2 s on a quiet machine; under the suite's full load it once ran out of
// the default 5 s per check (unknown, never wrong): a wider margin here
//:: options --timeout 15

/*@ requires -1000000 < x && x < 1000000; */
int residues(int x) {
  //:: proved(termination.loop)
  while (x != 0) {
    x = (x + 2) % 7;
  }
  return x;
}

/*@ requires -1000000 < x && x < 1000000; */
int stuck(int x) {
  //:: refuted(termination.loop)
  while (x != 0) {
    x = (x + 3) % 6;
  }
  return x;
}
