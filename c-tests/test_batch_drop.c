/*
 * test_batch_drop.c - bytes_drop_many, and batches across threads, on the
 * fixtures of batch_fixtures.h (every storage kind, every allocation and
 * release counted). Checked:
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
#include "batch_fixtures.h"

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

int main(void)
{
    batch_start();
    test_drop_mixed();
    test_drop_shuffled();
    test_threads();
    BATCH_DONE();
    return 0;
}
