/*
 * test_batch.c - bytes_slice_many and bytes_drop_many: a parser's fields
 * cut from one buffer, and released, as one batch.
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
 *     data its clone returned);
 *   - bytes_drop_many empties every handle, releases arrays that mix
 *     storages in any order (runs, interleavings, statics, empties,
 *     vtables, the originals themselves) exactly once each, and is a no-op
 *     on NULL, n == 0 and a second call;
 *   - 4 threads slice batches from one shared const handle, mix them with
 *     single clones and slices, drop them in batches and one by one, over
 *     many rounds: an adopted malloc block and a counting owner are
 *     released exactly once, never while a thread still holds a handle.
 *
 * Counting checks skip themselves in the checker builds (check_alloc.h);
 * the owner's and the vtable's own counts are checked everywhere.
 */
#include "capture.h"
#include "check_alloc.h"
#include "counting.h"
#include "proc_self.h"
#include "shares.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#define LEN 2048        /* bytes of every fixture's storage */
#define BIG 1000        /* the large batch */

static uint8_t pattern(size_t i) { return (uint8_t)(i * 29 + (i >> 7) + 3); }

/* The bytes behind bytes_from_static: filled once in main, then never
 * written again (they live for the rest of the program). */
static uint8_t static_buf[LEN];

/* Large arrays stay off the stack. */
static bytes_t out[BIG + 8];
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

/* ---- a counting owner (bytes_from_owner): counting.h's ------------------ */

static struct counting_owner owners[8];

/* ---- a counting vtable whose clone hands out a token per handle -------- */

/* (Not counting.h's slot: here every handle carries a data word of its
 * own, so each drop can be matched to the handle it came from.) */

struct vslot {
    long refs, clones, drops;
    long clone_view_mismatch, clone_of_dropped;
    const uint8_t *expect_ptr; /* if set: the view every clone must get */
    size_t expect_len;
    uint8_t buf[LEN];
};
static struct vslot vslots[4];

/* Each handle of a vslot carries its own token (the data its clone
 * returned); a token records the drops it saw. */
struct vtoken {
    struct vslot *slot;
    int drops;
    const uint8_t *drop_ptr;
    size_t drop_len;
};
#define MAX_VTOKENS 8192
static struct vtoken vtokens[MAX_VTOKENS];
static int nvtokens;

static struct vtoken *new_token(struct vslot *s)
{
    if (nvtokens == MAX_VTOKENS) {
        fprintf(stderr, "test_batch: out of vtable tokens\n");
        abort();
    }
    struct vtoken *t = &vtokens[nvtokens++];
    memset(t, 0, sizeof *t);
    t->slot = s;
    return t;
}

static void *v_clone(void *data, const uint8_t *ptr, size_t len)
{
    struct vtoken *t = data;
    struct vslot *s = t->slot;
    if (t->drops != 0)
        s->clone_of_dropped++;
    if (s->expect_ptr != NULL && (ptr != s->expect_ptr || len != s->expect_len))
        s->clone_view_mismatch++;
    s->refs++;
    s->clones++;
    return new_token(s);
}

static void v_drop(void *data, const uint8_t *ptr, size_t len)
{
    struct vtoken *t = data;
    t->drops++;
    t->drop_ptr = ptr;
    t->drop_len = len;
    t->slot->refs--;
    t->slot->drops++;
}

static const bytes_vtable_t V_VTABLE = {
    sizeof(bytes_vtable_t), v_clone, v_drop, NULL, "batch-slot"};

struct view {
    const uint8_t *ptr;
    size_t len;
};

/* The tokens [from, nvtokens) of slot s that were dropped were each
 * dropped exactly once, and their drop views are exactly the views of
 * the `n` handles in `views` (as a multiset): every dropped handle got
 * one drop with its own view and its own data. */
