//! The one vtable mechanism behind every storage kind.
//!
//! A [`Bytes`](crate::Bytes) handle is four words: a view (`ptr`, `len`), an
//! opaque `data` word and a pointer to a [`Vtable`]. Cloning, slicing and
//! dropping a handle call through the vtable; the handle itself never
//! allocates.
//!
//! The vtable is `#[repr(C)]` with `extern "C"` entries on purpose: it *is*
//! the C type `bytes_vtable_t`. The library's own kinds (static, heap,
//! adopted `malloc`, owners, mapped files) are vtables of exactly the
//! layout that C callers fill in for foreign storage with its own
//! reference count, so a foreign handle points straight at the caller's
//! vtable and data, and cloning it allocates nothing: there is no adapter
//! object to allocate.

use std::ffi::{c_char, c_void, CStr};
use std::mem;

/// The operations of a foreign storage that counts its own references (a
/// pool slot, a `std::shared_ptr`, a NIC ring buffer), for
/// `bytes_from_vtable`. The library calls them instead of touching `data`
/// itself, so cloning and slicing such bytes allocate nothing. The vtable
/// must outlive every handle made with it. Callbacks may run on any
/// thread, concurrently for handles of one storage.
///
/// Every callback must return normally: a C++ exception or a `longjmp` out
/// of one, through the library, is undefined behaviour (rule 10); catch
/// inside (C++: make them `noexcept`). After `drop` returns, the library
/// does not touch the dropped handle again, so the handle may live in the
/// memory that `drop` frees.
#[repr(C)]
#[derive(Debug)]
pub struct Vtable {
    /// `sizeof(bytes_vtable_t)` as the caller was compiled: lets the struct
    /// grow compatibly. Smaller than this first version is invalid; larger
    /// (a newer caller) is accepted and the extra fields ignored.
    pub struct_size: usize,
    /// Required. Makes a new reference for a new handle (a clone, slice or
    /// split of the handle viewing `ptr[..len]`) and returns the `data` for
    /// it, usually `data` itself. Cannot fail: a storage that may fail to
    /// make a reference cannot use a vtable. Must not unwind or `longjmp`.
    pub clone: Option<unsafe extern "C" fn(data: *mut c_void, ptr: *const u8, len: usize) -> *mut c_void>,
    /// Required. One reference is gone: that of the handle viewing
    /// `ptr[..len]`, which was dropped (and already emptied: a `drop` that
    /// drops the same handle again does nothing). Must not unwind or
    /// `longjmp`.
    pub drop: Option<unsafe extern "C" fn(data: *mut c_void, ptr: *const u8, len: usize)>,
    /// Optional (NULL: never unique). Whether the handle holding `data` is
    /// its storage's only reference; answers `bytes_is_unique` only. Must
    /// not unwind or `longjmp`.
    pub is_unique: Option<unsafe extern "C" fn(data: *mut c_void) -> bool>,
    /// Optional: a NUL-terminated name for debugging.
    pub name: *const c_char,
}

// SAFETY: a vtable is immutable after construction: function pointers and a
// pointer to an immutable string. Sharing it between threads reads only.
unsafe impl Sync for Vtable {}

/// The `struct_size` of the first version of the vtable.
pub const VTABLE_V1_SIZE: usize = mem::size_of::<Vtable>();

impl Vtable {
    /// A vtable of the library's own, built at compile time.
    pub(crate) const fn new(
        clone: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> *mut c_void,
        drop: unsafe extern "C" fn(*mut c_void, *const u8, usize),
        is_unique: Option<unsafe extern "C" fn(*mut c_void) -> bool>,
        name: &'static CStr,
    ) -> Vtable {
        Vtable {
            struct_size: VTABLE_V1_SIZE,
            clone: Some(clone),
            drop: Some(drop),
            is_unique,
            name: name.as_ptr(),
        }
    }

    /// Whether a handle may be built over this vtable: it is at least the
    /// first version's size and has `clone` and `drop`.
    pub fn is_complete(&self) -> bool {
        self.struct_size >= VTABLE_V1_SIZE && self.clone.is_some() && self.drop.is_some()
    }
}
