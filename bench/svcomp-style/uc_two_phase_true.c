/* prooflens bench: y starts counting once x passes 100; at the end y == 200 (disjunctive invariant).
 * property: unreach-call, expected: true */
extern void reach_error(void);

int main(void) {
  int x = 0;
  int y = 100;
  while (x < 200) {
    x++;
    if (x > 100) y++;
  }
  if (y != 200) reach_error();
  return 0;
}
