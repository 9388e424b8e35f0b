//! Every reader and writer of `bytes_t` and `bytes_mut_t` beyond the
//! unsigned ones: signed, floating-point and n-byte integers in both byte
//! orders, as the crate `bytes`' `Buf::get_*` and `BufMut::put_*`. The
//! queue's readers (`bytes_queue_get_*`) use the same helpers.

use crate::buf::{uint_be_bytes, uint_le_bytes, Buf};
use crate::ffi::boundary::guard_status;
use crate::ffi::handle::{borrow_mut, bytes_mut_t, bytes_t, Handle};
use crate::ffi::status::bytes_status::{BYTES_ERR_INVALID, BYTES_ERR_NULL};
use crate::ffi::status::bytes_status_t;
use crate::BytesMut;

/// `nbytes` of an n-byte reader or writer, checked: 1 to 8, else
/// `BYTES_ERR_INVALID`.
pub(crate) fn n_bytes(nbytes: usize) -> Result<usize, bytes_status_t> {
    if (1..=8).contains(&nbytes) {
        Ok(nbytes)
    } else {
        Err(BYTES_ERR_INVALID)
    }
}

/// Reads a value from the front of the handle `src` with `read` and stores
/// it in `*out`; on error `*out` is 0 and (by [`Buf`]'s contract) nothing
/// was consumed.
///
/// # Safety
/// `src` is NULL or a valid handle the caller may change; `out` is NULL or
/// valid for writes.
pub(crate) unsafe fn get<H: Handle, T: Default>(
    src: *mut H,
    out: *mut T,
    read: impl FnOnce(&mut H::Core) -> Result<T, bytes_status_t>,
) -> bytes_status_t
where
    H::Core: Buf,
{
    guard_status(|| {
        if out.is_null() {
            return Err(BYTES_ERR_NULL);
        }
        // SAFETY: `src` is NULL or a valid handle (contract above).
        let result = unsafe { borrow_mut(src) }.ok_or(BYTES_ERR_NULL).and_then(read);
        let (value, status) = match result {
            Ok(value) => (value, Ok(())),
            Err(status) => (T::default(), Err(status)),
        };
        // SAFETY: `out` is non-NULL and valid for writes (contract above).
        unsafe { out.write(value) };
        status
    })
}

/// Appends to the buffer `m` with `write`, which leaves it unchanged on
/// error.
///
/// # Safety
/// `m` is NULL or a valid buffer the caller may change.
unsafe fn put(
    m: *mut bytes_mut_t,
    write: impl FnOnce(&mut BytesMut) -> Result<(), bytes_status_t>,
) -> bytes_status_t {
    guard_status(|| {
        // SAFETY: by the contract above.
        write(unsafe { borrow_mut(m) }.ok_or(BYTES_ERR_NULL)?)
    })
}

/// Reads one `int8_t` from the front of `*b` into `*out` and consumes it
/// (1 byte).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i8(b: *mut bytes_t, out: *mut i8) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i8::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int16_t` from the front of `*b` into `*out` and consumes it
/// (2 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i16_be(b: *mut bytes_t, out: *mut i16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i16::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int16_t` from the front of `*b` into `*out` and consumes it
/// (2 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i16_le(b: *mut bytes_t, out: *mut i16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i16::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int32_t` from the front of `*b` into `*out` and consumes it
/// (4 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i32_be(b: *mut bytes_t, out: *mut i32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i32::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int32_t` from the front of `*b` into `*out` and consumes it
/// (4 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i32_le(b: *mut bytes_t, out: *mut i32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i32::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int64_t` from the front of `*b` into `*out` and consumes it
/// (8 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i64_be(b: *mut bytes_t, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i64::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int64_t` from the front of `*b` into `*out` and consumes it
/// (8 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_i64_le(b: *mut bytes_t, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(i64::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `float` from the front of `*b` into `*out` and consumes it
/// (4 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_f32_be(b: *mut bytes_t, out: *mut f32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(f32::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `float` from the front of `*b` into `*out` and consumes it
/// (4 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_f32_le(b: *mut bytes_t, out: *mut f32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(f32::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `double` from the front of `*b` into `*out` and consumes it
/// (8 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_f64_be(b: *mut bytes_t, out: *mut f64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(f64::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `double` from the front of `*b` into `*out` and consumes it
/// (8 bytes).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_f64_le(b: *mut bytes_t, out: *mut f64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(f64::from_le_bytes(src.get_bytes()?))) }
}

/// Reads an unsigned big-endian integer of `nbytes` bytes (1 to 8) from the
/// front of `*b` into `*out`, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if `*b` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_uint_be(b: *mut bytes_t, nbytes: usize, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(src.get_uint_be(n_bytes(nbytes)?)?)) }
}

