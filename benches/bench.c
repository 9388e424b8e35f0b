/*
 * bench.c - the C side of the libbytes benchmarks (README, "Benchmarks").
 *
 * Built twice by scripts/bench.sh: linked against libbytes.a (bench_c_static)
 * and against libbytes.so (bench_c_shared). Each process runs one workload
 * with one implementation:
 *
 *   bench_c list                     the workload/implementation pairs
 *   bench_c W IMPL time ITERS ROUNDS prints "allocs/op bytes/op" and the
 *                                    ns/op of each round
 *   bench_c W IMPL count ITERS       one warm-up op, then ITERS ops, for
 *                                    callgrind (run again with 0 ITERS and
 *                                    subtract: setup and exit cancel out)
 *
 * IMPL is "libbytes" or "baseline" (plain C: malloc+memcpy, or read(2) for
 * workload 7). benches/crate_bytes.rs is the same program for the Rust
 * crate `bytes`: keep the two in step (same data, same operations, same
 * sinks). The iteration counts come from benches/run.py, equal for all.
 *
 * Every run function does ITERS operations in a loop of its own, so no call
 * per operation is added by the harness. Results feed sink(), which the
 * compiler must assume reads them, so no work is optimised away.
 */
#define _GNU_SOURCE
#include "alloc_count.h"
#include "bytes.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_LINKAGE
#define BENCH_LINKAGE "static"
#endif

/* The compiler must assume *p (and all memory) is read here. */
static inline void sink(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* x, as a value the compiler cannot know, afresh on every call (no
 * instruction): a range passed at run time, as the crate's rows pass theirs
 * through black_box, so that the inline header's checks are not folded. */
static inline size_t opaque(size_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_c: %s\n", what);
    exit(1);
}

#define CHECK(call)                                                           \
    do {                                                                      \
        if ((call) != BYTES_OK)                                               \
            die(#call);                                                       \
    } while (0)

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        die("out of memory");
    return p;
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The floor rows: no library, the same work by hand. A count in its own small
 * block (as the library's header), one relaxed increment per new handle
 * and one release decrement per dropped one; 32-byte handles copied. */
struct floor_handle {
    const uint8_t *ptr;
    size_t len;
    atomic_size_t *count;
    const void *kind;
};

static inline struct floor_handle floor_share(const struct floor_handle *h, size_t begin, size_t end)
{
    atomic_fetch_add_explicit(h->count, 1, memory_order_relaxed);
    struct floor_handle r = {h->ptr + begin, end - begin, h->count, h->kind};
    return r;
}

static inline void floor_drop(struct floor_handle *h, void *block)
{
    if (atomic_fetch_sub_explicit(h->count, 1, memory_order_release) == 1) {
        atomic_thread_fence(memory_order_acquire);
        free(h->count);
        free(block);
    }
    memset(h, 0, sizeof *h);
}

/* ---- Workload 1: the request parse ------------------------------------ */

/* 124 bytes, as a recv(2) would deliver them. */
static const char REQUEST[] = "GET /api/v1/items?id=4242 HTTP/1.1\r\n"
                              "Host: example.com\r\n"
                              "User-Agent: curl/8.5.0\r\n"
                              "Accept: text/html\r\n"
                              "Connection: keep-alive\r\n"
                              "\r\n";
enum { REQUEST_LEN = sizeof REQUEST - 1, N_FIELDS = 11 };
_Static_assert(REQUEST_LEN == 124, "the request is 124 bytes");

/* The 11 fields: method, path, version, 4 header names and values. Found
 * once at start, so that the measured operation is the library's work
 * (adopt, slice, drop), not the scanning, which is the same for everyone. */
static bytes_range_t field[N_FIELDS];

static void find_fields(void)
{
    const char *p = REQUEST;
    int n = 0;
    for (int k = 0; k < 3; k++) { /* "METHOD SP PATH SP VERSION CRLF" */
        const char *e = strpbrk(p, k < 2 ? " " : "\r");
        field[n].begin = (size_t)(p - REQUEST);
        field[n++].end = (size_t)(e - REQUEST);
        p = e + (k < 2 ? 1 : 2);
    }
    for (int k = 0; k < 4; k++) { /* "NAME: VALUE CRLF" */
        const char *colon = strchr(p, ':'), *e = strchr(colon, '\r');
        field[n].begin = (size_t)(p - REQUEST);
        field[n++].end = (size_t)(colon - REQUEST);
        field[n].begin = (size_t)(colon + 2 - REQUEST);
        field[n++].end = (size_t)(e - REQUEST);
        p = e + 2;
    }
}

/* Receive into a fresh malloc'ed buffer (the template stands in for the
 * socket), adopt it, cut the 11 fields into the caller's array (on the
 * stack), drop everything. */
static void w1_libbytes(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *buf = xmalloc(REQUEST_LEN);
        memcpy(buf, REQUEST, REQUEST_LEN);
        bytes_t req, out[N_FIELDS];
        CHECK(bytes_from_malloc(buf, REQUEST_LEN, &req));
        for (int k = 0; k < N_FIELDS; k++)
            CHECK(bytes_slice(&req, field[k].begin, field[k].end, &out[k]));
        bytes_drop(&req);
        sink(out);
        for (int k = 0; k < N_FIELDS; k++)
            bytes_drop(&out[k]);
    }
}

/* Plain C without shared ownership: each field copied into its own block. */
/* The same with the batch functions: one call and one update of the shared
 * count to cut all 11 fields, one call and one update to drop them. */
static void w1_batch(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *buf = xmalloc(REQUEST_LEN);
        memcpy(buf, REQUEST, REQUEST_LEN);
        bytes_t req, out[N_FIELDS];
        CHECK(bytes_from_malloc(buf, REQUEST_LEN, &req));
        CHECK(bytes_slice_many(&req, field, N_FIELDS, out));
        bytes_drop(&req);
        sink(out);
        bytes_drop_many(out, N_FIELDS);
    }
}

/* Workload 1 with no library: the same two allocations (the buffer and a
 * count in a block of its own, as bytes_from_malloc's header) and the same
 * 23 atomic operations (11 increments, 12 decrements), handles in the
 * caller's array: what the per-handle parse cannot go below. */
static void w1_floor(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *buf = xmalloc(REQUEST_LEN);
        memcpy(buf, REQUEST, REQUEST_LEN);
        atomic_size_t *count = xmalloc(sizeof *count);
        atomic_init(count, 1);
        struct floor_handle req = {buf, REQUEST_LEN, count, NULL}, out[N_FIELDS];
        for (int k = 0; k < N_FIELDS; k++)
            out[k] = floor_share(&req, field[k].begin, field[k].end);
        floor_drop(&req, buf);
        sink(out);
        for (int k = 0; k < N_FIELDS; k++)
            floor_drop(&out[k], buf);
    }
}

