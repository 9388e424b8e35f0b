/*
 * test_mut_errors.c - every error path of the bytes_mut_t functions and of
 * the conversions between bytes_t and bytes_mut_t (bytes_try_into_mut,
 * bytes_into_mut, bytes_compact), under the numbered rules at the top of bytes.h.
 *
 * Rule 4 is checked on every failing call, as in test_errors.c: the inputs
 * are byte-for-byte unchanged (SNAP_MUT / CHECK_MUT_UNCHANGED, SNAP /
 * CHECK_UNCHANGED), every out-parameter is all-zero (it was filled with
 * garbage before the call), and nothing is printed: the error calls run
 * with stdout and stderr redirected to a temporary file that must stay
 * empty. Sizes no allocator can satisfy (SIZE_MAX, SIZE_MAX / 2, ...) give
 * BYTES_ERR_NOMEM, not a crash or an abort.
 */
#include "capture.h"
#include "check_mut.h"

#include <stdint.h>
#include <unistd.h>

static const uint8_t ALPHA[] = "abcdefgh";
#define ALPHA_LEN (sizeof(ALPHA) - 1)

/* Sizes that overflow, or that no allocator can satisfy. */
static const size_t HUGE[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 16,
                              SIZE_MAX / 2 + 1, SIZE_MAX / 2,
                              SIZE_MAX / 2 - 16, SIZE_MAX / 4};
#define N_HUGE (sizeof HUGE / sizeof HUGE[0])

/* ---- helpers ------------------------------------------------------------ */

/* A buffer of capacity 32 holding ALPHA (8 bytes, 24 spare). */
static bytes_mut_t buf(void)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(32, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, ALPHA, ALPHA_LEN));
    return m;
}

/* The buffers every error is tried on: with spare room, full, advanced
 * (not at the front of its storage), one half of a split whose other half
 * is alive, and the empty buffer without storage. */
enum { WITH_SPARE, FULL, ADVANCED, SHARED, EMPTY, N_SHAPES };
struct shapes {
    bytes_mut_t m[N_SHAPES];
    bytes_mut_t other_half;
};

static void make_shapes(struct shapes *s)
{
    s->m[WITH_SPARE] = buf();
    CHECK_OK(bytes_mut_with_capacity(ALPHA_LEN, &s->m[FULL]));
    CHECK_OK(bytes_mut_extend_from_slice(&s->m[FULL], ALPHA, ALPHA_LEN));
    s->m[ADVANCED] = buf();
    CHECK_OK(bytes_mut_advance(&s->m[ADVANCED], 3));
    s->m[SHARED] = buf();
    CHECK_OK(bytes_mut_split_to(&s->m[SHARED], 2, &s->other_half));
    s->m[EMPTY] = bytes_mut_new();
}

/* The shapes' written bytes are still what make_shapes wrote. */
static void check_shapes(struct shapes *s)
{
    CHECK_MUT_BYTES(&s->m[WITH_SPARE], ALPHA, ALPHA_LEN);
    CHECK_MUT_BYTES(&s->m[FULL], ALPHA, ALPHA_LEN);
    CHECK_MUT_BYTES(&s->m[ADVANCED], ALPHA + 3, ALPHA_LEN - 3);
    CHECK_MUT_BYTES(&s->m[SHARED], ALPHA + 2, ALPHA_LEN - 2);
    CHECK_MUT_BYTES(&s->other_half, ALPHA, 2);
    CHECK_MUT_ZERO(&s->m[EMPTY]);
}

static void drop_shapes(struct shapes *s)
{
    for (int i = 0; i < N_SHAPES; i++)
        bytes_mut_drop(&s->m[i]);
    bytes_mut_drop(&s->other_half);
}

/* ---- construction --------------------------------------------------------- */