static void check_token_drops(const struct vslot *s, int from,
                              const struct view *views, size_t n)
{
    static unsigned char used[BIG + 64];
    CHECK(n <= sizeof used);
    memset(used, 0, n);
    size_t dropped = 0;
    for (int k = from; k < nvtokens; k++) {
        const struct vtoken *t = &vtokens[k];
        if (t->slot != s || t->drops == 0)
            continue;
        CHECK_EQ_SIZE(t->drops, 1);
        dropped++;
        size_t j = 0;
        while (j < n && (used[j] || views[j].ptr != t->drop_ptr ||
                         views[j].len != t->drop_len))
            j++;
        CHECK(j < n); /* a drop with a view no dropped handle had */
        used[j] = 1;
    }
    CHECK_EQ_SIZE(dropped, n);
}

/* ---- fixtures: one storage of each kind --------------------------------- */

enum kind { K_HEAP, K_MALLOC, K_OWNER, K_VTABLE, K_STATIC, K_FROZEN, K_FILE,
            NKINDS };
static const char *const KIND_NAME[NKINDS] = {
    "heap", "malloc", "owner", "vtable", "static", "frozen", "file"};

/* On a failed check (which exits), say where: the storage kind of the
 * last fixture made, or the test's own note. */
static const char *context = "none", *in_test = "main";
static int all_passed;
static void say_context(void)
{
    if (!all_passed)
        fprintf(stderr, "test_batch: failed in %s (last fixture: %s)\n",
                in_test, context);
}

/* The library's own counted kinds: bytes_is_unique answers from the count. */
static int counted(enum kind k) { return k != K_VTABLE && k != K_STATIC; }

struct fixture {
    enum kind kind;
    bytes_t b;            /* the original handle, all LEN bytes */
    const uint8_t *base;  /* its bytes: pattern(0..LEN) */
    void *block;          /* watched: freed at release (heap, frozen, malloc) */
    void *header;         /* watched: the shared header (malloc, owner) */
    struct counting_owner *o;
    struct vslot *v;
    int first_token;
    char path[64];
};

static void fx_make(struct fixture *f, enum kind k, int id)
{
    static uint8_t src[LEN];
    for (size_t i = 0; i < LEN; i++)
        src[i] = pattern(i);
    memset(f, 0, sizeof *f);
    f->kind = k;
    context = KIND_NAME[k];
    GARBAGE(f->b);
    switch (k) {
    case K_HEAP: {
        struct counts s = now();
        CHECK_OK(bytes_copy_from(src, LEN, &f->b));
        CHECK_DELTA(s, 1, 0);
        f->block = alloc_count_last();
        CHECK(alloc_watch(f->block));
        break;
    }
    case K_MALLOC: {
        uint8_t *p = malloc(LEN);
        CHECK(p != NULL);
        memcpy(p, src, LEN);
        f->block = p;
        CHECK(alloc_watch(p));
        struct counts s = now();
        CHECK_OK(bytes_from_malloc(p, LEN, &f->b));
        CHECK_DELTA(s, 1, 0);
        f->header = alloc_count_last();
        CHECK(alloc_watch(f->header));
        CHECK(bytes_ptr(&f->b) == p);
        break;
    }
    case K_OWNER: {
        struct counting_owner *o = &owners[id];
        counting_owner_reset(o);
        memcpy(o->buf, src, LEN);
        f->o = o;
        struct counts s = now();
        CHECK_OK(bytes_from_owner(o->buf, LEN, o, counting_owner_release,
                                  &f->b));
        CHECK_DELTA(s, 1, 0);
        f->header = alloc_count_last();
        CHECK(alloc_watch(f->header));
        CHECK(bytes_ptr(&f->b) == o->buf);
        break;
    }
    case K_VTABLE: {
        struct vslot *v = &vslots[id];
        memset(v, 0, sizeof *v);
        memcpy(v->buf, src, LEN);
        v->refs = 1; /* the reference handed over */
        f->v = v;
        f->first_token = nvtokens;
        struct counts s = now();
        CHECK_OK(bytes_from_vtable(v->buf, LEN, new_token(v), &V_VTABLE, &f->b));
        CHECK_DELTA(s, 0, 0);
        CHECK(bytes_ptr(&f->b) == v->buf);
        break;
    }
    case K_STATIC:
        f->b = bytes_from_static(static_buf, LEN);
        CHECK(bytes_ptr(&f->b) == static_buf);
        break;
    case K_FROZEN: {
        bytes_mut_t m;
        struct counts s = now();
        CHECK_OK(bytes_mut_with_capacity(LEN, &m));
        CHECK_DELTA(s, 1, 0);
        f->block = alloc_count_last();
        CHECK(alloc_watch(f->block));
        CHECK_OK(bytes_mut_extend_from_slice(&m, src, LEN));
        const uint8_t *p = bytes_mut_ptr(&m);
        f->b = bytes_mut_freeze(&m);
        CHECK(bytes_ptr(&f->b) == p); /* O(1), not copied */
        CHECK_DELTA(s, 1, 0);
        break;
    }
    case K_FILE: {
        strcpy(f->path, "/tmp/libbytes-batch-XXXXXX");
        int fd = mkstemp(f->path);
        CHECK(fd >= 0);
        CHECK(write(fd, src, LEN) == LEN);
        CHECK(close(fd) == 0);
        CHECK_OK(bytes_from_file(f->path, &f->b));
        CHECK(unlink(f->path) == 0); /* the mapping outlives the name */
        CHECK(mappings_of(f->path, NULL) > 0);
        break;
    }
    default:
        CHECK(0);
    }
    f->base = bytes_ptr(&f->b);
    CHECK_EQ_SIZE(bytes_len(&f->b), LEN);
    CHECK(memcmp(f->base, src, LEN) == 0);
    if (counted(k))
        CHECK(bytes_is_unique(&f->b));
}

