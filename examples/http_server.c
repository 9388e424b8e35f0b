/*
 * http_server.c - a small HTTP/1.1 file server on libbytes: one thread,
 * non-blocking sockets, epoll.
 *
 * The program never copies a byte of a request or of a file, and keeps no
 * offsets into its buffers: two queues of handles (bytes_queue_t) per
 * connection do that bookkeeping.
 *  - Input: bytes_queue_read_fd reads into the connection's receive buffer
 *    and appends what arrived to its input queue; reads that follow each
 *    other in the buffer form one chunk, and once the requests taken
 *    before are dropped the buffer's storage is reused, not reallocated.
 *    The end of a head, wherever the reads split it, is found with
 *    bytes_queue_find (within the head size limit), and the head is taken
 *    off the front with bytes_queue_take, as a handle sharing the buffer's
 *    storage. Its method, target, version and header names and values
 *    become slices of it, all cut by one bytes_slice_many call.
 *  - Files are mapped with bytes_from_fd and kept in a small cache: a
 *    response body is a clone of the mapping, or a bytes_slice of it for a
 *    Range request.
 *  - Output: a response is its formatted header, copied into the output
 *    queue (bytes_queue_write: the headers of many responses share one
 *    storage), then the body pushed as a handle. bytes_queue_sendmsg_fd
 *    sends the queue and consumes exactly what the kernel took, so
 *    pipelined responses and partial writes need nothing more; with
 *    MSG_NOSIGNAL a client gone away is an error, not a SIGPIPE.
 *
 * Usage: http_server [-p PORT] [-r DOCROOT] [-n MAX_REQUESTS] [-c MAX_CONNS]
 *                    [-t HEADER_MS] [-k IDLE_MS] [-l LINGER_MS]
 *   Serves GET and HEAD of the files under DOCROOT (default ".") on
 *   127.0.0.1:PORT (default 8080; 0 picks a free port), and prints
 *   "listening on 127.0.0.1:PORT". Keep-alive, pipelining, one byte range
 *   per request (defaults: 1000 connections, limits 10 s, 30 s, 5 s).
 *   Stops on SIGINT or SIGTERM, or once MAX_REQUESTS responses
 *   are sent, releasing every handle.
 *
 * Out of file descriptors, a reserve descriptor is given up to accept and
 * answer 503 to the excess (the listener is not polled while none is free,
 * so the loop never spins); a file that cannot be opened for want of one
 * is 503 too.
 *
 * Requests are framed strictly (RFC 9112): a duplicate or malformed
 * Content-Length, a bare CR or LF, obsolete line folding or a byte not
 * allowed in a field name or value is 400, Transfer-Encoding 411, 501 or
 * 400 (this server takes no request bodies), and the connection closes.
 *
 * Paths are percent-decoded; a segment starting with a dot (".", "..",
 * .git, .env) is refused with 403, and files are opened beneath the root
 * only (openat2 with RESOLVE_BENEATH: Linux 5.6 or later), so no symbolic
 * link leads out of it. Mapped files are cached and checked on use (one
 * stat, shared by the requests of one event-loop round): a file changed
 * since is mapped afresh. A file shrunk in
 * place while a response of it is being sent cuts that response short
 * (the write fails, the connection closes): serve files that are replaced
 * by rename for consistent answers.
 *
 * Time limits (milliseconds): a request head must arrive within HEADER_MS
 * of its first byte (or of the connection's start), else 408 and close;
 * a connection idle between requests or not reading its response for
 * IDLE_MS is closed; the lingering close (input discarded after the last
 * response) lasts LINGER_MS at most. Beyond MAX_CONNS connections, 503.
 */
#define _GNU_SOURCE /* accept4, memmem */
#include "bytes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum {
    MAX_CONNS = 1000,          /* open connections (under the usual 1024
                                  descriptors); more are refused */
    MAX_HEAD = 16 * 1024,      /* a larger request head gets 431 */
    MAX_HEADERS = 64,          /* header lines per request */
    MAX_FIELDS = 3 + 2 * MAX_HEADERS, /* request line + name/value pairs */
    OUT_CHUNKS = 64,           /* output chunks per connection (a response
                                  is 1 or 2) before requests wait */
    READ_CHUNK = 16 * 1024,    /* bytes asked of one read */
    RX_CAPACITY = MAX_HEAD + READ_CHUNK, /* the receive buffer: an unfinished
                                  head and a read fit, so the buffer is
                                  reused in place, not replaced */
    CACHE_SLOTS = 64,          /* mapped files kept */
    MAX_PATH = 1024,
};

struct conn {
    int fd, slot;          /* slot: index in srv.conns */
    bytes_queue_t in;      /* received bytes not yet answered */
    bytes_mut_t rx;        /* the receive buffer that `in` is read through */
    size_t scanned;        /* bytes of `in` known to hold no head end */
    bytes_queue_t out;     /* response bytes not yet sent, in order */
    bool close_after;      /* close once `out` is sent */
    bool peer_closed;      /* read returned end of file */
    bool lingering;        /* all sent and shut down: discarding input */
    bool in_head;          /* waiting for a request head since head_since */
    int64_t head_since;    /* ms: accepted, or the first byte of a head */
    int64_t deadline;      /* ms: closed (408 if a head is unfinished) then */
    uint32_t events;       /* epoll interest registered now */
};

