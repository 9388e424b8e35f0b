/*
 * test_file.c - bytes_from_file and bytes_from_fd: files mapped read-only.
 *
 *   - the whole file, or any range of an open fd at any offset (page
 *     aligned or not), has the file's bytes; one allocation (the shared
 *     header) for a non-empty mapping, none for an empty one;
 *   - the mapping outlives unlink(path) and close(fd), and goes away
 *     (/proc/self/maps) when the last handle drops;
 *   - errors: ERR_IO with errno (ENOENT, EISDIR, EINVAL for a non-regular
 *     file, EBADF, EACCES for a write-only fd and, when not root, for an
 *     unreadable file), ERR_RANGE, ERR_NULL; *out all
 *     zero; no descriptor leaked (/proc/self/fd), nothing left mapped;
 *   - a 1 GiB sparse file maps without being read: the resident set does
 *     not grow by anything near its size;
 *   - sizes and offsets are 64-bit on every target: in a sparse file of
 *     4 GiB and more, ranges beyond 2 and 4 GiB map and read right on
 *     32-bit targets too; the whole file maps on 64-bit targets and is
 *     ERR_NOMEM on 32-bit ones (larger than SIZE_MAX), and a 3 GiB file
 *     maps there or is ERR_NOMEM (no room in the address space);
 *   - bytes_try_into_mut refuses mapped bytes (input unchanged),
 *     bytes_into_mut copies and then drops the mapping's reference,
 *     bytes_compact copies a 20-byte part and is a no-op on the whole.
 *
 * Temporary files are made with mkstemp under /tmp and removed.
 */
/* off_t is 64-bit on 32-bit targets too, for the files of 4 GiB and more. */
#define _FILE_OFFSET_BITS 64

#include "check_alloc.h"
#include "check_mut.h"
#include "proc_self.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

/* A failing call: the status, errno, and *out all zero. */
#define CHECK_IO_ERROR(call, out, want_errno)                               \
    do {                                                                    \
        GARBAGE(out);                                                       \
        errno = 0;                                                          \
        CHECK_STATUS((call), BYTES_ERR_IO);                                 \
        int e_ = errno;                                                     \
        if (e_ != (want_errno))                                             \
            fprintf(stderr, "errno %d (%s), expected %d (%s)\n", e_,        \
                    strerror(e_), (want_errno), strerror(want_errno));      \
        CHECK(e_ == (want_errno));                                          \
        CHECK_ZERO(&(out));                                                 \
    } while (0)
#define CHECK_FAILS(call, out, want)                                        \
    do {                                                                    \
        GARBAGE(out);                                                       \
        CHECK_STATUS((call), (want));                                       \
        CHECK_ZERO(&(out));                                                 \
    } while (0)

/* ---- helpers: temp files, /proc ----------------------------------------- */

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 131 + (i >> 9)); }

static long page_size(void) { return sysconf(_SC_PAGESIZE); }

/* Every temp file made, removed at exit even when a check fails (CHECK
 * calls exit, which runs atexit handlers). */
#define MAX_TEMPS 32
static char temps[MAX_TEMPS][64];
static int ntemps;
static void remove_temps(void)
{
    for (int i = 0; i < ntemps; i++)
        unlink(temps[i]); /* most are gone already: ENOENT is fine */
}

/* Make a temp file of `len` pattern bytes; its path goes to path[64].
 * Returns an fd open for reading and writing. */
static int make_file(size_t len, char path[64])
{
    strcpy(path, "/tmp/libbytes-test-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(ntemps < MAX_TEMPS);
    strcpy(temps[ntemps++], path);
    static uint8_t chunk[8192];
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = pattern(done + i);
        CHECK(write(fd, chunk, n) == (ssize_t)n);
        done += n;
    }
    return fd;
}

/* Resident size of this process, in bytes: VmRSS of /proc/self/status,
 * which the kernel gives in kB. (/proc/self/statm counts the kernel's
 * pages, which need not be sysconf(_SC_PAGESIZE) bytes: under qemu-user
 * with 64 KiB guest pages the host's are 4 KiB.) */
static uint64_t resident_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    CHECK(f != NULL);
    char line[256];
    unsigned long long kb = 0;
    int found = 0;
    while (!found && fgets(line, sizeof line, f) != NULL)
        found = sscanf(line, "VmRSS: %llu kB", &kb) == 1;
    fclose(f);
    CHECK(found);
    return (uint64_t)kb << 10;
}

