// prooflens-test: ==> and <==> in requires/ensures
// functions: sign (three ensures with ==> and <==>), is_pos (<==> fails at 0), safe_ratio (requires with ==>)
//:: proved(postcondition.violated)
/*@ ensures (x < 0 ==> \result == -1) && (x > 0 ==> \result == 1) && (\result == 0 <==> x == 0); */
int sign(int x) {
  return (x > 0) - (x < 0);
}

//:: refuted(postcondition.violated)
/*@ ensures \result == 1 <==> x >= 0; */
int is_pos(int x) { // e.g. x = 0
  return x > 0;
}

/*@ requires b == 0 ==> a == 0;
    requires b != -1; */
int safe_ratio(int a, int b) {
  if (a == 0) return 0;
  //:: proved(div-by-zero.div)
  return a / b;
}
