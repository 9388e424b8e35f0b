/*
 * test_bad_input.c - bad input at the boundary: every exported function of
 * bytes.h given
 *
 *   1. NULL for each of its pointer parameters;
 *   2. (NULL, n) pointer-and-length pairs, n = 1 ... SIZE_MAX (and the
 *      (NULL, 0) = empty rule next to them);
 *   3. every kind of bad range or size on bytes_t: begin > end, end > len,
 *      past-the-end offsets, SIZE_MAX, SIZE_MAX / 2 (and + 1), short
 *      reads, sub-slices outside the view; bytes_slice_many with each of
 *      those ranges, out overlapping b or the ranges, and counts larger
 *      than any array; bytes_drop_many of NULL;
 *   4. the same on bytes_mut_t: lengths, capacities and spare capacity
 *      exceeded, sizes that overflow (len + n wraps), sources in the
 *      unwritten spare capacity, aliased handles.
 *
 * Each table row is run against every fixture handle it applies to (the
 * library's heap storage alone and shared, a slice, static bytes, an
 * adopted malloc block, an owner, a custom vtable, a mapped file, and the
 * zero handle; for bytes_mut_t: no storage, empty with capacity, spare
 * room, full, advanced, both halves of a split). After every row:
 *
 *   - the status is the one bytes.h documents under "Errors:" (errno too,
 *     for BYTES_ERR_IO); functions without a status give their documented
 *     empty result or no-op;
 *   - every fixture handle is bit-for-bit unchanged and views the same
 *     bytes; no vtable callback ran, no owner was released, no adopted
 *     block freed;
 *   - every out-parameter (filled with garbage before) is all zero, or
 *     untouched where the header says nothing is written;
 *   - nothing leaked (live heap blocks counted with alloc_count; in the
 *     checker builds the checker sees leaks instead) and no descriptor or
 *     mapping was left behind;
 *   - nothing was printed: all rows run with stdout and stderr captured.
 *
 * test_bad_sources.c gives the constructors, vtables, descriptors, paths
 * and I/O functions theirs, on the same fixtures and checks (bad_input.h).
 * test_errors.c and test_mut_errors.c check many of these per function
 * too; these two files are the complete list.
 */
#include "bad_input.h"

/* A second owner, for the rows where a release is due. */
static struct counting_owner other;

/* ==== 1. NULL for every pointer parameter ================================= */

/* A getter: (NULL, &v), (h, NULL), (NULL, NULL). */
#define NULL_GET(fn, T, h)                                                  \
    do {                                                                    \
        T v_ = (T)0x5a5a5a5a5a5a5a5aull;                                     \
        BAD(fn(NULL, &v_), BYTES_ERR_NULL);                                 \
        CHECK(v_ == 0); /* "On error *out is 0" */                          \
        BAD(fn((h), NULL), BYTES_ERR_NULL);                                 \
        BAD(fn(NULL, NULL), BYTES_ERR_NULL);                                \
    } while (0)

