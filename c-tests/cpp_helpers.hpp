/*
 * cpp_helpers.hpp - what the C++ layer's tests (test_cpp.cpp,
 * test_cpp_buffers.cpp) share: the status of a call that may throw
 * bytes::Error, and bitwise comparisons of handles.
 */
#ifndef LIBBYTES_CPP_HELPERS_HPP
#define LIBBYTES_CPP_HELPERS_HPP

#include "bytes.hpp"

#include <cstring>
#include <string>

// Runs f; returns BYTES_OK if it returns, the status of the bytes::Error if
// it throws one (anything else propagates and ends the test). *err gets
// the Error's errno.
template <class F>
inline bytes_status_t status_of(F &&f, int *err = nullptr, std::string *what = nullptr)
{
    try {
        f();
    } catch (const bytes::Error &e) {
        if (err != nullptr) *err = e.sys_errno();
        if (what != nullptr) *what = e.what();
        return e.status();
    }
    return BYTES_OK;
}

// A bitwise copy of a handle, to show that a failing call changed nothing.
inline bool same_bits(const bytes_t &a, const bytes_t &b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool same_bits(const bytes_mut_t &a, const bytes_mut_t &b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool is_zero(const bytes_mut_t &m)
{
    bytes_mut_t zero{};
    return same_bits(m, zero);
}

// The bytes most tests view.
static const char TEXT[] = "GET /index.html HTTP/1.1";

#endif
