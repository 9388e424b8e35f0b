/*
 * bytes_queue_t from C: zero-copy pointers, allocation counts, merging of
 * contiguous pushes, the receive buffer reclaimed through the queue,
 * reads across chunk boundaries, writes out with partial writes, and the
 * statuses with inputs unchanged after every error.
 */
#include "check_alloc.h"
#include "counting.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

static int is_zero_queue(const bytes_queue_t *q)
{
    static const unsigned char zero[sizeof(bytes_queue_t)] = {0};
    return memcmp(q, zero, sizeof zero) == 0;
}

/* The queue's bytes, concatenated into dst (at most cap). */
static size_t flatten(const bytes_queue_t *q, uint8_t *dst, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes_queue_chunks(q); i++) {
        const bytes_t *c = bytes_queue_chunk(q, i);
        CHECK(c != NULL && !bytes_is_empty(c));
        CHECK(n + bytes_len(c) <= cap);
        memcpy(dst + n, bytes_ptr(c), bytes_len(c));
        n += bytes_len(c);
    }
    CHECK(bytes_queue_chunk(q, bytes_queue_chunks(q)) == NULL);
    CHECK_EQ_SIZE(n, bytes_queue_len(q));
    return n;
}

#define CHECK_QUEUE(q, str)                                                 \
    do {                                                                    \
        uint8_t flat_[256];                                                 \
        size_t n_ = flatten((q), flat_, sizeof flat_);                      \
        CHECK_EQ_SIZE(n_, strlen(str));                                     \
        CHECK(memcmp(flat_, (str), n_) == 0);                               \
    } while (0)

/* A heap handle holding a copy of `text`. */
static bytes_t copy_of(const char *text)
{
    bytes_t b = {0};
    CHECK_OK(bytes_copy_from((const uint8_t *)text, strlen(text), &b));
    return b;
}

static void test_empty_and_zero(void)
{
    bytes_queue_t q = {0};
    bytes_queue_t n = bytes_queue_new();
    CHECK(is_zero_queue(&n));
    CHECK_EQ_SIZE(bytes_queue_len(&q), 0);
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 0);
    CHECK(bytes_queue_front(&q) != NULL);
    expect_empty(bytes_queue_front(&q));
    expect_empty(bytes_queue_front(NULL));
    CHECK_EQ_SIZE(bytes_queue_len(NULL), 0);
    CHECK(bytes_queue_chunk(&q, 0) == NULL);
    bytes_t out;
    GARBAGE(out);
    CHECK_OK(bytes_queue_take(&q, 0, &out));
    expect_empty(&out);
    bytes_drop(&out);
    GARBAGE(out);
    CHECK_STATUS(bytes_queue_pop(&q, &out), BYTES_ERR_RANGE);
    CHECK_ZERO(&out);
    bytes_queue_drop(&q);
    bytes_queue_drop(&q);
    bytes_queue_drop(NULL);
    CHECK(is_zero_queue(&q));
}

