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
 */
#ifndef BYTES_TESTS_ALLOC_COUNT_H
#define BYTES_TESTS_ALLOC_COUNT_H

#include <stddef.h>

/* Whether this file's malloc is the one in use: not the case under
 * valgrind or a sanitizer, which replace malloc themselves. Prints why and
 * returns 0 if not. */
int alloc_count_active(void);

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

#endif /* BYTES_TESTS_ALLOC_COUNT_H */