/* How many times the storage was released, or -1 where this build cannot
 * see it (static bytes; heap and malloc storage in the checker builds,
 * where the checker itself reports leaks and double frees). Allocates
 * for a file (reads /proc): never call it inside a counting window. */
static long fx_releases(const struct fixture *f)
{
    switch (f->kind) {
    case K_HEAP:
    case K_FROZEN:
    case K_MALLOC:
        if (!alloc_count_available())
            return -1;
        if (f->kind == K_MALLOC)
            CHECK_EQ_SIZE(alloc_watch_freed(f->header),
                          alloc_watch_freed(f->block));
        return (long)alloc_watch_freed(f->block);
    case K_OWNER:
        if (alloc_count_available())
            CHECK_EQ_SIZE(alloc_watch_freed(f->header),
                          atomic_load(&f->o->released));
        return atomic_load(&f->o->released);
    case K_VTABLE:
        CHECK(f->v->refs >= 0);
        CHECK_EQ_SIZE(f->v->clone_of_dropped, 0);
        if (f->v->refs == 0)
            CHECK_EQ_SIZE(f->v->drops, 1 + f->v->clones);
        return f->v->refs == 0;
    case K_FILE:
        return mappings_of(f->path, NULL) == 0;
    default:
        return -1;
    }
}

#define CHECK_RELEASES(f, n)                                                \
    do {                                                                    \
        long r_ = fx_releases(f);                                           \
        if (r_ >= 0)                                                        \
            CHECK_EQ_SIZE(r_, (n));                                         \
    } while (0)

/* Frees of the C heap that the storage's release makes (checked in the
 * counting windows of the drop tests). */
static size_t fx_release_frees(enum kind k)
{
    switch (k) {
    case K_MALLOC:
        return 2; /* the block and the header */
    case K_HEAP:
    case K_FROZEN:
    case K_OWNER:
    case K_FILE:
        return 1; /* the block, or the header */
    default:
        return 0;
    }
}

/* Drop the original (if still held) and check the release. */
static void fx_finish(struct fixture *f)
{
    bytes_drop(&f->b);
    CHECK_ZERO(&f->b);
    CHECK_RELEASES(f, f->kind == K_STATIC ? 0 : 1);
    if (f->block)
        alloc_unwatch(f->block);
    if (f->header)
        alloc_unwatch(f->header);
    f->block = f->header = NULL;
}

/* A handle of this fixture's storage viewing the bytes at `at`, made in
 * one of several ways (clone, slice, a batch of one, a sliced clone). */
