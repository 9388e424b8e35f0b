/*
 * test_cpp.cpp - the C++ layer, include/bytes.hpp, through the real library.
 *
 * Proves: copy = bytes_clone (same data pointer, not unique while both
 * live, no allocation), move = no reference-count traffic (still unique,
 * source empty), the destructor releases (a counting owner, and watched
 * heap blocks where allocations are counted); the views point at the
 * bytes; slice / split / slice_ref / freeze keep pointer identity (no
 * copy); comparisons follow bytes_cmp; every failure throws bytes::Error
 * with the right status (and errno for I/O) and leaves every object as it
 * was, bit for bit. test_cpp_buffers.cpp checks BytesMut, I/O, typed
 * reads and writes and Queue (with the helpers of cpp_helpers.hpp).
 *
 * Compiled as two translation units (this file a second time with
 * BYTES_CPP_TEST_SECOND_TU, see CMakeLists.txt), so that a header function
 * that is not inline would fail to link. Built as C++17 (test_cpp) and as
 * C++20 (test_cpp20, which also checks the std::span views and <=>).
 */
#include "bytes.hpp"
#include "bytes.hpp" // twice: the include guard works

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#ifdef BYTES_CPP_TEST_SECOND_TU

// The second translation unit: instantiates much of the header again.
std::size_t second_tu_use(const bytes::Bytes &b);
std::size_t second_tu_use(const bytes::Bytes &b)
{
    bytes::Bytes copy = b;
    bytes::Bytes tail = copy.slice(1);
    bytes::BytesMut m = bytes::BytesMut::with_capacity(16);
    m.extend(tail.view());
    m.put_u8('!');
    m.put<std::int16_t>(-2, bytes::Endian::little);
    bytes::Bytes frozen = std::move(m).freeze();
    bytes::Queue q;
    q.push(frozen);
    q.write("?");
    bytes::Queue shared = q;
    return frozen.size() + (frozen == std::string_view("bc!\xfe\xff") ? 100 : 0) + shared.size() - q.get<std::uint8_t>();
}

#else // the main translation unit

extern "C" {
#include "alloc_count.h"
}
#include "check_alloc.h"
#include "cpp_helpers.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <unordered_map>

using bytes::Bytes;
using bytes::BytesMut;

std::size_t second_tu_use(const bytes::Bytes &b);

// ---- compile-time properties ------------------------------------------

static_assert(sizeof(Bytes) == 4 * sizeof(void *) && sizeof(BytesMut) == 4 * sizeof(void *),
              "one handle, nothing more");
static_assert(std::is_nothrow_copy_constructible<Bytes>::value, "copy = clone, cannot fail");
static_assert(std::is_nothrow_copy_assignable<Bytes>::value, "");
static_assert(std::is_nothrow_move_constructible<Bytes>::value, "");
static_assert(std::is_nothrow_move_assignable<Bytes>::value, "");
static_assert(std::is_nothrow_destructible<Bytes>::value, "");
static_assert(std::is_nothrow_default_constructible<Bytes>::value, "");
static_assert(!std::is_copy_constructible<BytesMut>::value, "BytesMut is move-only");
static_assert(!std::is_copy_assignable<BytesMut>::value, "");
static_assert(std::is_nothrow_move_constructible<BytesMut>::value, "");
static_assert(std::is_nothrow_move_assignable<BytesMut>::value, "");
static_assert(std::is_base_of<std::runtime_error, bytes::Error>::value, "");
// Not convertible to a view implicitly (that would make comparisons
// ambiguous); explicitly it is.
static_assert(!std::is_convertible<Bytes, std::string_view>::value, "");
static_assert(std::is_constructible<std::string_view, const Bytes &>::value, "");
static_assert(noexcept(std::declval<const Bytes &>().view()), "");
static_assert(noexcept(std::declval<BytesMut &>().read_fd(0, 1, std::declval<std::size_t &>())),
              "the non-throwing read_fd");
static_assert(noexcept(bytes::writev_fd(0, static_cast<Bytes *>(nullptr), 0,
                                        std::declval<std::size_t &>())),
              "the non-throwing writev_fd");
