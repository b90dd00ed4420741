// prooflens-test: functions that establish their ensures clauses (\result, arithmetic, disjunction)
// functions: twice (requires range, ensures \result == 2 * x), max (two ensures), clamp01
/*@ requires 0 <= x && x <= 1000;
    ensures \result == 2 * x; */
int twice(int x) {
  return x + x;
}

//:: proved(postcondition.violated)
/*@ ensures \result >= a && \result >= b && (\result == a || \result == b); */
int max(int a, int b) {
  return a >= b ? a : b;
}

/*@ ensures 0 <= \result && \result <= 1; */
int clamp01(int v) {
  if (v < 0) return 0;
  if (v > 1) return 1;
  return v;
}
