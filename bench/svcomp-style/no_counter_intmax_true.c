/* prooflens bench: counting up to 2^31 - 1 never overflows (the test comes before the increment).
 * property: no-overflow, expected: true */
int main(void) {
  int i = 0;
  int steps = 0;
  while (i < 2147483647) {
    i++;
    if (steps < 1000) steps++;
  }
  return steps;
}
