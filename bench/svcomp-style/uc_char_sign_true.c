/* prooflens bench: plain char is signed (x86 gcc): values above 127 become negative when stored in a char.
 * property: unreach-call, expected: true */
extern unsigned char __VERIFIER_nondet_uchar(void);
extern void reach_error(void);

int main(void) {
  unsigned char u = __VERIFIER_nondet_uchar();
  char c = (char)u;
  if (u > 127 && c >= 0) reach_error();
  if (u <= 127 && c != u) reach_error();
  if (c + 256 * (c < 0) != u) reach_error();
  return 0;
}
