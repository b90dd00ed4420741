// prooflens-test: a callee's requires checked at each call site (precondition.violated on the CALL line)
// functions: div_pos (requires d > 0), call_ok, call_guard, call_bad, call_bad_expr
/*@ requires d > 0; */
int div_pos(int n, int d) {
  return n / d;
}

int call_ok(int x) {
  //:: proved(precondition.violated)
  return div_pos(x, 7);
}

int call_guard(int x, int y) {
  if (y <= 0) return 0;
  //:: proved(precondition.violated)
  return div_pos(x, y);
}

int call_bad(int x, int y) {
  //:: refuted(precondition.violated)
  return div_pos(x, y); // e.g. y = 0
}

int call_bad_expr(int x) {
  if (x < 0) return 0;
  //:: refuted(precondition.violated)
  return div_pos(100, x - 5); // e.g. x = 5
}
