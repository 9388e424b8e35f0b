/*
 * test_alloc_failure.c - allocation-failure injection.
 *
 * alloc_count.c's interposer fails the N-th allocation attempt (malloc,
 * calloc, realloc, posix_memalign, aligned_alloc, memalign, ...: each
 * call is one attempt) after alloc_fail_arm(N). Every function that can
 * allocate is run, on every path that allocates, with N = 1, 2, ...
 * until it succeeds without an injected failure. Each run starts from a
 * fresh set of inputs (setup), and:
 *
 *   - a run in which the injected failure happened must give
 *     BYTES_ERR_NOMEM (a function that survives the failure and still
 *     succeeds would be accepted, and checked as a success), and then:
 *       - every input handle is bit-for-bit what it was, and so are the
 *         bytes it views (SNAP-style copies of handles and contents);
 *       - every out-parameter is all zero (it was garbage before);
 *       - nothing leaked: live blocks (allocations minus frees) are back
 *         to their number before the call; a bytes_from_malloc block is
 *         not freed (watched) and still the caller's; a bytes_from_owner
 *         owner is not released; a vtable's callbacks did not run; a
 *         bytes_from_file / bytes_from_fd left nothing mapped and no
 *         descriptor open (and the caller's fd still open);
 *       - nothing was printed (the runs are captured, see capture.h);
 *   - the first run without an injected failure must succeed, with the
 *     right result (contents, consumed inputs, other handles untouched),
 *     and have made exactly N - 1 attempts;
 *   - after each run the inputs are dropped and every block, owner and
 *     vtable reference is back (live blocks as before the setup).
 *
 * The functions: bytes_copy_from, bytes_from_malloc, bytes_from_owner,
 * bytes_from_file, bytes_from_fd; bytes_into_mut and bytes_compact on
 * every storage kind that makes them copy; bytes_mut_with_capacity,
 * bytes_mut_zeroed; bytes_mut_reserve, bytes_mut_extend_from_slice (from
 * its own bytes too), bytes_mut_resize, every bytes_mut_put_*,
 * bytes_mut_put_bytes and bytes_mut_read_fd on every growing path (no
 * storage yet, realloc of a unique block at its front, copy out of a
 * shared or offset block); bytes_mut_unsplit's copying path.
 *
 * An allocation point is one (function, path, N) whose allocation failed
 * on purpose; the test prints how many it tested. A second table lists
 * calls documented to allocate nothing (clones, slices, splits,
 * bytes_slice_many, drops, freeze, reserve within the capacity or
 * reclaiming it, bytes_writev_fd, ...): with the first attempt armed to
 * fail they must succeed and make no attempt at all.
 *
 * If a call aborts or crashes while an allocation fails (say a Rust
 * allocation that aborts instead of reporting), a signal handler names
 * the call and N before the process dies.
 *
 * Checker builds (BYTES_TEST_NO_ALLOC_COUNT: ASan/UBSan, TSan, valgrind)
 * have no interposer: there every call runs once, unarmed, with its
 * success checks (the checker sees the leaks), and the injection is
 * skipped with a note.
 */
#include "capture.h"
#include "check_alloc.h"
#include "check_mut.h"
#include "counting.h"
#include "proc_self.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static const uint8_t ALPHA[] = "abcdefgh";
#define ALPHA_LEN (sizeof(ALPHA) - 1)
static const uint8_t XYZ[] = "XYZ";

/* A string literal and its length, for the tables. */
#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

#define NB 3 /* bytes_t inputs per run */
#define NM 3 /* bytes_mut_t inputs per run */
#define BIG_LEN (64 * 1024)
#define FILE_LEN 10000
#define OWNER_LEN 256
#define SLOT_LEN 64

static uint8_t big[BIG_LEN];
static char file_path[64];
static char empty_path[64];

static uint8_t pattern(size_t i) { return (uint8_t)(i * 131 + (i >> 9) + 7); }

/* ---- foreign resources --------------------------------------------------- */

/* A counting owner and a counting pool slot (counting.h, the slot's
 * vtable without is_unique); OWNER_LEN and SLOT_LEN bytes of their
 * buffers are used. */

/* ---- files (descriptors and mappings: proc_self.h) ----------------------- */

static void make_file(char path[64], size_t len)
{
    strcpy(path, "/tmp/libbytes-allocfail-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = pattern(i);
        CHECK(write(fd, &c, 1) == 1);
    }
    CHECK(close(fd) == 0);
}

static void remove_files(void)
{
    if (file_path[0])
        unlink(file_path);
    if (empty_path[0])
        unlink(empty_path);
}

/* ---- one run's world ----------------------------------------------------- */

struct world {
    bytes_t b[NB];     /* bytes_t inputs */
    bytes_mut_t m[NM]; /* bytes_mut_t inputs */
    bytes_t out;       /* a bytes_t out-parameter */
    bytes_mut_t mout;  /* a bytes_mut_t out-parameter */
    bytes_t many[2];   /* bytes_slice_many's out-parameters */
    /* bytes_from_malloc's block while the caller owns it (NULL once
     * adopted); `adopted` is the block whatever its owner (watched). */
    uint8_t *block, *adopted;
    size_t block_len;
    struct counting_owner owner;
    int owner_wrapped; /* release() is due once the handles drop */
    struct counting_slot slot;
    int slot_caller_refs; /* references the caller (not a handle) holds */
    int fd;               /* the caller's descriptor, or -1 */
    int pipe_rd, pipe_wr; /* a pipe with `pending` bytes waiting, or -1 */
    int pending;
    size_t nread; /* bytes_mut_read_fd's count (garbage before the call) */
    int fds;              /* open descriptors before the call */
};

static struct world W;

static bytes_t heap_of(const uint8_t *p, size_t n)
{
    bytes_t b;
    CHECK_OK(bytes_copy_from(p, n, &b));
    return b;
}

/* A buffer of capacity `cap` holding p[0..n). */
static bytes_mut_t buf_of(size_t cap, const uint8_t *p, size_t n)
{
    bytes_mut_t m;
    CHECK_OK(bytes_mut_with_capacity(cap, &m));
    CHECK_OK(bytes_mut_extend_from_slice(&m, p, n));
    return m;
}

/* ---- setups: the shapes of the inputs ------------------------------------ */

static void setup_none(struct world *w) { (void)w; }

static void setup_block(struct world *w)
{
    w->block_len = 100;
    w->block = malloc(w->block_len);
    CHECK(w->block != NULL);
    for (size_t i = 0; i < w->block_len; i++)
        w->block[i] = pattern(i);
    w->adopted = w->block;
    CHECK(alloc_watch(w->block));
}

static void setup_owner(struct world *w)
{
    for (size_t i = 0; i < OWNER_LEN; i++)
        w->owner.buf[i] = pattern(i);
}

/* A pipe with "hello" waiting, for bytes_mut_read_fd. */
static void setup_pipe(struct world *w)
{
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "hello", 5) == 5);
    w->pipe_rd = p[0];
    w->pipe_wr = p[1];
    w->pending = 5;
}

static int pending_in(int fd)
{
    int n = -1;
    CHECK(ioctl(fd, FIONREAD, &n) == 0);
    return n;
}

static void setup_fd(struct world *w)
{
    w->fd = open(file_path, O_RDONLY | O_CLOEXEC);
    CHECK(w->fd >= 0);
}