static void w1_baseline(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *buf = xmalloc(REQUEST_LEN);
        memcpy(buf, REQUEST, REQUEST_LEN);
        struct { uint8_t *ptr; size_t len; } out[N_FIELDS];
        for (int k = 0; k < N_FIELDS; k++) {
            out[k].len = field[k].end - field[k].begin;
            out[k].ptr = xmalloc(out[k].len);
            memcpy(out[k].ptr, buf + field[k].begin, out[k].len);
        }
        sink(buf);
        free(buf);
        sink(out);
        for (int k = 0; k < N_FIELDS; k++)
            free(out[k].ptr);
    }
}

/* ---- Workload 2: clone+drop, slice+drop ------------------------------- */

enum { SHARED_LEN = 1024, SLICE_BEGIN = 16, SLICE_END = 1008 };
static uint8_t static_bytes[SHARED_LEN]; /* lives for the whole program */
static bytes_t shared;                   /* heap storage, or static bytes */

static void fill_pattern(uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = (uint8_t)(k * 7 + 1);
}

static void setup_heap(void)
{
    fill_pattern(static_bytes, SHARED_LEN);
    CHECK(bytes_copy_from(static_bytes, SHARED_LEN, &shared));
}

static void setup_static(void)
{
    fill_pattern(static_bytes, SHARED_LEN);
    shared = bytes_from_static(static_bytes, SHARED_LEN);
}

static void w2_clone(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_t c = bytes_clone(&shared);
        sink(&c);
        bytes_drop(&c);
    }
}

static void w2_slice(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_t s;
        CHECK(bytes_slice(&shared, opaque(SLICE_BEGIN), opaque(SLICE_END), &s));
        sink(&s);
        bytes_drop(&s);
    }
}

