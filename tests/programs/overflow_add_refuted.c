// prooflens-test: signed + that overflows for some inputs (int and long long)
// functions: add (no contract), add_pos (guards only the sign), add_weak (requires too weak), add_ll
int add(int a, int b) {
  //:: refuted(overflow.signed.add)
  return a + b; // e.g. a = INT_MAX, b = 1
}

int add_pos(int a, int b) {
  if (a < 0 || b < 0) return 0;
  //:: refuted(overflow.signed.add)
  return a + b; // e.g. a = INT_MAX, b = 1
}

/*@ requires a <= 2000000000 && b <= 2000000000; */
int add_weak(int a, int b) {
  //:: refuted(overflow.signed.add)
  return a + b; // e.g. a = b = 2000000000
}

int add_ll(long long a, long long b) {
  //:: refuted(overflow.signed.add)
  return a + b > 0; // e.g. a = LLONG_MAX, b = 1
}