static void errors_construct(void)
{
    bytes_mut_t out;
    CHECK_STATUS(bytes_mut_with_capacity(16, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_with_capacity(0, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_zeroed(16, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_zeroed(0, NULL), BYTES_ERR_NULL);
    for (size_t i = 0; i < N_HUGE; i++) {
        if (!unallocatable(HUGE[i]))
            continue;
        GARBAGE_MUT(out);
        CHECK_STATUS(bytes_mut_with_capacity(HUGE[i], &out), BYTES_ERR_NOMEM);
        CHECK_MUT_ZERO(&out);
        GARBAGE_MUT(out);
        CHECK_STATUS(bytes_mut_zeroed(HUGE[i], &out), BYTES_ERR_NOMEM);
        CHECK_MUT_ZERO(&out);
    }
}

/* ---- growing -------------------------------------------------------------- */

static void errors_reserve(void)
{
    CHECK_STATUS(bytes_mut_reserve(NULL, 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_reserve(NULL, 8), BYTES_ERR_NULL);
    CHECK(!bytes_mut_try_reclaim(NULL, 0));
    CHECK(!bytes_mut_try_reclaim(NULL, 8));

    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);
        for (size_t i = 0; i < N_HUGE; i++) {
            if (!unallocatable(HUGE[i]))
                continue;
            CHECK_STATUS(bytes_mut_reserve(&m, HUGE[i]), BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
            CHECK(!bytes_mut_try_reclaim(&m, HUGE[i]));
            CHECK_MUT_UNCHANGED(m);
        }
        /* len + additional overflows by exactly one */
        size_t over = SIZE_MAX - bytes_mut_len(&m) + 1;
        if (over != 0) {
            CHECK_STATUS(bytes_mut_reserve(&m, over), BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
            CHECK(!bytes_mut_try_reclaim(&m, over));
            CHECK_MUT_UNCHANGED(m);
        }
    }
    check_shapes(&s);
    drop_shapes(&s);
}

static void errors_resize_put(void)
{
    CHECK_STATUS(bytes_mut_resize(NULL, 0, 'x'), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_resize(NULL, 4, 'x'), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u8(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u16_be(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u16_le(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u32_be(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u32_le(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u64_be(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_u64_le(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_bytes(NULL, 'x', 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_bytes(NULL, 'x', 3), BYTES_ERR_NULL);

    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);
        for (size_t i = 0; i < N_HUGE; i++) {
            if (!unallocatable(HUGE[i]))
                continue;
            CHECK_STATUS(bytes_mut_resize(&m, HUGE[i], 'x'), BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
            CHECK_STATUS(bytes_mut_put_bytes(&m, 'x', HUGE[i]),
                         BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
        }
        size_t over = SIZE_MAX - bytes_mut_len(&m) + 1; /* len + count wraps */
        if (over != 0) {
            CHECK_STATUS(bytes_mut_put_bytes(&m, 'x', over), BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
        }
    }
    check_shapes(&s);
    drop_shapes(&s);
}

static void errors_extend(void)
{
    CHECK_STATUS(bytes_mut_extend_from_slice(NULL, ALPHA, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_extend_from_slice(NULL, NULL, 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_extend_from_slice(NULL, NULL, 1), BYTES_ERR_NULL);

    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);

        /* Rule 5: NULL with a non-zero length. */
        CHECK_STATUS(bytes_mut_extend_from_slice(&m, NULL, 1), BYTES_ERR_NULL);
        CHECK_MUT_UNCHANGED(m);
        CHECK_STATUS(bytes_mut_extend_from_slice(&m, NULL, SIZE_MAX),
                     BYTES_ERR_NULL);
        CHECK_MUT_UNCHANGED(m);

        /* Lengths no buffer can grow by: the source (8 bytes) must not
         * be read. The source lies above m's region, so that the range it
         * claims does not reach over it (a source range that covers m's
         * spare capacity is ERR_INVALID instead). */
        uint8_t *src = source_above(&m, ALPHA, ALPHA_LEN);
        for (size_t i = 0; i < N_HUGE; i++) {
            if (!unallocatable(HUGE[i]))
                continue;
            CHECK_STATUS(bytes_mut_extend_from_slice(&m, src, HUGE[i]),
                         BYTES_ERR_NOMEM);
            CHECK_MUT_UNCHANGED(m);
        }
        unmap_source(src);

        /* Sources in the spare capacity: not written yet. */
        uint8_t *p = bytes_mut_ptr(&m);
        size_t len = bytes_mut_len(&m), cap = bytes_mut_capacity(&m);
        if (cap > len) {
            const struct { size_t off, n; } bad[] = {
                {len, 1},           /* the first spare byte */
                {len, cap - len},   /* all the spare */
                {cap - 1, 1},       /* the last one */
                {len + 1, 2},       /* inside it */
                {0, len + 1},       /* written bytes and one spare */
                {len - 1, 2},       /* straddling the boundary */
                {0, cap},           /* the whole region */
            };
            for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                if (bad[i].off > cap || len == 0) /* len - 1 on empty */
                    continue;
                bytes_status_t st =
                    bytes_mut_extend_from_slice(&m, p + bad[i].off, bad[i].n);
                if (st != BYTES_ERR_INVALID)
                    fprintf(stderr, "extend shape %d case %zu (off %zu, n "
                            "%zu)\n", k, i, bad[i].off, bad[i].n);
                CHECK_STATUS(st, BYTES_ERR_INVALID);
                CHECK_MUT_UNCHANGED(m);
            }
        }
    }
    check_shapes(&s);
    drop_shapes(&s);

    /* An empty buffer with storage: all of its region is spare. */
    bytes_mut_t e;
    CHECK_OK(bytes_mut_with_capacity(16, &e));
    SNAP_MUT(e);
    CHECK_STATUS(bytes_mut_extend_from_slice(&e, bytes_mut_ptr(&e), 4),
                 BYTES_ERR_INVALID);
    CHECK_MUT_UNCHANGED(e);
    bytes_mut_drop(&e);
}

/* ---- spare and commit ----------------------------------------------------- */

/* A source in m's own storage but outside its written bytes: bytes m
 * advanced over, or a split-off half that was dropped. While m is the
 * storage's only user, growing may move its bytes over them or free them:
 * ERR_INVALID and m unchanged, never wrong bytes or a read of freed memory.
 * A source in a part another handle holds stays alive: a correct append. */
static void errors_extend_from_own_storage(void)
{
    uint8_t text[64];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)('A' + i % 26);

    /* Advanced over: 30 written bytes at offset 30, 4 spare; appending 10
     * would move them to the front, over the source. */
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, text, 60));
    CHECK_OK(bytes_mut_advance(&m, 30));
    const uint8_t *before = bytes_mut_ptr(&m) - 30;
    {
        SNAP_MUT(m);
        CHECK_STATUS(bytes_mut_extend_from_slice(&m, before, 10), BYTES_ERR_INVALID);
        CHECK_MUT_UNCHANGED(m);
        CHECK_MUT_BYTES(&m, text + 30, 30);
    }
    bytes_mut_drop(&m);

    /* Split off and dropped: the bytes after m's region are nobody's. */
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, text, 64));
    bytes_mut_t back;
    CHECK_OK(bytes_mut_split_off(&m, 32, &back));
    const uint8_t *after = bytes_mut_ptr(&back);
    bytes_mut_drop(&back);
    {
        SNAP_MUT(m);
        CHECK_STATUS(bytes_mut_extend_from_slice(&m, after + 8, 16), BYTES_ERR_INVALID);
        CHECK_MUT_UNCHANGED(m);
    }
    bytes_mut_drop(&m);

    /* Held by a frozen front: shared storage, so growing copies m's bytes
     * elsewhere and the front keeps the source alive: a correct append. */
    CHECK_OK(bytes_mut_with_capacity(32, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, text, 32));
    bytes_mut_t head;
    CHECK_OK(bytes_mut_split_to(&m, 10, &head));
    bytes_t frozen = bytes_mut_freeze(&head);
    CHECK_OK(bytes_mut_extend_from_slice(&m, bytes_ptr(&frozen), 10));
    uint8_t want[32];
    memcpy(want, text + 10, 22);
    memcpy(want + 22, text, 10);
    CHECK_MUT_BYTES(&m, want, 32);
    bytes_drop(&frozen);
    bytes_mut_drop(&m);
}

static void errors_spare_commit(void)
{
    size_t n = 99;
    CHECK(bytes_mut_spare(NULL, &n) != NULL);
    CHECK_EQ_SIZE(n, 0);
    CHECK(bytes_mut_spare(NULL, NULL) != NULL);
    CHECK_STATUS(bytes_mut_commit(NULL, 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_commit(NULL, 1), BYTES_ERR_NULL);

    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);
        size_t spare = 99;
        CHECK(bytes_mut_spare(&m, &spare) != NULL);
        CHECK_EQ_SIZE(spare, bytes_mut_capacity(&m) - bytes_mut_len(&m));
        CHECK_MUT_UNCHANGED(m);
        const size_t bad[] = {spare + 1, spare + 100, SIZE_MAX};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            CHECK_STATUS(bytes_mut_commit(&m, bad[i]), BYTES_ERR_RANGE);
            CHECK_MUT_UNCHANGED(m);
        }
    }
    check_shapes(&s);
    drop_shapes(&s);
}

/* ---- splitting, advance ---------------------------------------------------- */

static void errors_split(void)
{
    bytes_mut_t out;
    for (int off = 0; off < 2; off++) {
        bytes_status_t (*split)(bytes_mut_t *, size_t, bytes_mut_t *) =
            off ? bytes_mut_split_off : bytes_mut_split_to;
        GARBAGE_MUT(out);
        CHECK_STATUS(split(NULL, 0, &out), BYTES_ERR_NULL);
        CHECK_MUT_ZERO(&out);
        CHECK_STATUS(split(NULL, 0, NULL), BYTES_ERR_NULL);

        struct shapes s;
        make_shapes(&s);
        for (int k = 0; k < N_SHAPES; k++) {
            bytes_mut_t m = s.m[k];
            SNAP_MUT(m);
            size_t len = bytes_mut_len(&m), cap = bytes_mut_capacity(&m);

            CHECK_STATUS(split(&m, 0, NULL), BYTES_ERR_NULL);
            CHECK_MUT_UNCHANGED(m);

            /* split_to cuts the written bytes, split_off the capacity. */
            size_t limit = off ? cap : len;
            const size_t bad[] = {limit + 1, limit + 2, cap + 1, cap * 2 + 1,
                                  SIZE_MAX, SIZE_MAX / 2};
            for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                GARBAGE_MUT(out);
                CHECK_STATUS(split(&m, bad[i], &out), BYTES_ERR_RANGE);
                CHECK_MUT_ZERO(&out);
                CHECK_MUT_UNCHANGED(m);
            }
            if (!off && cap > len) { /* split_to into the spare */
                GARBAGE_MUT(out);
                CHECK_STATUS(split(&m, cap, &out), BYTES_ERR_RANGE);
                CHECK_MUT_ZERO(&out);
                CHECK_MUT_UNCHANGED(m);
            }

            /* out and m the same handle. */
            CHECK_STATUS(split(&m, 0, &m), BYTES_ERR_INVALID);
            CHECK_MUT_UNCHANGED(m);
            CHECK_STATUS(split(&m, len / 2, &m), BYTES_ERR_INVALID);
            CHECK_MUT_UNCHANGED(m);
            CHECK_STATUS(split(&m, len, &m), BYTES_ERR_INVALID);
            CHECK_MUT_UNCHANGED(m);
        }
        check_shapes(&s);
        drop_shapes(&s);
    }

    out = bytes_mut_split(NULL);
    CHECK_MUT_ZERO(&out);
}

static void errors_unsplit(void)
{
    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);
        CHECK_STATUS(bytes_mut_unsplit(&m, NULL), BYTES_ERR_NULL);
        CHECK_MUT_UNCHANGED(m);
        CHECK_STATUS(bytes_mut_unsplit(NULL, &m), BYTES_ERR_NULL);
        CHECK_MUT_UNCHANGED(m);
        CHECK_STATUS(bytes_mut_unsplit(&m, &m), BYTES_ERR_INVALID);
        CHECK_MUT_UNCHANGED(m);
    }
    CHECK_STATUS(bytes_mut_unsplit(NULL, NULL), BYTES_ERR_NULL);
    /* The split neighbours, with one of them NULL: nothing joins. */
    bytes_mut_t half = s.other_half;
    SNAP_MUT(half);
    CHECK_STATUS(bytes_mut_unsplit(&half, NULL), BYTES_ERR_NULL);
    CHECK_MUT_UNCHANGED(half);
    check_shapes(&s);
    drop_shapes(&s);
}

static void errors_advance(void)
{
    CHECK_STATUS(bytes_mut_advance(NULL, 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_advance(NULL, 1), BYTES_ERR_NULL);
    struct shapes s;
    make_shapes(&s);
    for (int k = 0; k < N_SHAPES; k++) {
        bytes_mut_t m = s.m[k];
        SNAP_MUT(m);
        size_t len = bytes_mut_len(&m), cap = bytes_mut_capacity(&m);
        /* Past the written bytes, even when inside the capacity. */
        const size_t bad[] = {len + 1, cap + 1, SIZE_MAX, SIZE_MAX / 2};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            CHECK_STATUS(bytes_mut_advance(&m, bad[i]), BYTES_ERR_RANGE);
            CHECK_MUT_UNCHANGED(m);
        }
        if (cap > len) {
            CHECK_STATUS(bytes_mut_advance(&m, cap), BYTES_ERR_RANGE);
            CHECK_MUT_UNCHANGED(m);
        }
    }
    check_shapes(&s);
    drop_shapes(&s);
}

/* Functions without a status: NULL is a no-op or an empty result. */
static void null_handles(void)
{
    bytes_mut_truncate(NULL, 0);
    bytes_mut_truncate(NULL, 5);
    bytes_mut_clear(NULL);
    bytes_mut_drop(NULL);
    bytes_t b = bytes_mut_freeze(NULL);
    CHECK_ZERO(&b);
    CHECK(!bytes_mut_try_reclaim(NULL, 0));
    CHECK(!bytes_is_unique(NULL));
    CHECK(bytes_mut_ptr(NULL) != NULL);
    CHECK_EQ_SIZE(bytes_mut_len(NULL), 0);
    CHECK_EQ_SIZE(bytes_mut_capacity(NULL), 0);
}

/* ---- bytes_t <-> bytes_mut_t -------------------------------------------- */

static void errors_into_mut(void)
{
    bytes_mut_t out;
    bytes_t heap;
    CHECK_OK(bytes_copy_from(ALPHA, ALPHA_LEN, &heap));
    SNAP(heap);

    for (int copy = 0; copy < 2; copy++) {
        bytes_status_t (*conv)(bytes_t *, bytes_mut_t *) =
            copy ? bytes_into_mut : bytes_try_into_mut;
        GARBAGE_MUT(out);
        CHECK_STATUS(conv(NULL, &out), BYTES_ERR_NULL);
        CHECK_MUT_ZERO(&out);
        CHECK_STATUS(conv(&heap, NULL), BYTES_ERR_NULL);
        CHECK_UNCHANGED(heap);
        CHECK_STATUS(conv(NULL, NULL), BYTES_ERR_NULL);
        bytes_t z = {0};
        CHECK_STATUS(conv(&z, NULL), BYTES_ERR_NULL);
        CHECK_ZERO(&z);
    }

    /* bytes_try_into_mut: ERR_NOT_UNIQUE whenever a copy would be needed. */
    uint8_t *p = malloc(ALPHA_LEN);
    CHECK(p != NULL);
    memcpy(p, ALPHA, ALPHA_LEN);
    bytes_t adopted, adopted_slice, static_b, static_slice, clone, slice;
    CHECK_OK(bytes_from_malloc(p, ALPHA_LEN, &adopted));
    static_b = bytes_from_static(ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_slice(&static_b, 1, 4, &static_slice));
    clone = bytes_clone(&heap);
    CHECK_OK(bytes_slice(&heap, 2, 5, &slice));

    bytes_t *cases[] = {
        &heap,         /* shared with clone and slice */
        &clone,        /* a clone */
        &slice,        /* a slice, the storage shared */
        &adopted,      /* from malloc, even as its only handle */
        &static_b,     /* static */
        &static_slice, /* static, a slice of it */
        NULL,          /* then: a slice of adopted memory, shared */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i] == NULL) {
            CHECK_OK(bytes_slice(&adopted, 1, 3, &adopted_slice));
            cases[i] = &adopted_slice;
        }
        bytes_t b = *cases[i];
        SNAP(b);
        GARBAGE_MUT(out);
        bytes_status_t st = bytes_try_into_mut(&b, &out);
        if (st != BYTES_ERR_NOT_UNIQUE)
            fprintf(stderr, "try_into_mut case %zu\n", i);
        CHECK_STATUS(st, BYTES_ERR_NOT_UNIQUE);
        CHECK_MUT_ZERO(&out);
        CHECK_UNCHANGED(b);
    }
    CHECK_BYTES(&heap, ALPHA, ALPHA_LEN);
    CHECK_BYTES(&slice, "cde", 3);
    CHECK_BYTES(&adopted, ALPHA, ALPHA_LEN);
    CHECK_BYTES(&adopted_slice, "bc", 2);
    bytes_drop(&adopted_slice);
    bytes_drop(&adopted);
    bytes_drop(&static_slice);
    bytes_drop(&clone);
    bytes_drop(&slice);
    bytes_drop(&heap);

    /* bytes_compact */
    CHECK_STATUS(bytes_compact(NULL), BYTES_ERR_NULL);
}

int main(void)
{
    /* Rule 4 also says: never prints. */
    capture_start();
    errors_construct();
    errors_reserve();
    errors_resize_put();
    errors_extend();
    errors_extend_from_own_storage();
    errors_spare_commit();
    errors_split();
    errors_unsplit();
    errors_advance();
    null_handles();
    errors_into_mut();
    CHECK_PRINTED_NOTHING("during error calls");
    CHECK_DONE();
    return 0;
}
