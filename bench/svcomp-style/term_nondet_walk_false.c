/* prooflens bench: a nondet walk that may step back (never below 0) forever.
 * property: termination, expected: false (e.g. choices 1, 0, 1, 0, ...; or x = 0 and always 0) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int x = __VERIFIER_nondet_int();
  __VERIFIER_assume(x >= 0);
  while (x < 100) {
    if (__VERIFIER_nondet_int()) x++;
    else if (x > 0) x--;
  }
  return 0;
}
