/*
 * alloc_failure_calls.h - the calls test_alloc_failure.c runs with an
 * allocation armed to fail (one function per call, on the world of
 * alloc_failure_world.h), and the extra checks of what a success leaves.
 * Included by test_alloc_failure.c alone (its definitions are static).
 */
#ifndef LIBBYTES_ALLOC_FAILURE_CALLS_H
#define LIBBYTES_ALLOC_FAILURE_CALLS_H

#include "alloc_failure_world.h"

/* ---- calls --------------------------------------------------------------- */

/* bytes_t constructors */
static bytes_status_t c_copy_from(struct world *w)
{
    return bytes_copy_from(ALPHA, ALPHA_LEN, &w->out);
}
static bytes_status_t c_copy_from_big(struct world *w)
{
    return bytes_copy_from(big, BIG_LEN, &w->out);
}
static bytes_status_t c_from_malloc(struct world *w)
{
    return bytes_from_malloc(w->block, w->block_len, &w->out);
}
static bytes_status_t c_from_owner(struct world *w)
{
    return bytes_from_owner(w->owner.buf, OWNER_LEN, &w->owner,
                            counting_owner_release, &w->out);
}
static bytes_status_t c_from_file(struct world *w)
{
    return bytes_from_file(file_path, &w->out);
}
static bytes_status_t c_from_fd(struct world *w)
{
    return bytes_from_fd(w->fd, 123, 4000, &w->out);
}

/* conversions */
static bytes_status_t c_into_mut(struct world *w)
{
    return bytes_into_mut(&w->b[0], &w->mout);
}
static bytes_status_t c_compact(struct world *w)
{
    return bytes_compact(&w->b[0]);
}

/* bytes_mut_t */
static bytes_status_t c_with_capacity(struct world *w)
{
    return bytes_mut_with_capacity(100, &w->mout);
}
static bytes_status_t c_with_capacity_big(struct world *w)
{
    return bytes_mut_with_capacity(1 << 20, &w->mout);
}
static bytes_status_t c_zeroed(struct world *w)
{
    return bytes_mut_zeroed(100, &w->mout);
}
static bytes_status_t c_reserve(struct world *w)
{
    return bytes_mut_reserve(&w->m[0], 100);
}
static bytes_status_t c_extend(struct world *w)
{
    return bytes_mut_extend_from_slice(&w->m[0], XYZ, 3);
}
/* from its own written bytes: the source moves when the storage grows */
static bytes_status_t c_extend_own(struct world *w)
{
    return bytes_mut_extend_from_slice(&w->m[0], bytes_mut_ptr(&w->m[0]) + 1,
                                       bytes_mut_len(&w->m[0]) - 1);
}
static bytes_status_t c_resize(struct world *w)
{
    return bytes_mut_resize(&w->m[0], bytes_mut_len(&w->m[0]) + 12, 'x');
}
static bytes_status_t c_put_u8(struct world *w)
{
    return bytes_mut_put_u8(&w->m[0], 0x01);
}
static bytes_status_t c_put_u16_be(struct world *w)
{
    return bytes_mut_put_u16_be(&w->m[0], 0x0102);
}
static bytes_status_t c_put_u16_le(struct world *w)
{
    return bytes_mut_put_u16_le(&w->m[0], 0x0102);
}
static bytes_status_t c_put_u32_be(struct world *w)
{
    return bytes_mut_put_u32_be(&w->m[0], 0x01020304u);
}
static bytes_status_t c_put_u32_le(struct world *w)
{
    return bytes_mut_put_u32_le(&w->m[0], 0x01020304u);
}
static bytes_status_t c_put_u64_be(struct world *w)
{
    return bytes_mut_put_u64_be(&w->m[0], 0x0102030405060708ull);
}
static bytes_status_t c_put_u64_le(struct world *w)
{
    return bytes_mut_put_u64_le(&w->m[0], 0x0102030405060708ull);
}
static bytes_status_t c_put_bytes(struct world *w)
{
    return bytes_mut_put_bytes(&w->m[0], 'z', 3);
}
static bytes_status_t c_unsplit(struct world *w)
{
    return bytes_mut_unsplit(&w->m[0], &w->m[1]);
}
/* the halves the other way round: not neighbours, so a copy */
static bytes_status_t c_unsplit_reversed(struct world *w)
{
    return bytes_mut_unsplit(&w->m[1], &w->m[0]);
}

