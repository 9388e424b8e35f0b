/*
 * test_mut_alloc.c - what bytes_mut_t costs in heap allocations, and when
 * its storage is reused, grown or released, observed with alloc_count
 * (which replaces malloc & co. for the whole process, libbytes included).
 *
 *   - a storage is one block: a 16-byte header, then the data;
 *     bytes_mut_with_capacity(n) is exactly one allocation of capacity n,
 *     bytes_mut_new and capacity 0 none;
 *   - splitting, unsplitting neighbours, freezing, advance, truncate,
 *     clear: no allocation;
 *   - bytes_mut_reserve reuses the storage when the buffer is its only
 *     user (the room after the region, or moving the bytes to the front),
 *     reallocs when at the front, else copies into a new storage and
 *     releases the old one; bytes_mut_try_reclaim never allocates;
 *   - growth is amortised: the capacity at least doubles;
 *   - errors allocate nothing and leak nothing.
 *
 * Built twice: against libbytes.so (test_mut_alloc) and libbytes.a
 * (test_mut_alloc_static).
 */
#include "check_alloc.h"
#include "check_mut.h"

#include <malloc.h>
#include <stdint.h>

/* The heap storage's header, in front of the data in the same block: the
 * count, the capacity and the original capacity, three words rounded up to
 * a multiple of 8 bytes (24 on 64-bit targets, 16 on 32-bit ones). */
#define HEADER_SIZE ((3 * sizeof(size_t) + 7) & ~(size_t)7)

static const uint8_t TEXT[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";
#define TEXT_LEN (sizeof(TEXT) - 1)

/* A new buffer of capacity `cap` and the block it lives in (watched). */
static bytes_mut_t with_capacity(size_t cap, uint8_t **block)
{
    struct counts s = now();
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(cap, &m));
    CHECK_DELTA(s, 1, 0);
    *block = alloc_count_last();
    CHECK_COUNTED(*block != NULL);
    CHECK_COUNTED(bytes_mut_ptr(&m) == *block + HEADER_SIZE);
    CHECK(alloc_watch(*block));
    return m;
}

/* Fill the buffer's spare capacity with a pattern from `seed`. */
static void fill(bytes_mut_t *m, uint8_t seed)
{
    size_t n;
    uint8_t *sp = bytes_mut_spare(m, &n);
    for (size_t i = 0; i < n; i++)
        sp[i] = (uint8_t)(seed + i);
    CHECK_OK(bytes_mut_commit(m, n));
}

/* The first calls into the library may allocate once for the Rust
 * runtime's lazily initialised state: run every function once first. */
static void warm_up(void)
{
    bytes_mut_t m, o;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 20));
    CHECK_OK(bytes_mut_put_u8(&m, 1));
    CHECK_OK(bytes_mut_put_u16_be(&m, 1));
    CHECK_OK(bytes_mut_put_u32_le(&m, 1));
    CHECK_OK(bytes_mut_put_u64_be(&m, 1));
    CHECK_OK(bytes_mut_put_bytes(&m, 1, 3));
    CHECK_OK(bytes_mut_resize(&m, 40, 0));
    CHECK(bytes_mut_spare(&m, NULL) != NULL);
    CHECK_OK(bytes_mut_commit(&m, 1));
    CHECK_OK(bytes_mut_split_to(&m, 2, &o));
    CHECK_OK(bytes_mut_unsplit(&o, &m));
    CHECK_OK(bytes_mut_split_off(&o, 30, &m));
    bytes_mut_drop(&m);
    m = bytes_mut_split(&o);
    CHECK_OK(bytes_mut_advance(&m, 1));
    bytes_mut_truncate(&m, 5);
    bytes_mut_clear(&o);
    (void)bytes_mut_try_reclaim(&o, 1);
    CHECK_OK(bytes_mut_reserve(&o, 100));
    bytes_t b = bytes_mut_freeze(&m);
    CHECK(bytes_is_unique(&b));
    CHECK_OK(bytes_try_into_mut(&b, &m));
    bytes_mut_drop(&m);
    bytes_mut_drop(&o);
    CHECK_OK(bytes_mut_zeroed(3, &m));
    bytes_mut_drop(&m);
    CHECK_STATUS(bytes_mut_reserve(&m, SIZE_MAX), BYTES_ERR_NOMEM);
    CHECK_STATUS(bytes_mut_split_to(&m, 1, &o), BYTES_ERR_RANGE);
}