/* clone + split_to + both drops: a parser taking a prefix off a copy. */
static void w2_split(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_t c = bytes_clone(&shared), front;
        CHECK(bytes_split_to(&c, opaque(SLICE_BEGIN), &front));
        sink(&front);
        sink(&c);
        bytes_drop(&front);
        bytes_drop(&c);
    }
}

/* A custom vtable over a pool slot that counts its own references (what
 * bytes_from_vtable is for): every clone and drop is a call into it. */
static atomic_size_t slot_refs = 1;
static void *slot_clone(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr;
    (void)len;
    atomic_fetch_add_explicit(&slot_refs, 1, memory_order_relaxed);
    return data;
}
static void slot_drop(void *data, const uint8_t *ptr, size_t len)
{
    (void)data;
    (void)ptr;
    (void)len;
    atomic_fetch_sub_explicit(&slot_refs, 1, memory_order_release);
}
static const bytes_vtable_t SLOT_VTABLE = {sizeof(bytes_vtable_t), slot_clone, slot_drop, NULL, "slot"};

static void setup_custom(void)
{
    fill_pattern(static_bytes, SHARED_LEN);
    CHECK(bytes_from_vtable(static_bytes, SHARED_LEN, NULL, &SLOT_VTABLE, &shared));
}

static atomic_size_t *floor_count;

static void setup_floor(void)
{
    setup_heap();
    floor_count = xmalloc(sizeof *floor_count);
    atomic_init(floor_count, 1);
}

static void w2_clone_floor(size_t iters)
{
    struct floor_handle h = {static_bytes, SHARED_LEN, floor_count, &SLOT_VTABLE};
    for (size_t i = 0; i < iters; i++) {
        struct floor_handle c = floor_share(&h, 0, h.len);
        sink(&c);
        floor_drop(&c, NULL);
    }
}

static void w2_slice_floor(size_t iters)
{
    struct floor_handle h = {static_bytes, SHARED_LEN, floor_count, &SLOT_VTABLE};
    volatile size_t begin = SLICE_BEGIN, end = SLICE_END;
    for (size_t i = 0; i < iters; i++) {
        struct floor_handle c = floor_share(&h, begin, end);
        sink(&c);
        floor_drop(&c, NULL);
    }
}

/* Plain C: a "clone" or a "slice" is a copy of its own. */
static void copy_drop(const uint8_t *src, size_t n, size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *p = xmalloc(n);
        memcpy(p, src, n);
        sink(p);
        free(p);
    }
}

static void w2_clone_baseline(size_t iters) { copy_drop(static_bytes, SHARED_LEN, iters); }

static void w2_slice_baseline(size_t iters)
{
    copy_drop(static_bytes + SLICE_BEGIN, SLICE_END - SLICE_BEGIN, iters);
}

/* ---- Workload 3: copy_from -------------------------------------------- */

static uint8_t copy_src[64 * 1024];

static void setup_copy(void) { fill_pattern(copy_src, sizeof copy_src); }

static void copy_from(size_t n, size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_t b;
        CHECK(bytes_copy_from(copy_src, n, &b));
        sink(&b);
        bytes_drop(&b);
    }
}

static void w3_16(size_t iters) { copy_from(16, iters); }
static void w3_1k(size_t iters) { copy_from(1024, iters); }
static void w3_64k(size_t iters) { copy_from(64 * 1024, iters); }
static void w3_16_baseline(size_t iters) { copy_drop(copy_src, 16, iters); }
static void w3_1k_baseline(size_t iters) { copy_drop(copy_src, 1024, iters); }
static void w3_64k_baseline(size_t iters) { copy_drop(copy_src, 64 * 1024, iters); }

/* ---- Workload 4: frame decoder ---------------------------------------- */

/* 64 KiB of frames, each a 32-bit big-endian length and that many bytes;
 * frame i has (i * 37) % 300 bytes (as in examples/frame_decoder.c), the
 * last one fills the stream up to exactly 64 KiB. They arrive in 4 KiB
 * chunks, written into the spare capacity as recv(2) would. */
enum { STREAM_LEN = 64 * 1024, CHUNK = 4096 };
static uint8_t stream[STREAM_LEN];

