/* prooflens bench: a countdown over an unsigned long index with i >= 0 as the test: always true.
 * property: termination, expected: false (every run) */
extern unsigned long __VERIFIER_nondet_ulong(void);

int main(void) {
  unsigned long n = __VERIFIER_nondet_ulong();
  unsigned long visited = 0;
  for (unsigned long i = n; i >= 0; i--) {
    visited++;
  }
  return visited > 0;
}
