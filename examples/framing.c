/*
 * framing.c - a length-prefixed codec over a socket with bytes_queue_t.
 *
 * The protocol: each frame is a 32-bit big-endian payload length, then
 * that many payload bytes. One process plays both ends of a socketpair,
 * both non-blocking:
 *
 *   sender    for each frame, writes the 4-byte length into the send queue
 *             (bytes_queue_write: small writes share one storage) and pushes
 *             the payload, a slice of a shared buffer, without a copy; then
 *             bytes_queue_sendmsg_fd with MSG_NOSIGNAL sends what the socket
 *             takes and consumes exactly that: a partial send leaves the
 *             rest queued, a gone peer is an error (EPIPE), not a signal.
 *   receiver  bytes_queue_read_fd reads pieces of 1 to 4096 bytes into one
 *             receive buffer and appends them to the receive queue; pieces
 *             that follow each other in the buffer merge into one chunk, and
 *             once the frames taken before are dropped the buffer's storage
 *             is reclaimed through the queue instead of reallocated. A frame
 *             is decoded when it is complete: bytes_queue_peek and
 *             bytes_load_u32_be look at the length, bytes_queue_get_u32_be
 *             consumes it (across chunk boundaries), bytes_queue_take gives
 *             the payload as one bytes_t, zero-copy when it lies in one
 *             chunk.
 *
 * No offsets kept by the caller, no memmove, no signal(SIGPIPE, ...).
 *
 * Usage: framing   (prints "decoded N frames" and exits 0 when every
 *                   payload arrived intact)
 */
#include "bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { N_FRAMES = 2000, MAX_PAYLOAD = 3000, MAX_PIECE = 4096, RX_CAPACITY = 16384 };

static void check(bytes_status_t st, const char *what)
{
    if (st != BYTES_OK) {
        fprintf(stderr, "framing: %s: %s (%s)\n", what, bytes_status_str(st), strerror(errno));
        exit(1);
    }
}

/* A small deterministic generator for payload sizes and read sizes. */
static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

/* Queues one frame: the length, then the payload without a copy. */
static void encode(bytes_queue_t *out, const bytes_t *pattern, size_t offset, size_t len)
{
    uint8_t header[4];
    bytes_store_u32_be(header, (uint32_t)len);
    check(bytes_queue_write(out, header, sizeof header), "write header");
    bytes_t payload;
    check(bytes_slice(pattern, offset, offset + len, &payload), "slice payload");
    check(bytes_queue_push(out, &payload), "push payload");
}

/* Sends what the socket takes now; false when it takes nothing more. */
static int send_some(bytes_queue_t *out, int fd)
{
    size_t written = 0;
    bytes_status_t st = bytes_queue_sendmsg_fd(out, fd, MSG_NOSIGNAL | MSG_DONTWAIT, &written);
    if (st == BYTES_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    check(st, "sendmsg");
    return written > 0;
}

struct receiver {
    bytes_queue_t in;
    bytes_mut_t rx;
    size_t frames;
    size_t zero_copy;
};

/* Decodes every complete frame in the queue and checks its payload
 * against the pattern it was sliced from. */
static void decode(struct receiver *r, const bytes_t *pattern, uint32_t *expect_state)
{
    for (;;) {
        uint8_t header[4];
        if (bytes_queue_peek(&r->in, 0, header, sizeof header) != BYTES_OK)
            return; /* not even a length yet */
        uint32_t len = bytes_load_u32_be(header);
        if (bytes_queue_len(&r->in) - sizeof header < len)
            return; /* the payload is still arriving */
        check(bytes_queue_get_u32_be(&r->in, &len), "get length");
        int one_chunk = bytes_len(bytes_queue_front(&r->in)) >= len;
        bytes_t payload;
        check(bytes_queue_take(&r->in, len, &payload), "take payload");

        size_t want_len = next_random(expect_state) % (MAX_PAYLOAD + 1);
        size_t want_off = next_random(expect_state) % (bytes_len(pattern) - MAX_PAYLOAD);
        if (bytes_len(&payload) != want_len ||
            memcmp(bytes_ptr(&payload), bytes_ptr(pattern) + want_off, want_len) != 0) {
            fprintf(stderr, "framing: frame %zu is corrupt\n", r->frames);
            exit(1);
        }
        r->frames++;
        r->zero_copy += (size_t)one_chunk;
        bytes_drop(&payload);
    }
}

/* Reads pieces while any are there; returns the bytes read. */
static size_t receive_some(struct receiver *r, int fd, uint32_t *piece_state)
{
    size_t total = 0;
    for (;;) {
        size_t max = 1 + next_random(piece_state) % MAX_PIECE;
        size_t nread = 0;
        bytes_status_t st = bytes_queue_read_fd(&r->in, &r->rx, fd, max, &nread);
        if (st == BYTES_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK))
            return total;
        check(st, "read");
        if (nread == 0)
            return total; /* end of stream */
        total += nread;
    }
}

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        perror("socketpair");
        return 1;
    }
    fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);

    /* The payloads are slices of one shared buffer. */
    static uint8_t text[MAX_PAYLOAD * 4];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)(i * 7 + i / 251);
    bytes_t pattern;
    check(bytes_copy_from(text, sizeof text, &pattern), "pattern");

    bytes_queue_t out = bytes_queue_new();
    struct receiver r = {bytes_queue_new(), bytes_mut_new(), 0, 0};
    check(bytes_mut_with_capacity(RX_CAPACITY, &r.rx), "receive buffer");

    uint32_t send_state = 12345, expect_state = 12345, piece_state = 777;
    size_t encoded = 0;
    while (r.frames < N_FRAMES) {
        /* Keep a few frames queued on the sending side. */
        while (encoded < N_FRAMES && bytes_queue_len(&out) < 4 * MAX_PAYLOAD) {
            size_t len = next_random(&send_state) % (MAX_PAYLOAD + 1);
            size_t off = next_random(&send_state) % (bytes_len(&pattern) - MAX_PAYLOAD);
            encode(&out, &pattern, off, len);
            encoded++;
        }
        while (bytes_queue_len(&out) > 0 && send_some(&out, sv[0])) {
        }
        receive_some(&r, sv[1], &piece_state);
        decode(&r, &pattern, &expect_state);
    }
    if (bytes_queue_len(&r.in) != 0 || bytes_queue_len(&out) != 0) {
        fprintf(stderr, "framing: bytes left over\n");
        return 1;
    }

    /* The peer goes away: the next send fails with EPIPE, no signal. */
    close(sv[1]);
    encode(&out, &pattern, 0, 16);
    size_t written = 0;
    bytes_status_t st = bytes_queue_sendmsg_fd(&out, sv[0], MSG_NOSIGNAL, &written);
    if (st != BYTES_ERR_IO || errno != EPIPE || bytes_queue_len(&out) != 20) {
        fprintf(stderr, "framing: expected EPIPE with the frame still queued\n");
        return 1;
    }
    close(sv[0]);

    printf("decoded %zu frames (%zu without a copy); peer gone: EPIPE, no signal\n", r.frames,
           r.zero_copy);
    bytes_queue_drop(&out);
    bytes_queue_drop(&r.in);
    bytes_mut_drop(&r.rx);
    bytes_drop(&pattern);
    return 0;
}
