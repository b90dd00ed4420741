// prooflens-test: compound assignments (+= -= *= /= %= <<=) that can never overflow
// functions: compound_ops (requires small a, b), shl_assign (guarded left operand)
/*@ requires 0 <= a && a <= 1000 && 0 <= b && b <= 1000; */
int compound_ops(int a, int b) {
  int x = a;
  //:: proved(overflow.signed.add)
  x += b;      /* [0, 2000] */
  //:: proved(overflow.signed.sub)
  x -= 3000;   /* [-3000, -1000] */
  //:: proved(overflow.signed.mul)
  x *= 1000;   /* [-3000000, -1000000] */
  //:: proved(overflow.signed.div)
  x /= 7;
  //:: proved(overflow.signed.rem)
  x %= 1000;
  return x;
}

int shl_assign(int a) {
  if (a < 0 || a > 1000) return 0;
  //:: proved(shift.overflow)
  a <<= 20;    /* 1000 << 20 == 1048576000 */
  return a;
}
