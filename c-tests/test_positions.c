/*
 * test_positions.c - what C and Rust programmers expect of empty results and
 * of growth, with the crate `bytes`' own tests (tests/test_bytes.rs)
 * transcribed to C where they apply:
 *
 * - rule 9: every function that cuts an empty range out of a buffer gives a
 *   view at that range's start, holding no reference, that bytes_slice_ref
 *   takes back (a parser's empty header value);
 * - splitting an empty bytes_mut_t shares its storage, so the half left
 *   alone can reclaim it;
 * - bytes_mut_reserve allocates the crate's capacities, at least the
 *   buffer's original capacity once its bytes were split off and kept.
 */
#include "check.h"
#include "check_mut.h"

#include <stdint.h>
#include <string.h>

static const uint8_t REQ[] = "GET /index.html HTTP/1.1\r\nX-Empty:\r\n\r\n";
#define REQ_LEN (sizeof(REQ) - 1)

/* A heap copy of REQ: its only handle, so bytes_is_unique tells whether an
 * empty result took a reference. */
static bytes_t request(void)
{
    bytes_t b;
    CHECK_OK(bytes_copy_from(REQ, REQ_LEN, &b));
    CHECK(bytes_is_unique(&b));
    return b;
}

/* An empty view at `at`, holding no reference to b's storage, that
 * bytes_slice_ref accepts back (and gives back at the same place). */
#define CHECK_EMPTY_AT(view, base, at)                                      \
    do {                                                                    \
        expect_empty(view);                                                 \
        CHECK(bytes_ptr(view) == (at));                                     \
        CHECK(bytes_is_unique(base));                                       \
        bytes_t back_;                                                      \
        GARBAGE(back_);                                                     \
        CHECK_OK(bytes_slice_ref((base), bytes_ptr(view), 0, &back_));      \
        CHECK(bytes_ptr(&back_) == (at) && bytes_len(&back_) == 0);         \
        bytes_drop(&back_);                                                 \
    } while (0)

static void test_empty_slices(void)
{
    bytes_t b = request();
    const uint8_t *p = bytes_ptr(&b);
    size_t positions[] = {0, 1, 16, REQ_LEN};
    for (size_t i = 0; i < sizeof positions / sizeof positions[0]; i++) {
        size_t at = positions[i];
        bytes_t out;
        GARBAGE(out);
        CHECK_OK(bytes_slice(&b, at, at, &out));
        CHECK_EMPTY_AT(&out, &b, p + at);
        bytes_drop(&out);
    }

    /* A parser's empty header value: found by address, an empty slice_ref
     * of it, and slice_ref of that again. */
    const uint8_t *colon = (const uint8_t *)memchr(p, ':', REQ_LEN);
    CHECK(colon != NULL);
    bytes_t value;
    CHECK_OK(bytes_slice_ref(&b, colon + 1, 0, &value));
    CHECK_EMPTY_AT(&value, &b, colon + 1);

    /* The same through the batch. */
    bytes_range_t ranges[2] = {{4, 4}, {REQ_LEN, REQ_LEN}};
    bytes_t many[2];
    CHECK_OK(bytes_slice_many(&b, ranges, 2, many));
    CHECK_EMPTY_AT(&many[0], &b, p + 4);
    CHECK_EMPTY_AT(&many[1], &b, p + REQ_LEN);
    bytes_drop_many(many, 2);

    /* out == b: b becomes the empty view at begin, and its reference goes. */
    bytes_t whole = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b));
    CHECK_OK(bytes_slice(&whole, 3, 3, &whole));
    CHECK(bytes_ptr(&whole) == p + 3 && bytes_len(&whole) == 0);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&whole);
    bytes_drop(&b);

    /* Static bytes keep positions too. */
    bytes_t s = bytes_from_static(REQ, REQ_LEN);
    bytes_t e;
    CHECK_OK(bytes_slice(&s, 7, 7, &e));
    CHECK(bytes_ptr(&e) == REQ + 7 && bytes_len(&e) == 0);
    CHECK_OK(bytes_slice_ref(&s, bytes_ptr(&e), 0, &e));
    CHECK(bytes_ptr(&e) == REQ + 7);
    bytes_drop(&e);
}

