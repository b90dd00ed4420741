// prooflens-test: a written \valid_read grants reading only: a write through such a parameter is not covered by the precondition (a caller may pass a string literal), so it is unknown; \valid grants both
// functions: set2 (writes p[2] under \valid_read: unknown), set2w (the same under \valid: proved), get2 (reads under \valid_read: proved), copy4 (reads s, writes d: proved)
/*@ requires \valid_read(p + (0 .. 3)); */
void set2(char *p) {
  //:: unknown(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.use-after-free)
  p[2] = 'x'; // not covered: set2("abcd") writes a string literal
}

/*@ requires \valid(p + (0 .. 3)); */
void set2w(char *p) { p[2] = 'x'; }

/*@ requires \valid_read(p + (0 .. 3)); */
int get2(const char *p) { return p[2]; }

/*@ requires \valid_read(s + (0 .. 3)) && \valid(d + (0 .. 3)); */
void copy4(char *d, const char *s) { for (int i = 0; i < 4; i++) d[i] = s[i]; }

