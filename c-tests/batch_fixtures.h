/*
 * batch_fixtures.h - what test_batch.c (bytes_slice_many) and
 * test_batch_drop.c (bytes_drop_many, threads) share: one storage of each
 * kind with every allocation and release counted, the counting owner and
 * vtable, the ranges and the output array. Included by one file of each
 * test program (its definitions are static).
 */
#ifndef LIBBYTES_BATCH_FIXTURES_H
#define LIBBYTES_BATCH_FIXTURES_H

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

/* The bytes behind bytes_from_static: filled once in batch_start, then never
 * written again (they live for the rest of the program). */
static uint8_t static_buf[LEN];

/* Large arrays stay off the stack. */
static bytes_t out[BIG + 8];

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
        fprintf(stderr, "failed in %s (last fixture: %s)\n",
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

/* The start of each program: counting on, the static bytes filled, the
 * lazily initialised state warmed. */
static void batch_start(void)
{
    CHECK(alloc_count_start());
    atexit(say_context);
    for (size_t i = 0; i < LEN; i++)
        static_buf[i] = pattern(i);
    warm_up();
}

/* The end: the threads' checks added, the count printed. */
#define BATCH_DONE()                                                        \
    do {                                                                    \
        CHECK_ADD_THREAD_CHECKS();                                          \
        all_passed = 1;                                                     \
        CHECK_DONE();                                                       \
    } while (0)

#endif
