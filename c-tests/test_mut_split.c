/*
 * test_mut_split.c - bytes_mut_t in pieces: split_to, split_off, split and
 * unsplit (pointers, lengths, capacities, which half keeps what), the
 * reuse steps of bytes_mut_reserve and bytes_mut_try_reclaim once the
 * other pieces are gone, and bytes_is_unique / bytes_mut_is_unique along
 * the way, seen through the handle.
 *
 * Built twice: against libbytes.so (test_mut_split) and libbytes.a
 * (test_mut_split_static).
 */
#include "check_mut.h"

#include <stdint.h>

static const uint8_t HELLO[] = "hello world";
#define HELLO_LEN (sizeof(HELLO) - 1)

static const uint8_t HEX[] = "0123456789abcdef";
#define HEX_LEN (sizeof(HEX) - 1)

/* ---- splitting ---------------------------------------------------------- */

static void test_split_to(void)
{
    bytes_mut_t m, out;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    uint8_t *p = bytes_mut_ptr(&m);

    GARBAGE_MUT(out); /* an output: not read, not dropped */
    CHECK_OK(bytes_mut_split_to(&m, 5, &out));
    CHECK_MUT_BYTES(&out, "hello", 5);
    CHECK(bytes_mut_ptr(&out) == p);            /* no copy */
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 5); /* capacity at */
    CHECK_MUT_BYTES(&m, " world", 6);
    CHECK(bytes_mut_ptr(&m) == p + 5);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 59); /* the rest and the spare */

    /* The halves are disjoint: writing one never shows in the other. out
     * is full, so it grows, into storage of its own. */
    CHECK_OK(bytes_mut_extend_from_slice(&out, (const uint8_t *)"XYZ", 3));
    CHECK_MUT_BYTES(&out, "helloXYZ", 8);
    CHECK_MUT_BYTES(&m, " world", 6);
    bytes_mut_ptr(&out)[0] = 'H';
    CHECK_OK(bytes_mut_put_bytes(&m, '!', 3)); /* into m's own spare */
    CHECK_MUT_BYTES(&m, " world!!!", 9);
    CHECK_MUT_BYTES(&out, "HelloXYZ", 8);
    bytes_mut_drop(&out);

    /* at == 0 (rule 9): out is an empty buffer at m's start, capacity 0,
     * sharing the storage; m unchanged. */
    SNAP_MUT(m);
    GARBAGE_MUT(out);
    CHECK_OK(bytes_mut_split_to(&m, 0, &out));
    expect_mut_empty(&out);
    CHECK(bytes_mut_ptr(&out) == bytes_mut_ptr(&m));
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 0);
    CHECK_MUT_UNCHANGED(m);
    bytes_mut_drop(&out);

    /* at == len: everything written goes, m keeps the spare capacity. */
    size_t cap = bytes_mut_capacity(&m);
    uint8_t *q = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_to(&m, 9, &out));
    CHECK_MUT_BYTES(&out, " world!!!", 9);
    CHECK(bytes_mut_ptr(&out) == q);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 9);
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), cap - 9);
    CHECK(bytes_mut_ptr(&m) == q + 9);
    bytes_mut_drop(&m); /* either half may go first */
    CHECK_MUT_BYTES(&out, " world!!!", 9);
    bytes_mut_drop(&out);
}

