/*
 * test_vtable.c - bytes_from_vtable: foreign storage that counts its own
 * references, called through a caller's bytes_vtable_t.
 *
 * The storage here is a "pool slot" with its own count; its callbacks
 * record every call and its arguments. Checked:
 *   - no allocation, ever: construction, clone, slice, split, drop;
 *   - clone is called once per new handle (clone, slice, slice_ref, split)
 *     with the source handle's view; empty ranges and moving splits
 *     (split_to(b, len), split_off(b, 0)) call nothing;
 *   - drop is called once per dropped handle, with THAT handle's view
 *     (after advance/truncate, the shrunken one) and the data its clone
 *     returned; in the end drops == 1 + clones and the slot count is back
 *     where it started;
 *   - bytes_is_unique asks vtable->is_unique, false without one;
 *   - bytes_try_into_mut refuses (ERR_NOT_UNIQUE) even when is_unique says
 *     true; bytes_into_mut and bytes_compact copy (one allocation) and then
 *     drop the foreign reference;
 *   - len 0 gives the reference back at once: drop(data, ptr, 0);
 *   - errors (incomplete vtable, NULLs, overlong length) run no callback
 *     and leave *out all zero; a larger struct_size is accepted;
 *   - rule 8: 4 threads clone, slice and drop handles of one slot at once.
 */
#include "check_alloc.h"
#include "check_mut.h"
#include "counting.h"
#include "shares.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* ---- a recording pool slot ---------------------------------------------- */

/* counting.h's struct counting_slot: its own count (refs), the number of
 * clone, drop and is_unique calls, the arguments of each callback's last
 * call (clone_ptr/clone_len, drop_ptr/drop_len, ...), alloc_count_allocs()
 * during the last drop, and unique_answer for is_unique. */

#define SLOT_LEN 256 /* bytes of the slot's buffer these tests use */

static uint8_t pattern(size_t i) { return (uint8_t)(i * 13 + 5); }

/* A fresh slot, and one reference taken by the caller (to hand over). */
static void slot_take(struct counting_slot *s)
{
    counting_slot_take(s);
    for (size_t i = 0; i < SLOT_LEN; i++)
        s->buf[i] = pattern(i);
}

/* The callbacks have run exactly this many times since the slot_take. */
#define CHECK_CALLS(s, n_clones, n_drops)                                   \
    do {                                                                    \
        CHECK_EQ_SIZE((s)->clones, (n_clones));                             \
        CHECK_EQ_SIZE((s)->drops, (n_drops));                               \
    } while (0)

/* The last clone was of the handle viewing ptr[..len]. */
#define CHECK_CLONED_VIEW(s, ptr, len)                                      \
    do {                                                                    \
        CHECK((s)->clone_data == (void *)(s));                              \
        CHECK((s)->clone_ptr == (ptr));                                     \
        CHECK_EQ_SIZE((s)->clone_len, (len));                               \
    } while (0)

/* Drop handle h: exactly one drop call, with h's own view and data. */
#define DROP_CHECKED(s, h)                                                  \
    do {                                                                    \
        const uint8_t *dp_ = bytes_ptr(h);                                  \
        size_t dn_ = bytes_len(h);                                          \
        long dd_ = (s)->drops, dc_ = (s)->clones;                           \
        bytes_drop(h);                                                      \
        CHECK_EQ_SIZE((s)->drops, dd_ + 1);                                 \
        CHECK_EQ_SIZE((s)->clones, dc_);                                    \
        CHECK((s)->drop_data == (void *)(s));                               \
        CHECK((s)->drop_ptr == dp_);                                        \
        CHECK_EQ_SIZE((s)->drop_len, dn_);                                  \
        expect_empty(h);                                                    \
        bytes_drop(h); /* rule 2: a no-op, no second call */                \
        CHECK_EQ_SIZE((s)->drops, dd_ + 1);                                 \
    } while (0)

static bytes_t wrap(struct counting_slot *s, size_t len,
                    const bytes_vtable_t *vt)
{
    slot_take(s);
    struct counts c = now();
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_vtable(s->buf, len, s, vt, &b));
    CHECK_DELTA(c, 0, 0);
    CHECK(bytes_ptr(&b) == s->buf); /* not copied */
    CHECK_EQ_SIZE(bytes_len(&b), len);
    CHECK_CALLS(s, 0, 0);      /* the caller's reference was taken over */
    CHECK_EQ_SIZE(s->refs, 1);
    CHECK_EQ_SIZE(s->unique_calls, 0);
    return b;
}

