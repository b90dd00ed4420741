/* prooflens bench: a counter that goes one past 2^31 - 1 (the loop test allows i == INT_MAX).
 * property: no-overflow, expected: false (every run, after 2^31 - 1 iterations) */
int main(void) {
  int i = 0;
  while (i >= 0) {
    i++;
  }
  return 0;
}
