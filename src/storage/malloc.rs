//! Adopted `malloc` memory: a block that C code allocated with `malloc`,
//! `calloc` or `realloc`, viewed without a copy and `free()`d by the last
//! handle.
//!
//! The block cannot hold our header, so the header is a small allocation of
//! its own, made eagerly when the block is adopted (one allocation), for
//! the same reason as in [`heap`](super::heap): clones must not be able to
//! fail. Measured: adopting a 124-byte block and dropping it costs 35-55 ns
//! in all, of which the header's malloc+free is 11 ns; a lazy header would
//! save that only for buffers that are never cloned or sliced, and an
//! adopted receive buffer is adopted in order to be sliced.

use std::ffi::c_void;
use std::ptr::{self, NonNull};

use crate::storage::refcount::RefCount;
use crate::storage::{free_box, try_box};
use crate::vtable::Vtable;
use crate::{Bytes, Error};

/// The vtable of adopted `malloc` memory.
pub static MALLOC_VTABLE: Vtable =
    Vtable::new(malloc_clone, malloc_drop, Some(malloc_is_unique), c"malloc");

#[derive(Debug)]
struct Header {
    refcount: RefCount,
    /// The adopted block, passed to `free` by the last handle.
    block: NonNull<u8>,
    /// The number of bytes adopted.
    len: usize,
}

/// Adopts `len` bytes at `block`, which `malloc` allocated. On success the
/// returned handle owns the block; on failure (the header could not be
/// allocated) the caller still does. A zero `len` frees the block at once
/// and gives an empty handle: there is nothing to view.
///
/// # Safety
/// `block` came from `malloc`, `calloc` or `realloc`, holds at least `len`
/// initialised bytes, and is not used by the caller after a success.
pub unsafe fn adopt(block: NonNull<u8>, len: usize) -> Result<Bytes, Error> {
    if len == 0 {
        // SAFETY: the caller hands the block over; no handle will view it.
        unsafe { libc::free(block.as_ptr() as *mut c_void) };
        return Ok(Bytes::new());
    }
    let header = try_box(Header {
        refcount: RefCount::one(),
        block,
        len,
    })?;
    // SAFETY: the view is the caller's `len` initialised bytes; the new
    // handle takes the header's one reference.
    Ok(unsafe {
        Bytes::from_parts(
            block.as_ptr(),
            len,
            header.as_ptr() as *mut c_void,
            &MALLOC_VTABLE,
        )
    })
}

/// Whether `ptr[..len]` is the whole adopted block.
///
/// # Safety
/// `data` is the header of a live handle of this kind.
pub(crate) unsafe fn views_whole(data: *mut c_void, ptr: *const u8, len: usize) -> bool {
    // SAFETY: by the contract above.
    let header = unsafe { header(data) };
    ptr::eq(header.block.as_ptr(), ptr) && header.len == len
}

/// # Safety (all three entries)
/// `data` is a live header on which the calling handle holds a reference.
unsafe fn header<'a>(data: *mut c_void) -> &'a Header {
    // SAFETY: see above; the reference keeps the header alive.
    unsafe { &*(data as *const Header) }
}

unsafe extern "C" fn malloc_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    // SAFETY: the caller's handle holds a reference (vtable contract).
    unsafe { header(data) }.refcount.increment();
    data
}

unsafe extern "C" fn malloc_drop(data: *mut c_void, _ptr: *const u8, _len: usize) {
    // SAFETY: the caller's handle holds a reference (vtable contract).
    let header = unsafe { header(data) };
    if header.refcount.release() {
        let block = header.block;
        // SAFETY: that was the last reference: nothing can reach the block
        // or the header any more. The block came from malloc (`adopt`'s
        // contract) and the header from `try_box`.
        unsafe {
            libc::free(block.as_ptr() as *mut c_void);
            free_box(NonNull::new_unchecked(data as *mut Header));
        }
    }
}

unsafe extern "C" fn malloc_is_unique(data: *mut c_void) -> bool {
    // SAFETY: the caller's handle holds a reference (vtable contract).
    unsafe { header(data) }.refcount.is_unique()
}