static bytes_t fx_handle(struct fixture *f, size_t i)
{
    bytes_t h;
    GARBAGE(h);
    size_t at = (i * 97) % (LEN - 64);
    switch (i % 4) {
    case 0:
        h = bytes_clone(&f->b);
        break;
    case 1:
        CHECK_OK(bytes_slice(&f->b, at, at + 1 + i % 63, &h));
        break;
    case 2: {
        bytes_range_t r = {at, at + 10};
        CHECK_OK(bytes_slice_many(&f->b, &r, 1, &h));
        break;
    }
    default:
        h = bytes_clone(&f->b);
        CHECK_OK(bytes_advance(&h, at));
        bytes_truncate(&h, 17);
        break;
    }
    CHECK(bytes_len(&h) > 0);
    size_t off = (size_t)(bytes_ptr(&h) - f->base);
    CHECK(off + bytes_len(&h) <= LEN);
    for (size_t j = 0; j < bytes_len(&h); j++)
        if (bytes_ptr(&h)[j] != pattern(off + j))
            CHECK(bytes_ptr(&h)[j] == pattern(off + j));
    return h;
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

/* ---- bytes_drop_many over mixed arrays ---------------------------------- */

/* Letters: A B H F storages (malloc, owner, heap, frozen), V a vtable,
 * S a static slice, E an empty handle, e an empty range of a batch;
 * the lower-case a b h f v move that storage's original into the array
 * (then it is released inside the drop). */
static const char *const PATTERNS[] = {
    "AABABBSEVA", "aABABBSEVA", "AABABBSEVa", "AAAA", "aAAA", "AAAa",
    "ABABABAB", "aBAbABAB", "AAABBBHHHFFF", "hHHHfFFF", "VVAVV", "vVAVV",
    "HAHBHVHSE", "BBBBBBBBBBBA", "bBBBBBBBBBBa", "E", "S", "A", "a", "V",
    "v", "ee", "AeA", "aEA", "SVSVS", "HFHFHF", "hfHF", "FAB", "EAEAEeE",
};

static enum kind letter_kind(char c)
{
    switch (c) {
    case 'A': case 'a': return K_MALLOC;
    case 'B': case 'b': return K_OWNER;
    case 'H': case 'h': return K_HEAP;
    case 'F': case 'f': return K_FROZEN;
    case 'V': case 'v': return K_VTABLE;
    default: return K_STATIC;
    }
}

#define MAXH 64
static struct fixture fx[NKINDS];
static bytes_t arr[MAXH];
static struct view arr_views[MAXH];

/* Builds arr from the letters; returns its length. Originals of storages
 * whose lower-case letter appears are moved in (and zeroed in fx). */
static size_t build_array(const char *pat)
{
    size_t n = 0;
    for (const char *p = pat; *p; p++, n++) {
        CHECK(n < MAXH);
        struct fixture *f = &fx[letter_kind(*p)];
        switch (*p) {
        case 'E':
            arr[n] = bytes_new();
            break;
        case 'e': {
            bytes_range_t r = {3, 3};
            bytes_t sb = bytes_from_static(static_buf, LEN);
            CHECK_OK(bytes_slice_many(&sb, &r, 1, &arr[n]));
            /* rule 9: an empty view at its position, holding nothing */
            CHECK(bytes_len(&arr[n]) == 0 && bytes_ptr(&arr[n]) == static_buf + 3);
            break;
        }
        case 'S':
            arr[n] = bytes_from_static(static_buf + n, 5 + n);
            break;
        case 'a': case 'b': case 'h': case 'f': case 'v':
            break; /* below, once every handle has been cut */
        default:
            arr[n] = fx_handle(f, n + strlen(pat));
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (strchr("abhfv", pat[i]) != NULL) {
            struct fixture *f = &fx[letter_kind(pat[i])];
            arr[i] = f->b;
            memset(&f->b, 0, sizeof f->b);
        }
        arr_views[i].ptr = bytes_ptr(&arr[i]);
        arr_views[i].len = bytes_len(&arr[i]);
    }
    return n;
}

static int pat_has(const char *pat, char c) { return strchr(pat, c) != NULL; }

static void test_drop_mixed(void)
{
    in_test = __func__;
    static const char upper[] = "ABHFV", lower[] = "abhfv";
    for (size_t pi = 0; pi < sizeof PATTERNS / sizeof PATTERNS[0]; pi++) {
        const char *pat = PATTERNS[pi];
        for (int keep = 0; keep < 2; keep++) {
            /* keep: the originals outlive the array (unless moved in);
             * otherwise they are dropped before, so that the storage is
             * released inside bytes_drop_many. */
            nvtokens = 0;
            for (int k = 0; k < NKINDS; k++)
                if (k != K_FILE)
                    fx_make(&fx[k], (enum kind)k, 0);
            size_t n = build_array(pat);
            struct vslot *v = fx[K_VTABLE].v;
            long vclones = v->clones;
            int v_orig_dropped = 0;
            if (!keep) {
                v_orig_dropped = !pat_has(pat, 'v');
                for (int k = 0; k < NKINDS; k++)
                    bytes_drop(&fx[k].b); /* no-op where moved in */
            }

            /* Releases expected before the drop, and those the drop must
             * make (with the frees they cost). */
            long before[NKINDS] = {0}, in_drop[NKINDS] = {0};
            size_t frees = 0;
            for (int li = 0; li < 5; li++) {
                enum kind k = letter_kind(upper[li]);
                int present = pat_has(pat, upper[li]) || pat_has(pat, lower[li]);
                int moved = pat_has(pat, lower[li]);
                if (!keep && !present)
                    before[k] = 1;
                if ((present && !keep) || moved) {
                    in_drop[k] = 1;
                    frees += fx_release_frees(k);
                }
            }
            for (int li = 0; li < 5; li++)
                CHECK_RELEASES(&fx[letter_kind(upper[li])],
                               before[letter_kind(upper[li])]);

            struct counts s = now();
            bytes_drop_many(arr, n);
            CHECK_DELTA(s, 0, frees);
            for (size_t i = 0; i < n; i++)
                CHECK_ZERO(&arr[i]);
            for (int li = 0; li < 5; li++) {
                enum kind k = letter_kind(upper[li]);
                CHECK_RELEASES(&fx[k], before[k] + in_drop[k]);
            }
            /* The vtable saw one drop per handle, with its view, and no
             * clone. */
            static struct view vviews[MAXH + 1];
            size_t nv = 0;
            for (size_t i = 0; i < n; i++)
                if (letter_kind(pat[i]) == K_VTABLE)
                    vviews[nv++] = arr_views[i];
            if (v_orig_dropped) { /* dropped before, by bytes_drop */
                vviews[nv].ptr = fx[K_VTABLE].base;
                vviews[nv++].len = LEN;
            }
            CHECK_EQ_SIZE(v->clones, vclones);
            check_token_drops(v, 0, vviews, nv);
            /* The static bytes are untouched. */
            for (size_t i = 0; i < LEN; i++)
                if (static_buf[i] != pattern(i))
                    CHECK(static_buf[i] == pattern(i));

            /* A second drop of the same array: nothing at all. */
            s = now();
            long vdrops = v->drops;
            bytes_drop_many(arr, n);
            CHECK_DELTA(s, 0, 0);
            CHECK_EQ_SIZE(v->drops, vdrops);
            for (size_t i = 0; i < n; i++)
                CHECK_ZERO(&arr[i]);

            /* What is left: the kept originals, released with them. */
            for (int li = 0; li < 5; li++) {
                enum kind k = letter_kind(upper[li]);
                CHECK_RELEASES(&fx[k], before[k] + in_drop[k]);
            }
            for (int k = 0; k < NKINDS; k++)
                if (k != K_FILE)
                    fx_finish(&fx[k]);
        }
    }
}

/* Many shuffled arrays of handles of five storages, with statics, empties
 * and sometimes the originals: every storage released exactly once, by
 * the one bytes_drop_many. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t bound)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33) % bound;
}

static void test_drop_shuffled(void)
{
    in_test = __func__;
    static const enum kind kinds[] = {K_MALLOC, K_OWNER, K_HEAP, K_FROZEN,
                                      K_VTABLE};
    const size_t nk = sizeof kinds / sizeof kinds[0];
    for (int round = 0; round < 200; round++) {
        nvtokens = 0;
        size_t n = 0;
        size_t frees = 0;
        int v_orig_dropped = 0;
        for (size_t ki = 0; ki < nk; ki++) {
            struct fixture *f = &fx[kinds[ki]];
            fx_make(f, kinds[ki], 0);
            size_t copies = rnd(7);
            for (size_t j = 0; j < copies; j++)
                arr[n++] = fx_handle(f, rnd(1000));
            if (rnd(3) == 0 || copies == 0) {
                arr[n++] = f->b; /* the original goes in too */
                memset(&f->b, 0, sizeof f->b);
            } else {
                bytes_drop(&f->b);
                v_orig_dropped |= kinds[ki] == K_VTABLE;
            }
            frees += fx_release_frees(kinds[ki]);
        }
        for (uint32_t j = rnd(4); j > 0; j--)
            arr[n++] = bytes_from_static(static_buf + j, j * 3);
        for (uint32_t j = rnd(3); j > 0; j--)
            arr[n++] = bytes_new();
        CHECK(n <= MAXH);
        /* Shuffle; half of the time keep runs (sort by kind) instead. */
        if (round % 2 == 0) {
            for (size_t i = n - 1; i > 0; i--) {
                size_t j = rnd((uint32_t)i + 1);
                bytes_t t = arr[i];
                arr[i] = arr[j];
                arr[j] = t;
            }
        }
        static struct view vviews[MAXH + 1];
        size_t nv = 0;
        const uint8_t *vbase = fx[K_VTABLE].base;
        if (v_orig_dropped) { /* by bytes_drop, before */
            vviews[nv].ptr = vbase;
            vviews[nv++].len = LEN;
        }
        for (size_t i = 0; i < n; i++)
            if (bytes_ptr(&arr[i]) >= vbase && bytes_ptr(&arr[i]) < vbase + LEN) {
                vviews[nv].ptr = bytes_ptr(&arr[i]);
                vviews[nv++].len = bytes_len(&arr[i]);
            }
        for (size_t ki = 0; ki < nk; ki++)
            CHECK_RELEASES(&fx[kinds[ki]], 0);

        struct counts s = now();
        bytes_drop_many(arr, n);
        CHECK_DELTA(s, 0, frees);
        for (size_t i = 0; i < n; i++)
            CHECK_ZERO(&arr[i]);
        check_token_drops(fx[K_VTABLE].v, 0, vviews, nv);
        for (size_t ki = 0; ki < nk; ki++) {
            CHECK_RELEASES(&fx[kinds[ki]], 1);
            fx_finish(&fx[kinds[ki]]);
        }
        bytes_drop_many(arr, n);
        CHECK_DELTA(s, 0, frees);
    }
}

