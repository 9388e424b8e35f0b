/*
 * bytes.hpp: libbytes for C++, header-only, over the C API of bytes.h.
 *
 * Written by hand (bytes.h is generated; this file is not). C++17 or
 * later; with C++20's <span> the classes also offer std::span views.
 *
 *   bytes::Bytes     owns one bytes_t: copy = bytes_clone (one atomic
 *                    increment, no allocation), move = a transfer with no
 *                    reference-count traffic (the source is left empty),
 *                    destructor = bytes_drop.
 *   bytes::BytesMut  owns one bytes_mut_t; move-only; `std::move(m).freeze()`
 *                    turns it into a Bytes over the same memory.
 *   bytes::Error     what the failing operations throw; what() names the
 *                    operation (and the path, for files).
 *
 * Printing: `std::cout << b`, std::format("{}", b) (C++20, when the
 * library has <format>) and fmt::format("{}", b) (when <fmt/format.h> is
 * on the include path) show the bytes as text, non-printable bytes
 * escaped (bytes::escape). Lookups: std::hash and std::equal_to of Bytes
 * are transparent, so an unordered_map keyed by Bytes is searched with a
 * std::string_view (C++20). Spans and vectors of bytes go in where
 * pointer and size do (copy_from, extend, writev_fd).
 *
 * ERRORS: EXCEPTIONS, PLUS NON-THROWING OVERLOADS FOR THE I/O HOT PATH.
 * Every operation that cannot fail is noexcept: copying, moving and
 * destroying handles, the views, truncate, clear, split(), freeze. An
 * operation that can fail throws bytes::Error, which derives from
 * std::runtime_error and carries the bytes_status_t and, for BYTES_ERR_IO,
 * the errno of the failing call (also as a std::error_code). Exceptions
 * rather than std::expected-style results because C++17 has no
 * std::expected (a home-made one would be one more vocabulary type that
 * every caller must learn, that does not work for constructors and
 * operators, and that would clash with std::expected later), and because
 * outside I/O the failures left are either programming errors (an index
 * out of range, a sub-slice not inside its buffer) or resource exhaustion,
 * which are exceptional: the success path then reads like ordinary C++.
 * I/O is different: on a non-blocking socket EAGAIN ends every event-loop
 * turn, so read_fd and writev_fd also come as noexcept overloads that take
 * the byte count by reference and return the bytes_status_t, with errno
 * set on BYTES_ERR_IO exactly as bytes.h documents; they never throw and
 * never allocate. Strong exception guarantee (rule 4 of the C contract
 * carried through): every throwing function either makes one C call that
 * changes nothing when it fails, or does what may throw (allocations)
 * before it touches any handle (slice_many), or undoes its one step
 * before throwing (from_container gives the container back), so after a
 * throw every object is exactly as it was. The one documented exception is the C library's own: after a
 * failed read_fd a BytesMut's written bytes are unchanged but its capacity
 * may have grown (and its data pointer moved). Built without exceptions
 * (-fno-exceptions), a throwing function calls std::abort() instead; use
 * the noexcept overloads there.
 *
 * Threads: as in C (rule 8). The const members of one Bytes (views, copy,
 * slice, comparisons) may run on many threads at once; the others need
 * exclusive access. Copies may be used and destroyed on any thread.
 *
 * Lifetimes: data(), view() and the spans of a Bytes are valid while that
 * Bytes (or any handle sharing its storage and viewing those bytes) lives.
 * Those of a BytesMut are valid until its next non-const call.
 */
#ifndef BYTES_HPP
#define BYTES_HPP

#if defined(__GNUC__)
// bytes.h is C: its static inline accessors use C casts. Do not let them
// warn in a C++ program built with -Wold-style-cast.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#endif
#include "bytes.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <new>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#if __has_include(<version>)
#include <version>
#endif
#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
#include <format>
#endif
/* fmt's formatter comes with fmt: when <fmt/format.h> is on the include
 * path (define BYTES_HPP_NO_FMT to leave it out). */
#if !defined(BYTES_HPP_NO_FMT) && defined(__has_include)
#if __has_include(<fmt/format.h>)
#include <fmt/format.h>
#define BYTES_HPP_HAVE_FMT 1
#endif
#endif
#if defined(__cpp_lib_span)
#include <span>
#endif
#if defined(__cpp_impl_three_way_comparison) && defined(__cpp_lib_three_way_comparison)
#include <compare>
#define BYTES_HPP_THREE_WAY 1
#endif

namespace bytes {

class Bytes;
class BytesMut;

/*
 * What the failing operations throw: the C status, and for BYTES_ERR_IO
 * the errno of the failing OS call. what() reads
 * "<operation>: <bytes_status_str(status)>[: <strerror(errno)>]".
 */
class Error : public std::runtime_error {
  public:
    /* `sys_errno` is kept only for BYTES_ERR_IO (0 otherwise); `where`
     * names the operation (may be NULL). */
    Error(bytes_status_t status, int sys_errno, const char *where)
        : std::runtime_error(message(status, sys_errno, where)),
          status_(status),
          errno_(status == BYTES_ERR_IO ? sys_errno : 0) {}

    /* The C status: never BYTES_OK. */
    bytes_status_t status() const noexcept { return status_; }
    /* errno of the failing OS call for BYTES_ERR_IO, else 0. */
    int sys_errno() const noexcept { return errno_; }
    /* errno as a std::error_code (generic category) for BYTES_ERR_IO,
     * e.g. `e.code() == std::errc::resource_unavailable_try_again`;
     * an empty error_code otherwise. */
    std::error_code code() const noexcept {
        return errno_ != 0 ? std::error_code(errno_, std::generic_category()) : std::error_code();
    }

  private:
    static std::string message(bytes_status_t status, int sys_errno, const char *where) {
        std::string s = where != nullptr ? where : "libbytes";
        s += ": ";
        s += bytes_status_str(status);
        if (status == BYTES_ERR_IO && sys_errno != 0) {
            s += ": ";
            s += std::generic_category().message(sys_errno);
        }
        return s;
    }