static void test_split_off(void)
{
    bytes_mut_t m, out;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    uint8_t *p = bytes_mut_ptr(&m);

    /* Inside the written bytes. */
    GARBAGE_MUT(out);
    CHECK_OK(bytes_mut_split_off(&m, 5, &out));
    CHECK_MUT_BYTES(&m, "hello", 5);
    CHECK(bytes_mut_ptr(&m) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 5);
    CHECK_MUT_BYTES(&out, " world", 6);
    CHECK(bytes_mut_ptr(&out) == p + 5);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 59);

    /* m is full: growing it must not write over out. */
    CHECK_OK(bytes_mut_put_bytes(&m, '?', 4));
    CHECK_MUT_BYTES(&m, "hello????", 9);
    CHECK_MUT_BYTES(&out, " world", 6);
    CHECK_OK(bytes_mut_put_bytes(&out, '.', 2)); /* out's own spare */
    CHECK_MUT_BYTES(&out, " world..", 8);
    CHECK_MUT_BYTES(&m, "hello????", 9);
    bytes_mut_drop(&m);
    bytes_mut_drop(&out);

    /* In the spare capacity: out gets spare only. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    p = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_off(&m, 20, &out));
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 20);
    expect_mut_empty(&out);
    CHECK(bytes_mut_ptr(&out) == p + 20);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 44);
    size_t n;
    CHECK(bytes_mut_spare(&out, &n) == p + 20 && n == 44);
    CHECK(bytes_mut_spare(&m, &n) == p + HELLO_LEN && n == 20 - HELLO_LEN);
    bytes_mut_drop(&out);

    /* at == capacity (rule 9): out is an empty buffer at the end of m's
     * region, m unchanged. */
    SNAP_MUT(m);
    GARBAGE_MUT(out);
    CHECK_OK(bytes_mut_split_off(&m, 20, &out));
    expect_mut_empty(&out);
    CHECK(bytes_mut_ptr(&out) == p + 20);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 0);
    CHECK_MUT_UNCHANGED(m);
    bytes_mut_drop(&out);

    /* at == len < capacity: out holds all the spare, m is full. */
    CHECK_OK(bytes_mut_split_off(&m, HELLO_LEN, &out));
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), HELLO_LEN);
    expect_mut_empty(&out);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 20 - HELLO_LEN);
    CHECK(bytes_mut_ptr(&out) == p + HELLO_LEN);
    bytes_mut_drop(&out);

    /* at == 0: out takes everything, m keeps nothing. */
    CHECK_OK(bytes_mut_split_off(&m, 0, &out));
    CHECK_MUT_BYTES(&out, HELLO, HELLO_LEN);
    CHECK(bytes_mut_ptr(&out) == p);
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 0);
    bytes_mut_drop(&m);
    bytes_mut_drop(&out);
}

static void test_split(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HEX, 10));
    uint8_t *p = bytes_mut_ptr(&m);
    bytes_mut_t out = bytes_mut_split(&m);
    CHECK_MUT_BYTES(&out, HEX, 10);
    CHECK(bytes_mut_ptr(&out) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&out), 10);
    expect_mut_empty(&m);
    CHECK(bytes_mut_ptr(&m) == p + 10);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 54);

    /* Nothing written: an empty result at m's start that shares the
     * storage (rule 9), m unchanged. */
    SNAP_MUT(m);
    bytes_mut_t none = bytes_mut_split(&m);
    expect_mut_empty(&none);
    CHECK(bytes_mut_ptr(&none) == bytes_mut_ptr(&m));
    CHECK_EQ_SIZE(bytes_mut_capacity(&none), 0);
    CHECK_MUT_UNCHANGED(m);
    bytes_mut_drop(&none);

    /* The usual loop: write a message, split it off, write the next one
     * into the same storage. */
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    bytes_mut_t out2 = bytes_mut_split(&m);
    CHECK(bytes_mut_ptr(&out2) == p + 10);
    CHECK_MUT_BYTES(&out2, HELLO, HELLO_LEN);
    CHECK_MUT_BYTES(&out, HEX, 10);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 54 - HELLO_LEN);

    bytes_mut_t z = bytes_mut_split(NULL);
    CHECK_MUT_ZERO(&z);
    bytes_mut_drop(&out);
    bytes_mut_drop(&out2);
    bytes_mut_drop(&m);
}

