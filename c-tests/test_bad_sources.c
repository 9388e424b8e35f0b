/*
 * test_bad_sources.c - bad input where bytes come from and go to: every
 * constructor and I/O function of bytes.h given
 *
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
 * Each row runs on the fixtures of bad_input.h and is checked as
 * test_bad_input.c describes: the documented status (and errno), every
 * fixture unchanged, out-parameters zeroed, nothing leaked, released or
 * printed, no descriptor or mapping left behind.
 */
#include "bad_input.h"

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


int main(void)
{
    if (geteuid() == 0)
        printf("test_bad_sources: running as root: the unreadable-file row "
               "is skipped\n");
    static void (*const rows[])(void) = {
        huge_constructors,
        bad_vtables,
        bad_fds,
        bad_paths,
        bad_io,
    };
    if (!run_rows("test_bad_sources", rows, COUNT(rows)))
        return 1;
    CHECK_DONE();
    return 0;
}