/* Bytes of address space mapped from `path`, summed over its lines in
 * /proc/self/maps. (Not VmSize: qemu-user reserves a 32-bit guest's whole
 * address space up front, and shows the guest's own mappings in maps.) */
static uint64_t mapped_bytes_of(const char *path)
{
    FILE *f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL);
    char line[1024];
    uint64_t total = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long lo, hi;
        if (strstr(line, path) != NULL && sscanf(line, "%llx-%llx", &lo, &hi) == 2)
            total += hi - lo;
    }
    fclose(f);
    return total;
}

/* Every byte of h equals the file's bytes from `offset`. */
static int same_as_file(const bytes_t *h, uint64_t offset)
{
    for (size_t i = 0; i < bytes_len(h); i++)
        if (bytes_ptr(h)[i] != pattern(offset + i))
            return 0;
    return 1;
}

static void warm_up(void)
{
    char path[64];
    int fd = make_file(100, path);
    bytes_t b, c;
    CHECK_OK(bytes_from_file(path, &b));
    CHECK_OK(bytes_from_fd(fd, 3, 10, &c));
    CHECK_OK(bytes_compact(&c));
    bytes_drop(&c);
    c = bytes_clone(&b);
    CHECK_OK(bytes_slice(&c, 1, 4, &c));
    bytes_drop(&c);
    bytes_mut_t m;
    CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
    CHECK_OK(bytes_into_mut(&b, &m));
    bytes_mut_drop(&m);
    CHECK_STATUS(bytes_from_file("/nonexistent/x", &b), BYTES_ERR_IO);
    CHECK_STATUS(bytes_from_fd(-1, 0, 1, &b), BYTES_ERR_IO);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

/* ---- bytes_from_file ----------------------------------------------------- */

static void test_file_whole(void)
{
    const size_t len = 3 * 4096 + 1234;
    char path[64];
    int fd = make_file(len, path);
    CHECK(close(fd) == 0);

    struct counts s = now();
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_file(path, &b));
    CHECK_DELTA(s, 1, 0); /* the shared header, nothing else */
    void *hdr = alloc_count_last();
    CHECK(alloc_watch(hdr));
    CHECK_EQ_SIZE(bytes_len(&b), len);
    CHECK(same_as_file(&b, 0));
    char perms[5];
    CHECK(mappings_of(path, perms) == 1);
    CHECK(strcmp(perms, "r--p") == 0 || strcmp(perms, "r--s") == 0);

    /* Sharing allocates nothing. */
    s = now();
    bytes_t c = bytes_clone(&b), sl, tail;
    CHECK_OK(bytes_slice(&b, 4000, 4200, &sl));
    CHECK(bytes_ptr(&sl) == bytes_ptr(&b) + 4000);
    CHECK(same_as_file(&sl, 4000));
    CHECK_OK(bytes_split_off(&c, 5000, &tail));
    CHECK_DELTA(s, 0, 0);
    CHECK(!bytes_is_unique(&b));

    /* The mapping outlives the file's name. */
    CHECK(unlink(path) == 0);
    CHECK(same_as_file(&b, 0));
    CHECK(same_as_file(&tail, 5000));

    bytes_drop(&b);
    bytes_drop(&c);
    bytes_drop(&sl);
    CHECK(mappings_of(path, NULL) == 1); /* tail still maps it */
    CHECK_FREED(hdr, 0);
    CHECK(same_as_file(&tail, 5000));
    bytes_drop(&tail);
    CHECK_FREED(hdr, 1);
    CHECK(mappings_of(path, NULL) == 0); /* unmapped with the last handle */
    alloc_unwatch(hdr);
}

static void test_file_empty(void)
{
    char path[64];
    int fd = make_file(0, path);
    CHECK(close(fd) == 0);
    int fds = count_fds();
    struct counts s = now();
    bytes_t b;
    GARBAGE(b);
    CHECK_OK(bytes_from_file(path, &b));
    CHECK_DELTA(s, 0, 0);
    expect_empty(&b);
    bytes_drop(&b);
    CHECK_DELTA(s, 0, 0);
    CHECK(mappings_of(path, NULL) == 0);
    CHECK(count_fds() == fds);
    CHECK(unlink(path) == 0);
}

