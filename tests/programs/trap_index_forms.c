// prooflens-test: index forms beyond a[i] (C11 6.5.2.1p2: E1[E2] is *(E1 + E2), either operand may be the pointer); each had no check at all and read "proved"
// functions (the checker does not read i[p]: the null and freed checks stay unknown): swapped_index (i[a] is a[i]), swapped_store (i[p] = 5 through a pointer), literal_index (a compound literal indexed: not modelled), array_pointer_index ((&a)[0][i]: not modelled)
int swapped_index(int i) {
  int a[4] = {0};
  //:: refuted(bounds.index)
  return i[a]; // e.g. i = 4
}

void swapped_store(int *p, int i) {
  //:: refuted(memory.bounds)
  //:: unknown(memory.null)
  //:: unknown(memory.use-after-free)
  i[p] = 5; // e.g. i = -1 (p points to the start of its object)
}

int literal_index(int i) {
  //:: unknown(memory.unmodelled)
  return ((int[3]){1, 2, 3})[i];
}

int array_pointer_index(int i) {
  int a[4] = {0};
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  return (&a)[0][i];
}
