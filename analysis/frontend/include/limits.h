/* prooflens limits.h: exact values for the data model (-D__PL_LP64 or -D__PL_ILP32). */
#ifndef __PL_LIMITS_H
#define __PL_LIMITS_H
#include "__pl_types.h"
#define CHAR_BIT 8
#define MB_LEN_MAX 16
#define SCHAR_MIN (-128)
#define SCHAR_MAX 127
#define UCHAR_MAX 255
#ifdef __CHAR_UNSIGNED__
# define CHAR_MIN 0
# define CHAR_MAX 255
#else
# define CHAR_MIN (-128)
# define CHAR_MAX 127
#endif
#define SHRT_MIN (-32767 - 1)
#define SHRT_MAX 32767
#define USHRT_MAX 65535
#define INT_MIN (-2147483647 - 1)
#define INT_MAX 2147483647
#define UINT_MAX 4294967295U
#ifdef __PL_ILP32
# define LONG_MIN (-2147483647L - 1L)
# define LONG_MAX 2147483647L
# define ULONG_MAX 4294967295UL
# define LONG_BIT 32
#else
# define LONG_MIN (-9223372036854775807L - 1L)
# define LONG_MAX 9223372036854775807L
# define ULONG_MAX 18446744073709551615UL
# define LONG_BIT 64
#endif
#define WORD_BIT 32
#define LLONG_MIN (-9223372036854775807LL - 1LL)
#define LLONG_MAX 9223372036854775807LL
#define ULLONG_MAX 18446744073709551615ULL
#define SSIZE_MAX LONG_MAX
#define PATH_MAX 4096
#define NAME_MAX 255
#endif
