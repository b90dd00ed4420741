/* prooflens bench: a helper without contract clamps a nondet value; the caller relies on its range.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

static int clamp(int v, int lo, int hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

int main(void) {
  int table[11];
  int k = clamp(__VERIFIER_nondet_int(), 0, 10);
  table[k] = 1;
  if (k < 0 || k > 10) reach_error();
  if (table[k] != 1) reach_error();
  return 0;
}
