/*
 * test_into_mut.c - from bytes_t back to bytes_mut_t, and memory retention:
 * bytes_is_unique, bytes_try_into_mut, bytes_into_mut and bytes_compact,
 * with their costs observed by alloc_count.
 *
 *   - bytes_try_into_mut takes the storage over without a copy (same
 *     pointer, no allocation, capacity to the end of the storage) only for
 *     the library's own heap storage with a single handle; anything else
 *     is ERR_NOT_UNIQUE with nothing changed;
 *   - bytes_into_mut does the same when it can, else copies (exactly one
 *     allocation) and drops the handle's reference;
 *   - bytes_compact copies a slice out of a larger storage (one
 *     allocation), so the large storage can go; it leaves a handle that
 *     already views its whole storage, static bytes and empty handles
 *     alone.
 *
 * Built twice: against libbytes.so (test_into_mut) and libbytes.a
 * (test_into_mut_static).
 */
#include "check_alloc.h"
#include "check_mut.h"

#include <stdint.h>

static const uint8_t TEXT[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";
#define TEXT_LEN (sizeof(TEXT) - 1)

#define BIG (64 * 1024)

/* A bytes_copy_from copy of TEXT; *block gets its storage (watched). */
static bytes_t heap(uint8_t **block)
{
    struct counts s = now();
    bytes_t b;
    CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &b));
    CHECK_DELTA(s, 1, 0);
    *block = alloc_count_last();
    CHECK(alloc_watch(*block));
    return b;
}

/* Adopt a malloc'ed block of n bytes (TEXT, repeated); *buf and *header
 * get the adopted block and the library's header for it, both watched. */
static bytes_t adopt(size_t n, uint8_t **buf, void **header)
{
    *buf = malloc(n);
    CHECK(*buf != NULL);
    for (size_t i = 0; i < n; i++)
        (*buf)[i] = TEXT[i % TEXT_LEN];
    CHECK(alloc_watch(*buf));
    struct counts s = now();
    bytes_t b;
    CHECK_OK(bytes_from_malloc(*buf, n, &b));
    CHECK_DELTA(s, 1, 0);
    *header = alloc_count_last();
    CHECK(alloc_watch(*header));
    return b;
}

static void unwatch(uint8_t *buf, void *header)
{
    alloc_unwatch(buf);
    alloc_unwatch(header);
}

static void warm_up(void)
{
    bytes_t b, c;
    bytes_mut_t m;
    CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &b));
    c = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b));
    CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
    CHECK_OK(bytes_into_mut(&b, &m));
    bytes_mut_drop(&m);
    CHECK_OK(bytes_slice(&c, 1, 5, &b));
    CHECK_OK(bytes_compact(&b));
    CHECK_OK(bytes_try_into_mut(&b, &m));
    CHECK_OK(bytes_mut_reserve(&m, 100));
    b = bytes_mut_freeze(&m);
    bytes_drop(&b);
    bytes_drop(&c);
}

/* ---- bytes_is_unique ------------------------------------------------------ */

static void test_is_unique(void)
{
    uint8_t *block, *buf;
    void *hdr;
    bytes_t b = heap(&block), c;
    CHECK(bytes_is_unique(&b));
    c = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);
    alloc_unwatch(block);

    b = adopt(TEXT_LEN, &buf, &hdr);
    CHECK(bytes_is_unique(&b));
    CHECK_OK(bytes_slice(&b, 0, 3, &c));
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&b);
    CHECK(bytes_is_unique(&c)); /* the slice, alone now */
    bytes_drop(&c);
    unwatch(buf, hdr);

    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 20));
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 5, &front));
    b = bytes_mut_freeze(&front);
    CHECK(!bytes_is_unique(&b)); /* m still uses the storage */
    bytes_mut_drop(&m);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);

    b = bytes_from_static(TEXT, TEXT_LEN);
    CHECK(!bytes_is_unique(&b));
    b = bytes_new();
    CHECK(!bytes_is_unique(&b));
}

/* ---- bytes_try_into_mut --------------------------------------------------- */

