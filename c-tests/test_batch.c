/*
 * test_batch.c - bytes_slice_many: a parser's fields cut from one buffer
 * as one batch, and released as one (bytes_drop_many).
 *
 * Every storage kind is tried (bytes_copy_from heap storage,
 * bytes_from_malloc, bytes_from_owner with a counting owner,
 * bytes_from_vtable with a counting vtable, bytes_from_static,
 * bytes_mut_freeze, bytes_from_file). Checked:
 *   - out[i] == bytes_ptr(b) + ranges[i].begin with the right length and
 *     bytes, for batches of 1, 11 and 1000, of a whole view and of a
 *     sub-view; empty ranges give empty handles that hold no reference;
 *   - no allocation for a batch of any size on storage already wrapped,
 *     nor for bytes_drop_many; the count is exact afterwards
 *     (bytes_is_unique of the lone original is true again);
 *   - the article's parse: a 124-byte HTTP request adopted from malloc,
 *     11 fields cut at once and dropped at once: one allocation (the shared
 *     header) in all, the block freed exactly once, at the last handle;
 *   - all or nothing: one bad range among many gives ERR_RANGE, b
 *     unchanged byte for byte, every out[i] all zero, no callback, no
 *     allocation, the count where it was (the owner is released exactly
 *     when b drops);
 *   - ERR_NULL, ERR_INVALID (out overlapping b or ranges: nothing
 *     written), ERR_NOMEM (absurd n: nothing written); n == 0 is OK; the
 *     library prints nothing;
 *   - a custom vtable sees one clone per non-empty slice (with b's view)
 *     and one drop per dropped handle (with that handle's view and the
 *     data its clone returned).
 *
 * test_batch_drop.c checks bytes_drop_many and batches across threads on
 * the same fixtures (batch_fixtures.h).
 *
 * Counting checks skip themselves in the checker builds (check_alloc.h);
 * the owner's and the vtable's own counts are checked everywhere.
 */
#include "batch_fixtures.h"
#include "capture.h"

static bytes_range_t ranges[BIG + 8];

/* Garbage in out[0..n), as GARBAGE() does for one handle. */
static void garbage(bytes_t *h, size_t n) { memset(h, 0xA5, n * sizeof *h); }

static int is_garbage(const bytes_t *h)
{
    const unsigned char *p = (const unsigned char *)h;
    for (size_t i = 0; i < sizeof *h; i++)
        if (p[i] != 0xA5)
            return 0;
    return 1;
}

/* n ranges inside a view of L bytes (L >= 1): the whole view, empty
 * ranges at the start, at the end and in between, single bytes, the
 * last byte, overlapping and repeated ranges. */
static void make_ranges(bytes_range_t *r, size_t n, size_t L)
{
    for (size_t i = 0; i < n; i++) {
        size_t b, e;
        if (i == 0) {
            b = 0, e = L;
        } else if (i == 1) {
            b = L, e = L;
        } else if (i == 2) {
            b = 0, e = 0;
        } else if (i == n - 1) {
            b = L - 1, e = L;
        } else if (i % 7 == 3) {
            b = e = (i * 131) % (L + 1);
        } else if (i % 11 == 5) {
            b = (i * 13) % L, e = b + 1;
        } else {
            b = (i * 37) % L;
            e = b + 1 + (i * 11) % 64;
            if (e > L)
                e = L;
        }
        r[i].begin = b;
        r[i].end = e;
    }
}

/* ---- identity, contents, no allocation ---------------------------------- */

static void check_batch(const struct fixture *f, const bytes_t *v,
                        const bytes_range_t *r, size_t n, const bytes_t *h)
{
    const uint8_t *P = bytes_ptr(v);
    size_t off = (size_t)(P - f->base);
    for (size_t i = 0; i < n; i++) {
        size_t len = r[i].end - r[i].begin;
        if (len == 0) {
            expect_empty(&h[i]);
            continue;
        }
        CHECK(bytes_ptr(&h[i]) == P + r[i].begin);
        CHECK_EQ_SIZE(bytes_len(&h[i]), len);
        const uint8_t *p = bytes_ptr(&h[i]);
        for (size_t j = 0; j < len; j++)
            if (p[j] != pattern(off + r[i].begin + j))
                CHECK(p[j] == pattern(off + r[i].begin + j));
        check_count++;
    }
}

