//! The storage kinds behind [`Bytes`](crate::Bytes), each a
//! [`Vtable`](crate::vtable::Vtable):
//!
//! - [`static_bytes`]: memory that lives forever; no count, no allocation.
//! - [`heap`]: the library's own storage, one allocation holding the shared
//!   header and the bytes together.
//! - [`malloc`]: a block from C's `malloc` adopted without a copy, `free()`d
//!   by the last handle.
//!
//! The counted kinds share [`refcount::RefCount`], the one place where the
//! atomic orderings of sharing and releasing are decided.

pub mod heap;
pub mod malloc;
pub(crate) mod refcount;
pub mod static_bytes;

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use crate::Error;

/// Moves `value` into a new allocation of its own, reporting failure
/// instead of aborting (as `Box::new` would).
pub(crate) fn try_box<T>(value: T) -> Result<NonNull<T>, Error> {
    const {
        assert!(
            std::mem::size_of::<T>() != 0,
            "headers are never zero-sized"
        )
    };
    let layout = Layout::new::<T>();
    // SAFETY: the layout has a non-zero size (asserted at compile time).
    let raw = unsafe { alloc::alloc(layout) } as *mut T;
    let ptr = NonNull::new(raw).ok_or(Error::NoMem)?;
    // SAFETY: `ptr` is a fresh allocation of `T`'s layout, valid for writes.
    unsafe { ptr.as_ptr().write(value) };
    Ok(ptr)
}

/// Drops and frees a value made by [`try_box`].
///
/// # Safety
/// `ptr` came from `try_box::<T>` and is not used afterwards.
pub(crate) unsafe fn free_box<T>(ptr: NonNull<T>) {
    // SAFETY: by the contract above, `ptr` holds a live `T` in an
    // allocation of `Layout::new::<T>()`.
    unsafe {
        ptr.as_ptr().drop_in_place();
        alloc::dealloc(ptr.as_ptr() as *mut u8, Layout::new::<T>());
    }
}
