// prooflens-test: the C library models: <ctype.h> (argument domain, "C"-locale classes, a true class is only non-zero), strcmp/strncmp/memcmp (the walk to the first difference), strchr, strcpy/strncpy (bounds, overlap, zero padding) and realloc (the first elements kept, the old block freed, a failure keeps it)
// functions: digit_value (isdigit of a plain char) / digit_value_fixed; digit_index (a class bounds an index) / alnum_index_bad; alpha_is_one_bad (glibc's isalpha returns 1024, not 1); upper_letter (toupper); is_quit (strcmp with a parameter: proved under valid_read_string); tag_bad (strcmp of an unterminated array) / tag_differs (it differs before the end); verb (strncmp stops after n); order_index (strcmp's sign) ; mem_equal_bad (memcmp past a short array); value_after (strchr points into the string) / find_bad (strchr may return NULL); copy_word / copy_long_bad / copy_overlap_bad; pad_copy (strncpy pads with zeros) / pad_copy_bad; grow (realloc keeps the first elements) / grow_stale_bad (the old pointer after realloc) / grow_unchecked_bad (realloc may fail)
// The string functions' proofs are certified: the independent checker has its own byte-level models of them.
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int digit_value(char c) {
  //:: refuted(library.ctype-domain)
  return isdigit(c) ? c - '0' : -1; // e.g. c = -23 ('\xe9'): neither EOF nor an unsigned char
}

int digit_value_fixed(char c) {
  return isdigit((unsigned char)c) ? c - '0' : -1;
}

int digit_index(int c) {
  static const int weight[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  if (c < 0 || c > 255)
    return 0;
  if (isdigit(c))
    return weight[c - '0'];
  return 0;
}

int alnum_index_bad(int c) {
  const int weight[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  if (c < 0 || c > 255)
    return 0;
  if (isalnum(c))
    //:: refuted(bounds.index)
    return weight[c - '0']; // e.g. c = 'A': index 17
  return 0;
}

void alpha_is_one_bad(void) {
  //:: refuted(assert.violated)
  assert(isalpha('q') == 1); // glibc returns its table's bit (1024)
}

int upper_letter(void) {
  char word[4] = "abc";
  int u = toupper(word[1]);
  assert(u == 'B');
  assert(tolower('Q') == 'q' && tolower('7') == '7' && toupper(200) == 200);
  return u;
}

int is_quit(const char *cmd) {
  return strcmp(cmd, "quit") == 0;
}

int tag_bad(void) {
  char tag[3] = {'a', 'b', 'c'};
  //:: refuted(memory.string)
  return strcmp(tag, "abc"); // the walk reads tag[3]: no NUL inside
}

int tag_differs(void) {
  char tag[3] = {'a', 'x', 'c'};
  return strcmp(tag, "abc"); // it stops at tag[1]: no terminator needed
}

int verb(void) {
  char line[3] = {'G', 'E', 'T'};
  return strncmp(line, "GET /", 3) == 0;
}

int order_index(void) {
  char a[4] = "abd";
  int slot[2] = {0, 1};
  int r = strcmp(a, "abc");
  return slot[r > 0];
}

int mem_equal_bad(void) {
  char a[4] = "abc", b[3] = "ab";
  //:: refuted(memory.bounds)
  return memcmp(a, b, 4) == 0; // b has 3 bytes
}

char value_after(void) {
  char pair[8] = "key=val";
  char *eq = strchr(pair, '=');
  if (eq == NULL)
    return 0;
  return eq[1];
}

char find_bad(void) {
  char pair[8] = "key=val";
  char *colon = strchr(pair, ':');
  //:: refuted(memory.null)
  return *colon; // strchr returns NULL: no ':'
}

char copy_word(void) {
  char buf[8];
  strcpy(buf, "hello");
  return buf[5];
}

char copy_long_bad(void) {
  char buf[4];
  //:: refuted(memory.bounds)
  strcpy(buf, "hello"); // 6 bytes into 4
  return buf[0];
}

char copy_overlap_bad(void) {
  char buf[8] = "abc";
  //:: refuted(memory.overlap)
  strcpy(buf + 1, buf); // source and destination overlap
  return buf[0];
}

char pad_copy(void) {
  char buf[6];
  strncpy(buf, "ab", sizeof buf);
  assert(buf[5] == 0 && buf[1] == 'b');
  return buf[5];
}

char pad_copy_bad(void) {
  char buf[4];
  //:: refuted(memory.bounds)
  strncpy(buf, "ab", 5); // pads 5 bytes into 4
  return buf[0];
}

int grow(void) {
  int *p = malloc(2 * sizeof *p);
  if (p == NULL)
    return 0;
  p[1] = 7;
  int *q = realloc(p, 4 * sizeof *q);
  if (q == NULL) {
    free(p);
    return 0;
  }
  int v = 70 / q[1]; // q[1] is p[1]: 7
  free(q);
  return v;
}

int grow_stale_bad(void) {
  int *p = malloc(2 * sizeof *p);
  if (p == NULL)
    return 0;
  int *q = realloc(p, 4 * sizeof *q);
  if (q == NULL) {
    free(p);
    return 0;
  }
  //:: refuted(memory.use-after-free)
  int v = p[0]; // p was freed by the successful realloc
  free(q);
  return v;
}

int grow_unchecked_bad(void) {
  int *p = malloc(2 * sizeof *p);
  if (p == NULL)
    return 0;
  int *q = realloc(p, 4 * sizeof *q);
  //:: refuted(memory.null)
  q[3] = 1; // realloc may fail (and then p is still allocated)
  free(q);
  return 0;
}
