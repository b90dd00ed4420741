// prooflens-test: inline assembly may change any variable it names: dependent checks are unknown (x stays 5)
// functions: asm_value
int asm_value(void) {
  int x = 5;
  //:: unknown(div-by-zero.div)
  __asm__ __volatile__("" : "+r"(x)); return 100 / x;
}
