//! The errors of the safe core. The FFI layer maps each to one
//! `bytes_status_t` value.

use std::fmt;

/// Why an operation of the core failed. A failed operation changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// An index or range lies outside the buffer.
    Range,
    /// An allocation failed, or a size computation overflowed.
    NoMem,
    /// An OS call failed with this `errno`.
    Io(i32),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::Range => "index or range outside the buffer",
            Error::NoMem => "allocation failed or size overflowed",
            Error::Io(_) => "an OS call failed",
        })
    }
}

impl std::error::Error for Error {}