static void test_merge_and_take(void)
{
    bytes_t whole = copy_of("hello world!");
    const uint8_t *start = bytes_ptr(&whole);
    bytes_t hello, space_world;
    CHECK_OK(bytes_split_to(&whole, 5, &hello));
    CHECK_OK(bytes_split_to(&whole, 6, &space_world));

    bytes_queue_t q = {0};
    struct counts s = now();
    CHECK_OK(bytes_queue_push(&q, &hello));
    CHECK_ZERO(&hello);
    CHECK_DELTA(s, 1, 0); /* the chunk array */
    s = now();
    CHECK_OK(bytes_queue_push(&q, &space_world));
    CHECK_ZERO(&space_world);
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 1); /* merged */
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(bytes_queue_front(&q)) == start);
    bytes_t empty = {0};
    CHECK_OK(bytes_queue_push(&q, &empty)); /* dropped, not stored */
    CHECK_OK(bytes_queue_push(&q, &whole)); /* "!": merged too */
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 1);
    bytes_t tail = bytes_from_static((const uint8_t *)"?!", 2);
    CHECK_OK(bytes_queue_push(&q, &tail));
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 2);
    CHECK_QUEUE(&q, "hello world!?!");

    /* Rule 9: an empty view at the front. */
    bytes_t out;
    GARBAGE(out);
    CHECK_OK(bytes_queue_take(&q, 0, &out));
    CHECK(bytes_ptr(&out) == start && bytes_len(&out) == 0);
    bytes_drop(&out);

    /* Within one chunk: zero-copy, no allocation. */
    s = now();
    CHECK_OK(bytes_queue_take(&q, 6, &out));
    CHECK(bytes_ptr(&out) == start);
    CHECK_BYTES(&out, "hello ", 6);
    CHECK_DELTA(s, 0, 0);
    bytes_drop(&out);

    /* Across chunks: one allocation holding the copy. */
    s = now();
    CHECK_OK(bytes_queue_take(&q, 7, &out));
    CHECK_DELTA(s, 1, 1); /* the copy; the emptied storage freed */
    CHECK_BYTES(&out, "world!?", 7);
    bytes_drop(&out);
    CHECK_QUEUE(&q, "!");

    /* Errors: nothing changes, out empty. */
    bytes_queue_t before = q;
    GARBAGE(out);
    CHECK_STATUS(bytes_queue_take(&q, 2, &out), BYTES_ERR_RANGE);
    CHECK_ZERO(&out);
    CHECK(memcmp(&before, &q, sizeof q) == 0);
    CHECK_STATUS(bytes_queue_take(NULL, 0, &out), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_take(&q, 0, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_push(&q, NULL), BYTES_ERR_NULL);
    bytes_t keep = bytes_from_static((const uint8_t *)"k", 1);
    bytes_t keep_before = keep;
    CHECK_STATUS(bytes_queue_push(NULL, &keep), BYTES_ERR_NULL);
    CHECK(memcmp(&keep, &keep_before, sizeof keep) == 0);
    CHECK(memcmp(&before, &q, sizeof q) == 0);
    bytes_queue_drop(&q);
    CHECK(is_zero_queue(&q));
}

static void test_reads_across_chunks(void)
{
    bytes_queue_t q = {0};
    const char *parts[] = {"GET / HTTP/1.1\r", "\n", "Host: x\r\n\r", "\n", "\x01\x02\x03\x04\xff\xfe"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        bytes_t b = copy_of(parts[i]);
        CHECK_OK(bytes_queue_push(&q, &b));
    }
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 5);
    size_t at = 99;
    CHECK(bytes_queue_find(&q, 0, SIZE_MAX, "\r\n\r\n", 4, &at));
    CHECK_EQ_SIZE(at, 23);
    at = 99;
    CHECK(!bytes_queue_find(&q, 0, 26, "\r\n\r\n", 4, &at)); /* header limit */
    CHECK_EQ_SIZE(at, 99);
    CHECK(bytes_queue_find(&q, 0, 27, "\r\n\r\n", 4, NULL));
    CHECK(bytes_queue_find(&q, 3, 3, "", 0, &at));
    CHECK_EQ_SIZE(at, 3);
    CHECK(!bytes_queue_find(NULL, 0, SIZE_MAX, "G", 1, &at));
    CHECK(!bytes_queue_find(&q, 0, SIZE_MAX, NULL, 1, &at));

    uint8_t peek[4];
    CHECK_OK(bytes_queue_peek(&q, 14, peek, 4));
    CHECK(memcmp(peek, "\r\nHo", 4) == 0);
    memset(peek, 7, sizeof peek);
    CHECK_STATUS(bytes_queue_peek(&q, 30, peek, 4), BYTES_ERR_RANGE);
    CHECK(peek[0] == 7);
    CHECK_STATUS(bytes_queue_peek(&q, 0, NULL, 1), BYTES_ERR_NULL);
    CHECK_OK(bytes_queue_peek(&q, 0, NULL, 0));

    uint32_t u32 = 0;
    CHECK_OK(bytes_queue_get_u32_be(&q, &u32));
    CHECK(u32 == 0x47455420u); /* "GET " */
    uint8_t word[11];
    CHECK_OK(bytes_queue_get(&q, word, 11));
    CHECK(memcmp(word, "/ HTTP/1.1\r", 11) == 0);
    uint16_t u16 = 0;
    CHECK_OK(bytes_queue_get_u16_be(&q, &u16)); /* "\nH" across a boundary */
    CHECK(u16 == 0x0a48u);
    CHECK_OK(bytes_queue_advance(&q, 9));
    CHECK_QUEUE(&q, "\n\x01\x02\x03\x04\xff\xfe");
    int64_t i64 = 0;
    CHECK_OK(bytes_queue_get_int_le(&q, 3, &i64)); /* 0a 01 02 */
    CHECK(i64 == 0x02010a);
    CHECK_STATUS(bytes_queue_get_int_be(&q, 9, &i64), BYTES_ERR_INVALID);
    CHECK(i64 == 0);
    uint64_t u64 = 5;
    size_t len = bytes_queue_len(&q);
    CHECK_STATUS(bytes_queue_get_u64_le(&q, &u64), BYTES_ERR_RANGE);
    CHECK(u64 == 0);
    CHECK_EQ_SIZE(bytes_queue_len(&q), len);
    int16_t i16 = 0;
    CHECK_OK(bytes_queue_get_i16_be(&q, &i16));
    CHECK(i16 == 0x0304);
    CHECK_OK(bytes_queue_get_i16_le(&q, &i16));
    CHECK(i16 == -257);
    CHECK(bytes_queue_len(&q) == 0 && bytes_queue_chunks(&q) == 0);
    CHECK_STATUS(bytes_queue_get_u8(&q, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_get_i8(NULL, (int8_t *)word), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_advance(&q, 1), BYTES_ERR_RANGE);
    bytes_queue_drop(&q);
}