/* b[0]: a heap storage shared with its clone b[1]. */
static void setup_b_shared(struct world *w)
{
    w->b[0] = heap_of(ALPHA, ALPHA_LEN);
    w->b[1] = bytes_clone(&w->b[0]);
}

/* b[0]: "cdef" of a heap storage; b[1]: the whole of it. */
static void setup_b_slice_shared(struct world *w)
{
    w->b[1] = heap_of(ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_slice(&w->b[1], 2, 6, &w->b[0]));
}

/* b[0]: "cdef" of a heap storage it alone holds. */
static void setup_b_slice_unique(struct world *w)
{
    bytes_t whole = heap_of(ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_slice(&whole, 2, 6, &w->b[0]));
    bytes_drop(&whole);
    CHECK(bytes_is_unique(&w->b[0]));
}

/* b[0]: the only handle of a heap storage. */
static void setup_b_unique(struct world *w)
{
    w->b[0] = heap_of(ALPHA, ALPHA_LEN);
}

static void setup_b_static(struct world *w)
{
    w->b[0] = bytes_from_static(ALPHA, ALPHA_LEN);
}

/* b[0]: an adopted malloc block, its only handle. */
static void setup_b_malloc(struct world *w)
{
    setup_block(w);
    CHECK_OK(bytes_from_malloc(w->block, w->block_len, &w->b[0]));
    w->block = NULL;
}

/* b[0]: bytes 10..30 of an adopted malloc block, its only handle. */
static void setup_b_malloc_part(struct world *w)
{
    setup_b_malloc(w);
    CHECK_OK(bytes_slice(&w->b[0], 10, 30, &w->b[0]));
}

static void setup_b_owner(struct world *w)
{
    setup_owner(w);
    CHECK_OK(bytes_from_owner(w->owner.buf, OWNER_LEN, &w->owner,
                              counting_owner_release, &w->b[0]));
    w->owner_wrapped = 1;
}

static void setup_b_owner_part(struct world *w)
{
    setup_b_owner(w);
    CHECK_OK(bytes_slice(&w->b[0], 5, 25, &w->b[0]));
}

static void setup_b_vtable(struct world *w)
{
    counting_slot_take(&w->slot);
    for (size_t i = 0; i < SLOT_LEN; i++)
        w->slot.buf[i] = pattern(i);
    CHECK_OK(bytes_from_vtable(w->slot.buf, SLOT_LEN, &w->slot,
                               &COUNTING_SLOT_VTABLE_NO_UNIQUE, &w->b[0]));
    w->slot_caller_refs = 0; /* handed over */
}

static void setup_b_mapped(struct world *w)
{
    CHECK_OK(bytes_from_file(file_path, &w->b[0]));
}

static void setup_b_mapped_part(struct world *w)
{
    setup_b_mapped(w);
    CHECK_OK(bytes_slice(&w->b[0], 5000, 5100, &w->b[0]));
}

static void setup_pipe_b_shared(struct world *w)
{
    setup_pipe(w);
    setup_b_shared(w);
}

/* m[0]: no storage. */
static void setup_m_empty(struct world *w) { w->m[0] = bytes_mut_new(); }

/* m[0]: ALPHA filling its whole storage, alone, at its front: growing
 * reallocs. */
static void setup_m_full(struct world *w)
{
    w->m[0] = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN);
}

/* m[0]: "defgh", the full back half of a split; m[1]: "abc", the front
 * half, alive: growing m[0] copies out of the shared storage. */
static void setup_m_shared(struct world *w)
{
    w->m[0] = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_mut_split_to(&w->m[0], 3, &w->m[1]));
}

/* m[0]: "abc", the full front half of a split; m[1]: "defgh", the back
 * half, alive. */
static void setup_m_shared_front(struct world *w)
{
    w->m[1] = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_mut_split_to(&w->m[1], 3, &w->m[0]));
}

/* m[0]: "cdefgh", alone in its storage but advanced past 2 bytes that
 * cannot be reclaimed for a large reserve: growing copies. */
static void setup_m_advanced(struct world *w)
{
    setup_m_full(w);
    CHECK_OK(bytes_mut_advance(&w->m[0], 2));
}

/* m[0] full as setup_m_full; m[1]: "XYZ" in a storage of its own. */
static void setup_m_full_and_other(struct world *w)
{
    setup_m_full(w);
    w->m[1] = buf_of(8, XYZ, 3);
}

/* m[0]: ALPHA with 24 spare bytes. */
static void setup_m_spare(struct world *w)
{
    w->m[0] = buf_of(32, ALPHA, ALPHA_LEN);
}

/* m[0]: "gh" at offset 6 of a 16-byte storage it alone uses after its
 * front half was dropped: a reserve of 10 moves it to the front. */
static void setup_m_reclaimable(struct world *w)
{
    w->m[0] = buf_of(16, ALPHA, ALPHA_LEN);
    bytes_mut_t front;
    CHECK_OK(bytes_mut_split_to(&w->m[0], 6, &front));
    bytes_mut_drop(&front);
}

static void setup_pipe_m_empty(struct world *w)
{
    setup_pipe(w);
    setup_m_empty(w);
}
static void setup_pipe_m_full(struct world *w)
{
    setup_pipe(w);
    setup_m_full(w);
}
static void setup_pipe_m_shared(struct world *w)
{
    setup_pipe(w);
    setup_m_shared(w);
}
static void setup_pipe_m_spare(struct world *w)
{
    setup_pipe(w);
    setup_m_spare(w);
}

/* m[0], m[1]: the two halves of a split, in order. */
static void setup_m_halves(struct world *w)
{
    w->m[1] = buf_of(ALPHA_LEN, ALPHA, ALPHA_LEN);
    CHECK_OK(bytes_mut_split_to(&w->m[1], 3, &w->m[0]));
}

/* ---- calls --------------------------------------------------------------- */

/* bytes_t constructors */
static bytes_status_t c_copy_from(struct world *w)
{
    return bytes_copy_from(ALPHA, ALPHA_LEN, &w->out);
}
static bytes_status_t c_copy_from_big(struct world *w)
{
    return bytes_copy_from(big, BIG_LEN, &w->out);
}
static bytes_status_t c_from_malloc(struct world *w)
{
    return bytes_from_malloc(w->block, w->block_len, &w->out);
}
static bytes_status_t c_from_owner(struct world *w)
{
    return bytes_from_owner(w->owner.buf, OWNER_LEN, &w->owner,
                            counting_owner_release, &w->out);
}
static bytes_status_t c_from_file(struct world *w)
{
    return bytes_from_file(file_path, &w->out);
}
static bytes_status_t c_from_fd(struct world *w)
{
    return bytes_from_fd(w->fd, 123, 4000, &w->out);
}

/* conversions */
static bytes_status_t c_into_mut(struct world *w)
{
    return bytes_into_mut(&w->b[0], &w->mout);
}
static bytes_status_t c_compact(struct world *w)
{
    return bytes_compact(&w->b[0]);
}

