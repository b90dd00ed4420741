// prooflens-test: a tiny JSON reader for a flat array of non-negative integers such as "[12,7,300]" in s[0 .. len-1], one character at a time
// functions: read_ints_bad (no room check for vals and no bound on a number's size), read_ints (fixed: -1 on too many values, a number over 9 digits, an empty number or another character), last_of_two_bad / last_of_two (read into a local array of 2)
int read_ints_bad(const char *s, int len, int *vals, int max) {
  int n = 0, v = 0;
  if (len < 2 || s[0] != '[' || s[len - 1] != ']')
    return -1;
  for (int i = 1; i < len - 1; i++) {
    //:: proved(memory.bounds)
    if (s[i] >= '0' && s[i] <= '9') {
      //:: refuted(overflow.signed.add)
      //:: refuted(overflow.signed.mul)
      v = v * 10 + (s[i] - '0'); // e.g. "[2147483648]"
    } else if (s[i] == ',') {
      //:: proved(memory.bounds)
      vals[n] = v; // e.g. s = "[1,2,3]", max = 1: vals[1]
      //:: proved(overflow.signed.inc)
      n++;
      v = 0;
    }
  }
  //:: proved(memory.bounds)
  vals[n] = v;
  //:: proved(overflow.signed.add)
  return n + 1;
}

int read_ints(const char *s, int len, int *vals, int max) {
  int n = 0, v = 0, digits = 0;
  if (len < 2 || s[0] != '[' || s[len - 1] != ']')
    return -1;
  for (int i = 1; i < len; i++) {
    //:: unknown(memory.bounds)
    if (s[i] >= '0' && s[i] <= '9') {
      if (v > 99999999)
        return -1;
      //:: unknown(overflow.signed.mul)
      v = v * 10 + (s[i] - '0');
      //:: unknown(overflow.signed.inc)
      digits++;
    } else if (s[i] == ',' || i == len - 1) {
      if (digits == 0 || n >= max)
        return -1;
      //:: unknown(memory.bounds)
      vals[n] = v;
      n++;
      v = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return n;
}

int last_of_two_bad(const char *s, int len) {
  int vals[2];
  //:: refuted(memory.bounds)
  int n = read_ints_bad(s, len, vals, 2); // e.g. s = "[1,2,3]", len = 7: vals[2]
  return n > 0 ? vals[n - 1] : -1;
}

int last_of_two(const char *s, int len) {
  int vals[2];
  //:: unknown(memory.bounds)
  int n = read_ints(s, len, vals, 2);
  //:: unknown(bounds.index)
  return n > 0 ? vals[n - 1] : -1;
}