static void test_write_push_front_pullup(void)
{
    bytes_queue_t q = {0};
    struct counts s = now();
    for (int i = 0; i < 100; i++)
        CHECK_OK(bytes_queue_write(&q, "0123456789", 10));
    CHECK_DELTA(s, 2, 0); /* one tail storage, one chunk array */
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 1);
    CHECK_EQ_SIZE(bytes_queue_len(&q), 1000);
    CHECK_STATUS(bytes_queue_write(&q, NULL, 1), BYTES_ERR_NULL);
    CHECK_OK(bytes_queue_write(&q, NULL, 0));
    CHECK_STATUS(bytes_queue_write(NULL, "x", 1), BYTES_ERR_NULL);

    /* A length header put in front once the body is known. */
    bytes_mut_t h = {0};
    CHECK_OK(bytes_mut_put_u32_be(&h, 1000));
    bytes_t header = bytes_mut_freeze(&h);
    CHECK_OK(bytes_queue_push_front(&q, &header));
    CHECK_ZERO(&header);
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 2);
    uint8_t four[4];
    CHECK_OK(bytes_queue_peek(&q, 0, four, 4));
    CHECK(bytes_load_u32_be(four) == 1000);

    /* pullup: no copy when contiguous, one allocation otherwise. */
    const uint8_t *front = bytes_ptr(bytes_queue_front(&q));
    s = now();
    CHECK_OK(bytes_queue_pullup(&q, 4));
    CHECK(bytes_ptr(bytes_queue_front(&q)) == front);
    CHECK_DELTA(s, 0, 0);
    CHECK_OK(bytes_queue_pullup(&q, 14));
    CHECK_DELTA(s, 1, 1); /* the copy; the header's storage freed */
    CHECK_EQ_SIZE(bytes_len(bytes_queue_front(&q)), 14);
    CHECK(memcmp(bytes_ptr(bytes_queue_front(&q)) + 4, "0123456789", 10) == 0);
    CHECK_EQ_SIZE(bytes_queue_len(&q), 1004);
    bytes_queue_t before = q;
    CHECK_STATUS(bytes_queue_pullup(&q, 1005), BYTES_ERR_RANGE);
    CHECK(memcmp(&before, &q, sizeof q) == 0);
    bytes_queue_drop(&q);
}

