// prooflens-test: signed * that overflows for some inputs
// functions: mul, cube (both products overflow), scale_weak (requires too weak)
int mul(int a, int b) {
  //:: refuted(overflow.signed.mul)
  return a * b; // e.g. a = 65536, b = 32768
}

int cube(int x) {
  if (x < 0) return 0;
  //:: refuted(overflow.signed.mul)
  return x * x * x; // e.g. x = 1291 (outer *), x = 46341 (inner *)
}

/*@ requires 0 <= x && x <= 1000000; */
int scale_weak(int x) {
  //:: refuted(overflow.signed.mul)
  return x * 3000; // e.g. x = 1000000
}
