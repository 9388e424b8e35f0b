/*
 * test_owner.c - bytes_from_owner: foreign memory whose release the library
 * counts. Observed with alloc_count (allocations, and the header block
 * being freed) and with a counting owner whose release() records every
 * call.
 *
 *   - success allocates exactly one block (the shared header); clones,
 *     slices and splits allocate nothing;
 *   - release(owner) runs exactly once, after the last handle is dropped
 *     (never earlier), together with the header's free; owner may be NULL;
 *   - len 0 releases at once and gives an empty handle;
 *   - errors: release is not called, *out is all zero, nothing allocated;
 *   - bytes_try_into_mut refuses (ERR_NOT_UNIQUE, input unchanged),
 *     bytes_into_mut copies and then drops the reference, bytes_compact
 *     copies a part and is a no-op on the whole storage;
 *   - rule 8: 4 threads clone, slice and drop handles of one owner at once,
 *     over many rounds; release runs once, on the thread that drops last.
 */
#include "check_alloc.h"
#include "check_mut.h"
#include "counting.h"
#include "shares.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* The owner: counting.h's counting owner, whose release() poisons the
 * buffer, so that a handle still reading it after release would see 0xDD,
 * not the pattern. */
#define BUF_LEN COUNTING_BUF_LEN

static uint8_t pattern(size_t i) { return (uint8_t)(i * 7 + (i >> 8) + 1); }

static void owner_init(struct counting_owner *o)
{
    counting_owner_reset(o);
    for (size_t i = 0; i < BUF_LEN; i++)
        o->buf[i] = pattern(i);
}

/* For owner == NULL: counts calls and remembers the argument. */
static atomic_int null_releases;
static void *_Atomic null_release_arg;
static void release_null(void *p)
{
    atomic_store(&null_release_arg, p);
    atomic_fetch_add(&null_releases, 1);
}

/* Wrap o->buf[0..len); *header gets the library's one allocation, which
 * is watched. */
static bytes_t wrap(struct counting_owner *o, size_t len, void **header)
{
    owner_init(o);
    struct counts s = now();
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_owner(o->buf, len, o, counting_owner_release, &b));
    CHECK_DELTA(s, 1, 0); /* one small header */
    *header = alloc_count_last();
    CHECK_COUNTED(*header != NULL && *header != (void *)o->buf);
    CHECK(alloc_watch(*header));
    CHECK(bytes_ptr(&b) == o->buf); /* not copied */
    CHECK_EQ_SIZE(bytes_len(&b), len);
    CHECK_EQ_SIZE(atomic_load(&o->released), 0);
    return b;
}

static void warm_up(void)
{
    static struct counting_owner o;
    void *hdr;
    bytes_t b, c;
    CHECK_OK(bytes_copy_from((const uint8_t *)"warm", 4, &b));
    c = bytes_clone(&b);
    CHECK_OK(bytes_slice(&c, 1, 2, &c));
    bytes_drop(&c);
    bytes_drop(&b);
    b = wrap(&o, 16, &hdr);
    CHECK_OK(bytes_compact(&b));
    bytes_mut_t m;
    CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
    CHECK_OK(bytes_into_mut(&b, &m));
    bytes_mut_drop(&m);
    alloc_unwatch(hdr);
    CHECK(bytes_status_str(BYTES_OK) != NULL);
}