static void test_file_errors(void)
{
    char path[64];
    int fd = make_file(64, path);
    CHECK(close(fd) == 0);
    char missing[80];
    snprintf(missing, sizeof missing, "%s.missing", path);
    bytes_t out;

    int fds = count_fds();
    struct counts s = now();
    for (int round = 0; round < 50; round++) {
        CHECK_IO_ERROR(bytes_from_file(missing, &out), out, ENOENT);
        CHECK_IO_ERROR(bytes_from_file("/tmp", &out), out, EISDIR);
        CHECK_IO_ERROR(bytes_from_file("/", &out), out, EISDIR);
        /* Not a regular file. (A FIFO would block in open() without a
         * writer; a character device shows the same path.) */
        CHECK_IO_ERROR(bytes_from_file("/dev/null", &out), out, EINVAL);
        CHECK_IO_ERROR(bytes_from_file("/dev/zero", &out), out, EINVAL);
        CHECK_IO_ERROR(bytes_from_file("", &out), out, ENOENT);
        CHECK_FAILS(bytes_from_file(NULL, &out), out, BYTES_ERR_NULL);
        CHECK_STATUS(bytes_from_file(path, NULL), BYTES_ERR_NULL);
        CHECK_STATUS(bytes_from_file(NULL, NULL), BYTES_ERR_NULL);
        /* and a success in between */
        CHECK_OK(bytes_from_file(path, &out));
        CHECK(same_as_file(&out, 0) && bytes_len(&out) == 64);
        bytes_drop(&out);
    }
    struct counts t = now();
    if (alloc_count_available()) {
        CHECK_EQ_SIZE(t.allocs - s.allocs, 50); /* the successes' headers */
        CHECK_EQ_SIZE(t.frees - s.frees, 50);
    }
    CHECK(count_fds() == fds);           /* no descriptor leaked */
    CHECK(mappings_of(path, NULL) == 0); /* nothing left mapped */

    /* Permission denied: root reads anything, so only when not root. */
    if (geteuid() == 0) {
        printf("test_file: running as root: EACCES check skipped\n");
    } else {
        CHECK(chmod(path, 0) == 0);
        CHECK_IO_ERROR(bytes_from_file(path, &out), out, EACCES);
        CHECK(count_fds() == fds);
    }
    CHECK(unlink(path) == 0);
}

/* ---- bytes_from_fd ------------------------------------------------------- */

static void test_fd_ranges(void)
{
    const long pg = page_size();
    const size_t len = (size_t)(5 * pg + 321);
    char path[64];
    int fd = make_file(len, path);

    const struct {
        uint64_t offset;
        size_t len;
    } ranges[] = {
        {0, len},
        {0, 1},
        {1, (size_t)pg - 1},
        {1, (size_t)pg},
        {(uint64_t)pg - 1, 2},
        {(uint64_t)pg, (size_t)pg},
        {(uint64_t)pg + 1, 100},
        {(uint64_t)2 * pg + 7, (size_t)2 * pg},
        {4095, 1},
        {4096, 1},
        {4097, 4095},
        {len - 1, 1},
        {len - 500, 500},
        {(uint64_t)pg + 1, len - pg - 1},
    };
    enum { NR = sizeof ranges / sizeof ranges[0] };
    bytes_t h[NR];
    for (size_t i = 0; i < NR; i++) {
        struct counts s = now();
        GARBAGE(h[i]);
        CHECK_OK(bytes_from_fd(fd, ranges[i].offset, ranges[i].len, &h[i]));
        CHECK_DELTA(s, 1, 0); /* the shared header */
        CHECK_EQ_SIZE(bytes_len(&h[i]), ranges[i].len);
        CHECK(same_as_file(&h[i], ranges[i].offset));
    }
    CHECK(mappings_of(path, NULL) >= 1); /* adjacent ones may merge */

    /* Empty ranges, anywhere up to the end: empty, no allocation. */
    struct counts s = now();
    bytes_t e;
    GARBAGE(e);
    CHECK_OK(bytes_from_fd(fd, 0, 0, &e));
    expect_empty(&e);
    CHECK_OK(bytes_from_fd(fd, 4097, 0, &e));
    expect_empty(&e);
    CHECK_OK(bytes_from_fd(fd, len, 0, &e));
    expect_empty(&e);
    CHECK_DELTA(s, 0, 0);

    /* Close the descriptor (and the name): the bytes stay readable. */
    CHECK(close(fd) == 0);
    CHECK(unlink(path) == 0);
    for (size_t i = 0; i < NR; i++)
        CHECK(same_as_file(&h[i], ranges[i].offset));
    bytes_t sl;
    CHECK_OK(bytes_slice(&h[0], 5000, 5010, &sl));
    CHECK(same_as_file(&sl, 5000));
    for (size_t i = 0; i < NR; i++)
        bytes_drop(&h[i]);
    CHECK(mappings_of(path, NULL) >= 1); /* sl keeps h[0]'s */
    CHECK(same_as_file(&sl, 5000));
    bytes_drop(&sl);
    CHECK(mappings_of(path, NULL) == 0);
}