static size_t count_nonempty(const bytes_range_t *r, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += r[i].begin != r[i].end;
    return k;
}

static void test_identity(void)
{
    in_test = __func__;
    static const size_t sizes[] = {1, 2, 11, BIG};
    static struct view views[BIG];
    for (int k = 0; k < NKINDS; k++) {
        struct fixture f;
        nvtokens = 0;
        fx_make(&f, (enum kind)k, 0);
        for (int sub = 0; sub < 2; sub++) {
            /* The whole original, or a sub-view [7, LEN - 5) of it. */
            bytes_t part = bytes_new();
            const bytes_t *v = &f.b;
            if (sub) {
                CHECK_OK(bytes_slice(&f.b, 7, LEN - 5, &part));
                v = &part;
            }
            size_t L = bytes_len(v);
            for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
                size_t n = sizes[si];
                make_ranges(ranges, n, L);
                size_t nonempty = count_nonempty(ranges, n);
                garbage(out, n + 1);
                long cl = 0, dr = 0;
                if (f.v) {
                    f.v->expect_ptr = bytes_ptr(v);
                    f.v->expect_len = L;
                    cl = f.v->clones;
                    dr = f.v->drops;
                }
                int tok0 = nvtokens;
                SNAP(part);

                struct counts s = now();
                CHECK_OK(bytes_slice_many(v, ranges, n, out));
                CHECK_DELTA(s, 0, 0); /* already wrapped: nothing more */
                CHECK(is_garbage(&out[n])); /* nothing past out[n - 1] */
                if (sub)
                    CHECK_UNCHANGED(part);
                check_batch(&f, v, ranges, n, out);
                if (f.v) { /* one clone per non-empty slice, b's view */
                    CHECK_EQ_SIZE(f.v->clones - cl, nonempty);
                    CHECK_EQ_SIZE(f.v->drops - dr, 0);
                    CHECK_EQ_SIZE(f.v->clone_view_mismatch, 0);
                    f.v->expect_ptr = NULL;
                }
                if (counted(f.kind) && !sub)
                    CHECK(bytes_is_unique(&f.b) == (nonempty == 0));

                for (size_t i = 0; i < n; i++) {
                    views[i].ptr = bytes_ptr(&out[i]);
                    views[i].len = bytes_len(&out[i]);
                }
                s = now();
                bytes_drop_many(out, n);
                CHECK_DELTA(s, 0, 0); /* not the last: nothing freed */
                for (size_t i = 0; i < n; i++)
                    CHECK_ZERO(&out[i]);
                CHECK(is_garbage(&out[n]));
                if (f.v) { /* one drop per non-empty handle, its own view */
                    CHECK_EQ_SIZE(f.v->drops - dr, nonempty);
                    size_t m = 0;
                    for (size_t i = 0; i < n; i++)
                        if (views[i].len != 0)
                            views[m++] = views[i];
                    check_token_drops(f.v, tok0, views, m);
                }
                /* The count is back where it was. */
                if (counted(f.kind) && !sub)
                    CHECK(bytes_is_unique(&f.b));
                CHECK_RELEASES(&f, 0);
            }
            if (sub) {
                if (counted(f.kind))
                    CHECK(!bytes_is_unique(&f.b));
                bytes_drop(&part);
                if (counted(f.kind))
                    CHECK(bytes_is_unique(&f.b));
            }
        }

        /* Only empty ranges: empty handles holding no reference. */
        bytes_range_t e[4] = {{0, 0}, {LEN, LEN}, {5, 5}, {LEN / 2, LEN / 2}};
        garbage(out, 4);
        struct counts s = now();
        long cl = f.v ? f.v->clones : 0;
        CHECK_OK(bytes_slice_many(&f.b, e, 4, out));
        CHECK_DELTA(s, 0, 0);
        for (int i = 0; i < 4; i++)
            expect_empty(&out[i]);
        if (f.v)
            CHECK_EQ_SIZE(f.v->clones, cl);
        if (counted(f.kind))
            CHECK(bytes_is_unique(&f.b));
        CHECK_RELEASES(&f, 0);
        /* Dropping the original first: the empty handles do not keep the
         * storage, and dropping them afterwards is harmless. */
        fx_finish(&f);
        s = now();
        bytes_drop_many(out, 4);
        CHECK_DELTA(s, 0, 0);
        for (int i = 0; i < 4; i++)
            CHECK_ZERO(&out[i]);
    }

    /* An empty b: empty ranges at 0 are fine, anything else is not. */
    bytes_t b = bytes_new();
    bytes_range_t e[3] = {{0, 0}, {0, 0}, {0, 0}};
    garbage(out, 3);
    CHECK_OK(bytes_slice_many(&b, e, 3, out));
    for (int i = 0; i < 3; i++)
        CHECK_ZERO(&out[i]);
    e[1].end = 1;
    garbage(out, 3);
    CHECK_STATUS(bytes_slice_many(&b, e, 3, out), BYTES_ERR_RANGE);
    for (int i = 0; i < 3; i++)
        CHECK_ZERO(&out[i]);
    CHECK_ZERO(&b);
}

