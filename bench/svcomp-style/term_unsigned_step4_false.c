/* prooflens bench: unsigned i += 4 only visits multiples of 4 (mod 2^32): it never equals 10.
 * property: termination, expected: false (every run) */
int main(void) {
  unsigned int i = 0;
  while (i != 10u) {
    i = i + 4u;
  }
  return 0;
}