static void test_fd_errors(void)
{
    const size_t len = 10000;
    char path[64];
    int fd = make_file(len, path);
    bytes_t out;
    int fds = count_fds();
    struct counts s = now();

    /* Past the end. */
    CHECK_FAILS(bytes_from_fd(fd, 0, len + 1, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, len - 10, 11, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, len, 1, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, len + 1, 0, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, 1u << 20, 1, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, UINT64_MAX, 1, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, UINT64_MAX, 0, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, UINT64_MAX - 5, 10, &out), out,
                BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, (uint64_t)INT64_MAX, 1, &out), out,
                BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, 1, SIZE_MAX, &out), out, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, 0, SIZE_MAX, &out), out, BYTES_ERR_RANGE);
    CHECK_STATUS(bytes_from_fd(fd, 0, 10, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_from_fd(fd, 0, 0, NULL), BYTES_ERR_NULL);

    /* Bad descriptors. */
    CHECK_IO_ERROR(bytes_from_fd(-1, 0, 10, &out), out, EBADF);
    CHECK_IO_ERROR(bytes_from_fd(-1, 0, 0, &out), out, EBADF);
    CHECK_IO_ERROR(bytes_from_fd(-42, 0, 10, &out), out, EBADF);
    int closed = dup(fd);
    CHECK(closed >= 0 && close(closed) == 0); /* a number not open now */
    CHECK_IO_ERROR(bytes_from_fd(closed, 0, 10, &out), out, EBADF);
    CHECK_IO_ERROR(bytes_from_fd(closed, 0, 0, &out), out, EBADF);

    /* Not a regular file. */
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    CHECK_IO_ERROR(bytes_from_fd(dir, 0, 10, &out), out, EISDIR);
    CHECK_IO_ERROR(bytes_from_fd(dir, 0, 0, &out), out, EISDIR);
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "data", 4) == 4);
    CHECK_IO_ERROR(bytes_from_fd(p[0], 0, 4, &out), out, EINVAL);
    CHECK_IO_ERROR(bytes_from_fd(p[1], 0, 1, &out), out, EINVAL);
    CHECK_IO_ERROR(bytes_from_fd(p[0], 0, 0, &out), out, EINVAL);
    int null = open("/dev/null", O_RDONLY);
    CHECK(null >= 0);
    CHECK_IO_ERROR(bytes_from_fd(null, 0, 1, &out), out, EINVAL);
    /* A write-only descriptor of a regular file cannot be mapped to read. */
    int wronly = open(path, O_WRONLY);
    CHECK(wronly >= 0);
    CHECK_IO_ERROR(bytes_from_fd(wronly, 0, 10, &out), out, EACCES);

    CHECK_DELTA(s, 0, 0); /* errors allocate nothing */
    /* The library closes none of the caller's descriptors. */
    char c4[4];
    CHECK(read(p[0], c4, 4) == 4 && memcmp(c4, "data", 4) == 0);
    CHECK(close(p[0]) == 0 && close(p[1]) == 0 && close(dir) == 0 &&
          close(null) == 0 && close(wronly) == 0);
    CHECK(count_fds() == fds);
    CHECK(mappings_of(path, NULL) == 0);

    /* fd is still usable after all of that. */
    CHECK_OK(bytes_from_fd(fd, 9990, 10, &out));
    CHECK(same_as_file(&out, 9990));
    bytes_drop(&out);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

/* ---- a 1 GiB sparse file: mapped, not read ------------------------------- */

