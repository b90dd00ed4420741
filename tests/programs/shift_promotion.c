// prooflens-test: shifts of char/short operands happen in int after integer promotion
// functions: char_shift, const_char_shift ((char)1 << 20 is fine), uchar_shift24, short_shift, ushort_shift, uchar_shift_u
int char_shift(char c) {
  if (c < 0) return 0;
  return c << 20; /* at most 127 << 20 */
}

int const_char_shift(void) {
  //:: proved(shift.overflow)
  return (char)1 << 20;
}

int uchar_shift24(unsigned char c) {
  //:: refuted(shift.overflow)
  return c << 24; // e.g. c = 128: 128 << 24 == 2^31 does not fit in int
}

int short_shift(short s) {
  if (s < 0) return 0;
  //:: proved(shift.overflow)
  return s << 16; /* 32767 << 16 == 2147418112 fits */
}

int ushort_shift(unsigned short s) {
  //:: refuted(shift.overflow)
  return s << 16; // e.g. s = 32768
}

unsigned uchar_shift_u(unsigned char c) {
  return (unsigned)c << 24;
}