static void warm_up(void)
{
    static struct counting_slot s;
    bytes_t b = wrap(&s, 16, &COUNTING_SLOT_VTABLE), c;
    c = bytes_clone(&b);
    CHECK_OK(bytes_slice(&c, 1, 3, &c));
    CHECK(!bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK_OK(bytes_compact(&b));
    bytes_mut_t m;
    CHECK_OK(bytes_into_mut(&b, &m));
    bytes_mut_drop(&m);
    CHECK_OK(bytes_copy_from(s.buf, 4, &b));
    bytes_drop(&b);
    CHECK(bytes_status_str(BYTES_OK) != NULL);
}

/* ---- clone, slice, split, drop ------------------------------------------ */

static void test_share_and_drop(void)
{
    static struct counting_slot s;
    struct counts c0 = now();
    bytes_t b = wrap(&s, 200, &COUNTING_SLOT_VTABLE);
    const uint8_t *buf = s.buf;
    long cl = 0, dr = 0;

    /* bytes_clone: one call with b's view; the same view. */
    bytes_t c = bytes_clone(&b);
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf, 200);
    CHECK(bytes_ptr(&c) == buf && bytes_len(&c) == 200);
    CHECK_EQ_SIZE(s.refs, 2);

    /* bytes_slice: one call with the source's view, not the slice's. */
    bytes_t sl, sl2, sr;
    CHECK_OK(bytes_slice(&b, 10, 50, &sl));
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf, 200);
    CHECK(bytes_ptr(&sl) == buf + 10 && bytes_len(&sl) == 40);
    CHECK_OK(bytes_slice(&sl, 5, 10, &sl2));
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf + 10, 40);
    CHECK(bytes_ptr(&sl2) == buf + 15 && bytes_len(&sl2) == 5);
    CHECK_OK(bytes_slice_ref(&b, buf + 100, 20, &sr));
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf, 200);
    CHECK(bytes_ptr(&sr) == buf + 100 && bytes_len(&sr) == 20);

    /* Empty ranges make no handle and call nothing. */
    bytes_t e1, e2, e3, e4;
    GARBAGE(e1);
    CHECK_OK(bytes_slice(&b, 7, 7, &e1));
    CHECK_OK(bytes_slice(&b, 200, 200, &e2));
    CHECK_OK(bytes_slice(&sl, 0, 0, &e3));
    CHECK_OK(bytes_slice_ref(&b, buf + 3, 0, &e4));
    CHECK_CALLS(&s, cl, dr);
    expect_empty(&e1);
    expect_empty(&e2);
    expect_empty(&e3);
    expect_empty(&e4);
    bytes_drop(&e1);
    bytes_drop(&e2);
    bytes_drop(&e3);
    bytes_drop(&e4);
    CHECK_CALLS(&s, cl, dr);

    /* split_to in the middle: one clone of the whole view. */
    bytes_t c2 = bytes_clone(&b), front, all, none, moved, back;
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_OK(bytes_split_to(&c2, 30, &front));
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf, 200);
    CHECK(bytes_ptr(&front) == buf && bytes_len(&front) == 30);
    CHECK(bytes_ptr(&c2) == buf + 30 && bytes_len(&c2) == 170);

    /* split_to(b, len) moves the whole handle: no clone, no drop. */
    CHECK_OK(bytes_split_to(&c2, 170, &all));
    CHECK_CALLS(&s, cl, dr);
    CHECK(bytes_ptr(&all) == buf + 30 && bytes_len(&all) == 170);
    expect_empty(&c2);
    bytes_drop(&c2);
    CHECK_CALLS(&s, cl, dr);
    /* split_to(b, 0) and split_off(b, len): an empty part, nothing. */
    CHECK_OK(bytes_split_to(&all, 0, &none));
    expect_empty(&none);
    CHECK_OK(bytes_split_off(&all, 170, &none));
    expect_empty(&none);
    CHECK_CALLS(&s, cl, dr);
    /* split_off(b, 0) moves the whole handle too. */
    CHECK_OK(bytes_split_off(&all, 0, &moved));
    CHECK_CALLS(&s, cl, dr);
    CHECK(bytes_ptr(&moved) == buf + 30 && bytes_len(&moved) == 170);
    expect_empty(&all);
    bytes_drop(&all);
    CHECK_CALLS(&s, cl, dr);
    /* split_off in the middle: one clone of the view before the split. */
    CHECK_OK(bytes_split_off(&moved, 70, &back));
    CHECK_CALLS(&s, ++cl, dr);
    CHECK_CLONED_VIEW(&s, buf + 30, 170);
    CHECK(bytes_ptr(&back) == buf + 100 && bytes_len(&back) == 100);
    CHECK(bytes_ptr(&moved) == buf + 30 && bytes_len(&moved) == 70);

    /* Changing a view calls nothing. */
    uint8_t u8;
    CHECK_OK(bytes_advance(&back, 10));
    bytes_truncate(&back, 50);
    CHECK_OK(bytes_get_u8(&back, &u8));
    CHECK(u8 == pattern(110));
    CHECK_CALLS(&s, cl, dr);
    CHECK(bytes_ptr(&back) == buf + 111 && bytes_len(&back) == 49);

    /* Slicing in place: a clone for the new view, then a drop of the old. */
    CHECK_OK(bytes_slice(&sr, 2, 12, &sr));
    CHECK_CALLS(&s, ++cl, ++dr);
    CHECK_CLONED_VIEW(&s, buf + 100, 20);
    CHECK(s.drop_ptr == buf + 100 && s.drop_len == 20);
    CHECK(bytes_ptr(&sr) == buf + 102 && bytes_len(&sr) == 10);

    CHECK_EQ_SIZE(s.refs, 1 + cl - dr);
    CHECK_DELTA(c0, 0, 0); /* nothing allocated so far */

    /* Drop everything: each drop with its handle's (shrunken) view. */
    DROP_CHECKED(&s, &back); /* advanced and truncated */
    DROP_CHECKED(&s, &c);
    DROP_CHECKED(&s, &sl2);
    DROP_CHECKED(&s, &sr);   /* sliced in place */
    CHECK_OK(bytes_advance(&front, 30)); /* a view of 0 bytes at buf+30 */
    CHECK(bytes_ptr(&front) == buf + 30 && bytes_len(&front) == 0);
    DROP_CHECKED(&s, &front);
    bytes_truncate(&moved, 0);
    DROP_CHECKED(&s, &moved);
    bytes_truncate(&sl, 3);
    DROP_CHECKED(&s, &sl);
    /* bytes_clear drops too, with the view it had. */
    CHECK_EQ_SIZE(s.refs, 1);
    dr = s.drops;
    bytes_clear(&b);
    CHECK_EQ_SIZE(s.drops, dr + 1);
    CHECK(s.drop_ptr == buf && s.drop_len == 200);
    expect_empty(&b);
    bytes_drop(&b);

    /* The books balance: every handle dropped once, the slot is free. */
    CHECK_EQ_SIZE(s.drops, 1 + s.clones);
    CHECK_EQ_SIZE(s.refs, 0);
    CHECK_EQ_SIZE(s.unique_calls, 0);
    CHECK_DELTA(c0, 0, 0); /* zero allocations, ever */
}

