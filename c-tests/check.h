/*
 * check.h - the few assertion helpers the libbytes C tests share.
 *
 * No framework: a failed check prints file:line and the expression to stderr
 * and exits with status 1, which is what ctest looks at. Each test's main()
 * ends with CHECK_DONE(), which prints "<file>: N checks passed".
 *
 * Compiles as C11 and as C++17 (test_header.cpp uses it too).
 */
#ifndef BYTES_TESTS_CHECK_H
#define BYTES_TESTS_CHECK_H

#include "bytes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether no allocation of n bytes can succeed, so that a test may expect
 * BYTES_ERR_NOMEM for it. From PTRDIFF_MAX up no storage can exist (its
 * header does not fit either): the library refuses those sizes by
 * arithmetic, before allocating. On 64-bit targets no address space holds
 * SIZE_MAX / 4 bytes either; on 32-bit ones 1 or 2 GiB may well be
 * allocated, and tests skip those sizes there. */
static inline int unallocatable(size_t n)
{
    return n >= (size_t)PTRDIFF_MAX || (sizeof(size_t) >= 8 && n >= SIZE_MAX / 4);
}

/* Number of checks that ran (and passed: a failing check exits). Only the
 * main thread may touch it; see test_threads.c for checks on other threads. */
static unsigned long check_count;

#define CHECK(cond)                                                         \
    do {                                                                    \
        check_count++;                                                      \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define CHECK_EQ_SIZE(a, b)                                                 \
    do {                                                                    \
        size_t check_a_ = (size_t)(a), check_b_ = (size_t)(b);              \
        check_count++;                                                      \
        if (check_a_ != check_b_) {                                         \
            fprintf(stderr, "%s:%d: CHECK_EQ_SIZE failed: %s == %s "       \
                    "(%zu != %zu)\n", __FILE__, __LINE__, #a, #b,           \
                    check_a_, check_b_);                                    \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

/* CHECK_STATUS(bytes_slice(&b, 0, 9, &out), BYTES_ERR_RANGE) */
#define CHECK_STATUS(expr, want)                                            \
    do {                                                                    \
        bytes_status_t check_got_ = (expr);                                 \
        bytes_status_t check_want_ = (want);                                \
        check_count++;                                                      \
        if (check_got_ != check_want_) {                                    \
            fprintf(stderr, "%s:%d: CHECK_STATUS failed: %s\n"              \
                    "    got      %d (%s)\n    expected %d (%s)\n",         \
                    __FILE__, __LINE__, #expr, (int)check_got_,             \
                    bytes_status_str(check_got_), (int)check_want_,         \
                    bytes_status_str(check_want_));                         \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS((expr), BYTES_OK)

/* The handle holds exactly these bytes (compares contents, not pointers). */
#define CHECK_BYTES(h, str, n)                                              \
    do {                                                                    \
        CHECK_EQ_SIZE(bytes_len(h), (n));                                   \
        CHECK(memcmp(bytes_ptr(h), (str), (n)) == 0);                       \
    } while (0)

/* Rule 6: an empty handle has length 0 and a non-NULL data pointer. */
#define expect_empty(h) expect_empty_at((h), __FILE__, __LINE__)
static inline void expect_empty_at(const bytes_t *b, const char *file, int line)
{
    check_count += 3;
    if (bytes_len(b) != 0 || bytes_ptr(b) == NULL || !bytes_is_empty(b)) {
        fprintf(stderr, "%s:%d: expect_empty failed: len=%zu ptr=%p "
                "is_empty=%d\n", file, line, bytes_len(b),
                (const void *)bytes_ptr(b), (int)bytes_is_empty(b));
        exit(1);
    }
}

/* True when every byte of the handle is zero: the state bytes_new() returns
 * and every out-parameter is left in after an error (rule 4). */
static inline int is_zero_handle(const bytes_t *b)
{
    static const unsigned char zero[sizeof(bytes_t)] = {0};
    return memcmp(b, zero, sizeof(bytes_t)) == 0;
}
#define CHECK_ZERO(h) CHECK(is_zero_handle(h))

/* Fill an out-parameter with garbage before a call: out-parameters are
 * write-only, so the library must neither read nor drop what was there. */
#define GARBAGE(h) memset(&(h), 0xA5, sizeof(bytes_t))

/* Rule 4, "errors change nothing": SNAP(h) takes a bitwise copy of handle h
 * before a failing call, CHECK_UNCHANGED(h) compares with it afterwards.
 * One SNAP per handle per block scope. */
#define SNAP(h)                                                             \
    bytes_t snap_##h;                                                       \
    memcpy(&snap_##h, &(h), sizeof(bytes_t))
#define CHECK_UNCHANGED(h) CHECK(memcmp(&snap_##h, &(h), sizeof(bytes_t)) == 0)

/* Print the summary line with the file's base name. */
#define CHECK_DONE()                                                        \
    do {                                                                    \
        const char *check_f_ = strrchr(__FILE__, '/');                      \
        printf("%s: %lu checks passed\n",                                   \
               check_f_ ? check_f_ + 1 : __FILE__, check_count);            \
    } while (0)

#endif /* BYTES_TESTS_CHECK_H */
