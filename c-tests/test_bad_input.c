/*
 * test_bad_input.c - bad input at the boundary, in one
 * place: every exported function of bytes.h given
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
 *      unwritten spare capacity, aliased handles;
 *   5. sizes no allocator can satisfy for the constructors;
 *   6. incomplete and short vtables: NULL, struct_size 0, 1, 8, sizeof - 8
 *      and sizeof - 1, each also in a heap block only struct_size bytes
 *      long (a checker sees any read past it), NULL clone, NULL drop;
 *   7. bad file descriptors: negative, closed, huge numbers, a directory,
 *      both ends of a pipe, a socket, a character device, a write-only or
 *      O_PATH descriptor, and ranges past the end of a good one;
 *   8. bad paths: missing files and directories, the empty path, a
 *      directory, devices, a socket, FIFOs (with and without a writer: the
 *      call must not block), a file used as a directory, names and paths
 *      too long, dangling and looping symlinks;
 *   9. the I/O functions: bytes_mut_read_fd and bytes_writev_fd on bad
 *      descriptors (closed, huge, the wrong end of a pipe, the wrong
 *      access mode, O_PATH, EAGAIN both ways, EPIPE), max 0 and sizes no
 *      buffer can grow by, NULL counts and (NULL, n) handle arrays;
 *      bytes_fill_iovec with NULL arrays and nothing to fill.
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
 * test_errors.c and test_mut_errors.c check many of these per function
 * too; this file is the complete list.
 */
#include "capture.h"
#include "check_alloc.h"
#include "check_mut.h"
#include "counting.h"
#include "proc_self.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const uint8_t ALPHA[] = "abcdefgh";
#define ALPHA_LEN (sizeof(ALPHA) - 1)
static const uint8_t OTHER[] = "another buffer";

#define HALF (SIZE_MAX / 2) /* == PTRDIFF_MAX */

/* ---- fixtures: the handles every row is tried on ------------------------ */

enum {
    F_ZERO,   /* {0} */
    F_STATIC, /* static "abcdefgh" */
    F_HEAP,   /* heap "abcdefgh", shared with F_CLONE */
    F_CLONE,
    F_UNIQUE, /* heap "abcdefgh", its only handle */
    F_PARENT, /* heap "XXabcdefghYY" ... */
    F_SLICE,  /* ... and its slice "abcdefgh" */
    F_MALLOC, /* an adopted malloc block */
    F_OWNER,  /* an owner's bytes */
    F_VTABLE, /* a custom vtable's bytes */
    F_MAPPED, /* a mapped file */
    NF
};
static const char *const F_NAME[NF] = {
    "zero", "static", "heap (shared)", "heap clone", "heap (unique)",
    "heap parent", "heap slice", "adopted malloc", "owner", "custom vtable",
    "mapped file"};

enum {
    M_ZERO,    /* {0}: no storage */
    M_EMPTY,   /* no bytes, capacity 16 */
    M_SPARE,   /* "abcdefgh", capacity 32 */
    M_FULL,    /* "abcdefgh", capacity 8 */
    M_ADVANCED, /* "abcdefgh" after advancing past "XYZ", capacity 29 */
    M_FRONT,   /* "XYZ", the front half of a split ... */
    M_BACK,    /* ... "abcdefgh", the back half, capacity 13 */
    NM
};
static const char *const M_NAME[NM] = {
    "zero", "empty with capacity", "with spare", "full", "advanced",
    "front half", "back half"};

static bytes_t F[NF];
static bytes_mut_t M[NM];

/* What the fixtures were: bits and viewed bytes. */
static bytes_t f_snap[NF];
static bytes_mut_t m_snap[NM];
static uint8_t *f_bytes[NF], *m_bytes[NM];

/* The foreign storages behind F_MALLOC, F_OWNER, F_VTABLE, F_MAPPED. */
static uint8_t *malloc_block;
static struct counting_owner owner; /* counting.h; ALPHA in its buf */

/* A second owner, for the rows where a release is due. */
static struct counting_owner other;

/* A counting slot (counting.h, its vtable without is_unique); ALPHA in
 * its buf. */
static struct counting_slot slot;
/* What slot's counters must be: the fixture's one reference, and the
 * clones and drops of the rows that make handles of their own. */
static struct counting_slot slot_base = {.refs = 1};
static const bytes_vtable_t *const VTABLE = &COUNTING_SLOT_VTABLE_NO_UNIQUE;

static char file_path[64];  /* "abcdefgh" */
static char empty_path[64]; /* an empty file */

static char dangling[96], loop[96]; /* symlinks */
static char fifo[96], sock_path[96];

static void remove_files(void)
{
    if (fifo[0])
        unlink(fifo);
    if (sock_path[0])
        unlink(sock_path);
    if (dangling[0])
        unlink(dangling);
    if (loop[0])
        unlink(loop);
    if (file_path[0])
        unlink(file_path);
    if (empty_path[0])
        unlink(empty_path);
}

static void make_file(char path[64], const uint8_t *bytes, size_t n)
{
    strcpy(path, "/tmp/libbytes-badinput-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, bytes, n) == (ssize_t)n);
    CHECK(close(fd) == 0);
}

static bytes_mut_t buf_of(size_t cap, const uint8_t *p, size_t n)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(cap, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, p, n));
    return m;
}

static uint8_t *copy_of(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    CHECK(c != NULL);
    memcpy(c, p, n);
    return c;
}

