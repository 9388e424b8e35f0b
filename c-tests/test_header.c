/*
 * test_header.c - bytes.h compiles on its own as C11, with -Wall -Wextra
 * -Wpedantic -Werror, may be included twice, and its static inline
 * accessors work. test_header.cpp does the same as C++17.
 */
#include "bytes.h" /* first: the header must bring everything it needs */
#include "bytes.h" /* twice: the include guard works */

#include "check.h"

#include <stdalign.h>

/* Handles are four pointer-sized words: exactly 32 bytes, 8-byte aligned
 * on 64-bit targets, 16 bytes on 32-bit ones; the header asserts it too. */
_Static_assert(sizeof(bytes_t) == (sizeof(void *) == 8 ? 32 : 16),
               "bytes_t is 32 bytes (16 on 32-bit targets)");
_Static_assert(sizeof(bytes_mut_t) == sizeof(bytes_t), "bytes_mut_t too");
_Static_assert(sizeof(void *) != 8 || alignof(bytes_t) == 8,
               "bytes_t is 8-byte aligned on 64-bit targets");
_Static_assert(alignof(bytes_t) == alignof(void *), "aligned as a pointer");

#if !defined(BYTES_VERSION_MAJOR) || !defined(BYTES_VERSION_MINOR) ||       \
    !defined(BYTES_VERSION_PATCH)
#error "bytes.h must define BYTES_VERSION_MAJOR, _MINOR and _PATCH"
#endif

/* The accessors take const pointers and return what the header says. */
static const uint8_t *(*const ptr_fn)(const bytes_t *) = bytes_ptr;
static size_t (*const len_fn)(const bytes_t *) = bytes_len;
static bool (*const empty_fn)(const bytes_t *) = bytes_is_empty;

/* The status type and its values as the header spells them. */
static const bytes_status_t statuses[] = {
    BYTES_OK, BYTES_ERR_NULL, BYTES_ERR_RANGE, BYTES_ERR_NOMEM,
    BYTES_ERR_NOT_UNIQUE, BYTES_ERR_INVALID, BYTES_ERR_IO, BYTES_ERR_INTERNAL,
};

/* Handles live in the caller's own structs. */
struct request {
    bytes_t method;
    bytes_t path;
};

int main(void)
{
    static const uint8_t DATA[] = "GET /";
    const bytes_t b = bytes_from_static(DATA, 5);
    CHECK(bytes_ptr(&b) == DATA);
    CHECK_EQ_SIZE(bytes_len(&b), 5);
    CHECK(!bytes_is_empty(&b));
    CHECK(ptr_fn(&b) == DATA && len_fn(&b) == 5 && !empty_fn(&b));

    bytes_t e = {0};
    CHECK(bytes_ptr(&e) != NULL);
    CHECK_EQ_SIZE(bytes_len(&e), 0);
    CHECK(bytes_is_empty(&e));
    CHECK(bytes_ptr(NULL) != NULL);
    CHECK_EQ_SIZE(bytes_len(NULL), 0);
    CHECK(bytes_is_empty(NULL));

    struct request req = {{0}, {0}};
    CHECK_OK(bytes_slice(&b, 0, 3, &req.method));
    CHECK_OK(bytes_slice(&b, 4, 5, &req.path));
    CHECK(bytes_len(&req.method) == 3 && bytes_ptr(&req.path)[0] == '/');
    bytes_drop(&req.method);
    bytes_drop(&req.path);

    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        CHECK((int)statuses[i] == (int)i);
    CHECK(bytes_version() != NULL);
    CHECK_DONE();
    return 0;
}