static void test_empty_splits(void)
{
    bytes_t b = request(), out;
    const uint8_t *p = bytes_ptr(&b);

    /* split_to(0): an empty view at the start; b unchanged. */
    CHECK_OK(bytes_split_to(&b, 0, &out));
    CHECK_EMPTY_AT(&out, &b, p);
    CHECK(bytes_ptr(&b) == p && bytes_len(&b) == REQ_LEN);
    bytes_drop(&out);

    /* split_off(len): an empty view at the end. */
    CHECK_OK(bytes_split_off(&b, REQ_LEN, &out));
    CHECK_EMPTY_AT(&out, &b, p + REQ_LEN);
    bytes_drop(&out);

    /* split_to(len): out takes the view and its reference; b stays an empty
     * view at the old end that holds none. */
    CHECK_OK(bytes_split_to(&b, REQ_LEN, &out));
    CHECK(bytes_ptr(&out) == p && bytes_len(&out) == REQ_LEN);
    CHECK(bytes_is_unique(&out));
    CHECK_EMPTY_AT(&b, &out, p + REQ_LEN);
    bytes_drop(&b);

    /* split_off(0): b stays an empty view at the old start. */
    b = out;
    CHECK_OK(bytes_split_off(&b, 0, &out));
    CHECK(bytes_ptr(&out) == p && bytes_len(&out) == REQ_LEN);
    CHECK_EMPTY_AT(&b, &out, p);
    bytes_drop(&b);
    bytes_drop(&out);
}

static void test_empty_mut_splits(void)
{
    bytes_mut_t m, out;
    CHECK_OK(bytes_mut_with_capacity(32, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, REQ, 10));
    uint8_t *p = bytes_mut_ptr(&m);

    CHECK_OK(bytes_mut_split_to(&m, 0, &out));
    expect_mut_empty(&out);
    CHECK(bytes_mut_ptr(&out) == p && bytes_mut_capacity(&out) == 0);
    bytes_mut_drop(&out);

    CHECK_OK(bytes_mut_split_off(&m, 32, &out));
    expect_mut_empty(&out);
    CHECK(bytes_mut_ptr(&out) == p + 32 && bytes_mut_capacity(&out) == 0);
    bytes_mut_drop(&out);
    bytes_mut_drop(&m);

    /* The crate's try_reclaim_empty: a split of a buffer with nothing
     * written shares its storage; once the other half is gone, the split
     * reclaims all of it without allocating. */
    m = bytes_mut_new();
    CHECK(!bytes_mut_try_reclaim(&m, 6));
    CHECK_OK(bytes_mut_reserve(&m, 6));
    size_t cap = bytes_mut_capacity(&m);
    CHECK(cap >= 6);
    bytes_mut_t s = bytes_mut_split(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&s), 0);
    CHECK(bytes_mut_ptr(&s) == bytes_mut_ptr(&m));
    bytes_mut_drop(&m);
    CHECK(bytes_mut_try_reclaim(&s, 6));
    CHECK(!bytes_mut_try_reclaim(&s, cap + 1));
    bytes_mut_drop(&s);
}

/* ---- reserve: the crate's tests, with its capacities ---------------------- */

static void put_bytes(bytes_mut_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CHECK_OK(bytes_mut_put_u8(m, (uint8_t)i));
}

static void test_reserve_growth(void)
{
    bytes_mut_t m, split;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"hello world", 11));
    split = bytes_mut_split(&m);
    bytes_mut_drop(&split);
    CHECK_OK(bytes_mut_reserve(&m, 65));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 117);
    bytes_mut_drop(&m);
}

static void test_reserve_allocates_at_least_original_capacity(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(1024, &m));
    put_bytes(&m, 1020);
    bytes_mut_t other = bytes_mut_split(&m); /* kept alive */
    CHECK_OK(bytes_mut_reserve(&m, 16));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 1024);
    bytes_mut_drop(&m);
    bytes_mut_drop(&other);
}

static void test_reserve_max_original_capacity_value(void)
{
    const size_t size = 128 * 1024;
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(size, &m));
    CHECK_OK(bytes_mut_resize(&m, size, 0));
    bytes_mut_t other = bytes_mut_split(&m);
    CHECK_OK(bytes_mut_reserve(&m, 16));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64 * 1024);
    bytes_mut_drop(&m);
    bytes_mut_drop(&other);
}

static void test_reserve_vec_recycling(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(16, &m));
    uint8_t *addr = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"0123456789012345", 16));
    CHECK(bytes_mut_ptr(&m) == addr);
    CHECK_OK(bytes_mut_advance(&m, 10));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 6);
    CHECK_OK(bytes_mut_reserve(&m, 8));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 16);
    CHECK(bytes_mut_ptr(&m) == addr);
    bytes_mut_drop(&m);
}

static void test_reserve_in_shared_storage(void)
{
    /* unique: does not over-allocate, and doubles */
    size_t wants[2][2] = {{2001, 2001}, {1001, 2000}};
    for (int i = 0; i < 2; i++) {
        bytes_mut_t m;
        CHECK_OK(bytes_mut_with_capacity(1000, &m));
        bytes_mut_t split = bytes_mut_split(&m);
        bytes_mut_drop(&split);
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), 1000);
        CHECK_OK(bytes_mut_reserve(&m, wants[i][0]));
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), wants[i][1]);
        bytes_mut_drop(&m);
    }

    /* not unique: does not over-allocate */
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(1000, &m));
    bytes_mut_t copy = bytes_mut_split(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 1000);
    CHECK_OK(bytes_mut_reserve(&m, 2001));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 2001);
    bytes_mut_drop(&m);
    bytes_mut_drop(&copy);

    /* reserve_shared_reuse */
    CHECK_OK(bytes_mut_with_capacity(1000, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"Hello, World!", 13));
    copy = bytes_mut_split(&m);
    bytes_mut_drop(&copy);
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"!123ex123,sadchELLO,_wORLD!", 27));
    CHECK_OK(bytes_mut_split_off(&m, 9, &copy));
    bytes_mut_drop(&copy);
    CHECK_MUT_BYTES(&m, "!123ex123", 9);
    CHECK_OK(bytes_mut_reserve(&m, 2000));
    CHECK_MUT_BYTES(&m, "!123ex123", 9);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 2009);
    bytes_mut_drop(&m);
}

/* A decoder that freezes and keeps every frame: each new storage is at
 * least the original 4 KiB, so 256 frames of 100 bytes need 7 storages
 * (40 frames each), not one per frame. */
static void test_decoder_keeping_frames(void)
{
    enum { FRAMES = 256, FRAME = 100 };
    static bytes_t frames[FRAMES];
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(4096, &m));
    const uint8_t *starts[FRAMES];
    size_t storages = 0;
    uint8_t payload[FRAME];
    for (int i = 0; i < FRAMES; i++) {
        memset(payload, i, sizeof payload);
        CHECK_OK(bytes_mut_reserve(&m, FRAME));
        if (bytes_mut_capacity(&m) >= 4096)
            starts[storages++] = bytes_mut_ptr(&m);
        CHECK_OK(bytes_mut_extend_from_slice(&m, payload, FRAME));
        bytes_mut_t frame = bytes_mut_split(&m);
        frames[i] = bytes_mut_freeze(&frame);
    }
    CHECK_EQ_SIZE(storages, 7);
    for (int i = 0; i < FRAMES; i++) {
        CHECK(bytes_ptr(&frames[i]) == starts[i / 40] + (size_t)(i % 40) * FRAME);
        CHECK(bytes_ptr(&frames[i])[FRAME - 1] == (uint8_t)i);
    }
    bytes_drop_many(frames, FRAMES);
    bytes_mut_drop(&m);
}

int main(void)
{
    test_empty_slices();
    test_empty_splits();
    test_empty_mut_splits();
    test_reserve_growth();
    test_reserve_allocates_at_least_original_capacity();
    test_reserve_max_original_capacity_value();
    test_reserve_vec_recycling();
    test_reserve_in_shared_storage();
    test_decoder_keeping_frames();
    CHECK_DONE();
    return 0;
}