    bytes_status_t status_;
    int errno_;
};

/* A writable region: the spare capacity of a BytesMut.
 * `auto [ptr, len] = m.spare();` */
struct Region {
    std::uint8_t *data;
    std::size_t size;
};

namespace detail {

/* Throws Error for a failed C call. The very first thing it does is read
 * errno, before anything (an allocation) can change it. */
[[noreturn]] inline void fail(bytes_status_t status, const char *where) {
    const int saved_errno = errno;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw Error(status, saved_errno, where);
#else
    (void)status;
    (void)saved_errno;
    (void)where;
    std::abort();
#endif
}

inline void check(bytes_status_t status, const char *where) {
    if (status != BYTES_OK) fail(status, where);
}

/* The same, for an operation on a file: what() names the path,
 * `where("path"): status: strerror`. errno is read first. */
[[noreturn]] inline void fail_path(bytes_status_t status, const char *where, const char *path) {
    const int saved_errno = errno;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    std::string what = where;
    what += "(\"";
    what += path != nullptr ? path : "(null)";
    what += "\")";
    throw Error(status, saved_errno, what.c_str());
#else
    (void)status;
    (void)saved_errno;
    (void)where;
    (void)path;
    std::abort();
#endif
}

/*
 * The reads of bytes_ptr / bytes_len / bytes_mut_ptr / ..., with exactly
 * their semantics (bytes.h, section "Accessors"). bytes.h defines those
 * accessors `static inline`, i.e. one distinct function per translation
 * unit; calling them from the inline (external-linkage) functions below
 * would make every such function refer to a different entity in each
 * translation unit, which the one-definition rule forbids (and C++20
 * deprecates as an exposure of TU-local entities). So this header,
 * shipped and versioned together with bytes.h, reads the same fields the
 * C accessors read; c-tests/test_cpp.cpp checks that both agree. The
 * empty pointers are inline variables: one object in the whole program.
 */
inline constexpr std::uint8_t empty_bytes[1] = {0};
inline std::uint8_t empty_mut[1] = {0};

inline const std::uint8_t *ptr(const bytes_t &b) noexcept {
    return b._ptr != nullptr ? b._ptr : empty_bytes;
}
inline std::size_t len(const bytes_t &b) noexcept { return b._len; }
inline std::uint8_t *ptr(const bytes_mut_t &m) noexcept {
    return m._ptr != nullptr ? m._ptr : empty_mut;
}
inline std::size_t len(const bytes_mut_t &m) noexcept { return m._len; }
inline std::size_t cap(const bytes_mut_t &m) noexcept { return m._cap; }

inline const char *chars(const std::uint8_t *p) noexcept { return reinterpret_cast<const char *>(p); }
inline const std::uint8_t *u8(const void *p) noexcept { return static_cast<const std::uint8_t *>(p); }

/* Whether T is a contiguous container of 1-byte elements (std::string,
 * std::vector<uint8_t>, std::vector<std::byte>, ...). */
template <class T, class = void>
struct is_byte_container : std::false_type {};
template <class T>
struct is_byte_container<T, std::void_t<decltype(std::declval<T &>().data()), decltype(std::declval<T &>().size()),
                                        typename T::value_type>>
    : std::bool_constant<sizeof(typename T::value_type) == 1 &&
                         std::is_trivially_copyable<typename T::value_type>::value> {};

/* The release adapter of a heap holder made by Bytes::from_owner(F) or
 * from_container: deletes the holder, whose destructor (or callable) runs
 * inside this noexcept function, so that an exception from it ends the
 * program (std::terminate) instead of unwinding through the C library,
 * which would be undefined behaviour (rule 10 of bytes.h). */
template <class Holder>
void release_holder(void *owner) noexcept {
    delete static_cast<Holder *>(owner);
}

}  // namespace detail

/* ---- typed values: the byte order of get<T> and put<T> ----------------- */

/* The byte order of a value on the wire: network order is big. */
enum class Endian { big, little };

namespace detail {

/* The C functions reading and writing a T: uint8_t..uint64_t,
 * int8_t..int64_t, float, double. Any other T has no specialisation, and
 * get<T>/put<T> do not compile for it. */
template <class T>
struct wire;

template <>
struct wire<std::uint8_t> {
    static bytes_status_t get(bytes_t *b, std::uint8_t *v, Endian order) noexcept {
        (void)order;
        return bytes_get_u8(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::uint8_t *v, Endian order) noexcept {
        (void)order;
        return bytes_queue_get_u8(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::uint8_t v, Endian order) noexcept {
        (void)order;
        return bytes_mut_put_u8(m, v);
    }
};

template <>
struct wire<std::int8_t> {
    static bytes_status_t get(bytes_t *b, std::int8_t *v, Endian order) noexcept {
        (void)order;
        return bytes_get_i8(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::int8_t *v, Endian order) noexcept {
        (void)order;
        return bytes_queue_get_i8(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::int8_t v, Endian order) noexcept {
        (void)order;
        return bytes_mut_put_i8(m, v);
    }
};

template <>
struct wire<std::uint16_t> {
    static bytes_status_t get(bytes_t *b, std::uint16_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_u16_be(b, v) : bytes_get_u16_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::uint16_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_u16_be(q, v) : bytes_queue_get_u16_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::uint16_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_u16_be(m, v) : bytes_mut_put_u16_le(m, v);
    }
};

template <>
struct wire<std::uint32_t> {
    static bytes_status_t get(bytes_t *b, std::uint32_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_u32_be(b, v) : bytes_get_u32_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::uint32_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_u32_be(q, v) : bytes_queue_get_u32_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::uint32_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_u32_be(m, v) : bytes_mut_put_u32_le(m, v);
    }
};

template <>
struct wire<std::uint64_t> {
    static bytes_status_t get(bytes_t *b, std::uint64_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_u64_be(b, v) : bytes_get_u64_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::uint64_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_u64_be(q, v) : bytes_queue_get_u64_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::uint64_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_u64_be(m, v) : bytes_mut_put_u64_le(m, v);
    }
};

template <>
struct wire<std::int16_t> {
    static bytes_status_t get(bytes_t *b, std::int16_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_i16_be(b, v) : bytes_get_i16_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::int16_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_i16_be(q, v) : bytes_queue_get_i16_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::int16_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_i16_be(m, v) : bytes_mut_put_i16_le(m, v);
    }
};

template <>
struct wire<std::int32_t> {
    static bytes_status_t get(bytes_t *b, std::int32_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_i32_be(b, v) : bytes_get_i32_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::int32_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_i32_be(q, v) : bytes_queue_get_i32_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::int32_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_i32_be(m, v) : bytes_mut_put_i32_le(m, v);
    }
};

template <>
struct wire<std::int64_t> {
    static bytes_status_t get(bytes_t *b, std::int64_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_i64_be(b, v) : bytes_get_i64_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, std::int64_t *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_i64_be(q, v) : bytes_queue_get_i64_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, std::int64_t v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_i64_be(m, v) : bytes_mut_put_i64_le(m, v);
    }
};

template <>
struct wire<float> {
    static bytes_status_t get(bytes_t *b, float *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_f32_be(b, v) : bytes_get_f32_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, float *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_f32_be(q, v) : bytes_queue_get_f32_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, float v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_f32_be(m, v) : bytes_mut_put_f32_le(m, v);
    }
};

template <>
struct wire<double> {
    static bytes_status_t get(bytes_t *b, double *v, Endian order) noexcept {
        return order == Endian::big ? bytes_get_f64_be(b, v) : bytes_get_f64_le(b, v);
    }
    static bytes_status_t get(bytes_queue_t *q, double *v, Endian order) noexcept {
        return order == Endian::big ? bytes_queue_get_f64_be(q, v) : bytes_queue_get_f64_le(q, v);
    }
    static bytes_status_t put(bytes_mut_t *m, double v, Endian order) noexcept {
        return order == Endian::big ? bytes_mut_put_f64_be(m, v) : bytes_mut_put_f64_le(m, v);
    }
};

}  // namespace detail

/*
 * Shared, immutable bytes: owns one bytes_t. Exactly its size, standard
 * layout, the handle its only member: an array of Bytes is laid out as an
 * array of bytes_t (what writev_fd and the batch helpers rely on).
 */
class Bytes {
  public:
    using value_type = std::uint8_t;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using const_reference = const std::uint8_t &;
    using reference = const_reference;
    using const_pointer = const std::uint8_t *;
    using pointer = const_pointer;
    using const_iterator = const std::uint8_t *;
    using iterator = const_iterator;

    /* Empty; allocates nothing. */
    Bytes() noexcept : b_() {}
    /* A clone: shares the storage (no copy, no allocation). */
    Bytes(const Bytes &other) noexcept : b_(bytes_clone(&other.b_)) {}
    /* A transfer: no reference-count change; `other` is left empty. */
    Bytes(Bytes &&other) noexcept : b_(other.b_) { other.b_ = bytes_t(); }
    Bytes &operator=(const Bytes &other) noexcept {
        if (this != &other) {
            // Clone first: `other` may live inside the owner that dropping
            // ours releases (test_cpp.cpp, "Nest").
            bytes_t fresh = bytes_clone(&other.b_);
            bytes_drop(&b_);
            b_ = fresh;
        }
        return *this;
    }
    Bytes &operator=(Bytes &&other) noexcept {
        if (this != &other) {
            bytes_t old = b_;
            b_ = other.b_;
            other.b_ = bytes_t();
            bytes_drop(&old);
        }
        return *this;
    }
    ~Bytes() { bytes_drop(&b_); }

    void swap(Bytes &other) noexcept { std::swap(b_, other.b_); }
    friend void swap(Bytes &a, Bytes &b) noexcept { a.swap(b); }

    /* ---- construction ------------------------------------------------ */

    /* A copy of the bytes in a storage of their own (one allocation, none
     * when empty). Throws Error(BYTES_ERR_NOMEM). */
    static Bytes copy_from(const void *data, std::size_t size) {
        bytes_t out;
        detail::check(bytes_copy_from(detail::u8(data), size, &out), "bytes::Bytes::copy_from");
        return adopt(out);
    }
    static Bytes copy_from(std::string_view s) { return copy_from(s.data(), s.size()); }
    static Bytes copy_from(const std::vector<std::uint8_t> &v) { return copy_from(v.data(), v.size()); }
    static Bytes copy_from(const std::vector<std::byte> &v) { return copy_from(v.data(), v.size()); }
#if defined(__cpp_lib_span)
    static Bytes copy_from(std::span<const std::uint8_t> s) { return copy_from(s.data(), s.size()); }
    static Bytes copy_from(std::span<const std::byte> s) { return copy_from(s.data(), s.size()); }
#endif

    /* Bytes that live for the rest of the program, borrowed forever: no
     * copy, no allocation, no reference count. For a string literal the
     * terminating NUL is left out: from_static("GET") has 3 bytes. (A char
     * array is treated as a string: a last byte '\0' is left out.) */
    template <std::size_t N>
    static Bytes from_static(const char (&literal)[N]) noexcept {
        const std::size_t n = (N > 0 && literal[N - 1] == '\0') ? N - 1 : N;
        return adopt(bytes_from_static(detail::u8(literal), n));
    }
    template <std::size_t N>
    static Bytes from_static(const std::uint8_t (&array)[N]) noexcept {
        return adopt(bytes_from_static(array, N));
    }
    template <std::size_t N>
    static Bytes from_static(const std::byte (&array)[N]) noexcept {
        return adopt(bytes_from_static(detail::u8(array), N));
    }
    /* A non-const array is not static data (it may be a buffer on the
     * stack, or change): these overloads make it a compile error. Use
     * copy_from, or from_static(ptr, size) for memory known to live. */
    template <std::size_t N>
    static Bytes from_static(char (&array)[N]) = delete;
    template <std::size_t N>
    static Bytes from_static(std::uint8_t (&array)[N]) = delete;
    template <std::size_t N>
    static Bytes from_static(std::byte (&array)[N]) = delete;
    /* `data` must stay valid and unchanged for the rest of the program. */
    static Bytes from_static(const void *data, std::size_t size) noexcept {
        return adopt(bytes_from_static(detail::u8(data), size));
    }

    /* Adopts a block from malloc/calloc/realloc without copying; free()d
     * when the last handle goes. On throw (BYTES_ERR_NOMEM) the caller
     * still owns `ptr`. */
    static Bytes from_malloc(void *ptr, std::size_t size) {
        bytes_t out;
        detail::check(bytes_from_malloc(ptr, size, &out), "bytes::Bytes::from_malloc");
        return adopt(out);
    }

    /* Foreign memory: `release(owner)` runs exactly once, when the last
     * handle goes (at once for size 0). On throw, release is not called
     * and the caller keeps `owner`. `release` is called from C: it must
     * not throw (declare it noexcept); an exception escaping it is
     * undefined behaviour. The overload below takes any callable and
     * guarantees that. */
    static Bytes from_owner(const void *data, std::size_t size, void *owner, void (*release)(void *owner)) {
        bytes_t out;
        detail::check(bytes_from_owner(detail::u8(data), size, owner, release, &out), "bytes::Bytes::from_owner");
        return adopt(out);
    }

    /* Foreign memory released by any callable (a lambda that returns a
     * pool slot, a captured std::shared_ptr, ...): `release()` runs exactly
     * once, on whichever thread drops the last handle (at once for size
     * 0). The callable is moved into a small heap holder. It runs inside a
     * noexcept adapter: an exception from it ends the program
     * (std::terminate) rather than unwinding through C. On throw (of this
     * function), `release` is not called. */
    template <class F, class = std::enable_if_t<std::is_invocable<F &>::value &&
                                                !std::is_convertible<F, void (*)(void *)>::value>>
    static Bytes from_owner(const void *data, std::size_t size, F release) {
        struct Holder {
            F release;
            bool armed;
            ~Holder() {
                if (armed)
                    release();
            }
        };
        Holder *holder = new Holder{std::move(release), true};
        bytes_t out;
        const bytes_status_t status =
            bytes_from_owner(detail::u8(data), size, holder, &detail::release_holder<Holder>, &out);
        if (status != BYTES_OK) {
            const int saved_errno = errno;
            holder->armed = false;  // not released: the callable must not run
            delete holder;
            errno = saved_errno;
            detail::fail(status, "bytes::Bytes::from_owner");
        }
        return adopt(out);
    }

    /* Takes over a contiguous container of bytes (std::string,
     * std::vector<uint8_t>, ...) without copying its bytes: the container
     * is moved into a heap holder (one small allocation, plus the C
     * header) and destroyed when the last handle goes. On throw the
     * container is left as it was. */
    template <class Container,
              class = std::enable_if_t<!std::is_lvalue_reference<Container>::value &&
                                       !std::is_const<Container>::value &&
                                       detail::is_byte_container<Container>::value>>
    static Bytes from_container(Container &&container) {
        struct Holder {
            Container value;
        };
        Holder *holder = new Holder{std::move(container)};
        const void *data = holder->value.data();
        const std::size_t size = holder->value.size() * sizeof(typename Container::value_type);
        bytes_t out;
        const bytes_status_t status =
            bytes_from_owner(detail::u8(data), size, holder, &detail::release_holder<Holder>, &out);
        if (status != BYTES_OK) {
            const int saved_errno = errno;
            container = std::move(holder->value);  // give it back: strong guarantee
            delete holder;
            errno = saved_errno;
            detail::fail(status, "bytes::Bytes::from_container");
        }
        return adopt(out);
    }

    /* The whole file, mapped read-only (no read); an empty file gives
     * empty bytes. Throws Error(BYTES_ERR_IO) with errno (ENOENT, EISDIR,
     * ...); its what() names the path. Not a snapshot: writes to the file
     * show through, and reading bytes a shrinking file lost raises SIGBUS;
     * copy_from(view()) takes a snapshot. */
    static Bytes from_file(const char *path) {
        bytes_t out;
        const bytes_status_t status = bytes_from_file(path, &out);
        if (status != BYTES_OK) detail::fail_path(status, "bytes::Bytes::from_file", path);
        return adopt(out);
    }
    static Bytes from_file(const std::string &path) { return from_file(path.c_str()); }

    /* `size` bytes of the open regular file `fd` from `offset`, mapped;
     * `fd` may be closed afterwards. Throws RANGE past the end, IO. Not a
     * snapshot, as from_file. */
    static Bytes from_fd(int fd, std::uint64_t offset, std::size_t size) {
        bytes_t out;
        detail::check(bytes_from_fd(fd, offset, size, &out), "bytes::Bytes::from_fd");
        return adopt(out);
    }

    /* ---- the raw handle ---------------------------------------------- */

    /* Takes ownership of `b` and leaves `b` empty (rule 3), so that the C
     * code cannot drop it a second time. */
    static Bytes adopt(bytes_t &b) noexcept {
        Bytes r;
        r.b_ = b;
        b = bytes_t();
        return r;
    }
    /* Takes ownership of a handle returned by a C function. */
    static Bytes adopt(bytes_t &&b) noexcept {
        Bytes r;
        r.b_ = b;
        return r;
    }
    /* Gives the handle to the caller, who must drop it; *this is empty. */
    [[nodiscard]] bytes_t release() noexcept {
        bytes_t b = b_;
        b_ = bytes_t();
        return b;
    }
    /* The handle, for the const functions of bytes.h. */
    const bytes_t &raw() const noexcept { return b_; }

    /* ---- reading ----------------------------------------------------- */

    /* Never NULL, also when empty (rule 6). */
    const std::uint8_t *data() const noexcept { return detail::ptr(b_); }
    std::size_t size() const noexcept { return detail::len(b_); }
    bool empty() const noexcept { return size() == 0; }
    const_iterator begin() const noexcept { return data(); }
    const_iterator end() const noexcept { return data() + size(); }
    const_iterator cbegin() const noexcept { return begin(); }
    const_iterator cend() const noexcept { return end(); }
    /* Unchecked, as for std::vector. */
    const std::uint8_t &operator[](std::size_t i) const noexcept { return data()[i]; }
    /* Checked: throws Error(BYTES_ERR_RANGE). */
    const std::uint8_t &at(std::size_t i) const {
        if (i >= size()) detail::fail(BYTES_ERR_RANGE, "bytes::Bytes::at");
        return data()[i];
    }
    std::uint8_t front() const noexcept { return data()[0]; }
    std::uint8_t back() const noexcept { return data()[size() - 1]; }

    std::string_view view() const noexcept { return std::string_view(detail::chars(data()), size()); }
    explicit operator std::string_view() const noexcept { return view(); }
    /* A copy of the bytes. */
    std::string to_string() const { return std::string(view()); }
#if defined(__cpp_lib_span)
    std::span<const std::byte> as_bytes() const noexcept {
        return std::span<const std::byte>(reinterpret_cast<const std::byte *>(data()), size());
    }
    std::span<const std::uint8_t> span() const noexcept { return std::span<const std::uint8_t>(data(), size()); }
#endif

    /* ---- cutting (no copy of the bytes) ------------------------------ */

    /* Bytes [begin, end): data() == this->data() + begin. Throws
     * Error(BYTES_ERR_RANGE) if begin > end or end > size(). */
    [[nodiscard]] Bytes slice(std::size_t begin, std::size_t end) const {
        bytes_t out;
        detail::check(bytes_slice(&b_, begin, end, &out), "bytes::Bytes::slice");
        return adopt(out);
    }
    /* The bytes [begin, size()). */
    [[nodiscard]] Bytes slice(std::size_t begin) const { return slice(begin, size()); }
    /* The bytes at `sub`, which must lie inside this view (found there by
     * a parser). Throws Error(BYTES_ERR_RANGE) otherwise. */
    [[nodiscard]] Bytes slice_ref(const void *sub, std::size_t sub_size) const {
        bytes_t out;
        detail::check(bytes_slice_ref(&b_, detail::u8(sub), sub_size, &out), "bytes::Bytes::slice_ref");
        return adopt(out);
    }
    [[nodiscard]] Bytes slice_ref(std::string_view sub) const { return slice_ref(sub.data(), sub.size()); }

    /* Returns [0, at) and keeps [at, size()). Throws BYTES_ERR_RANGE. */
    Bytes split_to(std::size_t at) {
        bytes_t out;
        detail::check(bytes_split_to(&b_, at, &out), "bytes::Bytes::split_to");
        return adopt(out);
    }
    /* Returns [at, size()) and keeps [0, at). Throws BYTES_ERR_RANGE. */
    Bytes split_off(std::size_t at) {
        bytes_t out;
        detail::check(bytes_split_off(&b_, at, &out), "bytes::Bytes::split_off");
        return adopt(out);
    }
    /* Drops the first n bytes of the view. Throws BYTES_ERR_RANGE. */
    void advance(std::size_t n) { detail::check(bytes_advance(&b_, n), "bytes::Bytes::advance"); }
    /* Keeps the first n bytes; no-op if n >= size(). */
    void truncate(std::size_t n) noexcept { bytes_truncate(&b_, n); }
    /* Empties the view and releases the storage. */
    void clear() noexcept { bytes_clear(&b_); }

    /* Slices for many ranges at once, with one reference-count update;
     * all or nothing. Throws BYTES_ERR_RANGE (any bad range), or
     * std::bad_alloc for the vector (before anything is sliced). */
    [[nodiscard]] std::vector<Bytes> slice_many(const bytes_range_t *ranges, std::size_t n) const;
    [[nodiscard]] std::vector<Bytes> slice_many(std::initializer_list<bytes_range_t> ranges) const {
        return slice_many(ranges.begin(), ranges.size());
    }
    /* Empties bufs[0..n), releasing neighbours of one storage together. */
    static void drop_many(Bytes *bufs, std::size_t n) noexcept;

    /* ---- storage ----------------------------------------------------- */

    /* True when no other handle can see this storage (false for static,
     * empty and shared bytes). */
    bool is_unique() const noexcept { return bytes_is_unique(&b_); }
    /* Makes the storage hold exactly these bytes (copies a small slice
     * out of a large buffer). Throws BYTES_ERR_NOMEM, *this unchanged. */
    void compact() { detail::check(bytes_compact(&b_), "bytes::Bytes::compact"); }
    /* Consumes *this into a BytesMut, copying only when it must. Throws
     * BYTES_ERR_NOMEM, *this unchanged. */
    BytesMut into_mut() &&;
    /* Consumes *this into `out` (whose old buffer is dropped) without
     * copying when *this is the only handle of the library's own heap
     * storage; else false and nothing changes. */
    bool try_into_mut(BytesMut &out) noexcept;

    /* ---- integers: read from the front and advance ------------------- */
    /* Throw Error(BYTES_ERR_RANGE) when too short; nothing is consumed. */

    std::uint8_t get_u8() { return get<std::uint8_t, bytes_get_u8>("bytes::Bytes::get_u8"); }
    std::uint16_t get_u16_be() { return get<std::uint16_t, bytes_get_u16_be>("bytes::Bytes::get_u16_be"); }
    std::uint16_t get_u16_le() { return get<std::uint16_t, bytes_get_u16_le>("bytes::Bytes::get_u16_le"); }
    std::uint32_t get_u32_be() { return get<std::uint32_t, bytes_get_u32_be>("bytes::Bytes::get_u32_be"); }
    std::uint32_t get_u32_le() { return get<std::uint32_t, bytes_get_u32_le>("bytes::Bytes::get_u32_le"); }
    std::uint64_t get_u64_be() { return get<std::uint64_t, bytes_get_u64_be>("bytes::Bytes::get_u64_be"); }
    std::uint64_t get_u64_le() { return get<std::uint64_t, bytes_get_u64_le>("bytes::Bytes::get_u64_le"); }

    /* Reads a T (uint8_t..uint64_t, int8_t..int64_t, float, double) in
     * `order` from the front and consumes it: `b.get<std::int32_t>()`,
     * `b.get<double>(bytes::Endian::little)`. Throws
     * Error(BYTES_ERR_RANGE) when too short; nothing is consumed. */
    template <class T>
    T get(Endian order = Endian::big) {
        T value{};
        detail::check(detail::wire<T>::get(&b_, &value, order), "bytes::Bytes::get");
        return value;
    }
    /* An unsigned integer of `nbytes` bytes (1..8). Throws BYTES_ERR_RANGE
     * when too short, BYTES_ERR_INVALID for nbytes outside 1..8; nothing
     * is consumed. */
    std::uint64_t get_uint(std::size_t nbytes, Endian order = Endian::big) {
        std::uint64_t value = 0;
        detail::check(order == Endian::big ? bytes_get_uint_be(&b_, nbytes, &value)
                                            : bytes_get_uint_le(&b_, nbytes, &value),
                      "bytes::Bytes::get_uint");
        return value;
    }
    /* A signed integer of `nbytes` bytes (1..8), sign-extended; throws as
     * get_uint. */
    std::int64_t get_int(std::size_t nbytes, Endian order = Endian::big) {
        std::int64_t value = 0;
        detail::check(order == Endian::big ? bytes_get_int_be(&b_, nbytes, &value)
                                            : bytes_get_int_le(&b_, nbytes, &value),
                      "bytes::Bytes::get_int");
        return value;
    }

    /* ---- comparisons: bytes_eq / bytes_cmp (memcmp, then length) ----- */

    friend bool operator==(const Bytes &a, const Bytes &b) noexcept { return bytes_eq(&a.b_, &b.b_); }
    friend bool operator!=(const Bytes &a, const Bytes &b) noexcept { return !bytes_eq(&a.b_, &b.b_); }
    friend bool operator<(const Bytes &a, const Bytes &b) noexcept { return bytes_cmp(&a.b_, &b.b_) < 0; }
    friend bool operator>(const Bytes &a, const Bytes &b) noexcept { return bytes_cmp(&a.b_, &b.b_) > 0; }
    friend bool operator<=(const Bytes &a, const Bytes &b) noexcept { return bytes_cmp(&a.b_, &b.b_) <= 0; }
    friend bool operator>=(const Bytes &a, const Bytes &b) noexcept { return bytes_cmp(&a.b_, &b.b_) >= 0; }
    /* Against text: the same order (char_traits<char> compares as
     * unsigned char, like memcmp). */
    friend bool operator==(const Bytes &a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(std::string_view a, const Bytes &b) noexcept { return a == b.view(); }
    friend bool operator!=(const Bytes &a, std::string_view b) noexcept { return a.view() != b; }
    friend bool operator!=(std::string_view a, const Bytes &b) noexcept { return a != b.view(); }
    friend bool operator<(const Bytes &a, std::string_view b) noexcept { return a.view() < b; }
    friend bool operator<(std::string_view a, const Bytes &b) noexcept { return a < b.view(); }
    friend bool operator>(const Bytes &a, std::string_view b) noexcept { return a.view() > b; }
    friend bool operator>(std::string_view a, const Bytes &b) noexcept { return a > b.view(); }
    friend bool operator<=(const Bytes &a, std::string_view b) noexcept { return a.view() <= b; }
    friend bool operator<=(std::string_view a, const Bytes &b) noexcept { return a <= b.view(); }
    friend bool operator>=(const Bytes &a, std::string_view b) noexcept { return a.view() >= b; }
    friend bool operator>=(std::string_view a, const Bytes &b) noexcept { return a >= b.view(); }
#if defined(BYTES_HPP_THREE_WAY)
    friend std::strong_ordering operator<=>(const Bytes &a, const Bytes &b) noexcept {
        return bytes_cmp(&a.b_, &b.b_) <=> 0;
    }
    friend std::strong_ordering operator<=>(const Bytes &a, std::string_view b) noexcept {
        return a.view().compare(b) <=> 0;
    }
#endif

  private:
    template <class T, bytes_status_t (*Get)(bytes_t *, T *)>
    T get(const char *where) {
        T value{};
        detail::check(Get(&b_, &value), where);
        return value;
    }

    bytes_t b_;
};

static_assert(sizeof(Bytes) == sizeof(bytes_t) && alignof(Bytes) == alignof(bytes_t),
              "an array of Bytes is an array of bytes_t");
static_assert(std::is_standard_layout<Bytes>::value, "Bytes is pointer-interconvertible with its bytes_t");

namespace detail {
/* The bytes_t of bufs[0]: Bytes is standard layout with the handle as its
 * only member, so the two are pointer-interconvertible, and
 * bufs[0..n) is laid out exactly as n bytes_t, which is all the C side
 * (which walks the array) needs. */
inline bytes_t *raw_array(Bytes *bufs) noexcept { return reinterpret_cast<bytes_t *>(bufs); }
inline const bytes_t *raw_array(const Bytes *bufs) noexcept { return reinterpret_cast<const bytes_t *>(bufs); }
}  // namespace detail

inline std::vector<Bytes> Bytes::slice_many(const bytes_range_t *ranges, std::size_t n) const {
    std::vector<Bytes> out(n);  // may throw: nothing is sliced yet
    detail::check(bytes_slice_many(&b_, ranges, n, detail::raw_array(out.data())), "bytes::Bytes::slice_many");
    return out;
}

inline void Bytes::drop_many(Bytes *bufs, std::size_t n) noexcept {
    if (n != 0) bytes_drop_many(detail::raw_array(bufs), n);
}

/*
 * A unique, growable buffer: owns one bytes_mut_t. Move-only (a buffer is
 * never shared: split or freeze it instead).
 */
class BytesMut {
  public:
    using value_type = std::uint8_t;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = std::uint8_t &;
    using const_reference = const std::uint8_t &;
    using pointer = std::uint8_t *;
    using const_pointer = const std::uint8_t *;
    using iterator = std::uint8_t *;
    using const_iterator = const std::uint8_t *;

    /* Empty, without storage; the first write allocates. */
    BytesMut() noexcept : m_() {}
    BytesMut(const BytesMut &) = delete;
    BytesMut &operator=(const BytesMut &) = delete;
    BytesMut(BytesMut &&other) noexcept : m_(other.m_) { other.m_ = bytes_mut_t(); }
    BytesMut &operator=(BytesMut &&other) noexcept {
        if (this != &other) {
            bytes_mut_t old = m_;
            m_ = other.m_;
            other.m_ = bytes_mut_t();
            bytes_mut_drop(&old);
        }
        return *this;
    }
    ~BytesMut() { bytes_mut_drop(&m_); }

    void swap(BytesMut &other) noexcept { std::swap(m_, other.m_); }
    friend void swap(BytesMut &a, BytesMut &b) noexcept { a.swap(b); }

    /* Room for `capacity` bytes (one allocation, none for 0). Throws
     * BYTES_ERR_NOMEM. */
    static BytesMut with_capacity(std::size_t capacity) {
        bytes_mut_t out;
        detail::check(bytes_mut_with_capacity(capacity, &out), "bytes::BytesMut::with_capacity");
        return adopt(out);
    }
    /* `size` zero bytes. Throws BYTES_ERR_NOMEM. */
    static BytesMut zeroed(std::size_t size) {
        bytes_mut_t out;
        detail::check(bytes_mut_zeroed(size, &out), "bytes::BytesMut::zeroed");
        return adopt(out);
    }

    /* The raw handle, as for Bytes. */
    static BytesMut adopt(bytes_mut_t &m) noexcept {
        BytesMut r;
        r.m_ = m;
        m = bytes_mut_t();
        return r;
    }
    static BytesMut adopt(bytes_mut_t &&m) noexcept {
        BytesMut r;
        r.m_ = m;
        return r;
    }
    [[nodiscard]] bytes_mut_t release() noexcept {
        bytes_mut_t m = m_;
        m_ = bytes_mut_t();
        return m;
    }
    const bytes_mut_t &raw() const noexcept { return m_; }

    /* ---- reading and writing in place -------------------------------- */

    /* The written bytes; never NULL (rule 6). */
    std::uint8_t *data() noexcept { return detail::ptr(m_); }
    const std::uint8_t *data() const noexcept { return detail::ptr(m_); }
    std::size_t size() const noexcept { return detail::len(m_); }
    std::size_t capacity() const noexcept { return detail::cap(m_); }
    bool empty() const noexcept { return size() == 0; }
    iterator begin() noexcept { return data(); }
    iterator end() noexcept { return data() + size(); }
    const_iterator begin() const noexcept { return data(); }
    const_iterator end() const noexcept { return data() + size(); }
    const_iterator cbegin() const noexcept { return begin(); }
    const_iterator cend() const noexcept { return end(); }
    std::uint8_t &operator[](std::size_t i) noexcept { return data()[i]; }
    const std::uint8_t &operator[](std::size_t i) const noexcept { return data()[i]; }

    std::string_view view() const noexcept { return std::string_view(detail::chars(data()), size()); }
    explicit operator std::string_view() const noexcept { return view(); }
#if defined(__cpp_lib_span)
    std::span<std::uint8_t> span() noexcept { return std::span<std::uint8_t>(data(), size()); }
    std::span<const std::uint8_t> span() const noexcept { return std::span<const std::uint8_t>(data(), size()); }
    std::span<const std::byte> as_bytes() const noexcept {
        return std::span<const std::byte>(reinterpret_cast<const std::byte *>(data()), size());
    }
    std::span<std::byte> as_writable_bytes() noexcept {
        return std::span<std::byte>(reinterpret_cast<std::byte *>(data()), size());
    }
#endif

    /* The spare capacity after the written bytes, to write in place
     * (read(2), recv(2), memcpy); then commit(n). Never NULL. */
    Region spare() noexcept {
        std::size_t n = 0;
        std::uint8_t *p = bytes_mut_spare(&m_, &n);
        return Region{p, n};
    }
#if defined(__cpp_lib_span)
    std::span<std::uint8_t> spare_span() noexcept {
        const Region r = spare();
        return std::span<std::uint8_t>(r.data, r.size);
    }
#endif
    /* Marks n spare bytes as written. Throws BYTES_ERR_RANGE if n
     * exceeds the spare capacity. */
    void commit(std::size_t n) { detail::check(bytes_mut_commit(&m_, n), "bytes::BytesMut::commit"); }

    /* ---- growing ------------------------------------------------------ */

    /* Room for `additional` more bytes (reusing the storage when it can,
     * as bytes.h describes). Throws BYTES_ERR_NOMEM, *this unchanged. */
    void reserve(std::size_t additional) {
        detail::check(bytes_mut_reserve(&m_, additional), "bytes::BytesMut::reserve");
    }
    /* Like reserve, but never allocates: false (unchanged) if it would. */
    bool try_reclaim(std::size_t additional) noexcept { return bytes_mut_try_reclaim(&m_, additional); }
    /* Appends a copy (the source may be this buffer's own written bytes).
     * Throws BYTES_ERR_NOMEM, or BYTES_ERR_INVALID for a source reaching
     * into the spare capacity; *this unchanged. */
    void extend(const void *src, std::size_t n) {
        detail::check(bytes_mut_extend_from_slice(&m_, detail::u8(src), n), "bytes::BytesMut::extend");
    }
    void extend(std::string_view s) { extend(s.data(), s.size()); }
    void extend(const Bytes &b) { extend(b.data(), b.size()); }
    void extend(const std::vector<std::uint8_t> &v) { extend(v.data(), v.size()); }
    void extend(const std::vector<std::byte> &v) { extend(v.data(), v.size()); }
#if defined(__cpp_lib_span)
    void extend(std::span<const std::uint8_t> s) { extend(s.data(), s.size()); }
    void extend(std::span<const std::byte> s) { extend(s.data(), s.size()); }
#endif
    /* Sets the size, appending copies of `fill` or truncating. Throws
     * BYTES_ERR_NOMEM. */
    void resize(std::size_t new_size, std::uint8_t fill = 0) {
        detail::check(bytes_mut_resize(&m_, new_size, fill), "bytes::BytesMut::resize");
    }

    void put_u8(std::uint8_t v) { detail::check(bytes_mut_put_u8(&m_, v), "bytes::BytesMut::put_u8"); }
    void put_u16_be(std::uint16_t v) { detail::check(bytes_mut_put_u16_be(&m_, v), "bytes::BytesMut::put_u16_be"); }
    void put_u16_le(std::uint16_t v) { detail::check(bytes_mut_put_u16_le(&m_, v), "bytes::BytesMut::put_u16_le"); }
    void put_u32_be(std::uint32_t v) { detail::check(bytes_mut_put_u32_be(&m_, v), "bytes::BytesMut::put_u32_be"); }
    void put_u32_le(std::uint32_t v) { detail::check(bytes_mut_put_u32_le(&m_, v), "bytes::BytesMut::put_u32_le"); }
    void put_u64_be(std::uint64_t v) { detail::check(bytes_mut_put_u64_be(&m_, v), "bytes::BytesMut::put_u64_be"); }
    void put_u64_le(std::uint64_t v) { detail::check(bytes_mut_put_u64_le(&m_, v), "bytes::BytesMut::put_u64_le"); }
    /* Appends `count` copies of `value`. */
    void put_bytes(std::uint8_t value, std::size_t count) {
        detail::check(bytes_mut_put_bytes(&m_, value, count), "bytes::BytesMut::put_bytes");
    }

    /* Appends a T (uint8_t..uint64_t, int8_t..int64_t, float, double) in
     * `order`: `m.put<std::uint16_t>(443)`, `m.put(1.5, bytes::Endian::little)`.
     * Throws BYTES_ERR_NOMEM; *this unchanged. */
    template <class T>
    void put(T v, Endian order = Endian::big) {
        detail::check(detail::wire<T>::put(&m_, v, order), "bytes::BytesMut::put");
    }
    /* Appends the low `nbytes` bytes (1..8) of `v`. Throws
     * BYTES_ERR_INVALID for nbytes outside 1..8, BYTES_ERR_NOMEM; *this
     * unchanged. */
    void put_uint(std::uint64_t v, std::size_t nbytes, Endian order = Endian::big) {
        detail::check(order == Endian::big ? bytes_mut_put_uint_be(&m_, v, nbytes)
                                            : bytes_mut_put_uint_le(&m_, v, nbytes),
                      "bytes::BytesMut::put_uint");
    }
    void put_int(std::int64_t v, std::size_t nbytes, Endian order = Endian::big) {
        detail::check(order == Endian::big ? bytes_mut_put_int_be(&m_, v, nbytes)
                                            : bytes_mut_put_int_le(&m_, v, nbytes),
                      "bytes::BytesMut::put_int");
    }

    /* ---- cutting (no copy) ------------------------------------------- */

    /* Returns the written bytes [0, at); keeps the rest and the spare
     * capacity. Throws BYTES_ERR_RANGE if at > size(). */
    BytesMut split_to(std::size_t at) {
        bytes_mut_t out;
        detail::check(bytes_mut_split_to(&m_, at, &out), "bytes::BytesMut::split_to");
        return adopt(out);
    }
    /* Returns [at, capacity()); keeps [0, at) as its whole capacity.
     * Throws BYTES_ERR_RANGE if at > capacity(). */
    BytesMut split_off(std::size_t at) {
        bytes_mut_t out;
        detail::check(bytes_mut_split_off(&m_, at, &out), "bytes::BytesMut::split_off");
        return adopt(out);
    }
    /* Returns all written bytes; keeps the spare capacity. */
    BytesMut split() noexcept { return adopt(bytes_mut_split(&m_)); }
    /* Appends `other` and consumes it: O(1) when it directly follows in
     * the same storage, else a copy. Throws BYTES_ERR_NOMEM (or INVALID
     * for a buffer appended to itself); both unchanged then. */
    void unsplit(BytesMut &&other) {
        detail::check(bytes_mut_unsplit(&m_, &other.m_), "bytes::BytesMut::unsplit");
    }
    /* Drops the first n written bytes. Throws BYTES_ERR_RANGE. */
    void advance(std::size_t n) { detail::check(bytes_mut_advance(&m_, n), "bytes::BytesMut::advance"); }
    void truncate(std::size_t n) noexcept { bytes_mut_truncate(&m_, n); }
    /* Forgets the written bytes, keeps the capacity. */
    void clear() noexcept { bytes_mut_clear(&m_); }

    /* Consumes *this (left empty) into a Bytes over the same memory:
     * O(1), no copy; `std::move(m).freeze()`. */
    [[nodiscard]] Bytes freeze() && noexcept { return Bytes::adopt(bytes_mut_freeze(&m_)); }

    /* ---- I/O ---------------------------------------------------------- */

    /* Makes room for up to `max` bytes and read(2)s from `fd` straight
     * into the spare capacity, committing what arrived. Returns the count,
     * 0 at end of file; EINTR is retried. Throws Error(BYTES_ERR_IO, errno)
     * (EAGAIN included: on non-blocking descriptors use the overload
     * below), BYTES_ERR_NOMEM, BYTES_ERR_INVALID for max == 0. On throw the
     * written bytes are unchanged (the capacity may have grown). */
    std::size_t read_fd(int fd, std::size_t max) {
        std::size_t n = 0;
        detail::check(bytes_mut_read_fd(&m_, fd, max, &n), "bytes::BytesMut::read_fd");
        return n;
    }
    /* The same, never throwing: `n` receives the count (0 on error), the
     * status is returned, errno set on BYTES_ERR_IO (EAGAIN routinely). */
    [[nodiscard]] bytes_status_t read_fd(int fd, std::size_t max, std::size_t &n) noexcept {
        return bytes_mut_read_fd(&m_, fd, max, &n);
    }

  private:
    bytes_mut_t m_;
};

inline BytesMut Bytes::into_mut() && {
    bytes_mut_t out;
    detail::check(bytes_into_mut(&b_, &out), "bytes::Bytes::into_mut");
    return BytesMut::adopt(out);
}

inline bool Bytes::try_into_mut(BytesMut &out) noexcept {
    bytes_mut_t m;
    if (bytes_try_into_mut(&b_, &m) != BYTES_OK) return false;
    out = BytesMut::adopt(m);
    return true;
}

/* ---- vectored writes ---------------------------------------------------- */

/*
 * One writev(2) of bufs[0..n) (up to 1024 non-empty handles), consuming
 * exactly what was written: written handles are emptied, a partly written
 * one advanced, so after a partial write bufs holds the unwritten
 * remainder (call again until all are empty). Returns the byte count.
 * Throws Error(BYTES_ERR_IO, errno), EAGAIN included; nothing consumed.
 */
inline std::size_t writev_fd(int fd, Bytes *bufs, std::size_t n) {
    std::size_t written = 0;
    detail::check(bytes_writev_fd(fd, detail::raw_array(bufs), n, &written), "bytes::writev_fd");
    return written;
}
/* The same, never throwing: the status is returned, `written` receives
 * the count (0 on error), errno is set on BYTES_ERR_IO. */
[[nodiscard]] inline bytes_status_t writev_fd(int fd, Bytes *bufs, std::size_t n, std::size_t &written) noexcept {
    return bytes_writev_fd(fd, detail::raw_array(bufs), n, &written);
}
inline std::size_t writev_fd(int fd, std::vector<Bytes> &bufs) { return writev_fd(fd, bufs.data(), bufs.size()); }
[[nodiscard]] inline bytes_status_t writev_fd(int fd, std::vector<Bytes> &bufs, std::size_t &written) noexcept {
    return writev_fd(fd, bufs.data(), bufs.size(), written);
}
#if defined(__cpp_lib_span)
inline std::size_t writev_fd(int fd, std::span<Bytes> bufs) { return writev_fd(fd, bufs.data(), bufs.size()); }
[[nodiscard]] inline bytes_status_t writev_fd(int fd, std::span<Bytes> bufs, std::size_t &written) noexcept {
    return writev_fd(fd, bufs.data(), bufs.size(), written);
}
#endif

/* Describes bufs[0..n) as iovecs (empty ones skipped), no copy: returns the
 * number written, at most iov_cap. Valid while the handles are unchanged. */
inline std::size_t fill_iovec(const Bytes *bufs, std::size_t n, struct iovec *iov, std::size_t iov_cap) noexcept {
    return bytes_fill_iovec(detail::raw_array(bufs), n, iov, iov_cap);
}

/* Whether every handle is empty: a writev_fd loop is done. */
inline bool all_empty(const Bytes *bufs, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; i++)
        if (!bufs[i].empty()) return false;
    return true;
}

/* The same as writev_fd with sendmsg(2) and its flags, for sockets:
 * MSG_NOSIGNAL turns a gone peer into Error(BYTES_ERR_IO, EPIPE) without
 * SIGPIPE. */
inline std::size_t sendmsg_fd(int fd, Bytes *bufs, std::size_t n, int flags) {
    std::size_t written = 0;
    detail::check(bytes_sendmsg_fd(fd, detail::raw_array(bufs), n, flags, &written), "bytes::sendmsg_fd");
    return written;
}
[[nodiscard]] inline bytes_status_t sendmsg_fd(int fd, Bytes *bufs, std::size_t n, int flags,
                                               std::size_t &written) noexcept {
    return bytes_sendmsg_fd(fd, detail::raw_array(bufs), n, flags, &written);
}

/* ---- Queue --------------------------------------------------------------- */

/*
 * Many buffers read as one: owns one bytes_queue_t (a FIFO of Bytes
 * chunks; see bytes.h for the costs of each operation). Copy = a second
 * queue sharing every chunk (bytes_queue_clone: one allocation, one count
 * update per run of one storage); move = a transfer; destructor =
 * bytes_queue_drop.
 *
 * Iterating gives the chunks as `const Bytes &` (`chunk.view()`, and
 * `chunk.as_bytes()`, a std::span<const std::byte>, with C++20), valid
 * until the next non-const call.
 */
class Queue {
  public:
    using const_iterator = const Bytes *;
    /* What find returns when the needle is not there. */
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    Queue() noexcept : q_() {}
    Queue(const Queue &other) : q_() { detail::check(bytes_queue_clone(&other.q_, &q_), "bytes::Queue::Queue"); }
    Queue &operator=(const Queue &other) {
        if (this != &other) {
            Queue copy(other);
            swap(copy);
        }
        return *this;
    }
    Queue(Queue &&other) noexcept : q_(other.q_) { other.q_ = bytes_queue_t(); }
    Queue &operator=(Queue &&other) noexcept {
        if (this != &other) {
            bytes_queue_t old = q_;
            q_ = other.q_;
            other.q_ = bytes_queue_t();
            bytes_queue_drop(&old);
        }
        return *this;
    }
    ~Queue() { bytes_queue_drop(&q_); }

    void swap(Queue &other) noexcept { std::swap(q_, other.q_); }
    friend void swap(Queue &a, Queue &b) noexcept { a.swap(b); }

    /* The raw queue, for the functions of bytes.h. */
    bytes_queue_t &raw() noexcept { return q_; }
    const bytes_queue_t &raw() const noexcept { return q_; }

    /* The total number of bytes, and of chunks (fields read as the C
     * accessors read them; see detail::ptr). */
    std::size_t size() const noexcept { return q_._len; }
    bool empty() const noexcept { return size() == 0; }
    std::size_t chunk_count() const noexcept { return q_._count; }

    const_iterator begin() const noexcept {
        return q_._count != 0 ? reinterpret_cast<const Bytes *>(q_._chunks + q_._head) : nullptr;
    }
    const_iterator end() const noexcept { return begin() + q_._count; }

    /* ---- appending ----------------------------------------------------- */

    /* Appends b (merged into the last chunk when it directly follows it in
     * the same storage); an empty b is dropped. Throws BYTES_ERR_NOMEM,
     * and b is then back in `b` (pass an lvalue with std::move and it is
     * unchanged). */
    void push(Bytes &&b) {
        bytes_t raw = b.release();
        const bytes_status_t status = bytes_queue_push(&q_, &raw);
        if (status != BYTES_OK) {
            b = Bytes::adopt(raw);
            detail::fail(status, "bytes::Queue::push");
        }
    }
    void push(const Bytes &b) { push(Bytes(b)); }
    /* Splits off m's written bytes (no copy) and appends them; m keeps its
     * spare capacity for the next read. Throws BYTES_ERR_NOMEM; both
     * unchanged. */
    void push(BytesMut &m) {
        bytes_mut_t raw = m.release();
        const bytes_status_t status = bytes_queue_push_mut(&q_, &raw);
        m = BytesMut::adopt(raw);
        detail::check(status, "bytes::Queue::push");
    }
    /* Puts b back at the front. Throws BYTES_ERR_NOMEM; b restored. */
    void push_front(Bytes &&b) {
        bytes_t raw = b.release();
        const bytes_status_t status = bytes_queue_push_front(&q_, &raw);
        if (status != BYTES_OK) {
            b = Bytes::adopt(raw);
            detail::fail(status, "bytes::Queue::push_front");
        }
    }
    /* Moves every chunk of `other` here. Throws BYTES_ERR_NOMEM (both
     * unchanged), BYTES_ERR_INVALID for a queue appended to itself. */
    void append(Queue &other) { detail::check(bytes_queue_append(&q_, &other.q_), "bytes::Queue::append"); }
    /* Copies bytes in, into the queue's own tail storage (many small writes
     * share one allocation). Throws BYTES_ERR_NOMEM. */
    void write(const void *src, std::size_t n) { detail::check(bytes_queue_write(&q_, src, n), "bytes::Queue::write"); }
    void write(std::string_view s) { write(s.data(), s.size()); }

    /* ---- looking ------------------------------------------------------- */

    /* The offset of the first `needle` lying wholly in [from, min(to,
     * size())), across chunks; npos if none. */
    std::size_t find(std::string_view needle, std::size_t from = 0, std::size_t to = npos) const noexcept {
        std::size_t at = npos;
        return bytes_queue_find(&q_, from, to, needle.data(), needle.size(), &at) ? at : npos;
    }
    /* Copies n bytes at offset into dst. Throws BYTES_ERR_RANGE. */
    void peek(std::size_t offset, void *dst, std::size_t n) const {
        detail::check(bytes_queue_peek(&q_, offset, dst, n), "bytes::Queue::peek");
    }
    /* Makes the first n bytes one chunk (a copy only if they are apart).
     * Throws BYTES_ERR_RANGE, BYTES_ERR_NOMEM. */
    void pullup(std::size_t n) { detail::check(bytes_queue_pullup(&q_, n), "bytes::Queue::pullup"); }

    /* ---- consuming ----------------------------------------------------- */

    void advance(std::size_t n) { detail::check(bytes_queue_advance(&q_, n), "bytes::Queue::advance"); }
    /* The first n bytes: zero-copy within the first chunk, else one copy.
     * Throws BYTES_ERR_RANGE, BYTES_ERR_NOMEM; nothing consumed. */
    Bytes take(std::size_t n) {
        bytes_t out;
        detail::check(bytes_queue_take(&q_, n, &out), "bytes::Queue::take");
        return Bytes::adopt(out);
    }
    /* The first n bytes as a queue of their own, zero-copy. */
    Queue split_to(std::size_t n) {
        Queue out;
        detail::check(bytes_queue_split_to(&q_, n, &out.q_), "bytes::Queue::split_to");
        return out;
    }
    /* The first chunk as it is. Throws BYTES_ERR_RANGE when empty. */
    Bytes pop() {
        bytes_t out;
        detail::check(bytes_queue_pop(&q_, &out), "bytes::Queue::pop");
        return Bytes::adopt(out);
    }
    /* Copies n bytes out and consumes them. Throws BYTES_ERR_RANGE. */
    void get(void *dst, std::size_t n) { detail::check(bytes_queue_get(&q_, dst, n), "bytes::Queue::get"); }
    /* Reads a T in `order` across chunks and consumes it, as Bytes::get. */
    template <class T>
    T get(Endian order = Endian::big) {
        T value{};
        detail::check(detail::wire<T>::get(&q_, &value, order), "bytes::Queue::get");
        return value;
    }
    std::uint64_t get_uint(std::size_t nbytes, Endian order = Endian::big) {
        std::uint64_t value = 0;
        detail::check(order == Endian::big ? bytes_queue_get_uint_be(&q_, nbytes, &value)
                                            : bytes_queue_get_uint_le(&q_, nbytes, &value),
                      "bytes::Queue::get_uint");
        return value;
    }
    std::int64_t get_int(std::size_t nbytes, Endian order = Endian::big) {
        std::int64_t value = 0;
        detail::check(order == Endian::big ? bytes_queue_get_int_be(&q_, nbytes, &value)
                                            : bytes_queue_get_int_le(&q_, nbytes, &value),
                      "bytes::Queue::get_int");
        return value;
    }

    /* ---- I/O ----------------------------------------------------------- */

    /* Reserves up to max bytes in m (reclaiming its storage through the
     * queue), read(2)s into it and pushes what arrived: the receive loop.
     * Returns the count, 0 at end of file. Throws Error(BYTES_ERR_IO,
     * errno), EAGAIN included. */
    std::size_t read_fd(BytesMut &m, int fd, std::size_t max) {
        std::size_t n = 0;
        bytes_mut_t raw = m.release();
        const bytes_status_t status = bytes_queue_read_fd(&q_, &raw, fd, max, &n);
        m = BytesMut::adopt(raw);
        detail::check(status, "bytes::Queue::read_fd");
        return n;
    }
    [[nodiscard]] bytes_status_t read_fd(BytesMut &m, int fd, std::size_t max, std::size_t &n) noexcept {
        bytes_mut_t raw = m.release();
        const bytes_status_t status = bytes_queue_read_fd(&q_, &raw, fd, max, &n);
        m = BytesMut::adopt(raw);
        return status;
    }
    /* One writev(2) / sendmsg(2) of the chunks, consuming exactly what was
     * written. Throw Error(BYTES_ERR_IO, errno), EAGAIN included; the
     * overloads taking `written` never throw. */
    std::size_t writev_fd(int fd) {
        std::size_t written = 0;
        detail::check(bytes_queue_writev_fd(&q_, fd, &written), "bytes::Queue::writev_fd");
        return written;
    }
    [[nodiscard]] bytes_status_t writev_fd(int fd, std::size_t &written) noexcept {
        return bytes_queue_writev_fd(&q_, fd, &written);
    }
    std::size_t sendmsg_fd(int fd, int flags) {
        std::size_t written = 0;
        detail::check(bytes_queue_sendmsg_fd(&q_, fd, flags, &written), "bytes::Queue::sendmsg_fd");
        return written;
    }
    [[nodiscard]] bytes_status_t sendmsg_fd(int fd, int flags, std::size_t &written) noexcept {
        return bytes_queue_sendmsg_fd(&q_, fd, flags, &written);
    }

  private:
    bytes_queue_t q_;
};

/* ---- text for people ------------------------------------------------ */

/* The bytes as readable text: printable ASCII as it is, a backslash
 * doubled, tab, CR and LF as \t \r \n, every other byte as \xNN.
 * What operator<<, std::format and fmt::format print for Bytes and
 * BytesMut (a width and alignment apply to the escaped text). */
inline std::string escape(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        switch (u) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            default:
                if (u >= 0x20 && u < 0x7f) {
                    out += c;
                } else {
                    out += "\\x";
                    out += hex[u >> 4];
                    out += hex[u & 0xf];
                }
        }
    }
    return out;
}
inline std::string escape(const Bytes &b) { return escape(b.view()); }
inline std::string escape(const BytesMut &m) { return escape(m.view()); }

inline std::ostream &operator<<(std::ostream &os, const Bytes &b) { return os << escape(b); }
inline std::ostream &operator<<(std::ostream &os, const BytesMut &m) { return os << escape(m); }

}  // namespace bytes

namespace std {
/* Hashes the bytes, as std::hash<std::string_view> does: Bytes can key an
 * unordered container. Transparent, with std::equal_to<Bytes> below: a
 * std::unordered_map<::bytes::Bytes, T> is searched by std::string_view (or
 * std::string, or a literal) without making a Bytes (C++20's
 * heterogeneous lookup: `map.find(std::string_view("GET"))`). */
template <>
struct hash<::bytes::Bytes> {
    using is_transparent = void;
    size_t operator()(const ::bytes::Bytes &b) const noexcept { return hash<string_view>()(b.view()); }
    size_t operator()(string_view s) const noexcept { return hash<string_view>()(s); }
};
template <>
struct equal_to<::bytes::Bytes> {
    using is_transparent = void;
    bool operator()(const ::bytes::Bytes &a, const ::bytes::Bytes &b) const noexcept { return a.view() == b.view(); }
    bool operator()(const ::bytes::Bytes &a, string_view b) const noexcept { return a.view() == b; }
    bool operator()(string_view a, const ::bytes::Bytes &b) const noexcept { return a == b.view(); }
};

#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
/* std::format("{}", b), with the string format's width and alignment:
 * the escaped text (::bytes::escape). */
template <>
struct formatter<::bytes::Bytes, char> : formatter<string_view, char> {
    template <class FormatContext>
    auto format(const ::bytes::Bytes &b, FormatContext &ctx) const {
        const string text = ::bytes::escape(b);
        return formatter<string_view, char>::format(string_view(text), ctx);
    }
};
template <>
struct formatter<::bytes::BytesMut, char> : formatter<string_view, char> {
    template <class FormatContext>
    auto format(const ::bytes::BytesMut &m, FormatContext &ctx) const {
        const string text = ::bytes::escape(m);
        return formatter<string_view, char>::format(string_view(text), ctx);
    }
};
#endif
}  // namespace std

#if defined(BYTES_HPP_HAVE_FMT)
/* fmt::format("{}", b) / fmt::print: the same escaped text. */
template <>
struct fmt::formatter<::bytes::Bytes> : fmt::formatter<fmt::string_view> {
    template <class FormatContext>
    auto format(const ::bytes::Bytes &b, FormatContext &ctx) const -> decltype(ctx.out()) {
        const std::string text = ::bytes::escape(b);
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()), ctx);
    }
};
template <>
struct fmt::formatter<::bytes::BytesMut> : fmt::formatter<fmt::string_view> {
    template <class FormatContext>
    auto format(const ::bytes::BytesMut &m, FormatContext &ctx) const -> decltype(ctx.out()) {
        const std::string text = ::bytes::escape(m);
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()), ctx);
    }
};
#endif
#undef BYTES_HPP_HAVE_FMT

#undef BYTES_HPP_THREE_WAY

#endif /* BYTES_HPP */
