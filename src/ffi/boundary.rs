//! The panic boundary and the pointer checks every export shares.

use std::panic::{self, AssertUnwindSafe};

use crate::ffi::status::bytes_status_t;

/// Runs the body of an exported function; if it panics, returns
/// `on_panic` instead, so that no unwind reaches C. The core is written not
/// to panic: this is the backstop for a bug, which C then sees as
/// `on_panic` (for status functions, `BYTES_ERR_INTERNAL`, so that a
/// caller can tell a library bug from its own mistake).
pub(crate) fn guard<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// The same for functions returning a status.
pub(crate) fn guard_status(body: impl FnOnce() -> Result<(), bytes_status_t>) -> bytes_status_t {
    guard(bytes_status_t::BYTES_ERR_INTERNAL, || match body() {
        Ok(()) => bytes_status_t::BYTES_OK,
        Err(status) => status,
    })
}

/// The same for functions that also report a count (bytes read or
/// written) in the out-parameter `count`: NULL `count` is
/// `BYTES_ERR_NULL`; otherwise `*count` receives what `body` counted, or 0
/// when it fails.
///
/// # Safety
/// `count` is NULL or valid for writing a `size_t`.
pub(crate) unsafe fn guard_count(
    count: *mut usize,
    body: impl FnOnce() -> Result<usize, bytes_status_t>,
) -> bytes_status_t {
    guard_status(|| {
        if count.is_null() {
            return Err(bytes_status_t::BYTES_ERR_NULL);
        }
        let result = body();
        // SAFETY: `count` is non-NULL and writable (contract above).
        unsafe { count.write(*result.as_ref().unwrap_or(&0)) };
        result.map(drop)
    })
}

/// The bytes at `(ptr, len)` as a slice, under rule 5: (NULL, 0) is empty,
/// NULL with a non-zero length is `BYTES_ERR_NULL`. A length no object can
/// have (over `isize::MAX`) is `BYTES_ERR_NOMEM`, the contract's code for
/// a size that overflows.
///
/// # Safety
/// A non-NULL `ptr` is valid for reading `len` bytes for `'a`.
pub(crate) unsafe fn slice_arg<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], bytes_status_t> {
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(bytes_status_t::BYTES_ERR_NULL) };
    }
    if len > isize::MAX as usize {
        return Err(bytes_status_t::BYTES_ERR_NOMEM);
    }
    // SAFETY: non-NULL, `len` fits an object, and the caller promises the
    // bytes are readable for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}
