// prooflens-test: ACSL //@ assert annotations (mathematical integers in the assertion)
// functions: acsl_ok (x & 0xFF in [0, 255]), acsl_bad (x % 256 may be negative), acsl_math
void acsl_ok(int x) {
  int y = x & 0xFF;
  //:: proved(assert.violated)
  //@ assert 0 <= y && y <= 255;
}

void acsl_bad(int x) {
  int y = x % 256;
  //:: refuted(assert.violated)
  //@ assert 0 <= y;
}

void acsl_math(int x) {
  if (x < 0 || x > 1000) return;
  int y = x + 1;
  //:: proved(assert.violated)
  //@ assert y - 1 == x && y > x;
}
