/*
 * test_mut.c - what bytes_mut_t does: construction, writing (extend, put_*,
 * spare + commit, read(2) into the spare capacity), advance / truncate /
 * clear / resize and freeze, seen through the handle (pointer, length,
 * capacity, contents). Splitting, unsplitting and the reuse steps of
 * bytes_mut_reserve and bytes_mut_try_reclaim are test_mut_split.c.
 *
 * What the calls cost in allocations is test_mut_alloc.c; error paths are
 * test_mut_errors.c; bytes_t <-> bytes_mut_t is test_into_mut.c.
 *
 * Built twice: against libbytes.so (test_mut) and libbytes.a
 * (test_mut_static).
 */
#include "check_mut.h"

#include <stdint.h>
#include <unistd.h>

static const uint8_t HELLO[] = "hello world";
#define HELLO_LEN (sizeof(HELLO) - 1)

static const uint8_t HEX[] = "0123456789abcdef";
#define HEX_LEN (sizeof(HEX) - 1)

/* ---- construction ------------------------------------------------------ */

static void test_new_and_zero(void)
{
    bytes_mut_t m = bytes_mut_new();
    CHECK_MUT_ZERO(&m); /* bytes_mut_new() is the all-zero handle */
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 0);
    bytes_mut_drop(&m);
    CHECK_MUT_ZERO(&m);
    bytes_mut_drop(&m); /* a second drop is a no-op */
    CHECK_MUT_ZERO(&m);
    bytes_mut_drop(NULL);

    /* Rule 1: {0}, memset and calloc make valid empty buffers, which every
     * function accepts. */
    bytes_mut_t *arr = calloc(3, sizeof(bytes_mut_t));
    CHECK(arr != NULL);
    for (int i = 0; i < 3; i++) {
        expect_mut_empty(&arr[i]);
        CHECK_EQ_SIZE(bytes_mut_capacity(&arr[i]), 0);
    }
    size_t n = 99;
    uint8_t *sp = bytes_mut_spare(&arr[0], &n);
    CHECK(sp != NULL); /* never NULL, even without storage */
    CHECK_EQ_SIZE(n, 0);
    CHECK(bytes_mut_spare(&arr[0], NULL) != NULL);
    CHECK_OK(bytes_mut_commit(&arr[0], 0));
    CHECK_OK(bytes_mut_reserve(&arr[0], 0));
    CHECK(bytes_mut_try_reclaim(&arr[0], 0));
    CHECK_OK(bytes_mut_extend_from_slice(&arr[0], NULL, 0));
    CHECK_OK(bytes_mut_advance(&arr[0], 0));
    CHECK_OK(bytes_mut_resize(&arr[0], 0, 'x'));
    CHECK_OK(bytes_mut_put_bytes(&arr[0], 'x', 0));
    bytes_mut_truncate(&arr[0], 0);
    bytes_mut_truncate(&arr[0], 5);
    bytes_mut_clear(&arr[0]);
    CHECK_MUT_ZERO(&arr[0]);

    bytes_mut_t out;
    GARBAGE_MUT(out);
    CHECK_OK(bytes_mut_split_to(&arr[0], 0, &out));
    CHECK_MUT_ZERO(&out);
    GARBAGE_MUT(out);
    CHECK_OK(bytes_mut_split_off(&arr[0], 0, &out));
    CHECK_MUT_ZERO(&out);
    out = bytes_mut_split(&arr[0]);
    CHECK_MUT_ZERO(&out);
    CHECK_OK(bytes_mut_unsplit(&arr[0], &arr[1]));
    CHECK_MUT_ZERO(&arr[0]);
    CHECK_MUT_ZERO(&arr[1]);

    bytes_t f = bytes_mut_freeze(&arr[2]);
    CHECK_ZERO(&f);
    expect_empty(&f);
    CHECK_MUT_ZERO(&arr[2]);
    for (int i = 0; i < 3; i++)
        bytes_mut_drop(&arr[i]);
    free(arr);
}

