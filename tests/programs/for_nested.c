// prooflens-test: nested for loops (each loop has its own termination check)
// functions: matrix_zero (4 x 5), triangle (j < i), matrix_bad (i <= 4, j <= 5: both indices may be out)
void matrix_zero(void) {
  int m[4][5];
  //:: proved(termination.loop)
  for (int i = 0; i < 4; i++)
    //:: proved(termination.loop)
    for (int j = 0; j < 5; j++)
      //:: proved(bounds.index)
      m[i][j] = 0;
}

int triangle(int n) {
  if (n < 0 || n > 100) return 0;
  int last = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      //:: proved(overflow.signed.add)
      last = i + j;
  return last;
}

void matrix_bad(void) {
  int m[4][5];
  for (int i = 0; i <= 4; i++)
    for (int j = 0; j <= 5; j++)
      //:: refuted(bounds.index)
      m[i][j] = 0; // always: j = 5 (column) and i = 4 (row)
}
