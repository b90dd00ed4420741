// prooflens-test: structs with scalar fields (by value, local, field updates)
// functions: manhattan (bounded fields), manhattan_bad (INT_MAX + 1), move (local struct update)
// (the independent checker reads structs by value as its own kind of object only in memory: manhattan's proof is not certified, so unknown)
extern void __VERIFIER_assert(int cond);

struct point { int x; int y; };

int manhattan(struct point p) {
  if (p.x < 0 || p.y < 0 || p.x > 1000 || p.y > 1000) return 0;
  //:: unknown(overflow.signed.add)
  return p.x + p.y;
}

int manhattan_bad(struct point p) {
  if (p.x < 0 || p.y < 0) return 0;
  //:: refuted(overflow.signed.add)
  return p.x + p.y; // e.g. p = {INT_MAX, 1}
}

void move(void) {
  struct point p = {1, 2};
  p.x += 10;
  struct point q = p;
  q.y = q.x * 2;
  __VERIFIER_assert(p.x == 11 && p.y == 2 && q.y == 22);
}