/* ---- clone may return other data: each handle keeps its own ------------ */

#define NTOKENS 32
struct token {
    int drops;
    struct token *parent; /* the token whose handle was cloned */
};
static struct token tokens[NTOKENS];
static int ntokens;

static void *token_clone(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr;
    (void)len;
    if (ntokens == NTOKENS)
        abort();
    struct token *t = &tokens[ntokens++];
    t->parent = data;
    return t;
}
static void token_drop(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr;
    (void)len;
    ((struct token *)data)->drops++;
}
static const bytes_vtable_t TOKEN_VTABLE = {
    sizeof(bytes_vtable_t), token_clone, token_drop, NULL, "token"};

static void test_clone_returns_data(void)
{
    static const uint8_t text[] = "every handle carries its own data word";
    memset(tokens, 0, sizeof tokens);
    ntokens = 1; /* tokens[0]: the reference handed over */
    struct counts c0 = now();
    bytes_t b, h[6];
    CHECK_OK(bytes_from_vtable(text, sizeof text - 1, &tokens[0],
                               &TOKEN_VTABLE, &b));
    h[0] = bytes_clone(&b);                         /* tokens[1] <- 0 */
    CHECK_OK(bytes_slice(&h[0], 1, 20, &h[1]));     /* tokens[2] <- 1 */
    CHECK_OK(bytes_split_to(&h[1], 5, &h[2]));      /* tokens[3] <- 2 */
    h[3] = bytes_clone(&h[2]);                      /* tokens[4] <- 3 */
    CHECK_OK(bytes_split_off(&h[1], 4, &h[4]));     /* tokens[5] <- 2 */
    CHECK_OK(bytes_slice_ref(&b, text + 30, 4, &h[5])); /* tokens[6] <- 0 */
    CHECK(ntokens == 7);
    CHECK(tokens[1].parent == &tokens[0]);
    CHECK(tokens[2].parent == &tokens[1]);
    CHECK(tokens[3].parent == &tokens[2]);
    CHECK(tokens[4].parent == &tokens[3]);
    CHECK(tokens[5].parent == &tokens[2]);
    CHECK(tokens[6].parent == &tokens[0]);
    CHECK_BYTES(&h[2], text + 1, 5);
    CHECK_BYTES(&h[4], text + 10, 10);
    for (int i = 5; i >= 0; i--)
        bytes_drop(&h[i]);
    bytes_drop(&b);
    /* Each drop got the data of its own handle: every token once. */
    for (int i = 0; i < ntokens; i++)
        CHECK(tokens[i].drops == 1);
    CHECK_DELTA(c0, 0, 0);
}