static void test_with_capacity(void)
{
    const size_t sizes[] = {1, 7, 16, 64, 1000, 1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bytes_mut_t m;
        GARBAGE_MUT(m);
        CHECK_OK(bytes_mut_with_capacity(sizes[i], &m));
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), sizes[i]); /* exactly */
        expect_mut_empty(&m);
        size_t n = 0;
        uint8_t *sp = bytes_mut_spare(&m, &n);
        CHECK(sp == bytes_mut_ptr(&m));
        CHECK_EQ_SIZE(n, sizes[i]);
        memset(sp, 0x5A, n); /* all of it is writable */
        bytes_mut_drop(&m);
        CHECK_MUT_ZERO(&m);
    }

    bytes_mut_t z;
    GARBAGE_MUT(z);
    CHECK_OK(bytes_mut_with_capacity(0, &z));
    CHECK_MUT_ZERO(&z); /* no storage at all */
    expect_mut_empty(&z);
}

static void test_zeroed(void)
{
    const size_t sizes[] = {1, 13, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bytes_mut_t m;
        GARBAGE_MUT(m);
        CHECK_OK(bytes_mut_zeroed(sizes[i], &m));
        CHECK_EQ_SIZE(bytes_mut_len(&m), sizes[i]);
        CHECK(bytes_mut_capacity(&m) >= sizes[i]);
        int all_zero = 1;
        for (size_t k = 0; k < sizes[i]; k++)
            all_zero &= bytes_mut_ptr(&m)[k] == 0;
        CHECK(all_zero);
        bytes_mut_drop(&m);
    }
    bytes_mut_t z;
    GARBAGE_MUT(z);
    CHECK_OK(bytes_mut_zeroed(0, &z));
    CHECK_MUT_ZERO(&z);
}

/* ---- writing ------------------------------------------------------------ */

static void test_put(void)
{
    bytes_mut_t m = bytes_mut_new();
    CHECK_OK(bytes_mut_put_u8(&m, 0xAB));
    CHECK_OK(bytes_mut_put_u16_be(&m, 0x1234));
    CHECK_OK(bytes_mut_put_u16_le(&m, 0x1234));
    CHECK_OK(bytes_mut_put_u32_be(&m, 0x01020304u));
    CHECK_OK(bytes_mut_put_u32_le(&m, 0x01020304u));
    CHECK_OK(bytes_mut_put_u64_be(&m, 0x0102030405060708ull));
    CHECK_OK(bytes_mut_put_u64_le(&m, 0x0102030405060708ull));
    CHECK_OK(bytes_mut_put_bytes(&m, 'z', 5));
    CHECK_OK(bytes_mut_put_bytes(&m, 'q', 0)); /* appends nothing */
    CHECK_OK(bytes_mut_put_u16_be(&m, 0xFFEE));
    CHECK_OK(bytes_mut_put_u32_le(&m, 0xDEADBEEFu));
    static const uint8_t want[] = {
        0xAB,
        0x12, 0x34,
        0x34, 0x12,
        0x01, 0x02, 0x03, 0x04,
        0x04, 0x03, 0x02, 0x01,
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
        'z', 'z', 'z', 'z', 'z',
        0xFF, 0xEE,
        0xEF, 0xBE, 0xAD, 0xDE,
    };
    CHECK_MUT_BYTES(&m, want, sizeof want);

    /* Into exactly the room there is, then one past it. */
    bytes_mut_drop(&m);
    CHECK_OK(bytes_mut_with_capacity(8, &m));
    CHECK_OK(bytes_mut_put_u64_le(&m, 0x1122334455667788ull));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 8);
    CHECK_OK(bytes_mut_put_bytes(&m, 0, 3));
    static const uint8_t want2[] = {0x88, 0x77, 0x66, 0x55, 0x44,
                                    0x33, 0x22, 0x11, 0, 0, 0};
    CHECK_MUT_BYTES(&m, want2, sizeof want2);
    bytes_mut_drop(&m);

    /* A long run of one byte. */
    CHECK_OK(bytes_mut_put_bytes(&m, 0x7E, 100000));
    CHECK_EQ_SIZE(bytes_mut_len(&m), 100000);
    int ok = 1;
    for (size_t i = 0; i < 100000; i++)
        ok &= bytes_mut_ptr(&m)[i] == 0x7E;
    CHECK(ok);
    bytes_mut_drop(&m);
}

