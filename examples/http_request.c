/*
 * http_request.c - parse an HTTP request without copying a byte.
 *
 * The request sits in one malloc'ed buffer, which bytes_from_malloc hands
 * over to libbytes. The parser cuts it into handles - method, path,
 * version, each header's name and value - that all point into that same
 * buffer: no copies, no allocations. The handles are plain values kept in
 * an array; the buffer is freed when the last of them is dropped.
 *
 * Usage:  http_request          parse a built-in example request
 *         http_request - < f    parse the request read from stdin
 */
#include "bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char EXAMPLE[] = "GET /api/v1/items?id=42 HTTP/1.1\r\n"
                              "Host: example.com\r\n"
                              "User-Agent: curl/8.5.0\r\n"
                              "Accept: text/html\r\n"
                              "Connection: keep-alive\r\n"
                              "\r\n";

enum { MAX_FIELDS = 3 + 2 * 32 }; /* request line + up to 32 headers */

struct field {
    const char *what;
    bytes_t bytes;
};

static void fail(const char *what)
{
    fprintf(stderr, "http_request: %s\n", what);
    exit(1);
}

static void check(bytes_status_t st, const char *what)
{
    if (st != BYTES_OK) {
        fprintf(stderr, "http_request: %s: %s\n", what, bytes_status_str(st));
        exit(1);
    }
}

/* Read all of stdin into a malloc'ed buffer; returns its length. */
static size_t read_stdin(char **out)
{
    size_t len = 0, cap = 4096, n;
    char *buf = malloc(cap);
    while (buf != NULL && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL)
                free(buf);
            buf = bigger;
        }
    }
    if (buf == NULL)
        fail("out of memory");
    *out = buf;
    return len;
}

/* Cut the next CRLF-terminated line off the front of *rest into *line,
 * without the CRLF. Returns 0 when no complete line is left. */
static int next_line(bytes_t *rest, bytes_t *line)
{
    const char *p = (const char *)bytes_ptr(rest);
    for (size_t i = 0; i + 1 < bytes_len(rest); i++) {
        if (p[i] == '\r' && p[i + 1] == '\n') {
            check(bytes_split_to(rest, i, line), "split line");
            check(bytes_advance(rest, 2), "skip CRLF");
            return 1;
        }
    }
    return 0;
}

/* Append the n bytes at `from`, which the parser found inside `line`, to
 * the fields: bytes_slice_ref turns a pointer into a handle that keeps
 * the buffer alive. */
static void add(struct field *fields, size_t *count, const char *what,
                const bytes_t *line, const char *from, size_t n)
{
    if (*count == MAX_FIELDS)
        fail("too many headers");
    fields[*count].what = what;
    check(bytes_slice_ref(line, (const uint8_t *)from, n,
                          &fields[*count].bytes), what);
    (*count)++;
}

int main(int argc, char **argv)
{
    /* 1. The request, in a buffer of our own from malloc. */
    char *raw;
    size_t raw_len = sizeof EXAMPLE - 1;
    if (argc > 1 && strcmp(argv[1], "-") == 0) {
        raw_len = read_stdin(&raw);
    } else if ((raw = malloc(raw_len)) != NULL) {
        memcpy(raw, EXAMPLE, raw_len);
    } else {
        fail("out of memory");
    }

    /* 2. Hand it to libbytes: from now on the library frees it. */
    bytes_t request;
    check(bytes_from_malloc(raw, raw_len, &request), "bytes_from_malloc");
    const uint8_t *base = bytes_ptr(&request);
    printf("request: %zu bytes in one malloc'ed buffer at %p\n\n",
           bytes_len(&request), (const void *)base);

    /* 3. Parse. `rest` is what is left to parse, `line` the current line. */
    struct field fields[MAX_FIELDS];
    size_t count = 0;
    bytes_t rest = bytes_clone(&request), line = bytes_new();

    if (!next_line(&rest, &line))
        fail("no request line");
    const char *p = (const char *)bytes_ptr(&line);
    const char *end = p + bytes_len(&line);
    const char *sp1 = memchr(p, ' ', bytes_len(&line));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
    if (sp2 == NULL)
        fail("malformed request line");
    add(fields, &count, "method", &line, p, (size_t)(sp1 - p));
    add(fields, &count, "path", &line, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    add(fields, &count, "version", &line, sp2 + 1, (size_t)(end - sp2 - 1));
    bytes_drop(&line);

    /* "Name: value" header lines, up to the empty line. */
    while (next_line(&rest, &line) && !bytes_is_empty(&line)) {
        p = (const char *)bytes_ptr(&line);
        end = p + bytes_len(&line);
        const char *colon = memchr(p, ':', bytes_len(&line));
        if (colon == NULL)
            fail("malformed header line");
        const char *value = colon + 1;
        while (value < end && (*value == ' ' || *value == '\t'))
            value++;
        add(fields, &count, "header name", &line, p, (size_t)(colon - p));
        add(fields, &count, "header value", &line, value, (size_t)(end - value));
        bytes_drop(&line);
    }
    bytes_drop(&line);
    bytes_drop(&rest);

    /* 4. Every handle points into the one buffer. */
    printf("%-13s %6s %4s  %-16s %s\n", "field", "offset", "len", "pointer",
           "bytes");
    for (size_t i = 0; i < count; i++) {
        const bytes_t *f = &fields[i].bytes;
        printf("%-13s %6td %4zu  %-16p \"%.*s\"\n", fields[i].what,
               bytes_ptr(f) - base, bytes_len(f), (const void *)bytes_ptr(f),
               (int)bytes_len(f), (const char *)bytes_ptr(f));
    }
    printf("\n%zu handles, 0 bytes copied, no allocation while parsing\n",
           count);

    /* 5. Any handle keeps the buffer alive; the last one frees it. */
    printf("request handle unique? %s: the fields share its buffer\n",
           bytes_is_unique(&request) ? "yes" : "no");
    bytes_drop(&request);
    for (size_t i = 0; i + 1 < count; i++)
        bytes_drop(&fields[i].bytes);
    const bytes_t *last = &fields[count - 1].bytes;
    printf("request and all fields but the last dropped: \"%.*s\" is still "
           "readable, unique? %s\n", (int)bytes_len(last),
           (const char *)bytes_ptr(last), bytes_is_unique(last) ? "yes" : "no");
    bytes_drop(&fields[count - 1].bytes); /* frees the buffer */
    printf("last handle dropped: buffer freed\n");
    return 0;
}