/* ---- 4 threads ---------------------------------------------------------- */

#define NTHREADS 4
#define ITERS 24
#define TBATCH 11
#define TSINGLE 4
#define ROUNDS 60

struct tround {
    enum kind kind;          /* K_MALLOC or K_OWNER */
    struct counting_owner *o;
    uint8_t *block;          /* the adopted block (K_MALLOC) */
    const uint8_t *base;
    const bytes_t *master;   /* NULL: the main thread dropped it first */
    bytes_t share[NTHREADS]; /* each worker's own reference */
};

/* Releases seen so far: the owner's count everywhere; the malloc block's
 * frees in counting builds (elsewhere the checker sees a premature free
 * as a use after free: the workers read the bytes they hold). */
static int t_released(const struct tround *r)
{
    if (r->kind == K_OWNER)
        return atomic_load(&r->o->released);
    return alloc_count_available() ? (int)alloc_watch_freed(r->block) : 0;
}

/* Every handle of h[0..n) views the pattern at its place. */
static void t_check_views(const struct tround *r, const bytes_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = bytes_len(&h[i]);
        if (len == 0)
            continue;
        const uint8_t *p = bytes_ptr(&h[i]);
        TCHECK(p >= r->base && p + len <= r->base + LEN);
        size_t off = (size_t)(p - r->base);
        TCHECK(p[0] == pattern(off));
        TCHECK(p[len - 1] == pattern(off + len - 1));
    }
}