/* bytes_mut_t */
static bytes_status_t c_with_capacity(struct world *w)
{
    return bytes_mut_with_capacity(100, &w->mout);
}
static bytes_status_t c_with_capacity_big(struct world *w)
{
    return bytes_mut_with_capacity(1 << 20, &w->mout);
}
static bytes_status_t c_zeroed(struct world *w)
{
    return bytes_mut_zeroed(100, &w->mout);
}
static bytes_status_t c_reserve(struct world *w)
{
    return bytes_mut_reserve(&w->m[0], 100);
}
static bytes_status_t c_extend(struct world *w)
{
    return bytes_mut_extend_from_slice(&w->m[0], XYZ, 3);
}
/* from its own written bytes: the source moves when the storage grows */
static bytes_status_t c_extend_own(struct world *w)
{
    return bytes_mut_extend_from_slice(&w->m[0], bytes_mut_ptr(&w->m[0]) + 1,
                                       bytes_mut_len(&w->m[0]) - 1);
}
static bytes_status_t c_resize(struct world *w)
{
    return bytes_mut_resize(&w->m[0], bytes_mut_len(&w->m[0]) + 12, 'x');
}
static bytes_status_t c_put_u8(struct world *w)
{
    return bytes_mut_put_u8(&w->m[0], 0x01);
}
static bytes_status_t c_put_u16_be(struct world *w)
{
    return bytes_mut_put_u16_be(&w->m[0], 0x0102);
}
static bytes_status_t c_put_u16_le(struct world *w)
{
    return bytes_mut_put_u16_le(&w->m[0], 0x0102);
}
static bytes_status_t c_put_u32_be(struct world *w)
{
    return bytes_mut_put_u32_be(&w->m[0], 0x01020304u);
}
static bytes_status_t c_put_u32_le(struct world *w)
{
    return bytes_mut_put_u32_le(&w->m[0], 0x01020304u);
}
static bytes_status_t c_put_u64_be(struct world *w)
{
    return bytes_mut_put_u64_be(&w->m[0], 0x0102030405060708ull);
}
static bytes_status_t c_put_u64_le(struct world *w)
{
    return bytes_mut_put_u64_le(&w->m[0], 0x0102030405060708ull);
}
static bytes_status_t c_put_bytes(struct world *w)
{
    return bytes_mut_put_bytes(&w->m[0], 'z', 3);
}
static bytes_status_t c_unsplit(struct world *w)
{
    return bytes_mut_unsplit(&w->m[0], &w->m[1]);
}
/* the halves the other way round: not neighbours, so a copy */
static bytes_status_t c_unsplit_reversed(struct world *w)
{
    return bytes_mut_unsplit(&w->m[1], &w->m[0]);
}

static bytes_status_t c_read_fd(struct world *w)
{
    return bytes_mut_read_fd(&w->m[0], w->pipe_rd, 100, &w->nread);
}
/* max within the spare capacity: no room to make */
static bytes_status_t c_read_fd_16(struct world *w)
{
    return bytes_mut_read_fd(&w->m[0], w->pipe_rd, 16, &w->nread);
}

/* calls documented to allocate nothing */
static bytes_status_t c_from_static(struct world *w)
{
    w->out = bytes_from_static(ALPHA, ALPHA_LEN);
    return BYTES_OK;
}
static bytes_status_t c_from_vtable(struct world *w)
{
    counting_slot_take(&w->slot);
    for (size_t i = 0; i < SLOT_LEN; i++)
        w->slot.buf[i] = pattern(i);
    w->slot_caller_refs = 1;
    bytes_status_t st = bytes_from_vtable(w->slot.buf, SLOT_LEN, &w->slot,
                                          &COUNTING_SLOT_VTABLE_NO_UNIQUE,
                                          &w->out);
    if (st == BYTES_OK)
        w->slot_caller_refs = 0;
    return st;
}
static bytes_status_t c_clone(struct world *w)
{
    w->out = bytes_clone(&w->b[0]);
    return BYTES_OK;
}
static bytes_status_t c_slice(struct world *w)
{
    return bytes_slice(&w->b[0], 1, 3, &w->out);
}
static bytes_status_t c_slice_ref(struct world *w)
{
    return bytes_slice_ref(&w->b[0], bytes_ptr(&w->b[0]) + 1, 2, &w->out);
}
static bytes_status_t c_split_to(struct world *w)
{
    return bytes_split_to(&w->b[0], 2, &w->out);
}
static bytes_status_t c_split_off(struct world *w)
{
    return bytes_split_off(&w->b[0], 2, &w->out);
}
static bytes_status_t c_drop_last(struct world *w)
{
    bytes_drop(&w->b[0]); /* frees, allocates nothing */
    return BYTES_OK;
}
static const bytes_range_t FIELDS[2] = {{0, 3}, {4, 8}};
static bytes_status_t c_slice_many(struct world *w)
{
    return bytes_slice_many(&w->b[0], FIELDS, 2, w->many);
}
static bytes_status_t c_drop_many(struct world *w)
{
    CHECK_OK(bytes_slice_many(&w->b[0], FIELDS, 2, w->many));
    bytes_drop_many(w->many, 2);
    bytes_drop(&w->b[0]); /* the last reference: frees */
    return BYTES_OK;
}
/* b[0] and b[1] written to a pipe with one writev(2), and consumed. */
static bytes_status_t c_writev(struct world *w)
{
    size_t written = 99;
    bytes_status_t st = bytes_writev_fd(w->pipe_wr, w->b, 2, &written);
    CHECK_EQ_SIZE(written, 2 * ALPHA_LEN);
    return st;
}
static bytes_status_t c_fill_iovec(struct world *w)
{
    struct iovec iov[4];
    CHECK_EQ_SIZE(bytes_fill_iovec(w->b, 2, iov, 4), 2);
    CHECK(iov[0].iov_base == (void *)bytes_ptr(&w->b[0]));
    CHECK_EQ_SIZE(iov[1].iov_len, bytes_len(&w->b[1]));
    return BYTES_OK;
}
static bytes_status_t c_try_into_mut(struct world *w)
{
    return bytes_try_into_mut(&w->b[0], &w->mout);
}
static bytes_status_t c_freeze(struct world *w)
{
    w->out = bytes_mut_freeze(&w->m[0]);
    return BYTES_OK;
}
static bytes_status_t c_mut_split_to(struct world *w)
{
    return bytes_mut_split_to(&w->m[0], 2, &w->mout);
}
static bytes_status_t c_mut_split_off(struct world *w)
{
    return bytes_mut_split_off(&w->m[0], 2, &w->mout);
}
static bytes_status_t c_mut_split(struct world *w)
{
    w->mout = bytes_mut_split(&w->m[0]);
    return BYTES_OK;
}
static bytes_status_t c_reserve_10(struct world *w)
{
    return bytes_mut_reserve(&w->m[0], 10);
}
static bytes_status_t c_commit(struct world *w)
{
    size_t n;
    uint8_t *p = bytes_mut_spare(&w->m[0], &n);
    CHECK(n >= 3);
    memcpy(p, XYZ, 3);
    return bytes_mut_commit(&w->m[0], 3);
}
static bytes_status_t c_from_empty_file(struct world *w)
{
    return bytes_from_file(empty_path, &w->out);
}

/* ---- the table ----------------------------------------------------------- */

enum out_kind { OUT_NONE, OUT_BYTES, OUT_MUT };

/* What a success leaves, checked on top of the scenario's `extra`. */
enum result {
    R_NONE,      /* only `extra` */
    R_OUT,       /* out holds want */
    R_MOUT,      /* mout holds want */
    R_MOUT_B0,   /* mout holds what b[0] viewed; b[0] consumed (zero) */
    R_B0_OWN,    /* b[0] views what it viewed, now from a storage of its own */
    R_M0_APPEND, /* m[0] holds its bytes from before, then want */
};

