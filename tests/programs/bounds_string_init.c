// prooflens-test: arrays sized by a string literal (C11 6.7.9p14, p22): the literal's bytes and its NUL give the size, so an index past it is caught
// functions: table_bad (a global table of 4 bytes read at i & 7), table (at i & 3), local_bad (a local copy of 4 bytes read at i & 7), local (at i & 3, and the NUL read back), padded (a size larger than the literal: zeros after it)
static const char T[] = "abc";

char table_bad(unsigned i) {
  //:: refuted(bounds.index)
  return T[i & 7];
}

char table(unsigned i) {
  return T[i & 3];
}

int local_bad(unsigned i) {
  char c[] = "abc";
  //:: refuted(bounds.index)
  return c[i & 7];
}

int local(unsigned i) {
  char c[] = "a\tc";
  int k = 10 / (1 + c[3]);
  return c[i & 3] + k;
}

int padded(void) {
  char c[8] = "ab";
  //:: refuted(div-by-zero.div)
  return 10 / c[5];
}
