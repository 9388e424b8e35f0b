/*
 * test_cpp_buffers.cpp - the C++ layer's buffers and I/O, include/bytes.hpp
 * through the real library: bytes::BytesMut (growth, splits, freeze
 * without a copy, failures that change nothing), read_fd / writev_fd over
 * a pipe (a partial write, EAGAIN on a full non-blocking pipe through the
 * non-throwing overloads), files, typed get<T> / put<T> in both byte
 * orders, and bytes::Queue. test_cpp.cpp checks bytes::Bytes. Built as
 * C++17 (test_cpp_buffers) and as C++20 (test_cpp_buffers20).
 */
#include "bytes.hpp"

extern "C" {
#include "alloc_count.h"
}
#include "check_alloc.h"
#include "cpp_helpers.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <vector>

using bytes::Bytes;
using bytes::BytesMut;

static void test_bytes_mut()
{
    BytesMut m = BytesMut::with_capacity(64);
    CHECK(m.empty() && m.capacity() >= 64);
    const uint8_t *start = m.data();
    m.put_u8(0xAB);
    m.put_u16_be(0x1234);
    m.put_u16_le(0x1234);
    m.put_u32_be(0xDEADBEEF);
    m.put_u32_le(0xDEADBEEF);
    m.put_u64_be(0x0102030405060708ull);
    m.put_u64_le(0x0102030405060708ull);
    m.put_bytes('z', 3);
    CHECK_EQ_SIZE(m.size(), 1 + 2 + 2 + 4 + 4 + 8 + 8 + 3);
    CHECK(m.data() == start); // within capacity: no move
    CHECK(m[1] == 0x12 && m[2] == 0x34 && m[3] == 0x34 && m[4] == 0x12);

    // spare / commit: write in place.
    auto [sp, slen] = m.spare();
    CHECK(sp == m.data() + m.size() && slen == m.capacity() - m.size() && slen >= 4);
    std::memcpy(sp, "tail", 4);
    m.commit(4);
    CHECK(m.view().substr(m.size() - 4) == "tail");

    // freeze: same memory, the buffer left empty.
    const uint8_t *p = m.data();
    const std::size_t size = m.size();
    Bytes f = std::move(m).freeze();
    CHECK(f.data() == p && f.size() == size && f.is_unique());
    CHECK(is_zero(m.raw()) && m.empty() && m.capacity() == 0);
    CHECK(f.get_u8() == 0xAB);
    CHECK(f.get_u16_be() == 0x1234 && f.get_u16_le() == 0x1234);
    CHECK(f.get_u32_be() == 0xDEADBEEF && f.get_u32_le() == 0xDEADBEEF);
    CHECK(f.get_u64_be() == 0x0102030405060708ull && f.get_u64_le() == 0x0102030405060708ull);
    CHECK(f == "zzztail" && f.data() == p + 29);

    // into_mut: back to a buffer without a copy when unique ...
    Bytes u = Bytes::copy_from("unique");
    const uint8_t *up = u.data();
    Bytes shared = u;
    BytesMut out;
    CHECK(!u.try_into_mut(out)); // ... not while shared: nothing changes
    CHECK(u.data() == up && out.empty() && is_zero(out.raw()));
    shared = Bytes();
    CHECK(u.try_into_mut(out));
    CHECK(out.data() == up && out.view() == "unique" && u.empty());
    Bytes st = Bytes::from_static("static");
    const uint8_t *stp = st.data();
    BytesMut copied = std::move(st).into_mut(); // a copy: static bytes
    CHECK(copied.view() == "static" && copied.data() != stp && st.empty());

    // split / unsplit: O(1) when adjacent.
    BytesMut buf = BytesMut::with_capacity(64);
    buf.extend("headerbody");
    const uint8_t *bp = buf.data();
    BytesMut header = buf.split_to(6);
    CHECK(header.data() == bp && header.view() == "header" && buf.data() == bp + 6);
    header.unsplit(std::move(buf));
    CHECK(header.data() == bp && header.view() == "headerbody" && is_zero(buf.raw()));
    BytesMut rest = header.split_off(6);
    CHECK(rest.data() == bp + 6 && rest.view() == "body" && header.view() == "header");
    BytesMut all = header.split();
    CHECK(all.data() == bp && all.view() == "header" && header.empty());
    // Not adjacent: a copy, still correct.
    BytesMut a2;
    a2.extend("one");
    BytesMut b2;
    b2.extend("two");
    a2.unsplit(std::move(b2));
    CHECK(a2.view() == "onetwo" && b2.empty());
    a2.advance(3);
    CHECK(a2.view() == "two");
    a2.resize(5, '!');
    CHECK(a2.view() == "two!!");
    a2.truncate(2);
    CHECK(a2.view() == "tw");
    a2.extend(Bytes::from_static("ee"));
    a2.extend(a2.data(), 2); // from its own written bytes
    CHECK(a2.view() == "tweetw");
    a2.clear();
    CHECK(a2.empty() && a2.capacity() > 0);
    CHECK(a2.try_reclaim(4));
    BytesMut z = BytesMut::zeroed(3);
    CHECK(z.size() == 3 && z[0] == 0 && z[2] == 0);
    Bytes frozen_split = buf.split().freeze(); // a prvalue freezes too
    CHECK(frozen_split.empty());
}

