/*
 * bytes_sendmsg_fd: sends with flags over a socketpair, consuming exactly
 * what was sent; a closed peer with MSG_NOSIGNAL is BYTES_ERR_IO/EPIPE and
 * no signal (SIGPIPE keeps its default action here, which would kill the
 * test); a partial non-blocking send leaves the unsent remainder.
 */
#include "check.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t read_all(int fd, uint8_t *dst, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, dst + got, want - got);
        CHECK(n > 0);
        got += (size_t)n;
    }
    return got;
}

static void test_send_and_consume(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    bytes_t bufs[3] = {bytes_from_static((const uint8_t *)"head ", 5), {0}, {0}};
    CHECK_OK(bytes_copy_from((const uint8_t *)"body", 4, &bufs[2]));
    size_t written = 99;
    CHECK_OK(bytes_sendmsg_fd(sv[0], bufs, 3, MSG_NOSIGNAL, &written));
    CHECK_EQ_SIZE(written, 9);
    for (int i = 0; i < 3; i++)
        CHECK_ZERO(&bufs[i]);
    uint8_t got[9];
    read_all(sv[1], got, 9);
    CHECK(memcmp(got, "head body", 9) == 0);

    /* Nothing to send: 0, no call. */
    CHECK_OK(bytes_sendmsg_fd(sv[0], bufs, 3, MSG_NOSIGNAL, &written));
    CHECK_EQ_SIZE(written, 0);
    CHECK_OK(bytes_sendmsg_fd(sv[0], NULL, 0, 0, &written));

    /* A partial non-blocking send leaves the remainder in place. */
    int small = 4096;
    CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small) == 0);
    bytes_mut_t m = {0};
    CHECK_OK(bytes_mut_put_bytes(&m, 'x', 1 << 20));
    bytes_t big[1] = {bytes_mut_freeze(&m)};
    const uint8_t *start = bytes_ptr(&big[0]);
    CHECK_OK(bytes_sendmsg_fd(sv[0], big, 1, MSG_NOSIGNAL | MSG_DONTWAIT, &written));
    CHECK(written > 0 && written < (1u << 20));
    CHECK(bytes_ptr(&big[0]) == start + written);
    CHECK_EQ_SIZE(bytes_len(&big[0]), (1u << 20) - written);
    /* The buffer is full now: EAGAIN, nothing consumed. */
    bytes_t snap_big;
    memcpy(&snap_big, &big[0], sizeof snap_big);
    errno = 0;
    size_t again = 99;
    bytes_status_t st = bytes_sendmsg_fd(sv[0], big, 1, MSG_NOSIGNAL | MSG_DONTWAIT, &again);
    if (st == BYTES_ERR_IO) {
        CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
        CHECK_EQ_SIZE(again, 0);
        CHECK(memcmp(&snap_big, &big[0], sizeof(bytes_t)) == 0);
    } else {
        CHECK_OK(st); /* the reader side drained meanwhile: still consistent */
        CHECK_EQ_SIZE(bytes_len(&big[0]), (1u << 20) - written - again);
    }
    bytes_drop(&big[0]);
    close(sv[0]);
    close(sv[1]);
}

static void test_closed_peer_is_epipe_without_signal(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    close(sv[1]);
    bytes_t bufs[2] = {bytes_from_static((const uint8_t *)"lost", 4), {0}};
    CHECK_OK(bytes_copy_from((const uint8_t *)"too", 3, &bufs[1]));
    bytes_t before[2];
    memcpy(before, bufs, sizeof bufs);
    size_t written = 99;
    errno = 0;
    /* SIGPIPE has its default action: without MSG_NOSIGNAL this would end
     * the process. */
    CHECK_STATUS(bytes_sendmsg_fd(sv[0], bufs, 2, MSG_NOSIGNAL, &written), BYTES_ERR_IO);
    CHECK(errno == EPIPE);
    CHECK_EQ_SIZE(written, 0);
    CHECK(memcmp(before, bufs, sizeof bufs) == 0);
    sigset_t pending;
    CHECK(sigpending(&pending) == 0);
    CHECK(!sigismember(&pending, SIGPIPE));
    bytes_drop(&bufs[1]);
    close(sv[0]);
}

static void test_bad_arguments(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    bytes_t b[1] = {bytes_from_static((const uint8_t *)"x", 1)};
    size_t written = 99;
    CHECK_STATUS(bytes_sendmsg_fd(fds[1], b, 1, MSG_NOSIGNAL, &written), BYTES_ERR_IO);
    CHECK(errno == ENOTSOCK);
    CHECK_EQ_SIZE(written, 0);
    CHECK_BYTES(&b[0], "x", 1);
    CHECK_STATUS(bytes_sendmsg_fd(fds[1], b, 1, 0, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_sendmsg_fd(fds[1], NULL, 1, 0, &written), BYTES_ERR_NULL);
    CHECK_EQ_SIZE(written, 0);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    test_send_and_consume();
    test_closed_peer_is_epipe_without_signal();
    test_bad_arguments();
    CHECK_DONE();
    return 0;
}
