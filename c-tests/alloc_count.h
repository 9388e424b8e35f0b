/*
 * alloc_count.h - count heap allocations in a test process (glibc only).
 *
 * alloc_count.c defines malloc, calloc, realloc, free, posix_memalign,
 * aligned_alloc, memalign, valloc and pvalloc. Definitions in the executable
 * take precedence over libc's for the whole process, so every allocation
 * made by libbytes is seen here: by libbytes.so and equally by the Rust code
 * linked in from libbytes.a. They forward to glibc's __libc_* functions.
 *
 * Counts are process-wide: measure deltas around the calls under test.
 *
 * Checker builds (ASan/UBSan, TSan, valgrind) define
 * BYTES_TEST_NO_ALLOC_COUNT: the checker owns malloc there, so alloc_count.c
 * defines no allocation function at all and nothing is counted:
 * alloc_count_available() is false, the counters stay 0,
 * alloc_count_last() is NULL, alloc_watch() accepts any pointer and
 * alloc_watch_freed() is 0. The checks that need counts go through
 * check_alloc.h, which skips them then; the checker itself reports what they
 * would catch (leaks, double and invalid frees, use after free).
 */
#ifndef BYTES_TESTS_ALLOC_COUNT_H
#define BYTES_TESTS_ALLOC_COUNT_H

#include <stddef.h>

#ifdef BYTES_TEST_NO_ALLOC_COUNT
#define ALLOC_COUNT_AVAILABLE 0
#else
#define ALLOC_COUNT_AVAILABLE 1
#endif

/* Whether this build counts allocations: true normally, false in the
 * checker builds (BYTES_TEST_NO_ALLOC_COUNT). */
static inline int alloc_count_available(void) { return ALLOC_COUNT_AVAILABLE; }

/* Call once at the start of main(). Returns 1 when the test can go on:
 * this file's malloc is the one in use, or the build counts nothing (then
 * it prints "alloc counts skipped: ..." once). Returns 0, saying why, when
 * counting should work but malloc is not interposed (a normal build run
 * under valgrind, or with a sanitizer added by hand). */
int alloc_count_start(void);

/* Successful calls that returned a new block: malloc, calloc, the aligned
 * functions, and realloc(NULL, n). */
size_t alloc_count_allocs(void);
/* Calls of free() (or realloc(p, 0)) on a non-NULL pointer. */
size_t alloc_count_frees(void);
/* Calls of realloc() on a non-NULL pointer with a non-zero size. */
size_t alloc_count_reallocs(void);
/* The block returned by this thread's most recent allocation. */
void *alloc_count_last(void);

/* Watch one block: alloc_watch_freed(p) then tells how many times free()
 * was called on exactly p since alloc_watch(p). A handful of pointers can
 * be watched at once (ALLOC_WATCH_SLOTS); all of it is thread safe.
 * Once the allocator hands the address p out again, later frees of p are
 * about another block and are no longer counted. alloc_watch returns 0 if
 * every slot is taken. */
#define ALLOC_WATCH_SLOTS 16
int alloc_watch(void *p);
size_t alloc_watch_freed(void *p);
void alloc_unwatch(void *p);

/* ---- failure injection (test_alloc_failure.c) -------------------------
 *
 * alloc_fail_arm(n), n >= 1: the n-th allocation attempt this thread makes
 * from now on fails, as an exhausted allocator fails: malloc, calloc,
 * realloc, aligned_alloc, memalign, valloc and pvalloc return NULL with
 * errno ENOMEM, posix_memalign returns ENOMEM; nothing is allocated, and
 * a failed realloc leaves its block as it was. Each call of any of them
 * is one attempt (realloc(p, 0), which frees, is none). Only that one
 * attempt fails: the ones after it succeed again. Other threads are not
 * affected. alloc_fail_disarm() stops counting and failing;
 * alloc_fail_attempts() is the number of attempts since arming (up to the
 * disarm), alloc_fail_fired() whether the armed one has failed.
 *
 * In the checker builds (BYTES_TEST_NO_ALLOC_COUNT) there is no
 * interposer: arming does nothing, attempts stay 0, nothing ever fails.
 * Test with alloc_count_available() first.
 */
void alloc_fail_arm(size_t n);
void alloc_fail_disarm(void);
size_t alloc_fail_attempts(void);
int alloc_fail_fired(void);

#endif /* BYTES_TESTS_ALLOC_COUNT_H */