// read_fd / writev_fd over a pipe: a blocking round trip, then a full
// non-blocking pipe: partial write, EAGAIN through the non-throwing
// overloads (and the throwing ones), nothing consumed on failure.
static void test_pipe_io()
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "hello", 5) == 5);
    BytesMut in;
    CHECK_EQ_SIZE(in.read_fd(fds[0], 4096), 5);
    CHECK(in.view() == "hello");
    Bytes bufs[3] = {Bytes::from_static(" wor"), Bytes(), Bytes::copy_from("ld")};
    CHECK_EQ_SIZE(bytes::writev_fd(fds[1], bufs, 3), 6);
    CHECK(bytes::all_empty(bufs, 3));
    std::size_t n = 0;
    CHECK_OK(in.read_fd(fds[0], 4096, n));
    CHECK(n == 6 && in.view() == "hello world");
    close(fds[1]);
    CHECK_EQ_SIZE(in.read_fd(fds[0], 4096), 0); // end of file
    CHECK_OK(in.read_fd(fds[0], 4096, n));
    CHECK(n == 0 && in.view() == "hello world");
    close(fds[0]);

    // Non-blocking.
    CHECK(pipe2(fds, O_NONBLOCK) == 0);
    const int pipe_size = fcntl(fds[1], F_GETPIPE_SZ);
    CHECK(pipe_size > 0);

    // Reading an empty pipe: EAGAIN, routinely, without a throw.
    BytesMut rx = BytesMut::with_capacity(16);
    rx.extend("kept");
    n = 99;
    errno = 0;
    CHECK_STATUS(rx.read_fd(fds[0], 4096, n), BYTES_ERR_IO);
    CHECK((errno == EAGAIN || errno == EWOULDBLOCK) && n == 0 && rx.view() == "kept");
    int err = 0;
    CHECK_STATUS(status_of([&] { (void)rx.read_fd(fds[0], 4096); }, &err), BYTES_ERR_IO);
    CHECK(err == EAGAIN && rx.view() == "kept");
    try {
        (void)rx.read_fd(fds[0], 4096);
        CHECK(!"unreachable");
    } catch (const bytes::Error &e) {
        CHECK(e.code() == std::errc::resource_unavailable_try_again);
    }
    rx.clear();

    // A response larger than the pipe: header, an empty handle, body, trailer.
    std::string body_text(static_cast<std::size_t>(pipe_size) * 4 + 123, '\0');
    for (std::size_t i = 0; i < body_text.size(); i++) body_text[i] = static_cast<char>('a' + i % 26);
    const Bytes body = Bytes::copy_from(body_text);
    std::vector<Bytes> out = {Bytes::from_static("HDR:"), Bytes(), body, Bytes::from_static("\n")};
    const std::string expected = "HDR:" + body_text + "\n";
    CHECK(!body.is_unique()); // out[2] shares it

    std::size_t written = 0;
    CHECK_OK(bytes::writev_fd(fds[1], out, written));
    CHECK(written > 4 && written < expected.size()); // partial
    CHECK(out[0].empty() && out[1].empty());
    CHECK(out[2].data() == body.data() + (written - 4)); // advanced, not copied
    CHECK_EQ_SIZE(out[2].size(), body.size() - (written - 4));
    CHECK(out[3] == "\n");

    // The pipe is full now: EAGAIN, nothing consumed, bit for bit.
    bytes_t snap[4];
    for (int i = 0; i < 4; i++) snap[i] = out[static_cast<std::size_t>(i)].raw();
    written = 99;
    errno = 0;
    CHECK_STATUS(bytes::writev_fd(fds[1], out, written), BYTES_ERR_IO);
    CHECK((errno == EAGAIN || errno == EWOULDBLOCK) && written == 0);
    CHECK_STATUS(status_of([&] { (void)bytes::writev_fd(fds[1], out); }, &err), BYTES_ERR_IO);
    CHECK(err == EAGAIN);
    for (int i = 0; i < 4; i++) CHECK(same_bits(out[static_cast<std::size_t>(i)].raw(), snap[i]));

    // Drain and write alternately until everything is through.
    std::size_t total = expected.size() - out[2].size() - out[3].size();
    int rounds = 0;
    while (!bytes::all_empty(out.data(), out.size())) {
        CHECK(++rounds < 10000);
        for (;;) {
            bytes_status_t st = rx.read_fd(fds[0], 65536, n);
            if (st == BYTES_ERR_IO && errno == EAGAIN) break;
            CHECK_OK(st);
            CHECK(n > 0);
        }
        bytes_status_t st = bytes::writev_fd(fds[1], out.data(), out.size(), written);
        if (st == BYTES_ERR_IO && errno == EAGAIN) continue;
        CHECK_OK(st);
        total += written;
    }
    CHECK_EQ_SIZE(total, expected.size());
    CHECK(body.is_unique()); // writev_fd dropped its handle when done
    close(fds[1]);
    for (;;) {
        bytes_status_t st = rx.read_fd(fds[0], 65536, n);
        CHECK_OK(st);
        if (n == 0) break;
    }
    close(fds[0]);
    CHECK_EQ_SIZE(rx.size(), expected.size());
    CHECK(rx.view() == expected);

    // fill_iovec: the handles as iovecs, no copy.
    Bytes parts[3] = {Bytes::from_static("a"), Bytes(), body.slice(0, 10)};
    struct iovec iov[3];
    CHECK_EQ_SIZE(bytes::fill_iovec(parts, 3, iov, 3), 2);
    CHECK(iov[0].iov_base == parts[0].data() && iov[1].iov_base == body.data() && iov[1].iov_len == 10);
}

