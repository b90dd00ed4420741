/* prooflens bench: an int counter runs all the way to 2^31 - 1 without overflowing (i < INT_MAX before ++).
 * property: unreach-call, expected: true */
extern void reach_error(void);

int main(void) {
  int i = 0;
  while (i < 2147483647) i++;
  if (i != 2147483647) reach_error();
  return 0;
}
