/* prooflens bench: unsigned addition wraps (no UB): x + 1 < x happens for x == UINT_MAX.
 * property: unreach-call, expected: false (x = 4294967295) */
extern unsigned int __VERIFIER_nondet_uint(void);
extern void reach_error(void);

int main(void) {
  unsigned int x = __VERIFIER_nondet_uint();
  unsigned int y = x + 1u;
  if (y < x) reach_error();
  return 0;
}
