//! The queue's typed readers, `bytes_queue_get_*`: every width, sign and
//! byte order of the readers on `bytes_t`, reading across chunk
//! boundaries and consuming as `bytes_queue_advance` does.

use crate::buf::Buf;
use crate::ffi::queue::bytes_queue_t;
use crate::ffi::rw::{get, n_bytes};
use crate::ffi::status::bytes_status_t;

/// Reads one `uint8_t` from the front of the queue `*q` into `*out` and consumes it
/// (1 byte, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u8(q: *mut bytes_queue_t, out: *mut u8) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u8::from_be_bytes(src.get_bytes()?))) }
}

/// Reads one `int8_t` from the front of the queue `*q` into `*out` and consumes it
/// (1 byte, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i8(q: *mut bytes_queue_t, out: *mut i8) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i8::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `uint16_t` from the front of the queue `*q` into `*out` and consumes it
/// (2 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u16_be(q: *mut bytes_queue_t, out: *mut u16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u16::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `uint16_t` from the front of the queue `*q` into `*out` and consumes it
/// (2 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u16_le(q: *mut bytes_queue_t, out: *mut u16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u16::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `uint32_t` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u32_be(q: *mut bytes_queue_t, out: *mut u32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u32::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `uint32_t` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u32_le(q: *mut bytes_queue_t, out: *mut u32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u32::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `uint64_t` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u64_be(q: *mut bytes_queue_t, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u64::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `uint64_t` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_u64_le(q: *mut bytes_queue_t, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(u64::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int16_t` from the front of the queue `*q` into `*out` and consumes it
/// (2 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i16_be(q: *mut bytes_queue_t, out: *mut i16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i16::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int16_t` from the front of the queue `*q` into `*out` and consumes it
/// (2 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i16_le(q: *mut bytes_queue_t, out: *mut i16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i16::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int32_t` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i32_be(q: *mut bytes_queue_t, out: *mut i32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i32::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int32_t` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i32_le(q: *mut bytes_queue_t, out: *mut i32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i32::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `int64_t` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i64_be(q: *mut bytes_queue_t, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i64::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `int64_t` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_i64_le(q: *mut bytes_queue_t, out: *mut i64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(i64::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `float` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_f32_be(q: *mut bytes_queue_t, out: *mut f32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(f32::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `float` from the front of the queue `*q` into `*out` and consumes it
/// (4 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_f32_le(q: *mut bytes_queue_t, out: *mut f32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(f32::from_le_bytes(src.get_bytes()?))) }
}

/// Reads a big-endian `double` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_f64_be(q: *mut bytes_queue_t, out: *mut f64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(f64::from_be_bytes(src.get_bytes()?))) }
}

/// Reads a little-endian `double` from the front of the queue `*q` into `*out` and consumes it
/// (8 bytes, across chunk boundaries).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue `*q` holds fewer bytes, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_f64_le(q: *mut bytes_queue_t, out: *mut f64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(f64::from_le_bytes(src.get_bytes()?))) }
}

/// Reads an unsigned big-endian integer of `nbytes` bytes (1 to 8) from the
/// front of the queue `*q` into `*out`, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if the queue `*q` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_uint_be(
    q: *mut bytes_queue_t,
    nbytes: usize,
    out: *mut u64,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(src.get_uint_be(n_bytes(nbytes)?)?)) }
}

/// Reads an unsigned little-endian integer of `nbytes` bytes (1 to 8) from the
/// front of the queue `*q` into `*out`, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if the queue `*q` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_uint_le(
    q: *mut bytes_queue_t,
    nbytes: usize,
    out: *mut u64,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(src.get_uint_le(n_bytes(nbytes)?)?)) }
}

/// Reads a signed big-endian integer of `nbytes` bytes (1 to 8) from the
/// front of the queue `*q` into `*out`, sign-extended to 64 bits, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if the queue `*q` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_int_be(
    q: *mut bytes_queue_t,
    nbytes: usize,
    out: *mut i64,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(src.get_int_be(n_bytes(nbytes)?)?)) }
}

/// Reads a signed little-endian integer of `nbytes` bytes (1 to 8) from the
/// front of the queue `*q` into `*out`, sign-extended to 64 bits, and consumes them.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID`
/// if `nbytes` is 0 or over 8; `BYTES_ERR_RANGE` if the queue `*q` holds fewer
/// than `nbytes` bytes. Nothing is consumed on error, and `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get_int_le(
    q: *mut bytes_queue_t,
    nbytes: usize,
    out: *mut i64,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(q, out, |src| Ok(src.get_int_le(n_bytes(nbytes)?)?)) }
}
