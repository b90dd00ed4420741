/* The three functions of the essay "automated reasoning", as written there,
 * plus its impossible program h in compilable form. */
#include <stdbool.h>

/*@ ensures \result == 1; */
bool f(unsigned int x, unsigned int y) {
   return (x+y == y+x);
}

void g(int x, int y) {
   if (y > 0)
      while (x > y)
         x = x - y;
}

void g2(int x, int y) {
   while (x > y)
      x = x - y;
}

extern bool terminates(void (*fn)(void));

void h(void) {
   if (terminates(h)) while (1) {}
}