static void t_check_zero(const bytes_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        TCHECK(is_zero_handle(&h[i]));
}

static void *tworker_main(void *arg)
{
    struct worker *w = arg;
    struct tround *r = w->round;
    bytes_t *own = &r->share[w->id];
    bytes_t batch[TBATCH], single[TSINGLE], mix[TBATCH + TSINGLE + 1];
    bytes_range_t rg[TBATCH];
    workers_begin(w);

    for (int it = 0; it <= ITERS; it++) {
        const bytes_t *from = (r->master != NULL && it % 2 == 0) ? r->master
                                                                  : own;
        size_t L = bytes_len(from);
        const uint8_t *P = bytes_ptr(from);
        for (size_t i = 0; i < TBATCH; i++) {
            size_t b = (i * 53 + (size_t)it * 7 + (size_t)w->id * 13) % L;
            size_t e = (i + (size_t)it) % 5 == 0 ? b : b + 1 + (i * 17) % 40;
            rg[i].begin = b;
            rg[i].end = e > L ? L : e;
        }
        TCHECK(bytes_slice_many(from, rg, TBATCH, batch) == BYTES_OK);
        for (size_t i = 0; i < TBATCH; i++) {
            TCHECK(bytes_len(&batch[i]) == rg[i].end - rg[i].begin);
            TCHECK(bytes_len(&batch[i]) == 0 ||
                   bytes_ptr(&batch[i]) == P + rg[i].begin);
        }
        t_check_views(r, batch, TBATCH);

        if (it == ITERS) {
            /* Last: the thread's own reference goes into the batch's
             * drop, so the storage may be released inside it. */
            TCHECK(t_released(r) == 0);
            size_t k = 0;
            for (size_t i = 0; i < TBATCH; i++) {
                mix[k++] = batch[i];
                if (i == (size_t)w->id * 2)
                    mix[k++] = *own;
            }
            memset(own, 0, sizeof *own); /* moved */
            bytes_drop_many(mix, k);
            t_check_zero(mix, k);
            break;
        }

        single[0] = bytes_clone(&batch[(size_t)it % TBATCH]);
        single[1] = bytes_clone(from);
        TCHECK(bytes_slice(from, 1, L / 2, &single[2]) == BYTES_OK);
        TCHECK(bytes_slice(&batch[0], 0, bytes_len(&batch[0]) / 2,
                           &single[3]) == BYTES_OK);
        t_check_views(r, single, TSINGLE);
        TCHECK(t_released(r) == 0); /* we hold handles */

        size_t k = 0, j = 0;
        switch (it % 4) {
        case 0: /* runs: the batch, then the singles */
            memcpy(mix, batch, sizeof batch);
            memcpy(mix + TBATCH, single, sizeof single);
            bytes_drop_many(mix, TBATCH + TSINGLE);
            t_check_zero(mix, TBATCH + TSINGLE);
            break;
        case 1: /* interleaved */
            for (size_t i = 0; i < TBATCH; i++) {
                mix[k++] = batch[i];
                if (i % 3 == 1 && j < TSINGLE)
                    mix[k++] = single[j++];
            }
            while (j < TSINGLE)
                mix[k++] = single[j++];
            bytes_drop_many(mix, k);
            t_check_zero(mix, k);
            break;
        case 2: /* half a batch, singles one by one, the other half */
            bytes_drop_many(batch, TBATCH / 2);
            t_check_zero(batch, TBATCH / 2);
            for (size_t i = 0; i < TSINGLE; i++)
                bytes_drop(&single[i]);
            TCHECK(t_released(r) == 0);
            t_check_views(r, batch + TBATCH / 2, TBATCH - TBATCH / 2);
            bytes_drop_many(batch + TBATCH / 2, TBATCH - TBATCH / 2);
            t_check_zero(batch, TBATCH);
            break;
        default: /* the batch one by one, the singles as a batch */
            for (size_t i = TBATCH; i-- > 0;)
                bytes_drop(&batch[i]);
            TCHECK(t_released(r) == 0);
            bytes_drop_many(single, TSINGLE);
            t_check_zero(single, TSINGLE);
            break;
        }
        TCHECK(t_released(r) == 0); /* *own is still held */
        t_check_views(r, own, 1);
    }
    workers_end(w);
    return NULL;
}

