// prooflens-test: a call nested deeper than the inline depth (3 activations of one function, or 12 calls) has its effect havocked, but its own checks are not made: no proof rests on dropping them; the top function's own recursion, with no pointer parameter, is still proved for every input
// functions: sum_to (refuted: reads a[n]), total5 (sum_to's off-by-one reads a[5] six calls down: unknown, was proved), fill (writes a[i] for i < n), use_fill (fill's writes reach a[7] below the cut: unknown, was proved with a[7] still 5), quotient (its own recursion, integers only: 1000 / n proved), c1 .. c12 (a chain of twelve calls: deep_chain's write is below the cut: unknown, was "proved, 0 checks")
static int sum_to(const int *a, int i, int n) {
  if (i > n || n > 100)
    return 0;
  //:: refuted(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.use-after-free)
  int here = a[i]; // off by one: a[n] is read
  //:: refuted(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.use-after-free)
  //:: unknown(overflow.signed.add)
  //:: unknown(termination.recursion)
  int rest = sum_to(a, i + 1, n);
  return here ^ rest;
}

int total5(void) {
  int a[5] = {1, 2, 3, 4, 5};
  //:: unknown(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.unmodelled)
  return sum_to(a, 0, 5);
}

void fill(int *a, int i, int n) {
  if (i >= n)
    return;
  //:: refuted(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.use-after-free)
  a[i] = 0;
  //:: unknown(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.use-after-free)
  //:: unknown(overflow.signed.add)
  //:: unknown(termination.recursion)
  fill(a, i + 1, n);
}

int use_fill(void) {
  int a[8];
  //:: unknown(bounds.index)
  a[7] = 5;
  //:: unknown(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.unmodelled)
  fill(a, 0, 8);
  //:: unknown(bounds.index)
  //:: unknown(div-by-zero.div)
  //:: unknown(overflow.signed.div)
  return 100 / a[7]; // 0: fill wrote it, eight calls down
}

int quotient(int n) {
  if (n <= 0 || n > 1000)
    return 0;
  int q = 1000 / n;
  //:: unknown(termination.recursion)
  quotient(n - 1);
  return q;
}

//:: refuted(memory.bounds)
static void c12(int *p) { p[1] = 0; }
//:: refuted(memory.bounds)
static void c11(int *p) { c12(p); }
//:: refuted(memory.bounds)
static void c10(int *p) { c11(p); }
//:: refuted(memory.bounds)
static void c9(int *p) { c10(p); }
//:: refuted(memory.bounds)
static void c8(int *p) { c9(p); }
//:: refuted(memory.bounds)
static void c7(int *p) { c8(p); }
//:: refuted(memory.bounds)
static void c6(int *p) { c7(p); }
//:: refuted(memory.bounds)
static void c5(int *p) { c6(p); }
//:: refuted(memory.bounds)
static void c4(int *p) { c5(p); }
//:: refuted(memory.bounds)
static void c3(int *p) { c4(p); }
//:: refuted(memory.bounds)
static void c2(int *p) { c3(p); }
//:: refuted(memory.bounds)
static void c1(int *p) { c2(p); }

int deep_chain(void) {
  int x[1];
  //:: unknown(memory.unmodelled)
  c1(x); // c12 writes x[1]: out of bounds, twelve calls down
  //:: unknown(bounds.index)
  return x[0];
}
