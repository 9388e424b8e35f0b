//! The one vtable mechanism behind every storage kind.
//!
//! A [`Bytes`](crate::Bytes) handle is four words: a view (`ptr`, `len`), an
//! opaque `data` word and a pointer to a [`Vtable`]. Cloning, slicing and
//! dropping a handle call through the vtable; the handle itself never
//! allocates.
//!
//! The vtable is `#[repr(C)]` with `extern "C"` entries on purpose: the
//! library's own kinds (static, heap, adopted `malloc`) use exactly the
//! layout that C callers fill in for foreign storage with its own reference
//! count (`bytes_vtable_t`). A foreign handle then points straight at the
//! caller's vtable and its data, and cloning it allocates nothing: there is
//! no adapter object to allocate.
//!
//! Threads: every entry may be called on any thread, concurrently for
//! handles that share one storage.

use std::ffi::{c_char, c_void};

/// Makes a new reference for a handle viewing `ptr[..len]` of the storage
/// `data`, and returns the `data` word for the new handle.
pub type CloneFn =
    unsafe extern "C" fn(data: *mut c_void, ptr: *const u8, len: usize) -> *mut c_void;
/// Releases the reference of a handle that viewed `ptr[..len]` of `data`.
pub type DropFn = unsafe extern "C" fn(data: *mut c_void, ptr: *const u8, len: usize);
/// Whether the handle holding `data` is the only reference to its storage.
pub type IsUniqueFn = unsafe extern "C" fn(data: *mut c_void) -> bool;

/// The operations of one storage kind.
///
/// The entries are `Option`s because C callers may leave them NULL; the
/// library's own vtables fill `clone` and `drop` always, and a handle is
/// only ever built over a vtable whose `clone` and `drop` are set.
#[repr(C)]
#[derive(Debug)]
pub struct Vtable {
    /// `size_of::<Vtable>()` for the version the vtable was written for, so
    /// the struct can grow compatibly.
    pub struct_size: usize,
    /// See [`CloneFn`].
    pub clone: Option<CloneFn>,
    /// See [`DropFn`].
    pub drop: Option<DropFn>,
    /// See [`IsUniqueFn`]; `None` means never unique.
    pub is_unique: Option<IsUniqueFn>,
    /// A NUL-terminated name for debugging, or NULL.
    pub name: *const c_char,
}

// SAFETY: a vtable is immutable after construction: function pointers and a
// pointer to an immutable string. Sharing it between threads reads only.
unsafe impl Sync for Vtable {}

impl Vtable {
    /// A vtable of the library's own, built at compile time.
    pub(crate) const fn new(
        clone: CloneFn,
        drop: DropFn,
        is_unique: Option<IsUniqueFn>,
        name: &'static std::ffi::CStr,
    ) -> Vtable {
        Vtable {
            struct_size: std::mem::size_of::<Vtable>(),
            clone: Some(clone),
            drop: Some(drop),
            is_unique,
            name: name.as_ptr(),
        }
    }
}