static void test_try_into_mut_unique(void)
{
    /* bytes_copy_from, the only handle. */
    uint8_t *block;
    bytes_t b = heap(&block);
    const uint8_t *p = bytes_ptr(&b);
    bytes_mut_t m;
    GARBAGE_MUT(m);
    struct counts s = now();
    CHECK_OK(bytes_try_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_ZERO(&b); /* consumed */
    CHECK(bytes_mut_ptr(&m) == p); /* no copy */
    CHECK_MUT_BYTES(&m, TEXT, TEXT_LEN);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), TEXT_LEN); /* the whole storage */
    bytes_mut_ptr(&m)[0] = 'g'; /* writable now */
    CHECK_OK(bytes_mut_put_u8(&m, '!')); /* grows */
    CHECK(memcmp(bytes_mut_ptr(&m), "gET /", 5) == 0);
    bytes_mut_drop(&m);
    CHECK_FREED(block, 1); /* released, realloc or not */
    alloc_unwatch(block);

    /* A frozen buffer: the capacity reaches to the end of the storage,
     * past what was frozen. */
    CHECK_OK(bytes_mut_with_capacity(100, &m));
    block = alloc_count_last();
    CHECK(alloc_watch(block));
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 10));
    uint8_t *mp = bytes_mut_ptr(&m);
    b = bytes_mut_freeze(&m);
    s = now();
    CHECK_OK(bytes_try_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_ZERO(&b);
    CHECK(bytes_mut_ptr(&m) == mp);
    CHECK_MUT_BYTES(&m, TEXT, 10);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 100);
    uint8_t more[90]; /* TEXT is shorter than that */
    memset(more, 'x', sizeof more);
    CHECK_OK(bytes_mut_extend_from_slice(&m, more, sizeof more)); /* in place */
    CHECK(bytes_mut_ptr(&m) == mp);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 100);
    CHECK(memcmp(mp, TEXT, 10) == 0 && memcmp(mp + 10, more, 90) == 0);
    CHECK_DELTA(s, 0, 0);
    bytes_mut_drop(&m);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    /* A frozen split half, alone once the other half is gone: from its
     * start to the end of the storage. */
    CHECK_OK(bytes_mut_with_capacity(100, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, TEXT, 30));
    mp = bytes_mut_ptr(&m);
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&m, 10, &front));
    bytes_t tail = bytes_mut_freeze(&m); /* bytes 10..30 */
    bytes_mut_drop(&front);
    s = now();
    CHECK_OK(bytes_try_into_mut(&tail, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_mut_ptr(&m) == mp + 10);
    CHECK_MUT_BYTES(&m, TEXT + 10, 20);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 90);
    bytes_mut_drop(&m);

    /* A clone dropped: unique again. */
    b = heap(&block);
    bytes_t c = bytes_clone(&b);
    bytes_drop(&c);
    s = now();
    CHECK_OK(bytes_try_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    bytes_mut_drop(&m);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    /* Empty: an empty buffer. */
    b = bytes_new();
    GARBAGE_MUT(m);
    s = now();
    CHECK_OK(bytes_try_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_ZERO(&b);
    expect_mut_empty(&m);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 0);
    bytes_mut_drop(&m);
}

static void test_try_into_mut_refused(void)
{
    uint8_t *block, *buf;
    void *hdr;
    bytes_mut_t m;

    /* Shared heap storage: a clone is alive. */
    bytes_t b = heap(&block), c = bytes_clone(&b);
    {
        SNAP(b);
        GARBAGE_MUT(m);
        struct counts s = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_DELTA(s, 0, 0);
        CHECK_UNCHANGED(b);
        CHECK_MUT_ZERO(&m);
        CHECK_BYTES(&b, TEXT, TEXT_LEN);
    }
    bytes_drop(&c);
    bytes_drop(&b);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    /* Static bytes. */
    b = bytes_from_static(TEXT, TEXT_LEN);
    {
        SNAP(b);
        GARBAGE_MUT(m);
        struct counts s = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_DELTA(s, 0, 0);
        CHECK_UNCHANGED(b);
        CHECK_MUT_ZERO(&m);
    }

    /* Adopted from malloc, even as its only handle. */
    b = adopt(TEXT_LEN, &buf, &hdr);
    CHECK(bytes_is_unique(&b));
    {
        SNAP(b);
        GARBAGE_MUT(m);
        struct counts s = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_DELTA(s, 0, 0);
        CHECK_UNCHANGED(b);
        CHECK_MUT_ZERO(&m);
        CHECK_FREED(buf, 0);
    }
    bytes_drop(&b);
    CHECK_FREED(buf, 1);
    unwatch(buf, hdr);
}