static_assert(!noexcept(std::declval<const Bytes &>().slice(0, 1)), "slice can throw");
// freeze consumes: only on an rvalue.
template <class T, class = void>
struct can_freeze : std::false_type {};
template <class T>
struct can_freeze<T, std::void_t<decltype(std::declval<T>().freeze())>> : std::true_type {};
static_assert(can_freeze<BytesMut &&>::value && !can_freeze<BytesMut &>::value, "freeze() &&");

// ---- helpers (and cpp_helpers.hpp) ---------------------------------------
// A foreign owner that counts its releases.
struct Owner {
    int released = 0;
};
static void release_owner(void *owner) { static_cast<Owner *>(owner)->released++; }

// An owner that holds a handle itself.
struct Nest {
    Bytes inner;
    int *released;
};
static void release_nest(void *owner)
{
    Nest *nest = static_cast<Nest *>(owner);
    ++*nest->released;
    delete nest;
}

// bytes.hpp reads the handle's fields instead of calling the static inline
// accessors of bytes.h (see its comment): both must agree.
static void test_accessors_agree()
{
    Bytes empty;
    CHECK(empty.data() != nullptr && bytes_ptr(&empty.raw()) != nullptr);
    CHECK_EQ_SIZE(empty.size(), bytes_len(&empty.raw()));
    CHECK(empty.empty() && bytes_is_empty(&empty.raw()));

    Bytes s = Bytes::from_static(TEXT);
    CHECK(s.data() == bytes_ptr(&s.raw()));
    CHECK(s.data() == reinterpret_cast<const uint8_t *>(TEXT));
    CHECK_EQ_SIZE(s.size(), sizeof TEXT - 1); // the literal's NUL left out
    CHECK_EQ_SIZE(s.size(), bytes_len(&s.raw()));

    Bytes c = Bytes::copy_from(TEXT);
    CHECK(c.data() == bytes_ptr(&c.raw()) && c.data() != s.data());
    CHECK_EQ_SIZE(c.size(), bytes_len(&c.raw()));
    Bytes tail = c.slice(4);
    CHECK(tail.data() == bytes_ptr(&tail.raw()));

    BytesMut m;
    bytes_mut_t raw = m.raw(); // a bitwise look, not a second owner
    CHECK(m.data() != nullptr && bytes_mut_ptr(&raw) != nullptr);
    CHECK_EQ_SIZE(m.size(), bytes_mut_len(&raw));
    CHECK_EQ_SIZE(m.capacity(), bytes_mut_capacity(&raw));
    m.reserve(100);
    m.extend("abc");
    raw = m.raw();
    CHECK(m.data() == bytes_mut_ptr(&raw));
    CHECK_EQ_SIZE(m.size(), bytes_mut_len(&raw));
    CHECK_EQ_SIZE(m.capacity(), bytes_mut_capacity(&raw));
    const BytesMut &cm = m;
    CHECK(cm.data() == m.data());

    // Arrays of std::byte / uint8_t are taken whole; a char array without
    // NUL too.
    static const uint8_t table[3] = {1, 2, 0};
    CHECK_EQ_SIZE(Bytes::from_static(table).size(), 3);
    static const std::byte braw[2] = {std::byte{7}, std::byte{8}};
    CHECK(Bytes::from_static(braw).data() == reinterpret_cast<const uint8_t *>(braw));
    static const char nonul[2] = {'o', 'k'};
    CHECK_EQ_SIZE(Bytes::from_static(nonul).size(), 2);
    CHECK_EQ_SIZE(Bytes::from_static(TEXT, 3).size(), 3);
}

