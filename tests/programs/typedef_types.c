// prooflens-test: typedef'd integer and struct types keep their underlying semantics
// functions: span (i32 fields, proved), wrap_add (u32: wraps, no check), span_bad (lo = -1, hi = INT_MAX)
// (span: the independent checker does not take structs yet, so its proof is not certified: unknown)
typedef int i32;
typedef unsigned int u32;
typedef struct { i32 lo, hi; } range_t;

i32 span(range_t r) {
  if (r.lo > r.hi || r.lo < 0) return 0;
  //:: unknown(overflow.signed.sub)
  return r.hi - r.lo;
}

u32 wrap_add(u32 a, u32 b) {
  return a + b;
}

i32 span_bad(range_t r) {
  if (r.lo > r.hi) return 0;
  //:: refuted(overflow.signed.sub)
  return r.hi - r.lo; // e.g. lo = -1, hi = INT_MAX
}
