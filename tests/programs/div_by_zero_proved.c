// prooflens-test: / and % whose divisor is never zero (guards, odd divisor, contract)
// functions: div_guard, rem_guard, div_odd (x | 1 is never 0), avg (requires d >= 1)
int div_guard(int a, int b) {
  if (b != 0 && b != -1)
    //:: proved(div-by-zero.div)
    return a / b;
  return 0;
}

int rem_guard(int a, int b) {
  if (b > 0)
    //:: proved(div-by-zero.rem)
    return a % b;
  return 0;
}

int div_odd(unsigned x) {
  //:: proved(div-by-zero.div)
  return 100 / (int)(x | 1u); /* may be negative, never 0; 100 / -1 is fine */
}

/*@ requires d >= 1; */
int avg(int sum, int d) {
  //:: proved(div-by-zero.div)
  return sum / d;
}