// Copy = clone: same bytes, same storage, no allocation; not unique while
// both live.
static void test_copy_is_clone()
{
    Bytes a = Bytes::copy_from(TEXT);
    void *block = alloc_count_last(); // the storage (counting builds)
    CHECK(alloc_watch(block));
    CHECK(a.is_unique());
    const uint8_t *p = a.data();

    struct counts s = now();
    {
        Bytes b = a; // copy constructor
        CHECK(b.data() == p && b.size() == a.size());
        CHECK(!a.is_unique() && !b.is_unique());
        Bytes c;
        c = b; // copy assignment
        CHECK(c.data() == p);
        Bytes &alias = c;
        c = alias; // self-assignment keeps it
        CHECK(c.data() == p && c.size() == a.size());
        Bytes d = Bytes::copy_from("other");
        s = now();
        d = a; // drops d's own storage, shares a's
        CHECK_DELTA(s, 0, 1);
        CHECK(d.data() == p);
        s = now();
    }
    CHECK_DELTA(s, 0, 0); // the clones went, a's storage stayed
    CHECK(a.is_unique()); // ... and they were counted down
    CHECK_FREED(block, 0);
    a = Bytes(); // the last handle: the storage goes
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    // Assigning a slice of itself.
    Bytes whole = Bytes::copy_from(TEXT);
    Bytes part = whole.slice(4, 15);
    whole = part;
    CHECK(whole == std::string_view("/index.html"));

    // Assigning a handle that lives inside the owner of our own bytes:
    // dropping ours destroys it, so the assignments must take it first
    // (ASan reports a use after free otherwise).
    for (int move = 0; move < 2; move++) {
        int released = 0;
        Nest *nest = new Nest{Bytes::copy_from("inner bytes"), &released};
        const uint8_t *ip = nest->inner.data();
        Bytes outer = Bytes::from_owner(TEXT, 4, nest, release_nest);
        if (move)
            outer = std::move(nest->inner);
        else
            outer = nest->inner;
        CHECK(released == 1);
        CHECK(outer.data() == ip && outer == "inner bytes" && outer.is_unique());
    }
}

// Move = a transfer: no reference-count change, source left empty.
static void test_move()
{
    Bytes a = Bytes::copy_from(TEXT);
    const uint8_t *p = a.data();
    struct counts s = now();
    Bytes b = std::move(a);
    CHECK(b.data() == p && b.is_unique()); // no clone happened
    CHECK(a.empty() && a.data() != nullptr && a.size() == 0);
    CHECK(same_bits(a.raw(), bytes_t{})); // empty is all zero
    Bytes c;
    c = std::move(b);
    CHECK(c.data() == p && c.is_unique() && b.empty());
    CHECK_DELTA(s, 0, 0);

    // Moving onto a live handle releases what it held.
    Owner owner;
    bytes_t raw;
    CHECK_OK(bytes_from_owner(reinterpret_cast<const uint8_t *>(TEXT), 3, &owner, release_owner, &raw));
    Bytes held = Bytes::adopt(raw);
    held = std::move(c);
    CHECK(owner.released == 1);
    CHECK(held.data() == p && held.is_unique());
    Bytes &alias = held;
    held = std::move(alias); // self-move keeps it
    CHECK(held.data() == p && held.size() == sizeof TEXT - 1);

    using std::swap;
    Bytes x = Bytes::from_static("x");
    swap(x, held);
    CHECK(x.data() == p && held == "x");

    BytesMut m = BytesMut::with_capacity(32);
    m.extend("abc");
    uint8_t *mp = m.data();
    BytesMut n = std::move(m);
    CHECK(n.data() == mp && n.size() == 3 && n.capacity() >= 32);
    CHECK(m.empty() && m.capacity() == 0 && is_zero(m.raw()));
    BytesMut o;
    o = std::move(n);
    CHECK(o.data() == mp && is_zero(n.raw()));
}

