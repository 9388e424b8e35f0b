/*
 * counting.h - foreign storage that counts what the library does with it:
 * a counting owner for bytes_from_owner and a counting pool slot for
 * bytes_from_vtable. Needs alloc_count.c linked in (both record
 * alloc_count_allocs() when they release).
 *
 * All counts are atomic, so one owner or slot can be shared by handles on
 * several threads. The "last call" fields are atomic too, but only mean
 * something when one thread makes the calls.
 *
 * Counting owner:
 *
 *     static struct counting_owner o;
 *     counting_owner_reset(&o);        (then fill o.buf as the test likes)
 *     bytes_from_owner(o.buf, n, &o, counting_owner_release, &b);
 *
 *   counting_owner_release(&o) counts the call (o.released), remembers the
 *   thread and alloc_count_allocs() at that moment, and poisons o.buf with
 *   0xDD, so that a handle still reading it after the release sees 0xDD,
 *   not the test's pattern.
 *
 * Counting pool slot:
 *
 *     static struct counting_slot s;
 *     counting_slot_take(&s);          (a free slot, refs 1; fill s.buf)
 *     bytes_from_vtable(s.buf, n, &s, &COUNTING_SLOT_VTABLE, &b);
 *
 *   refs is the slot's own count: counting_slot_take gives the caller one
 *   reference, to hand over to the library; each clone adds one, each drop
 *   takes one away. clones, drops and unique_calls tally the calls;
 *   clone_*, drop_* and unique_data are the arguments of the last call of
 *   each callback (drop_ptr/drop_len: the view passed to drop), and
 *   allocs_at_drop is alloc_count_allocs() during the last drop.
 *   last_drop_thread is the thread whose drop took refs to 0.
 *   is_unique answers unique_answer (COUNTING_SLOT_VTABLE_NO_UNIQUE has no
 *   is_unique: bytes_is_unique is then false).
 *
 *   Every callback checks (TCHECK: callbacks may run on any thread) that
 *   its data is a slot counting_slot_take made; clone, that the slot was
 *   still referenced; drop, that the count does not go below zero. With
 *   view_len set (non-zero), every view passed must lie inside
 *   buf[0..view_len).
 */
#ifndef BYTES_TESTS_COUNTING_H
#define BYTES_TESTS_COUNTING_H

#include "alloc_count.h"
#include "check.h"
#include "tcheck.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Bytes of the buffer in each owner and slot (the tests use a prefix). */
#define COUNTING_BUF_LEN 4096

/* ---- counting owner (bytes_from_owner) ---------------------------------- */

struct counting_owner {
    atomic_int released;             /* release() calls */
    atomic_size_t allocs_at_release; /* alloc_count_allocs() in release() */
    pthread_t release_thread;        /* the thread of the last release() */
    uint8_t buf[COUNTING_BUF_LEN];   /* 0xDD after release() */
};

/* Nothing released yet; buf is left as it is. */
static inline void counting_owner_reset(struct counting_owner *o)
{
    atomic_store(&o->released, 0);
    atomic_store(&o->allocs_at_release, 0);
}

static inline void counting_owner_release(void *owner)
{
    struct counting_owner *o = owner;
    atomic_store(&o->allocs_at_release, alloc_count_allocs());
    o->release_thread = pthread_self();
    memset(o->buf, 0xDD, sizeof o->buf); /* a late reader sees 0xDD */
    atomic_fetch_add(&o->released, 1);
}

/* ---- counting pool slot (bytes_from_vtable) ----------------------------- */

struct counting_slot {
    const struct counting_slot *self; /* set by counting_slot_take */
    atomic_long refs; /* the slot's own count: 0 when free */
    atomic_long clones, drops, unique_calls;
    atomic_bool unique_answer; /* what is_unique says */
    /* the arguments of the last call of each callback */
    void *_Atomic clone_data, *_Atomic drop_data, *_Atomic unique_data;
    const uint8_t *_Atomic clone_ptr, *_Atomic drop_ptr;
    atomic_size_t clone_len, drop_len;
    atomic_size_t allocs_at_drop; /* alloc_count_allocs() in the last drop */
    pthread_t last_drop_thread;   /* written by the drop that frees it */
    size_t view_len; /* non-zero: views must lie in buf[0..view_len) */
    uint8_t buf[COUNTING_BUF_LEN];
};

/* A fresh slot (every count 0, buf zeroed), and one reference taken by
 * the caller (to hand over). */
static inline void counting_slot_take(struct counting_slot *s)
{
    memset(s, 0, sizeof *s);
    s->self = s;
    atomic_store(&s->refs, 1);
}

static inline void counting_slot_check_view(struct counting_slot *s,
                                            const uint8_t *ptr, size_t len)
{
    TCHECK(s->self == s); /* data is a slot */
    if (s->view_len != 0) {
        TCHECK(ptr >= s->buf);
        TCHECK(ptr + len <= s->buf + s->view_len);
    }
}

static inline void *counting_slot_clone(void *data, const uint8_t *ptr,
                                        size_t len)
{
    struct counting_slot *s = data;
    counting_slot_check_view(s, ptr, len);
    TCHECK(atomic_fetch_add(&s->refs, 1) > 0); /* cloned from a live one */
    atomic_fetch_add(&s->clones, 1);
    atomic_store(&s->clone_data, data);
    atomic_store(&s->clone_ptr, ptr);
    atomic_store(&s->clone_len, len);
    return data;
}

static inline void counting_slot_drop(void *data, const uint8_t *ptr,
                                      size_t len)
{
    struct counting_slot *s = data;
    counting_slot_check_view(s, ptr, len);
    atomic_store(&s->drop_data, data);
    atomic_store(&s->drop_ptr, ptr);
    atomic_store(&s->drop_len, len);
    atomic_store(&s->allocs_at_drop, alloc_count_allocs());
    atomic_fetch_add(&s->drops, 1);
    long before = atomic_fetch_sub(&s->refs, 1);
    TCHECK(before > 0);
    if (before == 1)
        s->last_drop_thread = pthread_self();
}

static inline bool counting_slot_is_unique(void *data)
{
    struct counting_slot *s = data;
    TCHECK(s->self == s);
    atomic_fetch_add(&s->unique_calls, 1);
    atomic_store(&s->unique_data, data);
    return atomic_load(&s->unique_answer);
}

static const bytes_vtable_t COUNTING_SLOT_VTABLE = {
    sizeof(bytes_vtable_t), counting_slot_clone, counting_slot_drop,
    counting_slot_is_unique, "counting slot"};
/* Without is_unique (and without the optional name). */
static const bytes_vtable_t COUNTING_SLOT_VTABLE_NO_UNIQUE = {
    sizeof(bytes_vtable_t), counting_slot_clone, counting_slot_drop, NULL,
    NULL};

#endif /* BYTES_TESTS_COUNTING_H */
