/*
 * The program of scripts/lto.sh: the per-handle calls of benches/bench.c's
 * workload 2 (clone+drop, slice+drop, clone+split_to+drops, of heap
 * storage and of static bytes), each loop in a function of its own
 * (loop_*, never inlined into main) so that the script can read its
 * machine code: built with cross-language LTO, no loop may call
 * bytes_clone, bytes_slice, bytes_split_to or bytes_drop.
 *
 *   lto check               runs every loop and checks what it leaves (the
 *                           count back at one, the bytes unchanged), then
 *                           the same calls one by one: contents, pointers
 *                           (no copy), reference counts, errors
 *   lto run LOOP STORAGE N  runs loop_LOOP (clone, slice, split) N times on
 *                           heap or static STORAGE (for callgrind), then
 *                           checks that the count is back where it was
 *
 * Exits 1 with a message on the first failed check.
 */
#include <bytes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SHARED_LEN = 1024, SLICE_BEGIN = 16, SLICE_END = 1008 };
static uint8_t pattern[SHARED_LEN]; /* the static bytes; lives for the whole program */

/* The compiler must assume *p (and all memory) is read here. */
static inline void sink(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

_Noreturn static void fail(const char *what)
{
    fprintf(stderr, "lto: FAIL: %s\n", what);
    exit(1);
}

#define EXPECT(cond)                                                          \
    do {                                                                      \
        if (!(cond))                                                          \
            fail(#cond);                                                      \
    } while (0)

/* The loops of benches/bench.c's workload 2, as they are there. */
__attribute__((noinline)) void loop_clone(const bytes_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bytes_t c = bytes_clone(b);
        sink(&c);
        bytes_drop(&c);
    }
}

__attribute__((noinline)) void loop_slice(const bytes_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bytes_t s;
        if (bytes_slice(b, SLICE_BEGIN, SLICE_END, &s) != BYTES_OK)
            fail("bytes_slice");
        sink(&s);
        bytes_drop(&s);
    }
}

/* clone + split_to + both drops: a parser taking a prefix off a copy. */
__attribute__((noinline)) void loop_split(const bytes_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bytes_t c = bytes_clone(b), front;
        if (bytes_split_to(&c, SLICE_BEGIN, &front) != BYTES_OK)
            fail("bytes_split_to");
        sink(&front);
        sink(&c);
        bytes_drop(&front);
        bytes_drop(&c);
    }
}

typedef void (*loop_fn)(const bytes_t *, size_t);

static const struct {
    const char *name;
    loop_fn run;
} LOOPS[] = {{"clone", loop_clone}, {"slice", loop_slice}, {"split", loop_split}};
enum { N_LOOPS = sizeof LOOPS / sizeof LOOPS[0] };

/* The handle a loop works on: "heap" (bytes_copy_from) or "static". */
static bytes_t make(const char *storage)
{
    for (size_t k = 0; k < SHARED_LEN; k++)
        pattern[k] = (uint8_t)(k * 7 + 1);
    if (strcmp(storage, "static") == 0)
        return bytes_from_static(pattern, SHARED_LEN);
    bytes_t b;
    if (strcmp(storage, "heap") != 0 || bytes_copy_from(pattern, SHARED_LEN, &b) != BYTES_OK)
        fail("make: heap or static");
    return b;
}

/* Every loop on both kinds of storage, with its checks. */
static void check(void)
{
    static const char *const STORAGE[] = {"heap", "static"};
    for (size_t k = 0; k < 2; k++) {
        const int heap = k == 0;
        for (size_t l = 0; l < N_LOOPS; l++) {
            bytes_t b = make(STORAGE[k]);
            const uint8_t *const start = bytes_ptr(&b);
            EXPECT(bytes_is_unique(&b) == heap);
            enum { N = 1000 };
            LOOPS[l].run(&b, N);
            /* Every clone and slice was dropped: the count is back at 1. */
            EXPECT(bytes_is_unique(&b) == heap);
            EXPECT(bytes_ptr(&b) == start);
            EXPECT(bytes_len(&b) == SHARED_LEN);
            EXPECT(memcmp(bytes_ptr(&b), pattern, SHARED_LEN) == 0);
            EXPECT(heap ? bytes_ptr(&b) != pattern : bytes_ptr(&b) == pattern);

            /* The same calls outside the loops (inlined into this function
             * too): a held clone shares the storage, a drop returns it. */
            bytes_t c = bytes_clone(&b), front;
            EXPECT(bytes_ptr(&c) == start && bytes_len(&c) == SHARED_LEN);
            EXPECT(!bytes_is_unique(&b) && !bytes_is_unique(&c));
            EXPECT(bytes_split_to(&c, SLICE_BEGIN, &front) == BYTES_OK);
            EXPECT(bytes_ptr(&front) == start && bytes_len(&front) == SLICE_BEGIN);
            EXPECT(bytes_ptr(&c) == start + SLICE_BEGIN && bytes_len(&c) == SHARED_LEN - SLICE_BEGIN);
            EXPECT(memcmp(bytes_ptr(&c), pattern + SLICE_BEGIN, SHARED_LEN - SLICE_BEGIN) == 0);
            bytes_drop(&c);
            EXPECT(bytes_ptr(&c) == bytes_ptr(NULL) && bytes_len(&c) == 0);
            EXPECT(!bytes_is_unique(&b));
            bytes_drop(&front);
            EXPECT(bytes_is_unique(&b) == heap);
            /* An error leaves the handle as it was. */
            EXPECT(bytes_slice(&b, SLICE_END, SLICE_BEGIN, &c) == BYTES_ERR_RANGE);
            EXPECT(bytes_len(&c) == 0 && bytes_is_unique(&b) == heap);
            EXPECT(bytes_split_to(&b, SHARED_LEN + 1, &c) == BYTES_ERR_RANGE);
            EXPECT(bytes_len(&b) == SHARED_LEN && bytes_ptr(&b) == start);
            bytes_drop(&b);
            EXPECT(bytes_len(&b) == 0 && !bytes_is_unique(&b));
        }
    }
    printf("lto: check passed (clone, slice, split of heap and static storage)\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "check") == 0) {
        check();
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "run") == 0) {
        size_t n = strtoul(argv[4], NULL, 10);
        for (size_t l = 0; l < N_LOOPS; l++) {
            if (strcmp(argv[2], LOOPS[l].name) == 0) {
                bytes_t b = make(argv[3]);
                LOOPS[l].run(&b, n);
                if (bytes_is_unique(&b) != (strcmp(argv[3], "heap") == 0))
                    fail("the count is not back where it was");
                bytes_drop(&b);
                return 0;
            }
        }
    }
    fprintf(stderr, "usage: lto check | lto run clone|slice|split heap|static N\n");
    return 2;
}
