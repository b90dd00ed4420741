/* prooflens bench: the error is reachable only after 2^31 - 1 iterations.
 * property: unreach-call, expected: false (every run, after 2147483647 iterations) */
extern void reach_error(void);

int main(void) {
  int i = 0;
  while (i < 2147483647) i++;
  if (i == 2147483647) reach_error();
  return 0;
}
