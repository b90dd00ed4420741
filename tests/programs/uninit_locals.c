// prooflens-test: a local declared without a value holds none a run can choose (a harness cannot set it; gcc leaves whatever the stack had): a violation resting on it is only possible; once assigned on a path, the value is real there
// functions: maybe_assigned (x unassigned when a <= 0), element_unassigned (buf[1] never written), member_unassigned (p.b never written), last_of_loop (unassigned when the loop runs zero times), assigned_both_ways (0 when a == 0: refuted), element_assigned (buf[1] = a - 1: refuted with a = 1), member_assigned (p.a: refuted), assigned_before_loop (0 when n <= 1: refuted), filled_prefix (b[n - 1] written by the loop: refuted with n = 4), never_zero (assigned a nonzero value on every path: proved), row_unassigned (a[1][1] of int a[2][2] never written, a[1][0] was), row_assigned (refuted with v = 1), copied_out (a struct with a member never assigned, copied through a pointer), copied_out_whole (every member assigned: refuted with a = 0), strlen_tail (strlen of an array with its tail never written), strlen_terminated (the NUL written: proved), strcmp_tail (strcmp of two arrays whose tails are never written), cell_written (a[i][j] of a 2-D array at the indices just written: refuted with v = 0), diagonal (a 4 x 4 array filled by two loops, a[k][3 - k] is 0: refuted), row_prefix (rows 0 .. n - 1 filled: m[n - 1][2] refuted with v = -2), member_array_filled (a member array filled by a loop: refuted with v = 3), member_array_partly (only slots[0] written: slots[k] unknown), member_array_outside (tag[3] of int tag[3]: out of bounds whatever it holds, refuted)
#include <string.h>

struct pair {
  int a;
  int b;
};

int maybe_assigned(int a) {
  int x;
  if (a > 0)
    x = a;
  //:: unknown(div-by-zero.div)
  return 100 / x;
}

int element_unassigned(int a) {
  int buf[4];
  buf[0] = a;
  //:: unknown(div-by-zero.div)
  return 100 / buf[1];
}

int member_unassigned(int a) {
  struct pair p;
  p.a = a;
  //:: unknown(div-by-zero.div)
  return 100 / p.b;
}

int last_of_loop(int n) {
  int last;
  for (int i = 0; i < n; i++)
    last = i + 1;
  //:: unknown(div-by-zero.div)
  return 100 / last; // n <= 0: last was never assigned
}

int assigned_both_ways(int a) {
  int x;
  if (a > 0)
    x = a;
  else
    x = 0;
  //:: refuted(div-by-zero.div)
  return 100 / x; // a = 0
}

int element_assigned(int a) {
  int buf[4];
  if (a < 0)
    return 0;
  buf[0] = a;
  buf[1] = a - 1; // (a >= 0: no overflow)
  //:: refuted(div-by-zero.div)
  return 100 / buf[1]; // a = 1
}

int member_assigned(int a) {
  struct pair p;
  p.a = a;
  //:: refuted(div-by-zero.div)
  return 100 / p.a; // a = 0
}

int assigned_before_loop(int n) {
  int last;
  last = 0;
  for (int i = 0; i < n && i < 50; i++)
    last = i;
  //:: refuted(div-by-zero.div)
  return 100 / last; // n <= 1
}

int filled_prefix(int n) {
  int b[8];
  if (n < 1 || n > 8)
    return 0;
  for (int i = 0; i < n; i++)
    b[i] = i - 3;
  //:: refuted(div-by-zero.div)
  return 100 / b[n - 1]; // n = 4: b[3] = 0
}

int never_zero(int a) {
  int x;
  if (a > 0)
    x = a;
  else
    x = 1;
  //:: proved(div-by-zero.div)
  return 100 / x;
}

int row_unassigned(int v) {
  int a[2][2];
  a[1][0] = v;
  //:: unknown(div-by-zero.div)
  return 100 / a[1][1]; // a[1][1] never written: the row's other element was
}

int row_assigned(int v) {
  int a[2][2];
  if (v < 0)
    return 0;
  a[1][0] = v;
  a[1][1] = v - 1;
  //:: refuted(div-by-zero.div)
  return 100 / a[1][1]; // v = 1
}

struct rec {
  char tag;
  int val;
  short s;
};

int copied_out(struct rec *out, int a) {
  struct rec r;
  r.tag = 1;
  r.val = a;
  *out = r;
  //:: unknown(div-by-zero.div)
  return 100 / out->s; // r.s never assigned
}

int copied_out_whole(struct rec *out, int a) {
  struct rec r;
  r.tag = 1;
  r.val = a;
  r.s = (short)(a & 7);
  *out = r;
  //:: refuted(div-by-zero.div)
  return 100 / out->s; // a = 0
}

int strlen_tail(int a) {
  char s[8];
  s[0] = 'a';
  s[1] = (char)a;
  //:: unknown(memory.string)
  return (int)strlen(s); // s[2..7] never written: a NUL among them is no run's, nor its absence
}

int strlen_terminated(int a) {
  char s[8];
  s[0] = 'a';
  s[1] = (char)(a | 1);
  s[2] = 0;
  //:: proved(memory.string)
  return (int)strlen(s);
}

int strcmp_tail(int a) {
  char s[4], t[4];
  s[0] = 'q';
  t[0] = 'q';
  s[1] = (char)a;
  t[1] = (char)a;
  //:: unknown(memory.string)
  return strcmp(s, t);
}

int cell_written(int i, int j, int v) {
  int a[3][3];
  if (i < 0 || i > 2 || j < 0 || j > 2)
    return 0;
  a[i][j] = v;
  a[2][2] = 1;
  //:: refuted(div-by-zero.div)
  return 100 / a[i][j]; // v = 0 (and (i, j) not (2, 2))
}

int diagonal(int k) {
  int a[4][4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      a[i][j] = i == j;
  if (k < 0 || k > 3)
    return 0;
  //:: refuted(div-by-zero.div)
  return 100 / a[k][3 - k]; // never on the diagonal
}

int row_prefix(int n, int v) {
  int m[3][5];
  if (n < 1 || n > 3 || v < -8 || v > 8)
    return 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < 5; j++)
      m[i][j] = v + j;
  //:: refuted(div-by-zero.div)
  return 100 / m[n - 1][2]; // v = -2
}

struct ring {
  int slots[4];
  int head;
};

int member_array_filled(int v) {
  struct ring r;
  if (v < -100 || v > 100)
    return 0;
  for (int i = 0; i < 4; i++)
    r.slots[i] = v - i;
  //:: refuted(div-by-zero.div)
  return 100 / r.slots[3]; // v = 3
}

int member_array_partly(int k) {
  struct ring r;
  r.slots[0] = 1;
  if (k < 0 || k > 3)
    return 0;
  //:: unknown(div-by-zero.div)
  return 100 / r.slots[k]; // slots[1 .. 3] never written
}

int member_array_outside(int k) {
  struct ring r;
  for (int i = 0; i < 4; i++)
    r.slots[i] = 1;
  if (k < 0 || k > 4)
    return 0;
  //:: refuted(bounds.index)
  return r.slots[k]; // k = 4
}
