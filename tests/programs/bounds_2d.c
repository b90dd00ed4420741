// prooflens-test: two-dimensional arrays (both index checks of one access share a line and a status)
// functions: grid_ok, grid_bad (r == 3 and c == 4 both possible), diag (loop)
int grid_ok(int r, int c) {
  int g[3][4] = {{0}};
  if (r < 0 || r >= 3 || c < 0 || c >= 4) return 0;
  //:: proved(bounds.index)
  return g[r][c];
}

int grid_bad(int r, int c) {
  int g[3][4] = {{0}};
  if (r < 0 || r > 3 || c < 0 || c > 4) return 0;
  //:: refuted(bounds.index)
  return g[r][c]; // e.g. r = 3, c = 0 (row) or r = 0, c = 4 (column)
}

void diag(void) {
  int g[4][4];
  for (int i = 0; i < 4; i++)
    //:: proved(bounds.index)
    g[i][i] = 1;
}
