// prooflens-test: calls through function pointers are not resolved: dependent checks are unknown
// functions: seven, apply (f is a parameter), call_fp (f == seven, so the division is safe at run time)
static int seven(int x) { (void)x; return 7; }

int apply(int (*f)(int), int x) {
  //:: unknown(div-by-zero.div)
  return 100 / f(x);
}

int call_fp(int x) {
  int (*f)(int) = seven;
  //:: unknown(div-by-zero.div)
  return 100 / f(x);
}
