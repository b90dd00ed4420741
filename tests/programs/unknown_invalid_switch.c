// prooflens-test: switches gcc rejects (a case value twice, even spelled differently; two defaults) are not C: unknown, never proved
// functions: twice, twice_converted, two_defaults, fine
int twice(int x) {
  switch (x) {
  case 1: return 10;
  //:: unknown(assert.violated)
  case 1: return 20;
  default: return 0;
  }
}

int twice_converted(int x) {
  switch (x) {
  case 'A': return 1;
  //:: unknown(assert.violated)
  case 65: return 2;
  }
  return 0;
}

int two_defaults(int x) {
  switch (x) {
  default: return 1;
  case 2: return 2;
  //:: unknown(assert.violated)
  default: return 3;
  }
}

int fine(int x) {
  switch (x) {
  case 1: return 10;
  case 2: return 20;
  default: return 0;
  }
}
