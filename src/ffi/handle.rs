//! `bytes_t`, the C handle of [`Bytes`], and the conversions between the
//! two.

use std::ffi::c_void;
use std::mem;

use crate::Bytes;

/// A shared, immutable view of bytes: 32 bytes, stored by value wherever
/// the caller likes (stack, struct, array). The fields are private: read
/// the view with `bytes_ptr` and `bytes_len`.
///
/// All zero (`bytes_t b = {0};`) is a valid empty value. A handle is moved
/// by copying its bits; afterwards only one of the copies may be used and
/// dropped. To share, use `bytes_clone`.
#[repr(C)]
pub struct bytes_t {
    _ptr: *const u8,
    _len: usize,
    _data: *mut c_void,
    _vtable: *const c_void,
}

// `bytes_t` is `Bytes` as C sees it: the same four words in the same order.
const _: () = assert!(mem::size_of::<bytes_t>() == 32 && mem::size_of::<Bytes>() == 32);
const _: () = assert!(mem::align_of::<bytes_t>() == 8 && mem::align_of::<Bytes>() == 8);

impl bytes_t {
    /// The empty handle: all bits zero.
    pub(crate) const EMPTY: bytes_t = bytes_t {
        _ptr: std::ptr::null(),
        _len: 0,
        _data: std::ptr::null_mut(),
        _vtable: std::ptr::null(),
    };

    /// Turns a core handle into a C handle, passing on its reference.
    pub(crate) fn from_core(bytes: Bytes) -> bytes_t {
        // SAFETY: both types are `#[repr(C)]` with the same four fields
        // (asserted above: size and alignment), so this moves the handle's
        // bits, and with them its one reference, unchanged.
        unsafe { mem::transmute::<Bytes, bytes_t>(bytes) }
    }
}

/// The caller's handle at `b` as a core handle, or `None` for NULL.
///
/// # Safety
/// A non-NULL `b` points at a handle the library made (or an all-zero one)
/// that stays valid, and that nothing else mutates, for `'a`.
pub(crate) unsafe fn borrow<'a>(b: *const bytes_t) -> Option<&'a Bytes> {
    // SAFETY: same layout (see `from_core`); validity by the contract above.
    unsafe { (b as *const Bytes).as_ref() }
}

/// The same as [`borrow`], for functions that change the handle.
///
/// # Safety
/// As for [`borrow`], and the caller has exclusive access to `*b` (rule 8).
pub(crate) unsafe fn borrow_mut<'a>(b: *mut bytes_t) -> Option<&'a mut Bytes> {
    // SAFETY: same layout (see `from_core`); validity by the contract above.
    unsafe { (b as *mut Bytes).as_mut() }
}

/// Writes `value` to the out-parameter `out`, which must be valid for
/// writes; whatever `out` held before is overwritten, not dropped (out-
/// parameters are outputs only).
///
/// # Safety
/// `out` is non-NULL and valid for writing a `bytes_t`.
pub(crate) unsafe fn write_out(out: *mut bytes_t, value: Bytes) {
    // SAFETY: by the contract above.
    unsafe { out.write(bytes_t::from_core(value)) }
}