static void make_fixtures(void)
{
    F[F_ZERO] = bytes_new();
    F[F_STATIC] = bytes_from_static(ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_copy_from(ALPHA, ALPHA_LEN, &F[F_HEAP]));
    F[F_CLONE] = bytes_clone(&F[F_HEAP]);
    CHECK_OK(bytes_copy_from(ALPHA, ALPHA_LEN, &F[F_UNIQUE]));
    CHECK_OK(bytes_copy_from((const uint8_t *)"XXabcdefghYY", 12,
                             &F[F_PARENT]));
    CHECK_OK(bytes_slice(&F[F_PARENT], 2, 10, &F[F_SLICE]));
    malloc_block = copy_of(ALPHA, ALPHA_LEN);
    CHECK(alloc_watch(malloc_block));
    CHECK_OK(bytes_from_malloc(malloc_block, ALPHA_LEN, &F[F_MALLOC]));
    memcpy(owner.buf, ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_from_owner(owner.buf, ALPHA_LEN, &owner,
                              counting_owner_release, &F[F_OWNER]));
    counting_slot_take(&slot);
    memcpy(slot.buf, ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_from_vtable(slot.buf, ALPHA_LEN, &slot, VTABLE,
                               &F[F_VTABLE]));
    make_file(file_path, ALPHA, ALPHA_LEN);
    make_file(empty_path, ALPHA, 0);
    CHECK_OK(bytes_from_file(file_path, &F[F_MAPPED]));
    for (int i = 0; i < NF; i++)
        if (i != F_ZERO && i != F_PARENT)
            CHECK_BYTES(&F[i], ALPHA, ALPHA_LEN);

    M[M_ZERO] = bytes_mut_new();
    CHECK_OK(bytes_mut_with_capacity(16, &M[M_EMPTY]));
    M[M_SPARE] = buf_of(32, ALPHA, ALPHA_LEN);
    M[M_FULL] = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN);
    M[M_ADVANCED] = buf_of(32, (const uint8_t *)"XYZabcdefgh", 11);
    CHECK_OK(bytes_mut_advance(&M[M_ADVANCED], 3));
    M[M_BACK] = buf_of(16, (const uint8_t *)"XYZabcdefgh", 11);
    CHECK_OK(bytes_mut_split_to(&M[M_BACK], 3, &M[M_FRONT]));
    CHECK_MUT_BYTES(&M[M_BACK], ALPHA, ALPHA_LEN);
    CHECK_MUT_BYTES(&M[M_FRONT], "XYZ", 3);

    for (int i = 0; i < NF; i++) {
        f_snap[i] = F[i];
        f_bytes[i] = copy_of(bytes_ptr(&F[i]), bytes_len(&F[i]));
    }
    for (int i = 0; i < NM; i++) {
        m_snap[i] = M[i];
        m_bytes[i] = copy_of(bytes_mut_ptr(&M[i]), bytes_mut_len(&M[i]));
    }
}

static void drop_fixtures(void)
{
    for (int i = 0; i < NF; i++) {
        bytes_drop(&F[i]);
        free(f_bytes[i]);
    }
    for (int i = 0; i < NM; i++) {
        bytes_mut_drop(&M[i]);
        free(m_bytes[i]);
    }
    CHECK_FREED(malloc_block, 1);
    alloc_unwatch(malloc_block);
    CHECK(owner.released == 1);
    CHECK(slot.refs == 0 && slot.drops == slot_base.drops + 1 &&
          slot.clones == slot_base.clones);
}

/* ---- the checks after every row ------------------------------------------ */

/* The row being run, named when a check fails. */
static const char *row_what = "";
static const char *row_fixture = "";
static int in_rows;
static void say_row(void)
{
    if (in_rows)
        fprintf(stderr, "test_bad_input: in row \"%s\" on fixture \"%s\"\n",
                row_what, row_fixture);
}
#define ROW(what, fixture) (row_what = (what), row_fixture = (fixture))

static size_t live(void) { return alloc_count_allocs() - alloc_count_frees(); }

static int fds_before;

/* Every fixture as it was; nothing released, freed or called back. */
static void check_fixtures(void)
{
    for (int i = 0; i < NF; i++) {
        CHECK(memcmp(&F[i], &f_snap[i], sizeof(bytes_t)) == 0);
        CHECK(memcmp(bytes_ptr(&F[i]), f_bytes[i], bytes_len(&F[i])) == 0);
    }
    for (int i = 0; i < NM; i++) {
        CHECK(memcmp(&M[i], &m_snap[i], sizeof(bytes_mut_t)) == 0);
        CHECK(memcmp(bytes_mut_ptr(&M[i]), m_bytes[i],
                     bytes_mut_len(&M[i])) == 0);
    }
    CHECK(owner.released == 0);
    CHECK(slot.refs == slot_base.refs && slot.clones == slot_base.clones &&
          slot.drops == slot_base.drops);
    CHECK_FREED(malloc_block, 0);
}

static bytes_status_t got;
static int got_errno;

/* A failing call: the status, the fixtures, the heap. */
#define BAD(call, want)                                                     \
    do {                                                                    \
        size_t live_ = live();                                              \
        errno = 0;                                                          \
        got = (call);                                                       \
        got_errno = errno;                                                  \
        CHECK_STATUS(got, (want));                                          \
        check_fixtures();                                                   \
        CHECK_COUNTED(live() == live_);                                     \
    } while (0)

/* ... with a bytes_t out-parameter, garbage before and zero after. */
#define BAD_OUT(out, call, want)                                            \
    do {                                                                    \
        GARBAGE(out);                                                       \
        BAD(call, want);                                                    \
        CHECK_ZERO(&(out));                                                 \
    } while (0)

/* ... with a bytes_mut_t out-parameter. */
#define BAD_MOUT(mout, call, want)                                          \
    do {                                                                    \
        GARBAGE_MUT(mout);                                                  \
        BAD(call, want);                                                    \
        CHECK_MUT_ZERO(&(mout));                                            \
    } while (0)