struct cache_entry {
    char path[MAX_PATH]; /* relative to the root */
    bytes_t file;        /* the whole file, mapped; may be empty */
    dev_t dev;           /* what the file was when mapped */
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
    uint64_t checked; /* the event-loop round of the last check */
};

static struct {
    const char *root;
    int root_fd; /* the document root, opened O_PATH */
    long max_requests, served; /* max_requests 0: no limit */
    long max_conns;            /* open connections at most (<= MAX_CONNS) */
    long header_ms, idle_ms, linger_ms; /* the time limits (-t, -k, -l) */
    int64_t now, next_sweep;   /* ms of CLOCK_MONOTONIC */
    uint64_t round;            /* epoll_wait returns so far */
    int epfd, listen_fd, sig_fd;
    int reserve_fd;      /* kept open to be given up when descriptors run out */
    bool accept_paused;  /* out of descriptors: the listener is not polled */
    bool draining; /* MAX_REQUESTS reached: finish sending, then stop */
    struct conn *conns[MAX_CONNS];
    size_t nconns;
    struct cache_entry cache[CACHE_SLOTS];
    size_t ncached, next_evict;
} srv;

/* epoll tags for the two descriptors that are not connections. */
static int LISTEN_TAG, SIGNAL_TAG;

/* The request's fields, slices of its head: method, target, version, then
 * name and value of each header line. */
struct request {
    bytes_t f[MAX_FIELDS];
    size_t nf;
};

static bool ok(bytes_status_t st, const char *what)
{
    if (st != BYTES_OK)
        fprintf(stderr, "http_server: %s: %s\n", what, bytes_status_str(st));
    return st == BYTES_OK;
}

/* Whether a failed read or write only means "try again after epoll". */
static bool would_block(bytes_status_t st)
{
    return st == BYTES_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
}

static bool eq(const bytes_t *b, const char *lit)
{
    return bytes_len(b) == strlen(lit) && memcmp(bytes_ptr(b), lit, bytes_len(b)) == 0;
}

/* The value of header `name` (case-insensitive), or NULL. */
static const bytes_t *header(const struct request *rq, const char *name)
{
    for (size_t i = 3; i + 1 < rq->nf; i += 2)
        if (bytes_len(&rq->f[i]) == strlen(name) &&
            strncasecmp((const char *)bytes_ptr(&rq->f[i]), name, strlen(name)) == 0)
            return &rq->f[i + 1];
    return NULL;
}

/* How many header lines are named `name`; *last is set to the last one. */
static size_t count_header(const struct request *rq, const char *name, const bytes_t **last)
{
    size_t n = 0;
    for (size_t i = 3; i + 1 < rq->nf; i += 2)
        if (bytes_len(&rq->f[i]) == strlen(name) &&
            strncasecmp((const char *)bytes_ptr(&rq->f[i]), name, strlen(name)) == 0) {
            *last = &rq->f[i + 1];
            n++;
        }
    return n;
}

/* RFC 9110 tchar: the bytes of a token (a method, a field name). */
static bool is_tchar(uint8_t ch)
{
    return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
           (ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* RFC 9110 field-value bytes: visible ASCII, SP, HTAB and obs-text; no
 * CR, LF, NUL or other control byte. */
static bool is_field_byte(uint8_t ch)
{
    return ch == '\t' || (ch >= ' ' && ch != 0x7f);
}

/* Whether the comma-separated list `v` holds `token` (case-insensitive). */
static bool has_token(const bytes_t *v, const char *token)
{
    const char *p = (const char *)bytes_ptr(v), *end = p + bytes_len(v);
    size_t n = strlen(token);
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        const char *q = p;
        while (q < end && *q != ',' && *q != ' ' && *q != '\t')
            q++;
        if ((size_t)(q - p) == n && strncasecmp(p, token, n) == 0)
            return true;
        p = q;
    }
    return false;
}

static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 400: return "Bad Request";
    case 411: return "Length Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Internal Server Error";
    }
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot != NULL && strcmp(dot, ".html") == 0)
        return "text/html";
    if (dot != NULL && strcmp(dot, ".txt") == 0)
        return "text/plain";
    return "application/octet-stream";
}

/* Queues a response: a header formatted here and copied into the output
 * queue, then `*body` (moved into the queue; left empty). `length` is the
 * Content-Length, which a HEAD response announces without a body. */
