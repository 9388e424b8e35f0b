/* A threaded consumer for the TSan recipe (README, "ThreadSanitizer"):
 * built with -fsanitize=thread by tests/packaging.sh. Four threads read,
 * slice and drop clones of one buffer while the main thread drops its own
 * handle: whichever thread drops last frees the storage, after the others
 * read it. The library orders that with its reference count; when the
 * library is not instrumented TSan does not see those atomics and reports
 * the free as a race unless the shipped suppressions are used. */
#include <bytes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4

static const char text[] = "GET /tsan HTTP/1.1\r\nHost: example.org\r\n\r\n";

static void *worker(void *arg) {
    bytes_t *mine = arg;
    size_t sum = 0;
    for (int round = 0; round < 100; round++) {
        bytes_t path;
        if (bytes_slice(mine, 4, 9, &path) != BYTES_OK) return (void *)1;
        sum += memcmp(bytes_ptr(&path), "/tsan", 5) == 0;
        bytes_drop(&path);
    }
    bytes_drop(mine);
    return sum == 100 ? NULL : (void *)1;
}

int main(void) {
    bytes_t shared;
    if (bytes_copy_from_str(text, &shared) != BYTES_OK) return 1;
    bytes_t clones[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) clones[i] = bytes_clone(&shared);
    for (int i = 0; i < THREADS; i++) {
        if (pthread_create(&threads[i], NULL, worker, &clones[i]) != 0) return 1;
    }
    if (!bytes_eq_str(&shared, text)) return 1;
    bytes_drop(&shared);
    int failed = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result;
        pthread_join(threads[i], &result);
        failed |= result != NULL;
    }
    printf("tsan consumer: %s\n", failed ? "FAILED" : "ok");
    return failed;
}
