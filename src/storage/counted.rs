//! Counted storage whose bytes live outside the library's heap blocks: a
//! small header, allocated once when the storage is wrapped, holds the
//! reference count, the extent of the bytes, and the resource to release
//! when the last handle drops (a `malloc` block, a foreign owner, a file
//! mapping).
//!
//! The header is allocated eagerly, for the reason given in
//! [`heap`](super::heap): clones must not be able to fail. Each kind is a
//! [`Resource`] and a [`Kind`].

use std::ffi::c_void;
use std::ptr::{self, NonNull};

use crate::storage::refcount::RefCount;
use crate::storage::{free_box, try_box, Kind};
use crate::{Bytes, Error};

/// What a counted storage releases when its last handle drops.
///
/// Implementors have no `Drop`: a resource dropped without `release` (when
/// wrapping it failed) stays its owner's, untouched.
pub(crate) trait Resource: Send + Sync + Sized + 'static {
    /// Releases the resource. Runs exactly once, on the thread that drops
    /// the last handle.
    fn release(self);
}

/// The part of the header that does not depend on the kind; `#[repr(C)]`
/// with the count first, as `storage::refcount` reads it.
#[repr(C)]
struct Prefix {
    refcount: RefCount,
    /// The bytes the storage was made with, for `Bytes::compact`.
    start: *const u8,
    len: usize,
}

/// `#[repr(C)]` with the prefix first, so that every kind's header can be
/// read as a [`Prefix`].
#[repr(C)]
struct Header<R> {
    prefix: Prefix,
    resource: R,
}

/// A handle over `start[..len]` that releases `resource` when its last
/// clone drops. On failure (the header cannot be allocated) `resource` is
/// handed back unreleased, so the caller keeps ownership.
///
/// # Safety
/// `start[..len]` is initialised and stays valid and unchanged until
/// `resource` is released; `kind` is the kind whose `destroy` releases an
/// `R`.
pub(crate) unsafe fn wrap<R: Resource>(
    start: *const u8,
    len: usize,
    resource: R,
    kind: Kind,
) -> Result<Bytes, (Error, R)> {
    let header = Header { prefix: Prefix { refcount: RefCount::one(), start, len }, resource };
    match try_box(header) {
        Ok(header) => {
            // SAFETY: the handle takes the header's one reference; the view
            // is valid until the resource is released (contract above).
            Ok(unsafe { Bytes::from_parts(start, len, header.as_ptr() as *mut c_void, kind.vtable()) })
        }
        Err((error, header)) => Err((error, header.resource)),
    }
}

/// Whether `ptr[..len]` is all of the storage's bytes.
///
/// # Safety
/// `data` is the header of a live handle of a counted kind.
pub(crate) unsafe fn views_whole(data: *mut c_void, ptr: *const u8, len: usize) -> bool {
    // SAFETY: by the contract above; every header starts with a `Prefix`.
    let prefix = unsafe { prefix(data) };
    ptr::eq(prefix.start, ptr) && prefix.len == len
}

/// # Safety
/// `data` is a live header of a counted kind on which the calling handle
/// holds a reference.
unsafe fn prefix<'a>(data: *mut c_void) -> &'a Prefix {
    // SAFETY: see above; the reference keeps the header alive.
    unsafe { &*(data as *const Prefix) }
}

/// Frees the header `data` of kind `R` and releases its resource, once its
/// count reached zero.
///
/// # Safety
/// The last reference was released; nothing uses the storage again.
pub(crate) unsafe fn destroy<R: Resource>(data: *mut c_void) {
    // SAFETY: nothing else can reach the header, which `wrap` made with
    // `try_box`.
    let header = unsafe { free_box(NonNull::new_unchecked(data as *mut Header<R>)) };
    header.resource.release();
}
