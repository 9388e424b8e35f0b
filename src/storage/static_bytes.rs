//! Static storage: bytes that live for the whole program (string literals,
//! constant tables). Handles of it hold no reference: cloning and dropping
//! do nothing and allocate nothing.

use std::ffi::c_void;

use crate::vtable::Vtable;

/// The vtable of static bytes.
pub static STATIC_VTABLE: Vtable = Vtable::new(static_clone, static_drop, None, c"static");

unsafe extern "C" fn static_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    data
}

unsafe extern "C" fn static_drop(_data: *mut c_void, _ptr: *const u8, _len: usize) {}
