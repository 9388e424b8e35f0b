/*
 * test_alloc.c - what bytes_t costs in heap allocations, and when storage
 * is released, observed with alloc_count (which replaces malloc & co. for
 * the whole process, libbytes included).
 *
 *   - static bytes, empty handles, clones, slices and splits: no allocation;
 *   - bytes_copy_from: exactly one allocation (header and data together);
 *   - bytes_from_malloc: one allocation (the shared header); the adopted
 *     block is free()d exactly once, when the last handle goes, not before;
 *   - errors allocate nothing and leak nothing.
 */
#include "check_alloc.h"

#include <malloc.h>
#include <stdint.h>

static const uint8_t TEXT[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";
#define TEXT_LEN (sizeof(TEXT) - 1)

/* The first calls into the library may allocate once for the Rust
 * runtime's own lazily initialised state, which has nothing to do with
 * the handle being built. Run every function once before measuring, so
 * that the deltas below count only what each call costs. */
static void warm_up(void)
{
    bytes_t a, b, c;
    uint8_t u8;
    CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &a));
    b = bytes_clone(&a);
    CHECK_OK(bytes_slice(&a, 1, 4, &c));
    CHECK(bytes_eq(&a, &b) && bytes_cmp(&a, &c) != 0 && !bytes_is_unique(&a));
    bytes_drop(&c);
    CHECK_OK(bytes_slice_ref(&a, bytes_ptr(&a) + 1, 2, &c));
    bytes_drop(&c);
    CHECK_OK(bytes_split_to(&b, 2, &c));
    bytes_drop(&c);
    CHECK_OK(bytes_split_off(&b, 2, &c));
    bytes_drop(&c);
    CHECK_OK(bytes_advance(&b, 1));
    CHECK_OK(bytes_get_u8(&b, &u8));
    bytes_truncate(&a, 3);
    bytes_clear(&b);
    bytes_drop(&a);
    void *p = malloc(4);
    CHECK(p != NULL);
    CHECK_OK(bytes_from_malloc(p, 4, &a));
    bytes_drop(&a);
    CHECK(bytes_status_str(BYTES_OK) != NULL && bytes_version() != NULL);
    CHECK_STATUS(bytes_slice(&a, 1, 0, &c), BYTES_ERR_RANGE);
}

static void test_static_and_empty(void)
{
    struct counts s = now();
    bytes_t b = bytes_from_static(TEXT, TEXT_LEN);
    bytes_t c1 = bytes_clone(&b), c2 = bytes_clone(&c1);
    bytes_t sl, sr, head, tail, e1, e2, e3;
    CHECK_OK(bytes_slice(&b, 4, 15, &sl));
    CHECK_OK(bytes_slice_ref(&b, bytes_ptr(&b) + 16, 8, &sr));
    CHECK_OK(bytes_split_to(&c1, 3, &head));
    CHECK_OK(bytes_split_off(&c2, 10, &tail));
    CHECK_OK(bytes_advance(&c2, 1));
    bytes_truncate(&c2, 2);
    CHECK(!bytes_eq(&sl, &sr) && bytes_cmp(&head, &tail) != 0);
    CHECK(!bytes_is_unique(&b));
    e1 = bytes_new();
    CHECK_OK(bytes_copy_from(NULL, 0, &e2));
    CHECK_OK(bytes_copy_from(TEXT, 0, &e3));
    bytes_t e4 = bytes_clone(&e1);
    bytes_t all[] = {b, c1, c2, sl, sr, head, tail, e1, e2, e3, e4};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        bytes_drop(&all[i]);
    CHECK_DELTA(s, 0, 0);
}

static void test_copy_from_one_block(void)
{
    const size_t sizes[] = {1, 7, 64, 1000, 1 << 20}; /* the last one: mmap */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        uint8_t *src = malloc(n);
        CHECK(src != NULL);
        memset(src, 'x', n);

        struct counts s = now();
        bytes_t b;
        CHECK_OK(bytes_copy_from(src, n, &b));
        CHECK_DELTA(s, 1, 0); /* one allocation ... */
        uint8_t *block = alloc_count_last();
        CHECK_COUNTED(block != NULL);
        /* ... that holds the data too */
        CHECK_COUNTED(bytes_ptr(&b) >= block);
        CHECK_COUNTED(bytes_ptr(&b) + n <= block + malloc_usable_size(block));
        CHECK(alloc_watch(block));

        s = now();
        bytes_t c[6];
        c[0] = bytes_clone(&b);
        c[1] = bytes_clone(&c[0]);
        CHECK_OK(bytes_slice(&b, 0, n / 2, &c[2]));
        CHECK_OK(bytes_slice_ref(&b, bytes_ptr(&b) + n - 1, 1, &c[3]));
        c[4] = bytes_clone(&b);
        CHECK_OK(bytes_split_to(&c[4], n / 2, &c[5]));
        CHECK_DELTA(s, 0, 0); /* sharing allocates nothing */

        for (int k = 0; k < 6; k++) {
            bytes_drop(&c[k]);
            CHECK_FREED(block, 0);
        }
        CHECK(bytes_is_unique(&b));
        bytes_drop(&b); /* the last handle */
        CHECK_FREED(block, 1);
        CHECK_DELTA(s, 0, 1);
        alloc_unwatch(block);
        free(src);
    }
}