/* ---- is_unique, into_mut, compact --------------------------------------- */

static void test_is_unique(void)
{
    static struct counting_slot s;
    bytes_t b = wrap(&s, 64, &COUNTING_SLOT_VTABLE);
    s.unique_answer = true;
    CHECK(bytes_is_unique(&b));
    CHECK_EQ_SIZE(s.unique_calls, 1);
    CHECK(s.unique_data == (void *)&s);
    s.unique_answer = false;
    CHECK(!bytes_is_unique(&b));
    CHECK_EQ_SIZE(s.unique_calls, 2);
    bytes_t c;
    CHECK_OK(bytes_slice(&b, 1, 9, &c));
    s.unique_answer = true; /* the callback is believed, whatever it says */
    CHECK(bytes_is_unique(&c));
    CHECK_EQ_SIZE(s.unique_calls, 3);
    bytes_drop(&c);
    bytes_drop(&b);
    CHECK_EQ_SIZE(s.refs, 0);

    /* Without is_unique: never unique. */
    b = wrap(&s, 64, &COUNTING_SLOT_VTABLE_NO_UNIQUE);
    CHECK(!bytes_is_unique(&b));
    bytes_drop(&b);
    CHECK_EQ_SIZE(s.refs, 0);
    CHECK_EQ_SIZE(s.unique_calls, 0);
}

static void test_into_mut(void)
{
    static struct counting_slot s;
    bytes_mut_t m;

    /* try_into_mut refuses foreign bytes, even when the owner says it is
     * the only reference. */
    bytes_t b = wrap(&s, 100, &COUNTING_SLOT_VTABLE);
    s.unique_answer = true;
    {
        SNAP(b);
        memset(&m, 0xA5, sizeof m);
        struct counts c = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_UNCHANGED(b);
        CHECK(is_zero_mut(&m));
        CHECK_DELTA(c, 0, 0);
        CHECK_CALLS(&s, 0, 0);
        CHECK_EQ_SIZE(s.refs, 1);
    }

    /* into_mut copies (one allocation), then drops the consumed handle. */
    struct counts c = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(c, 1, 0);
    CHECK_CALLS(&s, 0, 1);
    CHECK(s.drop_ptr == s.buf && s.drop_len == 100);
    CHECK_COUNTED(s.allocs_at_drop == c.allocs + 1); /* the copy came first */
    CHECK_EQ_SIZE(s.refs, 0);
    expect_empty(&b);
    CHECK(bytes_mut_ptr(&m) != s.buf);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 100);
    memset(s.buf, 0xDD, sizeof s.buf); /* the slot is reused */
    for (size_t i = 0; i < 100; i++)
        CHECK(bytes_mut_ptr(&m)[i] == pattern(i));
    bytes_mut_drop(&m);
    CHECK_CALLS(&s, 0, 1);

    /* A slice, with another handle alive: its own view is dropped. */
    b = wrap(&s, 100, &COUNTING_SLOT_VTABLE);
    bytes_t sl;
    CHECK_OK(bytes_slice(&b, 40, 60, &sl));
    c = now();
    CHECK_OK(bytes_into_mut(&sl, &m));
    CHECK_DELTA(c, 1, 0);
    CHECK_CALLS(&s, 1, 1);
    CHECK(s.drop_ptr == s.buf + 40 && s.drop_len == 20);
    CHECK_EQ_SIZE(s.refs, 1);
    CHECK(memcmp(bytes_mut_ptr(&m), s.buf + 40, 20) == 0);
    bytes_mut_drop(&m);
    DROP_CHECKED(&s, &b);
    CHECK_EQ_SIZE(s.refs, 0);
}