/* ... ERR_IO with this errno. */
#define BAD_IO(out, call, want_errno)                                       \
    do {                                                                    \
        BAD_OUT(out, call, BYTES_ERR_IO);                                   \
        if (got_errno != (want_errno))                                      \
            fprintf(stderr, "errno %d (%s), expected %d (%s)\n", got_errno, \
                    strerror(got_errno), (want_errno),                      \
                    strerror(want_errno));                                  \
        CHECK(got_errno == (want_errno));                                   \
    } while (0)

/* A function without a status: it must leave everything as it was. */
#define SAME(stmt)                                                          \
    do {                                                                    \
        size_t live_ = live();                                              \
        stmt;                                                               \
        check_fixtures();                                                   \
        CHECK_COUNTED(live() == live_);                                     \
    } while (0)

/* ---- sizes relative to the handle ---------------------------------------- */

enum rel { ABS, LEN, CAP, SPARE, WRAP };
struct size_arg {
    enum rel rel;
    size_t v;
};
#define N(x) {ABS, (size_t)(x)}     /* x */
#define L(x) {LEN, (size_t)(x)}     /* len + x */
#define C(x) {CAP, (size_t)(x)}     /* capacity + x */
#define SP(x) {SPARE, (size_t)(x)}  /* spare capacity + x */
#define WRAPS {WRAP, 0}             /* SIZE_MAX - len + 1: len + it is 0 */

/* The value, or 0 with *skip set when it does not apply (WRAPS of an
 * empty handle would be 0, a valid size). */
static size_t eval(struct size_arg a, size_t len, size_t cap, int *skip)
{
    switch (a.rel) {
    case ABS: return a.v;
    case LEN: return len + a.v;
    case CAP: return cap + a.v;
    case SPARE: return cap - len + a.v;
    case WRAP:
        if (len == 0)
            *skip = 1;
        return SIZE_MAX - len + 1;
    }
    return 0;
}

/* Sizes no allocator can satisfy (on 64-bit targets; see unallocatable()),
 * or that overflow once added to. */
static const size_t HUGE_SIZES[] = {SIZE_MAX,     SIZE_MAX - 1, SIZE_MAX - 16,
                                    HALF + 1,     HALF,         HALF - 16,
                                    SIZE_MAX / 4};
#define N_HUGE (sizeof HUGE_SIZES / sizeof HUGE_SIZES[0])

/* The lengths of (NULL, n) pairs. */
static const size_t NULL_LENS[] = {1, ALPHA_LEN, 4096, HALF, HALF + 1,
                                   SIZE_MAX};
#define N_NULL_LENS (sizeof NULL_LENS / sizeof NULL_LENS[0])

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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

/* Growth no buffer can make: reserve, resize, put_bytes, extend. */
static const struct {
    const char *what;
    struct size_arg n;
} GROW_ROWS[] = {
    {"SIZE_MAX", N(SIZE_MAX)},
    {"SIZE_MAX - 1", N(SIZE_MAX - 1)},
    {"SIZE_MAX - 16", N(SIZE_MAX - 16)},
    {"SIZE_MAX / 2 + 1", N(HALF + 1)},
    {"SIZE_MAX / 2", N(HALF)},
    {"SIZE_MAX / 2 - 16", N(HALF - 16)},
    {"SIZE_MAX / 4", N(SIZE_MAX / 4)},
    {"len + n wraps to 0", WRAPS},
};

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

/* ==== 5. sizes no allocator can satisfy: constructors ===================== */

static void huge_constructors(void)
{
    bytes_t out;
    bytes_mut_t mout;
    uint8_t *block = copy_of(ALPHA, ALPHA_LEN);
    CHECK(alloc_watch(block));
    for (size_t k = 0; k < N_HUGE; k++) {
        size_t n = HUGE_SIZES[k];
        if (!unallocatable(n))
            continue;
        ROW("huge sizes: with_capacity, zeroed, copy_from", "-");
        BAD_MOUT(mout, bytes_mut_with_capacity(n, &mout), BYTES_ERR_NOMEM);
        BAD_MOUT(mout, bytes_mut_zeroed(n, &mout), BYTES_ERR_NOMEM);
        /* ALPHA is 8 bytes: the library must fail before reading more */
        BAD_OUT(out, bytes_copy_from(ALPHA, n, &out), BYTES_ERR_NOMEM);
        if (n <= HALF)
            continue;
        /* Over PTRDIFF_MAX (SIZE_MAX / 2 itself is PTRDIFF_MAX, a length
         * these accept without reading: not an input they can reject). */
        ROW("lengths over PTRDIFF_MAX: adopting constructors", "-");
        BAD_OUT(out, bytes_from_malloc(block, n, &out), BYTES_ERR_NOMEM);
        BAD_OUT(out,
                bytes_from_owner(owner.buf, n, &owner, counting_owner_release,
                                 &out),
                BYTES_ERR_NOMEM);
        BAD_OUT(out, bytes_from_vtable(slot.buf, n, &slot, VTABLE, &out),
                BYTES_ERR_NOMEM);
        SAME(out = bytes_from_static(ALPHA, n); expect_empty(&out);
             bytes_drop(&out));
    }
    CHECK_FREED(block, 0);
    CHECK(memcmp(block, ALPHA, ALPHA_LEN) == 0);
    alloc_unwatch(block);
    free(block);
}

/* ==== 6. incomplete and short vtables ===================================== */

static void *bad_clone(void *d, const uint8_t *p, size_t n)
{
    (void)p;
    (void)n;
    slot.clones++; /* must never run: check_fixtures sees it */
    return d;
}
static void bad_drop(void *d, const uint8_t *p, size_t n)
{
    (void)d;
    (void)p;
    (void)n;
    slot.drops++;
}