/* ---- one block per storage --------------------------------------------- */

static void test_one_block(void)
{
    struct counts s = now();
    bytes_mut_t m = bytes_mut_new();
    CHECK_OK(bytes_mut_with_capacity(0, &m));
    CHECK_OK(bytes_mut_zeroed(0, &m));
    bytes_mut_drop(&m);
    CHECK_DELTA(s, 0, 0);

    const size_t sizes[] = {1, 7, 64, 1000, 1 << 20}; /* the last one: mmap */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *block;
        m = with_capacity(sizes[i], &block);
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), sizes[i]); /* exactly */
        CHECK_COUNTED(malloc_usable_size(block) >= HEADER_SIZE + sizes[i]);
        s = now();
        bytes_mut_drop(&m);
        CHECK_DELTA(s, 0, 1);
        CHECK_FREED(block, 1);
        alloc_unwatch(block);

        s = now();
        CHECK_OK(bytes_mut_zeroed(sizes[i], &m));
        CHECK_DELTA(s, 1, 0);
        block = alloc_count_last();
        CHECK_COUNTED(bytes_mut_ptr(&m) == block + HEADER_SIZE);
        bytes_mut_drop(&m);
        CHECK_DELTA(s, 1, 1);
    }
}

/* ---- no allocation for cutting and freezing ------------------------------ */

static void test_splits_free_of_charge(void)
{
    uint8_t *block;
    bytes_mut_t m = with_capacity(256, &block);
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, TEXT_LEN));

    struct counts s = now();
    bytes_mut_t h[6];
    CHECK_OK(bytes_mut_split_to(&m, 4, &h[0]));    /* "GET " */
    CHECK_OK(bytes_mut_split_to(&m, 0, &h[1]));    /* nothing */
    CHECK_OK(bytes_mut_split_off(&m, 100, &h[2])); /* spare only */
    CHECK_OK(bytes_mut_split_off(&m, 20, &h[3]));
    h[4] = bytes_mut_split(&m);
    CHECK_OK(bytes_mut_advance(&h[4], 3));
    bytes_mut_truncate(&h[4], 5);
    bytes_mut_clear(&h[3]);
    CHECK(bytes_mut_try_reclaim(&h[2], 10)); /* its own spare */
    CHECK_OK(bytes_mut_reserve(&h[2], 10));
    CHECK_OK(bytes_mut_unsplit(&h[3], &h[2])); /* h[2] holds no bytes */
    bytes_t f0 = bytes_mut_freeze(&h[0]);
    CHECK_BYTES(&f0, "GET ", 4);
    bytes_t f1 = bytes_mut_freeze(&h[1]);
    expect_empty(&f1);
    h[5] = m;
    CHECK_DELTA(s, 0, 0);

    /* The storage goes with its last user, not before. */
    bytes_drop(&f0);
    const int order[] = {5, 2, 1, 0, 4, 3};
    for (int k = 0; k < 6; k++) {
        CHECK_FREED(block, 0);
        bytes_mut_drop(&h[order[k]]);
    }
    CHECK_FREED(block, 1);
    CHECK_DELTA(s, 0, 1);
    alloc_unwatch(block);
}

static void test_freeze(void)
{
    uint8_t *block;
    bytes_mut_t m = with_capacity(64, &block);
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 10));
    uint8_t *p = bytes_mut_ptr(&m);
    struct counts s = now();
    bytes_t b = bytes_mut_freeze(&m);
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&b) == p);
    CHECK_MUT_ZERO(&m);
    bytes_t c = bytes_clone(&b);
    bytes_drop(&b);
    CHECK_FREED(block, 0);
    bytes_drop(&c);
    CHECK_FREED(block, 1);
    CHECK_DELTA(s, 0, 1);
    alloc_unwatch(block);

    /* Freezing an empty buffer releases its storage: freed at once when
     * it was the last user ... */
    m = with_capacity(64, &block);
    s = now();
    b = bytes_mut_freeze(&m);
    expect_empty(&b);
    CHECK_FREED(block, 1);
    CHECK_DELTA(s, 0, 1);
    bytes_drop(&b);
    CHECK_DELTA(s, 0, 1);
    alloc_unwatch(block);

    /* ... and not while another half uses it. */
    m = with_capacity(64, &block);
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 10));
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 10, &front)); /* m: empty, spare only */
    s = now();
    b = bytes_mut_freeze(&m);
    expect_empty(&b);
    CHECK_DELTA(s, 0, 0);
    CHECK_MUT_BYTES(&front, TEXT, 10);
    bytes_mut_drop(&front);
    CHECK_FREED(block, 1);
    bytes_drop(&b);
    CHECK_DELTA(s, 0, 1);
    alloc_unwatch(block);
}

