/*
 * Linked into the test programs of a ThreadSanitizer build (BYTES_SANITIZE
 * = thread). rustc's TSan instrumentation of libbytes calls __tsan_memcpy,
 * __tsan_memmove and __tsan_memset, which newer TSan runtimes provide and
 * GCC 12's libtsan does not; these forward to the C functions, which that
 * runtime intercepts and checks.
 */
#include <stddef.h>
#include <string.h>

void *__tsan_memcpy(void *dst, const void *src, size_t n);
void *__tsan_memmove(void *dst, const void *src, size_t n);
void *__tsan_memset(void *dst, int c, size_t n);

void *__tsan_memcpy(void *dst, const void *src, size_t n) { return memcpy(dst, src, n); }
void *__tsan_memmove(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
void *__tsan_memset(void *dst, int c, size_t n) { return memset(dst, c, n); }