static void run_thread_round(enum kind kind, int keep_master)
{
    static struct tround r;
    static struct workers ws;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    struct fixture f;
    fx_make(&f, kind, 1);
    r.o = f.o;
    r.block = f.block;
    r.base = f.base;

    /* The workers' references, themselves a batch. */
    bytes_range_t sr[NTHREADS] = {{0, LEN}, {1, LEN}, {0, LEN - 1},
                                  {5, LEN - 5}};
    CHECK_OK(bytes_slice_many(&f.b, sr, NTHREADS, r.share));
    if (keep_master) {
        r.master = &f.b;
    } else {
        bytes_drop_many(&f.b, 1);
        r.master = NULL;
    }
    CHECK_EQ_SIZE(t_released(&r), 0);

    workers_start(&ws, NTHREADS, tworker_main, &r);
    struct counts c = now();
    workers_go(&ws);
    workers_wait(&ws);
    /* The workers allocated nothing (the release, if theirs, only frees). */
    CHECK_DELTA(c, 0, keep_master ? 0 : fx_release_frees(kind));
    workers_join(&ws);
    for (int t = 0; t < NTHREADS; t++)
        CHECK_ZERO(&r.share[t]);

    if (keep_master) {
        /* Every worker handle is gone and the count is exactly one. */
        CHECK_EQ_SIZE(t_released(&r), 0);
        CHECK(bytes_is_unique(&f.b));
        CHECK(memcmp(f.base, static_buf, LEN) == 0);
        bytes_drop(&f.b);
        CHECK_EQ_SIZE(t_released(&r), r.kind == K_OWNER || alloc_count_available());
        if (kind == K_OWNER)
            CHECK(pthread_equal(f.o->release_thread, pthread_self()));
    } else {
        /* Released exactly once, by whichever worker dropped last. */
        CHECK_EQ_SIZE(t_released(&r), r.kind == K_OWNER || alloc_count_available());
        if (kind == K_OWNER) {
            CHECK(workers_count_thread(&ws, f.o->release_thread) == 1);
        }
    }
    fx_finish(&f);
}

