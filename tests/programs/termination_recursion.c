// prooflens-test: recursion termination (termination.recursion is on the line of the recursive call; each function is one line)
// (a recursion's decreasing measure has no certificate for the independent checker yet: unknown, never an unchecked tick)
// functions: countdown_rec (n decreases), gcd_rec (b decreases: a % b < b), spin_rec (same argument forever)
//:: unknown(termination.recursion)
void countdown_rec(int n) { if (n > 0) countdown_rec(n - 1); }

//:: unknown(termination.recursion)
int gcd_rec(int a, int b) { if (a <= 0 || b <= 0) return a; return gcd_rec(b, a % b); }

//:: refuted(termination.recursion)
void spin_rec(int n) { if (n > 0) spin_rec(n); } // e.g. n = 1
