// prooflens-test: \valid grants writing: a string literal (read-only, C11 6.4.5p7) does not meet it, \valid_read it does
// functions: up3 (writes s[0] under \valid(s + (0 .. 2))), call_up3 (passes "abc": refuted, the run writes the literal), peek (reads under \valid_read), call_peek (passes "abc": proved)
/*@ requires \valid(s + (0 .. 2));
    assigns s[0 .. 2]; */
void up3(char *s) { s[0] = 'A'; }

int call_up3(void) {
  //:: refuted(precondition.violated)
  up3("abc");
  return 0;
}

/*@ requires \valid_read(s + (0 .. 2));
    assigns \nothing; */
int peek(const char *s) { return s[2]; }

int call_peek(void) {
  return peek("abc");
}
