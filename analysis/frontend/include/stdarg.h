/* prooflens stdarg.h: enough to parse variadic functions; the verifier does not model them
 * (va_start/va_arg become calls to unknown functions, i.e. "unknown"). */
#ifndef __PL_STDARG_H
#define __PL_STDARG_H
#include "__pl_types.h"
#ifndef __PL_VA_LIST_T
#define __PL_VA_LIST_T
typedef __pl_va_list va_list;
#endif
#define va_start(ap, last) __pl_va_start(&(ap))
#define va_arg(ap, type) (*(type *)__pl_va_arg(&(ap)))
#define va_end(ap) ((void)0)
#define va_copy(dst, src) ((dst) = (src))
#endif
