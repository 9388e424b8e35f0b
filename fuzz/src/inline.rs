//! The inline header's variants of the per-handle calls
//! (`include/bytes_inline.h`, reached through `src/inline_shim.c`, which
//! build.rs compiles with `BYTES_INLINE`), beside the exported functions.
//!
//! Operations of the program that have an inline variant say which one to
//! call ([`Via`]); both run on the same pool and are checked against the
//! same model, so a handle made by one may be cloned, sliced, split or
//! dropped by the other.

use std::mem::size_of;

use bytes::ffi::bytes::{bytes_clear, bytes_clone, bytes_drop, bytes_slice, bytes_split_off, bytes_split_to};
use bytes::ffi::{bytes_status_t, bytes_t, bytes_vtable_t};

use crate::raw::Raw;
use crate::stats;

extern "C" {
    fn fuzz_inline_clone(b: *const bytes_t) -> bytes_t;
    fn fuzz_inline_slice(b: *const bytes_t, begin: usize, end: usize, out: *mut bytes_t) -> bytes_status_t;
    fn fuzz_inline_split_to(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t;
    fn fuzz_inline_split_off(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t;
    fn fuzz_inline_drop(b: *mut bytes_t);
    fn fuzz_inline_clear(b: *mut bytes_t);

    /// The vtables of the library's own kinds, by which the inline code
    /// recognises them (entry 0: static bytes); part of the ABI the
    /// inline header freezes.
    static bytes__own_vtables: [bytes_vtable_t; 5];
}

/// Which implementation of a call the harness makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The function the library exports.
    Exported,
    /// The inline header's `static inline` code.
    Inline,
}

/// Whether a handle's vtable word is one of the library's own kinds: the
/// handles the inline code handles itself (when the call's arguments are
/// valid and its result not empty) rather than calling the library.
pub fn own_kind(raw: &Raw) -> bool {
    let base = &raw const bytes__own_vtables;
    raw[3].wrapping_sub(base as usize) < size_of::<[bytes_vtable_t; 5]>()
}

/// The address of the own kinds' entry 0 (static bytes).
pub fn static_vtable() -> usize {
    &raw const bytes__own_vtables as usize
}

impl Via {
    /// The name of `call` in statistics and messages: `call` itself, or
    /// with " (inline)" added. For the statistics, counts an inline call
    /// by its handle `b`: NULL, of an own kind, or other.
    pub fn name(self, call: &'static str, b: Option<&bytes_t>) -> &'static str {
        if self == Via::Exported {
            return call;
        }
        let name = match call {
            "bytes_clone" => "bytes_clone (inline)",
            "bytes_slice" => "bytes_slice (inline)",
            "bytes_split_to" => "bytes_split_to (inline)",
            "bytes_split_off" => "bytes_split_off (inline)",
            "bytes_drop" => "bytes_drop (inline)",
            "bytes_clear" => "bytes_clear (inline)",
            _ => unreachable!("{call} has no inline variant"),
        };
        let kind = match b {
            None => "NULL",
            Some(b) if own_kind(&crate::raw::raw_b(b)) => "own kind",
            Some(_) => "other",
        };
        stats::event(name, kind);
        name
    }

    /// `bytes_clone`.
    ///
    /// # Safety
    /// As the C function's: `b` a live handle or NULL.
    pub unsafe fn clone(self, b: *const bytes_t) -> bytes_t {
        // SAFETY: the caller's promise; both have the same contract.
        unsafe {
            match self {
                Via::Exported => bytes_clone(b),
                Via::Inline => fuzz_inline_clone(b),
            }
        }
    }

    /// `bytes_slice`.
    ///
    /// # Safety
    /// As the C function's: `b` a live handle or NULL, `out` writable
    /// (possibly `b` itself) or NULL.
    pub unsafe fn slice(
        self,
        b: *const bytes_t,
        begin: usize,
        end: usize,
        out: *mut bytes_t,
    ) -> bytes_status_t {
        // SAFETY: the caller's promise; both have the same contract.
        unsafe {
            match self {
                Via::Exported => bytes_slice(b, begin, end, out),
                Via::Inline => fuzz_inline_slice(b, begin, end, out),
            }
        }
    }

    /// `bytes_split_to` (`to`) or `bytes_split_off`.
    ///
    /// # Safety
    /// As the C functions': `b` a live handle or NULL, `out` writable or
    /// NULL.
    pub unsafe fn split(self, to: bool, b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t {
        // SAFETY: the caller's promise; all have the same contract.
        unsafe {
            match (self, to) {
                (Via::Exported, true) => bytes_split_to(b, at, out),
                (Via::Exported, false) => bytes_split_off(b, at, out),
                (Via::Inline, true) => fuzz_inline_split_to(b, at, out),
                (Via::Inline, false) => fuzz_inline_split_off(b, at, out),
            }
        }
    }

    /// `bytes_clear` (`clear`) or `bytes_drop`.
    ///
    /// # Safety
    /// As the C functions': `b` a live handle or NULL.
    pub unsafe fn drop(self, clear: bool, b: *mut bytes_t) {
        // SAFETY: the caller's promise; all have the same contract.
        unsafe {
            match (self, clear) {
                (Via::Exported, true) => bytes_clear(b),
                (Via::Exported, false) => bytes_drop(b),
                (Via::Inline, true) => fuzz_inline_clear(b),
                (Via::Inline, false) => fuzz_inline_drop(b),
            }
        }
    }
}
