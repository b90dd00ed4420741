/* prooflens stdbool.h (C99/C11): bool is _Bool. */
#ifndef __PL_STDBOOL_H
#define __PL_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
