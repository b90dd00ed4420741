// prooflens-test: base64 encoding of whole 3-byte groups into a caller's buffer of cap bytes (-1 when the text does not fit)
// functions: symbol (a 6-bit value as its base64 character), encode_bad (the length check forgets the NUL: writes out[cap] when the text fills the buffer exactly), encode (fixed)
char symbol(unsigned v) {
  v &= 63;
  if (v < 26)
    return (char)('A' + v);
  if (v < 52)
    return (char)('a' + (v - 26));
  if (v < 62)
    return (char)('0' + (v - 52));
  return v == 62 ? '+' : '/';
}

int encode_bad(const unsigned char *in, int n, char *out, int cap) {
  if (n < 0 || n > 3000)
    return -1;
  int groups = n / 3;
  if (4 * groups > cap)
    return -1;
  for (int g = 0; g < groups; g++) {
    //:: proved(memory.bounds)
    //:: proved(overflow.signed.mul)
    unsigned v = (unsigned)in[3 * g] << 16 | (unsigned)in[3 * g + 1] << 8 | in[3 * g + 2];
    //:: proved(memory.bounds)
    //:: proved(overflow.signed.mul)
    out[4 * g] = symbol(v >> 18);
    out[4 * g + 1] = symbol(v >> 12);
    out[4 * g + 2] = symbol(v >> 6);
    out[4 * g + 3] = symbol(v);
  }
  //:: refuted(memory.bounds)
  out[4 * groups] = 0; // e.g. n = 3, cap = 4: out[4]
  return 4 * groups;
}

int encode(const unsigned char *in, int n, char *out, int cap) {
  if (n < 0 || n > 3000)
    return -1;
  int groups = n / 3;
  if (4 * groups >= cap)
    return -1;
  for (int g = 0; g < groups; g++) {
    unsigned v = (unsigned)in[3 * g] << 16 | (unsigned)in[3 * g + 1] << 8 | in[3 * g + 2];
    out[4 * g] = symbol(v >> 18);
    out[4 * g + 1] = symbol(v >> 12);
    out[4 * g + 2] = symbol(v >> 6);
    //:: proved(memory.bounds)
    out[4 * g + 3] = symbol(v);
  }
  //:: proved(memory.bounds)
  out[4 * groups] = 0;
  return 4 * groups;
}