struct scenario {
    const char *name;
    void (*setup)(struct world *);
    bytes_status_t (*call)(struct world *);
    enum out_kind out;
    enum result result;
    const uint8_t *want;
    size_t want_len;
    /* more checks after a success (the snapshot of the inputs is at hand) */
    void (*extra)(struct world *);
    /* b[1] and m[1] change too (unsplit's other, writev's second
     * handle): `extra` checks them */
    int second_operand;
};

/* The inputs before the call. */
struct snapshot {
    bytes_t b[NB];
    bytes_mut_t m[NM];
    uint8_t *bc[NB], *mc[NM]; /* the bytes each one viewed */
    uint8_t *block;           /* the caller's malloc block's bytes */
    struct counting_owner owner;
    struct counting_slot slot;
};
static struct snapshot snap;

static uint8_t *copy_of(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    CHECK(c != NULL);
    memcpy(c, p, n);
    return c;
}

static void take_snapshot(struct world *w)
{
    memcpy(snap.b, w->b, sizeof snap.b);
    memcpy(snap.m, w->m, sizeof snap.m);
    for (int i = 0; i < NB; i++)
        snap.bc[i] = copy_of(bytes_ptr(&w->b[i]), bytes_len(&w->b[i]));
    for (int i = 0; i < NM; i++)
        snap.mc[i] = copy_of(bytes_mut_ptr(&w->m[i]), bytes_mut_len(&w->m[i]));
    snap.block = w->block ? copy_of(w->block, w->block_len) : NULL;
    snap.owner = w->owner;
    snap.slot = w->slot;
}

static void free_snapshot(void)
{
    for (int i = 0; i < NB; i++)
        free(snap.bc[i]);
    for (int i = 0; i < NM; i++)
        free(snap.mc[i]);
    free(snap.block);
    memset(&snap, 0, sizeof snap);
}

/* b[i] is bit for bit as in the snapshot, and views the same bytes. */
static void check_b_unchanged(struct world *w, int i)
{
    CHECK(memcmp(&w->b[i], &snap.b[i], sizeof(bytes_t)) == 0);
    CHECK(memcmp(bytes_ptr(&w->b[i]), snap.bc[i], bytes_len(&w->b[i])) == 0);
}

static void check_m_unchanged(struct world *w, int i)
{
    CHECK(memcmp(&w->m[i], &snap.m[i], sizeof(bytes_mut_t)) == 0);
    CHECK(memcmp(bytes_mut_ptr(&w->m[i]), snap.mc[i],
                 bytes_mut_len(&w->m[i])) == 0);
}

static size_t live(void) { return alloc_count_allocs() - alloc_count_frees(); }

/* Where we are, for a failed CHECK or a fatal signal. */
static const struct scenario *current;
static size_t current_n; /* 0: not armed */
static int in_run;

static void say_where(void)
{
    if (in_run && current != NULL && current_n != 0)
        fprintf(stderr, "test_alloc_failure: while running \"%s\" with "
                "allocation attempt %zu armed to fail\n", current->name,
                current_n);
    else if (in_run && current != NULL)
        fprintf(stderr, "test_alloc_failure: while running \"%s\" "
                "(unarmed)\n", current->name);
}

static void write_str(int fd, const char *s)
{
    ssize_t r = write(fd, s, strlen(s));
    (void)r;
}

/* A fatal signal during a run: name the call and N (async-signal-safe). */
static void on_fatal_signal(int sig)
{
    int fd = capture != NULL ? saved_fd[2] : 2;
    char num[24];
    char *p = num + sizeof num;
    *--p = '\0';
    size_t n = current_n;
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    write_str(fd, "test_alloc_failure: LIBRARY BUG: \"");
    write_str(fd, current ? current->name : "?");
    write_str(fd, "\" with allocation attempt ");
    write_str(fd, p);
    write_str(fd, " failing died of signal ");
    write_str(fd, sig == SIGABRT ? "SIGABRT (abort)"
                  : sig == SIGSEGV ? "SIGSEGV"
                  : sig == SIGBUS ? "SIGBUS"
                  : sig == SIGILL ? "SIGILL (a Rust abort?)"
                                  : "SIGFPE");
    write_str(fd, "\n");
    unlink(file_path); /* atexit does not run: remove the temp files */
    unlink(empty_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void world_reset(struct world *w)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->pipe_rd = w->pipe_wr = -1;
    w->nread = 0xA5A5A5A5;
}

/* Drop everything the run holds; every resource must be back. */
static void teardown(struct world *w)
{
    for (int i = 0; i < NB; i++)
        bytes_drop(&w->b[i]);
    for (int i = 0; i < NM; i++)
        bytes_mut_drop(&w->m[i]);
    bytes_drop(&w->out);
    bytes_mut_drop(&w->mout);
    bytes_drop_many(w->many, 2);
    if (w->adopted != NULL)
        alloc_unwatch(w->adopted);
    free(w->block); /* still the caller's: the call failed or was not made */
    if (w->fd >= 0)
        CHECK(close(w->fd) == 0);
    if (w->pipe_rd >= 0)
        CHECK(close(w->pipe_rd) == 0 && close(w->pipe_wr) == 0);
    CHECK_EQ_SIZE(w->owner.released, w->owner_wrapped);
    CHECK_EQ_SIZE(w->slot.refs, w->slot_caller_refs);
    CHECK(mappings_of(file_path, NULL) == 0);
}

static void check_success(const struct scenario *s, struct world *w)
{
    switch (s->result) {
    case R_NONE:
        break;
    case R_OUT:
        CHECK_BYTES(&w->out, s->want, s->want_len);
        break;
    case R_MOUT:
        CHECK_MUT_BYTES(&w->mout, s->want, s->want_len);
        break;
    case R_MOUT_B0:
        CHECK_MUT_BYTES(&w->mout, snap.bc[0], bytes_len(&snap.b[0]));
        CHECK_ZERO(&w->b[0]);
        break;
    case R_B0_OWN:
        CHECK_BYTES(&w->b[0], snap.bc[0], bytes_len(&snap.b[0]));
        CHECK(bytes_ptr(&w->b[0]) != bytes_ptr(&snap.b[0])); /* copied */
        CHECK(bytes_is_unique(&w->b[0]));
        break;
    case R_M0_APPEND: {
        size_t n0 = bytes_mut_len(&snap.m[0]);
        CHECK_EQ_SIZE(bytes_mut_len(&w->m[0]), n0 + s->want_len);
        CHECK(memcmp(bytes_mut_ptr(&w->m[0]), snap.mc[0], n0) == 0);
        CHECK(memcmp(bytes_mut_ptr(&w->m[0]) + n0, s->want, s->want_len) == 0);
        break;
    }
    }
    /* The other handles are untouched. */
    for (int i = 1; i < NB; i++)
        if (i != 1 || !s->second_operand)
            check_b_unchanged(w, i);
    for (int i = 1; i < NM; i++)
        if (i != 1 || !s->second_operand)
            check_m_unchanged(w, i);
    if (s->extra)
        s->extra(w);
}

/* The checks of a run whose injected failure made the call fail. */
static void check_failure(const struct scenario *s, struct world *w,
                          size_t live_before, bytes_status_t st)
{
    if (st != BYTES_ERR_NOMEM)
        fprintf(stderr, "\"%s\" with allocation %zu failing: got %d (%s), "
                "expected BYTES_ERR_NOMEM\n", s->name, current_n, (int)st,
                bytes_status_str(st));
    CHECK_STATUS(st, BYTES_ERR_NOMEM);
    for (int i = 0; i < NB; i++)
        check_b_unchanged(w, i);
    for (int i = 0; i < NM; i++)
        check_m_unchanged(w, i);
    if (s->out == OUT_BYTES)
        CHECK_ZERO(&w->out);
    if (s->out == OUT_MUT)
        CHECK_MUT_ZERO(&w->mout);
    /* Nothing leaked, nothing the caller owns was taken. */
    CHECK_EQ_SIZE(live(), live_before);
    if (w->block != NULL) {
        CHECK_FREED(w->block, 0);
        CHECK(memcmp(w->block, snap.block, w->block_len) == 0);
    }
    CHECK_EQ_SIZE(w->owner.released, snap.owner.released);
    CHECK(memcmp(w->owner.buf, snap.owner.buf, OWNER_LEN) == 0);
    CHECK_EQ_SIZE(w->slot.clones, snap.slot.clones);
    CHECK_EQ_SIZE(w->slot.drops, snap.slot.drops);
    CHECK_EQ_SIZE(w->slot.refs, snap.slot.refs);
    CHECK_EQ_SIZE(count_fds(), w->fds);
    if (w->fd >= 0)
        CHECK(fcntl(w->fd, F_GETFD) != -1); /* the caller's fd: still open */
    if (w->pipe_rd >= 0) { /* bytes_mut_read_fd: nothing read, count 0 */
        CHECK_EQ_SIZE(pending_in(w->pipe_rd), w->pending);
        CHECK_EQ_SIZE(w->nread, 0);
    }
}

/* ---- extra checks after a success ---------------------------------------- */

static int same_as_file(const bytes_t *h, size_t offset)
{
    for (size_t i = 0; i < bytes_len(h); i++)
        if (bytes_ptr(h)[i] != pattern(offset + i))
            return 0;
    return 1;
}

static void x_unique_out(struct world *w) { CHECK(bytes_is_unique(&w->out)); }

static void x_from_malloc(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->block); /* adopted, not copied */
    CHECK_EQ_SIZE(bytes_len(&w->out), w->block_len);
    CHECK(memcmp(bytes_ptr(&w->out), snap.block, w->block_len) == 0);
    w->block = NULL; /* the library's now */
}

