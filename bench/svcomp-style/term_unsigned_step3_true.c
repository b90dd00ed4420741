/* prooflens bench: unsigned i += 3 wraps around and hits 10 after 2863311534 steps (3 is invertible mod 2^32).
 * property: termination, expected: true */
int main(void) {
  unsigned int i = 0;
  while (i != 10u) {
    i = i + 3u;
  }
  return 0;
}