static void test_clone_split_append_pop(void)
{
    bytes_queue_t q = {0};
    bytes_t a = copy_of("abc");
    void *a_block = alloc_count_last(); /* the storage of "abc" */
    CHECK(alloc_watch(a_block));
    bytes_t b = bytes_from_static((const uint8_t *)"def", 3), c = copy_of("ghi");
    const uint8_t *pa = bytes_ptr(&a), *pc = bytes_ptr(&c);
    CHECK_OK(bytes_queue_push(&q, &a));
    CHECK_OK(bytes_queue_push(&q, &b));
    CHECK_OK(bytes_queue_push(&q, &c));

    bytes_queue_t copy;
    memset(&copy, 0xA5, sizeof copy);
    struct counts s = now();
    CHECK_OK(bytes_queue_clone(&q, &copy));
    CHECK_DELTA(s, 1, 0); /* its chunk array only */
    CHECK(bytes_ptr(bytes_queue_chunk(&copy, 0)) == pa);
    CHECK(!bytes_is_unique(bytes_queue_chunk(&q, 0)));
    CHECK_STATUS(bytes_queue_clone(&q, &q), BYTES_ERR_INVALID);

    bytes_queue_t front;
    memset(&front, 0xA5, sizeof front);
    CHECK_OK(bytes_queue_split_to(&q, 7, &front));
    CHECK_QUEUE(&front, "abcdefg");
    CHECK_QUEUE(&q, "hi");
    CHECK(bytes_ptr(bytes_queue_chunk(&front, 0)) == pa);
    CHECK(bytes_ptr(bytes_queue_chunk(&front, 2)) == pc);
    CHECK(bytes_ptr(bytes_queue_front(&q)) == pc + 1);
    bytes_queue_t out_before;
    memset(&out_before, 0xA5, sizeof out_before);
    CHECK_STATUS(bytes_queue_split_to(&q, 3, &out_before), BYTES_ERR_RANGE);
    CHECK(is_zero_queue(&out_before));
    CHECK_STATUS(bytes_queue_split_to(&q, 1, &q), BYTES_ERR_INVALID);
    CHECK_QUEUE(&q, "hi");

    CHECK_OK(bytes_queue_append(&q, &front));
    CHECK(bytes_queue_len(&front) == 0 && bytes_queue_chunks(&front) == 0);
    CHECK_QUEUE(&q, "hiabcdefg");
    CHECK_STATUS(bytes_queue_append(&q, &q), BYTES_ERR_INVALID);

    bytes_t popped;
    CHECK_OK(bytes_queue_pop(&q, &popped));
    CHECK_BYTES(&popped, "hi", 2);
    CHECK(bytes_ptr(&popped) == pc + 1);
    bytes_drop(&popped);
    bytes_queue_drop(&q);
    CHECK_FREED(a_block, 0); /* the clone still holds "abc" */
    CHECK_QUEUE(&copy, "abcdefghi");
    bytes_queue_drop(&copy);
    CHECK_FREED(a_block, 1);
    bytes_queue_drop(&front);
}

/* The receive loop: frames of a 2-byte length and a payload, written in
 * pieces; once warm, decoding allocates nothing. */
static void test_receive_loop(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    bytes_queue_t q = {0};
    bytes_mut_t m = {0};
    CHECK_OK(bytes_mut_with_capacity(4096, &m));
    const uint8_t *block = bytes_mut_ptr(&m);
    struct counts s = now();
    size_t frames = 0;
    for (int round = 0; round < 200; round++) {
        if (round == 20)
            s = now(); /* warm */
        uint8_t wire[64];
        size_t payload = (size_t)(round % 40) + 1;
        bytes_store_u16_be(wire, (uint16_t)payload);
        memset(wire + 2, 'a' + round % 26, payload);
        /* Two pieces: the length's first byte alone, then the rest. */
        CHECK(write(sv[1], wire, 1) == 1);
        size_t nread = 0;
        CHECK_OK(bytes_queue_read_fd(&q, &m, sv[0], 1024, &nread));
        CHECK_EQ_SIZE(nread, 1);
        CHECK(write(sv[1], wire + 1, payload + 1) == (ssize_t)payload + 1);
        CHECK_OK(bytes_queue_read_fd(&q, &m, sv[0], 1024, &nread));
        CHECK_EQ_SIZE(nread, payload + 1);
        CHECK_EQ_SIZE(bytes_queue_chunks(&q), 1); /* merged */
        uint16_t len = 0;
        CHECK_OK(bytes_queue_get_u16_be(&q, &len));
        CHECK_EQ_SIZE(len, payload);
        bytes_t frame;
        CHECK_OK(bytes_queue_take(&q, len, &frame));
        CHECK(bytes_ptr(&frame) >= block && bytes_ptr(&frame) < block + 4096); /* zero-copy */
        CHECK(bytes_ptr(&frame)[0] == 'a' + round % 26);
        bytes_drop(&frame);
        frames++;
    }
    CHECK_DELTA(s, 0, 0);
    CHECK_EQ_SIZE(frames, 200);
    /* End of file. */
    close(sv[1]);
    size_t nread = 9;
    CHECK_OK(bytes_queue_read_fd(&q, &m, sv[0], 1024, &nread));
    CHECK_EQ_SIZE(nread, 0);
    CHECK_STATUS(bytes_queue_read_fd(&q, &m, sv[0], 0, &nread), BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_queue_read_fd(&q, &m, -1, 16, &nread), BYTES_ERR_IO);
    CHECK(errno == EBADF);
    CHECK_EQ_SIZE(nread, 0);
    CHECK_STATUS(bytes_queue_read_fd(&q, NULL, sv[0], 16, &nread), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_read_fd(&q, &m, sv[0], 16, NULL), BYTES_ERR_NULL);
    close(sv[0]);
    bytes_mut_drop(&m);
    bytes_queue_drop(&q);
}

