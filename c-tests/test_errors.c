/*
 * test_errors.c - the numbered rules at the top of bytes.h, and every error path of
 * the bytes_t functions.
 *
 * Rule 4 is checked on every failing call: the inputs are byte-for-byte
 * unchanged (SNAP / CHECK_UNCHANGED), every out-parameter is all-zero
 * (it was filled with garbage before the call), and nothing is printed:
 * the error calls run with stdout and stderr redirected to a temporary
 * file that must stay empty (a Rust panic caught at the boundary would
 * still print its message through the default panic hook).
 */
#include "capture.h"
#include "check.h"

#include <stdint.h>
#include <unistd.h>

static const uint8_t ALPHA[] = "abcdefgh";
#define ALPHA_LEN (sizeof(ALPHA) - 1)

/* ---- helpers ---------------------------------------------------------- */

static bytes_t heap(void)
{
    bytes_t b;
    CHECK_OK(bytes_copy_from(ALPHA, ALPHA_LEN, &b));
    return b;
}

/* ---- rule 1: zero is empty --------------------------------------------- */

static void rule1_zero_is_empty(void)
{
    bytes_t z = {0}, out;
    expect_empty(&z);
    CHECK(!bytes_is_unique(&z));
    CHECK(bytes_eq(&z, &z));

    out = bytes_clone(&z);
    expect_empty(&out);
    bytes_drop(&out);

    GARBAGE(out);
    CHECK_OK(bytes_slice(&z, 0, 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    CHECK_OK(bytes_slice_ref(&z, bytes_ptr(&z), 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    CHECK_OK(bytes_split_to(&z, 0, &out));
    expect_empty(&out);
    expect_empty(&z);
    bytes_drop(&out);
    CHECK_OK(bytes_split_off(&z, 0, &out));
    expect_empty(&out);
    expect_empty(&z);
    bytes_drop(&out);
    CHECK_OK(bytes_advance(&z, 0));
    expect_empty(&z);
    bytes_truncate(&z, 0);
    bytes_truncate(&z, 5);
    expect_empty(&z);
    bytes_clear(&z);
    expect_empty(&z);
    bytes_drop(&z);
    CHECK_ZERO(&z);
    bytes_drop(&z);
    CHECK_ZERO(&z);
}

/* ---- rule 2: drop resets ------------------------------------------------ */

static void rule2_drop_resets(void)
{
    bytes_t b = heap();
    bytes_drop(&b);
    CHECK_ZERO(&b);
    expect_empty(&b);
    bytes_drop(&b); /* second drop: no-op */
    CHECK_ZERO(&b);
    bytes_drop(NULL);

    b = bytes_from_static(ALPHA, ALPHA_LEN);
    bytes_drop(&b);
    CHECK_ZERO(&b);
}

/* ---- rule 4: every error path ------------------------------------------ */

static void errors_construct(void)
{
    bytes_t out;

    /* bytes_copy_from */
    GARBAGE(out);
    CHECK_STATUS(bytes_copy_from(NULL, 5, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_STATUS(bytes_copy_from(ALPHA, ALPHA_LEN, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_copy_from(NULL, 0, NULL), BYTES_ERR_NULL);
    /* Sizes no allocator can satisfy, or that overflow once the storage
     * header is added: ERR_NOMEM, no crash, no abort. The source is only
     * ALPHA_LEN bytes long: the library must fail before reading it. (So
     * only sizes that cannot be allocated: on 32-bit targets 2 GiB - 16
     * may be, and the copy would then read past ALPHA.) */
    const size_t huge[] = {SIZE_MAX, SIZE_MAX - 16, SIZE_MAX / 2,
                           SIZE_MAX / 2 + 1, SIZE_MAX / 2 - 16};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        if (!unallocatable(huge[i]))
            continue;
        GARBAGE(out);
        CHECK_STATUS(bytes_copy_from(ALPHA, huge[i], &out), BYTES_ERR_NOMEM);
        CHECK_ZERO(&out);
    }

    /* bytes_from_malloc: on failure the caller still owns the block. */
    GARBAGE(out);
    CHECK_STATUS(bytes_from_malloc(NULL, 5, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_STATUS(bytes_from_malloc(NULL, 0, NULL), BYTES_ERR_NULL);
    char *p = malloc(16);
    CHECK(p != NULL);
    memcpy(p, "still mine", 11);
    CHECK_STATUS(bytes_from_malloc(p, 16, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_malloc(p, 0, NULL), BYTES_ERR_NULL);
    /* A length no object can have (over PTRDIFF_MAX): ERR_NOMEM, as the
     * header documents. */
    GARBAGE(out);
    CHECK_STATUS(bytes_from_malloc(p, SIZE_MAX, &out), BYTES_ERR_NOMEM);
    CHECK_ZERO(&out);
    GARBAGE(out);
    CHECK_STATUS(bytes_from_malloc(p, (size_t)PTRDIFF_MAX + 1, &out),
                 BYTES_ERR_NOMEM);
    CHECK_ZERO(&out);
    CHECK(strcmp(p, "still mine") == 0);
    free(p); /* a double free here would abort: it was not freed */
}

static void errors_slice(void)
{
    bytes_t b = heap(), out;
    SNAP(b);

    GARBAGE(out);
    CHECK_STATUS(bytes_slice(NULL, 0, 0, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_STATUS(bytes_slice(&b, 0, 1, NULL), BYTES_ERR_NULL);
    CHECK_UNCHANGED(b);

    static const struct { size_t begin, end; } bad[] = {
        {3, 2},                    /* begin > end */
        {1, 0},
        {0, ALPHA_LEN + 1},        /* end > len */
        {ALPHA_LEN + 1, ALPHA_LEN + 1},
        {ALPHA_LEN, ALPHA_LEN + 1},
        {ALPHA_LEN + 1, ALPHA_LEN}, /* both */
        {0, SIZE_MAX},
        {SIZE_MAX, SIZE_MAX},
        {SIZE_MAX, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        GARBAGE(out);
        CHECK_STATUS(bytes_slice(&b, bad[i].begin, bad[i].end, &out),
                     BYTES_ERR_RANGE);
        CHECK_ZERO(&out);
        CHECK_UNCHANGED(b);
    }

    /* out == b: on error b stays as it was (it is an input first). */
    CHECK_STATUS(bytes_slice(&b, 3, 2, &b), BYTES_ERR_RANGE);
    CHECK_UNCHANGED(b);
    CHECK_STATUS(bytes_slice(&b, 0, ALPHA_LEN + 1, &b), BYTES_ERR_RANGE);
    CHECK_UNCHANGED(b);

    /* The zero handle has length 0: any non-empty range is out of range. */
    bytes_t z = {0};
    GARBAGE(out);
    CHECK_STATUS(bytes_slice(&z, 0, 1, &out), BYTES_ERR_RANGE);
    CHECK_ZERO(&out);
    CHECK_ZERO(&z);

    bytes_drop(&b);
}

static void errors_slice_ref(void)
{
    /* view = "abcdefgh" inside "XXabcdefghYY": pointers just outside the
     * view are still valid pointers into `big`. */
    static const uint8_t BIG[] = "XXabcdefghYY";
    bytes_t big = bytes_from_static(BIG, sizeof BIG - 1);
    bytes_t view, out;
    CHECK_OK(bytes_slice(&big, 2, 10, &view));
    const uint8_t *v = bytes_ptr(&view);
    CHECK(v == BIG + 2);
    SNAP(view);

    static const uint8_t OTHER[8] = "abcdefg";
    const struct { const uint8_t *sub; size_t len; } bad[] = {
        {v - 1, 3},          /* starts before the view */
        {v - 1, 0},          /* empty, but before the view */
        {v - 2, 10},         /* covers the view and more */
        {v, 9},              /* one byte past the end */
        {v + 7, 2},
        {v + 8, 1},          /* starts at the end */
        {v + 9, 0},          /* empty, but past the end */
        {v, SIZE_MAX},       /* sub + len overflows */
        {v + 4, SIZE_MAX - 4},
        {v + 4, SIZE_MAX / 2},
        {v + 8, SIZE_MAX},
        {OTHER, 3},          /* another buffer altogether */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        GARBAGE(out);
        bytes_status_t st = bytes_slice_ref(&view, bad[i].sub, bad[i].len, &out);
        if (st != BYTES_ERR_RANGE)
            fprintf(stderr, "slice_ref case %zu (offset %td, len %zu)\n", i,
                    bad[i].sub - v, bad[i].len);
        CHECK_STATUS(st, BYTES_ERR_RANGE);
        CHECK_ZERO(&out);
        CHECK_UNCHANGED(view);
    }

    /* out == b: on error b stays as it was. */
    CHECK_STATUS(bytes_slice_ref(&view, v - 1, 2, &view), BYTES_ERR_RANGE);
    CHECK_UNCHANGED(view);
    CHECK_STATUS(bytes_slice_ref(&view, NULL, 2, &view), BYTES_ERR_NULL);
    CHECK_UNCHANGED(view);

    GARBAGE(out);
    CHECK_STATUS(bytes_slice_ref(&view, NULL, 3, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_UNCHANGED(view);
    GARBAGE(out);
    CHECK_STATUS(bytes_slice_ref(NULL, v, 1, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_STATUS(bytes_slice_ref(&view, v, 1, NULL), BYTES_ERR_NULL);
    CHECK_UNCHANGED(view);

    /* An empty handle contains only its own (empty) position. */
    bytes_t z = {0};
    GARBAGE(out);
    CHECK_STATUS(bytes_slice_ref(&z, OTHER, 1, &out), BYTES_ERR_RANGE);
    CHECK_ZERO(&out);
    CHECK_ZERO(&z);

    bytes_drop(&view);
    bytes_drop(&big);
}

static void errors_split_advance(void)
{
    bytes_t b = heap(), out;
    SNAP(b);

    for (int off = 0; off < 2; off++) {
        bytes_status_t (*split)(bytes_t *, size_t, bytes_t *) =
            off ? bytes_split_off : bytes_split_to;

        GARBAGE(out);
        CHECK_STATUS(split(NULL, 0, &out), BYTES_ERR_NULL);
        CHECK_ZERO(&out);
        CHECK_STATUS(split(&b, 1, NULL), BYTES_ERR_NULL);
        CHECK_UNCHANGED(b);

        const size_t bad[] = {ALPHA_LEN + 1, ALPHA_LEN * 2, SIZE_MAX};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            GARBAGE(out);
            CHECK_STATUS(split(&b, bad[i], &out), BYTES_ERR_RANGE);
            CHECK_ZERO(&out);
            CHECK_UNCHANGED(b);
        }

        /* out and b the same handle: two results cannot go in one place. */
        CHECK_STATUS(split(&b, 2, &b), BYTES_ERR_INVALID);
        CHECK_UNCHANGED(b);
        CHECK_STATUS(split(&b, 0, &b), BYTES_ERR_INVALID);
        CHECK_UNCHANGED(b);
    }

    CHECK_STATUS(bytes_advance(NULL, 0), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_advance(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_advance(&b, ALPHA_LEN + 1), BYTES_ERR_RANGE);
    CHECK_UNCHANGED(b);
    CHECK_STATUS(bytes_advance(&b, SIZE_MAX), BYTES_ERR_RANGE);
    CHECK_UNCHANGED(b);
    bytes_t z = {0};
    CHECK_STATUS(bytes_advance(&z, 1), BYTES_ERR_RANGE);
    CHECK_ZERO(&z);

    bytes_drop(&b);
}

/* For each getter: NULL handle, NULL out, and one byte too short. */
#define CHECK_GET_ERRORS(fn, T, size)                                       \
    do {                                                                    \
        T v_ = (T)0x5a5a5a5a5a5a5a5aull;                                     \
        CHECK_STATUS(fn(NULL, &v_), BYTES_ERR_NULL);                        \
        CHECK(v_ == 0);                                                     \
        bytes_t b_ = bytes_from_static(RAW, sizeof RAW);                    \
        SNAP(b_);                                                           \
        CHECK_STATUS(fn(&b_, NULL), BYTES_ERR_NULL);                        \
        CHECK_UNCHANGED(b_);                                                \
        bytes_t short_ = bytes_from_static(RAW, (size) - 1);                \
        SNAP(short_);                                                       \
        v_ = (T)0x5a5a5a5a5a5a5a5aull;                                       \
        CHECK_STATUS(fn(&short_, &v_), BYTES_ERR_RANGE);                    \
        CHECK(v_ == 0);                                                     \
        CHECK_UNCHANGED(short_);                                            \
        bytes_t z_ = {0};                                                   \
        v_ = (T)0x5a5a5a5a5a5a5a5aull;                                       \
        CHECK_STATUS(fn(&z_, &v_), BYTES_ERR_RANGE);                        \
        CHECK(v_ == 0);                                                     \
        CHECK_ZERO(&z_);                                                    \
        CHECK_OK(fn(&b_, &v_)); /* and the full-size read works */          \
        CHECK_EQ_SIZE(bytes_len(&b_), sizeof RAW - (size));                 \
        bytes_drop(&b_);                                                    \
    } while (0)

static void errors_get(void)
{
    static const uint8_t RAW[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK_GET_ERRORS(bytes_get_u8, uint8_t, 1);
    CHECK_GET_ERRORS(bytes_get_u16_be, uint16_t, 2);
    CHECK_GET_ERRORS(bytes_get_u16_le, uint16_t, 2);
    CHECK_GET_ERRORS(bytes_get_u32_be, uint32_t, 4);
    CHECK_GET_ERRORS(bytes_get_u32_le, uint32_t, 4);
    CHECK_GET_ERRORS(bytes_get_u64_be, uint64_t, 8);
    CHECK_GET_ERRORS(bytes_get_u64_le, uint64_t, 8);
    /* 0 bytes short of a u8 is an empty handle: covered by z_ above. */
}

/* NULL handle pointers for the functions that cannot report an error. */
static void null_handles(void)
{
    bytes_t c = bytes_clone(NULL);
    expect_empty(&c);
    bytes_drop(&c);
    bytes_drop(NULL);
    bytes_truncate(NULL, 0);
    bytes_truncate(NULL, 3);
    bytes_clear(NULL);
    CHECK(!bytes_is_unique(NULL));
    bytes_t x = heap(), e = bytes_new();
    CHECK(bytes_eq(NULL, NULL));
    CHECK(bytes_eq(NULL, &e));
    CHECK(!bytes_eq(NULL, &x));
    CHECK(bytes_cmp(NULL, NULL) == 0);
    CHECK(bytes_cmp(NULL, &x) == -1);
    CHECK(bytes_cmp(&x, NULL) == 1);
    bytes_drop(&x);
}

/* ---- rule 5: (NULL, 0) is empty, (NULL, n) is ERR_NULL ------------------ */

static void rule5_null_zero(void)
{
    bytes_t out, b = heap();

    out = bytes_from_static(NULL, 0);
    expect_empty(&out);
    out = bytes_from_static(NULL, 3); /* no status to report: empty */
    expect_empty(&out);
    out = bytes_from_static(ALPHA, SIZE_MAX); /* impossible length: empty */
    expect_empty(&out);
    out = bytes_from_static(ALPHA, (size_t)PTRDIFF_MAX + 1);
    expect_empty(&out);

    GARBAGE(out);
    CHECK_OK(bytes_copy_from(NULL, 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    GARBAGE(out);
    CHECK_STATUS(bytes_copy_from(NULL, 1, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);

    GARBAGE(out);
    CHECK_OK(bytes_from_malloc(NULL, 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    GARBAGE(out);
    CHECK_STATUS(bytes_from_malloc(NULL, 1, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);

    SNAP(b);
    GARBAGE(out);
    CHECK_OK(bytes_slice_ref(&b, NULL, 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    CHECK_UNCHANGED(b);
    GARBAGE(out);
    CHECK_STATUS(bytes_slice_ref(&b, NULL, 1, &out), BYTES_ERR_NULL);
    CHECK_ZERO(&out);
    CHECK_UNCHANGED(b);
    bytes_drop(&b);
}

/* ---- rule 6: accessors never return NULL -------------------------------- */

static void rule6_accessors(void)
{
    /* NULL itself reads as empty. */
    CHECK(bytes_ptr(NULL) != NULL);
    CHECK_EQ_SIZE(bytes_len(NULL), 0);
    CHECK(bytes_is_empty(NULL));

    bytes_t e[12];
    size_t n = 0;
    e[n++] = bytes_new();
    memset(&e[n++], 0, sizeof(bytes_t));
    e[n++] = bytes_from_static(NULL, 0);
    e[n++] = bytes_from_static(ALPHA, 0);
    CHECK_OK(bytes_copy_from(ALPHA, 0, &e[n++]));
    bytes_t b = heap();
    CHECK_OK(bytes_slice(&b, 4, 4, &e[n++]));
    CHECK_OK(bytes_slice(&b, ALPHA_LEN, ALPHA_LEN, &e[n++]));

    e[n] = heap(); /* advanced to the end */
    CHECK_OK(bytes_advance(&e[n++], ALPHA_LEN));
    e[n] = heap(); /* truncated to 0 */
    bytes_truncate(&e[n++], 0);
    e[n] = heap(); /* cleared */
    bytes_clear(&e[n++]);
    e[n] = heap(); /* dropped */
    bytes_drop(&e[n++]);
    bytes_t whole;
    e[n] = heap(); /* everything split off */
    CHECK_OK(bytes_split_to(&e[n++], ALPHA_LEN, &whole));
    bytes_drop(&whole);

    for (size_t i = 0; i < n; i++) {
        expect_empty(&e[i]);
        /* "memcpy(dst, bytes_ptr(&b), bytes_len(&b)) is always defined" */
        uint8_t dst[1] = {0x42};
        memcpy(dst, bytes_ptr(&e[i]), bytes_len(&e[i]));
        CHECK(dst[0] == 0x42);
        bytes_drop(&e[i]);
    }
    bytes_drop(&b);
}

/* ---- rule 7: moving is a bitwise copy ----------------------------------- */

struct message {
    int id;
    bytes_t body; /* handles live inside the caller's structs */
};

static void rule7_move(void)
{
    bytes_t a = heap();
    const uint8_t *p = bytes_ptr(&a);

    bytes_t b = a; /* move with = */
    CHECK(bytes_ptr(&b) == p);
    bytes_t c;
    memcpy(&c, &b, sizeof c); /* move with memcpy */
    CHECK_BYTES(&c, ALPHA, ALPHA_LEN);

    struct message msgs[3];
    memset(msgs, 0, sizeof msgs);
    msgs[1].id = 1;
    msgs[1].body = c; /* moved into an array of structs */
    memmove(&msgs[0], &msgs[1], sizeof msgs[0]); /* and around inside it */
    memset(&msgs[1], 0, sizeof msgs[1]);
    CHECK(msgs[0].id == 1);
    CHECK(bytes_ptr(&msgs[0].body) == p);
    CHECK(bytes_is_unique(&msgs[0].body)); /* still one reference */
    for (int i = 0; i < 3; i++)
        bytes_drop(&msgs[i].body); /* exactly one of the copies is dropped */
}

/* bytes_status_str never fails, whatever it is given. */
static void status_str_any(void)
{
    for (int s = -3; s < 300; s++) {
        const char *str = bytes_status_str((bytes_status_t)s);
        CHECK(str != NULL && str[0] != '\0');
    }
}

int main(void)
{
    rule1_zero_is_empty();
    rule2_drop_resets();

    /* Rule 4 also says: never prints. */
    capture_start();
    errors_construct();
    errors_slice();
    errors_slice_ref();
    errors_split_advance();
    errors_get();
    null_handles();
    rule5_null_zero();
    status_str_any();
    CHECK_PRINTED_NOTHING("during error calls");

    rule6_accessors();
    rule7_move();
    CHECK_DONE();
    return 0;
}