/// Reads an unsigned little-endian integer of `nbytes` bytes (1 to 8) from the
/// front of `*b` into `*out`, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if `*b` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_uint_le(b: *mut bytes_t, nbytes: usize, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(src.get_uint_le(n_bytes(nbytes)?)?)) }
}

/// Reads a signed big-endian integer of `nbytes` bytes (1 to 8) from the
/// front of `*b` into `*out`, sign-extended to 64 bits, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if `*b` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_int_be(b: *mut bytes_t, nbytes: usize, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(src.get_int_be(n_bytes(nbytes)?)?)) }
}

/// Reads a signed little-endian integer of `nbytes` bytes (1 to 8) from the
/// front of `*b` into `*out`, sign-extended to 64 bits, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if `*b` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_int_le(b: *mut bytes_t, nbytes: usize, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, |src| Ok(src.get_int_le(n_bytes(nbytes)?)?)) }
}

/// Appends one `int8_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i8(m: *mut bytes_mut_t, v: i8) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a big-endian `int16_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i16_be(m: *mut bytes_mut_t, v: i16) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a little-endian `int16_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i16_le(m: *mut bytes_mut_t, v: i16) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_le_bytes())?)) }
}

/// Appends a big-endian `int32_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i32_be(m: *mut bytes_mut_t, v: i32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a little-endian `int32_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i32_le(m: *mut bytes_mut_t, v: i32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_le_bytes())?)) }
}

/// Appends a big-endian `int64_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i64_be(m: *mut bytes_mut_t, v: i64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a little-endian `int64_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_i64_le(m: *mut bytes_mut_t, v: i64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_le_bytes())?)) }
}

/// Appends a big-endian `float`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_f32_be(m: *mut bytes_mut_t, v: f32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a little-endian `float`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_f32_le(m: *mut bytes_mut_t, v: f32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_le_bytes())?)) }
}

/// Appends a big-endian `double`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_f64_be(m: *mut bytes_mut_t, v: f64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_be_bytes())?)) }
}

/// Appends a little-endian `double`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_f64_le(m: *mut bytes_mut_t, v: f64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, |m| Ok(m.extend_from_slice(&v.to_le_bytes())?)) }
}

/// Appends the low `nbytes` bytes (1 to 8) of `v`, big-endian, growing as
/// `bytes_mut_reserve` does; higher bytes of `v` are not written.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_INVALID` if `nbytes`
/// is 0 or over 8; `BYTES_ERR_NOMEM` if growing fails. `*m` is unchanged on
/// error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_uint_be(m: *mut bytes_mut_t, v: u64, nbytes: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe {
        put(m, |m| {
            let (bytes, range) = uint_be_bytes(v, n_bytes(nbytes)?);
            Ok(m.extend_from_slice(&bytes[range])?)
        })
    }
}

/// Appends the low `nbytes` bytes (1 to 8) of `v`, little-endian, growing as
/// `bytes_mut_reserve` does; higher bytes of `v` are not written.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_INVALID` if `nbytes`
/// is 0 or over 8; `BYTES_ERR_NOMEM` if growing fails. `*m` is unchanged on
/// error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_uint_le(m: *mut bytes_mut_t, v: u64, nbytes: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe {
        put(m, |m| {
            let (bytes, range) = uint_le_bytes(v, n_bytes(nbytes)?);
            Ok(m.extend_from_slice(&bytes[range])?)
        })
    }
}

/// Appends the low `nbytes` bytes (1 to 8) of `v`, big-endian, growing as
/// `bytes_mut_reserve` does; higher bytes of `v` are not written (so reading them back with `bytes_get_int_be` sign-extends).
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_INVALID` if `nbytes`
/// is 0 or over 8; `BYTES_ERR_NOMEM` if growing fails. `*m` is unchanged on
/// error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_int_be(m: *mut bytes_mut_t, v: i64, nbytes: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe {
        put(m, |m| {
            let (bytes, range) = uint_be_bytes(v as u64, n_bytes(nbytes)?);
            Ok(m.extend_from_slice(&bytes[range])?)
        })
    }
}

/// Appends the low `nbytes` bytes (1 to 8) of `v`, little-endian, growing as
/// `bytes_mut_reserve` does; higher bytes of `v` are not written (so reading them back with `bytes_get_int_le` sign-extends).
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_INVALID` if `nbytes`
/// is 0 or over 8; `BYTES_ERR_NOMEM` if growing fails. `*m` is unchanged on
/// error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_int_le(m: *mut bytes_mut_t, v: i64, nbytes: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe {
        put(m, |m| {
            let (bytes, range) = uint_le_bytes(v as u64, n_bytes(nbytes)?);
            Ok(m.extend_from_slice(&bytes[range])?)
        })
    }
}

#[cfg(test)]
mod tests;