static void test_extend(void)
{
    bytes_mut_t m = bytes_mut_new();
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, 5));
    CHECK_OK(bytes_mut_extend_from_slice(&m, NULL, 0)); /* rule 5 */
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO + 5, 0));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO + 5, HELLO_LEN - 5));
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    bytes_mut_drop(&m);

    /* The source in the buffer's own written bytes, with room to spare. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HEX, HEX_LEN));
    uint8_t *p = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m) + 10, 6));
    CHECK(bytes_mut_ptr(&m) == p);
    CHECK_MUT_BYTES(&m, "0123456789abcdefabcdef", 22);
    bytes_mut_drop(&m);

    /* Full: extending with its own first half must grow, and growing may
     * move the bytes the source points at. */
    CHECK_OK(bytes_mut_with_capacity(HEX_LEN, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HEX, HEX_LEN));
    CHECK_EQ_SIZE(bytes_mut_len(&m), bytes_mut_capacity(&m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m), HEX_LEN / 2));
    CHECK_MUT_BYTES(&m, "0123456789abcdef01234567", 24);
    /* ... and with all of itself, full again or not */
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m),
                                         bytes_mut_len(&m)));
    CHECK_MUT_BYTES(&m, "0123456789abcdef01234567"
                        "0123456789abcdef01234567", 48);
    bytes_mut_drop(&m);

    /* Full, not at the front of its storage, storage shared with a split
     * half: growing copies into a new storage; the source is the buffer's
     * own bytes in the old one. */
    m = filled(64, 64, 0);
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 8, &front));
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m) + 40, 16));
    CHECK_EQ_SIZE(bytes_mut_len(&m), 72);
    CHECK(holds_pattern(&front, 8, 0));
    int ok = 1;
    for (size_t i = 0; i < 56; i++)
        ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(8 + i);
    for (size_t i = 0; i < 16; i++)
        ok &= bytes_mut_ptr(&m)[56 + i] == (uint8_t)(48 + i);
    CHECK(ok);
    bytes_mut_drop(&front);
    bytes_mut_drop(&m);

    /* Full, after the front half was dropped: reserve's step 2 moves the
     * bytes to the front of the storage while the source points at them. */
    m = filled(64, 64, 0);
    CHECK_OK(bytes_mut_split_to(&m, 40, &front));
    bytes_mut_drop(&front);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 24);
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m), 10));
    ok = 1; /* 40..63, then 40..49 again */
    for (size_t i = 0; i < 24; i++)
        ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(40 + i);
    for (size_t i = 0; i < 10; i++)
        ok &= bytes_mut_ptr(&m)[24 + i] == (uint8_t)(40 + i);
    CHECK(ok);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 34);
    bytes_mut_drop(&m);
}

static void test_spare_commit(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(32, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, 5));
    size_t n = 0;
    uint8_t *sp = bytes_mut_spare(&m, &n);
    CHECK(sp == bytes_mut_ptr(&m) + 5);
    CHECK_EQ_SIZE(n, 27);
    CHECK(bytes_mut_spare(&m, NULL) == sp); /* spare_len may be NULL */
    memcpy(sp, HELLO + 5, 6);
    CHECK_MUT_BYTES(&m, HELLO, 5); /* not written until committed */
    CHECK_OK(bytes_mut_commit(&m, 6));
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 32);
    CHECK_OK(bytes_mut_commit(&m, 0));
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    sp = bytes_mut_spare(&m, &n);
    CHECK(sp == bytes_mut_ptr(&m) + HELLO_LEN);
    CHECK_EQ_SIZE(n, 32 - HELLO_LEN);

    /* Commit all of it: no spare left, the pointer still is not NULL. */
    memset(sp, '.', n);
    CHECK_OK(bytes_mut_commit(&m, n));
    CHECK_EQ_SIZE(bytes_mut_len(&m), 32);
    n = 99;
    sp = bytes_mut_spare(&m, &n);
    CHECK(sp != NULL);
    CHECK_EQ_SIZE(n, 0);
    CHECK_STATUS(bytes_mut_commit(&m, 1), BYTES_ERR_RANGE);
    bytes_mut_drop(&m);
}

