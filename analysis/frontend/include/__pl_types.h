/* prooflens: types shared by our standard headers, sized for the data model.
 * -D__PL_LP64 (64-bit long and pointers) or -D__PL_ILP32 (32-bit) is passed by the front end. */
#ifndef __PL_TYPES_H
#define __PL_TYPES_H
#if !defined(__PL_LP64) && !defined(__PL_ILP32)
# if defined(__LP64__) || defined(_LP64)
#  define __PL_LP64 1
# else
#  define __PL_ILP32 1
# endif
#endif
#ifndef __PL_SIZE_T
#define __PL_SIZE_T
# ifdef __PL_ILP32
typedef unsigned int size_t;
# else
typedef unsigned long size_t;
# endif
#endif
#ifndef __PL_PTRDIFF_T
#define __PL_PTRDIFF_T
# ifdef __PL_ILP32
typedef int ptrdiff_t;
# else
typedef long ptrdiff_t;
# endif
#endif
#ifndef __PL_WCHAR_T
#define __PL_WCHAR_T
typedef int wchar_t;
#endif
#ifndef __PL_VA_LIST
#define __PL_VA_LIST
typedef char *__pl_va_list;
#endif
#ifndef NULL
# define NULL ((void *)0)
#endif
#endif
