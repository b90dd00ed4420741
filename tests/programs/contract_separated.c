// prooflens-test: \separated in preconditions: pointer parameters of one type may alias unless the contract says they do not; a caller passing aliases violates it
// functions: set_both (separated: proved), set_both_alias (may alias: refuted), add_into (ranges apart: a loop stays proved), distinct_ok / same_twice (the precondition at call sites), copy_apart / copy_maybe_overlapping (memcpy between ranges the contract keeps apart, or not)
#include <string.h>

//:: proved(postcondition.violated)
/*@ requires \valid(a) && \valid(b) && \separated(a, b); ensures *a == 1 && *b == 2; */
void set_both(int *a, int *b) {
  *a = 1;
  *b = 2;
}

//:: refuted(postcondition.violated)
/*@ requires \valid(a) && \valid(b); ensures *a == 1; */
void set_both_alias(int *a, int *b) { // e.g. a == b
  *a = 1;
  *b = 2;
}

/*@ requires 0 < n && n <= 64 && \valid(dst + (0..n-1)) && \valid(src + (0..n-1)) &&
             \separated(dst + (0..n-1), src + (0..n-1)); */
void add_into(int *dst, const int *src, int n) {
  for (int i = 0; i < n; i++)
    dst[i] = (dst[i] & 0xffff) + (src[i] & 0xffff);
}

int distinct_ok(void) {
  int x = 0, y = 0;
  // memory handed to a contract: what the callee does with it is unknown here, its precondition is not
  //:: unknown(memory.unmodelled)
  //:: proved(precondition.violated)
  set_both(&x, &y);
  return x + y;
}

int same_twice(void) {
  int x = 0;
  //:: unknown(memory.unmodelled)
  //:: refuted(precondition.violated)
  set_both(&x, &x);
  return x;
}

/*@ requires 0 < n && n <= 32 && \valid(dst + (0..n-1)) && \valid(src + (0..n-1)) &&
             \separated(dst + (0..n-1), src + (0..n-1)); */
void copy_apart(unsigned char *dst, const unsigned char *src, int n) {
  //:: proved(memory.overlap)
  memcpy(dst, src, n);
}

/*@ requires 0 < n && n <= 32 && \valid(dst + (0..n-1)) && \valid(src + (0..n-1)); */
void copy_maybe_overlapping(unsigned char *dst, const unsigned char *src, int n) {
  //:: refuted(memory.overlap)
  memcpy(dst, src, n); // e.g. src == dst + 1, n = 2
}
