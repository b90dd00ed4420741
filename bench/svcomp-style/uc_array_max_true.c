/* prooflens bench: maximum of a nondet array, initialised with the first element; every element is <= max.
 * property: unreach-call, expected: true */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

int main(void) {
  int a[8];
  for (int i = 0; i < 8; i++) a[i] = __VERIFIER_nondet_int();
  int max = a[0];
  for (int i = 1; i < 8; i++) {
    if (a[i] > max) max = a[i];
  }
  for (int i = 0; i < 8; i++) {
    if (a[i] > max) reach_error();
  }
  return 0;
}
