// prooflens-test: an enum's type is gcc's: unsigned int when no enumerator is negative, else int; enumerators are int when they fit
// functions: color_wraps (c-- wraps, no overflow), color_max, sign_dec (int), sign_add (overflow), color_sub (unsigned c - 1), color_param, red_minus, big_positive, big_not_negative, big_size, wide_size, wide_value (wider than int: unknown)
#include <assert.h>

enum Color { RED, GREEN, BLUE };
enum Sign { NEG = -1, ZERO, POS };
enum Big { SMALL = 0, BIG = 0x80000000u };
enum Wide { W1 = 0x100000000 };
int tbl[3] = {10, 20, 30};

void color_wraps(void) {
  enum Color c = RED;
  c--;
  //:: refuted(assert.violated)
  assert(c < 0); // c wraps to UINT_MAX
}

void color_max(void) {
  enum Color c = RED;
  c--;
  //:: proved(assert.violated)
  assert(c == 4294967295u);
}

void sign_dec(void) {
  enum Sign s = NEG;
  s--;
  //:: proved(assert.violated)
  assert(s < 0);
}

int sign_add(enum Sign s) {
  //:: refuted(overflow.signed.add)
  return s + 1; // e.g. s = INT_MAX
}

int color_sub(enum Color c) {
  if (c - 1 < 2)
    //:: proved(bounds.index)
    return tbl[c];
  return 0;
}

unsigned color_param(enum Color c) {
  //:: refuted(assert.violated)
  assert(c <= BLUE); // e.g. c = 3
  return c;
}

void red_minus(void) {
  //:: proved(assert.violated)
  assert(RED - 1 < 0);
}

void big_positive(void) {
  //:: proved(assert.violated)
  assert(BIG > 0);
}

void big_not_negative(void) {
  //:: refuted(assert.violated)
  assert(BIG < 0); // BIG is an unsigned int
}

void big_size(void) {
  //:: proved(assert.violated)
  assert(sizeof(enum Big) == 4);
}

void wide_size(void) {
  //:: unknown(assert.violated)
  assert(sizeof(enum Wide) == 8);
}

void wide_value(void) {
  //:: unknown(assert.violated)
  assert(W1 == 0x100000000);
}

int main(void) {
  color_max(); sign_dec(); red_minus(); big_positive(); big_size(); wide_size(); wide_value();
  return color_sub(BLUE) + sign_add(POS) - 31 + (int)color_param(GREEN) - 2;
}
