//! The C handles `bytes_t` and `bytes_mut_t`, and the conversions between
//! them and the core's [`Bytes`] and [`BytesMut`].
//!
//! Each C handle is its core type as C sees it: the same four words in the
//! same order, with private field names. The conversions reinterpret
//! pointers, so passing a handle in or out moves no bits and costs nothing.

use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::{mem, ptr, slice};

use crate::ffi::status::bytes_status_t;
use crate::{Bytes, BytesMut};

/// A shared, immutable view of bytes: four pointer-sized words (32 bytes on
/// 64-bit targets, 16 on 32-bit ones), stored by value wherever the caller
/// likes (stack, struct, array). The fields are private: read the view
/// with `bytes_ptr` and `bytes_len`.
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

/// A unique, growable buffer: four pointer-sized words like `bytes_t`,
/// stored by value like it. The fields are private: use `bytes_mut_ptr`,
/// `bytes_mut_len` and `bytes_mut_capacity`.
///
/// All zero (`bytes_mut_t m = {0};`) is a valid empty buffer without
/// storage; the first write allocates. Moving is a bitwise copy, after
/// which only one copy may be used; a buffer is never shared (split it or
/// freeze it instead).
#[repr(C)]
pub struct bytes_mut_t {
    _ptr: *mut u8,
    _len: usize,
    _cap: usize,
    _data: *mut c_void,
}

/// A C handle and the core type it mirrors.
///
/// # Safety
/// `Self` and `Core` have the same size, alignment and field order, and the
/// all-zero `Self` is `Core::default()`.
pub(crate) unsafe trait Handle {
    type Core: Default;
}

// SAFETY: asserted below (size, alignment); the field orders are written
// to match, and the core documents that all-zero is its empty value.
unsafe impl Handle for bytes_t {
    type Core = Bytes;
}
// SAFETY: as above.
unsafe impl Handle for bytes_mut_t {
    type Core = BytesMut;
}

/// Four pointer-sized words, aligned as a pointer, as the header asserts.
const WORDS: usize = 4 * mem::size_of::<usize>();
const WORD_ALIGN: usize = mem::align_of::<usize>();
const _: () = assert!(mem::size_of::<bytes_t>() == WORDS && mem::size_of::<Bytes>() == WORDS);
const _: () = assert!(mem::align_of::<bytes_t>() == WORD_ALIGN && mem::align_of::<Bytes>() == WORD_ALIGN);
const _: () = assert!(mem::size_of::<bytes_mut_t>() == WORDS && mem::size_of::<BytesMut>() == WORDS);
const _: () =
    assert!(mem::align_of::<bytes_mut_t>() == WORD_ALIGN && mem::align_of::<BytesMut>() == WORD_ALIGN);

/// The caller's handle at `h` as its core type, or `None` for NULL.
///
/// # Safety
/// A non-NULL `h` points at a handle the library made (or an all-zero
/// one) that stays valid, and that nothing mutates, for `'a`.
pub(crate) unsafe fn borrow<'a, H: Handle>(h: *const H) -> Option<&'a H::Core> {
    // SAFETY: same layout (`Handle`); validity by the contract above.
    unsafe { (h as *const H::Core).as_ref() }
}

/// The same as [`borrow`], for functions that change the handle.
///
/// # Safety
/// As for [`borrow`], and the caller has exclusive access to `*h` (rule 8).
pub(crate) unsafe fn borrow_mut<'a, H: Handle>(h: *mut H) -> Option<&'a mut H::Core> {
    // SAFETY: same layout (`Handle`); validity by the contract above.
    unsafe { (h as *mut H::Core).as_mut() }
}

/// The caller's array of `n` handles at `h` as a slice of their core type,
/// built from the raw pointer itself (a slice made from a reference to the
/// first handle would only be allowed to reach that one). Under rule 5,
/// (NULL, 0) is an empty slice and NULL with a non-zero `n` is
/// `BYTES_ERR_NULL`; an `n` no array can have is `BYTES_ERR_NOMEM`.
///
/// # Safety
/// A non-NULL `h` points at `n` handles the library made (or all-zero
/// ones) that stay valid, and that nothing mutates, for `'a`.
pub(crate) unsafe fn borrow_array<'a, H: Handle>(
    h: *const H,
    n: usize,
) -> Result<&'a [H::Core], bytes_status_t> {
    let h = array_start(h as *mut H, n)?;
    // SAFETY: non-NULL (or dangling for n == 0), aligned, `n` valid
    // handles of the same layout as `H::Core` (`Handle`; contract above).
    Ok(unsafe { slice::from_raw_parts(h as *const H::Core, n) })
}

