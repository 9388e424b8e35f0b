/*
 * test_text.c - the header's conveniences for C text and hashing:
 * BYTES_LIT, bytes_chars, bytes_from_static_str, bytes_copy_from_str,
 * bytes_mut_extend_from_str, bytes_eq_str, bytes_mut_const_ptr, and
 * bytes_hash against SipHash-2-4 reference values.
 *
 * Compiled with -Wpointer-sign (in -Wall -Wpedantic for C) and -Werror:
 * passing char text needs no casts.
 */
#include "check.h"

#include <stdint.h>

/* SipHash-2-4 with the key (seed little-endian, eight zero bytes), as
 * computed by Rust's std::hash::SipHasher::new_with_keys(seed, 0). */
static void hash_reference_values(void)
{
    bytes_t empty = bytes_new();
    CHECK(bytes_hash(&empty, 0) == UINT64_C(0x1e924b9d737700d7));
    CHECK(bytes_hash(NULL, 0) == UINT64_C(0x1e924b9d737700d7));
    bytes_t get = BYTES_LIT("GET");
    CHECK(bytes_hash(&get, 0) == UINT64_C(0xb513863076609ba2));
    CHECK(bytes_hash(&get, UINT64_MAX) == UINT64_C(0x6538078434298d2e));
    bytes_t line = BYTES_LIT("GET /index.html HTTP/1.1");
    CHECK(bytes_hash(&line, UINT64_C(0x0706050403020100)) == UINT64_C(0xbd6f398d3e068318));

    /* The hash is of the bytes, not of where they are: a slice of another
     * storage with the same bytes hashes the same; and the view is unchanged. */
    bytes_t copy, slice;
    CHECK_OK(bytes_copy_from_str("xxGET /index.html HTTP/1.1yy", &copy));
    CHECK_OK(bytes_slice(&copy, 2, 2 + bytes_len(&line), &slice));
    CHECK(bytes_hash(&slice, UINT64_C(0x0706050403020100)) == UINT64_C(0xbd6f398d3e068318));
    CHECK(bytes_hash(&slice, 1) != bytes_hash(&slice, 2));
    CHECK_EQ_SIZE(bytes_len(&slice), bytes_len(&line));
    CHECK(bytes_ptr(&slice) == bytes_ptr(&copy) + 2);
    bytes_drop(&slice);
    bytes_drop(&copy);
}

int main(void)
{
    /* BYTES_LIT: the literal itself, without its NUL, borrowed. */
    static const char *const method = "GET";
    bytes_t lit = BYTES_LIT("GET");
    CHECK_EQ_SIZE(bytes_len(&lit), 3);
    CHECK(memcmp(bytes_chars(&lit), "GET", 3) == 0);
    bytes_t empty_lit = BYTES_LIT("");
    CHECK(bytes_is_empty(&empty_lit));
    bytes_t embedded = BYTES_LIT("a\0b");
    CHECK_EQ_SIZE(bytes_len(&embedded), 3);

    /* bytes_from_static_str borrows: the pointer is the string's. */
    bytes_t s = bytes_from_static_str(method);
    CHECK(bytes_chars(&s) == method);
    CHECK_EQ_SIZE(bytes_len(&s), 3);
    CHECK(bytes_eq(&s, &lit));
    bytes_t none = bytes_from_static_str(NULL);
    CHECK(bytes_is_empty(&none));

    /* bytes_copy_from_str copies; NULL is ERR_NULL with *out emptied. */
    char text[] = "Host: example.org";
    bytes_t copy;
    CHECK_OK(bytes_copy_from_str(text, &copy));
    CHECK(bytes_chars(&copy) != text);
    text[0] = 'h';
    CHECK(bytes_eq_str(&copy, "Host: example.org"));
    CHECK(!bytes_eq_str(&copy, "host: example.org"));
    CHECK(!bytes_eq_str(&copy, "Host"));
    bytes_t out = copy; /* a stale value: an error must overwrite it */
    CHECK_STATUS(bytes_copy_from_str(NULL, &out), BYTES_ERR_NULL);
    CHECK(bytes_is_empty(&out));
    CHECK_STATUS(bytes_copy_from_str(NULL, NULL), BYTES_ERR_NULL);
    CHECK(bytes_eq_str(&none, NULL));
    CHECK(bytes_eq_str(&none, ""));
    CHECK(!bytes_eq_str(&copy, NULL));
    bytes_drop(&copy);

    /* bytes_mut_extend_from_str appends; NULL changes nothing. */
    bytes_mut_t m = bytes_mut_new();
    CHECK_OK(bytes_mut_extend_from_str(&m, "GET "));
    CHECK_OK(bytes_mut_extend_from_str(&m, "/"));
    CHECK_OK(bytes_mut_extend_from_str(&m, ""));
    const uint8_t *before = bytes_mut_const_ptr(&m);
    CHECK_STATUS(bytes_mut_extend_from_str(&m, NULL), BYTES_ERR_NULL);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 5);
    CHECK(bytes_mut_const_ptr(&m) == before);

    /* bytes_mut_const_ptr reads through a const handle, and is the same
     * pointer as bytes_mut_ptr; an empty buffer gives a non-NULL pointer. */
    const bytes_mut_t *cm = &m;
    CHECK(bytes_mut_const_ptr(cm) == bytes_mut_ptr(&m));
    CHECK(memcmp(bytes_mut_const_ptr(cm), "GET /", 5) == 0);
    bytes_mut_t empty_m = bytes_mut_new();
    CHECK(bytes_mut_const_ptr(&empty_m) != NULL);
    CHECK(bytes_mut_const_ptr(NULL) != NULL);
    bytes_t frozen = bytes_mut_freeze(&m);
    CHECK(bytes_eq_str(&frozen, "GET /"));
    bytes_drop(&frozen);

    hash_reference_values();
    CHECK_DONE();
}
