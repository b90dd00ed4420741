// prooflens-test: calls through function pointers are not resolved: the call itself is an unknown check (the pointer may be NULL), and dependent checks are unknown
// functions: seven, apply (f is a parameter), call_fp (f == seven, so the division is safe at run time),
// deref_call and table_call (callees that are not a name: (*f)(x), table[0](i)); 100 / v cannot overflow,
// but the independent checker does not take functions with pointers yet: not certified, so unknown
static int seven(int x) { (void)x; return 7; }

int apply(int (*f)(int), int x) {
  //:: unknown(div-by-zero.div)
  //:: unknown(memory.unmodelled)
  //:: unknown(overflow.signed.div)
  return 100 / f(x);
}

int call_fp(int x) {
  int (*f)(int) = seven;
  //:: unknown(div-by-zero.div)
  //:: unknown(memory.unmodelled)
  //:: unknown(overflow.signed.div)
  return 100 / f(x);
}

int deref_call(int (*f)(int), int x) {
  //:: unknown(div-by-zero.div)
  //:: unknown(memory.unmodelled)
  //:: unknown(overflow.signed.div)
  return 100 / (*f)(x);
}

int table_call(int i) {
  int (*table[1])(int) = {seven};
  //:: unknown(div-by-zero.div)
  //:: unknown(memory.unmodelled)
  //:: unknown(overflow.signed.div)
  return 100 / table[0](i);
}
