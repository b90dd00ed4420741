// prooflens-test: plain char is signed on x86 gcc: (char)200 == -56
// functions: plain_char, plain_char_bad, uchar, char_index (c >= 0), char_index_bad (t[c] with c < 0)
extern void __VERIFIER_assert(int cond);

void plain_char(void) {
  char c = (char)200;
  //:: proved(assert.violated)
  __VERIFIER_assert(c < 0 && c == -56);
}

void plain_char_bad(void) {
  char c = (char)200;
  //:: refuted(assert.violated)
  __VERIFIER_assert(c == 200); // always fails: c == -56
}

void uchar(void) {
  unsigned char u = 200;
  //:: proved(assert.violated)
  __VERIFIER_assert(u == 200);
}

int char_index(char c) {
  int t[128] = {0};
  if (c >= 0)
    //:: proved(bounds.index)
    return t[c];
  return 0;
}

int char_index_bad(char c) {
  int t[256] = {0};
  //:: refuted(bounds.index)
  return t[c]; // e.g. c = -1
}
