/*
 * test_construct.c - making bytes_t handles: bytes_new, the all-zero handle,
 * bytes_from_static, bytes_copy_from, bytes_from_malloc, bytes_clone, and
 * bytes_version / bytes_status_str.
 *
 * Built twice: against libbytes.so (test_construct) and libbytes.a
 * (test_construct_static).
 */
#include "check.h"

#include <ctype.h>
#include <stdint.h>

static const uint8_t HELLO[] = "hello, world";
#define HELLO_LEN (sizeof(HELLO) - 1)

static void test_new(void)
{
    bytes_t b = bytes_new();
    CHECK_ZERO(&b); /* bytes_new() is the all-zero handle */
    expect_empty(&b);
    CHECK(!bytes_is_unique(&b));
    bytes_drop(&b);
    CHECK_ZERO(&b);
    bytes_drop(&b); /* a second drop is a no-op */
    CHECK_ZERO(&b);
}

static void test_zero_handle(void)
{
    /* Rule 1: {0}, memset and calloc all make valid empty handles. */
    bytes_t a = {0};
    expect_empty(&a);

    bytes_t m;
    memset(&m, 0, sizeof m);
    expect_empty(&m);

    bytes_t *arr = calloc(4, sizeof(bytes_t));
    CHECK(arr != NULL);
    for (int i = 0; i < 4; i++) {
        expect_empty(&arr[i]);
        bytes_t c = bytes_clone(&arr[i]);
        expect_empty(&c);
        bytes_drop(&c);
        bytes_drop(&arr[i]);
        CHECK_ZERO(&arr[i]);
    }
    free(arr);

    CHECK(bytes_eq(&a, &m));
    CHECK(bytes_cmp(&a, &m) == 0);
    bytes_drop(&a);
    bytes_drop(&m);
}

static void test_static(void)
{
    bytes_t b = bytes_from_static(HELLO, HELLO_LEN);
    CHECK(bytes_ptr(&b) == HELLO); /* borrowed, not copied */
    CHECK_EQ_SIZE(bytes_len(&b), HELLO_LEN);
    CHECK(!bytes_is_empty(&b));
    CHECK(!bytes_is_unique(&b)); /* static storage is never unique */

    bytes_t c = bytes_clone(&b);
    CHECK(bytes_ptr(&c) == HELLO);
    CHECK_EQ_SIZE(bytes_len(&c), HELLO_LEN);
    CHECK(bytes_eq(&b, &c));
    CHECK(!bytes_is_unique(&c));
    bytes_drop(&b);
    CHECK_ZERO(&b);
    CHECK_BYTES(&c, "hello, world", HELLO_LEN); /* independent of b */
    bytes_drop(&c);

    /* Rule 5: (NULL, 0) is empty. (NULL, n) cannot report an error here,
     * so it gives an empty handle too; so does (ptr, 0). */
    bytes_t e1 = bytes_from_static(NULL, 0);
    expect_empty(&e1);
    bytes_t e2 = bytes_from_static(NULL, 7);
    expect_empty(&e2);
    bytes_t e3 = bytes_from_static(HELLO, 0);
    expect_empty(&e3);
    bytes_drop(&e1);
    bytes_drop(&e2);
    bytes_drop(&e3);
}

static void test_copy_from(void)
{
    uint8_t src[16];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 7 + 1);

    bytes_t b;
    GARBAGE(b); /* out-parameters are write-only */
    CHECK_OK(bytes_copy_from(src, sizeof src, &b));
    CHECK(bytes_ptr(&b) != src); /* a copy */
    CHECK_BYTES(&b, src, sizeof src);
    CHECK(bytes_is_unique(&b));

    memset(src, 0, sizeof src); /* the copy does not follow the source */
    for (size_t i = 0; i < sizeof src; i++)
        CHECK(bytes_ptr(&b)[i] == (uint8_t)(i * 7 + 1));

    bytes_t c = bytes_clone(&b);
    CHECK(bytes_ptr(&c) == bytes_ptr(&b)); /* clone shares, no copy */
    CHECK(bytes_eq(&b, &c));
    CHECK(!bytes_is_unique(&b));
    CHECK(!bytes_is_unique(&c));
    bytes_drop(&c);
    CHECK(bytes_is_unique(&b));
    bytes_drop(&b);
    CHECK_ZERO(&b);

    /* Length 0, with or without a pointer: OK and empty. */
    bytes_t e;
    GARBAGE(e);
    CHECK_OK(bytes_copy_from(NULL, 0, &e));
    expect_empty(&e);
    CHECK(!bytes_is_unique(&e));
    bytes_drop(&e);
    GARBAGE(e);
    CHECK_OK(bytes_copy_from(src, 0, &e));
    expect_empty(&e);
    bytes_drop(&e);

    /* A larger buffer, one byte at a time. */
    enum { BIG = 1 << 16 };
    uint8_t *big = malloc(BIG);
    CHECK(big != NULL);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (uint8_t)(i ^ (i >> 8));
    CHECK_OK(bytes_copy_from(big, BIG, &b));
    free(big);
    CHECK_EQ_SIZE(bytes_len(&b), BIG);
    for (size_t i = 0; i < BIG; i++)
        if (bytes_ptr(&b)[i] != (uint8_t)(i ^ (i >> 8)))
            CHECK(!"copy_from content mismatch");
    bytes_drop(&b);
}

