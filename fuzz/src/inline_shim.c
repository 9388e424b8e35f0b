/*
 * The inline header's calls as functions the harness can call (Rust cannot
 * include a C header): compiled by build.rs with BYTES_INLINE, so that
 * bytes_clone, bytes_slice, bytes_split_to, bytes_split_off, bytes_drop and
 * bytes_clear below are include/bytes_inline.h's static inline code, which
 * falls back to the exported functions for anything but the library's own
 * kinds. The harness (src/inline.rs) calls these or the exported functions,
 * as each operation of the program says, on the same handles, and checks
 * both against the same model.
 */
#define BYTES_INLINE
#include <bytes.h>

#ifndef BYTES_INLINE_H
#error "bytes.h did not include bytes_inline.h"
#endif

bytes_t fuzz_inline_clone(const bytes_t *b);
bytes_status_t fuzz_inline_slice(const bytes_t *b, size_t begin, size_t end, bytes_t *out);
bytes_status_t fuzz_inline_split_to(bytes_t *b, size_t at, bytes_t *out);
bytes_status_t fuzz_inline_split_off(bytes_t *b, size_t at, bytes_t *out);
void fuzz_inline_drop(bytes_t *b);
void fuzz_inline_clear(bytes_t *b);

bytes_t fuzz_inline_clone(const bytes_t *b)
{
    return bytes_clone(b);
}

bytes_status_t fuzz_inline_slice(const bytes_t *b, size_t begin, size_t end, bytes_t *out)
{
    return bytes_slice(b, begin, end, out);
}

bytes_status_t fuzz_inline_split_to(bytes_t *b, size_t at, bytes_t *out)
{
    return bytes_split_to(b, at, out);
}

bytes_status_t fuzz_inline_split_off(bytes_t *b, size_t at, bytes_t *out)
{
    return bytes_split_off(b, at, out);
}

void fuzz_inline_drop(bytes_t *b)
{
    bytes_drop(b);
}

void fuzz_inline_clear(bytes_t *b)
{
    bytes_clear(b);
}
