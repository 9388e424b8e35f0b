/*
 * test_threads.c - rule 8: handles that share storage are dropped on
 * different threads at the same time, and one `const bytes_t *` is cloned,
 * sliced and read from many threads at once.
 *
 * Each round builds a storage (copied, or adopted from malloc), clones it
 * into NTHREADS * PER_THREAD handles (clones, slices and split halves),
 * and starts NTHREADS threads together on a barrier. Every thread drops
 * its share while churning clone+slice+drop on a shared master handle.
 * alloc_count watches the storage block: it must be freed exactly once,
 * and only after the last handle is gone. (The checker builds count
 * nothing: there ASan/valgrind report a double free, a use after free or
 * a leak, and TSan any data race.)
 *
 * Two endings per storage kind:
 *   - master kept: after the threads, the block is still there; dropping
 *     the master frees it;
 *   - master dropped first (no churn): one of the threads drops the last
 *     handle and frees it, on that thread.
 */
#include "check_alloc.h"
#include "shares.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define NTHREADS 4
#define PER_THREAD 64
#define CHURN 200
#define ROUNDS 50

static uint8_t PAYLOAD[4096];

/* How run_round cuts the shares from the master (shares.h). */
static const struct share_cuts CUTS = {3, 0, 100};

struct round {
    const bytes_t *master; /* NULL: no churn this round */
    const uint8_t *base;   /* where the storage's bytes start */
    bytes_t shares[NTHREADS][PER_THREAD];
    void *block; /* the watched storage block */
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct round *r = w->round;
    workers_begin(w);

    for (int i = 0; i < PER_THREAD; i++) {
        /* Read-only use of the shared master from every thread at once. */
        for (int j = 0; r->master != NULL && j < CHURN / PER_THREAD + 1; j++) {
            bytes_t c = bytes_clone(r->master);
            TCHECK(bytes_len(&c) == sizeof PAYLOAD);
            TCHECK(bytes_eq(&c, r->master));
            bytes_t s;
            TCHECK(bytes_slice(r->master, (size_t)i, (size_t)i + 16, &s) ==
                   BYTES_OK);
            TCHECK(memcmp(bytes_ptr(&s), PAYLOAD + i, 16) == 0);
            bytes_t sr;
            TCHECK(bytes_slice_ref(r->master, bytes_ptr(&s) + 1, 4, &sr) ==
                   BYTES_OK);
            TCHECK(!bytes_is_unique(r->master));
            bytes_drop(&c);
            bytes_drop(&s);
            bytes_drop(&sr);
        }

        /* This thread still holds shares[id][i]: nothing may be freed. */
        bytes_t *h = &r->shares[w->id][i];
        TCHECK(!alloc_count_available() || alloc_watch_freed(r->block) == 0);
        size_t off = (size_t)(bytes_ptr(h) - r->base);
        TCHECK(memcmp(bytes_ptr(h), PAYLOAD + off, bytes_len(h)) == 0);
        bytes_drop(h);
    }
    workers_end(w);
    return NULL;
}

enum kind { COPY, MALLOC };

static void run_round(enum kind k, int keep_master)
{
    static struct round r; /* 8 KiB of handles: keep it off the stack */
    static struct workers ws;
    memset(&r, 0, sizeof r);

    bytes_t master;
    if (k == COPY) {
        CHECK_OK(bytes_copy_from(PAYLOAD, sizeof PAYLOAD, &master));
        r.block = alloc_count_last(); /* the one block copy_from made */
        CHECK_COUNTED(bytes_ptr(&master) >= (uint8_t *)r.block &&
                      bytes_ptr(&master) < (uint8_t *)r.block + 256);
    } else {
        void *p = malloc(sizeof PAYLOAD);
        CHECK(p != NULL);
        memcpy(p, PAYLOAD, sizeof PAYLOAD);
        r.block = p;
        CHECK_OK(bytes_from_malloc(p, sizeof PAYLOAD, &master));
    }
    CHECK(alloc_watch(r.block));

    for (int t = 0; t < NTHREADS; t++)
        for (int i = 0; i < PER_THREAD; i++)
            r.shares[t][i] = share_of(&master, t, i, &CUTS);
    r.base = bytes_ptr(&master);

    if (keep_master) {
        r.master = &master;
    } else {
        bytes_drop(&master); /* the threads hold the only references */
        r.master = NULL;
    }

    workers_start(&ws, NTHREADS, worker, &r);
    workers_go(&ws);
    workers_wait(&ws);
    workers_join(&ws);

    if (keep_master) {
        CHECK_FREED(r.block, 0);
        CHECK(bytes_is_unique(&master)); /* every other handle is gone */
        CHECK(memcmp(bytes_ptr(&master), PAYLOAD, sizeof PAYLOAD) == 0);
        bytes_drop(&master);
    }
    CHECK_FREED(r.block, 1);
    alloc_unwatch(r.block);
}

int main(void)
{
    for (size_t i = 0; i < sizeof PAYLOAD; i++)
        PAYLOAD[i] = (uint8_t)(i * 31 + (i >> 8));
    CHECK(alloc_count_start());

    for (int round = 0; round < ROUNDS; round++) {
        run_round(COPY, 1);
        run_round(COPY, 0);
        run_round(MALLOC, 1);
        run_round(MALLOC, 0);
    }
    CHECK_ADD_THREAD_CHECKS();
    CHECK_DONE();
    return 0;
}
