// prooflens-test: a blank-separated tokenizer over s[0 .. len-1] that records where each word starts in starts[0 .. max-1]
// functions: tokenize_bad (the room check is one off: writes starts[max]), tokenize (fixed), first_words_bad / first_words (the start of at most 4 words, into a local array)
int tokenize_bad(const char *s, int len, int *starts, int max) {
  int count = 0;
  int in_word = 0;
  for (int i = 0; i < len; i++) {
    if (s[i] == ' ') {
      in_word = 0;
    } else if (!in_word) {
      if (count > max)
        return -1;
      starts[count] = i;
      count++;
      in_word = 1;
    }
  }
  return count;
}

int tokenize(const char *s, int len, int *starts, int max) {
  int count = 0;
  int in_word = 0;
  for (int i = 0; i < len; i++) {
    if (s[i] == ' ') {
      in_word = 0;
    } else if (!in_word) {
      if (count >= max)
        return -1;
      starts[count] = i;
      count++;
      in_word = 1;
    }
  }
  return count;
}

int first_words_bad(const char *s, int len) {
  int starts[4];
  //:: refuted(memory.bounds)
  int n = tokenize_bad(s, len, starts, 4); // e.g. s = "a b c d e", len = 9: starts[4]
  return n > 0 ? starts[n - 1] : -1;
}

int first_words(const char *s, int len) {
  int starts[4];
  int n = tokenize(s, len, starts, 4);
  return n > 0 ? starts[n - 1] : -1;
}
