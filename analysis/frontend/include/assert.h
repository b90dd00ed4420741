/* prooflens assert.h.
 * assert(e) is deliberately NOT a macro: it stays the call `assert(e)` at its own line and
 * column, and the verifier treats a call to `assert` as the assertion (no declaration is
 * given so that the argument is never converted). With NDEBUG it vanishes, as in C.
 * Like the standard header, this one may be included again with a different NDEBUG. */
#undef assert
#ifdef NDEBUG
# define assert(e) ((void)0)
#endif
#ifndef static_assert
# define static_assert _Static_assert
#endif
