// prooflens-test: C lets a char * and an int *, or a struct pointer and a pointer to one of its members' types, reach the same object (C11 6.5p7); the model gives each parameter its own object, so its precondition says so and call sites are checked against it
// functions: through_bytes (int * and char *), through_member (struct pair * and int *), same_type (aliasing of one type is modelled: refuted), caller_aliased (passes &x twice: the byte write is not modelled), caller_apart, written_apart (a written contract that says it)
#include <assert.h>

int through_bytes(int *a, char *b) {
  *a = 0;
  *b = 1;
  //:: proved(assert.violated)
  assert(*a == 0); // under a == \null || b == \null || \base_addr(a) != \base_addr(b)
  return 0;
}

struct pair { int first; int second; };

int through_member(struct pair *s, int *q) {
  s->first = 0;
  *q = 5;
  //:: proved(assert.violated)
  assert(s->first == 0);
  return 0;
}

int same_type(int *a, int *b) {
  *a = 0;
  *b = 1;
  //:: refuted(assert.violated)
  assert(*a == 0); // e.g. b == a: the same type's aliasing is modelled
  return 0;
}

int caller_aliased(void) {
  int x = 3;
  //:: unknown(memory.unmodelled)
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  return through_bytes(&x, (char *)&x);
}

int caller_apart(void) {
  int x = 3;
  char c = 0;
  return through_bytes(&x, &c);
}

/*@ requires \valid(a) && \valid(b) && \base_addr(a) != \base_addr(b); */
int written_apart(int *a, char *b) {
  *a = 0;
  *b = 1;
  //:: proved(assert.violated)
  assert(*a == 0);
  return 0;
}

int caller_of_written(void) {
  int x = 3;
  //:: unknown(precondition.violated)
  //:: unknown(memory.unmodelled)
  return written_apart(&x, (char *)&x); // one object, but \valid(b) of a char in an int is not modelled
}
