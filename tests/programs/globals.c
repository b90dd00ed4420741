// prooflens-test: globals are arbitrary at function entry (initialisers do not count) unless requires constrains them
// functions: read_g (g + 1), read_g_ok (requires g < 1000), set_then_use, use_limit (x < limit), use_limit_div
int g;
int limit = 100;

int read_g(void) {
  //:: refuted(overflow.signed.add)
  return g + 1; // e.g. g = INT_MAX
}

/*@ requires g < 1000; */
int read_g_ok(void) {
  //:: proved(overflow.signed.add)
  return g + 1;
}

void set_then_use(void) {
  g = 5;
  //:: proved(div-by-zero.div)
  limit = 100 / g;
}

int use_limit(int x) {
  if (x < limit)
    //:: proved(overflow.signed.add)
    return x + 1;
  return 0;
}

int use_limit_div(int x) {
  //:: refuted(div-by-zero.div)
  //:: refuted(overflow.signed.div)
  return x / limit; // e.g. limit = 0 (its initialiser 100 is irrelevant); overflow: x = INT_MIN, limit = -1
}