static void test_unsplit(void)
{
    bytes_mut_t m, front, back;

    /* After split_to: front then m are neighbours, O(1). */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    uint8_t *p = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_to(&m, 5, &front));
    CHECK_OK(bytes_mut_unsplit(&front, &m));
    CHECK_MUT_ZERO(&m); /* consumed */
    CHECK_MUT_BYTES(&front, HELLO, HELLO_LEN);
    CHECK(bytes_mut_ptr(&front) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&front), 64); /* 5 + 59 */
    bytes_mut_drop(&front);

    /* After split_off(at) with at == len: m and out are neighbours. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    p = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_off(&m, 5, &back));
    CHECK_OK(bytes_mut_unsplit(&m, &back));
    CHECK_MUT_ZERO(&back);
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    CHECK(bytes_mut_ptr(&m) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64);

    /* Split three ways, joined back in order. */
    bytes_mut_t mid;
    CHECK_OK(bytes_mut_split_to(&m, 2, &front));
    CHECK_OK(bytes_mut_split_to(&m, 4, &mid));
    CHECK_OK(bytes_mut_unsplit(&mid, &m));
    CHECK_OK(bytes_mut_unsplit(&front, &mid));
    CHECK_MUT_ZERO(&m);
    CHECK_MUT_ZERO(&mid);
    CHECK_MUT_BYTES(&front, HELLO, HELLO_LEN);
    CHECK(bytes_mut_ptr(&front) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&front), 64);
    bytes_mut_drop(&front);

    /* In the wrong order: a copy, still the right bytes. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    CHECK_OK(bytes_mut_split_to(&m, 6, &front)); /* "hello " | "world" */
    CHECK_OK(bytes_mut_unsplit(&m, &front));
    CHECK_MUT_ZERO(&front);
    CHECK_MUT_BYTES(&m, "worldhello ", HELLO_LEN);
    bytes_mut_drop(&m);

    /* Unrelated storages: a copy. */
    bytes_mut_t a = filled(8, 8, 0), b = filled(32, 20, 100);
    CHECK_OK(bytes_mut_unsplit(&a, &b));
    CHECK_MUT_ZERO(&b);
    CHECK_EQ_SIZE(bytes_mut_len(&a), 28);
    int ok = 1;
    for (size_t i = 0; i < 8; i++)
        ok &= bytes_mut_ptr(&a)[i] == (uint8_t)i;
    for (size_t i = 0; i < 20; i++)
        ok &= bytes_mut_ptr(&a)[8 + i] == (uint8_t)(100 + i);
    CHECK(ok);
    bytes_mut_drop(&a);

    /* Not neighbours in one storage: m has spare capacity between. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, 5));
    CHECK_OK(bytes_mut_split_off(&m, 32, &back));
    CHECK_OK(bytes_mut_extend_from_slice(&back, HELLO + 5, 6));
    CHECK_OK(bytes_mut_unsplit(&m, &back));
    CHECK_MUT_ZERO(&back);
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    bytes_mut_drop(&m);

    /* m empty without storage: it simply takes other. */
    m = bytes_mut_new();
    b = filled(32, 10, 7);
    bytes_mut_t snap_b = b;
    CHECK_OK(bytes_mut_unsplit(&m, &b));
    CHECK_MUT_ZERO(&b);
    CHECK(memcmp(&m, &snap_b, sizeof m) == 0);
    CHECK(holds_pattern(&m, 10, 7));
    /* other empty without storage: nothing changes. */
    SNAP_MUT(m);
    b = bytes_mut_new();
    CHECK_OK(bytes_mut_unsplit(&m, &b));
    CHECK_MUT_UNCHANGED(m);
    CHECK_MUT_ZERO(&b);
    bytes_mut_drop(&m);
}

/* ---- reserve and try_reclaim --------------------------------------------- */

static void test_reserve_spare_suffices(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, HELLO, HELLO_LEN));
    SNAP_MUT(m);
    CHECK_OK(bytes_mut_reserve(&m, 0));
    CHECK_MUT_UNCHANGED(m);
    CHECK_OK(bytes_mut_reserve(&m, 64 - HELLO_LEN));
    CHECK_MUT_UNCHANGED(m);
    CHECK(bytes_mut_try_reclaim(&m, 64 - HELLO_LEN));
    CHECK_MUT_UNCHANGED(m);
    CHECK_OK(bytes_mut_reserve(&m, 64 - HELLO_LEN + 1)); /* must grow */
    CHECK(bytes_mut_capacity(&m) >= 128);                /* doubles */
    CHECK_MUT_BYTES(&m, HELLO, HELLO_LEN);
    bytes_mut_drop(&m);

    /* Without storage: reserve allocates exactly what is asked at first. */
    m = bytes_mut_new();
    CHECK_OK(bytes_mut_reserve(&m, 100));
    CHECK(bytes_mut_capacity(&m) >= 100);
    expect_mut_empty(&m);
    bytes_mut_drop(&m);
}

/* Step 1: the storage has room after the region (a split-off back half
 * was dropped): the region grows over it, in place. */
static void test_reclaim_after_region(int use_try)
{
    bytes_mut_t m = filled(64, 10, 0), back;
    uint8_t *p = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_off(&m, 16, &back));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 16);

    /* While the back half lives, the storage is not m's alone. */
    SNAP_MUT(m);
    CHECK(!bytes_mut_try_reclaim(&m, 40));
    CHECK_MUT_UNCHANGED(m);

    bytes_mut_drop(&back);
    if (use_try)
        CHECK(bytes_mut_try_reclaim(&m, 40));
    else
        CHECK_OK(bytes_mut_reserve(&m, 40));
    CHECK(bytes_mut_ptr(&m) == p);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64); /* grew back to the end */
    CHECK(holds_pattern(&m, 10, 0));
    bytes_mut_drop(&m);
}

