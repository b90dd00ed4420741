// prooflens-test: loops that terminate for every input (ranking functions n - i, n, x - y, y - x)
// functions: count_up, count_down, g (the essay's g: y > 0 guard), gap (x < y, x++), both_pos
void count_up(int n) {
  //:: proved(termination.loop)
  for (int i = 0; i < n; i++) { }
}

void count_down(int n) {
  //:: proved(termination.loop)
  while (n > 0) n--;
}

void g(int x, int y) {
  if (y > 0)
    //:: proved(termination.loop)
    while (x > y)
      //:: proved(overflow.signed.sub)
      x = x - y;
}

void gap(int x, int y) {
  //:: proved(termination.loop)
  while (x < y) x++;
}

void both_pos(int x, int y) {
  //:: proved(termination.loop)
  while (x > 0 && y > 0) {
    if (x > y) x--; else y--;
  }
}
