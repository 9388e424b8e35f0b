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
 *
 * The inputs and their setups are in alloc_failure_world.h, the calls and
 * the checks of their results in alloc_failure_calls.h; this file holds
 * the tables and the driver.
 */
#include "alloc_failure_calls.h"

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
    in_run = 0;
    CHECK_PRINTED_NOTHING("during the runs");

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