static const struct {
    const char *what;
    size_t struct_size;
    int has_clone, has_drop;
} VTABLE_ROWS[] = {
    {"struct_size 0", 0, 1, 1},
    {"struct_size 1", 1, 1, 1},
    {"struct_size 8 (only the size field)", sizeof(size_t), 1, 1},
    {"struct_size sizeof - 8 (no name field)", sizeof(bytes_vtable_t) - 8, 1,
     1},
    {"struct_size sizeof - 1", sizeof(bytes_vtable_t) - 1, 1, 1},
    {"NULL clone", sizeof(bytes_vtable_t), 0, 1},
    {"NULL drop", sizeof(bytes_vtable_t), 1, 0},
    {"NULL clone and drop", sizeof(bytes_vtable_t), 0, 0},
    {"all zero", 0, 0, 0},
};

static void bad_vtables(void)
{
    bytes_t out;
    static const size_t lens[] = {ALPHA_LEN, 0};
    for (size_t r = 0; r < COUNT(VTABLE_ROWS); r++) {
        bytes_vtable_t vt = {VTABLE_ROWS[r].struct_size,
                             VTABLE_ROWS[r].has_clone ? bad_clone : NULL,
                             VTABLE_ROWS[r].has_drop ? bad_drop : NULL, NULL,
                             "bad"};
        for (size_t k = 0; k < COUNT(lens); k++) {
            ROW(VTABLE_ROWS[r].what, "-");
            BAD_OUT(out, bytes_from_vtable(slot.buf, lens[k], &slot, &vt, &out),
                    BYTES_ERR_INVALID);
        }
        /* A short vtable really as short as its struct_size says: a heap
         * block of exactly that size (the checkers see any read past it). */
        size_t sz = VTABLE_ROWS[r].struct_size;
        if (sz < sizeof(size_t) || sz >= sizeof vt)
            continue; /* it must at least hold struct_size itself */
        void *shortv = malloc(sz);
        CHECK(shortv != NULL);
        memcpy(shortv, &vt, sz);
        for (size_t k = 0; k < COUNT(lens); k++) {
            ROW(VTABLE_ROWS[r].what, "a block of struct_size bytes");
            BAD_OUT(out, bytes_from_vtable(slot.buf, lens[k], &slot,
                                           (const bytes_vtable_t *)shortv,
                                           &out),
                    BYTES_ERR_INVALID);
        }
        free(shortv);
    }
    ROW("NULL vtable", "-");
    BAD_OUT(out, bytes_from_vtable(slot.buf, ALPHA_LEN, &slot, NULL, &out),
            BYTES_ERR_INVALID);
    BAD_OUT(out, bytes_from_vtable(NULL, 0, NULL, NULL, &out),
            BYTES_ERR_INVALID);
}

/* ==== 7. bad file descriptors ============================================= */

enum fd_kind {
    FD_MINUS_1, FD_INT_MIN, FD_MINUS_42, FD_CLOSED, FD_INT_MAX, FD_1M,
    FD_DIR, FD_PIPE_READ, FD_PIPE_WRITE, FD_SOCKET, FD_DEV_NULL,
    FD_WRITE_ONLY, FD_O_PATH, N_FD_KINDS
};

static const struct {
    const char *what;
    int want_errno;
    int empty_fails; /* len 0 fails too (fstat fails or says not regular) */
} FD_ROWS[N_FD_KINDS] = {
    [FD_MINUS_1] = {"fd -1", EBADF, 1},
    [FD_INT_MIN] = {"fd INT_MIN", EBADF, 1},
    [FD_MINUS_42] = {"fd -42", EBADF, 1},
    [FD_CLOSED] = {"a closed fd", EBADF, 1},
    [FD_INT_MAX] = {"fd INT_MAX", EBADF, 1},
    [FD_1M] = {"fd 1 << 20 (past the fd table)", EBADF, 1},
    [FD_DIR] = {"a directory", EISDIR, 1},
    [FD_PIPE_READ] = {"a pipe's read end", EINVAL, 1},
    [FD_PIPE_WRITE] = {"a pipe's write end", EINVAL, 1},
    [FD_SOCKET] = {"a socket", EINVAL, 1},
    [FD_DEV_NULL] = {"/dev/null (a character device)", EINVAL, 1},
    /* regular files whose descriptor cannot be mapped for reading: only
     * mmap fails, which an empty range does not call */
    [FD_WRITE_ONLY] = {"a write-only fd of the file", EACCES, 0},
    [FD_O_PATH] = {"an O_PATH fd of the file", EBADF, 0},
};

