// prooflens-test: gcd by repeated subtraction: terminates for positive inputs, not for a == 0 < b
// functions: gcd (requires a > 0 && b > 0), gcd_any (no contract: loops and overflows)
/*@ requires a > 0 && b > 0;
    ensures \result > 0; */
int gcd(int a, int b) {
  //:: proved(termination.loop)
  while (a != b) {
    //:: proved(overflow.signed.sub)
    if (a > b) a -= b;
    //:: proved(overflow.signed.sub)
    else b -= a;
  }
  return a;
}

int gcd_any(int a, int b) {
  //:: refuted(termination.loop)
  while (a != b) { // e.g. a = 0, b = 5
    //:: refuted(overflow.signed.sub)
    if (a > b) a -= b; // e.g. a = 1, b = INT_MIN
    //:: refuted(overflow.signed.sub)
    else b -= a; // e.g. a = INT_MIN, b = 1
  }
  return a;
}
