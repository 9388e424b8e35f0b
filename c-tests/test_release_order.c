/*
 * test_release_order.c - rule 10: the library never touches a handle after
 * a release or drop callback it called for that handle has returned.
 *
 * Two shapes, for every function that releases a reference:
 *
 * - A handle that lives inside the memory its owner's release frees
 *   (`struct msg { bytes_t view; uint8_t data[]; }` with release freeing
 *   the msg). Here the release does not free at once: it fills the whole
 *   msg, handle included, with POISON and counts; the test then checks that
 *   the poison is intact, which it would not be if the library wrote the
 *   emptied handle back after the callback (what a sanitizer would report
 *   as a write to freed memory), and frees the msg itself.
 * - A callback that re-enters and drops the same handle: the handle must
 *   already be empty, so that the reference is released exactly once.
 *
 * Both for bytes_from_owner (release) and for a custom vtable (drop).
 */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POISON 0xDB
#define DATA_LEN 64
#define SLOTS 3

struct msg {
    bytes_t views[SLOTS]; /* handles, inside the memory one of them keeps alive */
    int self;             /* views[self] is this msg's own handle */
    int reenter;          /* the callback drops views[self] again */
    int refs;             /* the vtable's own count */
    uint8_t data[DATA_LEN];
};

static struct msg *new_msg(int reenter)
{
    struct msg *m = (struct msg *)calloc(1, sizeof *m);
    CHECK(m != NULL);
    for (int i = 0; i < DATA_LEN; i++)
        m->data[i] = (uint8_t)('a' + i % 26);
    m->reenter = reenter;
    return m;
}

/* Callbacks so far; and what this msg's own handle held when its callback
 * ran (bytes_compact's copy is there), saved before the poison so that the
 * test can release it. */
static int released;
static bytes_t last_view;

static void poison(struct msg *m)
{
    released++;
    if (m->reenter)
        bytes_drop(&m->views[m->self]); /* must find it empty, or drop the
                                           replacement: never the old one */
    last_view = m->views[m->self];
    memset(m, POISON, sizeof *m);
}

static void owner_release(void *owner)
{
    poison((struct msg *)owner);
}

static void *vt_clone(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr;
    (void)len;
    ((struct msg *)data)->refs++;
    return data;
}

/* The last reference releases the msg, as an owner's release would. */
static void vt_drop(void *data, const uint8_t *ptr, size_t len)
{
    (void)ptr;
    (void)len;
    struct msg *m = (struct msg *)data;
    CHECK(m->refs > 0);
    if (--m->refs == 0)
        poison(m);
}

static const bytes_vtable_t VTABLE = {
    sizeof(bytes_vtable_t), vt_clone, vt_drop, NULL, "msg",
};

/* Makes m->views[slot] the only handle of m's data, as an owner or a
 * vtable. */
static void wrap(struct msg *m, int slot, int vtable)
{
    m->self = slot;
    m->refs = 1;
    bytes_t *b = &m->views[slot];
    if (vtable)
        CHECK_OK(bytes_from_vtable(m->data, DATA_LEN, m, &VTABLE, b));
    else
        CHECK_OK(bytes_from_owner(m->data, DATA_LEN, m, owner_release, b));
}

/* After the call that released m: nothing was written into the msg after
 * its callback; then frees it and what its handle held. */
static void check_poison_intact(struct msg *m)
{
    const uint8_t *p = (const uint8_t *)m;
    int intact = 1;
    for (size_t i = 0; i < sizeof *m; i++)
        intact &= p[i] == POISON;
    CHECK(intact);
    free(m);
}

enum op { DROP, CLEAR, DROP_MANY, SLICE_SELF, SLICE_REF_SELF, COMPACT, N_OPS };
static const char *const op_name[N_OPS] = {
    "bytes_drop", "bytes_clear", "bytes_drop_many", "bytes_slice(out == b)",
    "bytes_slice_ref(out == b)", "bytes_compact",
};

/* Runs one releasing function on b, its storage's only handle. */
static void run(enum op op, bytes_t *b)
{
    switch (op) {
    case DROP:
        bytes_drop(b);
        break;
    case CLEAR:
        bytes_clear(b);
        break;
    case DROP_MANY:
        bytes_drop_many(b, 1);
        break;
    case SLICE_SELF: /* the slice replaces b, then b's old reference goes */
        CHECK_OK(bytes_slice(b, 2, 5, b));
        break;
    case SLICE_REF_SELF:
        CHECK_OK(bytes_slice_ref(b, bytes_ptr(b) + 1, 0, b));
        break;
    case COMPACT: /* a part of the storage: copied, then the old released */
        CHECK_OK(bytes_advance(b, 1));
        CHECK_OK(bytes_compact(b));
        break;
    case N_OPS:
        break;
    }
}

static void test_handle_inside_its_storage(int vtable, int reenter)
{
    for (int op = 0; op < N_OPS; op++) {
        printf("  %s, %s%s\n", op_name[op], vtable ? "custom vtable" : "owner",
               reenter ? ", the callback drops the handle again" : "");
        struct msg *m = new_msg(reenter);
        wrap(m, 0, vtable);
        if (op == SLICE_SELF) {
            /* A slice that holds a reference: the release comes later, when
             * the slice (still inside m) is dropped. */
            run((enum op)op, &m->views[0]);
            CHECK(released == 0);
            CHECK(bytes_ptr(&m->views[0]) == m->data + 2);
            bytes_drop(&m->views[0]);
        } else {
            run((enum op)op, &m->views[0]);
        }
        CHECK(released == 1);
        check_poison_intact(m);
        /* bytes_compact's copy, unless the re-entrant drop released it. */
        bytes_drop(&last_view);
        released = 0;
    }
}

/* bytes_drop_many over handles of different storages, in an array inside
 * the memory of the last one's storage: each handle is emptied before its
 * own release, and none is touched after the release of the array's msg. */
static void test_drop_many_of_different_storages(int reenter)
{
    struct msg *others[SLOTS - 1];
    struct msg *m = new_msg(reenter);
    for (int i = 0; i < SLOTS - 1; i++) {
        others[i] = new_msg(reenter);
        wrap(others[i], 0, i % 2);
        m->views[i] = others[i]->views[0]; /* moved into m's array (rule 7) */
        memset(&others[i]->views[0], 0, sizeof(bytes_t));
    }
    wrap(m, SLOTS - 1, 1);
    bytes_drop_many(m->views, SLOTS);
    CHECK(released == SLOTS);
    check_poison_intact(m);
    for (int i = 0; i < SLOTS - 1; i++)
        free(others[i]);
    released = 0;
}

int main(void)
{
    for (int vtable = 0; vtable < 2; vtable++)
        for (int reenter = 0; reenter < 2; reenter++)
            test_handle_inside_its_storage(vtable, reenter);
    test_drop_many_of_different_storages(0);
    test_drop_many_of_different_storages(1);
    CHECK_DONE();
    return 0;
}