static void test_compact(void)
{
    static struct counting_slot s;
    /* Even a view of the whole slot is copied: the library cannot know
     * the extent of foreign storage. */
    bytes_t b = wrap(&s, 100, &COUNTING_SLOT_VTABLE);
    struct counts c = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(c, 1, 0);
    CHECK_CALLS(&s, 0, 1);
    CHECK(s.drop_ptr == s.buf && s.drop_len == 100);
    CHECK_COUNTED(s.allocs_at_drop == c.allocs + 1);
    CHECK_EQ_SIZE(s.refs, 0);
    CHECK(bytes_ptr(&b) != s.buf);
    memset(s.buf, 0xDD, sizeof s.buf);
    CHECK_EQ_SIZE(bytes_len(&b), 100);
    for (size_t i = 0; i < 100; i++)
        CHECK(bytes_ptr(&b)[i] == pattern(i));
    c = now();
    bytes_drop(&b); /* the library's own copy: no callback */
    CHECK_CALLS(&s, 0, 1);
    CHECK_DELTA(c, 0, 1);

    /* A 20-byte slice, while the whole view lives on. */
    b = wrap(&s, 200, &COUNTING_SLOT_VTABLE);
    bytes_t part;
    CHECK_OK(bytes_slice(&b, 120, 140, &part));
    c = now();
    CHECK_OK(bytes_compact(&part));
    CHECK_DELTA(c, 1, 0);
    CHECK_CALLS(&s, 1, 1);
    CHECK(s.drop_ptr == s.buf + 120 && s.drop_len == 20);
    CHECK_EQ_SIZE(s.refs, 1);
    CHECK(bytes_ptr(&part) != s.buf + 120);
    CHECK(memcmp(bytes_ptr(&part), s.buf + 120, 20) == 0);
    DROP_CHECKED(&s, &b);
    CHECK_EQ_SIZE(s.refs, 0);
    for (size_t i = 0; i < 20; i++)
        CHECK(bytes_ptr(&part)[i] == pattern(120 + i));
    bytes_drop(&part);
    CHECK_CALLS(&s, 1, 2);
}

/* ---- len 0, errors, struct_size ----------------------------------------- */

static void test_empty(void)
{
    static struct counting_slot s;
    slot_take(&s);
    struct counts c = now();
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_vtable(s.buf + 5, 0, &s, &COUNTING_SLOT_VTABLE, &b));
    CHECK_CALLS(&s, 0, 1); /* the reference is given back at once */
    CHECK(s.drop_data == (void *)&s);
    CHECK(s.drop_ptr == s.buf + 5);
    CHECK_EQ_SIZE(s.drop_len, 0);
    CHECK_EQ_SIZE(s.refs, 0);
    expect_empty(&b);
    bytes_t d = bytes_clone(&b);
    bytes_drop(&d);
    bytes_drop(&b);
    CHECK_CALLS(&s, 0, 1);
    CHECK_DELTA(c, 0, 0);

    /* (NULL, 0) is empty too (rule 5): drop(data, NULL, 0) at once. */
    slot_take(&s);
    s.drop_ptr = s.buf; /* not NULL */
    GARBAGE(b);
    CHECK_OK(bytes_from_vtable(NULL, 0, &s, &COUNTING_SLOT_VTABLE, &b));
    CHECK_CALLS(&s, 0, 1);
    CHECK(s.drop_data == (void *)&s);
    CHECK_EQ_SIZE(s.drop_len, 0);
    expect_empty(&b);
    bytes_drop(&b);
    CHECK_CALLS(&s, 0, 1);
    CHECK_EQ_SIZE(s.refs, 0);
    if (s.drop_ptr != NULL)
        fprintf(stderr, "note: bytes_from_vtable(NULL, 0, ...) called "
                        "drop(data, %p, 0), not drop(data, NULL, 0)\n",
                (const void *)s.drop_ptr);
    CHECK(s.drop_ptr == NULL);
}

