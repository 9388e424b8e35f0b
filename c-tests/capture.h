/*
 * capture.h - stdout and stderr redirected to a temporary file, for the
 * error tests' "the library never prints" (rule 4): capture_start() before
 * the error calls, capture_end() after them returns how many bytes were
 * printed meanwhile, which must be 0. Whatever was printed is replayed
 * onto the real stderr, also when a failed CHECK exits while capturing.
 *
 * One exception, in the sanitizer builds only: an allocation no allocator
 * can satisfy (the tests ask for SIZE_MAX / 4 bytes and more) makes ASan
 * print "==PID==WARNING: AddressSanitizer failed to allocate 0x... bytes"
 * before returning NULL (see checker_options.c). That line is the
 * checker's, not the library's: it is replayed but not counted.
 */
#ifndef BYTES_TESTS_CAPTURE_H
#define BYTES_TESTS_CAPTURE_H

#include "check.h"

#include <unistd.h>

static FILE *capture;
static int saved_fd[3] = {-1, -1, -1};

static void capture_stop(void)
{
    if (capture == NULL)
        return;
    fflush(stdout);
    fflush(stderr);
    for (int fd = 1; fd <= 2; fd++) {
        dup2(saved_fd[fd], fd);
        close(saved_fd[fd]);
    }
    /* Replay whatever was printed meanwhile (including a failed CHECK's
     * message) onto the real stderr. */
    rewind(capture);
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, capture)) > 0)
        fwrite(buf, 1, n, stderr);
}

static void capture_start(void)
{
    fflush(stdout);
    fflush(stderr);
    capture = tmpfile();
    CHECK(capture != NULL);
    for (int fd = 1; fd <= 2; fd++) {
        saved_fd[fd] = dup(fd);
        CHECK(saved_fd[fd] >= 0);
        CHECK(dup2(fileno(capture), fd) == fd);
    }
    atexit(capture_stop); /* a failed CHECK exits: show its message */
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
/* Whether `line` is a sanitizer's note that it refused an allocation:
 * "==<pid>==WARNING: <Name>Sanitizer failed to allocate 0x<hex> bytes\n". */
static int is_sanitizer_alloc_warning(const char *line)
{
    const char *p = line;
    if (strncmp(p, "==", 2) != 0)
        return 0;
    for (p += 2; *p >= '0' && *p <= '9'; p++)
        ;
    if (p == line + 2 || strncmp(p, "==WARNING: ", 11) != 0)
        return 0;
    const char *what = strstr(p, "Sanitizer failed to allocate 0x");
    size_t n = strlen(line);
    return what != NULL && n > 7 && strcmp(line + n - 7, " bytes\n") == 0;
}

/* Bytes of the captured output that are such notes. */
static long sanitizer_alloc_warnings(void)
{
    long bytes = 0;
    char line[512];
    rewind(capture);
    while (fgets(line, sizeof line, capture) != NULL)
        if (is_sanitizer_alloc_warning(line))
            bytes += (long)strlen(line);
    return bytes;
}
#endif

/* Returns how many bytes were printed while capturing. */
static long capture_end(void)
{
    fflush(stdout);
    fflush(stderr);
    long printed = ftell(capture);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    printed -= sanitizer_alloc_warnings();
#endif
    capture_stop();
    fclose(capture);
    capture = NULL;
    return printed;
}

/* Ends the capture and checks (check.h's CHECK) that nothing was printed
 * while it ran; what was printed is replayed above the failure. `during`
 * says when, for the message. */
#define CHECK_PRINTED_NOTHING(during)                                       \
    do {                                                                    \
        long printed_ = capture_end();                                      \
        if (printed_ != 0)                                                  \
            fprintf(stderr, "the library printed %ld bytes %s (shown "      \
                    "above)\n", printed_, (during));                        \
        CHECK(printed_ == 0);                                               \
    } while (0)

#endif /* BYTES_TESTS_CAPTURE_H */