/* Adopt a fresh malloc'ed copy of TEXT; *header gets the block the library
 * allocated for its shared header. Both blocks are watched. */
static bytes_t adopt(uint8_t **buf, void **header)
{
    *buf = malloc(TEXT_LEN);
    CHECK(*buf != NULL);
    memcpy(*buf, TEXT, TEXT_LEN);
    CHECK(alloc_watch(*buf));
    struct counts s = now();
    bytes_t b;
    CHECK_OK(bytes_from_malloc(*buf, TEXT_LEN, &b));
    CHECK_DELTA(s, 1, 0); /* the shared header, nothing else */
    *header = alloc_count_last();
    CHECK_COUNTED(*header != (void *)*buf);
    CHECK(alloc_watch(*header));
    CHECK(bytes_ptr(&b) == *buf);
    return b;
}

static void unwatch(uint8_t *buf, void *header)
{
    alloc_unwatch(buf);
    alloc_unwatch(header);
}

static void test_from_malloc_last_drop(void)
{
    /* Several drop orders: the original first, last, and in between. */
    for (int order = 0; order < 3; order++) {
        uint8_t *buf;
        void *hdr;
        bytes_t b = adopt(&buf, &hdr);

        struct counts s = now();
        bytes_t h[8];
        h[0] = bytes_clone(&b);
        CHECK_OK(bytes_slice(&b, 0, 3, &h[1]));   /* "GET" */
        CHECK_OK(bytes_slice_ref(&b, buf + 4, 11, &h[2]));
        h[3] = bytes_clone(&h[2]);
        CHECK_OK(bytes_split_to(&h[3], 1, &h[4]));
        h[5] = bytes_clone(&b);
        CHECK_OK(bytes_split_off(&h[5], 16, &h[6]));
        CHECK_OK(bytes_advance(&h[6], 2));
        bytes_truncate(&h[5], 3);
        h[7] = b; /* moved: b is no longer used */
        CHECK_DELTA(s, 0, 0);
        CHECK(!bytes_is_unique(&h[7]));

        for (int k = 0; k < 8; k++) {
            int idx = order == 0 ? 7 - k : order == 1 ? k : (k * 3) % 8;
            CHECK_FREED(buf, 0); /* not before the last */
            CHECK_FREED(hdr, 0);
            bytes_drop(&h[idx]);
        }
        CHECK_FREED(buf, 1); /* exactly once */
        CHECK_FREED(hdr, 1);
        CHECK_DELTA(s, 0, 2);
        unwatch(buf, hdr);
    }
}

