// prooflens-test: widening casts sign-extend signed values and zero-extend unsigned ones; (_Bool)x is x != 0; char constants are ints
// functions: widen_signed, widen_unsigned, widen_bad (int -1 becomes ULONG_MAX), to_bool, to_bool_bad, char_constant, char_constant_bad, uchar_index, schar_index_bad
extern void __VERIFIER_assert(int cond);

void widen_signed(int x) {
  if (x >= 0) return;
  unsigned long a = (unsigned long)x;
  unsigned long b = (unsigned long)(unsigned)x;
  //:: proved(assert.violated)
  __VERIFIER_assert(a > 18446744069414584319UL && b <= 4294967295UL && a - b == 18446744069414584320UL);
}

void widen_unsigned(unsigned u) {
  long l = (long)u;
  long long ll = u;
  //:: proved(assert.violated)
  __VERIFIER_assert(l >= 0 && l == ll && l <= 4294967295L);
}

void widen_bad(int x) {
  unsigned long a = (unsigned long)x;
  //:: refuted(assert.violated)
  __VERIFIER_assert(a <= 4294967295UL); // e.g. x = -1: sign extension gives ULONG_MAX
}

void to_bool(int x) {
  _Bool b = (_Bool)x;
  unsigned char c = (unsigned char)x;
  if (x == 256)
    //:: proved(assert.violated)
    __VERIFIER_assert(b == 1 && c == 0);
}

void to_bool_bad(int x) {
  _Bool b = x;
  //:: refuted(assert.violated)
  __VERIFIER_assert(b == (x & 1)); // e.g. x = 2: b == 1
}

void char_constant(void) {
  //:: proved(assert.violated)
  __VERIFIER_assert('\377' == -1 && sizeof('a') == sizeof(int) && 'a' == 97);
}

void char_constant_bad(void) {
  //:: refuted(assert.violated)
  __VERIFIER_assert('\xff' == 255); // always fails: '\xff' is the int -1 (plain char is signed)
}

int uchar_index(int x) {
  int t[256] = {0};
  //:: proved(bounds.index)
  return t[(unsigned char)x];
}

int schar_index_bad(int x) {
  int t[256] = {0};
  //:: refuted(bounds.index)
  return t[(signed char)x]; // e.g. x = 128: (signed char)128 == -128
}