static void bad_fds(void)
{
    bytes_t out;
    int fds = count_fds();
    int fd[N_FD_KINDS];
    int pipe_fds[2], sock[2];
    CHECK(pipe(pipe_fds) == 0);
    CHECK(write(pipe_fds[1], "data", 4) == 4);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0);
    fd[FD_MINUS_1] = -1;
    fd[FD_INT_MIN] = INT_MIN;
    fd[FD_MINUS_42] = -42;
    fd[FD_INT_MAX] = INT_MAX;
    fd[FD_1M] = 1 << 20;
    fd[FD_DIR] = open("/tmp", O_RDONLY | O_DIRECTORY);
    fd[FD_PIPE_READ] = pipe_fds[0];
    fd[FD_PIPE_WRITE] = pipe_fds[1];
    fd[FD_SOCKET] = sock[0];
    fd[FD_DEV_NULL] = open("/dev/null", O_RDONLY);
    fd[FD_WRITE_ONLY] = open(file_path, O_WRONLY);
    fd[FD_O_PATH] = open(file_path, O_PATH);
    CHECK(fd[FD_DIR] >= 0 && fd[FD_DEV_NULL] >= 0 && fd[FD_WRITE_ONLY] >= 0 &&
          fd[FD_O_PATH] >= 0);
    /* the lowest free number, closed; nothing else is opened until the
     * rows have run */
    fd[FD_CLOSED] = dup(0);
    CHECK(fd[FD_CLOSED] >= 0 && close(fd[FD_CLOSED]) == 0);

    static const size_t lens[] = {1, ALPHA_LEN, 0, SIZE_MAX, HALF};
    for (int k = 0; k < N_FD_KINDS; k++) {
        for (size_t j = 0; j < COUNT(lens); j++) {
            ROW(FD_ROWS[k].what, "-");
            if (lens[j] == 0 && !FD_ROWS[k].empty_fails) {
                /* documented: an empty range gives an empty handle */
                SAME(GARBAGE(out); CHECK_OK(bytes_from_fd(fd[k], 0, 0, &out));
                     expect_empty(&out); bytes_drop(&out));
                continue;
            }
            if (lens[j] > ALPHA_LEN && !FD_ROWS[k].empty_fails) {
                /* a regular file: the range is checked before mmap */
                BAD_OUT(out, bytes_from_fd(fd[k], 0, lens[j], &out),
                        BYTES_ERR_RANGE);
                continue;
            }
            BAD_IO(out, bytes_from_fd(fd[k], 0, lens[j], &out),
                   FD_ROWS[k].want_errno);
        }
        ROW(FD_ROWS[k].what, "offset 3, 5 bytes");
        BAD_IO(out, bytes_from_fd(fd[k], 3, 5, &out), FD_ROWS[k].want_errno);
    }

    /* A good descriptor, bad ranges: ERR_RANGE. */
    int good = open(file_path, O_RDONLY);
    CHECK(good >= 0);
    CHECK(lseek(good, 3, SEEK_SET) == 3); /* the library must not move it */
    static const struct {
        const char *what;
        uint64_t offset;
        size_t len;
    } RANGE_ROWS[] = {
        {"offset 0, len + 1", 0, ALPHA_LEN + 1},
        {"offset len, 1", ALPHA_LEN, 1},
        {"offset len + 1, 0", ALPHA_LEN + 1, 0},
        {"offset 4, len 5", 4, 5},
        {"offset 1 << 40", (uint64_t)1 << 40, 1},
        {"offset UINT64_MAX, 1", UINT64_MAX, 1},
        {"offset UINT64_MAX, 0", UINT64_MAX, 0},
        {"offset UINT64_MAX - 3, 8 (wraps)", UINT64_MAX - 3, 8},
        {"offset INT64_MAX, 1", (uint64_t)INT64_MAX, 1},
        {"offset SIZE_MAX / 2", (uint64_t)HALF, 1},
        {"len SIZE_MAX", 0, SIZE_MAX},
        {"offset 1, len SIZE_MAX (wraps)", 1, SIZE_MAX},
        {"len SIZE_MAX / 2", 0, HALF},
        {"len SIZE_MAX / 2 + 1", 0, HALF + 1},
    };
    for (size_t r = 0; r < COUNT(RANGE_ROWS); r++) {
        ROW(RANGE_ROWS[r].what, "a good fd");
        BAD_OUT(out, bytes_from_fd(good, RANGE_ROWS[r].offset,
                                   RANGE_ROWS[r].len, &out),
                BYTES_ERR_RANGE);
    }
    CHECK(lseek(good, 0, SEEK_CUR) == 3);

    /* The caller's descriptors: all still open and unread. */
    ROW("after the bad fds", "-");
    for (int k = FD_DIR; k < N_FD_KINDS; k++)
        CHECK(fcntl(fd[k], F_GETFD) != -1);
    char c4[4];
    CHECK(read(pipe_fds[0], c4, 4) == 4 && memcmp(c4, "data", 4) == 0);
    for (int k = FD_DIR; k < N_FD_KINDS; k++)
        CHECK(close(fd[k]) == 0);
    CHECK(close(sock[1]) == 0 && close(good) == 0);
    CHECK(count_fds() == fds);
    CHECK(mappings_of(file_path, NULL) == 1); /* only F_MAPPED's */
}

/* ==== 8. bad paths ======================================================== */

