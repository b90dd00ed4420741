// prooflens-test: forward gotos out of loops and switches (the `goto fail;` cleanup idiom inside a loop) join the path at their label; a loop made of a backward goto to a label of its own block is a loop
// functions: find_zero, find_zero_bad, parse_digits, parse_digits_bad, count_until_neg, nested_break, classify, skip_spaces, count_down, count_down_bad, retry
#include <stdlib.h>
extern void __VERIFIER_assert(int cond);

// index of the first zero among a[0..n-1], or -1
int find_zero(const int *a, int n) {
  int i;
  for (i = 0; i < n; i++) {
    if (a[i] == 0) goto found;
  }
  return -1;
found:
  //:: proved(assert.violated)
  __VERIFIER_assert(i >= 0 && i < n);
  return i;
}

// the same search, but the code after the label forgets that the jump came from inside the loop
int find_zero_bad(const int *a, int n) {
  int i = 0;
  while (i < n) {
    if (a[i] == 0) goto found;
    i++;
  }
found:
  //:: refuted(assert.violated)
  __VERIFIER_assert(i < n); // e.g. n = 0: no jump, the loop ends with i == n
  return i;
}

// decimal digits into a heap copy; any other character fails and frees the copy
int parse_digits(const char *s, int n) {
  if (n <= 0 || n > 8) return -1;
  int *digits = malloc(sizeof(int) * (unsigned)n);
  if (!digits) return -1;
  int odd = 0;
  for (int i = 0; i < n; i++) {
    char c = s[i];
    if (c < '0' || c > '9') goto fail;
    digits[i] = c - '0';
    odd += digits[i] % 2;
  }
  free(digits);
  return odd;
fail:
  free(digits);
  return -1;
}

// the failure path jumps to the cleanup, and the cleanup frees twice
int parse_digits_bad(const char *s, int n) {
  if (n <= 0 || n > 8) return -1;
  int *digits = malloc(sizeof(int) * (unsigned)n);
  if (!digits) return -1;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') {
      free(digits);
      goto fail;
    }
    digits[i] = s[i] - '0';
  }
  free(digits);
  return 0;
fail:
  //:: refuted(memory.double-free)
  free(digits);
  return -1;
}

// counts the values before the first negative one, from either exit of the loop
int count_until_neg(const int *v, int n) {
  int count = 0;
  int i = 0;
  for (; i < n; i++) {
    if (v[i] < 0) goto done;
    count++;
  }
done:
  //:: proved(assert.violated)
  __VERIFIER_assert(count == i);
  return count;
}

// a jump out of two loops at once
int nested_break(int n) {
  if (n < 0 || n > 50) return -1;
  int i, j;
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++) {
      if (i * j == 12) goto out;
    }
  }
  return -1;
out:
  //:: proved(assert.violated)
  __VERIFIER_assert(i * j == 12 && i < n && j < n);
  return i + j;
}

// a jump out of a switch, which `break` cannot do
int classify(int c) {
  int kind = 0;
  switch (c) {
    case 1: kind = 10; goto end;
    case 2: kind = 20; break;
    default: kind = 30; break;
  }
  kind = kind + 1;
end:
  //:: proved(assert.violated)
  __VERIFIER_assert(kind == 10 || kind == 21 || kind == 31);
  return kind;
}

// a loop written with a backward goto: its precondition is inferred as for a while loop
int skip_spaces(const char *s, int n) {
  int i = 0;
again:
  if (i < n && s[i] == ' ') { i++; goto again; }
  return i;
}

int count_down(int n) {
  if (n < 0) return 0;
  int k = n;
  int steps = 0;
top:
  if (k > 0) {
    k--;
    steps++;
    goto top;
  }
  //:: proved(assert.violated)
  __VERIFIER_assert(steps == n);
  return steps;
}

int count_down_bad(int n) {
  if (n < 0) return 0;
  int k = n;
  int steps = 0;
top:
  if (k > 0) {
    k--;
    steps++;
    goto top;
  }
  //:: refuted(assert.violated)
  __VERIFIER_assert(steps < n); // n = 0
  return steps;
}

// a retry loop that gives up through a forward goto
int retry(int n) {
  int tries = 0;
  int x = n;
again:
  tries++;
  if (tries > 3) goto fail;
  x = x / 2;
  if (x > 10) goto again;
  return tries;
fail:
  //:: proved(assert.violated)
  __VERIFIER_assert(tries == 4);
  return -1;
}