static void put_be32(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static size_t get_be32(const uint8_t *p)
{
    return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static void setup_stream(void)
{
    size_t off = 0;
    for (size_t i = 0; off < STREAM_LEN; i++) {
        size_t len = (i * 37) % 300;
        if (off + 4 + len + 4 > STREAM_LEN) /* no room for another: fill up */
            len = STREAM_LEN - off - 4;
        put_be32(stream + off, len);
        fill_pattern(stream + off + 4, len);
        off += 4 + len;
    }
}

static void w4_libbytes(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_mut_t rx;
        CHECK(bytes_mut_with_capacity(STREAM_LEN, &rx));
        for (size_t off = 0; off < STREAM_LEN;) {
            size_t spare;
            uint8_t *dst = bytes_mut_spare(&rx, &spare);
            size_t n = min_size(min_size(CHUNK, spare), STREAM_LEN - off);
            memcpy(dst, stream + off, n);
            CHECK(bytes_mut_commit(&rx, n));
            off += n;
            while (bytes_mut_len(&rx) >= 4) { /* cut off every whole frame */
                size_t len = 4 + get_be32(bytes_mut_ptr(&rx));
                if (bytes_mut_len(&rx) < len)
                    break;
                bytes_mut_t cut;
                CHECK(bytes_mut_split_to(&rx, len, &cut));
                bytes_t frame = bytes_mut_freeze(&cut);
                sink(&frame);
                bytes_drop(&frame);
            }
        }
        bytes_mut_drop(&rx);
    }
}

/* Plain C: one receive buffer, each frame copied out into a block of its own. */
static void w4_baseline(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *rx = xmalloc(STREAM_LEN);
        size_t head = 0, tail = 0; /* unparsed bytes: rx[head..tail) */
        while (tail < STREAM_LEN) {
            size_t n = min_size(CHUNK, STREAM_LEN - tail);
            memcpy(rx + tail, stream + tail, n);
            tail += n;
            while (tail - head >= 4) {
                size_t len = 4 + get_be32(rx + head);
                if (tail - head < len)
                    break;
                uint8_t *frame = xmalloc(len);
                memcpy(frame, rx + head, len);
                sink(frame);
                free(frame);
                head += len;
            }
        }
        sink(rx);
        free(rx);
    }
}

/* ---- Workload 5: extend_from_slice in 64-byte chunks up to 1 MiB ------- */

enum { EXTEND_CHUNK = 64, EXTEND_TOTAL = 1024 * 1024 };

static void w5_libbytes(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_mut_t m = bytes_mut_new();
        for (size_t k = 0; k < EXTEND_TOTAL / EXTEND_CHUNK; k++)
            CHECK(bytes_mut_extend_from_slice(&m, copy_src, EXTEND_CHUNK));
        sink(bytes_mut_ptr(&m));
        bytes_mut_drop(&m);
    }
}

/* Plain C: a buffer that doubles with realloc. */
static void w5_baseline(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        for (size_t k = 0; k < EXTEND_TOTAL / EXTEND_CHUNK; k++) {
            if (cap - len < EXTEND_CHUNK) {
                cap = cap ? 2 * cap : EXTEND_CHUNK;
                if ((buf = realloc(buf, cap)) == NULL)
                    die("out of memory");
            }
            memcpy(buf + len, copy_src, EXTEND_CHUNK);
            len += EXTEND_CHUNK;
            sink(buf);
        }
        free(buf);
    }
}

/* ---- Workload 6: two threads clone+drop one storage -------------------- */

static pthread_barrier_t start_line;

static void *clone_drop_thread(void *arg)
{
    pthread_barrier_wait(&start_line);
    w2_clone(*(size_t *)arg);
    return NULL;
}

/* Each thread does iters clone+drop pairs of `shared` at the same time. */
static void w6_libbytes(size_t iters)
{
    pthread_t t[2];
    pthread_barrier_init(&start_line, NULL, 2);
    for (int k = 0; k < 2; k++)
        if (pthread_create(&t[k], NULL, clone_drop_thread, &iters) != 0)
            die("pthread_create");
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    pthread_barrier_destroy(&start_line);
}

/* ---- Workload 7: a whole file ----------------------------------------- */

/* The sparse files are made (and deleted) by benches/run.py. */
static char file_path[4096];

static void set_file(const char *name)
{
    const char *dir = getenv("BENCH_DIR");
    if (dir == NULL)
        die("BENCH_DIR is not set (benches/run.py sets it)");
    snprintf(file_path, sizeof file_path, "%s/%s", dir, name);
}

