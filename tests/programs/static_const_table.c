// prooflens-test: a const table keeps its initializer: no counterexample may rest on values it never holds
// functions: sbox_scaled (proved: entries are at most 100), sbox_scaled_bad (refuted through the real entry 100), mutable_table (not const: any value)
typedef unsigned char BYTE;
static const BYTE sbox[4] = {1, 2, 3, 100};
BYTE table[4] = {1, 2, 3, 4};

int sbox_scaled(unsigned i) {
  int v = sbox[i & 3];
  //:: proved(overflow.signed.mul)
  return v * 20000000;
}

int sbox_scaled_bad(unsigned i) {
  int v = sbox[i & 3];
  //:: refuted(overflow.signed.mul)
  return v * 30000000; // e.g. i = 3: 100 * 30000000
}

int mutable_table(unsigned i) {
  int v = table[i & 3];
  //:: refuted(overflow.signed.mul)
  return v * 20000000; // another function may have stored 255 there: e.g. table[0] = 255
}