static void test_reserve_reclaims(void)
{
    bytes_queue_t q = {0};
    bytes_mut_t m = {0};
    CHECK_OK(bytes_mut_with_capacity(16, &m));
    uint8_t *block = bytes_mut_ptr(&m);
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"0123456789ab", 12));
    CHECK_OK(bytes_queue_push_mut(&q, &m));
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 4);
    CHECK_OK(bytes_queue_advance(&q, 10));
    struct counts s = now();
    CHECK_OK(bytes_queue_reserve(&q, &m, 8));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(bytes_queue_front(&q)) == block); /* moved to the front */
    CHECK_QUEUE(&q, "ab");
    CHECK(bytes_mut_ptr(&m) == block + 2);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 14);

    /* A frame still held: no reclaim, a new storage of at least 16. */
    bytes_t held;
    CHECK_OK(bytes_queue_take(&q, 1, &held));
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"cdefghijklmnop", 14));
    CHECK_OK(bytes_queue_push_mut(&q, &m));
    s = now();
    CHECK_OK(bytes_queue_reserve(&q, &m, 8));
    CHECK_DELTA(s, 1, 0);
    CHECK(bytes_mut_capacity(&m) >= 16);
    CHECK_QUEUE(&q, "bcdefghijklmnop");
    CHECK_BYTES(&held, "a", 1);
    bytes_drop(&held);
    CHECK_STATUS(bytes_queue_reserve(&q, NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_reserve(NULL, &m, 1), BYTES_ERR_NULL);
    bytes_mut_drop(&m);
    bytes_queue_drop(&q);
}

/* The calls of a frame decoder's loop take fast paths where the work is
 * within the first chunk of the library's own storage, or needs nothing
 * to move or grow; everything else takes the general path. Both give the
 * same results. */
