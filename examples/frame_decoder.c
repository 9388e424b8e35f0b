/*
 * frame_decoder.c - decode length-prefixed frames from a byte stream
 * without copying them out of the receive buffer.
 *
 * The protocol: each frame is a 32-bit big-endian payload length, then
 * that many payload bytes. Bytes arrive in chunks of any size, so a read
 * may end in the middle of a length or of a payload.
 *
 * The receive buffer is one bytes_mut_t. Each round it
 *   1. makes room with bytes_mut_reserve: once the frames before have been
 *      dropped, this reuses the same storage (the unfinished frame moves to
 *      its front) instead of allocating;
 *   2. read(2)s straight into the spare capacity (bytes_mut_spare) and
 *      marks what arrived as written (bytes_mut_commit);
 *   3. cuts each complete frame off the front (bytes_mut_split_to) and
 *      freezes it into a bytes_t over the very same memory - no copy.
 *
 * Usage:  frame_decoder       send built-in frames through a pipe to itself
 *                             in small chunks, decode and verify them
 *         frame_decoder - < f decode the frames read from stdin
 */
#include "bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { READ_MAX = 64, MAX_FRAME = 1 << 20, N_FRAMES = 200 };

static void check(bytes_status_t st, const char *what)
{
    if (st != BYTES_OK) {
        fprintf(stderr, "frame_decoder: %s: %s\n", what, bytes_status_str(st));
        exit(1);
    }
}

/* FNV-1a, standing in for whatever a real program does with a frame. */
static uint32_t checksum(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    while (n-- > 0)
        h = (h ^ *p++) * 16777619u;
    return h;
}

/* The test frames: frame i has (i * 37) % 300 bytes, some of them empty. */
static size_t frame_len(unsigned i) { return (i * 37u) % 300u; }
static uint8_t frame_byte(unsigned i, size_t k) { return (uint8_t)(i + k * 13); }

/* Decoding state. */
struct decoder {
    bytes_mut_t rx;  /* the receive buffer */
    unsigned frames; /* frames decoded so far */
    int verify;      /* compare with the built-in frames */
    unsigned reused, grown;
};

/* Steps 1 and 2: one read(2) into the spare capacity. Returns the number
 * of bytes read, 0 at end of stream. */
static size_t receive(struct decoder *d, int fd)
{
    if (bytes_mut_capacity(&d->rx) - bytes_mut_len(&d->rx) < READ_MAX) {
        if (bytes_mut_try_reclaim(&d->rx, READ_MAX))
            d->reused++; /* room made inside the current storage */
        else
            d->grown++;
        check(bytes_mut_reserve(&d->rx, READ_MAX), "reserve");
    }
    size_t spare;
    uint8_t *dst = bytes_mut_spare(&d->rx, &spare);
    ssize_t n = read(fd, dst, READ_MAX < spare ? READ_MAX : spare);
    if (n < 0) {
        perror("frame_decoder: read");
        exit(1);
    }
    check(bytes_mut_commit(&d->rx, (size_t)n), "commit");
    return (size_t)n;
}

/* Step 3: cut off and process every complete frame in the buffer. */
static void decode(struct decoder *d)
{
    while (bytes_mut_len(&d->rx) >= 4) {
        const uint8_t *p = bytes_mut_ptr(&d->rx);
        size_t len = (size_t)p[0] << 24 | (size_t)p[1] << 16 |
                     (size_t)p[2] << 8 | p[3];
        if (len > MAX_FRAME) {
            fprintf(stderr, "frame_decoder: frame of %zu bytes\n", len);
            exit(1);
        }
        if (bytes_mut_len(&d->rx) < 4 + len)
            return; /* the rest has not arrived yet */

        /* The frame leaves the buffer as a bytes_t over the same memory. */
        bytes_mut_t cut;
        check(bytes_mut_split_to(&d->rx, 4 + len, &cut), "split_to");
        bytes_t frame = bytes_mut_freeze(&cut);
        if (bytes_ptr(&frame) != p) {
            fprintf(stderr, "frame_decoder: frame was copied\n");
            exit(1);
        }
        uint32_t n;
        check(bytes_get_u32_be(&frame, &n), "length"); /* skip the length */
        uint32_t sum = checksum(bytes_ptr(&frame), bytes_len(&frame));
        printf("frame %3u: %3zu bytes, fnv1a %08x, at %p in the receive "
               "buffer\n", d->frames, bytes_len(&frame), (unsigned)sum,
               (const void *)bytes_ptr(&frame));

        if (d->verify) {
            int ok = d->frames < N_FRAMES && n == frame_len(d->frames);
            for (size_t k = 0; ok && k < n; k++)
                ok = bytes_ptr(&frame)[k] == frame_byte(d->frames, k);
            if (!ok) {
                fprintf(stderr, "frame_decoder: frame %u is wrong\n",
                        d->frames);
                exit(1);
            }
        }
        d->frames++;
        bytes_drop(&frame); /* its part of the storage can be reused */
    }
}

/* Encode the test frames into one buffer, with the same API. */
static bytes_t encode_frames(void)
{
    bytes_mut_t out = bytes_mut_new();
    for (unsigned i = 0; i < N_FRAMES; i++) {
        check(bytes_mut_put_u32_be(&out, (uint32_t)frame_len(i)), "put");
        for (size_t k = 0; k < frame_len(i); k++)
            check(bytes_mut_put_u8(&out, frame_byte(i, k)), "put");
    }
    return bytes_mut_freeze(&out);
}

int main(int argc, char **argv)
{
    struct decoder d = {bytes_mut_new(), 0, 0, 0, 0};
    check(bytes_mut_with_capacity(256, &d.rx), "with_capacity");

    if (argc > 1 && strcmp(argv[1], "-") == 0) {
        while (receive(&d, 0) > 0)
            decode(&d);
    } else {
        /* Write the stream to ourselves through a pipe, a few bytes at a
         * time, reading in between: never more in the pipe than it holds. */
        d.verify = 1;
        bytes_t stream = encode_frames();
        const uint8_t *next = bytes_ptr(&stream);
        size_t left = bytes_len(&stream), pending = 0;
        unsigned seed = 1;
        int fds[2];
        if (pipe(fds) != 0) {
            perror("frame_decoder: pipe");
            return 1;
        }
        for (;;) {
            if (left > 0) {
                seed = seed * 1103515245u + 12345u;
                size_t chunk = 1 + (seed >> 16) % 50;
                if (chunk > left)
                    chunk = left;
                if (write(fds[1], next, chunk) != (ssize_t)chunk) {
                    perror("frame_decoder: write");
                    return 1;
                }
                next += chunk, left -= chunk, pending += chunk;
                if (left == 0)
                    close(fds[1]); /* end of stream */
            }
            if (pending == 0 && left > 0)
                continue;
            size_t n = receive(&d, fds[0]);
            if (n == 0)
                break;
            pending -= n;
            decode(&d);
        }
        close(fds[0]);
        bytes_drop(&stream);
        if (d.frames != N_FRAMES) {
            fprintf(stderr, "frame_decoder: %u of %d frames decoded\n",
                    d.frames, N_FRAMES);
            return 1;
        }
    }

    if (bytes_mut_len(&d.rx) != 0) {
        fprintf(stderr, "frame_decoder: stream ends inside a frame\n");
        return 1;
    }
    printf("decoded %u frames; receive storage reused %u times, grown %u "
           "times\n", d.frames, d.reused, d.grown);
    bytes_mut_drop(&d.rx);
    return 0;
}