// The destructor releases: the owner's release runs exactly once, when the
// last of the handles (copies, slices, splits) goes.
static void test_destructor_releases()
{
    static const char FOREIGN[] = "foreign memory, counted";
    Owner owner;
    {
        bytes_t raw;
        CHECK_OK(bytes_from_owner(reinterpret_cast<const uint8_t *>(FOREIGN), sizeof FOREIGN - 1, &owner,
                                  release_owner, &raw));
        Bytes a = Bytes::adopt(raw);
        CHECK(same_bits(raw, bytes_t{})); // adopt empties the C handle (rule 3)
        CHECK(a.data() == reinterpret_cast<const uint8_t *>(FOREIGN));
        {
            Bytes b = a;
            Bytes c = a.slice(0, 7);
            Bytes d = b.split_to(8);
            CHECK(owner.released == 0);
        }
        CHECK(owner.released == 0);
        CHECK(a.is_unique());
    }
    CHECK(owner.released == 1);

    // clear() releases at once.
    Owner owner2;
    bytes_t raw2;
    CHECK_OK(bytes_from_owner(reinterpret_cast<const uint8_t *>(FOREIGN), 4, &owner2, release_owner, &raw2));
    Bytes e = Bytes::adopt(std::move(raw2));
    e.clear();
    CHECK(owner2.released == 1 && e.empty());

    // A BytesMut's destructor frees its storage.
    void *block;
    {
        BytesMut m = BytesMut::with_capacity(4096);
        block = alloc_count_last();
        CHECK(alloc_watch(block));
        m.extend("x");
    }
    CHECK_FREED(block, 1);
    alloc_unwatch(block);

    // from_container: the container's own bytes, no copy, freed with the
    // last handle.
    std::vector<uint8_t> v(1000, 'v');
    const uint8_t *vp = v.data();
    CHECK(alloc_watch(const_cast<uint8_t *>(vp)));
    {
        Bytes fromv = Bytes::from_container(std::move(v));
        CHECK(fromv.data() == vp && fromv.size() == 1000);
        Bytes tail = fromv.slice(990);
        fromv = Bytes();
        CHECK_FREED(const_cast<uint8_t *>(vp), 0);
        CHECK(tail.data() == vp + 990);
    }
    CHECK_FREED(const_cast<uint8_t *>(vp), 1);
    alloc_unwatch(const_cast<uint8_t *>(vp));
    std::string str(100, 's');
    const char *sp = str.data();
    Bytes froms = Bytes::from_container(std::move(str));
    CHECK(froms.data() == reinterpret_cast<const uint8_t *>(sp) && froms.size() == 100);
    Bytes small = Bytes::from_container(std::string("sso")); // the string's bytes move with it
    CHECK(small == "sso");

    // from_malloc: free()d with the last handle.
    void *mem = std::malloc(64);
    std::memset(mem, 'm', 64);
    CHECK(alloc_watch(mem));
    {
        Bytes fm = Bytes::from_malloc(mem, 64);
        CHECK(fm.data() == mem && fm.size() == 64);
        Bytes keep = fm;
    }
    CHECK_FREED(mem, 1);
    alloc_unwatch(mem);

    // release() hands the handle over; adopt() takes it back.
    Bytes r = Bytes::copy_from("handed over");
    const uint8_t *rp = r.data();
    bytes_t h = r.release();
    CHECK(r.empty() && same_bits(r.raw(), bytes_t{}));
    CHECK(bytes_ptr(&h) == rp && bytes_is_unique(&h));
    Bytes back = Bytes::adopt(h);
    CHECK(back.data() == rp && back.is_unique());
    BytesMut rm = BytesMut::with_capacity(8);
    bytes_mut_t hm = rm.release();
    CHECK(is_zero(rm.raw()) && bytes_mut_capacity(&hm) >= 8);
    BytesMut rm2 = BytesMut::adopt(hm);
    CHECK(is_zero(hm) && rm2.capacity() >= 8);
}

// The views point at the bytes themselves.
// Callbacks must not unwind through C: the adapters the C++ layer hands to
// C are noexcept, so a throwing owner ends the program instead.
static_assert(noexcept(bytes::detail::release_holder<int>(nullptr)),
              "release adapters are noexcept");

static void test_owner_callables()
{
    static const char POOL[] = "pool slot bytes";
    int returned = 0;
    {
        Bytes slot = Bytes::from_owner(POOL, 9, [&returned] { returned++; });
        CHECK(slot.data() == reinterpret_cast<const uint8_t *>(POOL) && slot == "pool slot");
        Bytes part = slot.slice(5, 9);
        slot = Bytes();
        CHECK(returned == 0); // the slice keeps the slot
        CHECK(part == "slot");
    }
    CHECK(returned == 1); // exactly once, by the last handle

    // A callable holding a shared_ptr: the count drops with the bytes.
    auto owner = std::make_shared<std::string>("shared text");
    {
        Bytes b = Bytes::from_owner(owner->data(), owner->size(), [keep = owner] { (void)keep; });
        CHECK(owner.use_count() == 2 && b == "shared text");
    }
    CHECK(owner.use_count() == 1);

    // Refused (NULL bytes with a length): the callable does not run.
    int ran = 0;
    CHECK_STATUS(status_of([&] { (void)Bytes::from_owner(nullptr, 3, [&ran] { ran++; }); }), BYTES_ERR_NULL);
    CHECK(ran == 0);
}

