/*
 * pool_vtable.c - zero-copy bytes over a memory pool with its own
 * reference counts, through a custom vtable (bytes_from_vtable).
 *
 * A receiver fills fixed-size slots of a pool. Each slot has an atomic
 * reference count; a slot goes back to the pool when its count reaches 0.
 * bytes_from_vtable wraps a filled slot without copying and without any
 * allocation: libbytes calls the vtable's clone for every new handle
 * (clone, slice, split) and its drop for every dropped one, so the
 * slot's own count tracks the handles. Slices handed to consumers keep
 * the slot alive; the slot returns to the pool after the last one drops.
 */
#include "bytes.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NSLOTS = 4, SLOT_SIZE = 2048 };

struct slot {
    atomic_int refs; /* 0: free, in the pool */
    int index;
    uint8_t data[SLOT_SIZE];
};

static struct slot pool[NSLOTS];
static atomic_int pool_free = NSLOTS;

static void die(const char *what)
{
    fprintf(stderr, "pool_vtable: %s\n", what);
    exit(1);
}

/* Take a free slot, with one reference for the caller. */
static struct slot *pool_get(void)
{
    for (int i = 0; i < NSLOTS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&pool[i].refs, &expected, 1)) {
            atomic_fetch_sub(&pool_free, 1);
            return &pool[i];
        }
    }
    return NULL;
}

/* The vtable. libbytes may call these on any thread, so the counts are
 * atomic. ptr/len (the view of the handle concerned) are not needed. */
static void *slot_clone(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr, (void)len;
    atomic_fetch_add(&((struct slot *)data)->refs, 1);
    return data; /* the new handle shares the same slot */
}

static void slot_drop(void *data, const uint8_t *ptr, size_t len)
{
    struct slot *s = data;
    (void)ptr, (void)len;
    if (atomic_fetch_sub(&s->refs, 1) == 1) { /* the last reference */
        atomic_fetch_add(&pool_free, 1);
        printf("    [slot %d returned to the pool]\n", s->index);
    }
}

static bool slot_is_unique(void *data)
{
    return atomic_load(&((struct slot *)data)->refs) == 1;
}

/* Must outlive every handle: static storage. */
static const bytes_vtable_t SLOT_VTABLE = {
    .struct_size = sizeof(bytes_vtable_t),
    .clone = slot_clone,
    .drop = slot_drop,
    .is_unique = slot_is_unique,
    .name = "pool slot",
};

/* The slot whose memory p points into, -1 if none. */
static int slot_of(const uint8_t *p)
{
    for (int i = 0; i < NSLOTS; i++)
        if (p >= pool[i].data && p < pool[i].data + SLOT_SIZE)
            return i;
    return -1;
}

/* "Receive" a message into a slot (a real program would recv(2) into
 * slot->data) and wrap it: the handle takes over the slot's reference. */
static bytes_t receive(const char *message)
{
    struct slot *s = pool_get();
    if (s == NULL)
        die("pool exhausted");
    size_t len = strlen(message);
    if (len > SLOT_SIZE)
        die("message too long for a slot");
    memcpy(s->data, message, len);
    bytes_t b;
    if (bytes_from_vtable(s->data, len, s, &SLOT_VTABLE, &b) != BYTES_OK)
        die("bytes_from_vtable");
    return b;
}

int main(void)
{
    for (int i = 0; i < NSLOTS; i++)
        pool[i].index = i;

    bytes_t msg = receive("temp=21.5;hum=40;wind=7");
    struct slot *slot = &pool[0];
    printf("received %zu bytes into slot %d: free slots %d, refs %d\n",
           bytes_len(&msg), slot->index, atomic_load(&pool_free),
           atomic_load(&slot->refs));

    /* Cut the message at ';' into fields for three consumers. Each
     * bytes_slice points into the slot (no copy) and takes one slot
     * reference through the vtable's clone. */
    bytes_t fields[3];
    size_t n = 0, start = 0, len = bytes_len(&msg);
    const uint8_t *p = bytes_ptr(&msg);
    while (n < 3 && start < len) {
        const uint8_t *semi = memchr(p + start, ';', len - start);
        size_t end = semi ? (size_t)(semi - p) : len;
        if (bytes_slice(&msg, start, end, &fields[n]) != BYTES_OK)
            die("bytes_slice");
        printf("consumer %zu gets \"%.*s\" at slot offset %td\n", n,
               (int)bytes_len(&fields[n]), (const char *)bytes_ptr(&fields[n]),
               bytes_ptr(&fields[n]) - slot->data);
        n++;
        start = end + 1;
    }
    printf("slot refs now %d (the message + one per consumer)\n",
           atomic_load(&slot->refs));

    /* The receiver is done with the message; the consumers are not. */
    bytes_drop(&msg);
    printf("message handle dropped: slot refs %d, free slots %d\n",
           atomic_load(&slot->refs), atomic_load(&pool_free));
    if (n != 3 || atomic_load(&slot->refs) != 3)
        die("unexpected reference count");

    /* Consumers finish in any order; the slot stays busy until the last. */
    static const size_t order[3] = {1, 0, 2};
    for (size_t i = 0; i < 3; i++) {
        printf("consumer %zu done\n", order[i]);
        bytes_drop(&fields[order[i]]);
        printf("  slot refs %d, free slots %d\n", atomic_load(&slot->refs),
               atomic_load(&pool_free));
        if ((atomic_load(&slot->refs) == 0) != (i == 2))
            die("slot returned at the wrong time");
    }

    /* The slot is free again and is reused by the next message. */
    bytes_t next = receive("second message");
    printf("next message reuses slot %d\n", slot_of(bytes_ptr(&next)));
    if (slot_of(bytes_ptr(&next)) != slot->index)
        die("the freed slot was not reused");
    printf("unique? %s\n", bytes_is_unique(&next) ? "yes" : "no");
    bytes_drop(&next);
    if (atomic_load(&pool_free) != NSLOTS)
        die("slots leaked");
    printf("all %d slots free: no copy, no allocation by libbytes\n", NSLOTS);
    return 0;
}