/* Batches of the library's own counted storage allocate nothing, however
 * often, also when the batch is the storage's first sharing. */
static void test_no_allocation(void)
{
    in_test = __func__;
    static const enum kind kinds[] = {K_HEAP, K_MALLOC, K_OWNER, K_FROZEN,
                                      K_FILE, K_STATIC, K_VTABLE};
    for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
        struct fixture f;
        nvtokens = 0;
        fx_make(&f, kinds[ki], 0);
        make_ranges(ranges, BIG, LEN);
        struct counts s = now();
        for (int round = 0; round < 20; round++) {
            size_t n = round % 3 == 0 ? BIG : round % 3 == 1 ? 11 : 1;
            CHECK_OK(bytes_slice_many(&f.b, ranges, n, out));
            bytes_t c = bytes_clone(&out[0]);
            bytes_drop_many(out, n);
            bytes_drop_many(&c, 1);
            CHECK_ZERO(&c);
        }
        CHECK_DELTA(s, 0, 0);
        if (counted(f.kind))
            CHECK(bytes_is_unique(&f.b));
        /* The last reference in a batch: the only frees are the storage's. */
        CHECK_OK(bytes_slice_many(&f.b, ranges, BIG, out));
        bytes_drop(&f.b);
        CHECK_RELEASES(&f, 0);
        s = now();
        bytes_drop_many(out, BIG);
        CHECK_DELTA(s, 0, fx_release_frees(f.kind));
        fx_finish(&f);
    }
}

/* ---- the article's parse ------------------------------------------------ */

static const char REQUEST[] =
    "GET /api/v1/items?id=4242 HTTP/1.1\r\n"
    "Host: example.com\r\n"
    "User-Agent: curl/8.5.0\r\n"
    "Accept: text/html\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";
#define REQUEST_LEN 124
_Static_assert(sizeof REQUEST - 1 == REQUEST_LEN, "a 124-byte request");
#define NFIELDS 11
static const char *const FIELDS[NFIELDS] = {
    "GET", "/api/v1/items?id=4242", "HTTP/1.1",
    "Host", "example.com", "User-Agent", "curl/8.5.0",
    "Accept", "text/html", "Connection", "keep-alive"};

static size_t find(const uint8_t *p, size_t from, size_t len, uint8_t c)
{
    while (from < len && p[from] != c)
        from++;
    return from;
}

