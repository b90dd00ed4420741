// prooflens-test: a contract written on a prototype is that function's, not the next definition's: the replay harness of the function after it compiles and fails at its own line
// functions: after_prototype (refuted with x = 0: its harness once carried ext's requires, naming a p it does not have), same_name (p names its own parameter here: refuted with p = 0, replayed as the division, not as ext2's precondition)
/*@ requires \valid(p); */
void ext(int *p);

int after_prototype(int x) {
  //:: refuted(div-by-zero.div)
  return 100 / x;
}

/*@ requires p != 0; */
void ext2(int p);

int same_name(int p) {
  //:: refuted(div-by-zero.div)
  return 100 / p;
}
