/*
 * tcheck.h - CHECK for code that may run on a worker thread (and for the
 * callbacks of counting.h, which the library may call on any thread).
 *
 * check.h's check_count is plain and belongs to the main thread; TCHECK
 * counts in the atomic thread_checks instead. A test that uses TCHECK adds
 * them up before CHECK_DONE() with CHECK_ADD_THREAD_CHECKS(). A failed
 * TCHECK prints file:line and exits with status 1, as CHECK does.
 */
#ifndef BYTES_TESTS_TCHECK_H
#define BYTES_TESTS_TCHECK_H

#include "check.h"

#include <stdatomic.h>

static atomic_ulong thread_checks;

#define TCHECK(cond)                                                        \
    do {                                                                    \
        atomic_fetch_add_explicit(&thread_checks, 1, memory_order_relaxed); \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: TCHECK failed on a worker: %s\n",       \
                    __FILE__, __LINE__, #cond);                             \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

/* In main(), after the workers are joined, before CHECK_DONE(). */
#define CHECK_ADD_THREAD_CHECKS() (check_count += atomic_load(&thread_checks))

#endif /* BYTES_TESTS_TCHECK_H */
