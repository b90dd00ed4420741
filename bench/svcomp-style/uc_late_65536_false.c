/* prooflens bench: the error needs 65537 loop iterations (and n > 65536).
 * property: unreach-call, expected: false (e.g. n = 65537) */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

int main(void) {
  int n = __VERIFIER_nondet_int();
  for (int i = 0; i < n; i++) {
    if (i == 65536) reach_error();
  }
  return 0;
}