static void x_from_owner(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->owner.buf);
    CHECK_EQ_SIZE(bytes_len(&w->out), OWNER_LEN);
    CHECK_EQ_SIZE(w->owner.released, 0);
    w->owner_wrapped = 1; /* released when out drops */
}

static void x_from_file(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->out), FILE_LEN);
    CHECK(same_as_file(&w->out, 0));
    CHECK(mappings_of(file_path, NULL) == 1);
    CHECK_EQ_SIZE(count_fds(), w->fds); /* the descriptor was closed */
}

static void x_from_fd(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->out), 4000);
    CHECK(same_as_file(&w->out, 123));
    CHECK(mappings_of(file_path, NULL) == 1);
    CHECK(fcntl(w->fd, F_GETFD) != -1);
}

/* into_mut / compact of foreign bytes: the old reference is gone. */
static void x_counting_owner_released(struct world *w)
{
    CHECK_EQ_SIZE(w->owner.released, 1);
}
static void x_slot_dropped(struct world *w)
{
    CHECK_EQ_SIZE(w->slot.drops, 1);
    CHECK_EQ_SIZE(w->slot.refs, 0);
}
static void x_unmapped(struct world *w)
{
    (void)w;
    CHECK(mappings_of(file_path, NULL) == 0);
}
static void x_block_freed(struct world *w)
{
    CHECK_FREED(w->adopted, 1);
}

static void x_capacity_100(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->mout), 100);
}
static void x_capacity_1m(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->mout), 1 << 20);
}

static void x_zeroed(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_len(&w->mout), 100);
    for (size_t i = 0; i < 100; i++)
        CHECK(bytes_mut_ptr(&w->mout)[i] == 0);
}

static void x_reserved(struct world *w)
{
    CHECK(bytes_mut_capacity(&w->m[0]) - bytes_mut_len(&w->m[0]) >= 100);
}

/* extend from own bytes: m[0] is its old bytes, then all but the first. */
static void x_extend_own(struct world *w)
{
    size_t n0 = bytes_mut_len(&snap.m[0]);
    CHECK_EQ_SIZE(bytes_mut_len(&w->m[0]), 2 * n0 - 1);
    CHECK(memcmp(bytes_mut_ptr(&w->m[0]), snap.mc[0], n0) == 0);
    CHECK(memcmp(bytes_mut_ptr(&w->m[0]) + n0, snap.mc[0] + 1, n0 - 1) == 0);
}

/* unsplit the other way round: m[1] gets m[0]'s bytes; m[0] consumed. */
static void x_m1_consumed(struct world *w) { CHECK_MUT_ZERO(&w->m[1]); }

static void x_unsplit_reversed(struct world *w)
{
    CHECK_MUT_ZERO(&w->m[0]);
    CHECK_MUT_BYTES(&w->m[1], "defghabc", 8);
}

/* ---- the non-allocating calls' checks ---- */
static void x_vtable_out(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->slot.buf);
    CHECK_EQ_SIZE(w->slot.clones, 0);
}
static void x_split_to(struct world *w)
{
    CHECK_BYTES(&w->out, "ab", 2);
    CHECK_BYTES(&w->b[0], "cdefgh", 6);
}
static void x_split_off(struct world *w)
{
    CHECK_BYTES(&w->out, "cdefgh", 6);
    CHECK_BYTES(&w->b[0], "ab", 2);
}
static void x_dropped(struct world *w) { CHECK_ZERO(&w->b[0]); }
static void x_read_fd(struct world *w)
{
    CHECK_EQ_SIZE(w->nread, 5);
    CHECK_EQ_SIZE(pending_in(w->pipe_rd), 0);
}
static void x_written(struct world *w)
{
    CHECK_EQ_SIZE(pending_in(w->pipe_rd), 5 + 2 * ALPHA_LEN);
    expect_empty(&w->b[0]);
    expect_empty(&w->b[1]);
}
static void x_slice_many(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->many[0]), 3);
    CHECK_EQ_SIZE(bytes_len(&w->many[1]), 4);
    CHECK(bytes_ptr(&w->many[0]) == bytes_ptr(&w->b[0])); /* no copy */
    CHECK(bytes_ptr(&w->many[1]) == bytes_ptr(&w->b[0]) + 4);
    CHECK(memcmp(bytes_ptr(&w->many[0]), snap.bc[0], 3) == 0);
    CHECK(memcmp(bytes_ptr(&w->many[1]), snap.bc[0] + 4, 4) == 0);
}
static void x_dropped_many(struct world *w)
{
    CHECK_ZERO(&w->many[0]);
    CHECK_ZERO(&w->many[1]);
    CHECK_ZERO(&w->b[0]);
}
static void x_try_into_mut(struct world *w)
{
    CHECK_ZERO(&w->b[0]);
    CHECK_MUT_BYTES(&w->mout, ALPHA, ALPHA_LEN);
    CHECK(bytes_mut_ptr(&w->mout) == bytes_ptr(&snap.b[0])); /* no copy */
}
static void x_compact_noop(struct world *w) { check_b_unchanged(w, 0); }
static void x_freeze(struct world *w)
{
    CHECK_MUT_ZERO(&w->m[0]);
    CHECK(bytes_ptr(&w->out) == bytes_mut_ptr(&snap.m[0]));
    CHECK_BYTES(&w->out, ALPHA, ALPHA_LEN);
}
static void x_mut_split_to(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, "ab", 2);
    CHECK_MUT_BYTES(&w->m[0], "cdefgh", 6);
}
static void x_mut_split_off(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, "cdefgh", 6);
    CHECK_MUT_BYTES(&w->m[0], "ab", 2);
}
static void x_mut_split(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, ALPHA, ALPHA_LEN);
    CHECK_EQ_SIZE(bytes_mut_len(&w->m[0]), 0);
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->m[0]), 24);
}
static void x_same_storage(struct world *w)
{
    /* reserve/extend inside the storage: the region did not move to a
     * new block (it may move to the front of its own) */
    uint8_t *p = bytes_mut_ptr(&w->m[0]);
    uint8_t *old = bytes_mut_ptr(&snap.m[0]);
    CHECK(p <= old && p + 16 >= old);
}
static void x_unsplit_adjacent(struct world *w)
{
    CHECK_MUT_BYTES(&w->m[0], ALPHA, ALPHA_LEN);
    CHECK_MUT_ZERO(&w->m[1]);
}
static void x_empty_out(struct world *w) { CHECK_ZERO(&w->out); }

