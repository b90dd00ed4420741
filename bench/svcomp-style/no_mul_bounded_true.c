/* prooflens bench: products of operands bounded by 46340 in absolute value fit in int.
 * property: no-overflow, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  int y = __VERIFIER_nondet_int();
  __VERIFIER_assume(x >= -46340 && x <= 46340 && y >= -46340 && y <= 46340);
  int p = x * y;
  int q = x * x - y * y;
  return (p > 0) + (q > 0);
}