static void bad_paths(void)
{
    bytes_t out;
    int fds = count_fds();
    char missing[96], not_dir[96];
    snprintf(missing, sizeof missing, "%s.missing", file_path);
    snprintf(not_dir, sizeof not_dir, "%s/x", file_path);
    snprintf(dangling, sizeof dangling, "%s.dangling", file_path);
    snprintf(loop, sizeof loop, "%s.loop", file_path);
    CHECK(symlink(missing, dangling) == 0);
    CHECK(symlink(loop, loop) == 0);
    static char long_name[NAME_MAX + 8], long_path[PATH_MAX + 16];
    strcpy(long_name, "/tmp/");
    memset(long_name + 5, 'n', NAME_MAX + 1);
    for (size_t i = 0; i + 2 < sizeof long_path; i += 2)
        memcpy(long_path + i, "/.", 2);
    long_path[sizeof long_path - 1] = '\0';

    const struct {
        const char *what;
        const char *path;
        int want_errno;
    } PATH_ROWS[] = {
        {"the empty path", "", ENOENT},
        {"a missing file", missing, ENOENT},
        {"a missing directory", "/nonexistent-libbytes/x", ENOENT},
        {"a file used as a directory", not_dir, ENOTDIR},
        {"a directory", "/tmp", EISDIR},
        {"the root directory", "/", EISDIR},
        {"/dev/null", "/dev/null", EINVAL},
        {"/dev/zero", "/dev/zero", EINVAL},
        {"a name over NAME_MAX", long_name, ENAMETOOLONG},
        {"a path over PATH_MAX", long_path, ENAMETOOLONG},
        {"a dangling symlink", dangling, ENOENT},
        {"a symlink loop", loop, ELOOP},
    };
    for (size_t r = 0; r < COUNT(PATH_ROWS); r++) {
        ROW(PATH_ROWS[r].what, "-");
        char *copy = strdup(PATH_ROWS[r].path);
        CHECK(copy != NULL);
        BAD_IO(out, bytes_from_file(PATH_ROWS[r].path, &out),
               PATH_ROWS[r].want_errno);
        CHECK(strcmp(copy, PATH_ROWS[r].path) == 0); /* the path unchanged */
        free(copy);
    }
    if (geteuid() != 0) {
        char unreadable[96];
        snprintf(unreadable, sizeof unreadable, "%s.unreadable", file_path);
        int fd = open(unreadable, O_CREAT | O_WRONLY, 0);
        CHECK(fd >= 0 && write(fd, "x", 1) == 1 && close(fd) == 0);
        ROW("an unreadable file", "-");
        BAD_IO(out, bytes_from_file(unreadable, &out), EACCES);
        CHECK(unlink(unreadable) == 0);
    }
    /* A unix socket's path: open(2) itself refuses it (ENXIO), before the
     * library can see that it is not a regular file; the header's "errno
     * set by the failing call" is that one. */
    snprintf(sock_path, sizeof sock_path, "%s.sock", file_path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    CHECK(s >= 0 && strlen(sock_path) < sizeof addr.sun_path);
    strcpy(addr.sun_path, sock_path);
    CHECK(bind(s, (struct sockaddr *)&addr, sizeof addr) == 0);
    ROW("a unix socket's path", "-");
    BAD_IO(out, bytes_from_file(sock_path, &out), ENXIO);
    CHECK(close(s) == 0 && unlink(sock_path) == 0);

    /* A FIFO is not a regular file: ERR_IO, EINVAL. With a writer
     * present open(2) returns at once ... */
    snprintf(fifo, sizeof fifo, "%s.fifo", file_path);
    CHECK(mkfifo(fifo, 0600) == 0);
    int writer = open(fifo, O_RDWR | O_NONBLOCK);
    CHECK(writer >= 0);
    ROW("a FIFO with a writer", "-");
    BAD_IO(out, bytes_from_file(fifo, &out), EINVAL);
    CHECK(close(writer) == 0);
    /* ... without one, a plain open(O_RDONLY) would wait for a writer
     * forever: the call must still return ERR_IO/EINVAL, not block. Run in
     * a child with a timeout, so that a hang fails the row instead of
     * hanging the test. */
    ROW("a FIFO without a writer", "-");
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(5);
        GARBAGE(out);
        errno = 0;
        bytes_status_t st = bytes_from_file(fifo, &out);
        int e = errno;
        _exit(st == BYTES_ERR_IO && e == EINVAL && is_zero_handle(&out) ? 0
              : st != BYTES_ERR_IO                                      ? 2
                                                                        : 3);
    }
    int ws;
    CHECK(waitpid(pid, &ws, 0) == pid);
    if (WIFSIGNALED(ws))
        fprintf(stderr, "LIBRARY BUG: bytes_from_file(<a FIFO without a "
                "writer>) blocked (the child was killed by signal %d after "
                "5 s) instead of returning BYTES_ERR_IO with EINVAL\n",
                WTERMSIG(ws));
    else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        fprintf(stderr, "bytes_from_file(<a FIFO without a writer>): %s\n",
                WEXITSTATUS(ws) == 2 ? "not BYTES_ERR_IO"
                                     : "errno not EINVAL, or *out not zero");
    CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    CHECK(unlink(fifo) == 0);

    /* An empty file is no error: an empty handle, no mapping. */
    ROW("an empty file", "-");
    SAME(GARBAGE(out); CHECK_OK(bytes_from_file(empty_path, &out));
         expect_empty(&out); bytes_drop(&out));
    CHECK(unlink(dangling) == 0 && unlink(loop) == 0);
    CHECK(count_fds() == fds);
}

/* ==== 9. the I/O functions ============================================== */

/* A scratch buffer of fixture shape k (for the calls allowed to grow the
 * capacity on error); *other holds the front half for M_BACK. */
static void scratch_mut(int k, bytes_mut_t *m, bytes_mut_t *other)
{
    *other = bytes_mut_new();
    switch (k) {
    case M_ZERO: *m = bytes_mut_new(); break;
    case M_EMPTY: CHECK_OK(bytes_mut_with_capacity(16, m)); break;
    case M_SPARE: *m = buf_of(32, ALPHA, ALPHA_LEN); break;
    case M_FULL: *m = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN); break;
    case M_ADVANCED:
        *m = buf_of(32, (const uint8_t *)"XYZabcdefgh", 11);
        CHECK_OK(bytes_mut_advance(m, 3));
        break;
    case M_FRONT:
    case M_BACK:
        *m = buf_of(16, (const uint8_t *)"XYZabcdefgh", 11);
        CHECK_OK(bytes_mut_split_to(m, 3, other));
        if (k == M_FRONT) {
            bytes_mut_t t = *m;
            *m = *other;
            *other = t;
        }
        break;
    }
}

/* Bytes waiting in a pipe or socket. */
static int pending(int fd)
{
    int n = -1;
    CHECK(ioctl(fd, FIONREAD, &n) == 0);
    return n;
}

enum io_fd {
    IO_MINUS_1, IO_INT_MIN, IO_CLOSED, IO_INT_MAX, IO_1M, IO_DIR,
    IO_PIPE_READ, IO_PIPE_WRITE, IO_READ_ONLY, IO_WRITE_ONLY, IO_O_PATH,
    IO_EMPTY_NONBLOCK, IO_FULL_NONBLOCK, IO_PEER_GONE, N_IO_FDS
};

/* The errno each bad descriptor gives for read_fd and for writev_fd;
 * 0: not a bad descriptor for that direction (skipped). */
