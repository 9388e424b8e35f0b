/*
 * check_mut.h - the helpers of check.h, for bytes_mut_t handles.
 *
 * check.h's CHECK_ZERO, GARBAGE, SNAP and CHECK_UNCHANGED are typed for
 * bytes_t; these are the same checks for the growable handle, with the same
 * meaning (see check.h): all-zero is the empty buffer without storage, and
 * rule 4 compares handles bit for bit.
 */
#ifndef BYTES_TESTS_CHECK_MUT_H
#define BYTES_TESTS_CHECK_MUT_H

#include "check.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* True when every byte of the buffer handle is zero: bytes_mut_new(),
 * and every bytes_mut_t out-parameter after an error (rule 4). */
static inline int is_zero_mut(const bytes_mut_t *m)
{
    static const unsigned char zero[sizeof(bytes_mut_t)] = {0};
    return memcmp(m, zero, sizeof(bytes_mut_t)) == 0;
}
#define CHECK_MUT_ZERO(m) CHECK(is_zero_mut(m))

/* Garbage in a bytes_mut_t out-parameter before a call. */
#define GARBAGE_MUT(m) memset(&(m), 0xA5, sizeof(bytes_mut_t))

/* Rule 4 for buffers: SNAP_MUT(m) before a failing call, then
 * CHECK_MUT_UNCHANGED(m). One SNAP_MUT per handle per block scope. */
#define SNAP_MUT(m)                                                         \
    bytes_mut_t snap_mut_##m;                                               \
    memcpy(&snap_mut_##m, &(m), sizeof(bytes_mut_t))
#define CHECK_MUT_UNCHANGED(m)                                              \
    CHECK(memcmp(&snap_mut_##m, &(m), sizeof(bytes_mut_t)) == 0)

/* The buffer's written bytes are exactly these. */
#define CHECK_MUT_BYTES(m, str, n)                                          \
    do {                                                                    \
        CHECK_EQ_SIZE(bytes_mut_len(m), (n));                               \
        CHECK(memcmp(bytes_mut_ptr(m), (str), (n)) == 0);                   \
    } while (0)

/* Rule 6 for buffers: no written bytes, a non-NULL pointer. */
#define expect_mut_empty(m) expect_mut_empty_at((m), __FILE__, __LINE__)
static inline void expect_mut_empty_at(bytes_mut_t *m, const char *file,
                                       int line)
{
    check_count += 2;
    if (bytes_mut_len(m) != 0 || bytes_mut_ptr(m) == NULL) {
        fprintf(stderr, "%s:%d: expect_mut_empty failed: len=%zu ptr=%p\n",
                file, line, bytes_mut_len(m), (void *)bytes_mut_ptr(m));
        exit(1);
    }
}

/* Whether the buffer holds exactly len bytes seed, seed + 1, ... (mod 256):
 * the pattern the tests fill buffers with. */
static inline int holds_pattern(bytes_mut_t *m, size_t len, uint8_t seed)
{
    if (bytes_mut_len(m) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (bytes_mut_ptr(m)[i] != (uint8_t)(seed + i))
            return 0;
    return 1;
}

/* A buffer of capacity `cap` holding the first `len` bytes of a repeating
 * 0..255 pattern starting at `seed` (check_mut.h's holds_pattern checks
 * it). */
static inline bytes_mut_t filled(size_t cap, size_t len, uint8_t seed)
{
    bytes_mut_t m;
    CHECK(len <= cap);
    CHECK_OK(bytes_mut_with_capacity(cap, &m));
    for (size_t i = 0; i < len; i++)
        CHECK_OK(bytes_mut_put_u8(&m, (uint8_t)(seed + i)));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), cap);
    return m;
}

/* A page mapped above m's region (its storage, capacity included), holding
 * the n bytes at src (n at most a page), for tests that claim a source is
 * longer than it is: the range claimed must not reach over the buffer's
 * own region, or it is ERR_INVALID (an overlapping source) rather than the
 * error under test. (The stack is not the place: under qemu-user it may
 * lie below the heap.) Give it back with unmap_source. */
static inline uint8_t *source_above(bytes_mut_t *m, const void *src, size_t n)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t end = (uintptr_t)bytes_mut_ptr(m) + bytes_mut_capacity(m);
    CHECK(n <= page);
    /* Hints 1, 2, ... 16 MiB past the region: the first free one. */
    for (uintptr_t mib = 1; mib <= 16; mib++) {
        uintptr_t hint = ((end + (mib << 20)) / page) * page;
        void *p = mmap((void *)hint, page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(p != MAP_FAILED);
        if ((uintptr_t)p > end) {
            memcpy(p, src, n);
            return (uint8_t *)p;
        }
        CHECK(munmap(p, page) == 0);
    }
    CHECK(!"no page could be mapped above the buffer");
    return NULL;
}

static inline void unmap_source(uint8_t *p)
{
    CHECK(munmap(p, (size_t)sysconf(_SC_PAGESIZE)) == 0);
}

#endif /* BYTES_TESTS_CHECK_MUT_H */