static bytes_status_t c_read_fd(struct world *w)
{
    return bytes_mut_read_fd(&w->m[0], w->pipe_rd, 100, &w->nread);
}
/* max within the spare capacity: no room to make */
static bytes_status_t c_read_fd_16(struct world *w)
{
    return bytes_mut_read_fd(&w->m[0], w->pipe_rd, 16, &w->nread);
}

/* calls documented to allocate nothing */
static bytes_status_t c_from_static(struct world *w)
{
    w->out = bytes_from_static(ALPHA, ALPHA_LEN);
    return BYTES_OK;
}
static bytes_status_t c_from_vtable(struct world *w)
{
    counting_slot_take(&w->slot);
    for (size_t i = 0; i < SLOT_LEN; i++)
        w->slot.buf[i] = pattern(i);
    w->slot_caller_refs = 1;
    bytes_status_t st = bytes_from_vtable(w->slot.buf, SLOT_LEN, &w->slot,
                                          &COUNTING_SLOT_VTABLE_NO_UNIQUE,
                                          &w->out);
    if (st == BYTES_OK)
        w->slot_caller_refs = 0;
    return st;
}
static bytes_status_t c_clone(struct world *w)
{
    w->out = bytes_clone(&w->b[0]);
    return BYTES_OK;
}
static bytes_status_t c_slice(struct world *w)
{
    return bytes_slice(&w->b[0], 1, 3, &w->out);
}
static bytes_status_t c_slice_ref(struct world *w)
{
    return bytes_slice_ref(&w->b[0], bytes_ptr(&w->b[0]) + 1, 2, &w->out);
}
static bytes_status_t c_split_to(struct world *w)
{
    return bytes_split_to(&w->b[0], 2, &w->out);
}
static bytes_status_t c_split_off(struct world *w)
{
    return bytes_split_off(&w->b[0], 2, &w->out);
}
static bytes_status_t c_drop_last(struct world *w)
{
    bytes_drop(&w->b[0]); /* frees, allocates nothing */
    return BYTES_OK;
}
static const bytes_range_t FIELDS[2] = {{0, 3}, {4, 8}};
static bytes_status_t c_slice_many(struct world *w)
{
    return bytes_slice_many(&w->b[0], FIELDS, 2, w->many);
}
static bytes_status_t c_drop_many(struct world *w)
{
    CHECK_OK(bytes_slice_many(&w->b[0], FIELDS, 2, w->many));
    bytes_drop_many(w->many, 2);
    bytes_drop(&w->b[0]); /* the last reference: frees */
    return BYTES_OK;
}
/* b[0] and b[1] written to a pipe with one writev(2), and consumed. */
static bytes_status_t c_writev(struct world *w)
{
    size_t written = 99;
    bytes_status_t st = bytes_writev_fd(w->pipe_wr, w->b, 2, &written);
    CHECK_EQ_SIZE(written, 2 * ALPHA_LEN);
    return st;
}
static bytes_status_t c_fill_iovec(struct world *w)
{
    struct iovec iov[4];
    CHECK_EQ_SIZE(bytes_fill_iovec(w->b, 2, iov, 4), 2);
    CHECK(iov[0].iov_base == (void *)bytes_ptr(&w->b[0]));
    CHECK_EQ_SIZE(iov[1].iov_len, bytes_len(&w->b[1]));
    return BYTES_OK;
}
static bytes_status_t c_try_into_mut(struct world *w)
{
    return bytes_try_into_mut(&w->b[0], &w->mout);
}
static bytes_status_t c_freeze(struct world *w)
{
    w->out = bytes_mut_freeze(&w->m[0]);
    return BYTES_OK;
}
static bytes_status_t c_mut_split_to(struct world *w)
{
    return bytes_mut_split_to(&w->m[0], 2, &w->mout);
}
static bytes_status_t c_mut_split_off(struct world *w)
{
    return bytes_mut_split_off(&w->m[0], 2, &w->mout);
}
static bytes_status_t c_mut_split(struct world *w)
{
    w->mout = bytes_mut_split(&w->m[0]);
    return BYTES_OK;
}
static bytes_status_t c_reserve_10(struct world *w)
{
    return bytes_mut_reserve(&w->m[0], 10);
}
static bytes_status_t c_commit(struct world *w)
{
    size_t n;
    uint8_t *p = bytes_mut_spare(&w->m[0], &n);
    CHECK(n >= 3);
    memcpy(p, XYZ, 3);
    return bytes_mut_commit(&w->m[0], 3);
}
static bytes_status_t c_from_empty_file(struct world *w)
{
    return bytes_from_file(empty_path, &w->out);
}