/* ---- bytes_into_mut ------------------------------------------------------- */

static void test_into_mut(void)
{
    uint8_t *block, *buf;
    void *hdr;
    bytes_mut_t m;

    /* Unique heap storage: as try, no copy. */
    bytes_t b = heap(&block);
    const uint8_t *p = bytes_ptr(&b);
    GARBAGE_MUT(m);
    struct counts s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_ZERO(&b);
    CHECK(bytes_mut_ptr(&m) == p);
    CHECK_MUT_BYTES(&m, TEXT, TEXT_LEN);
    bytes_mut_drop(&m);
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    /* Shared heap storage: one copy; the other handle keeps working and
     * is the storage's only user afterwards. */
    b = heap(&block);
    bytes_t c = bytes_clone(&b);
    s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 0);
    CHECK_ZERO(&b);
    CHECK(bytes_mut_ptr(&m) != bytes_ptr(&c));
    CHECK_MUT_BYTES(&m, TEXT, TEXT_LEN);
    bytes_mut_ptr(&m)[0] = 'P'; /* the copy is its own */
    CHECK_BYTES(&c, TEXT, TEXT_LEN);
    CHECK(bytes_is_unique(&c));
    CHECK_FREED(block, 0);
    bytes_drop(&c);
    CHECK_FREED(block, 1);
    bytes_mut_drop(&m);
    CHECK_DELTA(s, 1, 2);
    alloc_unwatch(block);

    /* Static bytes: one copy, nothing to release. */
    b = bytes_from_static(TEXT, TEXT_LEN);
    s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 0);
    CHECK_ZERO(&b);
    CHECK(bytes_mut_ptr(&m) != TEXT);
    CHECK_MUT_BYTES(&m, TEXT, TEXT_LEN);
    bytes_mut_drop(&m);

    /* Adopted memory, the only handle: one copy, and the adopted block
     * (and its header) freed by the call. */
    b = adopt(TEXT_LEN, &buf, &hdr);
    s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 2);
    CHECK_FREED(buf, 1);
    CHECK_FREED(hdr, 1);
    CHECK_ZERO(&b);
    CHECK(bytes_mut_ptr(&m) != buf);
    CHECK_MUT_BYTES(&m, TEXT, TEXT_LEN);
    bytes_mut_drop(&m);
    unwatch(buf, hdr);

    /* Adopted memory, shared: one copy; freed with the last other handle. */
    b = adopt(TEXT_LEN, &buf, &hdr);
    CHECK_OK(bytes_slice(&b, 4, 15, &c));
    CHECK_OK(bytes_slice(&b, 0, 3, &b)); /* "GET" */
    s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 0);
    CHECK_MUT_BYTES(&m, "GET", 3);
    CHECK(bytes_mut_capacity(&m) >= 3);
    CHECK_FREED(buf, 0);
    CHECK_BYTES(&c, "/index.html", 11);
    bytes_drop(&c);
    CHECK_FREED(buf, 1);
    bytes_mut_drop(&m);
    unwatch(buf, hdr);

    /* Empty. */
    b = bytes_new();
    s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 0, 0);
    expect_mut_empty(&m);
    bytes_mut_drop(&m);
}

/* ---- bytes_compact -------------------------------------------------------- */

