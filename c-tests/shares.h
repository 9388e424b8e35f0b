/*
 * shares.h - rule 8's rounds: many handles ("shares") of one master
 * handle, and worker threads that start together.
 *
 * share_of(master, t, i, cuts) makes share i of worker t in one of four
 * ways, by (t + i) % 4: a clone; a slice [i, i * slice_step + 1); the
 * front part split_to(i + 1) of a clone; the back part split_off(i *
 * split_off_step + split_off_base) of a clone.
 *
 * churn_share(...) is what a worker of test_owner and test_vtable does
 * with each of its shares before dropping it.
 *
 * A round of n workers (n <= WORKERS_MAX):
 *
 *     workers_start(&ws, n, fn, round)  main: start them, wait till ready
 *     ...                               (e.g. take allocation counts)
 *     workers_go(&ws)                   main: let them run
 *     workers_wait(&ws)                 main: till every worker is done
 *     ...                               (e.g. check the counts)
 *     workers_join(&ws)
 *
 * and in fn(struct worker *w): workers_begin(w) first (all workers start
 * at once), workers_end(w) last. w->round is the round given to
 * workers_start, w->id 0 .. n-1; ws.tid[id] each worker's thread.
 */
#ifndef BYTES_TESTS_SHARES_H
#define BYTES_TESTS_SHARES_H

#include "check.h"
#include "tcheck.h"

#include <pthread.h>
#include <stdint.h>

/* ---- shares of a master ------------------------------------------------- */

struct share_cuts {
    size_t slice_step;     /* slices are [i, i * slice_step + 1) */
    size_t split_off_step; /* split_off at i * split_off_step ... */
    size_t split_off_base; /* ... + split_off_base */
};

static inline bytes_t share_of(const bytes_t *master, int t, int i,
                               const struct share_cuts *cuts)
{
    bytes_t h = bytes_new();
    size_t k = (size_t)i;
    switch ((t + i) % 4) {
    case 0:
        h = bytes_clone(master);
        break;
    case 1:
        CHECK_OK(bytes_slice(master, k, k * cuts->slice_step + 1, &h));
        break;
    case 2: {
        bytes_t tmp = bytes_clone(master);
        CHECK_OK(bytes_split_to(&tmp, k + 1, &h));
        bytes_drop(&tmp);
        break;
    }
    default: {
        bytes_t tmp = bytes_clone(master);
        CHECK_OK(bytes_split_off(
            &tmp, k * cuts->split_off_step + cuts->split_off_base, &h));
        bytes_drop(&tmp);
        break;
    }
    }
    return h;
}

/* Rule 8's churn, on a worker: `churn` times, clone a handle, slice its
 * middle and split the clone; the handle is the shared master (where there
 * is one, every other time, by i + j) or the worker's own share h. The
 * slice's first byte must be pattern(its offset from base). */
static inline void churn_share(const bytes_t *master, const bytes_t *h,
                               int i, int churn, const uint8_t *base,
                               uint8_t (*pattern)(size_t))
{
    for (int j = 0; j < churn; j++) {
        const bytes_t *from =
            (master != NULL && (i + j) % 2 == 0) ? master : h;
        bytes_t c = bytes_clone(from);
        bytes_t s = bytes_new(), t = bytes_new();
        size_t n = bytes_len(&c);
        TCHECK(bytes_slice(from, n / 4, n / 2, &s) == BYTES_OK);
        TCHECK(bytes_split_off(&c, n / 3, &t) == BYTES_OK);
        TCHECK(bytes_len(&s) == n / 2 - n / 4);
        size_t off = (size_t)(bytes_ptr(&s) - base);
        TCHECK(bytes_len(&s) == 0 || bytes_ptr(&s)[0] == pattern(off));
        bytes_drop(&t);
        bytes_drop(&s);
        bytes_drop(&c);
    }
}

/* ---- worker threads ----------------------------------------------------- */

#define WORKERS_MAX 8

struct workers;
struct worker {
    struct workers *ws;
    void *round; /* what workers_start was given */
    int id;
};

struct workers {
    int n;
    pthread_t tid[WORKERS_MAX];
    struct worker w[WORKERS_MAX];
    pthread_barrier_t ready, go, done; /* the n workers + the main thread */
};

static inline void workers_start(struct workers *ws, int n,
                                 void *(*fn)(void *), void *round)
{
    CHECK(n >= 1 && n <= WORKERS_MAX);
    ws->n = n;
    CHECK(pthread_barrier_init(&ws->ready, NULL, (unsigned)n + 1) == 0);
    CHECK(pthread_barrier_init(&ws->go, NULL, (unsigned)n + 1) == 0);
    CHECK(pthread_barrier_init(&ws->done, NULL, (unsigned)n + 1) == 0);
    for (int t = 0; t < n; t++) {
        ws->w[t].ws = ws;
        ws->w[t].round = round;
        ws->w[t].id = t;
        CHECK(pthread_create(&ws->tid[t], NULL, fn, &ws->w[t]) == 0);
    }
    pthread_barrier_wait(&ws->ready);
}

static inline void workers_go(struct workers *ws)
{
    pthread_barrier_wait(&ws->go);
}

static inline void workers_wait(struct workers *ws)
{
    pthread_barrier_wait(&ws->done);
}

static inline void workers_join(struct workers *ws)
{
    for (int t = 0; t < ws->n; t++)
        CHECK(pthread_join(ws->tid[t], NULL) == 0);
    CHECK(pthread_barrier_destroy(&ws->ready) == 0);
    CHECK(pthread_barrier_destroy(&ws->go) == 0);
    CHECK(pthread_barrier_destroy(&ws->done) == 0);
}

/* In a worker: first and last. */
static inline void workers_begin(struct worker *w)
{
    pthread_barrier_wait(&w->ws->ready);
    pthread_barrier_wait(&w->ws->go);
}

static inline void workers_end(struct worker *w)
{
    pthread_barrier_wait(&w->ws->done);
}

/* How many of the workers' threads are `thread` (1: exactly one). */
static inline int workers_count_thread(const struct workers *ws,
                                       pthread_t thread)
{
    int on = 0;
    for (int t = 0; t < ws->n; t++)
        on += pthread_equal(thread, ws->tid[t]) != 0;
    return on;
}

#endif /* BYTES_TESTS_SHARES_H */
