// prooflens-test: a call through a function pointer: the pointer may be NULL or point to no function, and the callee is not known: the call is an unknown check (it was only havocked, and a NULL call showed a tick with 0 checks)
// functions: null_call, table_call
int twice(int n) {
  if (n > 1000 || n < -1000)
    return 0;
  return 2 * n;
}

int null_call(int n) {
  int (*q)(int) = 0;
  //:: unknown(memory.unmodelled)
  return q(n);
}

int table_call(int k, int n) {
  int (*table[1])(int) = {twice};
  if (k != 0)
    return 0;
  //:: unknown(memory.unmodelled)
  return table[k](n);
}