/* ---- reserve: reuse, realloc, or a new storage -------------------------- */

/* The common case: a receive buffer filled, its message split off and
 * dropped; reserving again within the original capacity allocates nothing
 * and starts at the original data start again (step 2). */
static void test_reclaim_after_split_to(void)
{
    const size_t ks[] = {1, 16, 32, 40, 63};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        size_t k = ks[i];
        uint8_t *block;
        bytes_mut_t m = with_capacity(64, &block);
        uint8_t *start = bytes_mut_ptr(&m);
        fill(&m, 0);
        CHECK_EQ_SIZE(bytes_mut_len(&m), 64);
        bytes_mut_t msg;
        CHECK_OK(bytes_mut_split_to(&m, k, &msg));
        bytes_mut_drop(&msg);
        size_t left = 64 - k;
        struct counts s = now();
        if (left <= k) { /* step 2 applies: the bytes fit before them */
            CHECK_OK(bytes_mut_reserve(&m, k));
            CHECK_DELTA(s, 0, 0);
            CHECK(bytes_mut_ptr(&m) == start);
            CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64);
            CHECK(holds_pattern(&m, left, (uint8_t)k));
        } else { /* moving would cost more than it saves: grows */
            CHECK(!bytes_mut_try_reclaim(&m, k));
            CHECK_DELTA(s, 0, 0);
            CHECK_OK(bytes_mut_reserve(&m, k));
            CHECK(bytes_mut_capacity(&m) >= 64);
            CHECK(holds_pattern(&m, left, (uint8_t)k));
        }
        bytes_mut_drop(&m);
        CHECK_FREED(block, 1);
        alloc_unwatch(block);
    }
}

/* The same, after bytes_mut_split (everything written taken out), with
 * the message frozen or dropped as a buffer, and the buffer full or not. */
static void test_reclaim_after_split(void)
{
    for (int full = 0; full < 2; full++) {
        for (int frozen = 0; frozen < 2; frozen++) {
            uint8_t *block;
            bytes_mut_t m = with_capacity(64, &block);
            uint8_t *start = bytes_mut_ptr(&m);
            if (full)
                fill(&m, 0);
            else
                CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 20));
            bytes_mut_t msg = bytes_mut_split(&m);
            if (frozen) {
                bytes_t b = bytes_mut_freeze(&msg);
                CHECK(bytes_ptr(&b) == start);
                bytes_drop(&b);
            } else {
                bytes_mut_drop(&msg);
            }
            CHECK_FREED(block, 0);
            struct counts s = now();
            CHECK_OK(bytes_mut_reserve(&m, 64));
            if (now().allocs != s.allocs || bytes_mut_ptr(&m) != start)
                fprintf(stderr, "split of a %s buffer, message %s: "
                        "reserve(64) allocated %zu, ptr %s the start\n",
                        full ? "full" : "partly written",
                        frozen ? "frozen and dropped" : "dropped",
                        now().allocs - s.allocs,
                        bytes_mut_ptr(&m) == start ? "at" : "not at");
            CHECK_DELTA(s, 0, 0);
            CHECK(bytes_mut_ptr(&m) == start);
            CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64);
            expect_mut_empty(&m);
            bytes_mut_drop(&m);
            CHECK_FREED(block, 1);
            alloc_unwatch(block);
        }
    }
}

/* Step 1: a split-off back half dropped: the region grows back over it,
 * same pointer, no allocation. */
