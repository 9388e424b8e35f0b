/*
 * test_writev.c - bytes_writev_fd consumes what it says: when every handle
 * is empty nothing is written, and the handles are dropped all the same,
 * including empty views that still hold their storage (advanced to the
 * end, truncated to nothing).
 */
#include "check.h"

#include <stdint.h>
#include <unistd.h>

static int releases;

static void release(void *owner)
{
    (void)owner;
    releases++;
}

int main(void)
{
    static const uint8_t text[] = "response";
    int fds[2];
    CHECK(pipe(fds) == 0);

    bytes_t bufs[3];
    CHECK_OK(bytes_from_owner(text, 8, NULL, release, &bufs[0]));
    CHECK_OK(bytes_advance(&bufs[0], 8)); /* empty, holds the owner */
    CHECK_OK(bytes_copy_from(text, 8, &bufs[1]));
    bytes_truncate(&bufs[1], 0);          /* empty, holds a heap block */
    bufs[2] = bytes_new();
    CHECK(bytes_len(&bufs[0]) == 0 && bytes_len(&bufs[1]) == 0);

    size_t written = 99;
    CHECK_OK(bytes_writev_fd(fds[1], bufs, 3, &written));
    CHECK_EQ_SIZE(written, 0);
    CHECK(releases == 1); /* the owner's storage went with its last handle */
    for (int i = 0; i < 3; i++)
        CHECK_ZERO(&bufs[i]);

    /* And after a write of everything, every handle is consumed too. */
    CHECK_OK(bytes_from_owner(text, 8, NULL, release, &bufs[0]));
    bufs[1] = bytes_from_static(text, 0);
    CHECK_OK(bytes_writev_fd(fds[1], bufs, 2, &written));
    CHECK_EQ_SIZE(written, 8);
    CHECK(releases == 2);
    CHECK_ZERO(&bufs[0]);
    char back[8];
    CHECK(read(fds[0], back, sizeof back) == 8 && memcmp(back, text, 8) == 0);

    close(fds[0]);
    close(fds[1]);
    CHECK_DONE();
    return 0;
}
