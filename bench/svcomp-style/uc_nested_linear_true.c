/* prooflens bench: nested loops with constant bounds; k == 10 * i + j inside, 100 at the end.
 * property: unreach-call, expected: true */
extern void reach_error(void);

int main(void) {
  int k = 0;
  for (int i = 0; i < 10; i++) {
    for (int j = 0; j < 10; j++) {
      k++;
    }
  }
  if (k != 100) reach_error();
  return 0;
}