static void test_views()
{
    Bytes b = Bytes::copy_from(TEXT);
    std::string_view v = b.view();
    CHECK(v.data() == reinterpret_cast<const char *>(b.data()) && v.size() == b.size());
    CHECK(static_cast<std::string_view>(b).data() == v.data());
    CHECK(v == TEXT);
    CHECK(b.begin() == b.data() && b.end() == b.data() + b.size());
    CHECK(b[0] == 'G' && b.at(4) == '/' && b.front() == 'G' && b.back() == '1');
    std::size_t n = 0;
    for (uint8_t c : b) n += (c == 'T');
    CHECK(n == 3);
    CHECK(b.to_string() == TEXT);
    int err = -1;
    CHECK_STATUS(status_of([&] { (void)b.at(b.size()); }, &err), BYTES_ERR_RANGE);
    CHECK(err == 0);

    BytesMut m;
    m.extend(v);
    CHECK(m.view() == v && m.view().data() == reinterpret_cast<const char *>(m.data()));
    m[0] = 'P';
    CHECK(m.view().substr(0, 3) == "PET");
    CHECK(m.begin() == m.data() && m.end() == m.data() + m.size());

#if defined(__cpp_lib_span)
    std::span<const std::byte> s = b.as_bytes();
    CHECK(reinterpret_cast<const uint8_t *>(s.data()) == b.data() && s.size() == b.size());
    CHECK(b.span().data() == b.data() && b.span().size() == b.size());
    std::span<const uint8_t> r(b); // Bytes is a contiguous range
    CHECK(r.data() == b.data() && r.size() == b.size());
    CHECK(m.span().data() == m.data() && m.as_bytes().size() == m.size());
    m.as_writable_bytes()[0] = std::byte{'Q'};
    CHECK(m[0] == 'Q');
    m.reserve(10);
    std::span<uint8_t> sp = m.spare_span();
    CHECK(sp.data() == m.data() + m.size() && sp.size() == m.capacity() - m.size());
#endif

    // Usable as a key: hashes as its view.
    std::unordered_map<Bytes, int> map;
    map[Bytes::from_static("host")] = 1;
    CHECK(map.count(Bytes::copy_from("host")) == 1);
    CHECK(std::hash<Bytes>()(b) == std::hash<std::string_view>()(v));
}

// Slicing and splitting copy nothing: pointer identity, no allocation.
static void test_zero_copy_cuts()
{
    Bytes b = Bytes::copy_from(TEXT);
    const uint8_t *p = b.data();
    struct counts s = now();
    Bytes method = b.slice(0, 3);
    Bytes path = b.slice_ref(b.view().substr(4, 11));
    Bytes version = b.slice(16);
    CHECK_DELTA(s, 0, 0);
    CHECK(method.data() == p && method == "GET");
    CHECK(path.data() == p + 4 && path == "/index.html");
    CHECK(version.data() == p + 16 && version == "HTTP/1.1");
    CHECK(b.slice_ref(p + 4, 0).empty());

    Bytes rest = b;
    Bytes head = rest.split_to(4);
    CHECK(head.data() == p && head == "GET " && rest.data() == p + 4);
    Bytes tail = rest.split_off(11);
    CHECK(rest == "/index.html" && tail.data() == p + 15 && tail == " HTTP/1.1");
    tail.advance(1);
    CHECK(tail.data() == p + 16 && tail == version);
    tail.truncate(4);
    CHECK(tail == "HTTP" && tail.data() == p + 16);
    tail.truncate(100); // no-op
    CHECK(tail.size() == 4);

    // Batch: one count update, pointer identity.
    std::vector<Bytes> fields = b.slice_many({{0, 3}, {4, 15}, {16, 24}});
    CHECK(fields.size() == 3 && fields[0].data() == p && fields[1].data() == p + 4 && fields[2] == "HTTP/1.1");
    Bytes::drop_many(fields.data(), fields.size());
    CHECK(fields[0].empty() && fields[1].empty() && fields[2].empty());

    // compact: a small slice gets a storage of its own.
    Bytes small = b.slice(4, 10);
    small.compact();
    CHECK(small == "/index" && small.data() != p && small.is_unique());
}

