//! Foreign memory with an owner: bytes that belong to someone else (a
//! pool, a C++ object, a receive ring), viewed without a copy. The library
//! counts the references and calls the owner's `release(owner)` exactly
//! once, on the thread that drops the last handle.
//!
//! One header is allocated when the memory is wrapped
//! ([`counted`](super::counted)); clones and slices allocate nothing.

use std::ffi::c_void;

use crate::storage::counted::{self, Resource};
use crate::storage::Kind;
use crate::{Bytes, Error};

/// The owner's release function.
pub type ReleaseFn = unsafe extern "C" fn(owner: *mut c_void);

/// An owner and its release function.
pub(crate) struct Owner {
    owner: *mut c_void,
    release: ReleaseFn,
}

// SAFETY: the contract of `wrap`: `release` may run on any thread.
unsafe impl Send for Owner {}
// SAFETY: nothing reads through `&Owner`.
unsafe impl Sync for Owner {}

impl Resource for Owner {
    fn release(self) {
        // SAFETY: the caller of `wrap` handed over one reference to
        // `owner`, given back here once.
        unsafe { (self.release)(self.owner) };
    }
}

/// Wraps `len` bytes at `ptr`, which `owner` keeps alive until
/// `release(owner)`. On success the handle holds the owner's reference;
/// on failure (the header could not be allocated) the caller still does,
/// and `release` is not called. An empty view releases the owner at once
/// and gives an empty handle: there is nothing to view.
///
/// # Safety
/// `ptr[..len]` is initialised and stays valid and unchanged until
/// `release(owner)` runs; `release` may be called on any thread.
pub unsafe fn wrap(
    ptr: *const u8,
    len: usize,
    owner: *mut c_void,
    release: ReleaseFn,
) -> Result<Bytes, Error> {
    let owner = Owner { owner, release };
    if len == 0 {
        owner.release();
        return Ok(Bytes::new());
    }
    // SAFETY: the view is valid until the owner is released (contract).
    unsafe { counted::wrap(ptr, len, owner, Kind::Owner) }.map_err(|(error, _unreleased)| error)
}