/* A newer caller's vtable: more fields after the first version's. */
struct vtable_v2 {
    bytes_vtable_t v1;
    void (*future_hook)(void);
    size_t future_flags;
};

static void test_errors(void)
{
    static struct counting_slot s;
    slot_take(&s);
    struct counts c = now();
    bytes_t out;

    bytes_vtable_t small = COUNTING_SLOT_VTABLE;
    bytes_vtable_t no_clone = COUNTING_SLOT_VTABLE;
    bytes_vtable_t no_drop = COUNTING_SLOT_VTABLE;
    bytes_vtable_t neither = COUNTING_SLOT_VTABLE;
    no_clone.clone = NULL;
    no_drop.drop = NULL;
    neither.clone = NULL;
    neither.drop = NULL;

    /* Each error: the status, no callback, *out all zero. */
#define VTABLE_ERROR(call, want)                                            \
    do {                                                                    \
        GARBAGE(out);                                                       \
        CHECK_STATUS((call), (want));                                       \
        CHECK_ZERO(&out);                                                   \
        CHECK_CALLS(&s, 0, 0);                                              \
        CHECK_EQ_SIZE(s.unique_calls, 0);                                   \
    } while (0)

    VTABLE_ERROR(bytes_from_vtable(s.buf, 10, &s, NULL, &out),
                 BYTES_ERR_INVALID);
    VTABLE_ERROR(bytes_from_vtable(s.buf, 0, &s, NULL, &out),
                 BYTES_ERR_INVALID);
    const size_t too_small[] = {0, 1, sizeof(void *),
                                sizeof(bytes_vtable_t) - sizeof(void *),
                                sizeof(bytes_vtable_t) - 1};
    for (size_t i = 0; i < sizeof too_small / sizeof too_small[0]; i++) {
        small.struct_size = too_small[i];
        VTABLE_ERROR(bytes_from_vtable(s.buf, 10, &s, &small, &out),
                     BYTES_ERR_INVALID);
        VTABLE_ERROR(bytes_from_vtable(s.buf, 0, &s, &small, &out),
                     BYTES_ERR_INVALID);
    }
    VTABLE_ERROR(bytes_from_vtable(s.buf, 10, &s, &no_clone, &out),
                 BYTES_ERR_INVALID);
    VTABLE_ERROR(bytes_from_vtable(s.buf, 10, &s, &no_drop, &out),
                 BYTES_ERR_INVALID);
    VTABLE_ERROR(bytes_from_vtable(s.buf, 0, &s, &no_drop, &out),
                 BYTES_ERR_INVALID);
    VTABLE_ERROR(bytes_from_vtable(s.buf, 10, &s, &neither, &out),
                 BYTES_ERR_INVALID);
    VTABLE_ERROR(bytes_from_vtable(NULL, 10, &s, &COUNTING_SLOT_VTABLE, &out),
                 BYTES_ERR_NULL);
    VTABLE_ERROR(bytes_from_vtable(s.buf, (size_t)PTRDIFF_MAX + 1, &s,
                                   &COUNTING_SLOT_VTABLE, &out),
                 BYTES_ERR_NOMEM);
    VTABLE_ERROR(bytes_from_vtable(s.buf, SIZE_MAX, &s, &COUNTING_SLOT_VTABLE,
                                   &out),
                 BYTES_ERR_NOMEM);
#undef VTABLE_ERROR
    CHECK_STATUS(bytes_from_vtable(s.buf, 10, &s, &COUNTING_SLOT_VTABLE, NULL),
                 BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_vtable(s.buf, 0, &s, &COUNTING_SLOT_VTABLE, NULL),
                 BYTES_ERR_NULL);
    CHECK_CALLS(&s, 0, 0);
    CHECK_EQ_SIZE(s.refs, 1); /* still the caller's */
    CHECK_DELTA(c, 0, 0);

    /* A larger struct_size (a newer caller) is accepted, the extra fields
     * ignored. */
    struct vtable_v2 v2;
    memset(&v2, 0xA5, sizeof v2); /* garbage in the unknown fields */
    v2.v1 = COUNTING_SLOT_VTABLE_NO_UNIQUE;
    v2.v1.struct_size = sizeof v2;
    GARBAGE(out);
    CHECK_OK(bytes_from_vtable(s.buf, 10, &s, &v2.v1, &out));
    CHECK_BYTES(&out, s.buf, 10);
    bytes_t cl = bytes_clone(&out);
    CHECK_CALLS(&s, 1, 0);
    CHECK(!bytes_is_unique(&cl));
    DROP_CHECKED(&s, &cl);
    DROP_CHECKED(&s, &out);
    CHECK_EQ_SIZE(s.refs, 0);
    CHECK_DELTA(c, 0, 0);
}