static void test_reclaim_after_split_off(void)
{
    for (int use_try = 0; use_try < 2; use_try++) {
        uint8_t *block;
        bytes_mut_t m = with_capacity(64, &block);
        uint8_t *start = bytes_mut_ptr(&m);
        CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 10));
        bytes_mut_t back;
        CHECK_OK(bytes_mut_split_off(&m, 16, &back));
        CHECK_OK(bytes_mut_extend_from_slice(&back, TEXT, 30));
        bytes_mut_drop(&back);
        struct counts s = now();
        if (use_try)
            CHECK(bytes_mut_try_reclaim(&m, 50));
        else
            CHECK_OK(bytes_mut_reserve(&m, 50));
        CHECK_DELTA(s, 0, 0);
        CHECK(bytes_mut_ptr(&m) == start);
        CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64);
        CHECK_MUT_BYTES(&m, TEXT, 10);
        CHECK_OK(bytes_mut_put_bytes(&m, 'x', 54)); /* all of it usable */
        CHECK_DELTA(s, 0, 0);
        bytes_mut_drop(&m);
        CHECK_FREED(block, 1);
        alloc_unwatch(block);
    }
}

/* Growing when reuse cannot help. */
static void test_grow(void)
{
    /* Unique, at the front of its storage: realloc. */
    uint8_t *block;
    bytes_mut_t m = with_capacity(64, &block);
    fill(&m, 0);
    struct counts s = now();
    CHECK_OK(bytes_mut_reserve(&m, 1));
    CHECK_DELTA3(s, 0, 0, 1);
    CHECK(bytes_mut_capacity(&m) >= 128); /* doubled */
    CHECK(holds_pattern(&m, 64, 0));
    alloc_unwatch(block); /* realloc may have moved it */
    block = alloc_count_last();
    CHECK_COUNTED(bytes_mut_ptr(&m) == block + HEADER_SIZE);
    s = now();
    bytes_mut_drop(&m);
    CHECK_DELTA(s, 0, 1);

    /* Unique, not at the front, no room to move: the storage is
     * realloc'ed to twice its size with the bytes where they were in it
     * (the crate's capacities: 2 * 64 - 10). */
    m = with_capacity(64, &block);
    fill(&m, 0);
    CHECK_OK(bytes_mut_advance(&m, 10)); /* 54 bytes, 10 before them */
    s = now();
    CHECK(!bytes_mut_try_reclaim(&m, 20));
    CHECK_DELTA(s, 0, 0);
    CHECK_OK(bytes_mut_reserve(&m, 20));
    CHECK_DELTA3(s, 0, 0, 1);
    CHECK(bytes_mut_capacity(&m) == 118);
    CHECK(holds_pattern(&m, 54, 10));
    alloc_unwatch(block); /* realloc may have moved it */
    block = alloc_count_last();
    CHECK_COUNTED(bytes_mut_ptr(&m) == block + HEADER_SIZE + 10);
    s = now();
    bytes_mut_drop(&m);
    CHECK_DELTA(s, 0, 1);

    /* Shared with a split half: a new storage; the old one stays for the
     * other half. */
    m = with_capacity(64, &block);
    fill(&m, 0);
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 40, &front));
    s = now();
    CHECK(!bytes_mut_try_reclaim(&m, 30));
    CHECK_OK(bytes_mut_reserve(&m, 30));
    CHECK_DELTA(s, 1, 0);
    CHECK_FREED(block, 0);
    CHECK(holds_pattern(&m, 24, 40));
    CHECK(holds_pattern(&front, 40, 0));
    bytes_mut_drop(&front);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);
    bytes_mut_drop(&m);
    CHECK_DELTA(s, 1, 2);
}

/* Extending 64 bytes at a time from nothing to 1 MiB: O(log n) growths,
 * each at least doubling the capacity. */
