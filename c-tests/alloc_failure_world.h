/*
 * alloc_failure_world.h - the inputs of test_alloc_failure.c: one run's
 * world (the bytes_t and bytes_mut_t inputs, out-parameters, a malloc
 * block, a counting owner and slot, a file, a descriptor, a pipe), the
 * setups that give it each shape, and the snapshot that a failed call is
 * compared with. Included by test_alloc_failure.c alone, through
 * alloc_failure_calls.h (its definitions are static).
 */
#ifndef LIBBYTES_ALLOC_FAILURE_WORLD_H
#define LIBBYTES_ALLOC_FAILURE_WORLD_H

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

/* ---- the snapshot -------------------------------------------------------- */

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

#endif