static void respond(struct conn *c, int code, const char *extra, bytes_t *body,
                    size_t length, bool head_only)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 %d %s\r\nServer: libbytes-example\r\n"
                     "Content-Length: %zu\r\n%sConnection: %s\r\n\r\n",
                     code, reason(code), length, extra,
                     c->close_after ? "close" : "keep-alive");
    if (n < 0 || (size_t)n >= sizeof buf ||
        !ok(bytes_queue_write(&c->out, buf, (size_t)n), "header")) {
        c->close_after = true; /* no way to answer: give up on the connection */
        bytes_drop(body);
        return;
    }
    if (head_only)
        bytes_drop(body);
    else if (!ok(bytes_queue_push(&c->out, body), "body")) { /* a move into the queue */
        c->close_after = true; /* out of memory: the client sees it cut short */
        bytes_drop(body);
    }
    if (srv.max_requests > 0 && ++srv.served >= srv.max_requests)
        srv.draining = true;
}

/* An error with a short static text body; the errors after which the
 * stream cannot be trusted (or a body would be left unread) close it. */
static void respond_error(struct conn *c, int code, bool head_only)
{
    static const char text[] = "error\n";
    bytes_t body = bytes_from_static((const uint8_t *)text, sizeof text - 1);
    if (code != 403 && code != 404 && code != 416)
        c->close_after = true;
    respond(c, code, code == 405 ? "Allow: GET, HEAD\r\n" : "", &body,
            bytes_len(&body), head_only);
}

/* Cuts the request head (ending in an empty line) into fields: ranges
 * found by scanning, then one bytes_slice_many that makes every handle,
 * sharing the head's storage. Returns 0 or an HTTP error code. */
static int parse_head(const bytes_t *head, struct request *rq)
{
    bytes_range_t r[MAX_FIELDS];
    const uint8_t *p = bytes_ptr(head);
    size_t len = bytes_len(head) - 2; /* every line up to here ends in CRLF */
    size_t n = 0;
    for (size_t pos = 0, e; pos < len; pos = e + 2) {
        e = (size_t)((const uint8_t *)memmem(p + pos, len - pos, "\r\n", 2) - p);
        const uint8_t *line = p + pos, *end = p + e;
        if (n == 0) { /* request line: METHOD SP TARGET SP VERSION */
            const uint8_t *sp1 = memchr(line, ' ', e - pos);
            const uint8_t *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
            if (sp2 == NULL || sp1 == line || sp2 == sp1 + 1 || sp2 + 1 == end ||
                memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1)) != NULL)
                return 400;
            for (const uint8_t *t = line; t < sp1; t++)
                if (!is_tchar(*t))
                    return 400;
            for (const uint8_t *t = sp1 + 1; t < sp2; t++)
                if (*t <= ' ' || *t >= 0x7f)
                    return 400;
            /* HTTP-version = "HTTP/" DIGIT "." DIGIT */
            if (end - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/", 5) != 0 ||
                sp2[6] < '0' || sp2[6] > '9' || sp2[7] != '.' || sp2[8] < '0' || sp2[8] > '9')
                return 400;
            r[0] = (bytes_range_t){pos, (size_t)(sp1 - p)};
            r[1] = (bytes_range_t){(size_t)(sp1 - p) + 1, (size_t)(sp2 - p)};
            r[2] = (bytes_range_t){(size_t)(sp2 - p) + 1, e};
            n = 3;
            continue;
        }
        if (n == MAX_FIELDS)
            return 431;
        const uint8_t *colon = memchr(line, ':', e - pos);
        if (colon == NULL || colon == line)
            return 400;
        for (const uint8_t *t = line; t < colon; t++)
            if (!is_tchar(*t)) /* also rejects obsolete line folding */
                return 400;
        for (const uint8_t *t = colon + 1; t < end; t++)
            if (!is_field_byte(*t)) /* a bare CR or LF, NUL, ... */
                return 400;
        size_t vb = (size_t)(colon - p) + 1, ve = e;
        while (vb < ve && (p[vb] == ' ' || p[vb] == '\t'))
            vb++;
        while (ve > vb && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
            ve--;
        r[n++] = (bytes_range_t){pos, (size_t)(colon - p)};
        r[n++] = (bytes_range_t){vb, ve};
    }
    if (n < 3)
        return 400;
    if (!ok(bytes_slice_many(head, r, n, rq->f), "bytes_slice_many"))
        return 500;
    rq->nf = n;
    return 0;
}

/* Parses a decimal number at *p; SIZE_MAX if it overflows. */
static bool parse_num(const char **p, const char *end, size_t *out)
{
    const char *start = *p;
    size_t v = 0;
    for (; *p < end && **p >= '0' && **p <= '9'; (*p)++)
        v = v > (SIZE_MAX - 9) / 10 ? SIZE_MAX : v * 10 + (size_t)(**p - '0');
    *out = v;
    return *p > start;
}

/* "bytes=A-B", "bytes=A-" or "bytes=-N" of a file of `size` bytes: 206
 * with [*begin, *end) set, 416 if it starts beyond the file, or 200 to
 * ignore a header this server does not understand (several ranges, bad
 * syntax), as RFC 9110 allows, and send the whole file. */
