// prooflens-test: a singly linked list of ints on the heap; a node's next field is a pointer stored in memory: where a loaded one points is not known, so what goes through it must be unknown, never proved, while the node a parameter points to is checked
// functions: push_front (a new head node), length, free_all_bad (reads n->next after free(n)), free_all (saves next before freeing)
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};

struct node *push_front(struct node *head, int value) {
  struct node *n = malloc(sizeof *n);
  if (n == NULL)
    return head;
  n->value = value;
  n->next = head;
  return n;
}

int length(const struct node *head) {
  int k = 0;
  //:: unknown(memory.null)
  //:: unknown(memory.bounds)
  //:: unknown(memory.use-after-free)
  //:: unknown(termination.loop)
  for (const struct node *n = head; n != NULL; n = n->next)
    //:: unknown(overflow.signed.inc)
    k++;
  return k;
}

void free_all_bad(struct node *head) {
  //:: refuted(memory.use-after-free)
  for (struct node *n = head; n != NULL; n = n->next) // e.g. a one-node list: n->next read after free(n)
    //:: unknown(memory.invalid-free)
    //:: unknown(memory.double-free)
    free(n);
}

void free_all(struct node *head) {
  struct node *n = head;
  //:: unknown(termination.loop)
  while (n != NULL) {
    //:: unknown(memory.null)
    //:: unknown(memory.bounds)
    //:: unknown(memory.use-after-free)
    struct node *next = n->next;
    //:: unknown(memory.invalid-free)
    //:: unknown(memory.double-free)
    free(n);
    n = next;
  }
}