/* ---- rule 8: 4 threads -------------------------------------------------- */

#define NTHREADS 4
#define PER_THREAD 48
#define CHURN 3
#define ROUNDS 150
#define CHURN_LEN 1024

/* How run_round cuts the shares from the master (shares.h). */
static const struct share_cuts CUTS = {5, 7, 0};

/* A slot whose count is atomic, as a real pool's would be (counting.h's
 * are). Its callbacks check that every view lies inside the slot
 * (view_len) and the count never drops below zero; churn_clone and
 * churn_drop check first that the library hands back this slot's data. */
static struct counting_slot churn;

static void *churn_clone(void *data, const uint8_t *ptr, size_t len)
{
    TCHECK(data == (void *)&churn);
    return counting_slot_clone(data, ptr, len);
}
static void churn_drop(void *data, const uint8_t *ptr, size_t len)
{
    TCHECK(data == (void *)&churn);
    counting_slot_drop(data, ptr, len);
}
static const bytes_vtable_t CHURN_VTABLE = {
    sizeof(bytes_vtable_t), churn_clone, churn_drop, NULL, "churn"};

struct round {
    const bytes_t *master; /* NULL: the main thread dropped it first */
    bytes_t shares[NTHREADS][PER_THREAD];
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct round *r = w->round;
    workers_begin(w);

    for (int i = 0; i < PER_THREAD; i++) {
        bytes_t *h = &r->shares[w->id][i];
        churn_share(r->master, h, i, CHURN, churn.buf, pattern);
        TCHECK(atomic_load(&churn.refs) > 0); /* h is still held */
        bytes_drop(h);
    }
    workers_end(w);
    return NULL;
}

static void run_round(int keep_master)
{
    static struct round r;
    static struct workers ws;
    memset(&r, 0, sizeof r);
    counting_slot_take(&churn); /* the reference handed over */
    churn.view_len = CHURN_LEN;
    for (size_t i = 0; i < CHURN_LEN; i++)
        churn.buf[i] = pattern(i);

    bytes_t master;
    CHECK_OK(bytes_from_vtable(churn.buf, CHURN_LEN, &churn, &CHURN_VTABLE,
                               &master));
    for (int t = 0; t < NTHREADS; t++)
        for (int i = 0; i < PER_THREAD; i++)
            r.shares[t][i] = share_of(&master, t, i, &CUTS);
    if (keep_master) {
        r.master = &master;
    } else {
        bytes_drop(&master);
        r.master = NULL;
    }

    /* Between go and done the workers only use handles: no allocation. */
    workers_start(&ws, NTHREADS, worker, &r);
    struct counts c = now();
    workers_go(&ws);
    workers_wait(&ws);
    CHECK_DELTA(c, 0, 0);
    workers_join(&ws);

    if (keep_master) {
        CHECK_EQ_SIZE(atomic_load(&churn.refs), 1);
        bytes_drop(&master);
        CHECK(pthread_equal(churn.last_drop_thread, pthread_self()));
    } else {
        CHECK(workers_count_thread(&ws, churn.last_drop_thread) == 1);
    }
    /* Back where it started; every handle dropped exactly once. */
    CHECK_EQ_SIZE(atomic_load(&churn.refs), 0);
    CHECK_EQ_SIZE(atomic_load(&churn.drops), 1 + atomic_load(&churn.clones));
    CHECK(atomic_load(&churn.clones) >= NTHREADS * PER_THREAD);
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
    test_share_and_drop();
    test_clone_returns_data();
    test_is_unique();
    test_into_mut();
    test_compact();
    test_errors();
    test_threads();
    test_empty();
    CHECK_ADD_THREAD_CHECKS();
    CHECK_DONE();
    return 0;
}
