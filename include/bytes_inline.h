/*
 * bytes_inline.h: static inline fast paths of libbytes' per-handle calls,
 * for programs built against one exact version of the library (static
 * linking, a vendored copy). Opt in with
 *
 *     #define BYTES_INLINE
 *     #include <bytes.h>
 *
 * (bytes.h then includes this file) or by including bytes_inline.h
 * instead of bytes.h. bytes_clone, bytes_slice, bytes_split_to,
 * bytes_split_off, bytes_drop and bytes_clear then become static inline
 * code for the library's own storage kinds (static bytes and the counted
 * kinds: bytes_copy_from, bytes_from_malloc, bytes_from_owner,
 * bytes_from_file/_fd, bytes_mut_freeze), with no call at all; everything
 * else (NULL, errors, empty results, custom vtables, the all-zero handle,
 * freeing after the last reference) calls the exported functions, so the
 * behaviour is exactly theirs, rules 1-10 included.
 *
 * What this freezes. The code below is compiled into the caller, so these
 * details of the library become part of its ABI; a library that changes
 * any of them changes its soname (libbytes.so.MAJOR), and a program using
 * this header must be rebuilt against the new one:
 *  - bytes_t's field order and meaning: _ptr, _len, _data, _vtable;
 *  - the exported array bytes__own_vtables: entry 0 is static bytes (no
 *    count, _data unused); entries 1..4 are counted kinds whose _data
 *    points at a size_t reference count at offset 0 of their header;
 *  - the count protocol, the same as the library's own (its orderings are
 *    those of the Rust crate `bytes` and std::sync::Arc): +1 Relaxed for
 *    each new handle, -1 Release for each dropped handle; the handle whose
 *    release took the count from 1 to 0 frees the storage after an
 *    Acquire load; a count that would exceed PTRDIFF_MAX is set to
 *    BYTES__SATURATED for good (the storage leaks rather than the count
 *    wrapping), and a release that finds it above PTRDIFF_MAX restores it.
 *
 * Needs GCC or Clang (the __atomic builtins, which follow the C11 memory
 * model); compiles as C11 and C++17. Dynamic linking works but gains
 * little: a copy relocation of bytes__own_vtables may make the library's
 * own handles look foreign to the inline code, which then calls the
 * library (correct, not faster).
 */
#ifndef BYTES_INLINE_H
#define BYTES_INLINE_H

#ifndef BYTES_INLINE
#define BYTES_INLINE
#endif
#include "bytes.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The vtables of the library's own storage kinds (see above). */
extern const bytes_vtable_t bytes__own_vtables[5];

#ifdef __cplusplus
}
#endif

/* Inlined whatever the optimiser's heuristics say: a call here is what
 * this header exists to avoid. The rare paths are out of line. */
#define BYTES__INLINE static inline __attribute__((always_inline))
#define BYTES__COLD static __attribute__((noinline, cold, unused))
#define BYTES__UNLIKELY(x) __builtin_expect(!!(x), 0)

#define BYTES__OWN_SIZE (5 * sizeof(bytes_vtable_t))
#define BYTES__SATURATED (SIZE_MAX - SIZE_MAX / 4)

/* The offset of b's vtable from the own kinds' array: 0 for static bytes,
 * below BYTES__OWN_SIZE for the counted kinds, anything else for custom
 * vtables and NULL. */
BYTES__INLINE size_t bytes__own_offset(const bytes_t *b)
{
    return (size_t)((uintptr_t)b->_vtable - (uintptr_t)bytes__own_vtables);
}

/* One more reference to counted storage. A new count above PTRDIFF_MAX
 * (negative as a signed number, which the flags of the update itself
 * tell) saturates it. */
BYTES__INLINE void bytes__count_up(void *data)
{
    size_t *count = (size_t *)data;
    if (BYTES__UNLIKELY((ptrdiff_t)__atomic_add_fetch(count, 1, __ATOMIC_RELAXED) < 0))
        __atomic_store_n(count, BYTES__SATURATED, __ATOMIC_RELAXED);
}

/* After a release that found the count at 1, at 0 or above PTRDIFF_MAX:
 * a count now 0 was the last reference (no handle is left to change it),
 * and this is the Acquire load that sees every other handle's uses as
 * done; the reference is handed back to the library, which frees the
 * storage. Any other count is saturated (or over-released): it saturates. */
BYTES__COLD void bytes__settle(size_t *count, size_t off)
{
    if (__atomic_load_n(count, __ATOMIC_ACQUIRE) == 0) {
        __atomic_store_n(count, 1, __ATOMIC_RELAXED);
        bytes_t last = {NULL, 0, count, (const void *)((uintptr_t)bytes__own_vtables + off)};
        bytes_drop(&last);
    } else {
        __atomic_store_n(count, BYTES__SATURATED, __ATOMIC_RELAXED);
    }
}

/* Whether b is of the library's own kinds: true after making the
 * reference for a new handle of its storage if `share` (nothing for static
 * bytes, tested first; one count for counted storage); false, with nothing
 * done, for custom vtables and the all-zero handle. */
BYTES__INLINE int bytes__own(const bytes_t *b, int share)
{
    size_t off = bytes__own_offset(b);
    if (off == 0)
        return 1;
    if (off >= BYTES__OWN_SIZE)
        return 0;
    if (share)
        bytes__count_up(b->_data);
    return 1;
}