// Comparisons: bytes_eq / bytes_cmp, memcmp order then length; the same
// against std::string_view, both ways round.
static void test_comparisons()
{
    Bytes abc = Bytes::from_static("abc");
    Bytes abc2 = Bytes::copy_from("abc");
    Bytes abd = Bytes::copy_from("abd");
    Bytes ab = Bytes::from_static("ab");
    Bytes lo = Bytes::from_static("\x01");
    Bytes hi = Bytes::from_static("\xff");
    Bytes empty;

    CHECK(abc == abc2 && !(abc != abc2) && abc.data() != abc2.data());
    CHECK(abc != abd && abc < abd && abd > abc && abc <= abd && abd >= abc);
    CHECK(ab < abc && abc > ab && !(abc < ab)); // a prefix comes first
    CHECK(abc <= abc2 && abc >= abc2 && !(abc < abc2));
    CHECK(lo < hi && hi > lo); // unsigned bytes
    CHECK(empty < ab && empty == Bytes() && empty != ab);

    CHECK(abc == "abc" && "abc" == abc && abc != "abd" && "abd" != abc);
    CHECK(abc == std::string("abc") && std::string_view("ab") < abc && abc > std::string_view("ab"));
    CHECK(abc < "abd" && "abd" > abc && abc <= "abc" && abc >= "abc" && "abc" <= abc && "abc" >= abc);
    CHECK(lo < std::string_view("\xff") && std::string_view("\xff") > lo && hi > "\x01");
    CHECK(empty == "" && empty < "a");
    std::string_view nul("a\0b", 3);
    Bytes withnul = Bytes::copy_from(nul);
    CHECK(withnul == nul && withnul != "a" && withnul.size() == 3);

#if defined(__cpp_impl_three_way_comparison) && defined(__cpp_lib_three_way_comparison)
    CHECK(std::is_lt(abc <=> abd) && std::is_eq(abc <=> abc2) && std::is_gt(hi <=> lo));
    CHECK(std::is_lt(abc <=> std::string_view("abd")) && std::is_gt(std::string_view("abd") <=> abc));
#endif
}