/* A 20-byte header value kept from a 64 KiB receive buffer. */
static void test_compact_slice(void)
{
    for (int last = 0; last < 2; last++) {
        uint8_t *buf;
        void *hdr;
        bytes_t big = adopt(BIG, &buf, &hdr), field;
        CHECK_OK(bytes_slice(&big, 1000, 1020, &field));
        uint8_t want[20];
        memcpy(want, buf + 1000, 20);
        if (last) /* the field is the storage's last handle */
            bytes_drop(&big);

        struct counts s = now();
        CHECK_OK(bytes_compact(&field));
        CHECK_DELTA(s, 1, last ? 2 : 0); /* the old storage, at once */
        CHECK_BYTES(&field, want, 20);
        CHECK(bytes_ptr(&field) < buf || bytes_ptr(&field) >= buf + BIG);
        CHECK_FREED(buf, (size_t)last);
        CHECK(bytes_is_unique(&field));

        if (!last) { /* the big storage goes with its own handle */
            bytes_drop(&big);
            CHECK_FREED(buf, 1);
            CHECK_FREED(hdr, 1);
        }
        CHECK_BYTES(&field, want, 20);
        unwatch(buf, hdr);

        /* Now it views its whole storage: a second compact is a no-op. */
        SNAP(field);
        s = now();
        CHECK_OK(bytes_compact(&field));
        CHECK_DELTA(s, 0, 0);
        CHECK_UNCHANGED(field);
        bytes_drop(&field);
    }

    /* The same from a bytes_copy_from storage of 64 KiB. */
    uint8_t *src = malloc(BIG);
    CHECK(src != NULL);
    for (size_t i = 0; i < BIG; i++)
        src[i] = (uint8_t)(i * 7);
    bytes_t big, field;
    CHECK_OK(bytes_copy_from(src, BIG, &big));
    uint8_t *block = alloc_count_last();
    CHECK(alloc_watch(block));
    CHECK_OK(bytes_slice(&big, 500, 520, &field));
    const uint8_t *old = bytes_ptr(&field);
    struct counts s = now();
    CHECK_OK(bytes_compact(&field));
    CHECK_DELTA(s, 1, 0);
    CHECK(bytes_ptr(&field) != old);
    CHECK_BYTES(&field, src + 500, 20);
    bytes_drop(&big);
    CHECK_FREED(block, 1);
    CHECK_BYTES(&field, src + 500, 20);
    bytes_drop(&field);
    alloc_unwatch(block);

    /* A frozen buffer whose storage is larger than what was frozen. */
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(BIG, &m));
    block = alloc_count_last();
    CHECK(alloc_watch(block));
    CHECK_OK(bytes_mut_extend_from_slice(&m, src, 20));
    field = bytes_mut_freeze(&m);
    s = now();
    CHECK_OK(bytes_compact(&field));
    CHECK_DELTA(s, 1, 1);
    CHECK_FREED(block, 1);
    CHECK_BYTES(&field, src, 20);
    bytes_drop(&field);
    alloc_unwatch(block);
    free(src);
}

/* Handles that already view their whole storage, static bytes and empty
 * handles: nothing to do, nothing allocated, the handle as it was. */
static void test_compact_noop(void)
{
    uint8_t *block, *buf;
    void *hdr;
    bytes_t cases[6];
    cases[0] = heap(&block);                 /* the whole copy_from result */
    cases[1] = adopt(BIG, &buf, &hdr);       /* the whole from_malloc result */
    cases[2] = bytes_from_static(TEXT, TEXT_LEN);
    CHECK_OK(bytes_slice(&cases[2], 4, 15, &cases[3])); /* static, a part */
    cases[4] = bytes_new();
    CHECK_OK(bytes_copy_from(NULL, 0, &cases[5])); /* empty copy */
    for (size_t i = 0; i < 6; i++) {
        bytes_t b = cases[i];
        SNAP(b);
        struct counts s = now();
        CHECK_OK(bytes_compact(&b));
        CHECK_DELTA(s, 0, 0);
        if (memcmp(&snap_b, &b, sizeof b) != 0)
            fprintf(stderr, "compact no-op case %zu changed the handle\n", i);
        CHECK_UNCHANGED(b);
    }
    /* A clone of a whole storage views it whole too. */
    bytes_t c = bytes_clone(&cases[0]);
    {
        SNAP(c);
        struct counts s = now();
        CHECK_OK(bytes_compact(&c));
        CHECK_DELTA(s, 0, 0);
        CHECK_UNCHANGED(c);
    }
    bytes_drop(&c);
    CHECK_FREED(block, 0);
    CHECK_FREED(buf, 0);
    for (size_t i = 0; i < 6; i++)
        bytes_drop(&cases[i]);
    CHECK_FREED(block, 1);
    CHECK_FREED(buf, 1);
    alloc_unwatch(block);
    unwatch(buf, hdr);

    CHECK_STATUS(bytes_compact(NULL), BYTES_ERR_NULL);
}

int main(void)
{
    CHECK(alloc_count_start());
    warm_up();
    test_is_unique();
    test_try_into_mut_unique();
    test_try_into_mut_refused();
    test_into_mut();
    test_compact_slice();
    test_compact_noop();
    CHECK_DONE();
    return 0;
}
