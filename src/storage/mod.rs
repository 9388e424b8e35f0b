//! The storage kinds behind [`Bytes`](crate::Bytes), each a
//! [`Vtable`](crate::vtable::Vtable):
//!
//! - [`static_bytes`]: memory that lives forever; no count, no allocation.
//! - [`heap`]: the library's own storage, one allocation holding the shared
//!   header and the bytes together.
//! - [`malloc`]: a block from C's `malloc` adopted without a copy, `free()`d
//!   by the last handle.
//! - [`owner`]: foreign memory whose owner is released by the last handle.
//! - [`mapped`]: a file mapped read-only, unmapped by the last handle.
//! - [`custom`]: foreign storage counting its own references through the
//!   caller's vtable.
//!
//! The library's counted kinds share [`refcount::RefCount`], the one place
//! where the atomic orderings of sharing and releasing are decided;
//! `malloc`, `owner` and `mapped` also share their header
//! ([`counted`]).

pub(crate) mod counted;
pub mod custom;
pub mod heap;
pub mod malloc;
pub mod mapped;
pub mod owner;
pub(crate) mod refcount;
pub mod static_bytes;

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use crate::Error;

/// Moves `value` into a new allocation of its own, reporting failure
/// instead of aborting (as `Box::new` would); on failure `value` is handed
/// back.
pub(crate) fn try_box<T>(value: T) -> Result<NonNull<T>, (Error, T)> {
    const {
        assert!(
            std::mem::size_of::<T>() != 0,
            "headers are never zero-sized"
        )
    };
    let layout = Layout::new::<T>();
    // SAFETY: the layout has a non-zero size (asserted at compile time).
    let Some(ptr) = NonNull::new(unsafe { alloc::alloc(layout) } as *mut T) else {
        return Err((Error::NoMem, value));
    };
    // SAFETY: `ptr` is a fresh allocation of `T`'s layout, valid for writes.
    unsafe { ptr.as_ptr().write(value) };
    Ok(ptr)
}

/// Moves the value out of an allocation made by [`try_box`] and frees it.
///
/// # Safety
/// `ptr` came from `try_box::<T>` and is not used afterwards.
pub(crate) unsafe fn free_box<T>(ptr: NonNull<T>) -> T {
    // SAFETY: by the contract above, `ptr` holds a live `T` in an
    // allocation of `Layout::new::<T>()`, which nothing uses afterwards.
    unsafe {
        let value = ptr.as_ptr().read();
        alloc::dealloc(ptr.as_ptr() as *mut u8, Layout::new::<T>());
        value
    }
}

#[cfg(test)]
mod tests;