/// The same as [`borrow_array`], for functions that change the handles.
///
/// # Safety
/// As for [`borrow_array`], and the caller has exclusive access to the
/// `n` handles (rule 8).
pub(crate) unsafe fn borrow_array_mut<'a, H: Handle>(
    h: *mut H,
    n: usize,
) -> Result<&'a mut [H::Core], bytes_status_t> {
    let h = array_start(h, n)?;
    // SAFETY: as for `borrow_array`, with exclusive access.
    Ok(unsafe { slice::from_raw_parts_mut(h as *mut H::Core, n) })
}

/// The caller's out-array of `n` handles at `h`, to be written (its old
/// contents are outputs only, never read or dropped). Errors as for
/// [`borrow_array`].
///
/// # Safety
/// A non-NULL `h` is valid for writing `n` handles, exclusively, for `'a`.
pub(crate) unsafe fn out_array<'a, H: Handle>(
    h: *mut H,
    n: usize,
) -> Result<&'a mut [MaybeUninit<H::Core>], bytes_status_t> {
    let h = array_start(h, n)?;
    // SAFETY: writable for `n` handles (contract above); `MaybeUninit`
    // claims nothing about the bytes there.
    Ok(unsafe { slice::from_raw_parts_mut(h as *mut MaybeUninit<H::Core>, n) })
}

/// The start of an array of `n` handles at `h` under rule 5: a dangling,
/// aligned pointer for (NULL, 0), `BYTES_ERR_NULL` for NULL with `n > 0`,
/// `BYTES_ERR_NOMEM` when `n` handles would exceed `PTRDIFF_MAX` bytes.
fn array_start<H: Handle>(h: *mut H, n: usize) -> Result<*mut H, bytes_status_t> {
    match (h.is_null(), n) {
        (true, 0) => Ok(ptr::NonNull::dangling().as_ptr()),
        (true, _) => Err(bytes_status_t::BYTES_ERR_NULL),
        (false, _) if n > isize::MAX as usize / mem::size_of::<H>() => Err(bytes_status_t::BYTES_ERR_NOMEM),
        (false, _) => Ok(h),
    }
}

/// Moves the caller's handle at `h` out, leaving it empty (all zero); `None`
/// for NULL. For functions that consume a handle (rule 3).
///
/// # Safety
/// As for [`borrow_mut`].
pub(crate) unsafe fn take<H: Handle>(h: *mut H) -> Option<H::Core> {
    // SAFETY: as for `borrow_mut`.
    unsafe { borrow_mut(h) }.map(mem::take)
}

/// Writes `value` to the out-parameter `out`; whatever `out` held before
/// is overwritten, not dropped (out-parameters are outputs only).
///
/// # Safety
/// `out` is non-NULL and valid for writing an `H`.
pub(crate) unsafe fn write_out<H: Handle>(out: *mut H, value: H::Core) {
    // SAFETY: same layout (`Handle`); `out` is writable (contract above).
    unsafe { (out as *mut H::Core).write(value) }
}

/// A core value as a C handle, returned by value.
pub(crate) fn into_handle<H: Handle>(value: H::Core) -> H {
    let value = mem::ManuallyDrop::new(value);
    // SAFETY: same layout (`Handle`); the value's ownership moves to the
    // returned bits, and `ManuallyDrop` keeps it from being dropped here.
    unsafe { ptr::read(&*value as *const H::Core as *const H) }
}

impl bytes_t {
    /// The empty handle: all bits zero.
    pub(crate) const EMPTY: bytes_t =
        bytes_t { _ptr: ptr::null(), _len: 0, _data: ptr::null_mut(), _vtable: ptr::null() };
}

impl bytes_mut_t {
    /// The empty buffer: all bits zero.
    pub(crate) const EMPTY: bytes_mut_t =
        bytes_mut_t { _ptr: ptr::null_mut(), _len: 0, _cap: 0, _data: ptr::null_mut() };
}
