// prooflens-test: abs, labs and llabs: the magnitude, undefined for the most negative value (C11 7.22.6.1p2); the call was unmodelled and a function with nothing else showed a tick
// functions: magnitude (abs(INT_MIN)), bounded (proved), after_abs (|x| + 1 overflows for INT_MAX), long_magnitude (labs, the minimum excluded), builtin_magnitude (__builtin_abs), widest_magnitude (llabs)
#include <stdlib.h>

int magnitude(int x) {
  //:: refuted(overflow.signed.neg)
  return abs(x); // e.g. x = INT_MIN
}

int bounded(int x) {
  if (x < -100 || x > 100)
    return 0;
  //:: proved(overflow.signed.neg)
  //:: proved(overflow.signed.add)
  return abs(x) + 1;
}

int after_abs(int x) {
  if (x < -100)
    return 0;
  int y = abs(x);
  //:: refuted(overflow.signed.add)
  return y + 1; // e.g. x = INT_MAX
}

long long_magnitude(long x) {
  if (x == -9223372036854775807L - 1)
    return 0;
  //:: proved(overflow.signed.neg)
  return labs(x);
}

int builtin_magnitude(int x) {
  //:: refuted(overflow.signed.neg)
  return __builtin_abs(x); // e.g. x = INT_MIN
}

long long widest_magnitude(long long x) {
  //:: refuted(overflow.signed.neg)
  return llabs(x); // e.g. x = LLONG_MIN
}