static int parse_range(const bytes_t *v, size_t size, size_t *begin, size_t *end)
{
    const char *p = (const char *)bytes_ptr(v), *stop = p + bytes_len(v);
    size_t first, last;
    if (bytes_len(v) < 6 || strncasecmp(p, "bytes=", 6) != 0)
        return 200;
    p += 6;
    bool has_first = parse_num(&p, stop, &first);
    if (p == stop || *p++ != '-')
        return 200;
    bool has_last = parse_num(&p, stop, &last);
    if (p != stop || (!has_first && !has_last) || (has_first && has_last && last < first))
        return 200;
    if (has_first) {
        if (first >= size)
            return 416;
        *begin = first;
        *end = has_last && last < size - 1 ? last + 1 : size;
    } else { /* the last N bytes */
        if (last == 0 || size == 0)
            return 416;
        *begin = last >= size ? 0 : size - last;
        *end = size;
    }
    return 206;
}

/* Opens `rel` (a relative path) beneath the document root only: openat2
 * with RESOLVE_BENEATH refuses "..", absolute symbolic links and links
 * leading out of the root, whatever the path's components are. */
static int open_beneath(const char *rel)
{
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    return (int)syscall(SYS_openat2, srv.root_fd, rel, &how, sizeof how);
}

/* Whether `st` is the file cached in `e`, unchanged since it was mapped. */
static bool same_file(const struct cache_entry *e, const struct stat *st)
{
    return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
           e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec &&
           e->ctime.tv_sec == st->st_ctim.tv_sec && e->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* A new handle of the file `rel` under the root. The mapping is cached by
 * path and checked on use against what the path leads to now (device,
 * inode, size, modification and change times: one stat per event-loop
 * round, not per request of the same round): a file
 * replaced or rewritten since is mapped afresh, and responses still in
 * flight keep the old mapping alive through their own references. Returns
 * 0 or an HTTP error code. */
static int open_file(const char *rel, bytes_t *out)
{
    struct cache_entry *e = NULL;
    for (size_t i = 0; i < srv.ncached && e == NULL; i++)
        if (strcmp(srv.cache[i].path, rel) == 0)
            e = &srv.cache[i];
    /* A cached file is checked with one stat of its path, once in each
     * round of the event loop that uses it (requests that arrived together
     * share it). Where the path leads does not matter here: only the very
     * file mapped before (it was opened beneath the root), unchanged, is
     * served from the cache; anything else is opened afresh, beneath the
     * root. */
    struct stat st;
    if (e != NULL && (e->checked == srv.round ||
                      (fstatat(srv.root_fd, rel, &st, 0) == 0 && same_file(e, &st)))) {
        e->checked = srv.round;
        *out = bytes_clone(&e->file); /* one atomic increment */
        return 0;
    }
    int fd = open_beneath(rel);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
            return 503; /* out of descriptors or memory: try again later */
        if (errno == ENOENT || errno == ENOTDIR || errno == ENXIO)
            return 404;
        if (errno == EXDEV || errno == ELOOP || errno == EACCES || errno == EPERM)
            return 403; /* a link leading out of the root, or no permission */
        fprintf(stderr, "http_server: open %s: %s\n", rel, strerror(errno));
        return 500;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 404; /* a directory (without its slash), a device... */
    }
    if (e != NULL && same_file(e, &st)) { /* reached another way now */
        close(fd);
        e->checked = srv.round;
        *out = bytes_clone(&e->file);
        return 0;
    }
    bytes_t file;
    bytes_status_t bs = bytes_from_fd(fd, 0, (size_t)st.st_size, &file);
    close(fd);
    if (bs == BYTES_ERR_IO && (errno == ENOMEM || errno == EMFILE || errno == ENFILE))
        return 503;
    if (bs == BYTES_ERR_RANGE) /* shrunk between fstat and mmap: try later */
        return 503;
    if (!ok(bs, rel))
        return 500;
    if (e == NULL && srv.ncached < CACHE_SLOTS)
        e = &srv.cache[srv.ncached++];
    else if (e == NULL) /* full: replace the slots in turn */
        e = &srv.cache[srv.next_evict++ % CACHE_SLOTS];
    /* Responses in flight keep their clones of the old mapping. */
    bytes_drop(&e->file);
    snprintf(e->path, sizeof e->path, "%s", rel);
    e->file = file;
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->size = st.st_size;
    e->mtime = st.st_mtim;
    e->ctime = st.st_ctim;
    e->checked = srv.round;
    *out = bytes_clone(&e->file);
    return 0;
}

