//! The handles as C sees them: four machine words.
//!
//! C reads a handle only through the header's `static inline` accessors
//! (`bytes_ptr`, `bytes_len`, `bytes_mut_ptr`, `bytes_mut_len`,
//! `bytes_mut_capacity`), which read the first fields of the struct. The
//! Rust types keep those fields private, so the harness reads the words
//! the same way the accessors do. The whole 32 bytes are only compared
//! (rule 4: a failing call leaves its inputs byte-for-byte unchanged; an
//! empty handle is all zero), never interpreted beyond what the accessors
//! expose.

use bytes::ffi::{bytes_mut_t, bytes_t};
use std::mem::transmute_copy;

/// The four words of a handle.
pub type Raw = [usize; 4];

/// The words of `*b`.
pub fn raw_b(b: &bytes_t) -> Raw {
    // SAFETY: `bytes_t` is `#[repr(C)]` with four 8-byte fields (the
    // header asserts it); reading its words is reading plain data.
    unsafe { transmute_copy(b) }
}

/// The words of `*m`.
pub fn raw_m(m: &bytes_mut_t) -> Raw {
    // SAFETY: as for `raw_b`.
    unsafe { transmute_copy(m) }
}

/// A handle made of `words`: used to fill out-parameters with garbage
/// before a call, to see that the call really writes them.
pub fn b_from_raw(words: Raw) -> bytes_t {
    // SAFETY: four plain words; the value is only ever overwritten by the
    // library or compared, never used as a handle.
    unsafe { transmute_copy(&words) }
}

/// As `b_from_raw`, for `bytes_mut_t`.
pub fn m_from_raw(words: Raw) -> bytes_mut_t {
    // SAFETY: as for `b_from_raw`.
    unsafe { transmute_copy(&words) }
}

/// What an out-parameter holds before the call: not a handle. A call that
/// returns without writing it leaves this, which no check accepts.
pub const GARBAGE: Raw = [0xA5A5_A5A5_A5A5_A5A5; 4];

/// The all-zero (empty) handle.
pub const ZERO: Raw = [0; 4];

/// The header's `""` for an empty `bytes_t` whose pointer field is NULL.
static EMPTY_VIEW: u8 = 0;

/// `bytes_ptr(b)`: never NULL.
pub fn bytes_ptr(b: &bytes_t) -> *const u8 {
    let p = raw_b(b)[0] as *const u8;
    if p.is_null() {
        &EMPTY_VIEW
    } else {
        p
    }
}

/// `bytes_len(b)`.
pub fn bytes_len(b: &bytes_t) -> usize {
    raw_b(b)[1]
}

/// The bytes `*b` views.
///
/// # Safety
/// `b` is a live handle (its storage not released).
pub unsafe fn bytes_view(b: &bytes_t) -> &[u8] {
    // SAFETY: the library promises `bytes_len` readable bytes at
    // `bytes_ptr` while the handle is held (rule 6).
    unsafe { std::slice::from_raw_parts(bytes_ptr(b), bytes_len(b)) }
}

/// The raw pointer field of a `bytes_mut_t`: NULL without storage (where
/// `bytes_mut_ptr` returns a private static byte instead).
pub fn mut_ptr_field(m: &bytes_mut_t) -> usize {
    raw_m(m)[0]
}

/// `bytes_mut_len(m)`.
pub fn mut_len(m: &bytes_mut_t) -> usize {
    raw_m(m)[1]
}

/// `bytes_mut_capacity(m)`.
pub fn mut_cap(m: &bytes_mut_t) -> usize {
    raw_m(m)[2]
}

/// The written bytes of `*m`.
///
/// # Safety
/// `m` is a live buffer.
pub unsafe fn mut_view(m: &bytes_mut_t) -> &[u8] {
    let p = mut_ptr_field(m) as *const u8;
    if p.is_null() {
        return &[];
    }
    // SAFETY: `bytes_mut_len` written bytes at `bytes_mut_ptr`.
    unsafe { std::slice::from_raw_parts(p, mut_len(m)) }
}
