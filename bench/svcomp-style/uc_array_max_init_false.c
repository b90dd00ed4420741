/* prooflens bench: maximum initialised with 0 instead of a[0]: wrong when every element is negative.
 * property: unreach-call, expected: false (e.g. all elements -1) */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);

int main(void) {
  int a[6];
  for (int i = 0; i < 6; i++) a[i] = __VERIFIER_nondet_int();
  int max = 0;
  for (int i = 0; i < 6; i++) {
    if (a[i] > max) max = a[i];
  }
  int found = 0;
  for (int i = 0; i < 6; i++) {
    if (a[i] == max) found = 1;
  }
  if (!found) reach_error();
  return 0;
}