static void test_fast_paths_and_fallbacks(void)
{
    bytes_queue_t q = {0};
    bytes_mut_t m = {0};
    CHECK_OK(bytes_mut_with_capacity(64, &m));
    const uint8_t *block = bytes_mut_ptr(&m);

    /* push_mut: the first needs the chunk array, then reads that follow
     * the last chunk extend it (no allocation, no count update). */
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"\0\0\0\3abc", 7));
    struct counts s = now();
    CHECK_OK(bytes_queue_push_mut(&q, &m));
    CHECK_DELTA(s, 1, 0);
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"\0\0\0\2de", 6));
    s = now();
    CHECK_OK(bytes_queue_reserve(&q, &m, 8)); /* room already */
    CHECK_OK(bytes_queue_push_mut(&q, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 1);
    CHECK(bytes_ptr(bytes_queue_front(&q)) == block);
    CHECK_EQ_SIZE(bytes_mut_len(&m), 0);
    CHECK_EQ_SIZE(bytes_mut_capacity(&m), 64 - 13);
    CHECK_OK(bytes_queue_push_mut(&q, &m)); /* nothing written: no-op */
    CHECK_EQ_SIZE(bytes_queue_len(&q), 13);

    /* advance and take within the first chunk: zero-copy, no allocation. */
    s = now();
    CHECK_OK(bytes_queue_advance(&q, 4));
    bytes_t frame;
    CHECK_OK(bytes_queue_take(&q, 3, &frame));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&frame) == block + 4);
    CHECK_BYTES(&frame, "abc", 3);
    CHECK(!bytes_is_unique(&frame)); /* shares the block */
    bytes_drop(&frame);

    /* Errors: nothing changes, out empty. */
    bytes_queue_t before = q;
    GARBAGE(frame);
    CHECK_STATUS(bytes_queue_take(&q, 7, &frame), BYTES_ERR_RANGE);
    CHECK_ZERO(&frame);
    CHECK_STATUS(bytes_queue_advance(&q, 7), BYTES_ERR_RANGE);
    CHECK(memcmp(&before, &q, sizeof q) == 0);
    bytes_mut_t m_before = m;
    CHECK_STATUS(bytes_queue_push_mut(NULL, &m), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_push_mut(&q, NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_reserve(NULL, &m, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_advance(NULL, 0), BYTES_ERR_NULL);
    CHECK(memcmp(&m_before, &m, sizeof m) == 0);

    /* The whole first chunk: taken as it is. */
    CHECK_OK(bytes_queue_advance(&q, 4));
    CHECK_OK(bytes_queue_take(&q, 2, &frame));
    CHECK(bytes_ptr(&frame) == block + 11);
    CHECK_BYTES(&frame, "de", 2);
    CHECK(bytes_queue_len(&q) == 0 && bytes_queue_chunks(&q) == 0);
    bytes_drop(&frame);

    /* A chunk of a custom vtable: taken through its clone. */
    static struct counting_slot slot;
    counting_slot_take(&slot);
    memcpy(slot.buf, "foreign!", 8);
    bytes_t foreign;
    CHECK_OK(bytes_from_vtable(slot.buf, 8, &slot, &COUNTING_SLOT_VTABLE, &foreign));
    CHECK_OK(bytes_queue_push(&q, &foreign));
    s = now();
    CHECK_OK(bytes_queue_take(&q, 3, &frame));
    CHECK_DELTA(s, 0, 0);
    CHECK(bytes_ptr(&frame) == slot.buf);
    CHECK(atomic_load(&slot.clones) == 1 && atomic_load(&slot.refs) == 2);
    CHECK_OK(bytes_queue_advance(&q, 1));
    CHECK(atomic_load(&slot.clones) == 1); /* advancing changes no reference */
    bytes_drop(&frame);

    /* Across chunks: a copy; then static bytes within their chunk:
     * zero-copy, no count. */
    bytes_t text = bytes_from_static((const uint8_t *)"static", 6);
    CHECK_OK(bytes_queue_push(&q, &text));
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 2);
    CHECK_OK(bytes_queue_take(&q, 6, &frame)); /* across: a copy */
    CHECK_BYTES(&frame, "ign!st", 6);
    bytes_drop(&frame);
    CHECK_OK(bytes_queue_take(&q, 2, &frame));
    CHECK_BYTES(&frame, "at", 2);
    CHECK(bytes_ptr(&frame) == bytes_ptr(bytes_queue_front(&q)) - 2); /* zero-copy */
    bytes_drop(&frame);
    CHECK(atomic_load(&slot.refs) == 0); /* the foreign chunk was released */

    /* push_mut when the bytes do not follow the last chunk: a free slot
     * (no allocation), else the array grows. */
    CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"xyz", 3));
    s = now();
    CHECK_OK(bytes_queue_push_mut(&q, &m));
    CHECK_DELTA(s, 0, 0);
    CHECK_EQ_SIZE(bytes_queue_chunks(&q), 2);
    CHECK_QUEUE(&q, "icxyz");
    size_t chunks = bytes_queue_chunks(&q), grown = 0;
    for (int i = 0; i < 64 && !grown; i++) {
        bytes_t dash = bytes_from_static((const uint8_t *)"-", 1);
        CHECK_OK(bytes_queue_push(&q, &dash));
        CHECK_OK(bytes_mut_extend_from_slice(&m, (const uint8_t *)"x", 1));
        s = now();
        CHECK_OK(bytes_queue_push_mut(&q, &m));
        struct counts t = now();
        grown = (t.allocs - s.allocs) + (t.reallocs - s.reallocs);
        chunks += 2;
        CHECK_EQ_SIZE(bytes_queue_chunks(&q), chunks);
        CHECK_EQ_SIZE(bytes_mut_len(&m), 0);
    }
    CHECK_COUNTED(grown == 1); /* a full array grew once */
    CHECK_EQ_SIZE(bytes_queue_len(&q), 5 + (chunks - 2));
    CHECK(memcmp(bytes_ptr(bytes_queue_chunk(&q, chunks - 1)), "x", 1) == 0);
    bytes_queue_drop(&q);
    bytes_mut_drop(&m);
}