/* What a parser does: finds the fields, as ranges, without allocating. */
static size_t parse_request(const uint8_t *p, size_t len, bytes_range_t *r)
{
    size_t n = 0, sp1 = find(p, 0, len, ' '), sp2 = find(p, sp1 + 1, len, ' ');
    size_t eol = find(p, sp2 + 1, len, '\r');
    r[n].begin = 0, r[n++].end = sp1;
    r[n].begin = sp1 + 1, r[n++].end = sp2;
    r[n].begin = sp2 + 1, r[n++].end = eol;
    size_t at = eol + 2;
    while (at + 2 <= len && !(p[at] == '\r' && p[at + 1] == '\n')) {
        size_t colon = find(p, at, len, ':');
        size_t value = colon + 1;
        while (value < len && p[value] == ' ')
            value++;
        eol = find(p, value, len, '\r');
        r[n].begin = at, r[n++].end = colon;
        r[n].begin = value, r[n++].end = eol;
        at = eol + 2;
    }
    return n;
}

static void test_article_parse(void)
{
    in_test = __func__;
    /* Four orders of release: the receive handle first, then one batch;
     * the batch first; the receive handle first, then two batches; the
     * receive handle inside the batch. */
    for (int order = 0; order < 4; order++) {
        uint8_t *buf = malloc(REQUEST_LEN); /* the receive buffer */
        CHECK(buf != NULL);
        memcpy(buf, REQUEST, REQUEST_LEN);
        CHECK(alloc_watch(buf));

        struct counts s = now();
        bytes_t req;
        CHECK_OK(bytes_from_malloc(buf, REQUEST_LEN, &req));
        void *hdr = alloc_count_last();
        CHECK(alloc_watch(hdr));
        CHECK_COUNTED(hdr != (void *)buf);

        bytes_range_t r[NFIELDS];
        CHECK_EQ_SIZE(parse_request(bytes_ptr(&req), bytes_len(&req), r),
                      NFIELDS);
        bytes_t fields[NFIELDS + 1];
        garbage(fields, NFIELDS + 1);
        CHECK_OK(bytes_slice_many(&req, r, NFIELDS, fields));
        CHECK_DELTA(s, 1, 0); /* the shared header, and nothing else */
        for (int i = 0; i < NFIELDS; i++) {
            CHECK(bytes_ptr(&fields[i]) == buf + r[i].begin);
            CHECK_BYTES(&fields[i], FIELDS[i], strlen(FIELDS[i]));
        }
        CHECK(is_garbage(&fields[NFIELDS]));
        CHECK(!bytes_is_unique(&req));

        switch (order) {
        case 0:
            bytes_drop(&req);
            CHECK_FREED(buf, 0);
            CHECK(memcmp(bytes_ptr(&fields[10]), "keep-alive", 10) == 0);
            bytes_drop_many(fields, NFIELDS);
            CHECK_FREED(buf, 1);
            break;
        case 1:
            bytes_drop_many(fields, NFIELDS);
            CHECK_FREED(buf, 0);
            CHECK(bytes_is_unique(&req)); /* the count is exact */
            CHECK_BYTES(&req, REQUEST, REQUEST_LEN);
            bytes_drop(&req);
            CHECK_FREED(buf, 1);
            break;
        case 2:
            bytes_drop(&req);
            bytes_drop_many(fields, 6);
            CHECK_FREED(buf, 0);
            CHECK_FREED(hdr, 0);
            CHECK_BYTES(&fields[6], "curl/8.5.0", 10);
            bytes_drop_many(fields + 6, NFIELDS - 6);
            CHECK_FREED(buf, 1);
            break;
        default:
            fields[NFIELDS] = req; /* moved into the array */
            bytes_drop_many(fields, NFIELDS + 1);
            CHECK_FREED(buf, 1);
            break;
        }
        CHECK_FREED(hdr, 1);
        for (int i = 0; i < NFIELDS; i++)
            CHECK_ZERO(&fields[i]);
        /* The whole parse: one allocation, two frees (header, buffer). */
        CHECK_DELTA(s, 1, 2);
        alloc_unwatch(buf);
        alloc_unwatch(hdr);
    }
}