/* Every call that can allocate, on every path that allocates. */
static const struct scenario ALLOCATING[] = {
    /* bytes_t constructors */
    {"bytes_copy_from (8 bytes)", setup_none, c_copy_from, OUT_BYTES, R_OUT,
     S("abcdefgh"), x_unique_out, 0},
    {"bytes_copy_from (64 KiB)", setup_none, c_copy_from_big, OUT_BYTES,
     R_OUT, big, BIG_LEN, x_unique_out, 0},
    {"bytes_from_malloc", setup_block, c_from_malloc, OUT_BYTES, R_NONE, NULL,
     0, x_from_malloc, 0},
    {"bytes_from_owner", setup_owner, c_from_owner, OUT_BYTES, R_NONE, NULL, 0,
     x_from_owner, 0},
    {"bytes_from_file", setup_none, c_from_file, OUT_BYTES, R_NONE, NULL, 0,
     x_from_file, 0},
    {"bytes_from_fd (offset 123, 4000 bytes)", setup_fd, c_from_fd, OUT_BYTES,
     R_NONE, NULL, 0, x_from_fd, 0},

    /* bytes_into_mut, the copying path */
    {"bytes_into_mut: heap storage shared with a clone", setup_b_shared,
     c_into_mut, OUT_MUT, R_MOUT_B0, NULL, 0, NULL, 0},
    {"bytes_into_mut: a slice of shared heap storage", setup_b_slice_shared,
     c_into_mut, OUT_MUT, R_MOUT_B0, NULL, 0, NULL, 0},
    {"bytes_into_mut: static", setup_b_static, c_into_mut, OUT_MUT, R_MOUT_B0,
     NULL, 0, NULL, 0},
    {"bytes_into_mut: adopted malloc block", setup_b_malloc, c_into_mut,
     OUT_MUT, R_MOUT_B0, NULL, 0, x_block_freed, 0},
    {"bytes_into_mut: owner", setup_b_owner, c_into_mut, OUT_MUT, R_MOUT_B0,
     NULL, 0, x_counting_owner_released, 0},
    {"bytes_into_mut: custom vtable", setup_b_vtable, c_into_mut, OUT_MUT,
     R_MOUT_B0, NULL, 0, x_slot_dropped, 0},
    {"bytes_into_mut: mapped file", setup_b_mapped, c_into_mut, OUT_MUT,
     R_MOUT_B0, NULL, 0, x_unmapped, 0},

    /* bytes_compact, the copying path */
    {"bytes_compact: a slice of shared heap storage", setup_b_slice_shared,
     c_compact, OUT_NONE, R_B0_OWN, NULL, 0, NULL, 0},
    {"bytes_compact: a slice alone in its heap storage", setup_b_slice_unique,
     c_compact, OUT_NONE, R_B0_OWN, NULL, 0, NULL, 0},
    {"bytes_compact: part of an adopted malloc block", setup_b_malloc_part,
     c_compact, OUT_NONE, R_B0_OWN, NULL, 0, x_block_freed, 0},
    {"bytes_compact: part of an owner's bytes", setup_b_owner_part, c_compact,
     OUT_NONE, R_B0_OWN, NULL, 0, x_counting_owner_released, 0},
    {"bytes_compact: custom vtable (size unknown)", setup_b_vtable, c_compact,
     OUT_NONE, R_B0_OWN, NULL, 0, x_slot_dropped, 0},
    {"bytes_compact: part of a mapped file", setup_b_mapped_part, c_compact,
     OUT_NONE, R_B0_OWN, NULL, 0, x_unmapped, 0},

    /* bytes_mut_t constructors */
    {"bytes_mut_with_capacity (100)", setup_none, c_with_capacity, OUT_MUT,
     R_MOUT, S(""), x_capacity_100, 0},
    {"bytes_mut_with_capacity (1 MiB)", setup_none, c_with_capacity_big,
     OUT_MUT, R_MOUT, S(""), x_capacity_1m, 0},
    {"bytes_mut_zeroed (100)", setup_none, c_zeroed, OUT_MUT, R_NONE, NULL, 0,
     x_zeroed, 0},

    /* bytes_mut_reserve, every path that allocates */
    {"bytes_mut_reserve: from no storage", setup_m_empty, c_reserve, OUT_NONE,
     R_M0_APPEND, S(""), x_reserved, 0},
    {"bytes_mut_reserve: realloc of a unique front block", setup_m_full,
     c_reserve, OUT_NONE, R_M0_APPEND, S(""), x_reserved, 0},
    {"bytes_mut_reserve: copy out of a shared block (back half)",
     setup_m_shared, c_reserve, OUT_NONE, R_M0_APPEND, S(""), x_reserved, 0},
    {"bytes_mut_reserve: copy out of a shared block (front half)",
     setup_m_shared_front, c_reserve, OUT_NONE, R_M0_APPEND, S(""),
     x_reserved, 0},
    {"bytes_mut_reserve: copy out of a unique block, not at its front",
     setup_m_advanced, c_reserve, OUT_NONE, R_M0_APPEND, S(""), x_reserved, 0},

    /* bytes_mut_extend_from_slice */
    {"bytes_mut_extend_from_slice: into no storage", setup_m_empty, c_extend,
     OUT_NONE, R_M0_APPEND, S("XYZ"), NULL, 0},
    {"bytes_mut_extend_from_slice: realloc of a unique front block",
     setup_m_full, c_extend, OUT_NONE, R_M0_APPEND, S("XYZ"), NULL, 0},
    {"bytes_mut_extend_from_slice: copy out of a shared block",
     setup_m_shared, c_extend, OUT_NONE, R_M0_APPEND, S("XYZ"), NULL, 0},
    {"bytes_mut_extend_from_slice: own bytes, realloc", setup_m_full,
     c_extend_own, OUT_NONE, R_NONE, NULL, 0, x_extend_own, 0},
    {"bytes_mut_extend_from_slice: own bytes, copy out of a shared block",
     setup_m_shared, c_extend_own, OUT_NONE, R_NONE, NULL, 0, x_extend_own, 0},
    {"bytes_mut_extend_from_slice: own bytes, copy out of a unique block",
     setup_m_advanced, c_extend_own, OUT_NONE, R_NONE, NULL, 0, x_extend_own,
     0},

    /* bytes_mut_resize */
    {"bytes_mut_resize: from no storage", setup_m_empty, c_resize, OUT_NONE,
     R_M0_APPEND, S("xxxxxxxxxxxx"), NULL, 0},
    {"bytes_mut_resize: realloc of a unique front block", setup_m_full,
     c_resize, OUT_NONE, R_M0_APPEND, S("xxxxxxxxxxxx"), NULL, 0},
    {"bytes_mut_resize: copy out of a shared block", setup_m_shared, c_resize,
     OUT_NONE, R_M0_APPEND, S("xxxxxxxxxxxx"), NULL, 0},

/* Each writer on each of the three growing shapes. */
#define PUT_SCENARIOS(fn, call, bytes)                                      \
    {#fn ": into no storage", setup_m_empty, call, OUT_NONE, R_M0_APPEND,   \
     S(bytes), NULL, 0},                                                    \
    {#fn ": realloc of a unique front block", setup_m_full, call, OUT_NONE, \
     R_M0_APPEND, S(bytes), NULL, 0},                                       \
    {#fn ": copy out of a shared block", setup_m_shared, call, OUT_NONE,    \
     R_M0_APPEND, S(bytes), NULL, 0}
    PUT_SCENARIOS(bytes_mut_put_u8, c_put_u8, "\x01"),
    PUT_SCENARIOS(bytes_mut_put_u16_be, c_put_u16_be, "\x01\x02"),
    PUT_SCENARIOS(bytes_mut_put_u16_le, c_put_u16_le, "\x02\x01"),
    PUT_SCENARIOS(bytes_mut_put_u32_be, c_put_u32_be, "\x01\x02\x03\x04"),
    PUT_SCENARIOS(bytes_mut_put_u32_le, c_put_u32_le, "\x04\x03\x02\x01"),
    PUT_SCENARIOS(bytes_mut_put_u64_be, c_put_u64_be,
                  "\x01\x02\x03\x04\x05\x06\x07\x08"),
    PUT_SCENARIOS(bytes_mut_put_u64_le, c_put_u64_le,
                  "\x08\x07\x06\x05\x04\x03\x02\x01"),
    PUT_SCENARIOS(bytes_mut_put_bytes, c_put_bytes, "zzz"),

    /* bytes_mut_read_fd: making room as bytes_mut_reserve does */
    {"bytes_mut_read_fd: into no storage", setup_pipe_m_empty, c_read_fd,
     OUT_NONE, R_M0_APPEND, S("hello"), x_read_fd, 0},
    {"bytes_mut_read_fd: realloc of a unique front block", setup_pipe_m_full,
     c_read_fd, OUT_NONE, R_M0_APPEND, S("hello"), x_read_fd, 0},
    {"bytes_mut_read_fd: copy out of a shared block", setup_pipe_m_shared,
     c_read_fd, OUT_NONE, R_M0_APPEND, S("hello"), x_read_fd, 0},

    /* bytes_mut_unsplit, the copying path */
    {"bytes_mut_unsplit: another storage, realloc", setup_m_full_and_other,
     c_unsplit, OUT_NONE, R_M0_APPEND, S("XYZ"), x_m1_consumed, 1},
    {"bytes_mut_unsplit: halves the wrong way round, copy out",
     setup_m_halves, c_unsplit_reversed, OUT_NONE, R_NONE, NULL, 0,
     x_unsplit_reversed, 1},
};

