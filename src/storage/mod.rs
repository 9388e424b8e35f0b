//! The storage kinds behind [`Bytes`](crate::Bytes), each a
//! [`Vtable`](crate::vtable::Vtable):
//!
//! - static: memory that lives forever; no count, no allocation
//!   ([`Kind::Static`], nothing more to it).
//! - [`heap`]: the library's own storage, one allocation holding the shared
//!   header and the bytes together.
//! - [`malloc`]: a block from C's `malloc` adopted without a copy, `free()`d
//!   by the last handle.
//! - [`owner`]: foreign memory whose owner is released by the last handle.
//! - [`mapped`]: a file mapped read-only, unmapped by the last handle.
//! - [`custom`]: foreign storage counting its own references through the
//!   caller's vtable.
//!
//! The library's own kinds ([`Kind`]) keep their vtables in one array, so
//! a handle's kind is found from its vtable address with one subtraction
//! and comparison, and `Bytes` handles them inline: cloning, slicing and
//! dropping them makes no call through the vtable (measured with callgrind,
//! `bytes_clone` + `bytes_drop` from C with the loop around them: heap
//! storage 67 -> 53 instructions, static bytes 64 -> 44; the crate `bytes`
//! takes 41 and 24 inlined into Rust). Custom vtables are called. The
//! counted kinds share [`refcount::RefCount`], the one place where the
//! atomic orderings of sharing and releasing are decided, at the start of
//! every header; `malloc`, `owner` and `mapped` also share their header
//! ([`counted`]).

pub(crate) mod counted;
pub mod custom;
pub mod heap;
pub mod malloc;
pub mod mapped;
pub mod owner;
pub(crate) mod refcount;

use std::ffi::c_void;
use std::mem;
use std::ptr::NonNull;

use crate::storage::refcount::RefCount;
use crate::vtable::Vtable;
use crate::Error;

/// The library's own storage kinds, in the order of [`OWN_VTABLES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Static,
    Heap,
    Malloc,
    Owner,
    Mapped,
}

/// The vtables of the own kinds, indexed by [`Kind`]. `Bytes` handles
/// these kinds inline; the entries give the same behaviour to anyone who
/// calls through the vtable, as a vtable must.
///
/// Exported as `bytes__own_vtables` for `include/bytes_inline.h`, whose
/// static inline fast paths recognise the own kinds by address as this
/// crate does: entry 0 is static bytes (no count), the others are counted
/// kinds whose `data` points at the count ([`refcount`]). Part of the ABI
/// that header freezes (its comment says what, and when the soname moves).
#[export_name = "bytes__own_vtables"]
static OWN_VTABLES: [Vtable; 5] = [
    Vtable::new(static_clone, static_drop, None, c"static"),
    own_vtable::<{ Kind::Heap as usize }>(c"heap"),
    own_vtable::<{ Kind::Malloc as usize }>(c"malloc"),
    own_vtable::<{ Kind::Owner as usize }>(c"owner"),
    own_vtable::<{ Kind::Mapped as usize }>(c"mapped"),
];

impl Kind {
    const ALL: [Kind; 5] = [Kind::Static, Kind::Heap, Kind::Malloc, Kind::Owner, Kind::Mapped];

    /// This kind's vtable.
    pub(crate) const fn vtable(self) -> &'static Vtable {
        &OWN_VTABLES[self as usize]
    }

    /// The own kind whose vtable is `vtable`, or `None` for a custom
    /// vtable or NULL.
    #[inline]
    pub(crate) fn of(vtable: *const Vtable) -> Option<Kind> {
        Kind::at_offset(Class::offset(vtable))
    }

    /// The own kind whose vtable lies `offset` bytes into the array
    /// ([`Class::offset`]), or `None`.
    #[inline]
    pub(crate) fn at_offset(offset: usize) -> Option<Kind> {
        Kind::ALL.get(offset / mem::size_of::<Vtable>()).copied()
    }

    /// Frees the storage whose header is `data`, once its count reached
    /// zero.
    ///
    /// # Safety
    /// The last reference to the storage, of this counted kind, was
    /// released; nothing uses the storage again.
    #[cold]
    #[inline(never)]
    pub(crate) unsafe fn destroy(self, data: *mut c_void) {
        // SAFETY: by the contract above.
        unsafe {
            match self {
                Kind::Static => {}
                Kind::Heap => heap::destroy(data),
                Kind::Malloc => counted::destroy::<malloc::MallocBlock>(data),
                Kind::Owner => counted::destroy::<owner::Owner>(data),
                Kind::Mapped => counted::destroy::<mapped::Mapping>(data),
            }
        }
    }
}