static void test_write_out(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    bytes_queue_t q = {0};
    CHECK_OK(bytes_queue_write(&q, "head ", 5));
    bytes_t body = copy_of("body");
    const uint8_t *pbody = bytes_ptr(&body);
    CHECK_OK(bytes_queue_push(&q, &body));

    struct iovec iov[4];
    CHECK_EQ_SIZE(bytes_queue_fill_iovec(&q, iov, 4), 2);
    CHECK(iov[1].iov_base == (const void *)pbody && iov[1].iov_len == 4);
    CHECK_EQ_SIZE(bytes_queue_fill_iovec(&q, iov, 1), 1);
    CHECK_EQ_SIZE(bytes_queue_fill_iovec(NULL, iov, 4), 0);
    CHECK_EQ_SIZE(bytes_queue_fill_iovec(&q, NULL, 4), 0);

    size_t written = 0;
    CHECK_OK(bytes_queue_writev_fd(&q, sv[0], &written));
    CHECK_EQ_SIZE(written, 9);
    CHECK(bytes_queue_len(&q) == 0 && bytes_queue_chunks(&q) == 0);
    uint8_t got[16];
    CHECK(read(sv[1], got, sizeof got) == 9);
    CHECK(memcmp(got, "head body", 9) == 0);

    /* Partial non-blocking sends leave the remainder. */
    int small = 4096;
    CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small) == 0);
    static uint8_t big[1 << 20];
    memset(big, 'x', sizeof big);
    CHECK_OK(bytes_queue_write(&q, big, sizeof big));
    CHECK_OK(bytes_queue_sendmsg_fd(&q, sv[0], MSG_NOSIGNAL | MSG_DONTWAIT, &written));
    CHECK(written > 0 && written < sizeof big);
    CHECK_EQ_SIZE(bytes_queue_len(&q), sizeof big - written);
    bytes_queue_t before = q;
    written = 7;
    CHECK_STATUS(bytes_queue_sendmsg_fd(&q, sv[0], MSG_NOSIGNAL | MSG_DONTWAIT, &written), BYTES_ERR_IO);
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
    CHECK_EQ_SIZE(written, 0);
    CHECK(memcmp(&before, &q, sizeof q) == 0);

    /* A gone peer: EPIPE and no signal (SIGPIPE has its default action). */
    close(sv[1]);
    CHECK_STATUS(bytes_queue_sendmsg_fd(&q, sv[0], MSG_NOSIGNAL, &written), BYTES_ERR_IO);
    CHECK(errno == EPIPE);
    CHECK(memcmp(&before, &q, sizeof q) == 0);
    CHECK_STATUS(bytes_queue_writev_fd(&q, sv[0], NULL), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_queue_sendmsg_fd(NULL, sv[0], 0, &written), BYTES_ERR_NULL);
    close(sv[0]);
    bytes_queue_drop(&q);
}

int main(void)
{
    if (!alloc_count_start())
        return 1;
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    test_empty_and_zero();
    test_merge_and_take();
    test_reads_across_chunks();
    test_write_push_front_pullup();
    test_clone_split_append_pop();
    test_receive_loop();
    test_reserve_reclaims();
    test_fast_paths_and_fallbacks();
    test_write_out();
    CHECK_DONE();
    return 0;
}