BYTES__INLINE bytes_t bytes_clone_inline(const bytes_t *b)
{
    if (b != NULL && bytes__own(b, 1))
        return *b;
    return bytes_clone(b);
}

/* The results are copied whole, then changed: fewer instructions than
 * writing each field. */

BYTES__INLINE bytes_status_t bytes_slice_inline(const bytes_t *b, size_t begin, size_t end, bytes_t *out)
{
    /* In place (out == b) the slice takes over b's reference. */
    if (b != NULL && out != NULL && begin < end && end <= b->_len && bytes__own(b, out != b)) {
        *out = *b;
        out->_ptr += begin;
        out->_len = end - begin;
        return BYTES_OK;
    }
    return bytes_slice(b, begin, end, out);
}

BYTES__INLINE bytes_status_t bytes_split_to_inline(bytes_t *b, size_t at, bytes_t *out)
{
    if (b != NULL && out != NULL && out != b && at != 0 && at < b->_len && bytes__own(b, 1)) {
        *out = *b;
        out->_len = at;
        b->_ptr += at;
        b->_len -= at;
        return BYTES_OK;
    }
    return bytes_split_to(b, at, out);
}

BYTES__INLINE bytes_status_t bytes_split_off_inline(bytes_t *b, size_t at, bytes_t *out)
{
    if (b != NULL && out != NULL && out != b && at != 0 && at < b->_len && bytes__own(b, 1)) {
        *out = *b;
        out->_ptr += at;
        out->_len -= at;
        b->_len = at;
        return BYTES_OK;
    }
    return bytes_split_off(b, at, out);
}

BYTES__INLINE void bytes_drop_inline(bytes_t *b)
{
    if (b == NULL)
        return;
    size_t off = bytes__own_offset(b);
    /* Emptied before any release (rule 10). */
    if (off == 0) {
        __builtin_memset(b, 0, sizeof *b);
        return;
    }
    if (off >= BYTES__OWN_SIZE) {
        bytes_drop(b); /* custom vtables; nothing for the all-zero handle */
        return;
    }
    size_t *count = (size_t *)b->_data;
    __builtin_memset(b, 0, sizeof *b);
    /* One signed comparison of the old count: 1 (the last reference), 0
     * or above PTRDIFF_MAX. */
    if (BYTES__UNLIKELY((ptrdiff_t)__atomic_fetch_sub(count, 1, __ATOMIC_RELEASE) <= 1))
        bytes__settle(count, off);
}

/* The exported names, now inline. Taking a function's address (without a
 * call) still gives the exported function. */
#define bytes_clone(b) bytes_clone_inline(b)
#define bytes_slice(b, begin, end, out) bytes_slice_inline((b), (begin), (end), (out))
#define bytes_split_to(b, at, out) bytes_split_to_inline((b), (at), (out))
#define bytes_split_off(b, at, out) bytes_split_off_inline((b), (at), (out))
#define bytes_drop(b) bytes_drop_inline(b)
#define bytes_clear(b) bytes_drop_inline(b)

/* ---- begin: bytes_queue_t (advance and take within the first chunk) ---- */
/*
 * bytes_queue_advance and bytes_queue_take become static inline code when
 * the bytes lie within the queue's first chunk and leave some of it (take:
 * and the chunk is of the library's own kinds), as a frame decoder's loop
 * has them on almost every frame; everything else (NULL, errors, n == 0,
 * a whole chunk, across chunks, custom vtables) calls the exported
 * functions, whose behaviour this is.
 *
 * What this freezes, besides the above: bytes_queue_t's layout. _chunks
 * points at an array of bytes_t whose live chunks are
 * _chunks[_head .. _head + _count), none of them empty; _len is the sum of
 * their lengths. A library that changes it changes its soname.
 */
BYTES_MUST_USE BYTES__INLINE bytes_status_t bytes_queue_advance_inline(bytes_queue_t *q, size_t n)
{
    if (q != NULL && q->_count != 0) {
        bytes_t *first = &q->_chunks[q->_head];
        if (n < first->_len) {
            first->_ptr += n;
            first->_len -= n;
            q->_len -= n;
            return BYTES_OK;
        }
    }
    return bytes_queue_advance(q, n);
}

BYTES_MUST_USE BYTES__INLINE bytes_status_t bytes_queue_take_inline(bytes_queue_t *q, size_t n, bytes_t *out)
{
    if (q != NULL && out != NULL && q->_count != 0 && n != 0) {
        bytes_t *first = &q->_chunks[q->_head];
        size_t off = bytes__own_offset(first);
        if (n < first->_len && off < BYTES__OWN_SIZE) {
            if (off != 0)
                bytes__count_up(first->_data);
            *out = *first;
            out->_len = n;
            first->_ptr += n;
            first->_len -= n;
            q->_len -= n;
            return BYTES_OK;
        }
    }
    return bytes_queue_take(q, n, out);
}

#define bytes_queue_advance(q, n) bytes_queue_advance_inline((q), (n))
#define bytes_queue_take(q, n, out) bytes_queue_take_inline((q), (n), (out))
/* ---- end: bytes_queue_t ---- */

#endif /* BYTES_INLINE_H */
