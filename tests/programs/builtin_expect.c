// prooflens-test: __builtin_expect (likely/unlikely) is its first argument: a hint to the compiler, nothing else (it was an unmodelled call)
// functions: guarded (proved), unguarded (refuted)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

int guarded(int x) {
  if (likely(x < 100))
    //:: proved(overflow.signed.add)
    return x + 1;
  return 0;
}

int unguarded(int x) {
  if (unlikely(x < -100))
    return 0;
  //:: refuted(overflow.signed.add)
  return x + 1; // e.g. x = INT_MAX
}
