//! Status codes, their descriptions and the library version.

use std::ffi::{c_char, CStr};

use crate::ffi::boundary::guard;
use crate::Error;

/// The result of every fallible function. Values are fixed and only ever
/// appended to: a retired value stays reserved.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum bytes_status {
    /// Success.
    BYTES_OK = 0,
    /// A required pointer argument was NULL.
    BYTES_ERR_NULL = 1,
    /// An index or range lies outside the buffer.
    BYTES_ERR_RANGE = 2,
    /// An allocation failed, or a size overflowed.
    BYTES_ERR_NOMEM = 3,
    /// The storage is shared; nothing was changed.
    BYTES_ERR_NOT_UNIQUE = 4,
    /// A malformed argument, e.g. an incomplete vtable or aliased handles.
    BYTES_ERR_INVALID = 5,
    /// An OS call failed; `errno` holds its cause.
    BYTES_ERR_IO = 6,
    /// The library caught a bug of its own (a Rust panic) instead of
    /// crashing: not the caller's mistake, and worth a report. The
    /// function's inputs are as the bug left them; out-parameters that the
    /// function had not written yet are unchanged.
    BYTES_ERR_INTERNAL = 7,
}

/// The status type of the API.
pub type bytes_status_t = bytes_status;

impl From<Error> for bytes_status_t {
    /// The status for a core error. `Error::Io` also puts its `errno` back
    /// into `errno`, which calls made after the failing one (`close` on the
    /// way out) may have changed, so the caller reads the cause.
    fn from(error: Error) -> bytes_status_t {
        match error {
            Error::Range => bytes_status_t::BYTES_ERR_RANGE,
            Error::NoMem => bytes_status_t::BYTES_ERR_NOMEM,
            Error::Io(errno) => {
                // SAFETY: `__errno_location` returns this thread's errno.
                unsafe { *libc::__errno_location() = errno };
                bytes_status_t::BYTES_ERR_IO
            }
        }
    }
}

/// A static, NUL-terminated description of `status`; never NULL. Values
/// outside the enum give "unknown status".
///
/// Declared by hand in the header as taking `bytes_status_t`: it takes the
/// enum's underlying `unsigned int` here so that any value a C caller
/// passes, even one outside the enum, is defined behaviour.
#[no_mangle]
pub extern "C" fn bytes_status_str(status: u32) -> *const c_char {
    guard(UNKNOWN.as_ptr(), || {
        DESCRIPTIONS
            .iter()
            .find(|(known, _)| *known as u32 == status)
            .map_or(UNKNOWN, |(_, text)| text)
            .as_ptr()
    })
}

const UNKNOWN: &CStr = c"unknown status";

/// One description for each status.
const DESCRIPTIONS: [(bytes_status_t, &CStr); 8] = [
    (bytes_status_t::BYTES_OK, c"ok"),
    (bytes_status_t::BYTES_ERR_NULL, c"a required pointer argument was NULL"),
    (bytes_status_t::BYTES_ERR_RANGE, c"index or range outside the buffer"),
    (bytes_status_t::BYTES_ERR_NOMEM, c"allocation failed or size overflowed"),
    (bytes_status_t::BYTES_ERR_NOT_UNIQUE, c"storage is shared; nothing was changed"),
    (bytes_status_t::BYTES_ERR_INVALID, c"malformed argument"),
    (bytes_status_t::BYTES_ERR_IO, c"an OS call failed; errno holds its cause"),
    (bytes_status_t::BYTES_ERR_INTERNAL, c"internal error in libbytes (a bug, caught); please report it"),
];

/// The library's version, "MAJOR.MINOR.PATCH", as a static NUL-terminated
/// string; the same as the header's `BYTES_VERSION_*` macros when the
/// header and the library match.
#[no_mangle]
pub extern "C" fn bytes_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(version) => version,
            Err(_) => panic!("the version has no NUL inside"),
        };
    guard(VERSION.as_ptr(), || VERSION.as_ptr())
}
