/* prooflens bench: walking toward 0 from either side (ranking function |x|).
 * property: termination, expected: true */
extern int __VERIFIER_nondet_int(void);

int main(void) {
  int x = __VERIFIER_nondet_int();
  while (x != 0) {
    if (x > 0) x--;
    else x++;
  }
  return 0;
}