static void test_from_malloc_edges(void)
{
    /* (ptr, 0): freed at once; no header. */
    void *p = malloc(16);
    CHECK(p != NULL && alloc_watch(p));
    struct counts s = now();
    bytes_t b;
    CHECK_OK(bytes_from_malloc(p, 0, &b));
    CHECK_FREED(p, 1);
    CHECK_DELTA(s, 0, 1);
    expect_empty(&b);
    bytes_drop(&b);
    CHECK_FREED(p, 1);
    alloc_unwatch(p);

    /* Failure: ownership stays with the caller, nothing allocated. */
    p = malloc(16);
    CHECK(p != NULL && alloc_watch(p));
    s = now();
    CHECK_STATUS(bytes_from_malloc(p, 16, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_malloc(p, 0, NULL), BYTES_ERR_NULL);
    CHECK_DELTA(s, 0, 0);
    CHECK_FREED(p, 0);
    alloc_unwatch(p);
    free(p); /* still ours */
}

static void test_release_points(void)
{
    uint8_t *buf;
    void *hdr;
    bytes_t b, e, c;

    /* An empty slice holds no reference. */
    b = adopt(&buf, &hdr);
    CHECK_OK(bytes_slice(&b, 5, 5, &e));
    bytes_drop(&b);
    CHECK_FREED(buf, 1);
    expect_empty(&e);
    bytes_drop(&e);
    CHECK_FREED(buf, 1);
    unwatch(buf, hdr);

    /* bytes_slice in place: the old reference is released, not leaked. */
    b = adopt(&buf, &hdr);
    c = bytes_clone(&b);
    struct counts s = now();
    CHECK_OK(bytes_slice(&c, 1, 3, &c));
    CHECK_OK(bytes_slice_ref(&c, bytes_ptr(&c) + 1, 1, &c));
    CHECK_BYTES(&c, "T", 1);
    CHECK_DELTA(s, 0, 0);
    bytes_drop(&b);
    CHECK_FREED(buf, 0);
    bytes_drop(&c);
    CHECK_FREED(buf, 1);
    CHECK_FREED(hdr, 1);
    unwatch(buf, hdr);

    /* In place to an empty range, on the only handle: released at once. */
    b = adopt(&buf, &hdr);
    CHECK_OK(bytes_slice(&b, 2, 2, &b));
    CHECK_FREED(buf, 1);
    expect_empty(&b);
    bytes_drop(&b);
    unwatch(buf, hdr);

    /* bytes_clear releases; bytes_truncate keeps the storage. */
    b = adopt(&buf, &hdr);
    bytes_truncate(&b, 4);
    CHECK_FREED(buf, 0);
    bytes_truncate(&b, 0);
    CHECK_FREED(buf, 0);
    bytes_drop(&b);
    CHECK_FREED(buf, 1);
    unwatch(buf, hdr);

    b = adopt(&buf, &hdr);
    bytes_clear(&b);
    CHECK_FREED(buf, 1);
    CHECK_FREED(hdr, 1);
    expect_empty(&b);
    bytes_drop(&b);
    CHECK_FREED(buf, 1);
    unwatch(buf, hdr);

    /* Splitting everything out of a handle, then dropping both halves. */
    b = adopt(&buf, &hdr);
    CHECK_OK(bytes_split_to(&b, TEXT_LEN, &c));
    bytes_drop(&b);
    CHECK_FREED(buf, 0); /* c still views all of it */
    CHECK(bytes_ptr(&c) == buf);
    bytes_drop(&c);
    CHECK_FREED(buf, 1);
    unwatch(buf, hdr);
}

static void test_is_unique(void)
{
    uint8_t *buf;
    void *hdr;
    bytes_t b = adopt(&buf, &hdr), c, d;
    CHECK(bytes_is_unique(&b));
    c = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    CHECK_OK(bytes_slice(&b, 1, 2, &c));
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    CHECK_OK(bytes_split_off(&b, 10, &d));
    CHECK(!bytes_is_unique(&d));
    bytes_drop(&b);
    bytes_drop(&c);
    CHECK(bytes_is_unique(&d)); /* the survivor is alone again */
    bytes_drop(&d);
    unwatch(buf, hdr);

    CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &b));
    CHECK(bytes_is_unique(&b));
    CHECK_OK(bytes_split_to(&b, 3, &c));
    CHECK(!bytes_is_unique(&b) && !bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);
}

static void test_errors_cost_nothing(void)
{
    bytes_t b, out;
    CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &b));
    struct counts s = now();
    CHECK_STATUS(bytes_copy_from(TEXT, SIZE_MAX, &out), BYTES_ERR_NOMEM);
    CHECK_STATUS(bytes_copy_from(TEXT, SIZE_MAX / 2, &out), BYTES_ERR_NOMEM);
    CHECK_STATUS(bytes_copy_from(TEXT, SIZE_MAX - 16, &out), BYTES_ERR_NOMEM);
    CHECK_STATUS(bytes_copy_from(NULL, 3, &out), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_slice(&b, 3, 2, &out), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_slice_ref(&b, TEXT, 2, &out), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_split_to(&b, TEXT_LEN + 1, &out), BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_split_off(&b, 1, &b), BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_advance(&b, TEXT_LEN + 1), BYTES_ERR_RANGE);
    uint64_t v;
    bytes_t shrt = bytes_from_static(TEXT, 7);
    CHECK_STATUS(bytes_get_u64_be(&shrt, &v), BYTES_ERR_RANGE);
    /* A failed allocation attempt is not counted by alloc_count (it
     * returned NULL), so any non-zero delta here is a leak or waste. */
    CHECK_DELTA(s, 0, 0);
    bytes_drop(&b);
}

int main(void)
{
    CHECK(alloc_count_start());
    warm_up();
    test_static_and_empty();
    test_copy_from_one_block();
    test_from_malloc_last_drop();
    test_from_malloc_edges();
    test_release_points();
    test_is_unique();
    test_errors_cost_nothing();
    CHECK_DONE();
    return 0;
}