// A file mapped without a read.
static void test_file()
{
    char path[] = "/tmp/libbytes-test-cpp-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, TEXT, sizeof TEXT - 1) == static_cast<ssize_t>(sizeof TEXT - 1));
    Bytes f = Bytes::from_file(path);
    CHECK(f == TEXT);
    Bytes r = Bytes::from_fd(fd, 4, 11);
    CHECK(r == "/index.html");
    CHECK_STATUS(status_of([&] { (void)Bytes::from_fd(fd, 4, 1000); }), BYTES_ERR_RANGE);
    close(fd);
    unlink(path);
    CHECK(r == "/index.html"); // the mapping outlives the descriptor and the name
}

// get<T>/put<T> in both byte orders, n-byte integers, and the statuses.
static void test_typed_get_put()
{
    BytesMut m;
    m.put<std::uint8_t>(0x81);
    m.put<std::int16_t>(-2);
    m.put<std::uint32_t>(0x01020304u, bytes::Endian::little);
    m.put(1.5);
    m.put(0.25f, bytes::Endian::little);
    m.put_uint(0x0a0b0c, 3);
    m.put_int(-3, 2, bytes::Endian::little);
    CHECK_EQ_SIZE(m.size(), 1 + 2 + 4 + 8 + 4 + 3 + 2);
    CHECK(bytes_load_i16_be(m.data() + 1) == -2);
    CHECK(bytes_load_u32_le(m.data() + 3) == 0x01020304u);
    const bytes_mut_t before = m.raw();
    CHECK_STATUS(status_of([&] { m.put_uint(1, 9); }), BYTES_ERR_INVALID);
    CHECK(same_bits(before, m.raw()));

    Bytes b = std::move(m).freeze();
    CHECK(b.get<std::int8_t>() == -127);
    CHECK(b.get<std::int16_t>() == -2);
    CHECK(b.get<std::uint32_t>(bytes::Endian::little) == 0x01020304u);
    CHECK(b.get<double>() == 1.5);
    CHECK(b.get<float>(bytes::Endian::little) == 0.25f);
    CHECK(b.get_uint(3) == 0x0a0b0cu);
    const bytes_t kept = b.raw();
    CHECK_STATUS(status_of([&] { (void)b.get<std::uint32_t>(); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.get_int(0); }), BYTES_ERR_INVALID);
    CHECK(same_bits(kept, b.raw()));
    CHECK(b.get_int(2, bytes::Endian::little) == -3);
    CHECK(b.empty());
}

