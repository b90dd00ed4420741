// prooflens-test: an expression whose value depends on an evaluation order C leaves open (unspecified for calls, C11 6.5.2.2p10; undefined for unsequenced side effects, 6.5p2): the engine's left-to-right order is one of several, so nothing in the function is proved (gcc computes 4 and 5 where left to right gives 3 and 1)
// functions: set_g, add, call_arguments, call_operand, unsequenced_assignment, increment_twice, index_and_increment, sequenced (&&, comma and separate statements order their operands: proved), two_members (r.head = r.tail = 0 writes two members of one struct: no conflict, proved), one_member (s.a = s.a++ + 1 writes one member twice: unknown)
#include <assert.h>

int g;

int set_g(void) {
  g = 5;
  return 0;
}

int add(int a, int b) {
  if (a > 1000 || b > 1000 || a < -1000 || b < -1000)
    return 0;
  return a + b;
}

void call_arguments(void) {
  g = 1;
  int r = add(g, set_g());
  //:: unknown(assert.violated)
  assert(r == 1);
}

void call_operand(void) {
  g = 1;
  //:: unknown(overflow.signed.add)
  int r = g + set_g();
  //:: unknown(assert.violated)
  assert(r == 1);
}

int unsequenced_assignment(void) {
  int y = 1;
  //:: unknown(overflow.signed.add)
  int r = y + (y = 2);
  //:: unknown(assert.violated)
  assert(r == 3);
  return r;
}

int increment_twice(int y) {
  if (y > 1000 || y < 0)
    return 0;
  //:: unknown(overflow.signed.inc)
  //:: unknown(overflow.signed.add)
  return y++ + y++;
}

int index_and_increment(int i) {
  int a[4] = {0};
  if (i < 0 || i > 2)
    return 0;
  //:: unknown(bounds.index)
  //:: unknown(overflow.signed.inc)
  a[i] = i++;
  return i;
}

int sequenced(void) {
  int y = 1;
  int r = (y = 2, y + 1);
  int ok = y == 2 && (y = 3) == 3;
  g = 1;
  int s = set_g();
  //:: proved(assert.violated)
  assert(r == 3 && ok && y == 3 && g == 5 && s == 0);
  return r;
}

int next_g(void) {
  g = 1;
  return 1;
}

void compound_assignment(void) {
  g = 0;
  //:: unknown(overflow.signed.add)
  g += next_g(); // gcc calls next_g() first: g == 2; the engine read g first
  //:: unknown(assert.violated)
  assert(g == 2);
}

struct ring {
  int head;
  int tail;
};

int two_members(int v) {
  struct ring r;
  r.head = r.tail = v & 7;
  //:: proved(div-by-zero.div)
  return 100 / (r.head - r.tail + 1);
}

int one_member(int v) {
  struct ring s;
  s.head = v & 7;
  //:: unknown(overflow.signed.add)
  //:: unknown(overflow.signed.inc)
  s.head = s.head++ + 1;
  //:: unknown(div-by-zero.div)
  //:: unknown(overflow.signed.add)
  //:: unknown(overflow.signed.div)
  return 100 / (s.head + 1);
}