static void test_sparse_gib(void)
{
    const uint64_t gib = (uint64_t)1 << 30;
    char path[64];
    int fd = make_file(0, path);
    CHECK(ftruncate(fd, (off_t)gib) == 0);
    static const uint8_t mark[] = "middle";
    CHECK(pwrite(fd, mark, sizeof mark, (off_t)(gib / 2)) == (ssize_t)sizeof mark);

    const uint64_t rss0 = resident_bytes();

    bytes_t whole, ranged, tail;
    CHECK_OK(bytes_from_file(path, &whole));
    CHECK_EQ_SIZE(bytes_len(&whole), gib);
    CHECK_OK(bytes_from_fd(fd, 0, (size_t)gib, &ranged));
    CHECK_EQ_SIZE(bytes_len(&ranged), gib);
    CHECK_OK(bytes_from_fd(fd, gib - 4097, 4097, &tail));
    CHECK_EQ_SIZE(bytes_len(&tail), 4097);

    /* A few bytes at the end (zeros, a hole), and the mark in the middle. */
    static const uint8_t zeros[64];
    CHECK(memcmp(bytes_ptr(&whole) + gib - 64, zeros, 64) == 0);
    CHECK(memcmp(bytes_ptr(&ranged) + gib - 64, zeros, 64) == 0);
    CHECK(memcmp(bytes_ptr(&tail) + 4097 - 64, zeros, 64) == 0);
    CHECK(memcmp(bytes_ptr(&whole) + gib / 2, mark, sizeof mark) == 0);
    CHECK(memcmp(bytes_ptr(&ranged) + gib / 2, mark, sizeof mark) == 0);
    bytes_t sl;
    CHECK_OK(bytes_slice(&whole, gib - 10, gib, &sl));
    CHECK(memcmp(bytes_ptr(&sl), zeros, 10) == 0);

    const uint64_t rss1 = resident_bytes(), mapped = mapped_bytes_of(path);
    printf("test_file: 1 GiB mapped twice: mapped %llu MiB, resident +%llu KiB\n",
           (unsigned long long)(mapped >> 20),
           (unsigned long long)((rss1 > rss0 ? rss1 - rss0 : 0) >> 10));
    /* Both whole mappings exist (2 GiB of the file, and the tail) ... */
    CHECK(mapped >= 2 * gib);
    /* ... but only the touched pages are resident: nothing was read. */
    CHECK(rss1 < rss0 + (64u << 20));

    bytes_drop(&sl);
    bytes_drop(&whole);
    bytes_drop(&ranged);
    bytes_drop(&tail);
    CHECK(mappings_of(path, NULL) == 0);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

/* ---- files of 2 GiB and more, offsets beyond 4 GiB ----------------------- */

/* The mark written at `at`: the first 7 bytes of "beyond" plus the digit. */
static void write_mark(int fd, uint64_t at, char digit)
{
    char mark[8] = "beyond?";
    mark[6] = digit;
    CHECK(pwrite(fd, mark, 7, (off_t)at) == 7);
}

static int has_mark(const uint8_t *p, char digit)
{
    char mark[8] = "beyond?";
    mark[6] = digit;
    return memcmp(p, mark, 7) == 0;
}

/* Whether the system's own mmap shows the mark '4' at `at`, beyond 4 GiB:
 * qemu-user 7.2 emulating a 32-bit target truncates mmap offsets to 32
 * bits, and then no library can map there. */
static int system_maps_beyond_4_gib(int fd, uint64_t at)
{
    const uint64_t pg = (uint64_t)page_size();
    const uint64_t base = at / pg * pg;
    uint8_t *p = mmap(NULL, (size_t)pg, PROT_READ, MAP_PRIVATE, fd, (off_t)base);
    CHECK(p != MAP_FAILED);
    int ok = has_mark(p + (at - base), '4');
    CHECK(munmap(p, (size_t)pg) == 0);
    return ok;
}

static void test_large_file(void)
{
    const uint64_t gib = (uint64_t)1 << 30;
    const uint64_t at2 = 3 * gib - 4093;         /* past 2 GiB, below 4 */
    const uint64_t at4 = 4 * gib + 65536 + 3;    /* past 4 GiB, unaligned */
    const uint64_t size = 4 * gib + 2 * 65536;   /* larger than SIZE_MAX on 32-bit */
    char path[64];
    int fd = make_file(0, path);
    CHECK(ftruncate(fd, (off_t)size) == 0);
    write_mark(fd, at2, '2');
    write_mark(fd, at4, '4');
    write_mark(fd, size - 7, 'E');

    /* Ranges far into the file map on every target. */
    bytes_t r2, r4, end;
    CHECK_OK(bytes_from_fd(fd, at2, 7, &r2));
    CHECK_EQ_SIZE(bytes_len(&r2), 7);
    CHECK(has_mark(bytes_ptr(&r2), '2'));
    CHECK_OK(bytes_from_fd(fd, at4 - 100, 107, &r4));
    CHECK_OK(bytes_from_fd(fd, size - 7, 7, &end));
    const int beyond4 = system_maps_beyond_4_gib(fd, at4);
    if (beyond4) {
        CHECK(has_mark(bytes_ptr(&r4) + 100, '4'));
        CHECK(has_mark(bytes_ptr(&end), 'E'));
    } else {
        printf("test_file: this system's mmap (an emulator's?) maps the wrong "
               "bytes beyond 4 GiB: those contents are not checked\n");
    }
    bytes_t bad;
    CHECK_FAILS(bytes_from_fd(fd, size - 6, 7, &bad), bad, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, size + 1, 0, &bad), bad, BYTES_ERR_RANGE);
    CHECK_FAILS(bytes_from_fd(fd, UINT64_MAX - 3, 8, &bad), bad, BYTES_ERR_RANGE);

    /* The whole file: mapped where it fits the address space. */
    const int maps = mappings_of(path, NULL);
    bytes_t whole;
    if (sizeof(size_t) >= 8) {
        CHECK_OK(bytes_from_file(path, &whole));
        CHECK(bytes_len(&whole) == size);
        CHECK(has_mark(bytes_ptr(&whole) + at2, '2'));
        CHECK(beyond4); /* 64-bit targets run on systems that map right */
        CHECK(has_mark(bytes_ptr(&whole) + at4, '4'));
        CHECK(has_mark(bytes_ptr(&whole) + size - 7, 'E'));
        bytes_drop(&whole);
    } else {
        CHECK_FAILS(bytes_from_file(path, &whole), whole, BYTES_ERR_NOMEM);
    }
    CHECK(mappings_of(path, NULL) == maps);

    /* 3 GiB: on 32-bit, mapped if the address space has room, else
     * ERR_NOMEM; never a wrong length or an I/O error (EOVERFLOW). */
    const uint64_t three = at2 + 7;
    CHECK(ftruncate(fd, (off_t)three) == 0);
    bytes_status_t st = bytes_from_file(path, &whole);
    if (sizeof(size_t) >= 8)
        CHECK(st == BYTES_OK);
    if (st == BYTES_OK) {
        CHECK(bytes_len(&whole) == three);
        CHECK(has_mark(bytes_ptr(&whole) + at2, '2'));
        bytes_drop(&whole);
    } else {
        CHECK_STATUS(st, BYTES_ERR_NOMEM);
        CHECK_ZERO(&whole);
    }
    printf("test_file: a 3 GiB file as one mapping: %s\n", bytes_status_str(st));

    bytes_drop(&r2);
    bytes_drop(&r4);
    bytes_drop(&end);
    CHECK(mappings_of(path, NULL) == 0);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

/* ---- into_mut and compact ------------------------------------------------ */

static void test_into_mut(void)
{
    const size_t len = 8192 + 100;
    char path[64];
    int fd = make_file(len, path);
    bytes_t b;
    bytes_mut_t m;

    /* try_into_mut refuses mapped bytes, even the only handle. */
    CHECK_OK(bytes_from_file(path, &b));
    void *hdr = alloc_count_last();
    CHECK(alloc_watch(hdr));
    {
        SNAP(b);
        memset(&m, 0xA5, sizeof m);
        struct counts s = now();
        CHECK_STATUS(bytes_try_into_mut(&b, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_UNCHANGED(b);
        CHECK(is_zero_mut(&m));
        CHECK_DELTA(s, 0, 0);
        CHECK(mappings_of(path, NULL) == 1);
    }

    /* into_mut copies (one allocation) and drops the reference: the only
     * one here, so the file is unmapped. */
    struct counts s = now();
    CHECK_OK(bytes_into_mut(&b, &m));
    CHECK_DELTA(s, 1, 1); /* the copy; the header freed */
    CHECK_FREED(hdr, 1);
    alloc_unwatch(hdr);
    expect_empty(&b);
    CHECK(mappings_of(path, NULL) == 0);
    CHECK_EQ_SIZE(bytes_mut_len(&m), len);
    for (size_t i = 0; i < len; i++)
        CHECK(bytes_mut_ptr(&m)[i] == pattern(i));
    bytes_mut_ptr(&m)[0] ^= 1; /* writable: a copy of its own */
    bytes_mut_drop(&m);

    /* A slice of a range, with another handle alive: stays mapped. */
    CHECK_OK(bytes_from_fd(fd, 4097, 3000, &b));
    bytes_t sl;
    CHECK_OK(bytes_slice(&b, 10, 30, &sl));
    {
        SNAP(sl);
        CHECK_STATUS(bytes_try_into_mut(&sl, &m), BYTES_ERR_NOT_UNIQUE);
        CHECK_UNCHANGED(sl);
        CHECK(is_zero_mut(&m));
    }
    s = now();
    CHECK_OK(bytes_into_mut(&sl, &m));
    CHECK_DELTA(s, 1, 0);
    expect_empty(&sl);
    CHECK(mappings_of(path, NULL) == 1);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 20);
    bytes_drop(&b);
    CHECK(mappings_of(path, NULL) == 0);
    for (size_t i = 0; i < 20; i++)
        CHECK(bytes_mut_ptr(&m)[i] == pattern(4107 + i));
    bytes_mut_drop(&m);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

static void test_compact(void)
{
    const size_t len = 3 * 4096;
    char path[64];
    int fd = make_file(len, path);

    /* The whole mapping: a no-op. */
    bytes_t b, c, part;
    CHECK_OK(bytes_from_file(path, &b));
    void *hdr = alloc_count_last();
    CHECK(alloc_watch(hdr));
    const uint8_t *base = bytes_ptr(&b);
    struct counts s = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&b) == base && bytes_len(&b) == len);

    /* A 20-byte part: copied (one allocation); the mapping stays while the
     * others hold it, and goes with the last of them. */
    c = bytes_clone(&b);
    CHECK_OK(bytes_slice(&b, 5000, 5020, &part));
    s = now();
    CHECK_OK(bytes_compact(&part));
    CHECK_DELTA(s, 1, 0);
    CHECK(bytes_ptr(&part) < base || bytes_ptr(&part) >= base + len);
    CHECK(same_as_file(&part, 5000) && bytes_len(&part) == 20);
    CHECK(bytes_is_unique(&part));
    CHECK(mappings_of(path, NULL) == 1);
    bytes_drop(&b);
    CHECK(mappings_of(path, NULL) == 1);
    CHECK_FREED(hdr, 0);
    bytes_drop(&c);
    CHECK(mappings_of(path, NULL) == 0); /* munmap'ed */
    CHECK_FREED(hdr, 1);
    alloc_unwatch(hdr);
    CHECK(same_as_file(&part, 5000)); /* its own copy */
    bytes_drop(&part);

    /* An unaligned range of an fd is its storage's whole view: a no-op. */
    CHECK_OK(bytes_from_fd(fd, 4097, 100, &b));
    base = bytes_ptr(&b);
    s = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&b) == base && bytes_len(&b) == 100);
    /* ... and its part is copied, unmapping when it was the only one. */
    CHECK_OK(bytes_slice(&b, 10, 30, &b));
    s = now();
    CHECK_OK(bytes_compact(&b));
    CHECK_DELTA(s, 1, 1);
    CHECK(mappings_of(path, NULL) == 0);
    CHECK(same_as_file(&b, 4107) && bytes_len(&b) == 20);
    bytes_drop(&b);
    CHECK(close(fd) == 0 && unlink(path) == 0);
}

int main(void)
{
    CHECK(alloc_count_start());
    CHECK(atexit(remove_temps) == 0);
    int fds = count_fds();
    warm_up();
    test_file_whole();
    test_file_empty();
    test_file_errors();
    test_fd_ranges();
    test_fd_errors();
    test_sparse_gib();
    test_large_file();
    test_into_mut();
    test_compact();
    CHECK(count_fds() == fds);
    CHECK_DONE();
    return 0;
}