/* ---- all or nothing ----------------------------------------------------- */

static void test_all_or_nothing(void)
{
    in_test = __func__;
    /* L is the view's length (LEN here). */
    const bytes_range_t bad[] = {
        {5, 4},                     /* begin > end */
        {1, 0},
        {0, LEN + 1},               /* end > len */
        {LEN, LEN + 1},
        {LEN + 1, LEN + 1},         /* empty, but outside */
        {LEN + 1, LEN},
        {SIZE_MAX, SIZE_MAX},
        {0, SIZE_MAX},
        {SIZE_MAX, 0},
        {SIZE_MAX - 1, SIZE_MAX},
        {LEN - 1, SIZE_MAX},
    };
    const size_t nbad = sizeof bad / sizeof bad[0];
    for (int k = 0; k < NKINDS; k++) {
        struct fixture f;
        nvtokens = 0;
        fx_make(&f, (enum kind)k, 0);
        for (int shared = 0; shared < 2; shared++) {
            /* A lone handle, and one with a clone alive. */
            bytes_t c = bytes_new();
            if (shared)
                c = bytes_clone(&f.b);
            for (size_t bi = 0; bi < nbad; bi++) {
                const size_t ns[] = {1, 11, 11, 11, BIG, BIG};
                const size_t at[] = {0, 0, 5, 10, 0, BIG - 1};
                for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
                    size_t n = ns[j];
                    make_ranges(ranges, n, LEN);
                    ranges[at[j]] = bad[bi];
                    garbage(out, n + 1);
                    long cl = f.v ? f.v->clones : 0;
                    long dr = f.v ? f.v->drops : 0;
                    bytes_t b = f.b;
                    SNAP(b);
                    struct counts s = now();
                    CHECK_STATUS(bytes_slice_many(&f.b, ranges, n, out),
                                 BYTES_ERR_RANGE);
                    CHECK_DELTA(s, 0, 0);
                    b = f.b;
                    CHECK_UNCHANGED(b);
                    for (size_t i = 0; i < n; i++)
                        CHECK_ZERO(&out[i]);
                    CHECK(is_garbage(&out[n]));
                    if (f.v) {
                        CHECK_EQ_SIZE(f.v->clones, cl);
                        CHECK_EQ_SIZE(f.v->drops, dr);
                    }
                    if (counted(f.kind))
                        CHECK(bytes_is_unique(&f.b) == !shared);
                }
            }
            if (shared) {
                CHECK_RELEASES(&f, 0);
                bytes_drop(&c);
                if (counted(f.kind))
                    CHECK(bytes_is_unique(&f.b));
            }
        }

        /* Relative to a sub-view: in the storage, but past the view. */
        bytes_t part;
        CHECK_OK(bytes_slice(&f.b, 100, 110, &part));
        bytes_range_t r[3] = {{0, 10}, {0, 11}, {2, 3}};
        garbage(out, 3);
        {
            SNAP(part);
            CHECK_STATUS(bytes_slice_many(&part, r, 3, out), BYTES_ERR_RANGE);
            CHECK_UNCHANGED(part);
            for (int i = 0; i < 3; i++)
                CHECK_ZERO(&out[i]);
        }
        r[1].end = 10;
        CHECK_OK(bytes_slice_many(&part, r, 3, out));
        CHECK(bytes_ptr(&out[1]) == f.base + 100);
        CHECK(bytes_ptr(&out[2]) == f.base + 102);
        bytes_drop_many(out, 3);
        bytes_drop(&part);

        /* The failures left the count exact: the original is the only
         * handle, and dropping it releases the storage, exactly then. */
        if (counted(f.kind))
            CHECK(bytes_is_unique(&f.b));
        CHECK_RELEASES(&f, 0);
        fx_finish(&f);
    }
}

/* ---- NULL, overlap, absurd n -------------------------------------------- */