/// What the hot paths (clone, slice, drop) need to know of a storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Static bytes: no count.
    Static,
    /// A counted own kind: the count is at the start of `data`.
    Counted,
    /// A custom vtable, or NULL (the all-zero handle).
    Custom,
}

impl Class {
    /// The class of the storage whose vtable is `vtable`: two comparisons
    /// of its address, no division and no memory access.
    #[inline]
    pub(crate) fn of(vtable: *const Vtable) -> Class {
        Class::at_offset(Class::offset(vtable))
    }

    /// The offset of `vtable` from the own kinds' array: 0 for static
    /// bytes, below the array's size for the counted kinds, anything else
    /// for custom vtables and NULL.
    #[inline]
    pub(crate) fn offset(vtable: *const Vtable) -> usize {
        (vtable as usize).wrapping_sub(OWN_VTABLES.as_ptr() as usize)
    }

    /// The class of the vtable at `offset` ([`Class::offset`]).
    #[inline]
    pub(crate) fn at_offset(offset: usize) -> Class {
        if offset == 0 {
            Class::Static
        } else if offset < mem::size_of_val(&OWN_VTABLES) {
            Class::Counted
        } else {
            Class::Custom
        }
    }
}

/// The count of a storage of a counted own kind: every counted header
/// (`heap::Header`, `counted::Prefix`) is `#[repr(C)]` with its count
/// first.
///
/// # Safety
/// `data` is the header of a live storage of a counted own kind.
#[inline]
pub(crate) unsafe fn refcount<'a>(data: *mut c_void) -> &'a RefCount {
    // SAFETY: by the contract above.
    unsafe { &*(data as *const RefCount) }
}

unsafe extern "C" fn static_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    data
}

unsafe extern "C" fn static_drop(_data: *mut c_void, _ptr: *const u8, _len: usize) {}

/// The vtable of the counted own kind `K`.
const fn own_vtable<const K: usize>(name: &'static std::ffi::CStr) -> Vtable {
    Vtable::new(counted_clone, counted_drop::<K>, Some(counted_is_unique), name)
}

/// # Safety (the three entries)
/// `data` is the header of a live storage of a counted own kind, on which
/// the calling handle holds a reference (vtable contract).
unsafe extern "C" fn counted_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    // SAFETY: see above.
    unsafe { refcount(data) }.increment();
    data
}

unsafe extern "C" fn counted_drop<const K: usize>(data: *mut c_void, _ptr: *const u8, _len: usize) {
    // SAFETY: see above; after the last release nothing else uses `data`.
    unsafe {
        if refcount(data).release() {
            Kind::ALL[K].destroy(data);
        }
    }
}

unsafe extern "C" fn counted_is_unique(data: *mut c_void) -> bool {
    // SAFETY: see above.
    unsafe { refcount(data) }.is_unique()
}

/// Moves `value` into a new `malloc` allocation of its own, reporting
/// failure instead of aborting (as `Box::new` would); on failure `value` is
/// handed back.
pub(crate) fn try_box<T>(value: T) -> Result<NonNull<T>, (Error, T)> {
    const { assert!(mem::size_of::<T>() != 0 && mem::align_of::<T>() <= 16, "malloc fits headers") };
    // SAFETY: a non-zero size; malloc's alignment (16) suffices for `T`.
    let Some(ptr) = NonNull::new(unsafe { libc::malloc(mem::size_of::<T>()) } as *mut T) else {
        return Err((Error::NoMem, value));
    };
    // SAFETY: `ptr` is a fresh allocation of `T`'s size, valid for writes.
    unsafe { ptr.as_ptr().write(value) };
    Ok(ptr)
}

/// Moves the value out of an allocation made by [`try_box`] and frees it.
///
/// # Safety
/// `ptr` came from `try_box::<T>` and is not used afterwards.
pub(crate) unsafe fn free_box<T>(ptr: NonNull<T>) -> T {
    // SAFETY: by the contract above, `ptr` holds a live `T` in a malloc
    // allocation, which nothing uses afterwards.
    unsafe {
        let value = ptr.as_ptr().read();
        libc::free(ptr.as_ptr() as *mut c_void);
        value
    }
}

#[cfg(test)]
mod tests;
