/*
 * checker_options.c - linked into every C test program. In a sanitizer
 * build (BYTES_SANITIZE=address or thread) it gives the sanitizer the
 * defaults the tests need; ASAN_OPTIONS and TSAN_OPTIONS in the
 * environment still override them, flag by flag. A normal build compiles
 * nothing from here.
 *
 *   allocator_may_return_null=1: the error tests ask for sizes no
 *   allocator can satisfy (SIZE_MAX / 4 bytes and up) and expect
 *   BYTES_ERR_NOMEM, because glibc's malloc returns NULL for them. The
 *   sanitizers' allocators would report allocation-size-too-big and abort
 *   instead; with this flag they return NULL too. Every other report
 *   still fails the test.
 */

/* Something to compile when there is nothing else (ISO C wants one
 * declaration per translation unit). */
typedef int bytes_checker_options_unused;

#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

#if defined(__SANITIZE_THREAD__)
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif
