/*
 * test_cpp_text.cpp - bytes.hpp for text and containers: operator<<,
 * fmt::format and std::format (where the toolchain has them) printing
 * escaped text, transparent lookups by std::string_view, the span and
 * vector overloads, and Error messages that name the file. C++20.
 */
#include "bytes.hpp"

#include "check.h"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <unistd.h>

static const char raw[] = "GET /\t\"x\\y\"\r\n\x01\xff";
static const std::string_view raw_view(raw, sizeof(raw) - 1);
static const char escaped[] = "GET /\\t\"x\\\\y\"\\r\\n\\x01\\xff";

static void printing()
{
    const bytes::Bytes b = bytes::Bytes::copy_from(raw_view);
    CHECK(bytes::escape(b) == escaped);
    CHECK(bytes::escape(std::string_view("plain")) == "plain");
    std::ostringstream os;
    os << b;
    CHECK(os.str() == escaped);
    std::ostringstream padded;
    padded.width(8);
    padded << bytes::Bytes::from_static("abc");
    CHECK(padded.str() == "     abc");

    bytes::BytesMut m;
    m.extend(std::string_view("a\0b", 3));
    std::ostringstream om;
    om << m;
    CHECK(om.str() == "a\\x00b");
    /* Printing copies nothing out of the handle: it is unchanged. */
    CHECK(b.view() == raw_view);

#if defined(BYTES_TEST_FMT)
    CHECK(fmt::format("{}", b) == escaped);
    CHECK(fmt::format("[{:>6}]", bytes::Bytes::from_static("ab\n")) == "[  ab\\n]");
    CHECK(fmt::format("{}", m) == "a\\x00b");
    std::printf("test_cpp_text: fmt::formatter checked (fmt %d)\n", FMT_VERSION);
#endif
#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
    CHECK(std::format("{}", b) == escaped);
    CHECK(std::format("[{:<5}]", bytes::Bytes::from_static("\x7f")) == "[\\x7f ]");
    CHECK(std::format("{}", m) == "a\\x00b");
    std::printf("test_cpp_text: std::formatter checked\n");
#endif
}

static void lookups()
{
    std::unordered_map<bytes::Bytes, int> methods;
    methods.emplace(bytes::Bytes::copy_from("GET"), 1);
    methods.emplace(bytes::Bytes::copy_from("POST"), 2);
    const bytes::Bytes request = bytes::Bytes::from_static("POST /form HTTP/1.1");
    /* The method is a slice of the request, looked up by its view: no Bytes
     * is made for the lookup (and none by a std::string key either). */
    const std::string_view method = request.view().substr(0, 4);
    auto it = methods.find(method);
    CHECK(it != methods.end() && it->second == 2);
    CHECK(methods.find(std::string_view("PUT")) == methods.end());
    CHECK(methods.find(std::string("GET"))->second == 1);
    CHECK(methods.count(std::string_view("GET")) == 1);
    CHECK(methods.contains(std::string_view("POST")));

    std::unordered_set<bytes::Bytes> seen;
    seen.insert(bytes::Bytes::copy_from("a"));
    CHECK(seen.find(std::string_view("a")) != seen.end());

    /* Hashes agree between Bytes and string_view, as lookups need. */
    const std::hash<bytes::Bytes> h;
    CHECK(h(bytes::Bytes::from_static("key")) == h(std::string_view("key")));
    CHECK(h(bytes::Bytes::from_static("key")) == std::hash<std::string_view>()("key"));
    const std::equal_to<bytes::Bytes> eq;
    CHECK(eq(bytes::Bytes::from_static("k"), std::string_view("k")));
    CHECK(!eq(std::string_view("k"), bytes::Bytes::from_static("K")));
}

static void containers()
{
    const std::vector<std::uint8_t> v{1, 2, 3};
    const bytes::Bytes from_vec = bytes::Bytes::copy_from(v);
    CHECK(from_vec.size() == 3 && from_vec.data() != v.data() && from_vec[2] == 3);
    const std::vector<std::byte> vb{std::byte{9}, std::byte{8}};
    const bytes::Bytes from_bytes = bytes::Bytes::copy_from(vb);
    CHECK(from_bytes.size() == 2 && from_bytes[0] == 9);
    const std::span<const std::byte> sb(vb);
    const bytes::Bytes from_span = bytes::Bytes::copy_from(sb.subspan(1));
    CHECK(from_span.size() == 1 && from_span[0] == 8);
    const std::span<const std::uint8_t> su(v);
    CHECK(bytes::Bytes::copy_from(su.first(2)).view() == std::string_view("\x01\x02", 2));

    bytes::BytesMut m;
    m.extend(v);
    m.extend(vb);
    m.extend(su.last(1));
    m.extend(sb.first(1));
    CHECK(m.view() == std::string_view("\x01\x02\x03\x09\x08\x03\x09", 7));

    int fds[2];
    CHECK(pipe(fds) == 0);
    std::vector<bytes::Bytes> bufs;
    bufs.push_back(bytes::Bytes::from_static("ab"));
    bufs.push_back(bytes::Bytes::from_static("cde"));
    const std::span<bytes::Bytes> span(bufs);
    CHECK(bytes::writev_fd(fds[1], span) == 5);
    CHECK(bufs[0].empty() && bufs[1].empty());
    bufs[0] = bytes::Bytes::from_static("f");
    std::size_t written = 0;
    CHECK(bytes::writev_fd(fds[1], span.first(1), written) == BYTES_OK && written == 1);
    char got[6] = {0};
    CHECK(read(fds[0], got, sizeof(got)) == 6);
    CHECK(std::memcmp(got, "abcdef", 6) == 0);
    close(fds[0]);
    close(fds[1]);
}

static void errors_name_the_path()
{
    const char *path = "/nonexistent/libbytes-test/file.bin";
    try {
        (void)bytes::Bytes::from_file(path);
        CHECK(!"from_file of a missing file threw");
    } catch (const bytes::Error &e) {
        const std::string what = e.what();
        CHECK(e.status() == BYTES_ERR_IO);
        CHECK(e.sys_errno() == ENOENT);
        CHECK(what.find(path) != std::string::npos);
        CHECK(what.find("bytes::Bytes::from_file") == 0);
        CHECK(what.find(std::strerror(ENOENT)) != std::string::npos);
    }
    try {
        (void)bytes::Bytes::from_file(std::string("/"));
        CHECK(!"from_file of a directory threw");
    } catch (const bytes::Error &e) {
        CHECK(std::string(e.what()).find("(\"/\")") != std::string::npos);
    }
}

int main()
{
    printing();
    lookups();
    containers();
    errors_name_the_path();
    CHECK_DONE();
}