static void test_threads(void)
{
    in_test = __func__;
    for (int round = 0; round < ROUNDS; round++) {
        run_thread_round(K_MALLOC, 1);
        run_thread_round(K_MALLOC, 0);
        run_thread_round(K_OWNER, 1);
        run_thread_round(K_OWNER, 0);
    }
}

/* Lazily initialised state (stdio, the library's first calls) allocates
 * once: do it before any counting window. */
static void warm_up(void)
{
    in_test = __func__;
    struct fixture f;
    for (int k = 0; k < NKINDS; k++) {
        nvtokens = 0;
        fx_make(&f, (enum kind)k, 0);
        bytes_range_t r[2] = {{0, 1}, {1, 2}};
        CHECK_OK(bytes_slice_many(&f.b, r, 2, out));
        bytes_drop_many(out, 2);
        fx_finish(&f);
    }
    CHECK(bytes_status_str(BYTES_OK) != NULL);
}

int main(void)
{
    CHECK(alloc_count_start());
    atexit(say_context);
    for (size_t i = 0; i < LEN; i++)
        static_buf[i] = pattern(i);
    warm_up();
    test_identity();
    test_no_allocation();
    test_article_parse();
    test_all_or_nothing();
    test_bad_arguments();
    test_vtable_calls();
    test_drop_mixed();
    test_drop_shuffled();
    test_threads();
    test_null_b();
    CHECK_ADD_THREAD_CHECKS();
    all_passed = 1;
    CHECK_DONE();
    return 0;
}