static void test_amortised(void)
{
    uint8_t chunk[64];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (uint8_t)i;
    const size_t total = 1 << 20;

    for (int how = 0; how < 2; how++) {
        bytes_mut_t m = bytes_mut_new();
        struct counts s = now();
        size_t growths = 0, cap = 0;
        for (size_t len = 0; len < total; len += sizeof chunk) {
            if (how == 0) {
                CHECK_OK(bytes_mut_extend_from_slice(&m, chunk, sizeof chunk));
            } else { /* the read(2) way: reserve, write the spare, commit */
                CHECK_OK(bytes_mut_reserve(&m, sizeof chunk));
                memcpy(bytes_mut_spare(&m, NULL), chunk, sizeof chunk);
                CHECK_OK(bytes_mut_commit(&m, sizeof chunk));
            }
            if (bytes_mut_capacity(&m) != cap) {
                if (cap != 0)
                    CHECK(bytes_mut_capacity(&m) >= 2 * cap);
                cap = bytes_mut_capacity(&m);
                growths++;
            }
        }
        struct counts e = now();
        size_t events = (e.allocs - s.allocs) + (e.reallocs - s.reallocs);
        CHECK(growths <= 20);
        CHECK_COUNTED(events <= 20);
        if (alloc_count_available()) {
            CHECK_EQ_SIZE(events, growths);
            CHECK_EQ_SIZE(e.allocs - s.allocs, 1); /* then realloc in place */
            CHECK_EQ_SIZE(e.frees - s.frees, 0);
        }
        CHECK_EQ_SIZE(bytes_mut_len(&m), total);
        int ok = 1;
        for (size_t i = 0; i < total; i++)
            ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(i % 64);
        CHECK(ok);
        bytes_mut_drop(&m);
    }

    /* One byte at a time. */
    bytes_mut_t m = bytes_mut_new();
    struct counts s = now();
    for (size_t i = 0; i < 100000; i++)
        CHECK_OK(bytes_mut_put_u8(&m, (uint8_t)i));
    struct counts e = now();
    CHECK_COUNTED((e.allocs - s.allocs) + (e.reallocs - s.reallocs) <= 20);
    bytes_mut_drop(&m);
}

/* Extending with the buffer's own bytes, when that must grow it. */
static void test_extend_own_bytes(void)
{
    uint8_t *block;
    bytes_mut_t m = with_capacity(32, &block);
    fill(&m, 0);
    struct counts s = now();
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m), 16));
    CHECK_DELTA3(s, 0, 0, 1); /* unique, at the front: realloc */
    CHECK_EQ_SIZE(bytes_mut_len(&m), 48);
    int ok = 1;
    for (size_t i = 0; i < 48; i++)
        ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(i % 32);
    CHECK(ok);
    alloc_unwatch(block);
    bytes_mut_drop(&m);
}

/* The same when growing moves the bytes and releases the old storage at
 * once: the source must be read from where the bytes are now. Blocks this
 * large come from mmap (main() fixes glibc's threshold) and are unmapped
 * when freed: a read from the old place would fault. (In the checker
 * builds, ASan and valgrind report such a read as a use after free.) */
static void test_extend_own_bytes_moving(void)
{
    const size_t big = 512 * 1024;

    /* Unique, not at the front, no room to move: realloc with the bytes
     * kept where they are in the storage; the mapping may move. */
    uint8_t *block;
    bytes_mut_t m = with_capacity(big, &block);
    fill(&m, 0);
    CHECK_OK(bytes_mut_advance(&m, 10));
    struct counts s = now();
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m) + 6,
                                         big - 16));
    CHECK_DELTA3(s, 0, 0, 1);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 2 * (big - 10) - 6);
    int ok = 1;
    for (size_t i = 0; i < big - 10; i++)
        ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(10 + i);
    for (size_t i = 0; i < big - 16; i++)
        ok &= bytes_mut_ptr(&m)[big - 10 + i] == (uint8_t)(16 + i);
    CHECK(ok);
    alloc_unwatch(block);
    bytes_mut_drop(&m);

    /* Unique, at the front: realloc, which may move the mapping. */
    m = with_capacity(big, &block);
    fill(&m, 0);
    s = now();
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m), big));
    CHECK_DELTA3(s, 0, 0, 1);
    ok = bytes_mut_len(&m) == 2 * big;
    for (size_t i = 0; ok && i < 2 * big; i++)
        ok &= bytes_mut_ptr(&m)[i] == (uint8_t)(i % big);
    CHECK(ok);
    alloc_unwatch(block);
    bytes_mut_drop(&m);
}

/* ---- unsplit -------------------------------------------------------------- */