static void test_release_after_last_drop(void)
{
    static struct counting_owner o;
    /* Several drop orders: the original first, last, and in between. */
    for (int order = 0; order < 3; order++) {
        void *hdr;
        bytes_t b = wrap(&o, BUF_LEN, &hdr);
        CHECK(bytes_is_unique(&b)); /* the library counts: one handle */

        struct counts s = now();
        bytes_t h[10];
        h[0] = bytes_clone(&b);
        CHECK_OK(bytes_slice(&b, 10, 300, &h[1]));
        CHECK(bytes_ptr(&h[1]) == o.buf + 10);
        CHECK_OK(bytes_slice_ref(&b, o.buf + 1000, 24, &h[2]));
        h[3] = bytes_clone(&h[2]);
        CHECK_OK(bytes_split_to(&h[3], 4, &h[4]));
        h[5] = bytes_clone(&b);
        CHECK_OK(bytes_split_off(&h[5], 2048, &h[6]));
        CHECK_OK(bytes_advance(&h[6], 3));
        bytes_truncate(&h[5], 5);
        h[7] = bytes_clone(&h[6]);
        CHECK_OK(bytes_split_to(&h[7], bytes_len(&h[7]), &h[8])); /* moves */
        expect_empty(&h[7]);
        CHECK_OK(bytes_slice(&h[8], 1, 2, &h[7]));
        h[9] = b; /* moved: b is no longer used */
        CHECK_DELTA(s, 0, 0); /* sharing allocates nothing */
        CHECK(!bytes_is_unique(&h[9]));
        CHECK(memcmp(bytes_ptr(&h[6]), o.buf + 2051, BUF_LEN - 2051) == 0);

        for (int k = 0; k < 10; k++) {
            int idx = order == 0 ? 9 - k : order == 1 ? k : (k * 3) % 10;
            /* not before the last drop */
            CHECK_EQ_SIZE(atomic_load(&o.released), 0);
            CHECK_FREED(hdr, 0);
            /* the bytes are still the owner's, unpoisoned */
            size_t off = (size_t)(bytes_ptr(&h[idx]) - o.buf);
            for (size_t i = 0; i < bytes_len(&h[idx]); i++)
                CHECK(bytes_ptr(&h[idx])[i] == pattern(off + i));
            bytes_drop(&h[idx]);
            bytes_drop(&h[idx]); /* rule 2: no-op */
        }
        CHECK_EQ_SIZE(atomic_load(&o.released), 1); /* exactly once */
        CHECK_FREED(hdr, 1);
        CHECK(pthread_equal(o.release_thread, pthread_self()));
        CHECK_DELTA(s, 0, 1);
        alloc_unwatch(hdr);
    }

    /* bytes_clear is a drop too. */
    void *hdr;
    bytes_t b = wrap(&o, 100, &hdr);
    bytes_clear(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    CHECK_FREED(hdr, 1);
    expect_empty(&b);
    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    alloc_unwatch(hdr);

    /* An empty slice holds no reference; slicing in place releases the old
     * reference (the only one here) only after taking the new one. */
    b = wrap(&o, 100, &hdr);
    bytes_t e;
    CHECK_OK(bytes_slice(&b, 7, 7, &e));
    expect_empty(&e);
    CHECK_OK(bytes_slice(&b, 20, 30, &b));
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    CHECK(bytes_ptr(&b) == o.buf + 20);
    CHECK_EQ_SIZE(bytes_len(&b), 10);
    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    bytes_drop(&e);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    alloc_unwatch(hdr);
}

static void test_null_owner(void)
{
    static const uint8_t text[] = "no owner object needed";
    atomic_store(&null_releases, 0);
    atomic_store(&null_release_arg, (void *)text); /* not NULL */
    struct counts s = now();
    bytes_t b, c;
    CHECK_OK(bytes_from_owner(text, sizeof text - 1, NULL, release_null, &b));
    CHECK_DELTA(s, 1, 0);
    CHECK_BYTES(&b, text, sizeof text - 1);
    c = bytes_clone(&b);
    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&null_releases), 0);
    bytes_drop(&c);
    CHECK_EQ_SIZE(atomic_load(&null_releases), 1);
    CHECK(atomic_load(&null_release_arg) == NULL);
    CHECK_DELTA(s, 1, 1);
}

static void test_empty(void)
{
    static struct counting_owner o;
    /* (ptr, 0) and (NULL, 0): released at once, empty handle, and no
     * header left behind. */
    for (int with_ptr = 0; with_ptr < 2; with_ptr++) {
        owner_init(&o);
        struct counts s = now();
        bytes_t b;
        GARBAGE(b);
        CHECK_OK(bytes_from_owner(with_ptr ? o.buf : NULL, 0, &o,
                                  counting_owner_release, &b));
        CHECK_EQ_SIZE(atomic_load(&o.released), 1); /* at once */
        expect_empty(&b);
        struct counts t = now();
        if (alloc_count_available()) /* no leak */
            CHECK_EQ_SIZE(t.allocs - s.allocs, t.frees - s.frees);
        bytes_t c = bytes_clone(&b);
        bytes_drop(&c);
        bytes_drop(&b);
        CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    }
}

