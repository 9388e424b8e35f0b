/*
 * alloc_count.c - see alloc_count.h.
 *
 * Nothing here may allocate (we are the allocator), print, or take a lock
 * that an allocation inside it could take again: only C11 atomics.
 */
#include "alloc_count.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <malloc.h>

/* glibc's own entry points, exported for exactly this purpose. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static atomic_size_t n_allocs;
static atomic_size_t n_frees;
static atomic_size_t n_reallocs;
static _Thread_local void *last_block;

struct watch_slot {
    atomic_uintptr_t ptr; /* 0: slot unused */
    atomic_int active;    /* frees of ptr are counted while set */
    atomic_size_t freed;
};
static struct watch_slot slots[ALLOC_WATCH_SLOTS];
static atomic_int n_watched; /* fast path: nothing to look at */

size_t alloc_count_allocs(void) { return atomic_load(&n_allocs); }
size_t alloc_count_frees(void) { return atomic_load(&n_frees); }
size_t alloc_count_reallocs(void) { return atomic_load(&n_reallocs); }
void *alloc_count_last(void) { return last_block; }

int alloc_count_active(void)
{
    size_t before = alloc_count_allocs();
    void *volatile p = malloc(1); /* volatile: not optimised away */
    free(p);
    if (alloc_count_allocs() == before) {
        fprintf(stderr, "alloc_count: malloc is not interposed (running "
                        "under valgrind or a sanitizer?): cannot count\n");
        return 0;
    }
    return 1;
}

int alloc_watch(void *p)
{
    uintptr_t want = (uintptr_t)p;
    for (int i = 0; i < ALLOC_WATCH_SLOTS; i++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&slots[i].ptr, &expected, want)) {
            atomic_store(&slots[i].freed, 0);
            atomic_store(&slots[i].active, 1);
            atomic_fetch_add(&n_watched, 1);
            return 1;
        }
    }
    return 0;
}

static struct watch_slot *find_slot(void *p)
{
    for (int i = 0; i < ALLOC_WATCH_SLOTS; i++)
        if (atomic_load(&slots[i].ptr) == (uintptr_t)p)
            return &slots[i];
    return NULL;
}

size_t alloc_watch_freed(void *p)
{
    struct watch_slot *s = find_slot(p);
    return s ? atomic_load(&s->freed) : 0;
}

void alloc_unwatch(void *p)
{
    struct watch_slot *s = find_slot(p);
    if (s) {
        atomic_store(&s->active, 0);
        atomic_store(&s->freed, 0);
        atomic_store(&s->ptr, 0);
        atomic_fetch_sub(&n_watched, 1);
    }
}

/* A watched block p was released (by free or by a moving realloc). */
static void watch_released(void *p)
{
    if (atomic_load(&n_watched) == 0)
        return;
    for (int i = 0; i < ALLOC_WATCH_SLOTS; i++)
        if (atomic_load(&slots[i].ptr) == (uintptr_t)p &&
            atomic_load(&slots[i].active))
            atomic_fetch_add(&slots[i].freed, 1);
}

static void note_free(void *p)
{
    atomic_fetch_add_explicit(&n_frees, 1, memory_order_relaxed);
    watch_released(p);
}

/* The allocator handed out address p: if it was watched, that block is
 * gone and any later free of p belongs to the new block: stop counting. */
static void watch_reused(void *p)
{
    if (atomic_load(&n_watched) == 0)
        return;
    for (int i = 0; i < ALLOC_WATCH_SLOTS; i++)
        if (atomic_load(&slots[i].ptr) == (uintptr_t)p)
            atomic_store(&slots[i].active, 0);
}

static void *note_alloc(void *p)
{
    if (p == NULL)
        return p;
    atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed);
    last_block = p;
    watch_reused(p);
    return p;
}

void *malloc(size_t size) { return note_alloc(__libc_malloc(size)); }

void *calloc(size_t nmemb, size_t size)
{
    return note_alloc(__libc_calloc(nmemb, size));
}

void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return note_alloc(__libc_realloc(NULL, size));
    if (size == 0) { /* glibc frees and returns NULL */
        note_free(ptr);
        return __libc_realloc(ptr, 0);
    }
    void *q = __libc_realloc(ptr, size);
    if (q != NULL) {
        atomic_fetch_add_explicit(&n_reallocs, 1, memory_order_relaxed);
        last_block = q;
        if (q != ptr) { /* the old block is gone, q is a new one */
            watch_released(ptr);
            watch_reused(q);
        }
    }
    return q;
}

void free(void *ptr)
{
    if (ptr != NULL)
        note_free(ptr);
    __libc_free(ptr);
}

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 ||
        alignment % sizeof(void *) != 0)
        return EINVAL;
    void *p = __libc_memalign(alignment, size);
    if (p == NULL)
        return ENOMEM;
    *memptr = note_alloc(p);
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    return note_alloc(__libc_memalign(alignment, size));
}

void *memalign(size_t alignment, size_t size)
{
    return note_alloc(__libc_memalign(alignment, size));
}

void *valloc(size_t size) { return note_alloc(__libc_valloc(size)); }

void *pvalloc(size_t size) { return note_alloc(__libc_pvalloc(size)); }
