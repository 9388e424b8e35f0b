/*
 * alloc_count.c - counts heap allocations in the C bench programs (glibc).
 *
 * malloc & co. defined in the executable take precedence over libc's for
 * the whole process, so this file sees every allocation: the bench's own,
 * libbytes.so's, and the Rust code's linked in from libbytes.a (Rust's
 * System allocator calls malloc). They forward to glibc's __libc_*
 * entry points (the same idea as c-tests/alloc_count.c).
 *
 * What counts as one allocation: each successful malloc, calloc,
 * posix_memalign, aligned_alloc, memalign, and each realloc to a non-zero
 * size (counted as an allocation of its new size, moved or not), which is
 * what the Rust side's counting allocator counts too. Frees are not counted.
 *
 * Counting is on only while alloc_counting is set (one counted round per
 * measurement): the timed rounds and callgrind runs pay one relaxed load
 * and a branch per call, as the Rust side's allocator does.
 */
#include "alloc_count.h"

#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);

atomic_bool alloc_counting;
atomic_size_t alloc_calls;
atomic_size_t alloc_bytes;

/* Whether to count: a relaxed load, so that the timed rounds pay only that
 * and a branch before the tail call to glibc. */
static inline int counting(void)
{
    return atomic_load_explicit(&alloc_counting, memory_order_relaxed);
}

static void *note(void *p, size_t size)
{
    if (p != NULL) {
        atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&alloc_bytes, size, memory_order_relaxed);
    }
    return p;
}

void *malloc(size_t size)
{
    if (!counting())
        return __libc_malloc(size);
    return note(__libc_malloc(size), size);
}

void *calloc(size_t nmemb, size_t size)
{
    if (!counting())
        return __libc_calloc(nmemb, size);
    /* __libc_calloc fails on overflow, so the product is only used then. */
    return note(__libc_calloc(nmemb, size), nmemb * size);
}

void *realloc(void *ptr, size_t size)
{
    if (!counting() || (ptr != NULL && size == 0)) /* the latter is a free */
        return __libc_realloc(ptr, size);
    return note(__libc_realloc(ptr, size), size);
}

void free(void *ptr) { __libc_free(ptr); }

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 ||
        alignment % sizeof(void *) != 0)
        return EINVAL;
    void *p = __libc_memalign(alignment, size);
    if (counting())
        note(p, size);
    if (p == NULL)
        return ENOMEM;
    *memptr = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    void *p = __libc_memalign(alignment, size);
    return counting() ? note(p, size) : p;
}

void *memalign(size_t alignment, size_t size)
{
    void *p = __libc_memalign(alignment, size);
    return counting() ? note(p, size) : p;
}