// bytes::Queue: push, find, typed reads across chunks, take without a
// copy, copies sharing chunks, iteration, writes out.
static void test_queue()
{
    bytes::Queue q;
    static_assert(std::is_nothrow_move_constructible<bytes::Queue>::value, "");
    Bytes head = Bytes::copy_from("GET / HTTP/1.1\r");
    const std::uint8_t *head_ptr = head.data();
    q.push(std::move(head));
    CHECK(head.empty());
    q.push(Bytes::from_static("\nHost: x\r\n\r\n"));
    BytesMut body = BytesMut::with_capacity(64);
    body.put<std::uint32_t>(0xdeadbeef);
    body.extend("payload");
    q.push(body);
    CHECK(body.empty() && body.capacity() == 64 - 11);
    CHECK_EQ_SIZE(q.chunk_count(), 3);
    CHECK_EQ_SIZE(q.size(), 15 + 12 + 11);
    CHECK_EQ_SIZE(q.find("\r\n\r\n"), 23);
    CHECK_EQ_SIZE(q.find("\r\n\r\n", 0, 26), bytes::Queue::npos);
    CHECK_EQ_SIZE(q.find("\r\n\r\n", 0, 27), 23);
    CHECK_EQ_SIZE(q.find("nothere"), bytes::Queue::npos);

    std::string joined;
    for (const Bytes &chunk : q) joined += chunk.view();
    CHECK(joined.size() == q.size() && joined.compare(0, 4, "GET ") == 0);
#if defined(__cpp_lib_span)
    std::size_t total = 0;
    for (const Bytes &chunk : q) total += chunk.as_bytes().size();
    CHECK_EQ_SIZE(total, q.size());
#endif

    bytes::Queue copy = q; // shares every chunk
    CHECK(copy.begin()->data() == head_ptr);

    Bytes method = q.take(3);
    CHECK(method == "GET" && method.data() == head_ptr); // zero-copy
    CHECK(q.get<std::uint8_t>() == ' ');
    q.advance(23);
    CHECK(q.get<std::uint32_t>() == 0xdeadbeefu);
    CHECK(q.take(7) == "payload");
    CHECK(q.empty());
    CHECK_STATUS(status_of([&] { (void)q.take(1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)q.pop(); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { q.append(q); }), BYTES_ERR_INVALID);

    // A length-prefixed frame across two chunks.
    q.push(Bytes::copy_from(std::string_view("\0", 1)));
    q.push(Bytes::copy_from(std::string_view("\x05hello", 6)));
    CHECK(q.get<std::uint16_t>() == 5);
    CHECK(q.take(5) == "hello");

    bytes::Queue front = copy.split_to(4);
    CHECK_EQ_SIZE(front.size(), 4);
    CHECK(front.take(4) == "GET ");
    CHECK(copy.pop() == "/ HTTP/1.1\r");

    int fds[2];
    CHECK(pipe(fds) == 0);
    bytes::Queue out;
    out.write("one ");
    out.push(Bytes::from_static("two"));
    CHECK_EQ_SIZE(out.writev_fd(fds[1]), 7);
    CHECK(out.empty());
    bytes::Queue in;
    BytesMut rx = BytesMut::with_capacity(32);
    CHECK_EQ_SIZE(in.read_fd(rx, fds[0], 16), 7);
    CHECK(in.take(7) == "one two");
    close(fds[1]);
    std::size_t n = 9;
    CHECK_OK(in.read_fd(rx, fds[0], 16, n));
    CHECK_EQ_SIZE(n, 0);
    int err = 0;
    out.write("x");
    CHECK_STATUS(status_of([&] { (void)out.sendmsg_fd(fds[1], 0); }, &err), BYTES_ERR_IO);
    CHECK(err == EBADF);
    CHECK_EQ_SIZE(out.size(), 1);
    close(fds[0]);
}

int main()
{
    if (!alloc_count_start()) return 1;
    test_bytes_mut();
    test_pipe_io();
    test_file();
    test_typed_get_put();
    test_queue();
    CHECK_DONE();
    return 0;
}