/* ---- extra checks after a success ---------------------------------------- */

static int same_as_file(const bytes_t *h, size_t offset)
{
    for (size_t i = 0; i < bytes_len(h); i++)
        if (bytes_ptr(h)[i] != pattern(offset + i))
            return 0;
    return 1;
}

static void x_unique_out(struct world *w) { CHECK(bytes_is_unique(&w->out)); }

static void x_from_malloc(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->block); /* adopted, not copied */
    CHECK_EQ_SIZE(bytes_len(&w->out), w->block_len);
    CHECK(memcmp(bytes_ptr(&w->out), snap.block, w->block_len) == 0);
    w->block = NULL; /* the library's now */
}

static void x_from_owner(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->owner.buf);
    CHECK_EQ_SIZE(bytes_len(&w->out), OWNER_LEN);
    CHECK_EQ_SIZE(w->owner.released, 0);
    w->owner_wrapped = 1; /* released when out drops */
}

static void x_from_file(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->out), FILE_LEN);
    CHECK(same_as_file(&w->out, 0));
    CHECK(mappings_of(file_path, NULL) == 1);
    CHECK_EQ_SIZE(count_fds(), w->fds); /* the descriptor was closed */
}

static void x_from_fd(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->out), 4000);
    CHECK(same_as_file(&w->out, 123));
    CHECK(mappings_of(file_path, NULL) == 1);
    CHECK(fcntl(w->fd, F_GETFD) != -1);
}

/* into_mut / compact of foreign bytes: the old reference is gone. */
static void x_counting_owner_released(struct world *w)
{
    CHECK_EQ_SIZE(w->owner.released, 1);
}
static void x_slot_dropped(struct world *w)
{
    CHECK_EQ_SIZE(w->slot.drops, 1);
    CHECK_EQ_SIZE(w->slot.refs, 0);
}
static void x_unmapped(struct world *w)
{
    (void)w;
    CHECK(mappings_of(file_path, NULL) == 0);
}
static void x_block_freed(struct world *w)
{
    CHECK_FREED(w->adopted, 1);
}

static void x_capacity_100(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->mout), 100);
}
static void x_capacity_1m(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->mout), 1 << 20);
}

static void x_zeroed(struct world *w)
{
    CHECK_EQ_SIZE(bytes_mut_len(&w->mout), 100);
    for (size_t i = 0; i < 100; i++)
        CHECK(bytes_mut_ptr(&w->mout)[i] == 0);
}

static void x_reserved(struct world *w)
{
    CHECK(bytes_mut_capacity(&w->m[0]) - bytes_mut_len(&w->m[0]) >= 100);
}

/* extend from own bytes: m[0] is its old bytes, then all but the first. */
static void x_extend_own(struct world *w)
{
    size_t n0 = bytes_mut_len(&snap.m[0]);
    CHECK_EQ_SIZE(bytes_mut_len(&w->m[0]), 2 * n0 - 1);
    CHECK(memcmp(bytes_mut_ptr(&w->m[0]), snap.mc[0], n0) == 0);
    CHECK(memcmp(bytes_mut_ptr(&w->m[0]) + n0, snap.mc[0] + 1, n0 - 1) == 0);
}

/* unsplit the other way round: m[1] gets m[0]'s bytes; m[0] consumed. */
static void x_m1_consumed(struct world *w) { CHECK_MUT_ZERO(&w->m[1]); }

