/* prooflens inttypes.h: stdint.h plus the format macros for the data model. */
#ifndef __PL_INTTYPES_H
#define __PL_INTTYPES_H
#include <stdint.h>
#ifdef __PL_ILP32
# define __PL_PRI64 "ll"
# define __PL_PRIPTR ""
#else
# define __PL_PRI64 "l"
# define __PL_PRIPTR "l"
#endif
#define PRId8 "d"
#define PRIi8 "i"
#define PRIu8 "u"
#define PRIx8 "x"
#define PRIX8 "X"
#define PRId16 "d"
#define PRIi16 "i"
#define PRIu16 "u"
#define PRIx16 "x"
#define PRIX16 "X"
#define PRId32 "d"
#define PRIi32 "i"
#define PRIu32 "u"
#define PRIx32 "x"
#define PRIX32 "X"
#define PRId64 __PL_PRI64 "d"
#define PRIi64 __PL_PRI64 "i"
#define PRIu64 __PL_PRI64 "u"
#define PRIx64 __PL_PRI64 "x"
#define PRIX64 __PL_PRI64 "X"
#define PRIdMAX __PL_PRI64 "d"
#define PRIuMAX __PL_PRI64 "u"
#define PRIdPTR __PL_PRIPTR "d"
#define PRIuPTR __PL_PRIPTR "u"
#define PRIxPTR __PL_PRIPTR "x"
#define SCNd32 "d"
#define SCNu32 "u"
#define SCNd64 __PL_PRI64 "d"
#define SCNu64 __PL_PRI64 "u"
typedef struct { intmax_t quot; intmax_t rem; } imaxdiv_t;
intmax_t imaxabs(intmax_t);
imaxdiv_t imaxdiv(intmax_t, intmax_t);
intmax_t strtoimax(const char *restrict, char **restrict, int);
uintmax_t strtoumax(const char *restrict, char **restrict, int);
#endif
