// prooflens-test: callers that rely on a callee's ensures (modular: the callee body is not inlined)
// functions: my_abs (contract), use_abs (proved thanks to ensures), use_abs_bad (ensures allows 0), bucket, use_bucket
#include <limits.h>

/*@ requires x > INT_MIN;
    ensures \result >= 0 && (\result == x || \result == -x); */
int my_abs(int x) { return x < 0 ? -x : x; }

int use_abs(int x) {
  if (x == INT_MIN) return 0;
  int a = my_abs(x);
  if (a < 1000)
    //:: proved(div-by-zero.div)
    return 100 / (a + 1);
  return 0;
}

int use_abs_bad(int x) {
  if (x == INT_MIN) return 0;
  int a = my_abs(x);
  //:: refuted(div-by-zero.div)
  return 100 / a; // e.g. x = 0
}

/*@ requires 0 <= n && n <= 100;
    ensures 0 <= \result && \result < 10; */
int bucket(int n) { return n / 11; }

void use_bucket(int n) {
  int counts[10] = {0};
  if (n < 0 || n > 100) return;
  //:: proved(bounds.index)
  counts[bucket(n)] = 1;
}