static void setup_1m(void) { set_file("sparse-1m"); }
static void setup_1g(void) { set_file("sparse-1g"); }

static void w7_libbytes(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        bytes_t b;
        CHECK(bytes_from_file(file_path, &b));
        sink(&b);
        bytes_drop(&b);
    }
}

/* Plain C: read(2) all of it into a malloc'ed buffer. */
static void w7_baseline(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        int fd = open(file_path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0)
            die("open");
        size_t len = (size_t)st.st_size, got = 0;
        uint8_t *buf = xmalloc(len);
        while (got < len) {
            ssize_t n = read(fd, buf + got, len - got);
            if (n <= 0)
                die("read");
            got += (size_t)n;
        }
        close(fd);
        sink(buf);
        free(buf);
    }
}

/* ---- Workload 8: frames arriving in pieces of 1..4096 bytes ----------- */

/* The stream of workload 4, cut into pieces of 1 to 4096 bytes (a fixed
 * pseudo-random sequence, the same in crate_bytes.rs), each copied into
 * the receive buffer as recv(2) would. The receive side stays warm across
 * operations: one operation is the whole stream. */
enum { PIECE_MAX = 4096, RX_CAP = 8192 };
static size_t piece_len[STREAM_LEN];
static size_t n_pieces;
static bytes_queue_t w8_queue;
static bytes_mut_t w8_rx;

static void setup_pieces(void)
{
    setup_stream();
    uint32_t x = 2463534242u;
    for (size_t off = 0; off < STREAM_LEN; n_pieces++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        size_t n = min_size(1 + x % PIECE_MAX, STREAM_LEN - off);
        piece_len[n_pieces] = n;
        off += n;
    }
    CHECK(bytes_mut_with_capacity(RX_CAP, &w8_rx));
}

/* The queue: each piece pushed from the receive buffer (reclaimed through
 * the queue once the frames before are dropped), each length read from
 * the front chunk inline (or across chunks), each payload taken. */
static void w8_libbytes(size_t iters)
{
    for (size_t i = 0; i < iters; i++) {
        const uint8_t *src = stream;
        for (size_t p = 0; p < n_pieces; p++) {
            size_t n = piece_len[p];
            CHECK(bytes_queue_reserve(&w8_queue, &w8_rx, n));
            memcpy(bytes_mut_spare(&w8_rx, NULL), src, n);
            CHECK(bytes_mut_commit(&w8_rx, n));
            CHECK(bytes_queue_push_mut(&w8_queue, &w8_rx));
            src += n;
            for (;;) {
                const bytes_t *front = bytes_queue_front(&w8_queue);
                uint8_t head[4];
                size_t len;
                if (bytes_len(front) >= 4)
                    len = bytes_load_u32_be(bytes_ptr(front));
                else if (bytes_queue_peek(&w8_queue, 0, head, 4) == BYTES_OK)
                    len = bytes_load_u32_be(head);
                else
                    break;
                if (bytes_queue_len(&w8_queue) - 4 < len)
                    break;
                CHECK(bytes_queue_advance(&w8_queue, 4));
                bytes_t frame;
                CHECK(bytes_queue_take(&w8_queue, len, &frame));
                sink(&frame);
                bytes_drop(&frame);
            }
        }
    }
}

/* ---- The harness ------------------------------------------------------- */

struct bench {
    const char *workload, *impl, *label;
    void (*setup)(void); /* or NULL */
    void (*run)(size_t iters);
};

