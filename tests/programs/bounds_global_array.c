// prooflens-test: a global array indexed by parameters (bounds checks, requires on the index)
// functions: lookup, lookup_bad (k may be negative or 10), store (requires 0 <= k < 10)
int table[10];

int lookup(int k) {
  if (k < 0 || k >= 10) return 0;
  //:: proved(bounds.index)
  return table[k];
}

int lookup_bad(int k) {
  if (k > 10) return 0;
  //:: refuted(bounds.index)
  return table[k]; // e.g. k = 10 or k = -1
}

/*@ requires 0 <= k && k < 10; */
void store(int k, int v) {
  //:: proved(bounds.index)
  table[k] = v;
}
