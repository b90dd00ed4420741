// prooflens-test: nested for loops (each loop has its own termination check)
// functions: matrix_zero (4 x 5), triangle (j < i), matrix_bad (rows <= 5, cols <= 6: each index can be the first to go out)
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

void matrix_bad(int rows, int cols) {
  int m[4][5];
  if (rows < 0 || rows > 5 || cols < 0 || cols > 6) return;
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++)
      //:: refuted(bounds.index)
      m[i][j] = 0; // e.g. rows = 5, cols = 1 (row 4) or rows = 1, cols = 6 (column 5)
}