static void test_errors(void)
{
    static struct counting_owner o;
    owner_init(&o);
    struct counts s = now();
    bytes_t out;

    /* Each error: status, release not called, *out all zero. */
#define OWNER_ERROR(call, want)                                             \
    do {                                                                    \
        GARBAGE(out);                                                       \
        CHECK_STATUS((call), (want));                                       \
        CHECK_ZERO(&out);                                                   \
        CHECK_EQ_SIZE(atomic_load(&o.released), 0);                         \
    } while (0)

    OWNER_ERROR(bytes_from_owner(o.buf, 10, &o, NULL, &out), BYTES_ERR_NULL);
    OWNER_ERROR(bytes_from_owner(o.buf, 0, &o, NULL, &out), BYTES_ERR_NULL);
    OWNER_ERROR(bytes_from_owner(NULL, 10, &o, counting_owner_release, &out),
                BYTES_ERR_NULL);
    OWNER_ERROR(bytes_from_owner(NULL, 1, NULL, counting_owner_release, &out),
                BYTES_ERR_NULL);
    OWNER_ERROR(bytes_from_owner(o.buf, (size_t)PTRDIFF_MAX + 1, &o,
                                 counting_owner_release, &out),
                BYTES_ERR_NOMEM);
    OWNER_ERROR(bytes_from_owner(o.buf, SIZE_MAX, &o, counting_owner_release,
                                 &out),
                BYTES_ERR_NOMEM);
#undef OWNER_ERROR
    /* out NULL: with a view, and with an empty one (which would otherwise
     * release at once). */
    CHECK_STATUS(bytes_from_owner(o.buf, 10, &o, counting_owner_release, NULL),
                 BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_owner(o.buf, 0, &o, counting_owner_release, NULL),
                 BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_owner(NULL, 0, &o, counting_owner_release, NULL),
                 BYTES_ERR_NULL);
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    CHECK_DELTA(s, 0, 0); /* nothing allocated, nothing leaked */

    /* The caller still owns the owner: it can be wrapped now. */
    bytes_t b;
    CHECK_OK(bytes_from_owner(o.buf, 10, &o, counting_owner_release, &b));
    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
}

static void test_into_mut(void)
{
    static struct counting_owner o;
    void *hdr;
    bytes_mut_t m;

    /* try_into_mut refuses foreign storage, even with a single handle. */
    bytes_t b = wrap(&o, 64, &hdr);
    {
        SNAP(b);
        memset(&m, 0xA5, sizeof m);
        struct counts s = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_UNCHANGED(b);
        CHECK(is_zero_mut(&m));
        CHECK_DELTA(s, 0, 0);
        CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    }

    /* into_mut of the only handle: one allocation (the copy), then the
     * reference is dropped, which is the last: release runs. */
    struct counts s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 1); /* the copy; the header freed */
    expect_empty(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    CHECK_FREED(hdr, 1);
    /* copied, then released */
    CHECK_COUNTED(o.allocs_at_release == s.allocs + 1);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 64);
    CHECK(bytes_mut_ptr(&m) != o.buf);
    for (size_t i = 0; i < 64; i++) /* o.buf is poisoned: a real copy */
        CHECK(bytes_mut_ptr(&m)[i] == pattern(i));
    bytes_mut_drop(&m);
    alloc_unwatch(hdr);

    /* into_mut of a slice while another handle lives: no release yet. */
    b = wrap(&o, 64, &hdr);
    bytes_t sl;
    CHECK_OK(bytes_slice(&b, 8, 40, &sl));
    {
        SNAP(sl);
        CHECK_STATUS(bytes_try_into_mut(&sl, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_UNCHANGED(sl);
        CHECK(is_zero_mut(&m));
    }
    s = now();
    CHECK_OK(bytes_into_mut(&sl, &m));
    CHECK_DELTA(s, 1, 0);
    expect_empty(&sl);
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 32);
    CHECK(memcmp(bytes_mut_ptr(&m), o.buf + 8, 32) == 0);
    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    CHECK_FREED(hdr, 1);
    for (size_t i = 0; i < 32; i++)
        CHECK(bytes_mut_ptr(&m)[i] == pattern(8 + i));
    bytes_mut_drop(&m);
    alloc_unwatch(hdr);
}

