// prooflens-test: do-while loops (body runs at least once); termination.loop is located on the `do` line
// functions: countdown (c + n == n0), do_once, triple (u * 3 never reaches 0 for odd u)
extern void __VERIFIER_assert(int cond);

int countdown(int n) {
  if (n < 1 || n > 100) return 0;
  int c = 0;
  //:: proved(termination.loop)
  do {
    n--;
    c++;
  } while (n > 0);
  //:: proved(assert.violated)
  __VERIFIER_assert(c >= 1 && c <= 100);
  return c;
}

void do_once(int x) {
  int i = 0;
  do { i++; } while (x > 100 && i < 5);
  //:: proved(assert.violated)
  __VERIFIER_assert(i >= 1 && i <= 5);
}

void triple(unsigned u) {
  //:: refuted(termination.loop)
  do { u = u * 3u; } while (u != 0u); // e.g. u = 1: odd forever
}