// Every failure throws bytes::Error with the right status, and leaves
// every object exactly as it was (rule 4, strong guarantee).
static void test_errors_change_nothing()
{
    Bytes b = Bytes::copy_from(TEXT);
    Bytes other = b; // shares: the count must not move either
    const bytes_t before = b.raw();
    std::string what;
    int err = -1;

    CHECK_STATUS(status_of([&] { (void)b.slice(5, 4); }, &err, &what), BYTES_ERR_RANGE);
    CHECK(err == 0);
    CHECK(what.find(bytes_status_str(BYTES_ERR_RANGE)) != std::string::npos);
    CHECK(what.find("slice") != std::string::npos);
    CHECK_STATUS(status_of([&] { (void)b.slice(0, b.size() + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.slice(b.size() + 1); }), BYTES_ERR_RANGE);
    static const char elsewhere[] = "GET";
    CHECK_STATUS(status_of([&] { (void)b.slice_ref(elsewhere, 3); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.slice_ref(b.data() + 20, 10); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.split_to(b.size() + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.split_off(b.size() + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { b.advance(b.size() + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)b.slice_many({{0, 3}, {4, 99}}); }), BYTES_ERR_RANGE);
    CHECK(same_bits(b.raw(), before));
    CHECK(!b.is_unique());
    other = Bytes();
    CHECK(b.is_unique()); // the failures took no reference
    CHECK(b == TEXT);

    // The integer readers consume nothing when too short.
    Bytes two = Bytes::from_static("\x12\x34");
    const bytes_t two_before = two.raw();
    CHECK_STATUS(status_of([&] { (void)two.get_u32_be(); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)two.get_u64_le(); }), BYTES_ERR_RANGE);
    CHECK(same_bits(two.raw(), two_before));
    CHECK(two.get_u16_be() == 0x1234 && two.empty());
    CHECK_STATUS(status_of([&] { (void)two.get_u8(); }), BYTES_ERR_RANGE);

    // A failed construction assigns nothing.
    Bytes target = Bytes::from_static("kept");
    CHECK_STATUS(status_of([&] { target = Bytes::from_file("/nonexistent/libbytes-test"); }, &err, &what),
                 BYTES_ERR_IO);
    CHECK(err == ENOENT);
    CHECK(what.find(std::generic_category().message(ENOENT)) != std::string::npos);
    CHECK(target == "kept");
    try {
        (void)Bytes::from_file(std::string("/"));
        CHECK(!"from_file of a directory must throw");
    } catch (const bytes::Error &e) {
        CHECK(e.status() == BYTES_ERR_IO && e.sys_errno() == EISDIR);
        CHECK(e.code() == std::errc::is_a_directory);
    }
    CHECK_STATUS(status_of([&] { (void)Bytes::copy_from(nullptr, 1); }), BYTES_ERR_NULL);
    CHECK_STATUS(status_of([&] { (void)Bytes::from_owner(TEXT, 3, nullptr, nullptr); }), BYTES_ERR_NULL);
    // A status that is not IO carries no errno, and no error_code.
    try {
        (void)b.slice(1, 0);
        CHECK(!"unreachable");
    } catch (const std::runtime_error &e) { // caught as its base too
        const bytes::Error *be = dynamic_cast<const bytes::Error *>(&e);
        CHECK(be != nullptr && be->sys_errno() == 0 && !be->code());
    }

    // BytesMut: each failing call leaves the buffer bit for bit.
    BytesMut m = BytesMut::with_capacity(16);
    m.extend("hello");
    const bytes_mut_t mb = m.raw();
    const std::size_t spare = m.spare().size;
    CHECK_STATUS(status_of([&] { m.commit(spare + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { m.advance(6); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)m.split_to(6); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { (void)m.split_off(m.capacity() + 1); }), BYTES_ERR_RANGE);
    CHECK_STATUS(status_of([&] { m.extend(nullptr, 1); }), BYTES_ERR_NULL);
    CHECK_STATUS(status_of([&] { m.extend(m.data() + m.size(), 1); }), BYTES_ERR_INVALID); // its spare
    CHECK_STATUS(status_of([&] { m.reserve(SIZE_MAX); }), BYTES_ERR_NOMEM);
    CHECK_STATUS(status_of([&] { m.resize(SIZE_MAX); }), BYTES_ERR_NOMEM);
    CHECK_STATUS(status_of([&] { m.unsplit(std::move(m)); }), BYTES_ERR_INVALID);
    CHECK_STATUS(status_of([&] { (void)m.read_fd(-1, 0); }), BYTES_ERR_INVALID);
    CHECK(same_bits(m.raw(), mb));
    CHECK(m.view() == "hello");
    CHECK_STATUS(status_of([&] { (void)BytesMut::with_capacity(SIZE_MAX); }), BYTES_ERR_NOMEM);

    // A buffer without storage stays without after a failed reserve.
    BytesMut huge;
    CHECK_STATUS(status_of([&] { huge.reserve(SIZE_MAX / 2); }), BYTES_ERR_NOMEM);
    CHECK(is_zero(huge.raw()));

    // read_fd on a bad descriptor: IO with EBADF, contents unchanged.
    CHECK_STATUS(status_of([&] { (void)m.read_fd(-1, 64); }, &err), BYTES_ERR_IO);
    CHECK(err == EBADF && m.view() == "hello");
    std::size_t n = 99;
    errno = 0;
    CHECK_STATUS(m.read_fd(-1, 64, n), BYTES_ERR_IO);
    CHECK(errno == EBADF && n == 0 && m.view() == "hello");

    // writev_fd on a bad descriptor: nothing consumed.
    Bytes bufs[2] = {Bytes::from_static("ab"), Bytes::copy_from("cd")};
    const bytes_t b0 = bufs[0].raw(), b1 = bufs[1].raw();
    CHECK_STATUS(status_of([&] { (void)bytes::writev_fd(-1, bufs, 2); }, &err), BYTES_ERR_IO);
    CHECK(err == EBADF && same_bits(bufs[0].raw(), b0) && same_bits(bufs[1].raw(), b1));
}

// BytesMut: growing, writing in place, splitting, freezing without a copy.
int main()
{
    if (!alloc_count_start()) return 1;
    test_accessors_agree();
    test_copy_is_clone();
    test_move();
    test_destructor_releases();
    test_owner_callables();
    test_views();
    test_zero_copy_cuts();
    test_comparisons();
    test_errors_change_nothing();
    CHECK_EQ_SIZE(second_tu_use(Bytes::from_static("abc")), 105 + 6 - 'b');
#if defined(__cpp_lib_span)
    printf("C++20 (std::span views checked)\n");
#endif
    CHECK_DONE();
    return 0;
}

#endif // BYTES_CPP_TEST_SECOND_TU