/* Step 2: the written bytes move to the front of the storage. */
static void test_reclaim_to_front(int use_try)
{
    bytes_mut_t m = filled(64, 64, 0), front;
    uint8_t *start = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_split_to(&m, 40, &front));
    bytes_mut_drop(&front);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 24);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 24);
    if (use_try)
        CHECK(bytes_mut_try_reclaim(&m, 30));
    else
        CHECK_OK(bytes_mut_reserve(&m, 30));
    CHECK(bytes_mut_ptr(&m) == start);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64);
    CHECK(holds_pattern(&m, 24, 40));
    bytes_mut_drop(&m);

    /* Written bytes more than the free space before them: no move. */
    m = filled(64, 64, 0);
    CHECK_OK(bytes_mut_split_to(&m, 10, &front));
    bytes_mut_drop(&front);
    {
        SNAP_MUT(m);
        CHECK(!bytes_mut_try_reclaim(&m, 5)); /* 54 bytes, 10 free before */
        CHECK_MUT_UNCHANGED(m);
    }
    CHECK_OK(bytes_mut_reserve(&m, 5)); /* so it grows */
    CHECK(bytes_mut_capacity(&m) >= 59);
    CHECK(holds_pattern(&m, 54, 10));
    bytes_mut_drop(&m);

    /* The whole storage too small: no move either. */
    m = filled(64, 64, 0);
    CHECK_OK(bytes_mut_split_to(&m, 40, &front));
    bytes_mut_drop(&front);
    {
        SNAP_MUT(m);
        CHECK(!bytes_mut_try_reclaim(&m, 41)); /* 24 + 41 > 64 */
        CHECK_MUT_UNCHANGED(m);
    }
    bytes_mut_drop(&m);

    /* The front half still alive: the storage is shared, nothing moves. */
    m = filled(64, 64, 0);
    CHECK_OK(bytes_mut_split_to(&m, 40, &front));
    {
        SNAP_MUT(m);
        CHECK(!bytes_mut_try_reclaim(&m, 30));
        CHECK_MUT_UNCHANGED(m);
    }
    CHECK_OK(bytes_mut_reserve(&m, 30)); /* grows into new storage */
    CHECK(bytes_mut_ptr(&m) != start);
    CHECK(holds_pattern(&m, 24, 40));
    CHECK(holds_pattern(&front, 40, 0));
    bytes_mut_drop(&front);
    bytes_mut_drop(&m);
}

/* The receive-buffer cycle, by its pointers: write, split the message off
 * (as a frozen bytes_t, say), drop it, and the next reserve reuses the
 * storage from its start. */
static void test_reclaim_cycle(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(256, &m));
    uint8_t *start = bytes_mut_ptr(&m);
    for (int round = 0; round < 20; round++) {
        CHECK_OK(bytes_mut_reserve(&m, 200));
        CHECK(bytes_mut_ptr(&m) == start);
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), 256);
        CHECK_OK(bytes_mut_put_bytes(&m, (uint8_t)round, 150));
        bytes_mut_t msg;
        CHECK_OK(bytes_mut_split_to(&m, 100, &msg)); /* 50 left over */
        bytes_t frozen = bytes_mut_freeze(&msg);
        CHECK(bytes_ptr(&frozen) == start);
        bytes_drop(&frozen);
        CHECK_OK(bytes_mut_advance(&m, 50));
        expect_mut_empty(&m);
    }
    bytes_mut_drop(&m);
}

static void test_is_unique(void)
{
    bytes_t b;
    CHECK_OK(bytes_copy_from(HELLO, HELLO_LEN, &b));
    CHECK(bytes_is_unique(&b));
    bytes_t c = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);

    uint8_t *p = malloc(HELLO_LEN);
    CHECK(p != NULL);
    memcpy(p, HELLO, HELLO_LEN);
    CHECK_OK(bytes_from_malloc(p, HELLO_LEN, &b));
    CHECK(bytes_is_unique(&b));
    CHECK_OK(bytes_slice(&b, 1, 3, &c));
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);

    b = bytes_from_static(HELLO, HELLO_LEN);
    CHECK(!bytes_is_unique(&b));
    b = bytes_new();
    CHECK(!bytes_is_unique(&b));
    CHECK(!bytes_is_unique(NULL));
}

int main(void)
{
    test_split_to();
    test_split_off();
    test_split();
    test_unsplit();
    test_reserve_spare_suffices();
    test_reclaim_after_region(0);
    test_reclaim_after_region(1);
    test_reclaim_to_front(0);
    test_reclaim_to_front(1);
    test_reclaim_cycle();
    test_is_unique();
    CHECK_DONE();
    return 0;
}