static int hex_digit(uint8_t ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch |= 0x20;
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The path of the target (`p`, `n` bytes, starting with '/'),
 * percent-decoded into `rel` without its leading slash, "index.html"
 * appended to a directory. 400 for a bad escape or a NUL, 403 for a
 * segment starting with a dot after decoding (".", "..", dotfiles such as
 * .git or .env), 414 if too long; 0 if fine. */
static int decode_path(const char *p, size_t n, char *rel, size_t cap)
{
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        int ch = (uint8_t)p[i];
        if (ch == '%') {
            int hi = i + 2 < n ? hex_digit((uint8_t)p[i + 1]) : -1;
            int lo = i + 2 < n ? hex_digit((uint8_t)p[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return 400;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch == 0)
            return 400;
        if (ch == '.' && (k == 0 || rel[k - 1] == '/'))
            return 403;
        if (k + 1 >= cap)
            return 414;
        rel[k++] = (char)ch;
    }
    if (k == 0 || rel[k - 1] == '/') { /* a directory means its index.html */
        if (k + sizeof "index.html" > cap)
            return 414;
        memcpy(rel + k, "index.html", sizeof "index.html" - 1);
        k += sizeof "index.html" - 1;
    }
    rel[k] = '\0';
    return 0;
}

/* GET or HEAD of a file under the document root. */
static void serve_file(struct conn *c, const struct request *rq, bool head_only)
{
    const bytes_t *target = &rq->f[1];
    const char *t = (const char *)bytes_ptr(target);
    size_t plen = 0; /* the path: the target up to a query or fragment */
    while (plen < bytes_len(target) && t[plen] != '?' && t[plen] != '#')
        plen++;
    /* The path as a handle of its own, found by pointer in the target. */
    bytes_t path;
    if (!ok(bytes_slice_ref(target, (const uint8_t *)t, plen, &path), "bytes_slice_ref")) {
        respond_error(c, 500, head_only);
        return;
    }
    const char *pp = (const char *)bytes_ptr(&path);
    char full[MAX_PATH];
    int code = plen == 0 || pp[0] != '/' ? 400 : decode_path(pp, plen, full, sizeof full);
    bytes_drop(&path);
    bytes_t body = bytes_new();
    if (code == 0)
        code = open_file(full, &body);
    if (code != 0) {
        respond_error(c, code, head_only);
        return;
    }

    size_t size = bytes_len(&body), begin = 0, end = size;
    const bytes_t *range = header(rq, "Range");
    code = range != NULL ? parse_range(range, size, &begin, &end) : 200;
    char extra[256];
    if (code == 416) {
        bytes_drop(&body);
        snprintf(extra, sizeof extra, "Content-Range: bytes */%zu\r\n", size);
        respond(c, 416, extra, &body, 0, head_only);
        return;
    }
    int k = snprintf(extra, sizeof extra, "Content-Type: %s\r\nAccept-Ranges: bytes\r\n",
                     content_type(full));
    if (code == 206) {
        /* The range as a view of the same mapping, in place: no copy. */
        if (!ok(bytes_slice(&body, begin, end, &body), "bytes_slice")) {
            bytes_drop(&body);
            respond_error(c, 500, head_only);
            return;
        }
        snprintf(extra + k, sizeof extra - (size_t)k,
                 "Content-Range: bytes %zu-%zu/%zu\r\n", begin, end - 1, size);
    }
    respond(c, code, extra, &body, end - begin, head_only);
}

/* Whether a Content-Length value is 1*DIGIT (`high` '9'), or is zero
 * (`high` '0'). */
static bool digits_upto(const bytes_t *v, char high)
{
    const uint8_t *p = bytes_ptr(v);
    for (size_t i = 0; i < bytes_len(v); i++)
        if (p[i] < '0' || p[i] > high)
            return false;
    return bytes_len(v) > 0;
}

/* The answer to a request with Transfer-Encoding, for a server that takes
 * no request bodies (RFC 9112 6.1, 6.3): 400 if the framing is faulty
 * (HTTP/1.0, also a Content-Length, or chunked not the final coding), 411
 * for a chunked body (send it with a length instead), 501 for other
 * codings, which this server does not implement. The connection closes. */
static int te_status(const struct request *rq, bool http11, size_t nlength)
{
    if (!http11 || nlength > 0)
        return 400;
    bool only_chunked = true, last_chunked = false;
    size_t nchunked = 0;
    for (size_t i = 3; i + 1 < rq->nf; i += 2) {
        if (bytes_len(&rq->f[i]) != 17 ||
            strncasecmp((const char *)bytes_ptr(&rq->f[i]), "Transfer-Encoding", 17) != 0)
            continue;
        const char *p = (const char *)bytes_ptr(&rq->f[i + 1]), *end = p + bytes_len(&rq->f[i + 1]);
        while (p < end) { /* each coding of the list; parameters belong to it */
            while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
                p++;
            const char *q = p;
            while (q < end && *q != ',')
                q++;
            const char *t = q;
            while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
                t--;
            if (t > p) {
                last_chunked = t - p == 7 && strncasecmp(p, "chunked", 7) == 0;
                only_chunked = only_chunked && last_chunked;
                nchunked += last_chunked;
            }
            p = q;
        }
    }
    if (!last_chunked || nchunked > 1)
        return 400;
    return only_chunked ? 411 : 501;
}

/* Answers one request, given its head. */
static void handle_request(struct conn *c, const bytes_t *head)
{
    struct request rq;
    rq.nf = 0; /* only the fields parse_head makes are read: no 4 KiB memset */
    int code = parse_head(head, &rq);
    bool head_only = rq.nf > 0 && eq(&rq.f[0], "HEAD");
    if (code != 0) {
        respond_error(c, code, false);
        return;
    }
    bool http11 = eq(&rq.f[2], "HTTP/1.1");
    const bytes_t *connection = header(&rq, "Connection");
    const bytes_t *length = NULL, *te = NULL, *host = NULL;
    size_t nlength = count_header(&rq, "Content-Length", &length);
    size_t nte = count_header(&rq, "Transfer-Encoding", &te);
    size_t nhost = count_header(&rq, "Host", &host);
    if (http11 ? connection != NULL && has_token(connection, "close")
               : connection == NULL || !has_token(connection, "keep-alive"))
        c->close_after = true;
    if (!http11 && !eq(&rq.f[2], "HTTP/1.0"))
        code = 505;
    else if (nte > 0)
        code = te_status(&rq, http11, nlength);
    else if (nlength > 1 || nhost > 1 || (http11 && nhost == 0))
        code = 400; /* ambiguous framing, or no single Host (RFC 9112 3.2, 6.3) */
    else if (nlength == 1 && !digits_upto(length, '9'))
        code = 400; /* not a number */
    else if (!head_only && !eq(&rq.f[0], "GET"))
        code = 405;
    else if (nlength == 1 && !digits_upto(length, '0'))
        code = 400; /* a request body, which GET and HEAD do not take */
    if (code != 0)
        respond_error(c, code, head_only);
    else
        serve_file(c, &rq, head_only);
    bytes_drop_many(rq.f, rq.nf); /* one count update for all the fields */
}

/* Whether the output queue has room for another response. */
static bool out_room(const struct conn *c)
{
    return bytes_queue_chunks(&c->out) + 2 <= OUT_CHUNKS;
}

/* Answers the complete requests in c->in while the output queue has room
 * for a response. Returns true if it stopped only for lack of room. */
static bool process_input(struct conn *c)
{
    while (!srv.draining && !c->close_after) {
        if (!out_room(c))
            return true;
        /* The end of the head, searched for across the chunks the reads
         * left, from where the last search stopped and within MAX_HEAD: a
         * larger head is refused without reading further. */
        size_t len = bytes_queue_len(&c->in), end;
        if (len == 0)
            return false; /* all answered */
        if (!bytes_queue_find(&c->in, c->scanned, MAX_HEAD, "\r\n\r\n", 4, &end)) {
            c->scanned = len > 3 ? len - 3 : 0;
            if (len >= MAX_HEAD)
                respond_error(c, 431, false);
            return false;
        }
        /* The head leaves the queue as one handle sharing the receive
         * buffer's storage, without a copy: it lies in one chunk, as the
         * buffer has room for an unfinished head and a read (RX_CAPACITY).
         * Once its fields are dropped, the next read reuses the storage. */
        bytes_t head;
        if (!ok(bytes_queue_take(&c->in, end + 4, &head), "bytes_queue_take")) {
            respond_error(c, 500, false);
            return false;
        }
        c->scanned = 0;
        c->in_head = false;
        handle_request(c, &head);
        bytes_drop(&head);
    }
    return false;
}

/* Sends the output queue with one sendmsg, which consumes what the socket
 * took: whatever is left (the queue holds fewer than the 1024 chunks one
 * call sends, so only because the socket is full) waits for EPOLLOUT.
 * Returns false if the connection failed. */
static bool flush(struct conn *c)
{
    size_t written;
    if (bytes_queue_len(&c->out) == 0)
        return true;
    bytes_status_t st = bytes_queue_sendmsg_fd(&c->out, c->fd, MSG_NOSIGNAL, &written);
    return st == BYTES_OK || would_block(st);
}

/* Polls the listener again (or stops): with the level-triggered listener
 * polled while accept4 fails for want of a descriptor, epoll_wait would
 * return at once, forever, and the loop would spin. */
static void poll_listener(bool on)
{
    if (srv.listen_fd < 0 || srv.accept_paused == !on)
        return;
    struct epoll_event ev = {.events = on ? EPOLLIN : 0, .data.ptr = &LISTEN_TAG};
    epoll_ctl(srv.epfd, EPOLL_CTL_MOD, srv.listen_fd, &ev);
    srv.accept_paused = !on;
}

static void conn_close(struct conn *c)
{
    close(c->fd); /* also removes it from the epoll set */
    bytes_queue_drop(&c->in);
    bytes_mut_drop(&c->rx);
    bytes_queue_drop(&c->out);
    srv.conns[c->slot] = NULL;
    srv.nconns--;
    free(c);
    if (srv.reserve_fd < 0) /* a descriptor is free again */
        srv.reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    poll_listener(true);
}

/* Answers a connection this server has no room for with 503 and closes
 * it, without blocking: what the client already sent is read first, so
 * that closing does not reset the connection and lose the answer. */
static void refuse(int fd)
{
    static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
                               "Server: libbytes-example\r\nRetry-After: 1\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n";
    char sink[4096];
    for (int i = 0; i < 4 && recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; i++)
        ; /* a request head or so, not a stream that would keep us here */
    (void)!send(fd, busy, sizeof busy - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    close(fd);
}

/* Answers what can be answered, sends what can be sent, and sets the
 * epoll interest: reading while there is room in the queue, writing while
 * it is not empty. Returns false if it closed the connection. */
static bool service(struct conn *c)
{
    for (;;) {
        bool full = process_input(c);
        if (!flush(c)) {
            conn_close(c);
            return false;
        }
        if (!full || bytes_queue_len(&c->out) > 0)
            break;
    }
    bool sending = bytes_queue_len(&c->out) > 0;
    if (!sending && (c->peer_closed || srv.draining)) {
        conn_close(c);
        return false;
    }
    if (!sending && c->close_after && !c->lingering) {
        /* Closing with unread input would make the kernel reset the
         * connection, and the client could lose the last response: send
         * a FIN instead and read (discarding) until the client closes. */
        shutdown(c->fd, SHUT_WR);
        c->lingering = true;
        c->deadline = srv.now + srv.linger_ms; /* not extended by input */
    }
    if (!c->lingering) {
        if (!c->in_head && bytes_queue_len(&c->in) > 0) { /* a new head begins */
            c->in_head = true;
            c->head_since = srv.now;
        }
        /* A head must be complete within header_ms of its start, however
         * slowly its bytes trickle in; a response being sent and a
         * connection kept alive between requests get idle_ms from the
         * last progress. */
        c->deadline = c->in_head && !sending ? c->head_since + srv.header_ms
                                             : srv.now + srv.idle_ms;
    }
    uint32_t want = sending ? EPOLLOUT : 0;
    if (c->lingering || (!c->close_after && !c->peer_closed && !srv.draining &&
                         out_room(c)))
        want |= EPOLLIN;
    if (want != c->events) {
        struct epoll_event ev = {.events = want, .data.ptr = c};
        epoll_ctl(srv.epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->events = want;
    }
    return true;
}

static void on_conn_event(struct conn *c, uint32_t events)
{
    if (events & EPOLLERR) {
        conn_close(c);
        return;
    }
    if ((events & (EPOLLIN | EPOLLHUP)) && !c->peer_closed) {
        size_t n;
        if (c->lingering)
            bytes_queue_drop(&c->in); /* discarded */
        bytes_status_t st = bytes_queue_read_fd(&c->in, &c->rx, c->fd, READ_CHUNK, &n);
        if (st != BYTES_OK && !would_block(st)) {
            conn_close(c); /* ECONNRESET and the like */
            return;
        }
        if (st == BYTES_OK && n == 0)
            c->peer_closed = true;
    }
    service(c);
}

/* Accepts every pending connection. Out of descriptors (EMFILE, ENFILE),
 * the reserve descriptor is given up for the time it takes to accept one
 * connection, answer it 503 and close it, so that the backlog drains and
 * clients hear why; without a reserve, the listener stops being polled
 * until a connection closes. */
static void accept_all(void)
{
    while (srv.listen_fd >= 0) {
        int fd = accept4(srv.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
            if (srv.reserve_fd >= 0) {
                close(srv.reserve_fd);
                fd = accept4(srv.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd >= 0)
                    refuse(fd);
                srv.reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (fd >= 0 && srv.reserve_fd >= 0)
                    continue;
            }
            poll_listener(false);
            return;
        }
        if (fd < 0) {
            if (errno == ECONNABORTED || errno == EINTR)
                continue;
            if (errno == ENOBUFS || errno == ENOMEM)
                poll_listener(false); /* for a second, or until a connection closes */
            return; /* EAGAIN: all accepted */
        }
        struct conn *c = srv.nconns < (size_t)srv.max_conns ? calloc(1, sizeof *c) : NULL;
        if (c != NULL && bytes_mut_with_capacity(RX_CAPACITY, &c->rx) != BYTES_OK) {
            free(c);
            c = NULL;
        }
        if (c == NULL) {
            refuse(fd); /* the connection cap, or out of memory */
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        c->events = EPOLLIN;
        c->in_head = true; /* the first request is due within header_ms */
        c->head_since = srv.now;
        c->deadline = srv.now + srv.header_ms;
        for (c->slot = 0; srv.conns[c->slot] != NULL; c->slot++)
            ;
        srv.conns[c->slot] = c;
        srv.nconns++;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(srv.epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
            conn_close(c);
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Closes the connections past their deadline: a head still unfinished is
 * answered 408 first (then the lingering close, with its own limit). */
static void sweep(void)
{
    for (size_t i = 0; i < MAX_CONNS; i++) {
        struct conn *c = srv.conns[i];
        if (c == NULL || c->deadline > srv.now)
            continue;
        if (!c->lingering && bytes_queue_len(&c->out) == 0 && !c->close_after &&
            bytes_queue_len(&c->in) > 0) {
            respond_error(c, 408, false);
            service(c);
        } else {
            conn_close(c);
        }
    }
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("http_server: listen");
        exit(1);
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);
    return fd;
}

int main(int argc, char **argv)
{
    int port = 8080, opt;
    srv.root = ".";
    srv.max_conns = MAX_CONNS;
    srv.header_ms = 10000;
    srv.idle_ms = 30000;
    srv.linger_ms = 5000;
    while ((opt = getopt(argc, argv, "p:r:n:c:t:k:l:")) != -1) {
        char *end = NULL;
        long v = opt != 'r' ? strtol(optarg, &end, 10) : 0;
        if (opt == 'p' && *end == '\0' && v >= 0 && v <= 65535)
            port = (int)v;
        else if (opt == 'n' && *end == '\0' && v > 0)
            srv.max_requests = v;
        else if (opt == 'r')
            srv.root = optarg;
        else if (opt == 'c' && *end == '\0' && v > 0 && v <= MAX_CONNS)
            srv.max_conns = v;
        else if (strchr("tkl", opt) != NULL && *end == '\0' && v > 0 && v <= 86400000)
            *(opt == 't' ? &srv.header_ms : opt == 'k' ? &srv.idle_ms : &srv.linger_ms) = v;
        else {
            fprintf(stderr,
                    "usage: %s [-p PORT] [-r DOCROOT] [-n MAX_REQUESTS] [-c MAX_CONNS]\n"
                    "       [-t HEADER_MS] [-k IDLE_MS] [-l LINGER_MS]\n",
                    argv[0]);
            return 2;
        }
    }
    struct stat st;
    srv.root_fd = open(srv.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (srv.root_fd < 0 || fstat(srv.root_fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "http_server: %s is not a directory\n", srv.root);
        return 2;
    }

    /* SIGPIPE needs no handling: every write is a send with MSG_NOSIGNAL.
     * SIGINT and SIGTERM arrive as events of a signalfd (their default
     * action is restored first: a shell may start a background job with
     * SIGINT ignored, and an ignored signal is never delivered). */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_signals, NULL);
    srv.sig_fd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    srv.epfd = epoll_create1(EPOLL_CLOEXEC);
    srv.reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    srv.listen_fd = listen_on(port);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &LISTEN_TAG};
    struct epoll_event sev = {.events = EPOLLIN, .data.ptr = &SIGNAL_TAG};
    if (srv.sig_fd < 0 || srv.epfd < 0 ||
        epoll_ctl(srv.epfd, EPOLL_CTL_ADD, srv.listen_fd, &lev) != 0 ||
        epoll_ctl(srv.epfd, EPOLL_CTL_ADD, srv.sig_fd, &sev) != 0) {
        perror("http_server: epoll");
        return 1;
    }

    /* Deadlines are checked every tick: a quarter of the shortest limit,
     * 10 ms to 1 s. */
    long tick = srv.header_ms < srv.idle_ms ? srv.header_ms : srv.idle_ms;
    tick = (tick < srv.linger_ms ? tick : srv.linger_ms) / 4;
    tick = tick < 10 ? 10 : tick > 1000 ? 1000 : tick;
    bool stop = false;
    srv.now = now_ms();
    srv.next_sweep = srv.now + tick;
    while (!stop && !(srv.draining && srv.nconns == 0)) {
        struct epoll_event evs[64];
        /* A paused listener is tried again each second. */
        int timeout = srv.nconns > 0 ? (int)(srv.next_sweep - srv.now) : -1;
        if (srv.accept_paused && (timeout < 0 || timeout > 1000))
            timeout = 1000;
        int n = epoll_wait(srv.epfd, evs, 64, timeout < 0 && srv.nconns > 0 ? 0 : timeout);
        srv.now = now_ms();
        srv.round++;
        if (n == 0)
            poll_listener(true);
        if (srv.now >= srv.next_sweep) {
            sweep();
            srv.next_sweep = srv.now + tick;
        }
        if (n < 0 && errno != EINTR) {
            perror("http_server: epoll_wait");
            break;
        }
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &LISTEN_TAG)
                accept_all();
            else if (evs[i].data.ptr == &SIGNAL_TAG)
                stop = true;
            else
                on_conn_event(evs[i].data.ptr, evs[i].events);
        }
        if (srv.draining && srv.listen_fd >= 0) { /* MAX_REQUESTS reached */
            close(srv.listen_fd);
            srv.listen_fd = -1;
        }
        for (size_t i = 0; srv.draining && i < MAX_CONNS; i++)
            if (srv.conns[i] != NULL && bytes_queue_len(&srv.conns[i]->out) == 0)
                conn_close(srv.conns[i]); /* idle: nothing left to send */
    }

    /* Shut down: every connection and cached file is released, so that a
     * leak checker finds nothing. */
    for (size_t i = 0; i < MAX_CONNS; i++)
        if (srv.conns[i] != NULL)
            conn_close(srv.conns[i]);
    for (size_t i = 0; i < srv.ncached; i++)
        bytes_drop(&srv.cache[i].file);
    if (srv.listen_fd >= 0)
        close(srv.listen_fd);
    close(srv.sig_fd);
    close(srv.epfd);
    if (srv.reserve_fd >= 0)
        close(srv.reserve_fd);
    close(srv.root_fd);
    return 0;
}