/* Calls documented to allocate nothing (the other table's shapes). */
static const struct scenario NON_ALLOCATING[] = {
    {"bytes_from_static", setup_none, c_from_static, OUT_BYTES, R_OUT,
     S("abcdefgh"), NULL, 0},
    {"bytes_from_vtable", setup_none, c_from_vtable, OUT_BYTES, R_NONE, NULL,
     0, x_vtable_out, 0},
    {"bytes_from_file (empty file)", setup_none, c_from_empty_file, OUT_BYTES,
     R_NONE, NULL, 0, x_empty_out, 0},
    {"bytes_clone (heap)", setup_b_shared, c_clone, OUT_BYTES, R_OUT,
     S("abcdefgh"), NULL, 0},
    {"bytes_clone (adopted malloc block)", setup_b_malloc_part, c_clone,
     OUT_BYTES, R_NONE, NULL, 0, NULL, 0},
    {"bytes_clone (owner)", setup_b_owner, c_clone, OUT_BYTES, R_NONE, NULL, 0,
     NULL, 0},
    {"bytes_clone (custom vtable)", setup_b_vtable, c_clone, OUT_BYTES, R_NONE,
     NULL, 0, NULL, 0},
    {"bytes_clone (mapped)", setup_b_mapped, c_clone, OUT_BYTES, R_NONE, NULL,
     0, NULL, 0},
    {"bytes_slice", setup_b_shared, c_slice, OUT_BYTES, R_OUT, S("bc"), NULL,
     0},
    {"bytes_slice_ref", setup_b_shared, c_slice_ref, OUT_BYTES, R_OUT, S("bc"),
     NULL, 0},
    {"bytes_split_to", setup_b_shared, c_split_to, OUT_BYTES, R_NONE, NULL, 0,
     x_split_to, 0},
    {"bytes_split_off", setup_b_shared, c_split_off, OUT_BYTES, R_NONE, NULL,
     0, x_split_off, 0},
    {"bytes_drop (the last handle)", setup_b_slice_unique, c_drop_last,
     OUT_NONE, R_NONE, NULL, 0, x_dropped, 0},
    {"bytes_slice_many (heap)", setup_b_unique, c_slice_many, OUT_NONE,
     R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_slice_many (adopted malloc block)", setup_b_malloc, c_slice_many,
     OUT_NONE, R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_slice_many (owner)", setup_b_owner, c_slice_many, OUT_NONE,
     R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_slice_many (custom vtable)", setup_b_vtable, c_slice_many,
     OUT_NONE, R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_slice_many (mapped)", setup_b_mapped, c_slice_many, OUT_NONE,
     R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_slice_many (static)", setup_b_static, c_slice_many, OUT_NONE,
     R_NONE, NULL, 0, x_slice_many, 0},
    {"bytes_drop_many + the last drop (heap)", setup_b_unique, c_drop_many,
     OUT_NONE, R_NONE, NULL, 0, x_dropped_many, 0},
    {"bytes_drop_many + the last drop (owner)", setup_b_owner, c_drop_many,
     OUT_NONE, R_NONE, NULL, 0, x_dropped_many, 0},
    {"bytes_try_into_mut (the only handle)", setup_b_unique, c_try_into_mut,
     OUT_MUT, R_NONE, NULL, 0, x_try_into_mut, 0},
    {"bytes_into_mut (the only handle: no copy)", setup_b_unique, c_into_mut,
     OUT_MUT, R_NONE, NULL, 0, x_try_into_mut, 0},
    {"bytes_compact (the whole storage)", setup_b_owner, c_compact, OUT_NONE,
     R_NONE, NULL, 0, x_compact_noop, 0},
    {"bytes_compact (static)", setup_b_static, c_compact, OUT_NONE, R_NONE,
     NULL, 0, x_compact_noop, 0},
    {"bytes_mut_freeze", setup_m_spare, c_freeze, OUT_BYTES, R_NONE, NULL, 0,
     x_freeze, 0},
    {"bytes_mut_split_to", setup_m_spare, c_mut_split_to, OUT_MUT, R_NONE,
     NULL, 0, x_mut_split_to, 0},
    {"bytes_mut_split_off", setup_m_full, c_mut_split_off, OUT_MUT, R_NONE,
     NULL, 0, x_mut_split_off, 0},
    {"bytes_mut_split", setup_m_spare, c_mut_split, OUT_MUT, R_NONE, NULL, 0,
     x_mut_split, 0},
    {"bytes_mut_reserve (within the spare capacity)", setup_m_spare,
     c_reserve_10, OUT_NONE, R_M0_APPEND, S(""), x_same_storage, 0},
    {"bytes_mut_reserve (reclaiming its own storage)", setup_m_reclaimable,
     c_reserve_10, OUT_NONE, R_M0_APPEND, S(""), x_same_storage, 0},
    {"bytes_mut_extend_from_slice (within the spare capacity)", setup_m_spare,
     c_extend, OUT_NONE, R_M0_APPEND, S("XYZ"), x_same_storage, 0},
    {"bytes_mut_extend_from_slice (own bytes, within the spare capacity)",
     setup_m_spare, c_extend_own, OUT_NONE, R_NONE, NULL, 0, x_extend_own, 0},
    {"bytes_mut_spare + bytes_mut_commit", setup_m_spare, c_commit, OUT_NONE,
     R_M0_APPEND, S("XYZ"), NULL, 0},
    {"bytes_mut_read_fd (within the spare capacity)", setup_pipe_m_spare,
     c_read_fd_16, OUT_NONE, R_M0_APPEND, S("hello"), x_read_fd, 0},
    {"bytes_writev_fd (shared heap, into a pipe)", setup_pipe_b_shared,
     c_writev, OUT_NONE, R_NONE, NULL, 0, x_written, 1},
    {"bytes_fill_iovec", setup_b_shared, c_fill_iovec, OUT_NONE, R_NONE,
     NULL, 0, NULL, 0},
    {"bytes_mut_unsplit (neighbours)", setup_m_halves, c_unsplit, OUT_NONE,
     R_NONE, NULL, 0, x_unsplit_adjacent, 1},
};