static void test_from_malloc(void)
{
    /* malloc */
    uint8_t *p = malloc(32);
    CHECK(p != NULL);
    for (int i = 0; i < 32; i++)
        p[i] = (uint8_t)('A' + i % 26);
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_malloc(p, 32, &b));
    CHECK(bytes_ptr(&b) == p); /* adopted, not copied */
    CHECK_EQ_SIZE(bytes_len(&b), 32);
    CHECK(bytes_ptr(&b)[25] == 'Z');
    CHECK(bytes_is_unique(&b));
    bytes_t c = bytes_clone(&b);
    CHECK(!bytes_is_unique(&b));
    bytes_drop(&b);
    CHECK(bytes_is_unique(&c)); /* the other handle is gone */
    CHECK(bytes_ptr(&c) == p);
    bytes_drop(&c); /* frees p (counted in test_alloc.c) */

    /* calloc and realloc'ed memory are adopted the same way. */
    uint8_t *z = calloc(10, 1);
    CHECK(z != NULL);
    CHECK_OK(bytes_from_malloc(z, 10, &b));
    CHECK_BYTES(&b, "\0\0\0\0\0\0\0\0\0\0", 10);
    bytes_drop(&b);

    uint8_t *r = malloc(4);
    CHECK(r != NULL);
    memcpy(r, "abcd", 4);
    uint8_t *r2 = realloc(r, 4096);
    CHECK(r2 != NULL);
    CHECK_OK(bytes_from_malloc(r2, 4, &b)); /* length may be < capacity */
    CHECK(bytes_ptr(&b) == r2);
    CHECK_BYTES(&b, "abcd", 4);
    bytes_drop(&b);

    /* (ptr, 0): the block is freed at once, the result is empty. */
    void *q = malloc(8);
    CHECK(q != NULL);
    GARBAGE(b);
    CHECK_OK(bytes_from_malloc(q, 0, &b));
    expect_empty(&b);
    bytes_drop(&b);

    /* (NULL, 0): empty. */
    GARBAGE(b);
    CHECK_OK(bytes_from_malloc(NULL, 0, &b));
    expect_empty(&b);
    bytes_drop(&b);
}

static void test_clone_null(void)
{
    bytes_t c = bytes_clone(NULL); /* NULL handle pointer reads as empty */
    expect_empty(&c);
    bytes_drop(&c);
    bytes_drop(NULL); /* no-op */
}

/* Case-insensitive substring test, without GNU strcasestr. */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static void test_status_str(void)
{
    const bytes_status_t all[] = {
        BYTES_OK, BYTES_ERR_NULL, BYTES_ERR_RANGE, BYTES_ERR_NOMEM,
        BYTES_ERR_NOT_UNIQUE, BYTES_ERR_INVALID, BYTES_ERR_IO,
        BYTES_ERR_INTERNAL,
    };
    const size_t n = sizeof all / sizeof all[0];

    /* The numeric values are ABI: they must never change. */
    CHECK(BYTES_OK == 0);
    CHECK(BYTES_ERR_NULL == 1);
    CHECK(BYTES_ERR_RANGE == 2);
    CHECK(BYTES_ERR_NOMEM == 3);
    CHECK(BYTES_ERR_NOT_UNIQUE == 4);
    CHECK(BYTES_ERR_INVALID == 5);
    CHECK(BYTES_ERR_IO == 6);
    CHECK(BYTES_ERR_INTERNAL == 7);
    /* A caught bug is named as one, so that a caller can tell it from its
     * own mistake. */
    CHECK(contains_ci(bytes_status_str(BYTES_ERR_INTERNAL), "internal"));

    for (size_t i = 0; i < n; i++) {
        const char *s = bytes_status_str(all[i]);
        CHECK(s != NULL);
        CHECK(s[0] != '\0');
        CHECK(!contains_ci(s, "unknown"));
        for (size_t j = 0; j < i; j++) /* each code has its own text */
            CHECK(strcmp(s, bytes_status_str(all[j])) != 0);
    }

    /* Values outside the enum (a newer library's code, or garbage) still
     * give a string: never NULL, never a crash. */
    const char *u1 = bytes_status_str((bytes_status_t)42);
    const char *u2 = bytes_status_str((bytes_status_t)-1);
    const char *u3 = bytes_status_str((bytes_status_t)8);
    CHECK(u1 != NULL && u1[0] != '\0' && contains_ci(u1, "unknown"));
    CHECK(u2 != NULL && u2[0] != '\0' && contains_ci(u2, "unknown"));
    CHECK(u3 != NULL && u3[0] != '\0' && contains_ci(u3, "unknown"));
}

static void test_version(void)
{
    const char *v = bytes_version();
    CHECK(v != NULL);
    /* One source for the version: Cargo.toml, passed in by CMake. */
    if (strcmp(v, EXPECTED_BYTES_VERSION) != 0)
        fprintf(stderr, "bytes_version() = \"%s\", Cargo.toml says \"%s\"\n",
                v, EXPECTED_BYTES_VERSION);
    CHECK(strcmp(v, EXPECTED_BYTES_VERSION) == 0);

    /* The header's macros agree with the library. */
    char macros[64];
    snprintf(macros, sizeof macros, "%ld.%ld.%ld", (long)BYTES_VERSION_MAJOR,
             (long)BYTES_VERSION_MINOR, (long)BYTES_VERSION_PATCH);
    if (strcmp(v, macros) != 0)
        fprintf(stderr, "bytes_version() = \"%s\", header macros say \"%s\"\n",
                v, macros);
    CHECK(strcmp(v, macros) == 0);
    CHECK(bytes_version() == v || strcmp(bytes_version(), v) == 0);
}

int main(void)
{
    test_new();
    test_zero_handle();
    test_static();
    test_copy_from();
    test_from_malloc();
    test_clone_null();
    test_status_str();
    test_version();
    CHECK_DONE();
    return 0;
}