#define LIB "libbytes C " BENCH_LINKAGE
#define COPY "malloc+memcpy (C)"
#define FLOOR "no library: same allocations and atomics (C)"
static const struct bench benches[] = {
    {"w1-parse", "libbytes", LIB, find_fields, w1_libbytes},
    {"w1-parse", "batch", LIB ", batch", find_fields, w1_batch},
    {"w1-parse", "baseline", COPY, find_fields, w1_baseline},
    {"w1-parse", "floor", FLOOR, find_fields, w1_floor},
    {"w2-clone-heap", "floor", FLOOR, setup_floor, w2_clone_floor},
    {"w2-slice-heap", "floor", FLOOR, setup_floor, w2_slice_floor},
    {"w2-clone-heap", "libbytes", LIB, setup_heap, w2_clone},
    {"w2-clone-heap", "baseline", COPY, setup_heap, w2_clone_baseline},
    {"w2-slice-heap", "libbytes", LIB, setup_heap, w2_slice},
    {"w2-slice-heap", "baseline", COPY, setup_heap, w2_slice_baseline},
    {"w2-clone-static", "libbytes", LIB, setup_static, w2_clone},
    {"w2-slice-static", "libbytes", LIB, setup_static, w2_slice},
    {"w2-split-heap", "libbytes", LIB, setup_heap, w2_split},
    {"w2-split-static", "libbytes", LIB, setup_static, w2_split},
    {"w2-clone-custom", "libbytes", LIB, setup_custom, w2_clone},
    {"w2-slice-custom", "libbytes", LIB, setup_custom, w2_slice},
    {"w3-copy-16", "libbytes", LIB, setup_copy, w3_16},
    {"w3-copy-16", "baseline", COPY, setup_copy, w3_16_baseline},
    {"w3-copy-1k", "libbytes", LIB, setup_copy, w3_1k},
    {"w3-copy-1k", "baseline", COPY, setup_copy, w3_1k_baseline},
    {"w3-copy-64k", "libbytes", LIB, setup_copy, w3_64k},
    {"w3-copy-64k", "baseline", COPY, setup_copy, w3_64k_baseline},
    {"w4-frames-64k", "libbytes", LIB, setup_stream, w4_libbytes},
    {"w4-frames-64k", "baseline", COPY, setup_stream, w4_baseline},
    {"w5-extend-1m", "libbytes", LIB, setup_copy, w5_libbytes},
    {"w5-extend-1m", "baseline", COPY, setup_copy, w5_baseline},
    {"w6-threads-clone", "libbytes", LIB, setup_heap, w6_libbytes},
    {"w7-file-1m", "libbytes", LIB, setup_1m, w7_libbytes},
    {"w7-file-1m", "baseline", "read(2) into malloc (C)", setup_1m, w7_baseline},
    {"w7-file-1g", "libbytes", LIB, setup_1g, w7_libbytes},
    {"w7-file-1g", "baseline", "read(2) into malloc (C)", setup_1g, w7_baseline},
    {"w8-frames-pieces", "libbytes", LIB ", queue", setup_pieces, w8_libbytes},
};
enum { N_BENCHES = sizeof benches / sizeof benches[0] };

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* A warm-up round, a round counting allocations, then `rounds` timed
 * rounds; prints the allocations and bytes per op, then each round's
 * ns/op (benches/run.py takes the median over several processes). */
static void time_rounds(const struct bench *b, size_t iters, int rounds)
{
    b->run(iters);

    atomic_store(&alloc_counting, 1);
    b->run(iters);
    atomic_store(&alloc_counting, 0);
    printf("%.3f %.1f", (double)atomic_load(&alloc_calls) / (double)iters,
           (double)atomic_load(&alloc_bytes) / (double)iters);

    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        b->run(iters);
        printf(" %.3f", (now_ns() - t0) / (double)iters);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (int k = 0; k < N_BENCHES; k++)
            printf("%s\t%s\t%s\n", benches[k].workload, benches[k].impl, benches[k].label);
        return 0;
    }
    const struct bench *b = NULL;
    for (int k = 0; argc >= 5 && k < N_BENCHES; k++)
        if (strcmp(benches[k].workload, argv[1]) == 0 && strcmp(benches[k].impl, argv[2]) == 0)
            b = &benches[k];
    size_t iters = argc >= 5 ? strtoul(argv[4], NULL, 10) : 0;
    int rounds = argc >= 6 ? atoi(argv[5]) : 0;
    int timing = argc == 6 && strcmp(argv[3], "time") == 0 && iters > 0 && rounds > 0;
    int counting = argc == 5 && strcmp(argv[3], "count") == 0;
    if (b == NULL || !(timing || counting)) {
        fprintf(stderr, "usage: %s list | W IMPL time ITERS ROUNDS | W IMPL count ITERS\n",
                argv[0]);
        return 2;
    }
    if (b->setup != NULL)
        b->setup();
    if (timing) {
        time_rounds(b, iters, rounds);
    } else {
        b->run(1); /* first-use costs land in the baseline run too */
        b->run(iters);
    }
    bytes_drop(&shared);
    bytes_queue_drop(&w8_queue);
    bytes_mut_drop(&w8_rx);
    return 0;
}