static void x_unsplit_reversed(struct world *w)
{
    CHECK_MUT_ZERO(&w->m[0]);
    CHECK_MUT_BYTES(&w->m[1], "defghabc", 8);
}

/* ---- the non-allocating calls' checks ---- */
static void x_vtable_out(struct world *w)
{
    CHECK(bytes_ptr(&w->out) == w->slot.buf);
    CHECK_EQ_SIZE(w->slot.clones, 0);
}
static void x_split_to(struct world *w)
{
    CHECK_BYTES(&w->out, "ab", 2);
    CHECK_BYTES(&w->b[0], "cdefgh", 6);
}
static void x_split_off(struct world *w)
{
    CHECK_BYTES(&w->out, "cdefgh", 6);
    CHECK_BYTES(&w->b[0], "ab", 2);
}
static void x_dropped(struct world *w) { CHECK_ZERO(&w->b[0]); }
static void x_read_fd(struct world *w)
{
    CHECK_EQ_SIZE(w->nread, 5);
    CHECK_EQ_SIZE(pending_in(w->pipe_rd), 0);
}
static void x_written(struct world *w)
{
    CHECK_EQ_SIZE(pending_in(w->pipe_rd), 5 + 2 * ALPHA_LEN);
    expect_empty(&w->b[0]);
    expect_empty(&w->b[1]);
}
static void x_slice_many(struct world *w)
{
    CHECK_EQ_SIZE(bytes_len(&w->many[0]), 3);
    CHECK_EQ_SIZE(bytes_len(&w->many[1]), 4);
    CHECK(bytes_ptr(&w->many[0]) == bytes_ptr(&w->b[0])); /* no copy */
    CHECK(bytes_ptr(&w->many[1]) == bytes_ptr(&w->b[0]) + 4);
    CHECK(memcmp(bytes_ptr(&w->many[0]), snap.bc[0], 3) == 0);
    CHECK(memcmp(bytes_ptr(&w->many[1]), snap.bc[0] + 4, 4) == 0);
}
static void x_dropped_many(struct world *w)
{
    CHECK_ZERO(&w->many[0]);
    CHECK_ZERO(&w->many[1]);
    CHECK_ZERO(&w->b[0]);
}
static void x_try_into_mut(struct world *w)
{
    CHECK_ZERO(&w->b[0]);
    CHECK_MUT_BYTES(&w->mout, ALPHA, ALPHA_LEN);
    CHECK(bytes_mut_ptr(&w->mout) == bytes_ptr(&snap.b[0])); /* no copy */
}
static void x_compact_noop(struct world *w) { check_b_unchanged(w, 0); }
static void x_freeze(struct world *w)
{
    CHECK_MUT_ZERO(&w->m[0]);
    CHECK(bytes_ptr(&w->out) == bytes_mut_ptr(&snap.m[0]));
    CHECK_BYTES(&w->out, ALPHA, ALPHA_LEN);
}
static void x_mut_split_to(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, "ab", 2);
    CHECK_MUT_BYTES(&w->m[0], "cdefgh", 6);
}
static void x_mut_split_off(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, "cdefgh", 6);
    CHECK_MUT_BYTES(&w->m[0], "ab", 2);
}
static void x_mut_split(struct world *w)
{
    CHECK_MUT_BYTES(&w->mout, ALPHA, ALPHA_LEN);
    CHECK_EQ_SIZE(bytes_mut_len(&w->m[0]), 0);
    CHECK_EQ_SIZE(bytes_mut_capacity(&w->m[0]), 24);
}
static void x_same_storage(struct world *w)
{
    /* reserve/extend inside the storage: the region did not move to a
     * new block (it may move to the front of its own) */
    uint8_t *p = bytes_mut_ptr(&w->m[0]);
    uint8_t *old = bytes_mut_ptr(&snap.m[0]);
    CHECK(p <= old && p + 16 >= old);
}
static void x_unsplit_adjacent(struct world *w)
{
    CHECK_MUT_BYTES(&w->m[0], ALPHA, ALPHA_LEN);
    CHECK_MUT_ZERO(&w->m[1]);
}
static void x_empty_out(struct world *w) { CHECK_ZERO(&w->out); }

#endif
