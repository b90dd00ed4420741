// prooflens-test: a singly linked list of ints on the heap; a node's next field is a pointer stored in memory, which the engine does not model, so what goes through it must be unknown (memory.unmodelled), never proved
// functions: push_front (a new head node), length, free_all_bad (reads n->next after free(n)), free_all (saves next before freeing)
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};

struct node *push_front(struct node *head, int value) {
  //:: unknown(memory.leak)
  struct node *n = malloc(sizeof *n);
  if (n == NULL)
    return head;
  //:: unknown(memory.unmodelled)
  n->value = value;
  //:: unknown(memory.unmodelled)
  n->next = head;
  return n;
}

int length(const struct node *head) {
  int k = 0;
  //:: unknown(memory.unmodelled)
  //:: unknown(termination.loop)
  for (const struct node *n = head; n != NULL; n = n->next)
    //:: unknown(overflow.signed.inc)
    k++;
  return k;
}

void free_all_bad(struct node *head) {
  //:: unknown(memory.unmodelled)
  //:: unknown(termination.loop)
  for (struct node *n = head; n != NULL; n = n->next) // e.g. a one-node list: n->next read after free(n)
    //:: unknown(memory.invalid-free)
    free(n);
}

void free_all(struct node *head) {
  struct node *n = head;
  //:: unknown(termination.loop)
  while (n != NULL) {
    //:: unknown(memory.unmodelled)
    struct node *next = n->next;
    //:: unknown(memory.invalid-free)
    free(n);
    n = next;
  }
}