static void null_pointers_bytes(void)
{
    bytes_t out;
    uint8_t *block = copy_of(ALPHA, ALPHA_LEN); /* for bytes_from_malloc */
    CHECK(alloc_watch(block));

    ROW("constructors with NULL out", "-");
    BAD(bytes_copy_from(ALPHA, ALPHA_LEN, NULL), BYTES_ERR_NULL);
    BAD(bytes_copy_from(NULL, 0, NULL), BYTES_ERR_NULL);
    BAD(bytes_copy_from(NULL, 1, NULL), BYTES_ERR_NULL);
    BAD(bytes_from_malloc(block, ALPHA_LEN, NULL), BYTES_ERR_NULL);
    BAD(bytes_from_malloc(block, 0, NULL), BYTES_ERR_NULL); /* not freed */
    BAD(bytes_from_malloc(NULL, 0, NULL), BYTES_ERR_NULL);
    BAD(bytes_from_owner(owner.buf, ALPHA_LEN, &owner, counting_owner_release,
                         NULL),
        BYTES_ERR_NULL);
    BAD(bytes_from_owner(owner.buf, 0, &owner, counting_owner_release, NULL),
        BYTES_ERR_NULL); /* not released */
    BAD(bytes_from_vtable(slot.buf, ALPHA_LEN, &slot, VTABLE, NULL),
        BYTES_ERR_NULL);
    BAD(bytes_from_vtable(slot.buf, 0, &slot, VTABLE, NULL),
        BYTES_ERR_NULL); /* no drop call */
    BAD(bytes_from_file(file_path, NULL), BYTES_ERR_NULL);
    BAD(bytes_from_file(NULL, NULL), BYTES_ERR_NULL);
    int fd = open(file_path, O_RDONLY);
    CHECK(fd >= 0);
    BAD(bytes_from_fd(fd, 0, ALPHA_LEN, NULL), BYTES_ERR_NULL);
    BAD(bytes_from_fd(fd, 0, 0, NULL), BYTES_ERR_NULL);
    CHECK(close(fd) == 0);

    ROW("NULL release / vtable / path", "-");
    BAD_OUT(out, bytes_from_owner(owner.buf, ALPHA_LEN, &owner, NULL, &out),
            BYTES_ERR_NULL);
    BAD_OUT(out, bytes_from_owner(owner.buf, 0, &owner, NULL, &out),
            BYTES_ERR_NULL);
    BAD_OUT(out, bytes_from_vtable(slot.buf, ALPHA_LEN, &slot, NULL, &out),
            BYTES_ERR_INVALID);
    BAD_OUT(out, bytes_from_vtable(slot.buf, 0, &slot, NULL, &out),
            BYTES_ERR_INVALID);
    BAD_OUT(out, bytes_from_file(NULL, &out), BYTES_ERR_NULL);

    /* The block and the owner are still the caller's. */
    CHECK(memcmp(block, ALPHA, ALPHA_LEN) == 0);
    CHECK_FREED(block, 0);
    alloc_unwatch(block);
    free(block);

    /* Every function taking a bytes_t, on every fixture. */
    for (int i = 0; i < NF; i++) {
        bytes_t *h = &F[i];
        const uint8_t *p = bytes_ptr(h);
        ROW("bytes_t handle functions: NULL handle or NULL out", F_NAME[i]);
        BAD_OUT(out, bytes_slice(NULL, 0, 0, &out), BYTES_ERR_NULL);
        BAD(bytes_slice(h, 0, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_slice(h, 0, bytes_len(h), NULL), BYTES_ERR_NULL);
        BAD(bytes_slice(NULL, 0, 0, NULL), BYTES_ERR_NULL);
        BAD_OUT(out, bytes_slice_ref(NULL, p, 0, &out), BYTES_ERR_NULL);
        BAD(bytes_slice_ref(h, p, bytes_len(h), NULL), BYTES_ERR_NULL);
        BAD(bytes_slice_ref(h, NULL, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_slice_ref(NULL, NULL, 0, NULL), BYTES_ERR_NULL);
        BAD_OUT(out, bytes_split_to(NULL, 0, &out), BYTES_ERR_NULL);
        BAD(bytes_split_to(h, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_split_to(NULL, 0, NULL), BYTES_ERR_NULL);
        BAD_OUT(out, bytes_split_off(NULL, 0, &out), BYTES_ERR_NULL);
        BAD(bytes_split_off(h, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_split_off(NULL, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_advance(NULL, 0), BYTES_ERR_NULL);
        BAD(bytes_advance(NULL, 1), BYTES_ERR_NULL);
        BAD(bytes_compact(NULL), BYTES_ERR_NULL);
        bytes_mut_t mout;
        BAD_MOUT(mout, bytes_try_into_mut(NULL, &mout), BYTES_ERR_NULL);
        BAD(bytes_try_into_mut(h, NULL), BYTES_ERR_NULL);
        BAD(bytes_try_into_mut(NULL, NULL), BYTES_ERR_NULL);
        BAD_MOUT(mout, bytes_into_mut(NULL, &mout), BYTES_ERR_NULL);
        BAD(bytes_into_mut(h, NULL), BYTES_ERR_NULL);
        BAD(bytes_into_mut(NULL, NULL), BYTES_ERR_NULL);
        NULL_GET(bytes_get_u8, uint8_t, h);
        NULL_GET(bytes_get_u16_be, uint16_t, h);
        NULL_GET(bytes_get_u16_le, uint16_t, h);
        NULL_GET(bytes_get_u32_be, uint32_t, h);
        NULL_GET(bytes_get_u32_le, uint32_t, h);
        NULL_GET(bytes_get_u64_be, uint64_t, h);
        NULL_GET(bytes_get_u64_le, uint64_t, h);

        ROW("bytes_t functions without a status: NULL is empty / no-op",
            F_NAME[i]);
        SAME(CHECK(bytes_eq(NULL, NULL)));
        SAME(CHECK(bytes_eq(NULL, h) == (bytes_len(h) == 0)));
        SAME(CHECK(bytes_eq(h, NULL) == (bytes_len(h) == 0)));
        SAME(CHECK(bytes_cmp(NULL, NULL) == 0));
        SAME(CHECK(bytes_cmp(NULL, h) == (bytes_len(h) ? -1 : 0)));
        SAME(CHECK(bytes_cmp(h, NULL) == (bytes_len(h) ? 1 : 0)));
    }

    ROW("bytes_t functions without a status, NULL handle", "-");
    SAME(out = bytes_clone(NULL); expect_empty(&out); bytes_drop(&out));
    SAME(bytes_truncate(NULL, 0));
    SAME(bytes_truncate(NULL, SIZE_MAX));
    SAME(bytes_clear(NULL));
    SAME(bytes_drop(NULL));
    SAME(CHECK(!bytes_is_unique(NULL)));
    SAME(CHECK(bytes_ptr(NULL) != NULL));
    SAME(CHECK(bytes_len(NULL) == 0));
    SAME(CHECK(bytes_is_empty(NULL)));
}

static void null_pointers_mut(void)
{
    bytes_mut_t mout;
    bytes_t out;

    ROW("bytes_mut_t constructors with NULL out", "-");
    BAD(bytes_mut_with_capacity(0, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_with_capacity(16, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_with_capacity(SIZE_MAX, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_zeroed(0, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_zeroed(16, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_zeroed(SIZE_MAX, NULL), BYTES_ERR_NULL);

    ROW("bytes_mut_t functions, NULL buffer", "-");
    BAD(bytes_mut_reserve(NULL, 0), BYTES_ERR_NULL);
    BAD(bytes_mut_reserve(NULL, 8), BYTES_ERR_NULL);
    BAD(bytes_mut_reserve(NULL, SIZE_MAX), BYTES_ERR_NULL);
    BAD(bytes_mut_extend_from_slice(NULL, ALPHA, ALPHA_LEN), BYTES_ERR_NULL);
    BAD(bytes_mut_extend_from_slice(NULL, NULL, 0), BYTES_ERR_NULL);
    BAD(bytes_mut_extend_from_slice(NULL, NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_commit(NULL, 0), BYTES_ERR_NULL);
    BAD(bytes_mut_commit(NULL, 1), BYTES_ERR_NULL);
    BAD_MOUT(mout, bytes_mut_split_to(NULL, 0, &mout), BYTES_ERR_NULL);
    BAD(bytes_mut_split_to(NULL, 0, NULL), BYTES_ERR_NULL);
    BAD_MOUT(mout, bytes_mut_split_off(NULL, 0, &mout), BYTES_ERR_NULL);
    BAD(bytes_mut_split_off(NULL, 0, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_unsplit(NULL, NULL), BYTES_ERR_NULL);
    BAD(bytes_mut_advance(NULL, 0), BYTES_ERR_NULL);
    BAD(bytes_mut_advance(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_resize(NULL, 0, 'x'), BYTES_ERR_NULL);
    BAD(bytes_mut_resize(NULL, 4, 'x'), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u8(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u16_be(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u16_le(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u32_be(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u32_le(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u64_be(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_u64_le(NULL, 1), BYTES_ERR_NULL);
    BAD(bytes_mut_put_bytes(NULL, 'x', 0), BYTES_ERR_NULL);
    BAD(bytes_mut_put_bytes(NULL, 'x', 3), BYTES_ERR_NULL);

    ROW("bytes_mut_t functions without a status, NULL buffer", "-");
    size_t spare_len = 99;
    SAME(CHECK(bytes_mut_spare(NULL, &spare_len) != NULL));
    CHECK(spare_len == 0);
    SAME(CHECK(bytes_mut_spare(NULL, NULL) != NULL));
    SAME(CHECK(!bytes_mut_try_reclaim(NULL, 0)));
    SAME(CHECK(!bytes_mut_try_reclaim(NULL, 8)));
    SAME(mout = bytes_mut_split(NULL); expect_mut_empty(&mout);
         CHECK(bytes_mut_capacity(&mout) == 0); bytes_mut_drop(&mout));
    SAME(bytes_mut_truncate(NULL, 0));
    SAME(bytes_mut_truncate(NULL, SIZE_MAX));
    SAME(bytes_mut_clear(NULL));
    SAME(out = bytes_mut_freeze(NULL); expect_empty(&out); bytes_drop(&out));
    SAME(bytes_mut_drop(NULL));
    SAME(CHECK(bytes_mut_ptr(NULL) != NULL));
    SAME(CHECK(bytes_mut_len(NULL) == 0));
    SAME(CHECK(bytes_mut_capacity(NULL) == 0));

    for (int i = 0; i < NM; i++) {
        bytes_mut_t *m = &M[i];
        ROW("bytes_mut_t functions: NULL out / NULL other / NULL spare_len",
            M_NAME[i]);
        BAD(bytes_mut_split_to(m, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_mut_split_to(m, bytes_mut_len(m), NULL), BYTES_ERR_NULL);
        BAD(bytes_mut_split_off(m, 0, NULL), BYTES_ERR_NULL);
        BAD(bytes_mut_split_off(m, bytes_mut_capacity(m), NULL),
            BYTES_ERR_NULL);
        BAD(bytes_mut_unsplit(m, NULL), BYTES_ERR_NULL);
        BAD(bytes_mut_unsplit(NULL, m), BYTES_ERR_NULL);
        /* spare_len may be NULL: the same pointer, nothing else changes */
        size_t n = 99;
        uint8_t *with_len = bytes_mut_spare(m, &n);
        CHECK_EQ_SIZE(n, bytes_mut_capacity(m) - bytes_mut_len(m));
        SAME(CHECK(bytes_mut_spare(m, NULL) == with_len));
    }
}

/* ==== 2. (NULL, n) pairs: ERR_NULL; (NULL, 0): empty ====================== */

static void null_length_pairs(void)
{
    bytes_t out;
    for (size_t k = 0; k < N_NULL_LENS; k++) {
        size_t n = NULL_LENS[k];
        ROW("(NULL, n) constructors", "-");
        BAD_OUT(out, bytes_copy_from(NULL, n, &out), BYTES_ERR_NULL);
        BAD_OUT(out, bytes_from_malloc(NULL, n, &out), BYTES_ERR_NULL);
        BAD_OUT(out,
                bytes_from_owner(NULL, n, &owner, counting_owner_release,
                                 &out),
                BYTES_ERR_NULL); /* not released */
        BAD_OUT(out, bytes_from_vtable(NULL, n, &slot, VTABLE, &out),
                BYTES_ERR_NULL); /* no callback */
        /* bytes_from_static cannot report: it gives an empty handle. */
        SAME(out = bytes_from_static(NULL, n); expect_empty(&out);
             bytes_drop(&out));

        for (int i = 0; i < NF; i++) {
            ROW("(NULL, n) bytes_slice_ref", F_NAME[i]);
            BAD_OUT(out, bytes_slice_ref(&F[i], NULL, n, &out),
                    BYTES_ERR_NULL);
            BAD(bytes_slice_ref(&F[i], NULL, n, &F[i]), BYTES_ERR_NULL);
        }
        for (int i = 0; i < NM; i++) {
            ROW("(NULL, n) bytes_mut_extend_from_slice", M_NAME[i]);
            BAD(bytes_mut_extend_from_slice(&M[i], NULL, n), BYTES_ERR_NULL);
        }
    }

    /* Rule 5's other half, next to it: (NULL, 0) is empty. */
    ROW("(NULL, 0) is empty", "-");
    SAME(GARBAGE(out); CHECK_OK(bytes_copy_from(NULL, 0, &out));
         expect_empty(&out); bytes_drop(&out));
    SAME(GARBAGE(out); CHECK_OK(bytes_from_malloc(NULL, 0, &out));
         expect_empty(&out); bytes_drop(&out));
    SAME(out = bytes_from_static(NULL, 0); expect_empty(&out);
         bytes_drop(&out));
    /* owner and vtable: an empty view gives the reference back at once */
    counting_owner_reset(&other);
    GARBAGE(out);
    CHECK_OK(bytes_from_owner(NULL, 0, &other, counting_owner_release, &out));
    expect_empty(&out);
    bytes_drop(&out);
    CHECK(other.released == 1); /* released at once */
    static struct counting_slot s2;
    counting_slot_take(&s2);
    GARBAGE(out);
    CHECK_OK(bytes_from_vtable(NULL, 0, &s2, VTABLE, &out));
    expect_empty(&out);
    bytes_drop(&out);
    CHECK(s2.drops == 1 && s2.refs == 0 && s2.clones == 0);
    CHECK(s2.drop_data == &s2 && s2.drop_ptr == NULL && s2.drop_len == 0);
    check_fixtures();
    for (int i = 0; i < NF; i++) {
        ROW("(NULL, 0) bytes_slice_ref", F_NAME[i]);
        SAME(GARBAGE(out); CHECK_OK(bytes_slice_ref(&F[i], NULL, 0, &out));
             expect_empty(&out); bytes_drop(&out));
    }
    for (int i = 0; i < NM; i++) {
        ROW("(NULL, 0) bytes_mut_extend_from_slice", M_NAME[i]);
        SAME(CHECK_OK(bytes_mut_extend_from_slice(&M[i], NULL, 0)));
    }
}

/* ==== 3. bad ranges and sizes on bytes_t ================================== */

static const struct {
    const char *what;
    struct size_arg begin, end;
} SLICE_ROWS[] = {
    {"begin > end", N(1), N(0)},
    {"begin > end, both inside", N(3), N(2)},
    {"begin > end, begin past len", L(1), L(0)},
    {"end = len + 1", N(0), L(1)},
    {"begin = end = len + 1", L(1), L(1)},
    {"begin = len, end = len + 1", L(0), L(1)},
    {"end far past len", N(0), L(4096)},
    {"end SIZE_MAX", N(0), N(SIZE_MAX)},
    {"end SIZE_MAX / 2", N(0), N(HALF)},
    {"end SIZE_MAX / 2 + 1", N(0), N(HALF + 1)},
    {"begin SIZE_MAX, end 0", N(SIZE_MAX), N(0)},
    {"begin SIZE_MAX, end len", N(SIZE_MAX), L(0)},
    {"begin = end = SIZE_MAX", N(SIZE_MAX), N(SIZE_MAX)},
    {"begin = end = SIZE_MAX / 2", N(HALF), N(HALF)},
    {"begin SIZE_MAX / 2, end SIZE_MAX", N(HALF), N(SIZE_MAX)},
    {"begin SIZE_MAX / 2 + 1, end SIZE_MAX / 2", N(HALF + 1), N(HALF)},
};

/* at / n beyond the length: split_to, split_off, advance. */
static const struct {
    const char *what;
    struct size_arg at;
} PAST_LEN_ROWS[] = {
    {"len + 1", L(1)},
    {"len + 4096", L(4096)},
    {"SIZE_MAX", N(SIZE_MAX)},
    {"SIZE_MAX - 1", N(SIZE_MAX - 1)},
    {"SIZE_MAX / 2", N(HALF)},
    {"SIZE_MAX / 2 + 1", N(HALF + 1)},
};

/* sub = bytes_ptr(b) + off (computed as an integer, modulo 2^64: it may
 * lie outside any object), sub_len; or OTHER's bytes. For the slice
 * fixture, just outside the view is still inside its storage. Empty
 * sub-slices of an empty b are fine. */
static const struct {
    const char *what;
    struct size_arg off, len;
    int other; /* sub in another buffer */
} SLICE_REF_ROWS[] = {
    {"starts one before", N(-1), N(2), 0},
    {"empty, one before", N(-1), N(0), 0},
    {"covers the view and one more on each side", N(-1), L(2), 0},
    {"one byte past the end", N(0), L(1), 0},
    {"starts at the end", L(0), N(1), 0},
    {"empty, one past the end", L(1), N(0), 0},
    {"sub + len overflows", N(0), N(SIZE_MAX), 0},
    {"sub + len overflows from the middle", N(4), N(SIZE_MAX - 3), 0},
    {"len SIZE_MAX / 2", N(0), N(HALF), 0},
    {"len SIZE_MAX / 2 + 1", N(0), N(HALF + 1), 0},
    {"far before", N(-4096), N(1), 0},
    {"far after", L(4096), N(1), 0},
    {"another buffer", N(0), N(3), 1},
};

static void ranges_bytes(void)
{
    bytes_t out;
    for (int i = 0; i < NF; i++) {
        bytes_t *h = &F[i];
        size_t len = bytes_len(h);
        int skip = 0;
        for (size_t r = 0; r < COUNT(SLICE_ROWS); r++) {
            ROW(SLICE_ROWS[r].what, F_NAME[i]);
            size_t begin = eval(SLICE_ROWS[r].begin, len, len, &skip);
            size_t end = eval(SLICE_ROWS[r].end, len, len, &skip);
            BAD_OUT(out, bytes_slice(h, begin, end, &out), BYTES_ERR_RANGE);
            BAD(bytes_slice(h, begin, end, h), BYTES_ERR_RANGE); /* out == b */
        }
        for (size_t r = 0; r < COUNT(PAST_LEN_ROWS); r++) {
            ROW(PAST_LEN_ROWS[r].what, F_NAME[i]);
            size_t at = eval(PAST_LEN_ROWS[r].at, len, len, &skip);
            BAD_OUT(out, bytes_split_to(h, at, &out), BYTES_ERR_RANGE);
            BAD_OUT(out, bytes_split_off(h, at, &out), BYTES_ERR_RANGE);
            BAD(bytes_advance(h, at), BYTES_ERR_RANGE);
            SAME(bytes_truncate(h, at)); /* a no-op past the length */
        }
        /* out == b for a split: two results cannot go in one handle. */
        const size_t ats[] = {0, len / 2, len};
        for (size_t r = 0; r < COUNT(ats); r++) {
            ROW("split with out == b", F_NAME[i]);
            BAD(bytes_split_to(h, ats[r], h), BYTES_ERR_INVALID);
            BAD(bytes_split_off(h, ats[r], h), BYTES_ERR_INVALID);
        }
        for (size_t r = 0; r < COUNT(SLICE_REF_ROWS); r++) {
            ROW(SLICE_REF_ROWS[r].what, F_NAME[i]);
            uintptr_t sub =
                SLICE_REF_ROWS[r].other
                    ? (uintptr_t)OTHER
                    : (uintptr_t)bytes_ptr(h) +
                          eval(SLICE_REF_ROWS[r].off, len, len, &skip);
            size_t n = eval(SLICE_REF_ROWS[r].len, len, len, &skip);
            bytes_status_t want = BYTES_ERR_RANGE;
            if (n == 0 && len == 0)
                want = BYTES_OK; /* any empty sub-slice of an empty b */
            BAD_OUT(out, bytes_slice_ref(h, (const uint8_t *)sub, n, &out),
                    want);
            BAD(bytes_slice_ref(h, (const uint8_t *)sub, n, h), want);
        }
    }

    /* Reads one byte too short, on a short view of every storage kind. */
#define SHORT_GET(fn, T, size)                                              \
    for (int i = 0; i < NF; i++) {                                          \
        ROW(#fn " one byte short", F_NAME[i]);                              \
        bytes_t short_;                                                     \
        size_t want_len_ = bytes_len(&F[i]) ? (size) - 1 : 0;               \
        CHECK_OK(bytes_slice(&F[i], 0, want_len_, &short_));                \
        slot_base = slot; /* a vtable's clone call */                       \
        bytes_t snap_ = short_;                                             \
        T v_ = (T)0x5a5a5a5a5a5a5a5aull;                                     \
        BAD(fn(&short_, &v_), BYTES_ERR_RANGE);                             \
        CHECK(v_ == 0);                                                     \
        CHECK(memcmp(&snap_, &short_, sizeof short_) == 0);                 \
        bytes_drop(&short_);                                                \
        slot_base = slot; /* and its drop call */                           \
    }
    SHORT_GET(bytes_get_u8, uint8_t, 1)
    SHORT_GET(bytes_get_u16_be, uint16_t, 2)
    SHORT_GET(bytes_get_u16_le, uint16_t, 2)
    SHORT_GET(bytes_get_u32_be, uint32_t, 4)
    SHORT_GET(bytes_get_u32_le, uint32_t, 4)
    SHORT_GET(bytes_get_u64_be, uint64_t, 8)
    SHORT_GET(bytes_get_u64_le, uint64_t, 8)
#undef SHORT_GET
}

/* ---- bytes_slice_many and bytes_drop_many ------------------------------ */

/* out[0..n) all zero ("every out[i] empty"). */
static int all_zero(const bytes_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_zero_handle(&out[i]))
            return 0;
    return 1;
}

/* out[0..n) still the garbage GARBAGE_MANY put there ("nothing is
 * written then"). */
#define GARBAGE_MANY(out)                                                   \
    memset((out), 0xA5, sizeof(out))
static int all_garbage(const bytes_t *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)out;
    for (size_t i = 0; i < n * sizeof(bytes_t); i++)
        if (p[i] != 0xA5)
            return 0;
    return 1;
}

static void batch_rows(void)
{
    bytes_t out[2];
    bytes_range_t ranges[2] = {{0, 0}, {0, 0}};

    ROW("bytes_slice_many: NULL b", "-");
    GARBAGE_MANY(out);
    BAD(bytes_slice_many(NULL, ranges, 2, out), BYTES_ERR_NULL);
    if (!all_zero(out, 2))
        fprintf(stderr, "bytes_slice_many(NULL b, ranges, 2, out): out[] "
                "not emptied (header: \"every out[i] empty\")\n");
    CHECK(all_zero(out, 2));
    BAD(bytes_slice_many(NULL, ranges, 0, out), BYTES_ERR_NULL);
    BAD(bytes_slice_many(NULL, NULL, 0, NULL), BYTES_ERR_NULL);
    BAD(bytes_slice_many(NULL, NULL, 2, NULL), BYTES_ERR_NULL);

    ROW("bytes_drop_many: NULL bufs", "-");
    SAME(bytes_drop_many(NULL, 0));
    SAME(bytes_drop_many(NULL, 1));
    SAME(bytes_drop_many(NULL, SIZE_MAX));

    for (int i = 0; i < NF; i++) {
        bytes_t *h = &F[i];
        size_t len = bytes_len(h);
        /* two good ranges of this fixture */
        const bytes_range_t good[2] = {{0, len}, {len / 2, len}};

        ROW("bytes_slice_many: NULL ranges / NULL out", F_NAME[i]);
        GARBAGE_MANY(out);
        BAD(bytes_slice_many(h, NULL, 2, out), BYTES_ERR_NULL);
        CHECK(all_zero(out, 2));
        BAD(bytes_slice_many(h, good, 2, NULL), BYTES_ERR_NULL);
        BAD(bytes_slice_many(h, NULL, 2, NULL), BYTES_ERR_NULL);
        ROW("bytes_slice_many: n = 0 with NULL arrays", F_NAME[i]);
        SAME(CHECK_OK(bytes_slice_many(h, NULL, 0, NULL)));
        ROW("bytes_drop_many: n = 0", F_NAME[i]);
        SAME(bytes_drop_many(h, 0));

        /* Every bad range, alone and after a good one. */
        for (size_t r = 0; r < COUNT(SLICE_ROWS); r++) {
            int skip = 0;
            bytes_range_t bad = {eval(SLICE_ROWS[r].begin, len, len, &skip),
                                 eval(SLICE_ROWS[r].end, len, len, &skip)};
            ROW(SLICE_ROWS[r].what, F_NAME[i]);
            GARBAGE_MANY(out);
            BAD(bytes_slice_many(h, &bad, 1, out), BYTES_ERR_RANGE);
            CHECK(all_zero(out, 1));
            const bytes_range_t two[2] = {good[0], bad};
            GARBAGE_MANY(out);
            BAD(bytes_slice_many(h, two, 2, out), BYTES_ERR_RANGE);
            CHECK(all_zero(out, 2));
        }

        /* out overlapping b or ranges: nothing is written. */
        ROW("bytes_slice_many: out == b", F_NAME[i]);
        BAD(bytes_slice_many(h, good, 1, h), BYTES_ERR_INVALID);
        if (i > 0) {
            ROW("bytes_slice_many: out[1] == b", F_NAME[i]);
            BAD(bytes_slice_many(h, good, 2, &F[i - 1]), BYTES_ERR_INVALID);
        }
        union {
            bytes_t h[3];
            bytes_range_t r[6];
        } u;
        for (size_t k = 0; k < 3; k++) /* both views of u hold the ranges */
            u.r[2 * k] = good[0], u.r[2 * k + 1] = good[1];
        const unsigned char *before = (const unsigned char *)&u;
        unsigned char saved[sizeof u];
        memcpy(saved, before, sizeof u);
        ROW("bytes_slice_many: ranges == out", F_NAME[i]);
        BAD(bytes_slice_many(h, u.r, 2, u.h), BYTES_ERR_INVALID);
        CHECK(memcmp(saved, &u, sizeof u) == 0);
        ROW("bytes_slice_many: ranges inside out[1]", F_NAME[i]);
        BAD(bytes_slice_many(h, &u.r[2], 2, u.h), BYTES_ERR_INVALID);
        CHECK(memcmp(saved, &u, sizeof u) == 0);
        ROW("bytes_slice_many: out inside ranges", F_NAME[i]);
        BAD(bytes_slice_many(h, u.r, 6, &u.h[1]), BYTES_ERR_INVALID);
        CHECK(memcmp(saved, &u, sizeof u) == 0);

        /* n larger than any array: rejected before anything is read or
         * written (out and ranges are 2 long). */
        const size_t huge_n[] = {SIZE_MAX, SIZE_MAX - 1, HALF, HALF + 1,
                                 HALF / sizeof(bytes_t) + 1};
        for (size_t k = 0; k < COUNT(huge_n); k++) {
            ROW("bytes_slice_many: n SIZE_MAX ... PTRDIFF_MAX / sizeof(bytes_t) + 1",
                F_NAME[i]);
            GARBAGE_MANY(out);
            BAD(bytes_slice_many(h, good, huge_n[k], out), BYTES_ERR_NOMEM);
            CHECK(all_garbage(out, 2));
        }
    }
}

/* ==== 4. bad ranges and sizes on bytes_mut_t ============================== */

/* Positions past what each function may cut or consume. */
static const struct {
    const char *what;
    struct size_arg at;
} MUT_PAST_ROWS[] = {
    {"capacity + 1", C(1)},
    {"capacity + 4096", C(4096)},
    {"SIZE_MAX", N(SIZE_MAX)},
    {"SIZE_MAX / 2", N(HALF)},
    {"SIZE_MAX / 2 + 1", N(HALF + 1)},
};

/* Sources inside the buffer's region but not inside its written bytes:
 * ptr = bytes_mut_ptr(m) + off, len; only where they fit the capacity. */
static const struct {
    const char *what;
    struct size_arg off, len;
} SPARE_SOURCE_ROWS[] = {
    {"the first spare byte", L(0), N(1)},
    {"all the spare capacity", L(0), SP(0)},
    {"the last spare byte", C(-1), N(1)},
    {"written bytes and one spare", N(0), L(1)},
    {"straddling the end of the written bytes", L(-1), N(2)},
    {"the whole region", N(0), C(0)},
};

static void ranges_mut(void)
{
    bytes_mut_t mout;
    for (int i = 0; i < NM; i++) {
        bytes_mut_t *m = &M[i];
        size_t len = bytes_mut_len(m), cap = bytes_mut_capacity(m);

        for (size_t r = 0; r < COUNT(GROW_ROWS); r++) {
            int skip = 0;
            size_t n = eval(GROW_ROWS[r].n, len, cap, &skip);
            if (skip || (GROW_ROWS[r].n.rel == ABS && !unallocatable(n)))
                continue;
            ROW(GROW_ROWS[r].what, M_NAME[i]);
            BAD(bytes_mut_reserve(m, n), BYTES_ERR_NOMEM);
            SAME(CHECK(!bytes_mut_try_reclaim(m, n)));
            BAD(bytes_mut_put_bytes(m, 'x', n), BYTES_ERR_NOMEM);
            /* resize takes a length: SIZE_MAX-like lengths, not len + n */
            if (GROW_ROWS[r].n.rel == ABS)
                BAD(bytes_mut_resize(m, n, 'x'), BYTES_ERR_NOMEM);
            /* A source of 8 bytes claimed to be n long: the library must
             * fail before reading it. It lies above m's region (a source
             * overlapping the region is ERR_INVALID). */
            uint8_t *src = source_above(m, ALPHA, ALPHA_LEN);
            BAD(bytes_mut_extend_from_slice(m, src, n), BYTES_ERR_NOMEM);
            unmap_source(src);
        }

        for (size_t r = 0; r < COUNT(MUT_PAST_ROWS); r++) {
            int skip = 0;
            size_t at = eval(MUT_PAST_ROWS[r].at, len, cap, &skip);
            ROW(MUT_PAST_ROWS[r].what, M_NAME[i]);
            BAD_MOUT(mout, bytes_mut_split_to(m, at, &mout), BYTES_ERR_RANGE);
            BAD_MOUT(mout, bytes_mut_split_off(m, at, &mout),
                     BYTES_ERR_RANGE);
            BAD(bytes_mut_advance(m, at), BYTES_ERR_RANGE);
            BAD(bytes_mut_commit(m, at), BYTES_ERR_RANGE);
            SAME(bytes_mut_truncate(m, at));
        }
        /* Past the written bytes but inside the capacity. */
        if (cap > len) {
            ROW("len + 1 (inside the capacity)", M_NAME[i]);
            BAD_MOUT(mout, bytes_mut_split_to(m, len + 1, &mout),
                     BYTES_ERR_RANGE);
            BAD_MOUT(mout, bytes_mut_split_to(m, cap, &mout), BYTES_ERR_RANGE);
            BAD(bytes_mut_advance(m, len + 1), BYTES_ERR_RANGE);
            BAD(bytes_mut_advance(m, cap), BYTES_ERR_RANGE);
        }
        ROW("commit past the spare capacity", M_NAME[i]);
        BAD(bytes_mut_commit(m, cap - len + 1), BYTES_ERR_RANGE);
        ROW("split_to past len", M_NAME[i]);
        BAD_MOUT(mout, bytes_mut_split_to(m, len + 1, &mout), BYTES_ERR_RANGE);

        /* Aliased handles. */
        ROW("out == m, other == m", M_NAME[i]);
        const size_t ats[] = {0, len / 2, len};
        for (size_t r = 0; r < COUNT(ats); r++) {
            BAD(bytes_mut_split_to(m, ats[r], m), BYTES_ERR_INVALID);
            BAD(bytes_mut_split_off(m, ats[r], m), BYTES_ERR_INVALID);
        }
        BAD(bytes_mut_unsplit(m, m), BYTES_ERR_INVALID);

        /* Sources in the spare capacity: not written yet. */
        for (size_t r = 0; r < COUNT(SPARE_SOURCE_ROWS); r++) {
            int skip = 0;
            size_t off = eval(SPARE_SOURCE_ROWS[r].off, len, cap, &skip);
            size_t n = eval(SPARE_SOURCE_ROWS[r].len, len, cap, &skip);
            if (cap == len || n == 0 || off > cap || n > cap - off)
                continue; /* no spare, or not inside the region */
            ROW(SPARE_SOURCE_ROWS[r].what, M_NAME[i]);
            BAD(bytes_mut_extend_from_slice(m, bytes_mut_ptr(m) + off, n),
                BYTES_ERR_INVALID);
        }
    }
}

/* bytes_status_str takes any value (not a pointer, but the one other
 * input a caller can get wrong). */
static void bad_status_values(void)
{
    static const int values[] = {-1, 7, 100, 1000, INT_MAX, INT_MIN};
    for (size_t i = 0; i < COUNT(values); i++) {
        ROW("bytes_status_str of a value outside the enum", "-");
        SAME(const char *s = bytes_status_str((bytes_status_t)values[i]);
             CHECK(s != NULL && s[0] != '\0'));
    }
}

int main(void)
{
    static void (*const rows[])(void) = {
        null_pointers_bytes,
        null_pointers_mut,
        null_length_pairs,
        ranges_bytes,
        batch_rows,
        ranges_mut,
        bad_status_values,
    };
    if (!run_rows("test_bad_input", rows, COUNT(rows)))
        return 1;
    CHECK_DONE();
    return 0;
}