static const struct {
    const char *what;
    int read_errno, write_errno;
} IO_ROWS[N_IO_FDS] = {
    [IO_MINUS_1] = {"fd -1", EBADF, EBADF},
    [IO_INT_MIN] = {"fd INT_MIN", EBADF, EBADF},
    [IO_CLOSED] = {"a closed fd", EBADF, EBADF},
    [IO_INT_MAX] = {"fd INT_MAX", EBADF, EBADF},
    [IO_1M] = {"fd 1 << 20", EBADF, EBADF},
    [IO_DIR] = {"a directory", EISDIR, EBADF},
    [IO_PIPE_READ] = {"a pipe's read end", 0, EBADF},
    [IO_PIPE_WRITE] = {"a pipe's write end", EBADF, 0},
    [IO_READ_ONLY] = {"a read-only file", 0, EBADF},
    [IO_WRITE_ONLY] = {"a write-only file", EBADF, 0},
    [IO_O_PATH] = {"an O_PATH fd", EBADF, EBADF},
    [IO_EMPTY_NONBLOCK] = {"an empty non-blocking pipe", EAGAIN, 0},
    [IO_FULL_NONBLOCK] = {"a full non-blocking pipe", 0, EAGAIN},
    [IO_PEER_GONE] = {"a socket whose peer is gone (SIGPIPE ignored)", 0,
                      EPIPE},
};

