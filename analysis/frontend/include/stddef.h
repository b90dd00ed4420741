/* prooflens stddef.h. offsetof(type, member) is left as written: pycparser parses it. */
#ifndef __PL_STDDEF_H
#define __PL_STDDEF_H
#include "__pl_types.h"
#ifndef __PL_MAX_ALIGN_T
#define __PL_MAX_ALIGN_T
typedef struct { long long __pl_ll; long double __pl_ld; } max_align_t;
#endif
#endif