#define N_ALLOCATING (sizeof ALLOCATING / sizeof ALLOCATING[0])
#define N_NON_ALLOCATING (sizeof NON_ALLOCATING / sizeof NON_ALLOCATING[0])

/* ---- the driver ---------------------------------------------------------- */

static size_t points;      /* (function, path, N) whose allocation failed */
static size_t paths;       /* scenarios that allocate */
static size_t survivors;   /* injected failures a call survived */
static size_t max_attempts;

/* One run: fresh inputs, the call with attempt `n` failing (0: none),
 * the checks. Returns whether the armed failure happened. */
static int run_once(const struct scenario *s, size_t n, size_t *attempts)
{
    size_t base = live();
    world_reset(&W);
    s->setup(&W);
    take_snapshot(&W);
    if (s->out == OUT_BYTES)
        GARBAGE(W.out);
    if (s->out == OUT_MUT)
        GARBAGE_MUT(W.mout);
    W.fds = count_fds();
    size_t before = live();

    current_n = n;
    alloc_fail_arm(n);
    bytes_status_t st = s->call(&W);
    alloc_fail_disarm();
    int fired = alloc_fail_fired();
    *attempts = alloc_fail_attempts();

    if (fired && st != BYTES_OK) {
        check_failure(s, &W, before, st);
    } else {
        if (st != BYTES_OK)
            fprintf(stderr, "\"%s\" (attempt %zu armed, %s): got %d (%s)\n",
                    s->name, n, fired ? "failed" : "not reached", (int)st,
                    bytes_status_str(st));
        CHECK_OK(st);
        check_success(s, &W);
        if (fired)
            survivors++;
    }
    free_snapshot();
    teardown(&W);
    CHECK_EQ_SIZE(live(), base);
    return fired;
}

static void run_allocating(const struct scenario *s)
{
    current = s;
    size_t attempts = 0;
    if (!alloc_count_available()) { /* checker build: the success only */
        run_once(s, 0, &attempts);
        return;
    }
    size_t n = 1;
    while (run_once(s, n, &attempts)) {
        points++;
        n++;
        CHECK(n < 100);
    }
    /* The run that succeeded made n - 1 attempts, each of which was
     * failed on purpose in an earlier run. */
    CHECK_EQ_SIZE(attempts, n - 1);
    if (n == 1)
        fprintf(stderr, "\"%s\" allocated nothing: not an allocating path\n",
                s->name);
    CHECK(n > 1);
    if (n - 1 > max_attempts)
        max_attempts = n - 1;
    paths++;
}

static void run_non_allocating(const struct scenario *s)
{
    current = s;
    size_t attempts = 0;
    int fired = run_once(s, 1, &attempts);
    if (alloc_count_available() && attempts != 0)
        fprintf(stderr, "\"%s\" made %zu allocation attempts, documented as "
                "none\n", s->name, attempts);
    CHECK(!fired);
    CHECK_EQ_SIZE(attempts, 0);
}

/* The first calls into the library may allocate for the Rust runtime's
 * lazily initialised state: every scenario runs once, unarmed, first. */
static void warm_up(void)
{
    size_t attempts;
    for (size_t i = 0; i < N_ALLOCATING; i++) {
        current = &ALLOCATING[i];
        run_once(&ALLOCATING[i], 0, &attempts);
    }
    current = NULL;
}

int main(void)
{
    if (!alloc_count_start())
        return 1;
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = pattern(i);
    atexit(remove_files);
    make_file(file_path, FILE_LEN);
    make_file(empty_path, 0);

    static const int fatal[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        signal(fatal[i], on_fatal_signal);
    atexit(say_where); /* after capture_stop's replay (atexit is LIFO) */

    in_run = 1;
    warm_up();
    capture_start(); /* rule 4: the failing calls print nothing */
    for (size_t i = 0; i < N_ALLOCATING; i++)
        run_allocating(&ALLOCATING[i]);
    for (size_t i = 0; i < N_NON_ALLOCATING; i++)
        run_non_allocating(&NON_ALLOCATING[i]);
    long printed = capture_end();
    in_run = 0;
    if (printed != 0)
        fprintf(stderr, "%ld bytes were printed during the runs (shown "
                "above)\n", printed);
    CHECK(printed == 0);

    if (alloc_count_available()) {
        printf("test_alloc_failure: %zu allocation points failure-tested "
               "(function x path x N) in %zu allocating call paths, at most "
               "%zu allocation attempt(s) per call; %zu injected failures "
               "survived; %zu calls documented not to allocate made no "
               "attempt\n",
               points, paths, max_attempts, survivors,
               (size_t)N_NON_ALLOCATING);
    } else {
        printf("test_alloc_failure: allocation-failure injection skipped "
               "(BYTES_TEST_NO_ALLOC_COUNT: no interposer under a checker); "
               "each call ran once, unarmed\n");
    }
    CHECK_ADD_THREAD_CHECKS(); /* counting.h's callbacks */
    CHECK_DONE();
    return 0;
}
