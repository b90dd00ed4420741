// prooflens-test: recursion through another function gets a termination check too
// functions: ping/pong (never end for n != 0), odd/even (end: n drops by 2 per round)
int ping(unsigned n);
//:: refuted(termination.recursion)
int pong(unsigned n) { return ping(n); } // e.g. n = 1
//:: refuted(termination.recursion)
int ping(unsigned n) { if (n == 0) return 0; return pong(n); } // e.g. n = 1
int even(unsigned n);
//:: unknown(termination.recursion)
int odd(unsigned n) { if (n == 0) return 0; return even(n - 1); }
//:: unknown(termination.recursion)
int even(unsigned n) { if (n == 0) return 1; return odd(n - 1); }