/* read(2) from a pipe straight into the spare capacity: the bytes land at
 * the spare pointer, and commit makes them the buffer's, where they are. */
static void test_read_into_spare(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    static const char MSG[] = "the quick brown fox jumps over the lazy dog";
    const size_t msg_len = sizeof MSG - 1;
    CHECK(write(fds[1], MSG, msg_len) == (ssize_t)msg_len);
    CHECK(close(fds[1]) == 0);

    bytes_mut_t m = bytes_mut_new();
    for (;;) {
        CHECK_OK(bytes_mut_reserve(&m, 7));
        size_t n = 0;
        uint8_t *sp = bytes_mut_spare(&m, &n);
        CHECK(n >= 7);
        size_t before = bytes_mut_len(&m);
        CHECK(sp == bytes_mut_ptr(&m) + before);
        ssize_t r = read(fds[0], sp, 7); /* small chunks */
        CHECK(r >= 0);
        if (r == 0)
            break;
        /* The bytes are at sp already, before commit. */
        CHECK(memcmp(sp, MSG + before, (size_t)r) == 0);
        CHECK_OK(bytes_mut_commit(&m, (size_t)r));
        CHECK(bytes_mut_ptr(&m) + before == sp); /* no copy on commit */
        CHECK_EQ_SIZE(bytes_mut_len(&m), before + (size_t)r);
    }
    CHECK(close(fds[0]) == 0);
    CHECK_MUT_BYTES(&m, MSG, msg_len);
    bytes_mut_drop(&m);
}

/* ---- advance, truncate, clear, resize ---------------------------------- */

static void test_advance_truncate_clear(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HEX, HEX_LEN));
    uint8_t *p = bytes_mut_ptr(&m);

    CHECK_OK(bytes_mut_advance(&m, 0));
    CHECK(bytes_mut_ptr(&m) == p && bytes_mut_capacity(&m) == 64);
    CHECK_OK(bytes_mut_advance(&m, 3));
    CHECK_MUT_BYTES(&m, HEX + 3, HEX_LEN - 3);
    CHECK(bytes_mut_ptr(&m) == p + 3);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 61); /* capacity goes too */

    bytes_mut_truncate(&m, 100); /* longer: no-op */
    bytes_mut_truncate(&m, bytes_mut_len(&m));
    CHECK_MUT_BYTES(&m, HEX + 3, HEX_LEN - 3);
    bytes_mut_truncate(&m, 4);
    CHECK_MUT_BYTES(&m, "3456", 4);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 61); /* kept */
    CHECK(bytes_mut_ptr(&m) == p + 3);
    CHECK_OK(bytes_mut_put_u8(&m, '!')); /* written over the old bytes */
    CHECK_MUT_BYTES(&m, "3456!", 5);

    CHECK_OK(bytes_mut_advance(&m, 5)); /* all of it */
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 56);
    CHECK(bytes_mut_ptr(&m) == p + 8);

    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    bytes_mut_clear(&m);
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 56);
    CHECK(bytes_mut_ptr(&m) == p + 8);
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, 5));
    CHECK(bytes_mut_ptr(&m) == p + 8); /* reused in place */
    CHECK_MUT_BYTES(&m, "hello", 5);
    bytes_mut_drop(&m);
}

