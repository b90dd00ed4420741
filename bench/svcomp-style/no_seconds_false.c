/* prooflens bench: converting hours to seconds in int overflows above 596523 hours.
 * property: no-overflow, expected: false (e.g. hours = 1000000) */
extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int cond);

int main(void) {
  int hours = __VERIFIER_nondet_int();
  __VERIFIER_assume(hours >= 0 && hours <= 1000000);
  int minutes = hours * 60;
  int seconds = minutes * 60;
  return seconds > 0;
}
