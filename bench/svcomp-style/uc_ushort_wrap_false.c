/* prooflens bench: an unsigned short counter wraps to 0 after 2^16 increments.
 * property: unreach-call, expected: false (every run, in iteration 65536) */
extern void reach_error(void);

int main(void) {
  unsigned short c = 0;
  for (int i = 0; i < 100000; i++) {
    c++;
    if (c == 0) reach_error();
  }
  return 0;
}