static void test_compact(void)
{
    static struct counting_owner o;
    void *hdr;
    bytes_t b = wrap(&o, BUF_LEN, &hdr);
    bytes_t part, c;
    CHECK_OK(bytes_slice(&b, 100, 120, &part)); /* 20 bytes */
    c = bytes_clone(&b);

    /* The whole storage: nothing to do. */
    struct counts s = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&b) == o.buf);
    CHECK_EQ_SIZE(bytes_len(&b), BUF_LEN);

    /* A 20-byte part: copied into a storage of its own (one allocation);
     * the others still hold the owner. */
    s = now();
    CHECK_OK(bytes_compact(&part));
    CHECK_DELTA(s, 1, 0);
    CHECK(bytes_ptr(&part) != o.buf + 100);
    CHECK_EQ_SIZE(bytes_len(&part), 20);
    CHECK(memcmp(bytes_ptr(&part), o.buf + 100, 20) == 0);
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    CHECK(bytes_is_unique(&part));

    bytes_drop(&b);
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);
    bytes_drop(&c); /* the last reference to the owner */
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    CHECK_FREED(hdr, 1);
    for (size_t i = 0; i < 20; i++) /* still readable: its own bytes */
        CHECK(bytes_ptr(&part)[i] == pattern(100 + i));
    bytes_drop(&part);
    alloc_unwatch(hdr);

    /* Compacting the only handle's part releases the owner at once. */
    b = wrap(&o, BUF_LEN, &hdr);
    CHECK_OK(bytes_slice(&b, 5, 25, &b));
    s = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(s, 1, 1);
    CHECK_EQ_SIZE(atomic_load(&o.released), 1);
    CHECK_COUNTED(o.allocs_at_release == s.allocs + 1); /* copied first */
    for (size_t i = 0; i < 20; i++)
        CHECK(bytes_ptr(&b)[i] == pattern(5 + i));
    bytes_drop(&b);
    alloc_unwatch(hdr);
}

/* ---- rule 8: 4 threads -------------------------------------------------- */

#define NTHREADS 4
#define PER_THREAD 48
#define CHURN 3
#define ROUNDS 150

/* How run_round cuts the shares from the master (shares.h). */
static const struct share_cuts CUTS = {5, 7, 0};

struct round {
    struct counting_owner *o;
    const bytes_t *master; /* NULL: the main thread dropped it first */
    bytes_t shares[NTHREADS][PER_THREAD];
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct round *r = w->round;
    const uint8_t *base = r->o->buf;
    workers_begin(w);

    for (int i = 0; i < PER_THREAD; i++) {
        bytes_t *h = &r->shares[w->id][i];
        /* Cut new handles from this thread's share, and from the shared
         * master (const use from every thread at once). */
        churn_share(r->master, h, i, CHURN, base, pattern);
        /* This thread still holds its share: no release yet. */
        TCHECK(atomic_load(&r->o->released) == 0);
        size_t off = (size_t)(bytes_ptr(h) - base);
        TCHECK(bytes_len(h) == 0 || bytes_ptr(h)[bytes_len(h) - 1] ==
                                        pattern(off + bytes_len(h) - 1));
        bytes_drop(h);
    }
    workers_end(w);
    return NULL;
}

static void run_round(int keep_master)
{
    static struct round r; /* 6 KiB of handles: keep it off the stack */
    static struct counting_owner o;
    static struct workers ws;
    memset(&r, 0, sizeof r);
    owner_init(&o);
    r.o = &o;

    bytes_t master;
    CHECK_OK(bytes_from_owner(o.buf, BUF_LEN, &o, counting_owner_release,
                              &master));
    for (int t = 0; t < NTHREADS; t++)
        for (int i = 0; i < PER_THREAD; i++)
            r.shares[t][i] = share_of(&master, t, i, &CUTS);

    if (keep_master) {
        r.master = &master;
    } else {
        bytes_drop(&master); /* the threads hold the only references */
        r.master = NULL;
    }
    CHECK_EQ_SIZE(atomic_load(&o.released), 0);

    workers_start(&ws, NTHREADS, worker, &r);
    workers_go(&ws);
    workers_wait(&ws);
    workers_join(&ws);

    if (keep_master) {
        CHECK_EQ_SIZE(atomic_load(&o.released), 0);
        CHECK(bytes_is_unique(&master));
        bytes_drop(&master);
        CHECK_EQ_SIZE(atomic_load(&o.released), 1);
        CHECK(pthread_equal(o.release_thread, pthread_self()));
    } else {
        /* Released exactly once, by whichever worker dropped last. */
        CHECK_EQ_SIZE(atomic_load(&o.released), 1);
        CHECK(workers_count_thread(&ws, o.release_thread) == 1);
    }
}

static void test_threads(void)
{
    for (int round = 0; round < ROUNDS; round++) {
        run_round(1);
        run_round(0);
    }
}

int main(void)
{
    CHECK(alloc_count_start());
    warm_up();
    test_release_after_last_drop();
    test_null_owner();
    test_empty();
    test_errors();
    test_into_mut();
    test_compact();
    test_threads();
    CHECK_ADD_THREAD_CHECKS();
    CHECK_DONE();
    return 0;
}
