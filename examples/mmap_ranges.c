/*
 * mmap_ranges.c - serve byte ranges of a file from one mapping, the way a
 * web server answers HTTP Range requests ("Range: bytes=100-199").
 *
 * bytes_from_file maps the file once, read-only, without reading it. Each
 * range is then a bytes_slice of that one handle: a pointer into the
 * mapping and a reference that keeps it mapped - no read(2), no copy, no
 * allocation per range. The slices are ready for bytes_writev_fd or
 * bytes_fill_iovec. The file is unmapped when the last slice is dropped.
 *
 * Usage:  mmap_ranges          serve ranges of a generated temporary file
 *         mmap_ranges FILE     serve the same ranges of FILE
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, unlink */
#include "bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *what, bytes_status_t st)
{
    fprintf(stderr, "mmap_ranges: %s: %s\n", what, bytes_status_str(st));
    exit(1);
}

/* A range as in an HTTP Range header, end inclusive: "first-last",
 * "first-" (to the end) or "-n" (the last n bytes). */
struct range {
    const char *spec;
    long long first, last; /* -1: not given */
};

/* Resolve a range against the file size into [begin, end); 0 if it is
 * unsatisfiable (HTTP 416). */
static int resolve(const struct range *r, size_t size, size_t *begin,
                   size_t *end)
{
    if (r->first < 0) { /* suffix: the last r->last bytes */
        size_t n = (size_t)r->last < size ? (size_t)r->last : size;
        *begin = size - n;
        *end = size;
        return n > 0;
    }
    if ((size_t)r->first >= size)
        return 0;
    *begin = (size_t)r->first;
    *end = (r->last < 0 || (size_t)r->last >= size) ? size
                                                    : (size_t)r->last + 1;
    return *end > *begin;
}

/* A file of numbered lines, so that every range shows where it is. */
static void make_sample(char *path)
{
    strcpy(path, "/tmp/mmap_ranges-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        perror("mmap_ranges: temporary file");
        exit(1);
    }
    for (int i = 0; i < 400; i++) /* 400 lines of 32 bytes */
        fprintf(f, "line %04d of the sample file...\n", i);
    fclose(f);
}

int main(int argc, char **argv)
{
    char sample[32] = "";
    const char *path = argc > 1 ? argv[1] : NULL;
    if (path == NULL) {
        make_sample(sample);
        path = sample;
    }

    /* 1. Map the file once. */
    bytes_t file;
    bytes_status_t st = bytes_from_file(path, &file);
    if (st != BYTES_OK)
        die(path, st);
    if (sample[0] != '\0')
        unlink(sample); /* the mapping outlives the name */
    const uint8_t *base = bytes_ptr(&file);
    size_t size = bytes_len(&file);
    printf("%s: %zu bytes mapped at %p\n\n", path, size, (const void *)base);

    /* 2. Answer the requests with slices of that one handle. */
    static const struct range requests[] = {
        {"bytes=0-31", 0, 31},      {"bytes=3200-3263", 3200, 3263},
        {"bytes=12790-", 12790, -1}, {"bytes=-40", -1, 40},
        {"bytes=99999-", 99999, -1},
    };
    enum { NREQ = sizeof requests / sizeof requests[0] };
    bytes_t parts[NREQ];
    size_t nparts = 0;
    for (size_t i = 0; i < NREQ; i++) {
        size_t begin, end;
        if (!resolve(&requests[i], size, &begin, &end)) {
            printf("%-16s -> 416 Range Not Satisfiable\n", requests[i].spec);
            continue;
        }
        bytes_t *part = &parts[nparts++];
        st = bytes_slice(&file, begin, end, part);
        if (st != BYTES_OK)
            die("bytes_slice", st);
        /* No copy: the slice points into the mapping. */
        if (bytes_ptr(part) != base + begin)
            die("slice is not inside the mapping", BYTES_ERR_INVALID);
        size_t show = bytes_len(part) < 24 ? bytes_len(part) : 24;
        printf("%-16s -> 206 Content-Range: bytes %zu-%zu/%zu\n"
               "%20s%zu bytes at mapping+%td: \"", requests[i].spec, begin,
               end - 1, size, "", bytes_len(part), bytes_ptr(part) - base);
        for (size_t k = 0; k < show; k++) {
            char c = (char)bytes_ptr(part)[k];
            putchar(c >= 32 && c < 127 ? c : '.');
        }
        printf("%s\"\n", show < bytes_len(part) ? "..." : "");
    }

    /* Self-check on the generated sample: the ranges hold what was
     * written there. */
    if (sample[0] != '\0') {
        static const char *const want[] = {
            "line 0000 of the sample file...\n", "line 0100 of the sample",
            "e file...\n", "file...\nline 0399 of the sample file...\n"};
                if (size != 400 * 32 || nparts != 4)
            die("unexpected sample file", BYTES_ERR_INVALID);
        for (size_t i = 0; i < nparts; i++)
            if (bytes_len(&parts[i]) < strlen(want[i]) ||
                memcmp(bytes_ptr(&parts[i]), want[i], strlen(want[i])) != 0)
                die("a range has the wrong bytes", BYTES_ERR_INVALID);
    }

    /* 3. The slices keep the mapping alive on their own. */
    bytes_drop(&file);
    printf("\nfile handle dropped; %zu slices still readable", nparts);
    for (size_t i = 0; i < nparts; i++) {
        size_t sum = 0;
        for (size_t k = 0; k < bytes_len(&parts[i]); k++)
            sum += bytes_ptr(&parts[i])[k];
        printf("%s%zu", i == 0 ? " (byte sums: " : ", ", sum);
    }
    printf("%s\n", nparts > 0 ? ")" : "");
    for (size_t i = 0; i < nparts; i++)
        bytes_drop(&parts[i]); /* the last one unmaps the file */
    printf("all slices dropped: file unmapped\n");
    return 0;
}
