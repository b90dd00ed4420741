// prooflens-test: a sum of a counter has a closed form (s = k(k-1)/2 after k iterations): the
// overflow holds at every iteration count (the engine proves it by the loop's closed form, which has
// no certificate for the independent checker yet: unknown), and the bug that needs 65,537
// iterations is found (and replays)
// functions: triangle_small (n <= 65535: at most 2147385345), triangle_large (n up to 100000)

/*@ requires 0 <= n && n <= 65535; */
int triangle_small(int n) {
  int s = 0;
  //:: proved(termination.loop)
  for (int i = 0; i < n; i++) {
    //:: unknown(overflow.signed.add)
    s = s + i;
  }
  return s;
}

/*@ requires 0 <= n && n <= 100000; */
int triangle_large(int n) {
  int s = 0;
  //:: proved(termination.loop)
  for (int i = 0; i < n; i++) {
    //:: refuted(overflow.signed.add)
    s = s + i;
  }
  return s;
}

