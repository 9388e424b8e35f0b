/*
 * bad_input.h - the fixtures and checks shared by test_bad_input.c (the
 * handle functions) and test_bad_io.c (descriptors, paths and I/O): the
 * handles every row is tried on, and the macros that run a row and check
 * afterwards that nothing changed, leaked, was released or was printed.
 * Included by one file of each test program (its definitions are static).
 */
#ifndef LIBBYTES_BAD_INPUT_H
#define LIBBYTES_BAD_INPUT_H

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
static const char *test_name = "";
static int in_rows;
static void say_row(void)
{
    if (in_rows)
        fprintf(stderr, "%s: in row \"%s\" on fixture \"%s\"\n",
                test_name, row_what, row_fixture);
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

/* ---- the test program ----------------------------------------------------- */

/* The whole program: the fixtures made, every row function run with
 * stdout and stderr captured (the library prints nothing, whatever it is
 * given), then the fixtures checked unchanged, no descriptor or mapping
 * left, and everything released exactly once when they are dropped.
 * False when the allocation counter could not start. */
static int run_rows(const char *name, void (*const rows[])(void), size_t n)
{
    test_name = name;
    if (!alloc_count_start())
        return 0;
    atexit(remove_files);
    make_fixtures();
    fds_before = count_fds();

    atexit(say_row); /* runs after capture_stop's replay */
    in_rows = 1;
    capture_start();
    for (size_t i = 0; i < n; i++)
        rows[i]();
    in_rows = 0;
    CHECK_PRINTED_NOTHING("on bad input");

    check_fixtures();
    CHECK(count_fds() == fds_before);
    drop_fixtures();
    CHECK(mappings_of(file_path, NULL) == 0);
    CHECK_ADD_THREAD_CHECKS(); /* counting.h's callbacks */
    return 1;
}

#endif
