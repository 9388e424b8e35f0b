/*
 * test_header.cpp - bytes.h compiles on its own as C++17, with -Wall
 * -Wextra -Wpedantic -Werror, may be included twice, declares its
 * functions extern "C" (this file links against the C library), and its
 * static inline accessors work from C++.
 */
#include "bytes.h" // first: the header must bring everything it needs
#include "bytes.h" // twice: the include guard works

#include "check.h"

#include <cstdint>
#include <type_traits>

static_assert(sizeof(bytes_t) == (sizeof(void *) == 8 ? 32 : 16),
              "bytes_t is 32 bytes (16 on 32-bit targets)");
static_assert(sizeof(bytes_mut_t) == sizeof(bytes_t), "bytes_mut_t too");
static_assert(sizeof(void *) != 8 || alignof(bytes_t) == 8,
              "bytes_t is 8-byte aligned on 64-bit targets");
static_assert(alignof(bytes_t) == alignof(void *), "aligned as a pointer");
// A handle is a plain value: copied with = or memcpy (rule 7).
static_assert(std::is_trivially_copyable<bytes_t>::value,
              "bytes_t is trivially copyable");
static_assert(std::is_standard_layout<bytes_t>::value,
              "bytes_t is standard layout");

// The accessors' exact types.
static_assert(std::is_same<decltype(&bytes_ptr),
                           const uint8_t *(*)(const bytes_t *)>::value, "");
static_assert(std::is_same<decltype(&bytes_len),
                           size_t (*)(const bytes_t *)>::value, "");
static_assert(std::is_same<decltype(&bytes_is_empty),
                           bool (*)(const bytes_t *)>::value, "");
static_assert(std::is_same<decltype(bytes_status_str(BYTES_OK)),
                           const char *>::value, "");

int main()
{
    static const uint8_t DATA[] = "GET /";
    bytes_t b = bytes_from_static(DATA, 5);
    CHECK(bytes_ptr(&b) == DATA);
    CHECK_EQ_SIZE(bytes_len(&b), 5);
    CHECK(!bytes_is_empty(&b));

    bytes_t e{}; // value-initialised: all zero, a valid empty handle
    CHECK(bytes_ptr(&e) != nullptr);
    CHECK_EQ_SIZE(bytes_len(&e), 0);
    CHECK(bytes_is_empty(&e));
    CHECK(bytes_ptr(nullptr) != nullptr);
    CHECK_EQ_SIZE(bytes_len(nullptr), 0);
    CHECK(bytes_is_empty(nullptr));

    bytes_t method{};
    CHECK_OK(bytes_slice(&b, 0, 3, &method));
    CHECK(bytes_ptr(&method) == DATA && bytes_len(&method) == 3);
    bytes_t copy = bytes_clone(&method);
    CHECK(bytes_eq(&copy, &method) && bytes_cmp(&copy, &b) < 0);
    bytes_drop(&copy);
    bytes_drop(&method);
    bytes_drop(&b);

    bytes_status_t st = BYTES_ERR_RANGE;
    CHECK(bytes_status_str(st) != nullptr);
    CHECK(bytes_version() != nullptr);
    CHECK_DONE();
    return 0;
}