static void test_resize(void)
{
    bytes_mut_t m = bytes_mut_new();
    CHECK_OK(bytes_mut_resize(&m, 5, 'a'));
    CHECK_MUT_BYTES(&m, "aaaaa", 5);
    CHECK_OK(bytes_mut_resize(&m, 8, 'b'));
    CHECK_MUT_BYTES(&m, "aaaaabbb", 8);
    size_t cap = bytes_mut_capacity(&m);
    CHECK_OK(bytes_mut_resize(&m, 8, 'c')); /* same length: no-op */
    CHECK_MUT_BYTES(&m, "aaaaabbb", 8);
    CHECK_OK(bytes_mut_resize(&m, 3, 'c')); /* shrinks */
    CHECK_MUT_BYTES(&m, "aaa", 3);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), cap);
    CHECK_OK(bytes_mut_resize(&m, 6, 'd')); /* regrows with the new fill */
    CHECK_MUT_BYTES(&m, "aaaddd", 6);
    CHECK_OK(bytes_mut_resize(&m, 5000, 0)); /* past the capacity */
    CHECK_EQ_SIZE(bytes_mut_len(&m), 5000);
    CHECK(memcmp(bytes_mut_ptr(&m), "aaaddd", 6) == 0);
    int ok = 1;
    for (size_t i = 6; i < 5000; i++)
        ok &= bytes_mut_ptr(&m)[i] == 0;
    CHECK(ok);
    CHECK_OK(bytes_mut_resize(&m, 0, 'x'));
    expect_mut_empty(&m);
    CHECK(bytes_mut_capacity(&m) >= 5000);
    bytes_mut_drop(&m);
}

/* ---- freeze --------------------------------------------------------------- */

static void test_freeze(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    uint8_t *p = bytes_mut_ptr(&m);
    bytes_t b = bytes_mut_freeze(&m);
    CHECK_MUT_ZERO(&m); /* consumed */
    CHECK(bytes_ptr(&b) == p); /* the same memory */
    CHECK_BYTES(&b, HELLO, HELLO_LEN);
    CHECK(bytes_is_unique(&b));
    bytes_t c = bytes_clone(&b), s;
    CHECK(!bytes_is_unique(&b));
    CHECK_OK(bytes_slice(&b, 6, 11, &s));
    CHECK_BYTES(&s, "world", 5);
    bytes_drop(&b);
    bytes_drop(&c);
    CHECK_BYTES(&s, "world", 5);
    bytes_drop(&s);

    /* Split halves freeze apart and outlive each other. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    p = bytes_mut_ptr(&m);
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 6, &front));
    bytes_t fb = bytes_mut_freeze(&front);
    CHECK(bytes_ptr(&fb) == p);
    CHECK_BYTES(&fb, "hello ", 6);
    CHECK(!bytes_is_unique(&fb)); /* m still uses the storage */
    CHECK_OK(bytes_mut_put_bytes(&m, '!', 2)); /* m writes its own spare */
    CHECK_BYTES(&fb, "hello ", 6);
    bytes_t mb = bytes_mut_freeze(&m);
    CHECK(bytes_ptr(&mb) == p + 6);
    CHECK_BYTES(&mb, "world!!", 7);
    bytes_drop(&fb);
    CHECK(bytes_is_unique(&mb));
    CHECK_BYTES(&mb, "world!!", 7);
    bytes_drop(&mb);

    /* An empty buffer, with storage or without: an empty bytes_t. */
    CHECK_OK(bytes_mut_with_capacity(16, &m));
    b = bytes_mut_freeze(&m);
    expect_empty(&b);
    CHECK(!bytes_is_unique(&b));
    CHECK_MUT_ZERO(&m);
    bytes_drop(&b);
    m = bytes_mut_new();
    b = bytes_mut_freeze(&m);
    CHECK_ZERO(&b);
    b = bytes_mut_freeze(NULL);
    CHECK_ZERO(&b);
}

int main(void)
{
    test_new_and_zero();
    test_with_capacity();
    test_zeroed();
    test_put();
    test_extend();
    test_spare_commit();
    test_read_into_spare();
    test_advance_truncate_clear();
    test_resize();
    test_freeze();
    CHECK_DONE();
    return 0;
}
