/*
 * alloc_count.c - see alloc_count.h.
 *
 * Nothing here may allocate (we are the allocator), print, or take a lock
 * that an allocation inside it could take again: only C11 atomics.
 *
 * With BYTES_TEST_NO_ALLOC_COUNT (the checker builds) only the stubs at the
 * end are compiled: no malloc & co. is defined, the checker's are used.
 */
#include "alloc_count.h"

#include <stdio.h>

#ifdef BYTES_TEST_NO_ALLOC_COUNT

int alloc_count_start(void)
{
    static int said;
    if (!said) {
        said = 1;
        printf("alloc counts skipped: under a sanitizer/valgrind "
               "(BYTES_TEST_NO_ALLOC_COUNT)\n");
        fflush(stdout);
    }
    return 1;
}

size_t alloc_count_allocs(void) { return 0; }
size_t alloc_count_frees(void) { return 0; }
size_t alloc_count_reallocs(void) { return 0; }
void *alloc_count_last(void) { return NULL; }
int alloc_watch(void *p) { (void)p; return 1; }
size_t alloc_watch_freed(void *p) { (void)p; return 0; }
void alloc_unwatch(void *p) { (void)p; }
void alloc_fail_arm(size_t n) { (void)n; }
void alloc_fail_disarm(void) {}
size_t alloc_fail_attempts(void) { return 0; }
int alloc_fail_fired(void) { return 0; }

#else /* counting: the interposers */

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
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

int alloc_count_start(void)
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

/* Failure injection: per thread, so that only the arming thread's
 * attempts count and fail. */
static _Thread_local int fail_armed;
static _Thread_local size_t fail_at;       /* the attempt that fails */
static _Thread_local size_t fail_attempts; /* attempts since arming */
static _Thread_local int fail_fired;

void alloc_fail_arm(size_t n)
{
    fail_at = n;
    fail_attempts = 0;
    fail_fired = 0;
    fail_armed = n != 0;
}

void alloc_fail_disarm(void) { fail_armed = 0; }
size_t alloc_fail_attempts(void) { return fail_attempts; }
int alloc_fail_fired(void) { return fail_fired; }

/* One allocation attempt: whether it must fail. */
static int attempt_fails(void)
{
    if (!fail_armed)
        return 0;
    if (++fail_attempts != fail_at)
        return 0;
    fail_fired = 1;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_malloc(size));
}

void *calloc(size_t nmemb, size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_calloc(nmemb, size));
}

void *realloc(void *ptr, size_t size)
{
    if ((ptr == NULL || size != 0) && attempt_fails())
        return NULL; /* the block, if any, stays as it was */
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
    if (attempt_fails())
        return ENOMEM;
    void *p = __libc_memalign(alignment, size);
    if (p == NULL)
        return ENOMEM;
    *memptr = note_alloc(p);
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_memalign(alignment, size));
}

void *memalign(size_t alignment, size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_memalign(alignment, size));
}

void *valloc(size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_valloc(size));
}

void *pvalloc(size_t size)
{
    if (attempt_fails())
        return NULL;
    return note_alloc(__libc_pvalloc(size));
}

#endif /* BYTES_TEST_NO_ALLOC_COUNT */
