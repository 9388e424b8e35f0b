//! Custom vtables: foreign storage that counts its own references. The
//! handle points straight at the caller's vtable and data; the library
//! calls the vtable's `clone` for every new handle and `drop` for every
//! dropped one, and allocates nothing.

use std::ffi::c_void;

use crate::vtable::Vtable;
use crate::Bytes;

/// Wraps `len` bytes at `ptr`, taking over one of the caller's references
/// to `data`, without allocating. An empty view gives the reference back
/// at once (`drop(data, ptr, 0)`) and an empty handle: there is nothing to
/// view.
///
/// # Safety
/// `vtable` [is complete](Vtable::is_complete) and outlives every handle
/// made with it; `ptr[..len]` is initialised and stays valid and unchanged
/// while a reference to `data` is held; the callbacks may run on any
/// thread.
pub unsafe fn wrap(ptr: *const u8, len: usize, data: *mut c_void, vtable: &Vtable) -> Bytes {
    // SAFETY: by the contract above.
    let bytes = unsafe { Bytes::from_parts(ptr, len, data, vtable) };
    if len == 0 {
        return Bytes::new(); // `bytes` drops the reference.
    }
    bytes
}