static void test_unsplit_cost(void)
{
    uint8_t *block;
    bytes_mut_t m = with_capacity(64, &block);
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 30));
    bytes_mut_t front, back;
    struct counts s = now();
    CHECK_OK(bytes_mut_split_to(&m, 10, &front));
    CHECK_OK(bytes_mut_split_off(&m, 20, &back));
    CHECK_OK(bytes_mut_unsplit(&m, &back));
    CHECK_OK(bytes_mut_unsplit(&front, &m));
    CHECK_DELTA(s, 0, 0); /* neighbours: O(1) */
    CHECK_MUT_BYTES(&front, TEXT, 30);
    CHECK_EQ_SIZE(bytes_mut_capacity(&front), 64);
    CHECK_COUNTED(bytes_mut_ptr(&front) == block + HEADER_SIZE);
    /* One storage, one user again: reserve reuses all of it. */
    CHECK_OK(bytes_mut_reserve(&front, 34));
    CHECK_DELTA(s, 0, 0);
    bytes_mut_drop(&front);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    /* Not neighbours, with room: a copy into m's spare, other's storage
     * released by the unsplit. */
    uint8_t *b2;
    m = with_capacity(64, &block);
    bytes_mut_t other = with_capacity(16, &b2);
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 10));
    CHECK_OK(bytes_mut_extend_from_slice(&other, TEXT + 10, 10));
    s = now();
    CHECK_OK(bytes_mut_unsplit(&m, &other));
    CHECK_DELTA(s, 0, 1);
    CHECK_FREED(b2, 1);
    CHECK_MUT_ZERO(&other);
    CHECK_MUT_BYTES(&m, TEXT, 20);
    bytes_mut_drop(&m);
    alloc_unwatch(block);
    alloc_unwatch(b2);
}

/* ---- errors cost nothing --------------------------------------------------- */

static void test_errors_cost_nothing(void)
{
    bytes_mut_t m, out;
    CHECK_OK(bytes_mut_with_capacity(32, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 8));
    struct counts s = now();
    const size_t huge[] = {SIZE_MAX, SIZE_MAX / 2, SIZE_MAX / 2 - 16,
                           SIZE_MAX / 4};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        if (!unallocatable(huge[i]))
            continue;
        CHECK_STATUS(bytes_mut_with_capacity(huge[i], &out), BYTES_ERR_NOMEM);
        CHECK_STATUS(bytes_mut_zeroed(huge[i], &out), BYTES_ERR_NOMEM);
        CHECK_STATUS(bytes_mut_reserve(&m, huge[i]), BYTES_ERR_NOMEM);
        CHECK(!bytes_mut_try_reclaim(&m, huge[i]));
        CHECK_STATUS(bytes_mut_resize(&m, huge[i], 0), BYTES_ERR_NOMEM);
        CHECK_STATUS(bytes_mut_put_bytes(&m, 0, huge[i]), BYTES_ERR_NOMEM);
    }
    CHECK_STATUS(bytes_mut_extend_from_slice(&m, NULL, 3), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_extend_from_slice(&m, bytes_mut_ptr(&m) + 8, 1),
                 BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_mut_commit(&m, 25), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_mut_split_to(&m, 9, &out), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_mut_split_off(&m, 33, &out), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_mut_split_off(&m, 1, &m), BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_mut_unsplit(&m, &m), BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_mut_advance(&m, 9), BYTES_ERR_RANGE);
    /* A failed allocation is not counted by alloc_count (it returned
     * NULL), so any non-zero delta here is a leak or waste. */
    CHECK_DELTA(s, 0, 0);
    CHECK_MUT_BYTES(&m, TEXT, 8);
    bytes_mut_drop(&m);
}

int main(void)
{
    /* Blocks of 128 KiB and more are mmap'ed, and unmapped when freed:
     * a fixed threshold (glibc raises its default one after large frees),
     * so that reading freed storage faults instead of going unnoticed.
     * Not in the checker builds: glibc's malloc is not the one in use, and
     * the checker reports any read of freed storage itself. */
    if (alloc_count_available())
        CHECK(mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
    CHECK(alloc_count_start());
    warm_up();
    test_one_block();
    test_splits_free_of_charge();
    test_freeze();
    test_reclaim_after_split_to();
    test_reclaim_after_split_off();
    test_grow();
    test_amortised();
    test_extend_own_bytes();
    test_extend_own_bytes_moving();
    test_unsplit_cost();
    test_errors_cost_nothing();
    test_reclaim_after_split();
    CHECK_DONE();
    return 0;
}
