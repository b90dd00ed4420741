// prooflens-test: a toy 16-byte block cipher over byte arrays (xor with a rotating key, rotate each byte, add the left neighbour: not real cryptography) and a constant-time compare
// functions: encrypt_bad (the key index is not reduced modulo 16: key[16] from round 1 on), encrypt (fixed), ct_equal_bad (i <= n: reads a[n]), ct_equal (fixed)
#define ROUNDS 4

int encrypt_bad(unsigned char *block, int len, const unsigned char *key, int klen) {
  if (len != 16 || klen != 16)
    return -1;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < 16; i++) {
      //:: refuted(memory.bounds)
      unsigned char x = block[i] ^ key[i + r]; // e.g. r = 1, i = 15: key[16]
      block[i] = (unsigned char)(x << 1 | x >> 7);
    }
    for (int i = 1; i < 16; i++)
      block[i] = (unsigned char)(block[i] + block[i - 1]);
  }
  return 0;
}

int encrypt(unsigned char *block, int len, const unsigned char *key, int klen) {
  if (len != 16 || klen != 16)
    return -1;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < 16; i++) {
      //:: proved(memory.bounds)
      unsigned char x = block[i] ^ key[(i + r) % 16];
      block[i] = (unsigned char)(x << 1 | x >> 7);
    }
    for (int i = 1; i < 16; i++)
      block[i] = (unsigned char)(block[i] + block[i - 1]);
  }
  return 0;
}

int ct_equal_bad(const unsigned char *a, const unsigned char *b, int n) {
  unsigned char diff = 0;
  //:: unknown(overflow.signed.inc)
  for (int i = 0; i <= n; i++)
    //:: refuted(memory.bounds)
    diff |= a[i] ^ b[i]; // e.g. n = 0: a[0] of no element
  return diff == 0;
}

int ct_equal(const unsigned char *a, const unsigned char *b, int n) {
  unsigned char diff = 0;
  for (int i = 0; i < n; i++)
    //:: proved(memory.bounds)
    diff |= a[i] ^ b[i];
  return diff == 0;
}