static void bad_io(void)
{
    /* As the header says servers do: EPIPE instead of SIGPIPE. */
    void (*old_sigpipe)(int) = signal(SIGPIPE, SIG_IGN);
    int fds = count_fds();
    size_t nread, written;

    /* A pipe with 5 bytes waiting: no failing call may read them. */
    int data[2];
    CHECK(pipe(data) == 0 && write(data[1], "hello", 5) == 5);

    ROW("bytes_mut_read_fd: NULL m / NULL nread", "-");
    nread = 99;
    BAD(bytes_mut_read_fd(NULL, data[0], 16, &nread), BYTES_ERR_NULL);
    CHECK(nread == 0);
    BAD(bytes_mut_read_fd(NULL, data[0], 16, NULL), BYTES_ERR_NULL);
    for (int i = 0; i < NM; i++) {
        bytes_mut_t *m = &M[i];
        size_t len = bytes_mut_len(m), cap = bytes_mut_capacity(m);
        ROW("bytes_mut_read_fd: NULL nread", M_NAME[i]);
        BAD(bytes_mut_read_fd(m, data[0], 16, NULL), BYTES_ERR_NULL);
        ROW("bytes_mut_read_fd: max 0", M_NAME[i]);
        nread = 99;
        BAD(bytes_mut_read_fd(m, data[0], 0, &nread), BYTES_ERR_INVALID);
        CHECK(nread == 0);
        for (size_t r = 0; r < COUNT(GROW_ROWS); r++) {
            int skip = 0;
            size_t max = eval(GROW_ROWS[r].n, len, cap, &skip);
            if (skip || (GROW_ROWS[r].n.rel == ABS && !unallocatable(max)))
                continue;
            ROW(GROW_ROWS[r].what, M_NAME[i]);
            nread = 99;
            BAD(bytes_mut_read_fd(m, data[0], max, &nread), BYTES_ERR_NOMEM);
            CHECK(nread == 0);
        }
        CHECK(pending(data[0]) == 5);
    }

    /* The bad descriptors. */
    int fd[N_IO_FDS];
    int p1[2], p2[2], p3[2], sock[2];
    CHECK(pipe(p1) == 0 && pipe(p2) == 0 && pipe(p3) == 0);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0);
    CHECK(close(sock[1]) == 0);
    fd[IO_MINUS_1] = -1;
    fd[IO_INT_MIN] = INT_MIN;
    fd[IO_INT_MAX] = INT_MAX;
    fd[IO_1M] = 1 << 20;
    fd[IO_DIR] = open("/tmp", O_RDONLY | O_DIRECTORY);
    fd[IO_PIPE_READ] = p1[0];
    fd[IO_PIPE_WRITE] = p1[1];
    fd[IO_READ_ONLY] = open(file_path, O_RDONLY);
    fd[IO_WRITE_ONLY] = open(file_path, O_WRONLY);
    fd[IO_O_PATH] = open(file_path, O_PATH);
    fd[IO_EMPTY_NONBLOCK] = p2[0];
    CHECK(fcntl(p2[0], F_SETFL, O_NONBLOCK) == 0);
    fd[IO_FULL_NONBLOCK] = p3[1];
    CHECK(fcntl(p3[1], F_SETFL, O_NONBLOCK) == 0);
    static const uint8_t fill[4096];
    while (write(p3[1], fill, sizeof fill) > 0)
        ;
    CHECK(errno == EAGAIN);
    fd[IO_PEER_GONE] = sock[0];
    for (int k = IO_DIR; k < N_IO_FDS; k++)
        CHECK(fd[k] >= 0);
    fd[IO_CLOSED] = dup(0); /* the lowest free number, closed */
    CHECK(fd[IO_CLOSED] >= 0 && close(fd[IO_CLOSED]) == 0);

    for (int k = 0; k < N_IO_FDS; k++) {
        /* read_fd: ERR_IO with errno, *nread 0, the written bytes as
         * they were ("its capacity may have grown": scratch buffers) */
        for (int s = 0; s < NM && IO_ROWS[k].read_errno; s++) {
            ROW(IO_ROWS[k].what, M_NAME[s]);
            bytes_mut_t m, other;
            scratch_mut(s, &m, &other);
            uint8_t *before = copy_of(bytes_mut_ptr(&m), bytes_mut_len(&m));
            size_t len = bytes_mut_len(&m);
            nread = 99;
            errno = 0;
            got = bytes_mut_read_fd(&m, fd[k], 16, &nread);
            got_errno = errno;
            CHECK_STATUS(got, BYTES_ERR_IO);
            if (got_errno != IO_ROWS[k].read_errno)
                fprintf(stderr, "errno %d (%s), expected %d\n", got_errno,
                        strerror(got_errno), IO_ROWS[k].read_errno);
            CHECK(got_errno == IO_ROWS[k].read_errno);
            CHECK(nread == 0);
            CHECK_MUT_BYTES(&m, before, len);
            free(before);
            bytes_mut_drop(&m);
            bytes_mut_drop(&other);
            check_fixtures();
        }
        /* writev_fd of every fixture: ERR_IO with errno, *written 0,
         * nothing consumed */
        if (IO_ROWS[k].write_errno) {
            ROW(IO_ROWS[k].what, "bytes_writev_fd of all fixtures");
            written = 99;
            BAD(bytes_writev_fd(fd[k], F, NF, &written), BYTES_ERR_IO);
            if (got_errno != IO_ROWS[k].write_errno)
                fprintf(stderr, "errno %d (%s), expected %d\n", got_errno,
                        strerror(got_errno), IO_ROWS[k].write_errno);
            CHECK(got_errno == IO_ROWS[k].write_errno);
            CHECK(written == 0);
            ROW(IO_ROWS[k].what, "bytes_writev_fd of one handle");
            written = 99;
            BAD(bytes_writev_fd(fd[k], &F[F_HEAP], 1, &written),
                BYTES_ERR_IO);
            CHECK(got_errno == IO_ROWS[k].write_errno && written == 0);
        }
    }

    ROW("bytes_writev_fd: NULL written / (NULL, n) bufs", "-");
    BAD(bytes_writev_fd(data[1], F, NF, NULL), BYTES_ERR_NULL);
    BAD(bytes_writev_fd(data[1], &F[F_HEAP], 1, NULL), BYTES_ERR_NULL);
    BAD(bytes_writev_fd(data[1], NULL, 0, NULL), BYTES_ERR_NULL);
    for (size_t k = 0; k < N_NULL_LENS; k++) {
        written = 99;
        BAD(bytes_writev_fd(data[1], NULL, NULL_LENS[k], &written),
            BYTES_ERR_NULL);
        CHECK(written == 0);
    }
    ROW("bytes_writev_fd: (NULL, 0) writes nothing", "-");
    written = 99;
    SAME(CHECK_OK(bytes_writev_fd(data[1], NULL, 0, &written)));
    CHECK(written == 0);
    CHECK(pending(data[0]) == 5); /* nothing was written either */

    ROW("bytes_fill_iovec: NULL bufs / NULL iov / nothing to fill", "-");
    struct iovec iov[4], iov_snap[4];
    memset(iov, 0xA5, sizeof iov);
    memcpy(iov_snap, iov, sizeof iov);
    static const size_t ns[] = {0, 1, NF, HALF, SIZE_MAX};
    for (size_t k = 0; k < COUNT(ns); k++) {
        SAME(CHECK(bytes_fill_iovec(NULL, ns[k], iov, 4) == 0));
        SAME(CHECK(bytes_fill_iovec(NULL, ns[k], NULL, ns[k]) == 0));
        SAME(CHECK(bytes_fill_iovec(F, ns[k] < NF ? ns[k] : NF, NULL,
                                    ns[k]) == 0));
        SAME(CHECK(bytes_fill_iovec(F, ns[k] < NF ? ns[k] : NF, iov, 0) ==
                   0));
        CHECK(memcmp(iov, iov_snap, sizeof iov) == 0); /* untouched */
    }
    SAME(CHECK(bytes_fill_iovec(F, 0, iov, 4) == 0));
    SAME(CHECK(bytes_fill_iovec(&F[F_ZERO], 1, iov, 4) == 0)); /* empty */
    CHECK(memcmp(iov, iov_snap, sizeof iov) == 0);

    /* The caller's descriptors: still open; the data still there. */
    ROW("after the I/O rows", "-");
    CHECK(pending(data[0]) == 5);
    for (int k = IO_DIR; k < N_IO_FDS; k++)
        CHECK(fcntl(fd[k], F_GETFD) != -1);
    for (int k = IO_DIR; k < N_IO_FDS; k++)
        if (k != IO_PIPE_WRITE && k != IO_EMPTY_NONBLOCK &&
            k != IO_FULL_NONBLOCK)
            CHECK(close(fd[k]) == 0);
    CHECK(close(p1[1]) == 0 && close(p2[0]) == 0 && close(p2[1]) == 0 &&
          close(p3[0]) == 0 && close(p3[1]) == 0 && close(data[0]) == 0 &&
          close(data[1]) == 0);
    CHECK(count_fds() == fds);
    signal(SIGPIPE, old_sigpipe);
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
    if (!alloc_count_start())
        return 1;
    atexit(remove_files);
    make_fixtures();
    fds_before = count_fds();
    if (geteuid() == 0)
        printf("test_bad_input: running as root: the unreadable-file row "
               "is skipped\n");

    atexit(say_row); /* runs after capture_stop's replay */
    in_rows = 1;
    capture_start(); /* the library prints nothing, whatever it is given */
    null_pointers_bytes();
    null_pointers_mut();
    null_length_pairs();
    ranges_bytes();
    batch_rows();
    ranges_mut();
    huge_constructors();
    bad_vtables();
    bad_fds();
    bad_paths();
    bad_io();
    bad_status_values();
    long printed = capture_end();
    in_rows = 0;
    if (printed != 0)
        fprintf(stderr, "the library printed %ld bytes on bad input (shown "
                "above)\n", printed);
    CHECK(printed == 0);

    check_fixtures();
    CHECK(count_fds() == fds_before);
    drop_fixtures();
    CHECK(mappings_of(file_path, NULL) == 0);
    CHECK_ADD_THREAD_CHECKS(); /* counting.h's callbacks */
    CHECK_DONE();
    return 0;
}
