/* prooflens stdint.h: exact-width types and limits for the data model. */
#ifndef __PL_STDINT_H
#define __PL_STDINT_H
#include "__pl_types.h"
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef signed char int_least8_t;
typedef short int_least16_t;
typedef int int_least32_t;
typedef unsigned char uint_least8_t;
typedef unsigned short uint_least16_t;
typedef unsigned int uint_least32_t;
typedef signed char int_fast8_t;
typedef unsigned char uint_fast8_t;
#ifdef __PL_ILP32
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef long long int_least64_t;
typedef unsigned long long uint_least64_t;
typedef int int_fast16_t;
typedef int int_fast32_t;
typedef long long int_fast64_t;
typedef unsigned int uint_fast16_t;
typedef unsigned int uint_fast32_t;
typedef unsigned long long uint_fast64_t;
typedef int intptr_t;
typedef unsigned int uintptr_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;
# define __PL_I64(c) c ## LL
# define __PL_U64(c) c ## ULL
# define INTPTR_MIN (-2147483647 - 1)
# define INTPTR_MAX 2147483647
# define UINTPTR_MAX 4294967295U
# define PTRDIFF_MIN (-2147483647 - 1)
# define PTRDIFF_MAX 2147483647
# define SIZE_MAX 4294967295U
# define INT_FAST16_MIN (-2147483647 - 1)
# define INT_FAST16_MAX 2147483647
# define UINT_FAST16_MAX 4294967295U
# define INT_FAST32_MIN (-2147483647 - 1)
# define INT_FAST32_MAX 2147483647
# define UINT_FAST32_MAX 4294967295U
#else
typedef long int64_t;
typedef unsigned long uint64_t;
typedef long int_least64_t;
typedef unsigned long uint_least64_t;
typedef long int_fast16_t;
typedef long int_fast32_t;
typedef long int_fast64_t;
typedef unsigned long uint_fast16_t;
typedef unsigned long uint_fast32_t;
typedef unsigned long uint_fast64_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef long intmax_t;
typedef unsigned long uintmax_t;
# define __PL_I64(c) c ## L
# define __PL_U64(c) c ## UL
# define INTPTR_MIN (-9223372036854775807L - 1)
# define INTPTR_MAX 9223372036854775807L
# define UINTPTR_MAX 18446744073709551615UL
# define PTRDIFF_MIN (-9223372036854775807L - 1)
# define PTRDIFF_MAX 9223372036854775807L
# define SIZE_MAX 18446744073709551615UL
# define INT_FAST16_MIN (-9223372036854775807L - 1)
# define INT_FAST16_MAX 9223372036854775807L
# define UINT_FAST16_MAX 18446744073709551615UL
# define INT_FAST32_MIN (-9223372036854775807L - 1)
# define INT_FAST32_MAX 9223372036854775807L
# define UINT_FAST32_MAX 18446744073709551615UL
#endif
#define INT8_MIN (-128)
#define INT8_MAX 127
#define UINT8_MAX 255
#define INT16_MIN (-32767 - 1)
#define INT16_MAX 32767
#define UINT16_MAX 65535
#define INT32_MIN (-2147483647 - 1)
#define INT32_MAX 2147483647
#define UINT32_MAX 4294967295U
#define INT64_MIN (-__PL_I64(9223372036854775807) - 1)
#define INT64_MAX __PL_I64(9223372036854775807)
#define UINT64_MAX __PL_U64(18446744073709551615)
#define INT_LEAST8_MIN INT8_MIN
#define INT_LEAST8_MAX INT8_MAX
#define UINT_LEAST8_MAX UINT8_MAX
#define INT_LEAST16_MIN INT16_MIN
#define INT_LEAST16_MAX INT16_MAX
#define UINT_LEAST16_MAX UINT16_MAX
#define INT_LEAST32_MIN INT32_MIN
#define INT_LEAST32_MAX INT32_MAX
#define UINT_LEAST32_MAX UINT32_MAX
#define INT_LEAST64_MIN INT64_MIN
#define INT_LEAST64_MAX INT64_MAX
#define UINT_LEAST64_MAX UINT64_MAX
#define INT_FAST8_MIN INT8_MIN
#define INT_FAST8_MAX INT8_MAX
#define UINT_FAST8_MAX UINT8_MAX
#define INT_FAST64_MIN INT64_MIN
#define INT_FAST64_MAX INT64_MAX
#define UINT_FAST64_MAX UINT64_MAX
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX
#define SIG_ATOMIC_MIN INT32_MIN
#define SIG_ATOMIC_MAX INT32_MAX
#define WCHAR_MIN INT32_MIN
#define WCHAR_MAX INT32_MAX
#define WINT_MIN 0U
#define WINT_MAX UINT32_MAX
#define INT8_C(c) c
#define INT16_C(c) c
#define INT32_C(c) c
#define INT64_C(c) __PL_I64(c)
#define UINT8_C(c) c
#define UINT16_C(c) c
#define UINT32_C(c) c ## U
#define UINT64_C(c) __PL_U64(c)
#define INTMAX_C(c) __PL_I64(c)
#define UINTMAX_C(c) __PL_U64(c)
#endif
