/*
 * check_alloc.h - the checks of check.h that need alloc_count.h's counts.
 *
 * In a normal build each of these is exactly the check it spells out. In
 * the checker builds (BYTES_TEST_NO_ALLOC_COUNT: ASan/UBSan, TSan,
 * valgrind) nothing is counted, and these checks are skipped: the macros
 * accept any count and do not evaluate their condition; alloc_count_start()
 * has said so once. Every other check of a test still runs there. What
 * the skipped checks would catch, the checker catches itself: a block
 * never freed is a leak (LeakSanitizer, valgrind --leak-check=full), a
 * block freed twice or too early is a double free or a use after free.
 */
#ifndef BYTES_TESTS_CHECK_ALLOC_H
#define BYTES_TESTS_CHECK_ALLOC_H

#include "alloc_count.h"
#include "check.h"

/* Allocation counters at one moment; CHECK_DELTA(s, ...) counts since. */
struct counts {
    size_t allocs, frees, reallocs;
};
static inline struct counts now(void)
{
    struct counts c = {alloc_count_allocs(), alloc_count_frees(),
                       alloc_count_reallocs()};
    return c;
}

/* Exactly this many allocations, frees and reallocs since `since`. */
#define CHECK_DELTA3(since, n_allocs, n_frees, n_reallocs)                  \
    do {                                                                    \
        if (!alloc_count_available())                                       \
            break;                                                          \
        struct counts n_ = now();                                           \
        CHECK_EQ_SIZE(n_.allocs - (since).allocs, (n_allocs));              \
        CHECK_EQ_SIZE(n_.frees - (since).frees, (n_frees));                 \
        CHECK_EQ_SIZE(n_.reallocs - (since).reallocs, (n_reallocs));        \
    } while (0)
#define CHECK_DELTA(since, n_allocs, n_frees)                               \
    CHECK_DELTA3(since, n_allocs, n_frees, 0)

/* free() was called exactly n times on the watched block p. */
#define CHECK_FREED(p, n)                                                   \
    do {                                                                    \
        if (alloc_count_available())                                        \
            CHECK_EQ_SIZE(alloc_watch_freed(p), (n));                       \
    } while (0)

/* A check about counts or about the blocks alloc_count_last() names. */
#define CHECK_COUNTED(cond)                                                 \
    do {                                                                    \
        if (alloc_count_available())                                        \
            CHECK(cond);                                                    \
    } while (0)

#endif /* BYTES_TESTS_CHECK_ALLOC_H */
