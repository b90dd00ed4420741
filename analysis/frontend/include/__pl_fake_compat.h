/* prooflens: force-included (only) when a pycparser-fake-libc header is reached.
 * fake-libc declares every type as int and INT_MIN without parentheses; defining its guards
 * here first makes our correct definitions win, whatever the order of the #includes. */
#ifndef __PL_FAKE_COMPAT_H
#define __PL_FAKE_COMPAT_H
#define _FAKE_TYPEDEFS_H
#define _FAKE_DEFINES_H
#include "__pl_types.h"
#include "stddef.h"
#include "stdint.h"
#include "stdbool.h"
#include "limits.h"
#include "stdarg.h"
#ifndef __PL_FILE
#define __PL_FILE
typedef struct __pl_FILE FILE;
#endif
/* the rest of fake-libc's typedefs (which fake-libc declares all as int), each with its glibc type
 * on x86-64 (LP64) and i386 (ILP32); a type that is not an integer or pointer type the engine models
 * is an incomplete struct, so that any use of it is unsupported (never silently an int) */
typedef __pl_va_list __gnuc_va_list;
typedef signed char __int8_t;
typedef unsigned char __uint8_t;
typedef short __int16_t;
typedef unsigned short __uint16_t;
typedef short __int_least16_t;
typedef unsigned short __uint_least16_t;
typedef int __int32_t;
typedef unsigned int __uint32_t;
#ifdef __PL_ILP32
typedef long long __int64_t;
#else
typedef long __int64_t;
#endif
#ifdef __PL_ILP32
typedef unsigned long long __uint64_t;
#else
typedef unsigned long __uint64_t;
#endif
typedef int __int_least32_t;
typedef unsigned int __uint_least32_t;
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef struct __pl_unsupported__LOCK_T _LOCK_T;
typedef struct __pl_unsupported__LOCK_RECURSIVE_T _LOCK_RECURSIVE_T;
typedef struct __pl_unsupported__off_t _off_t;
#ifdef __PL_ILP32
typedef unsigned long long __dev_t;
#else
typedef unsigned long __dev_t;
#endif
typedef unsigned int __uid_t;
typedef unsigned int __gid_t;
typedef long long _off64_t;
typedef struct __pl_unsupported__fpos_t _fpos_t;
#ifdef __PL_ILP32
typedef int _ssize_t;
#else
typedef long _ssize_t;
#endif
typedef unsigned int wint_t;
typedef struct __pl_unsupported__mbstate_t _mbstate_t;
typedef struct __pl_unsupported__flock_t _flock_t;
typedef struct __pl_unsupported__iconv_t _iconv_t;
typedef struct __pl_unsupported___ULong __ULong;
typedef struct __pl_unsupported___FILE __FILE;
typedef unsigned short char16_t;
typedef unsigned int char32_t;
typedef long __off_t;
typedef int __pid_t;
#ifdef __PL_ILP32
typedef long long __loff_t;
#else
typedef long __loff_t;
#endif
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef int daddr_t;
typedef char * caddr_t;
typedef unsigned long ino_t;
#ifdef __PL_ILP32
typedef unsigned long long dev_t;
#else
typedef unsigned long dev_t;
#endif
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef int pid_t;
typedef int key_t;
typedef unsigned int mode_t;
#ifdef __PL_ILP32
typedef unsigned int nlink_t;
#else
typedef unsigned long nlink_t;
#endif
typedef long fd_mask;
typedef struct __pl_unsupported__types_fd_set _types_fd_set;
typedef int clockid_t;
typedef void * timer_t;
typedef unsigned int useconds_t;
typedef long suseconds_t;
typedef struct __pl_unsupported_cookie_read_function_t cookie_read_function_t;
typedef struct __pl_unsupported_cookie_write_function_t cookie_write_function_t;
typedef struct __pl_unsupported_cookie_seek_function_t cookie_seek_function_t;
typedef struct __pl_unsupported_cookie_close_function_t cookie_close_function_t;
typedef struct __pl_unsupported_cookie_io_functions_t cookie_io_functions_t;
typedef struct __pl_unsupported_sigset_t sigset_t;
typedef struct __pl_unsupported___sigset_t __sigset_t;
typedef struct __pl_unsupported__sig_func_ptr _sig_func_ptr;
typedef int sig_atomic_t;
typedef struct __pl_unsupported___tzrule_type __tzrule_type;
typedef struct __pl_unsupported___tzinfo_type __tzinfo_type;
typedef struct __pl_unsupported_mbstate_t mbstate_t;
typedef struct __pl_unsupported_sem_t sem_t;
typedef unsigned long pthread_t;
typedef struct __pl_unsupported_pthread_attr_t pthread_attr_t;
typedef struct __pl_unsupported_pthread_mutex_t pthread_mutex_t;
typedef struct __pl_unsupported_pthread_mutexattr_t pthread_mutexattr_t;
typedef struct __pl_unsupported_pthread_cond_t pthread_cond_t;
typedef struct __pl_unsupported_pthread_condattr_t pthread_condattr_t;
typedef unsigned int pthread_key_t;
typedef int pthread_once_t;
typedef struct __pl_unsupported_pthread_rwlock_t pthread_rwlock_t;
typedef struct __pl_unsupported_pthread_rwlockattr_t pthread_rwlockattr_t;
typedef struct __pl_unsupported_pthread_spinlock_t pthread_spinlock_t;
typedef struct __pl_unsupported_pthread_barrier_t pthread_barrier_t;
typedef struct __pl_unsupported_pthread_barrierattr_t pthread_barrierattr_t;
typedef struct __pl_unsupported_jmp_buf jmp_buf;
typedef unsigned long rlim_t;
typedef unsigned short sa_family_t;
typedef struct __pl_unsupported_sigjmp_buf sigjmp_buf;
typedef struct __pl_unsupported_stack_t stack_t;
typedef struct __pl_unsupported_siginfo_t siginfo_t;
typedef struct __pl_unsupported_z_stream z_stream;
typedef struct __pl_unsupported_ssize_t ssize_t;
typedef unsigned long ulong;
typedef struct { int quot; int rem; } div_t;
typedef struct { long quot; long rem; } ldiv_t;
typedef struct { long long quot; long long rem; } lldiv_t;
typedef struct __pl_unsupported_fpos_t fpos_t; /* glibc: a struct */
#ifdef __PL_ILP32
typedef int ssize_t;
#else
typedef long ssize_t;
#endif
typedef long off_t;
typedef long time_t;
typedef long clock_t;
/* C11 stdatomic.h types */
typedef _Atomic(_Bool)              atomic_bool;
typedef _Atomic(char)               atomic_char;
typedef _Atomic(signed char)        atomic_schar;
typedef _Atomic(unsigned char)      atomic_uchar;
typedef _Atomic(short)              atomic_short;
typedef _Atomic(unsigned short)     atomic_ushort;
typedef _Atomic(int)                atomic_int;
typedef _Atomic(unsigned int)       atomic_uint;
typedef _Atomic(long)               atomic_long;
typedef _Atomic(unsigned long)      atomic_ulong;
typedef _Atomic(long long)          atomic_llong;
typedef _Atomic(unsigned long long) atomic_ullong;
typedef _Atomic(uint_least16_t)     atomic_char16_t;
typedef _Atomic(uint_least32_t)     atomic_char32_t;
typedef _Atomic(wchar_t)            atomic_wchar_t;
typedef _Atomic(int_least8_t)       atomic_int_least8_t;
typedef _Atomic(uint_least8_t)      atomic_uint_least8_t;
typedef _Atomic(int_least16_t)      atomic_int_least16_t;
typedef _Atomic(uint_least16_t)     atomic_uint_least16_t;
typedef _Atomic(int_least32_t)      atomic_int_least32_t;
typedef _Atomic(uint_least32_t)     atomic_uint_least32_t;
typedef _Atomic(int_least64_t)      atomic_int_least64_t;
typedef _Atomic(uint_least64_t)     atomic_uint_least64_t;
typedef _Atomic(int_fast8_t)        atomic_int_fast8_t;
typedef _Atomic(uint_fast8_t)       atomic_uint_fast8_t;
typedef _Atomic(int_fast16_t)       atomic_int_fast16_t;
typedef _Atomic(uint_fast16_t)      atomic_uint_fast16_t;
typedef _Atomic(int_fast32_t)       atomic_int_fast32_t;
typedef _Atomic(uint_fast32_t)      atomic_uint_fast32_t;
typedef _Atomic(int_fast64_t)       atomic_int_fast64_t;
typedef _Atomic(uint_fast64_t)      atomic_uint_fast64_t;
typedef _Atomic(intptr_t)           atomic_intptr_t;
typedef _Atomic(uintptr_t)          atomic_uintptr_t;
typedef _Atomic(size_t)             atomic_size_t;
typedef _Atomic(ptrdiff_t)          atomic_ptrdiff_t;
typedef _Atomic(intmax_t)           atomic_intmax_t;
typedef _Atomic(uintmax_t)          atomic_uintmax_t;
typedef struct atomic_flag { atomic_bool _Value; } atomic_flag;
typedef enum memory_order {
  memory_order_relaxed,
  memory_order_consume,
  memory_order_acquire,
  memory_order_release,
  memory_order_acq_rel,
  memory_order_seq_cst
} memory_order;
/* fake-libc's other defines (limits, bool, NULL, stdio/stdlib constants come from our headers) */
#define __LITTLE_ENDIAN 1234
#define LITTLE_ENDIAN __LITTLE_ENDIAN
#define __BIG_ENDIAN 4321
#define BIG_ENDIAN __BIG_ENDIAN
#define __BYTE_ORDER __LITTLE_ENDIAN
#define BYTE_ORDER __BYTE_ORDER
#define __m128 int
#define __m128_u int
#define __m128d int
#define __m128d_u int
#define __m128i int
#define __m128i_u int
#define __m256 int
#define __m256_u int
#define __m256d int
#define __m256d_u int
#define __m256i int
#define __m256i_u int
#define __m512 int
#define __m512_u int
#define __m512d int
#define __m512d_u int
#define __m512i int
#define __m512i_u int
#define __noreturn_is_defined 1
#define noreturn _Noreturn
#define thread_local _Thread_local
#define ATOMIC_BOOL_LOCK_FREE 0
#define ATOMIC_CHAR_LOCK_FREE 0
#define ATOMIC_CHAR16_T_LOCK_FREE 0
#define ATOMIC_CHAR32_T_LOCK_FREE 0
#define ATOMIC_WCHAR_T_LOCK_FREE 0
#define ATOMIC_SHORT_LOCK_FREE 0
#define ATOMIC_INT_LOCK_FREE 0
#define ATOMIC_LONG_LOCK_FREE 0
#define ATOMIC_LLONG_LOCK_FREE 0
#define ATOMIC_POINTER_LOCK_FREE 0
#define ATOMIC_VAR_INIT(value) (value)
#define ATOMIC_FLAG_INIT { 0 }
#define kill_dependency(y) (y)
#define alignas _Alignas
#define alignof _Alignof
#define __alignas_is_defined 1
#define __alignof_is_defined 1
#endif