static void test_bad_arguments(void)
{
    in_test = __func__;
    struct fixture f;
    fx_make(&f, K_OWNER, 0);
    bytes_range_t r[4] = {{0, 3}, {3, 3}, {10, 20}, {0, LEN}};
    bytes_t h[8];
    capture_start(); /* the library prints nothing */
    struct counts s = now();

    /* NULL b: ERR_NULL (whether out is zeroed: test_null_b, run last). */
    CHECK_STATUS(bytes_slice_many(NULL, r, 4, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_slice_many(NULL, NULL, 4, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_slice_many(NULL, NULL, 0, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_slice_many(NULL, r, 0, NULL), BYTES_ERR_NULL);
    garbage(h, 5);
    CHECK_STATUS(bytes_slice_many(NULL, r, 4, h), BYTES_ERR_NULL);
    CHECK(is_garbage(&h[4]));
    garbage(h, 5);
    CHECK_STATUS(bytes_slice_many(NULL, NULL, 4, h), BYTES_ERR_NULL);
    CHECK(is_garbage(&h[4]));

    /* out NULL with n > 0. */
    {
        bytes_t b = f.b;
        SNAP(b);
        CHECK_STATUS(bytes_slice_many(&f.b, r, 4, NULL), BYTES_ERR_NULL);
        CHECK_STATUS(bytes_slice_many(&f.b, NULL, 4, NULL), BYTES_ERR_NULL);
        b = f.b;
        CHECK_UNCHANGED(b);
    }
    /* ranges NULL with n > 0: out zeroed. */
    {
        bytes_t b = f.b;
        SNAP(b);
        garbage(h, 5);
        CHECK_STATUS(bytes_slice_many(&f.b, NULL, 4, h), BYTES_ERR_NULL);
        for (int i = 0; i < 4; i++)
            CHECK_ZERO(&h[i]);
        CHECK(is_garbage(&h[4]));
        b = f.b;
        CHECK_UNCHANGED(b);
    }
    /* n == 0: OK with anything NULL, and nothing written. */
    CHECK_OK(bytes_slice_many(&f.b, NULL, 0, NULL));
    CHECK_OK(bytes_slice_many(&f.b, r, 0, NULL));
    garbage(h, 1);
    CHECK_OK(bytes_slice_many(&f.b, NULL, 0, h));
    CHECK(is_garbage(&h[0]));
    CHECK_OK(bytes_slice_many(&f.b, r, 0, h));
    CHECK(is_garbage(&h[0]));

    /* out overlapping b: ERR_INVALID, nothing written. */
    {
        bytes_t arr[5];
        for (int at = 0; at < 5; at++) {
            garbage(arr, 5);
            arr[at] = f.b; /* b lives inside the out array */
            unsigned char before[sizeof arr];
            memcpy(before, arr, sizeof arr);
            CHECK_STATUS(bytes_slice_many(&arr[at], r, 4, arr + (at == 4)),
                         BYTES_ERR_INVALID);
            CHECK(memcmp(before, arr, sizeof arr) == 0);
        }
        /* out == b with n == 1 (bytes_slice allows it; a batch does not). */
        bytes_t b = f.b;
        SNAP(b);
        CHECK_STATUS(bytes_slice_many(&b, r, 1, &b), BYTES_ERR_INVALID);
        CHECK_UNCHANGED(b);
        /* b just before or after out: fine. */
        garbage(arr, 5);
        arr[0] = f.b;
        CHECK_OK(bytes_slice_many(&arr[0], r, 4, &arr[1]));
        CHECK(bytes_ptr(&arr[1]) == f.base);
        CHECK(memcmp(&arr[0], &f.b, sizeof(bytes_t)) == 0);
        bytes_drop_many(arr + 1, 4);
        garbage(arr, 5);
        arr[4] = f.b;
        CHECK_OK(bytes_slice_many(&arr[4], r, 4, &arr[0]));
        CHECK(bytes_ptr(&arr[2]) == f.base + 10);
        bytes_drop_many(arr, 4);
    }
    /* out overlapping ranges: ERR_INVALID, nothing written. */
    {
        union {
            bytes_t h[8];
            bytes_range_t r[16];
        } u;
        unsigned char before[sizeof u];
        struct { size_t out_at, ranges_at; int ok; } cases[] = {
            {0, 0, 0},   /* the same memory */
            {0, 4, 0},   /* ranges inside out */
            {0, 7, 0},   /* ranges' first entry is out[3]'s second half */
            {1, 0, 0},   /* out starts at ranges[2] */
            {2, 1, 0},   /* out[0] is ranges[3] and the next range */
            {0, 8, 1},   /* ranges right after out: fine */
            {2, 0, 1},   /* out right after ranges: fine */
        };
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            for (int i = 0; i < 16; i++) {
                u.r[i].begin = (size_t)i;
                u.r[i].end = (size_t)i + 2;
            }
            bytes_t *o = &u.h[cases[c].out_at];
            bytes_range_t *rr = &u.r[cases[c].ranges_at];
            memcpy(before, &u, sizeof u);
            bytes_t b = f.b;
            SNAP(b);
            bytes_status_t st = bytes_slice_many(&f.b, rr, 4, o);
            b = f.b;
            CHECK_UNCHANGED(b);
            if (cases[c].ok) {
                CHECK_STATUS(st, BYTES_OK);
                for (int i = 0; i < 4; i++)
                    CHECK(bytes_ptr(&o[i]) == f.base + cases[c].ranges_at + i);
                bytes_drop_many(o, 4);
            } else {
                CHECK_STATUS(st, BYTES_ERR_INVALID);
                CHECK(memcmp(before, &u, sizeof u) == 0);
            }
        }
    }
    /* n larger than any array can be: ERR_NOMEM, nothing written. */
    {
        const size_t huge[] = {SIZE_MAX / 8, SIZE_MAX / 32 + 1,
                               (size_t)PTRDIFF_MAX / sizeof(bytes_t) + 1,
                               SIZE_MAX / 2, SIZE_MAX};
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
            bytes_t b = f.b;
            SNAP(b);
            garbage(h, 8);
            CHECK_STATUS(bytes_slice_many(&f.b, r, huge[i], h),
                         BYTES_ERR_NOMEM);
            for (int j = 0; j < 8; j++)
                CHECK(is_garbage(&h[j]));
            b = f.b;
            CHECK_UNCHANGED(b);
        }
    }
    CHECK_DELTA(s, 0, 0);
    CHECK(capture_end() == 0);

    /* bytes_drop_many: NULL and n == 0 are no-ops. */
    s = now();
    bytes_drop_many(NULL, 0);
    bytes_drop_many(NULL, 5);
    bytes_drop_many(NULL, SIZE_MAX);
    h[0] = bytes_clone(&f.b);
    CHECK_OK(bytes_slice(&f.b, 1, 2, &h[1]));
    unsigned char before[2 * sizeof(bytes_t)];
    memcpy(before, h, sizeof before);
    bytes_drop_many(h, 0);
    CHECK(memcmp(before, h, sizeof before) == 0);
    CHECK(!bytes_is_unique(&f.b));
    bytes_drop_many(h, 2);

    /* After all of it the count is exact: one handle, released with it. */
    CHECK(bytes_is_unique(&f.b));
    CHECK_EQ_SIZE(atomic_load(&f.o->released), 0);
    fx_finish(&f);
    CHECK_DELTA(s, 0, 1);
}

/* NULL b: ERR_NULL, and (rule 4, and the header: "Errors (... every
 * out[i] empty): BYTES_ERR_NULL if b is NULL") out[0..n) zeroed when there
 * is an out; nothing past it written, nothing allocated. (That nothing is
 * printed is checked in test_bad_arguments.) Run last, so that a failure
 * here does not hide the other tests. */
static void test_null_b(void)
{
    in_test = __func__;
    bytes_range_t r[4] = {{0, 3}, {3, 3}, {10, 20}, {0, LEN}};
    bytes_t h[5];
    struct counts s = now();
    garbage(h, 5);
    CHECK_STATUS(bytes_slice_many(NULL, r, 0, h), BYTES_ERR_NULL);
    CHECK(is_garbage(&h[0])); /* n == 0: nothing to zero */
    garbage(h, 5);
    CHECK_STATUS(bytes_slice_many(NULL, r, 4, h), BYTES_ERR_NULL);
    CHECK(is_garbage(&h[4]));
    for (int i = 0; i < 4; i++)
        CHECK_ZERO(&h[i]);
    garbage(h, 5);
    CHECK_STATUS(bytes_slice_many(NULL, NULL, 4, h), BYTES_ERR_NULL);
    CHECK(is_garbage(&h[4]));
    for (int i = 0; i < 4; i++)
        CHECK_ZERO(&h[i]);
    CHECK_DELTA(s, 0, 0);
}

/* ---- a custom vtable: one clone per slice, one drop per handle ---------- */

static void test_vtable_calls(void)
{
    in_test = __func__;
    struct fixture f;
    nvtokens = 0;
    fx_make(&f, K_VTABLE, 0);
    struct vslot *v = f.v;
    struct counts s = now();

    /* A sub-view: the clones get its view, not the storage's. */
    bytes_t part;
    CHECK_OK(bytes_slice(&f.b, 50, 150, &part));
    CHECK_EQ_SIZE(v->clones, 1);
    bytes_range_t r[6] = {{0, 100}, {3, 3}, {10, 20}, {10, 20}, {99, 100},
                          {100, 100}};
    v->expect_ptr = f.base + 50;
    v->expect_len = 100;
    int tok0 = nvtokens;
    garbage(out, 6);
    CHECK_OK(bytes_slice_many(&part, r, 6, out));
    CHECK_EQ_SIZE(v->clones, 1 + 4);
    CHECK_EQ_SIZE(v->drops, 0);
    CHECK_EQ_SIZE(v->clone_view_mismatch, 0);
    CHECK_EQ_SIZE(v->refs, 1 + 1 + 4);
    v->expect_ptr = NULL;
    /* Each handle got the data its own clone returned: a distinct token
     * per slice. Views change before the drop: advance, truncate. */
    CHECK_OK(bytes_advance(&out[0], 7));
    bytes_truncate(&out[2], 4);
    struct view views[4] = {{f.base + 57, 93}, {f.base + 60, 4},
                            {f.base + 60, 10}, {f.base + 149, 1}};
    bytes_drop_many(out, 6);
    CHECK_EQ_SIZE(v->drops, 4);
    CHECK_EQ_SIZE(v->refs, 2);
    check_token_drops(v, tok0, views, 4);
    for (int i = 0; i < 6; i++)
        CHECK_ZERO(&out[i]);
    bytes_drop_many(out, 6); /* a second time: nothing */
    CHECK_EQ_SIZE(v->drops, 4);

    /* Neighbouring vtable handles are never merged: the original and the
     * part, side by side, get one drop each. */
    bytes_t pair[2] = {part, f.b};
    memset(&part, 0, sizeof part);
    memset(&f.b, 0, sizeof f.b);
    bytes_drop_many(pair, 2);
    CHECK_EQ_SIZE(v->drops, 6);
    CHECK_EQ_SIZE(v->refs, 0);
    CHECK_EQ_SIZE(v->drops, 1 + v->clones);
    for (int k = 0; k < nvtokens; k++)
        CHECK_EQ_SIZE(vtokens[k].drops, 1);
    CHECK(vtokens[0].drop_ptr == f.base && vtokens[0].drop_len == LEN);
    CHECK(vtokens[1].drop_ptr == f.base + 50 && vtokens[1].drop_len == 100);
    CHECK_DELTA(s, 0, 0); /* zero allocations, ever */
    fx_finish(&f);
}

int main(void)
{
    batch_start();
    test_identity();
    test_no_allocation();
    test_article_parse();
    test_all_or_nothing();
    test_bad_arguments();
    test_vtable_calls();
    test_null_b();
    BATCH_DONE();
    return 0;
}
