//! The exported functions of `bytes_mut_t`, and the ways between
//! `bytes_t` and `bytes_mut_t`.
//!
//! Conventions as in `ffi::bytes`: NULL handle pointers are
//! `BYTES_ERR_NULL` (or a no-op / empty value for functions without a
//! status); on error the inputs are unchanged and out-parameters empty.

use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::AtomicU8;

use crate::ffi::boundary::{guard, guard_status, slice_arg};
use crate::ffi::bytes::produce;
use crate::ffi::handle::{borrow_mut, bytes_mut_t, bytes_t, into_handle, take};
use crate::ffi::status::bytes_status::{
    BYTES_ERR_INVALID, BYTES_ERR_NOMEM, BYTES_ERR_NOT_UNIQUE, BYTES_ERR_NULL,
};
use crate::ffi::status::bytes_status_t;
use crate::{BytesMut, Error};

/// Where `bytes_mut_spare` points when there is no spare capacity to
/// point into: a real, writable object, for writing zero bytes.
static NO_SPARE: AtomicU8 = AtomicU8::new(0);

/// An empty buffer (all zero) without storage: allocates nothing; the first
/// write allocates.
#[no_mangle]
pub extern "C" fn bytes_mut_new() -> bytes_mut_t {
    guard(bytes_mut_t::EMPTY, || bytes_mut_t::EMPTY)
}

/// Stores in `*out` an empty buffer with room for `capacity` bytes: one
/// allocation (none for 0). The caller owns it and must drop or freeze it.
///
/// Errors: `BYTES_ERR_NULL` if `out` is NULL; `BYTES_ERR_NOMEM` if the
/// allocation fails or `capacity` is too large. On error `*out` is empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_with_capacity(capacity: usize, out: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable (C signature).
    unsafe { produce(out, || Ok(BytesMut::with_capacity(capacity)?)) }
}

/// Stores in `*out` a buffer of `len` zero bytes: one allocation (none for
/// 0).
///
/// Errors: `BYTES_ERR_NULL` if `out` is NULL; `BYTES_ERR_NOMEM` if the
/// allocation fails or `len` is too large. On error `*out` is empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_zeroed(len: usize, out: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable (C signature).
    unsafe { produce(out, || Ok(BytesMut::zeroed(len)?)) }
}

/// Like `bytes_mut_reserve`, but never allocates: true when room for
/// `additional` more bytes is (or could be made) inside the current
/// storage, by the reuse steps 1 and 2 of `bytes_mut_reserve`; false, with
/// `*m` unchanged, otherwise, and for NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_try_reclaim(m: *mut bytes_mut_t, additional: usize) -> bool {
    guard(false, || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        unsafe { borrow_mut(m) }.is_some_and(|m| m.try_reclaim(additional))
    })
}

/// Makes room for at least `additional` more bytes after the written ones.
///
/// Reuse before allocating, as the Rust crate `bytes` does: if the spare
/// capacity suffices, nothing happens. Otherwise, when `*m` is the only
/// user of its storage (say the other half of a split was dropped or
/// frozen and dropped):
///  1. if the storage has room after `*m`'s region, the region grows over it;
///  2. else if the whole storage has room and the written bytes are no more
///     than the free space before them, they move to the front of the
///     storage (the move is paid for by the bytes already consumed).
///
/// Neither allocates, and `bytes_mut_ptr(m)` may change in step 2.
/// Otherwise the capacity at least doubles: the storage is `realloc`ed when
/// `*m` is its only user and starts at its front, else the bytes are copied
/// into a new storage and the old one released by `*m`.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if the size
/// overflows or the allocation fails, and `*m` is unchanged (no abort).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_reserve(m: *mut bytes_mut_t, additional: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { with_mut(m, |m| Ok(m.reserve(additional)?)) }
}

/// Appends a copy of the `len` bytes at `ptr`, growing as
/// `bytes_mut_reserve` does. `ptr` may point into `*m`'s own written bytes
/// (the bytes are copied correctly even when growing moves them).
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL or `ptr` is NULL with a
/// non-zero `len`; `BYTES_ERR_NOMEM` if growing fails or the new length
/// overflows; `BYTES_ERR_INVALID` if the bytes overlap `*m`'s storage
/// without lying wholly inside its written bytes: they reach into its spare
/// capacity (not written yet), or, while `*m` is its storage's only user,
/// into bytes `*m` no longer holds (advanced over, or split off and
/// dropped), which growing may overwrite or free. `*m` is unchanged on
/// error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_extend_from_slice(
    m: *mut bytes_mut_t,
    ptr: *const u8,
    len: usize,
) -> bytes_status_t {
    // SAFETY: a valid buffer and `len` readable bytes at `ptr` (C
    // signature). No panic site (`scripts/no-panic.sh`).
    if !m.is_null() && !ptr.is_null() && unsafe { BytesMut::try_extend_raw(m.cast(), ptr, len) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { extend_slow(m, ptr, len) }
}

/// `bytes_mut_extend_from_slice` for NULL, a buffer that must grow and a
/// source inside the buffer's storage.
///
/// # Safety
/// As `bytes_mut_extend_from_slice`.
#[cold]
unsafe fn extend_slow(m: *mut bytes_mut_t, ptr: *const u8, len: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer; `ptr[..len]` readable (C
    // signature). The source is checked against the region before it is
    // read, since growing may move or free the region.
    unsafe {
        with_mut(m, |m| {
            if !ptr.is_null() && len > isize::MAX as usize - m.len() {
                return Err(BYTES_ERR_NOMEM);
            }
            // The overlap is decided from the addresses alone, before any
            // slice of the source exists: a source reaching into the spare
            // capacity, or into bytes of a block that `reserve` may move
            // over or free, is refused without being read.
            let region = m.as_mut_ptr() as usize..m.as_mut_ptr() as usize + m.capacity();
            let storage = m.unique_storage().unwrap_or(region.clone());
            let start = ptr as usize;
            let overlaps = |area: &std::ops::Range<usize>| {
                !ptr.is_null() && len != 0 && start < area.end && area.start < start.saturating_add(len)
            };
            if overlaps(&region) || overlaps(&storage) {
                let offset = start.wrapping_sub(region.start);
                if start < region.start || offset + len > m.len() {
                    return Err(BYTES_ERR_INVALID);
                }
                return Ok(m.extend_from_within(offset..offset + len)?);
            }
            Ok(m.extend_from_slice(slice_arg(ptr, len)?)?)
        })
    }
}

/// The writable spare capacity after the written bytes, for writing in
/// place (`read(2)`, `recv(2)`, `memcpy`); `*spare_len` receives its size.
/// Then `bytes_mut_commit` marks what was written. Never NULL: with no
/// spare capacity (or a NULL `m`) it points at zero writable bytes; call
/// `bytes_mut_reserve` first to get room. A NULL `spare_len` is allowed.
/// The pointer is valid until the next call that changes `*m`.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_spare(m: *mut bytes_mut_t, spare_len: *mut usize) -> *mut u8 {
    guard(NO_SPARE.as_ptr(), || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        let (spare, len) = match unsafe { borrow_mut(m) } {
            Some(m) if m.capacity() > m.len() => {
                let spare = m.spare_capacity_mut();
                (spare.as_mut_ptr() as *mut u8, spare.len())
            }
            _ => (NO_SPARE.as_ptr(), 0),
        };
        if !spare_len.is_null() {
            // SAFETY: non-NULL and writable (C signature).
            unsafe { spare_len.write(len) };
        }
        spare
    })
}

/// Marks the first `n` bytes of the spare capacity as written (after
/// `bytes_mut_spare`).
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_RANGE` if `n`
/// exceeds the spare capacity, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_commit(m: *mut bytes_mut_t, n: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature); the caller
    // promises it wrote the `n` bytes it commits.
    unsafe { with_mut(m, |m| Ok(m.commit(n)?)) }
}

/// Splits `*m` at `at`: `*out` receives the written bytes `[0, at)` (with
/// capacity `at`), `*m` keeps the rest and its spare capacity. Both share
/// the storage: no copy, no allocation. Also for `at == 0`: `*out` is then
/// an empty buffer at `bytes_mut_ptr(m)` with capacity 0 (rule 9), holding
/// a reference to the storage like any split (a buffer without storage
/// gives an empty buffer without storage).
///
/// Errors: `BYTES_ERR_NULL` if `m` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `at > bytes_mut_len(m)`; `BYTES_ERR_INVALID` if `out == m`. `*m` is
/// unchanged and `*out` empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_split_to(
    m: *mut bytes_mut_t,
    at: usize,
    out: *mut bytes_mut_t,
) -> bytes_status_t {
    let disjoint = !m.is_null() && !out.is_null() && m != out;
    // SAFETY: valid pointers (C signature), disjoint.
    if disjoint && unsafe { BytesMut::try_split_to_raw(m.cast(), at, out.cast()) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { split(m, out, |m| m.split_to(at)) }
}

/// Splits `*m` at `at`, which may lie in the spare capacity: `*out`
/// receives `[at, capacity)` (with the written bytes past `at`), `*m`
/// keeps `[0, at)` as its whole capacity. Both share the storage: no copy,
/// no allocation. Also for `at == capacity`: `*out` is then an empty buffer
/// at the end of `*m`'s region with capacity 0 (rule 9), holding a
/// reference to the storage.
///
/// Errors: `BYTES_ERR_NULL` if `m` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `at > bytes_mut_capacity(m)`; `BYTES_ERR_INVALID` if `out == m`. `*m`
/// is unchanged and `*out` empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_split_off(
    m: *mut bytes_mut_t,
    at: usize,
    out: *mut bytes_mut_t,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { split(m, out, |m| m.split_off(at)) }
}

/// The common part of the two splits.
///
/// # Safety
/// `m` is NULL or a valid buffer; `out` is NULL or writable.
unsafe fn split(
    m: *mut bytes_mut_t,
    out: *mut bytes_mut_t,
    cut: impl FnOnce(&mut BytesMut) -> Result<BytesMut, Error>,
) -> bytes_status_t {
    if ptr::eq(m, out) && !m.is_null() {
        return BYTES_ERR_INVALID;
    }
    // SAFETY: `out` by the contract above; `m` does not overlap it.
    unsafe { produce(out, || Ok(cut(borrow_mut(m).ok_or(BYTES_ERR_NULL)?)?)) }
}

/// Takes all written bytes into the returned buffer, leaving `*m` with its
/// spare capacity (as `bytes_mut_split_to(m, bytes_mut_len(m), ...)`).
/// Both share the storage: no copy, no allocation, also when nothing is
/// written (then the result is an empty buffer at `bytes_mut_ptr(m)`, and
/// once `*m` is dropped it can reclaim the whole storage with
/// `bytes_mut_try_reclaim`). A NULL `m` gives an empty buffer.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_split(m: *mut bytes_mut_t) -> bytes_mut_t {
    if !m.is_null() {
        let mut out = MaybeUninit::<bytes_mut_t>::uninit();
        let m = m.cast::<BytesMut>();
        // SAFETY: `m` is a valid buffer (C signature); `out` is ours.
        if unsafe { BytesMut::try_split_to_raw(m, (*m).len(), out.as_mut_ptr().cast()) } {
            // SAFETY: written by the fast path.
            return unsafe { out.assume_init() };
        }
    }
    guard(bytes_mut_t::EMPTY, || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        into_handle(unsafe { borrow_mut(m) }.map_or_else(BytesMut::new, BytesMut::split))
    })
}

/// Appends `*other`'s bytes to `*m` and consumes `*other` (left empty): O(1)
/// when `*other` directly follows `*m`'s bytes in the same storage (as the
/// two halves of a split do), a copy otherwise.
///
/// Errors: `BYTES_ERR_NULL` if `m` or `other` is NULL; `BYTES_ERR_INVALID`
/// if `other == m`; `BYTES_ERR_NOMEM` if the copy cannot grow `*m`. Both
/// are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_unsplit(m: *mut bytes_mut_t, other: *mut bytes_mut_t) -> bytes_status_t {
    guard_status(|| {
        if m.is_null() || other.is_null() {
            return Err(BYTES_ERR_NULL);
        }
        if ptr::eq(m, other) {
            return Err(BYTES_ERR_INVALID);
        }
        // SAFETY: both are valid, distinct buffers (C signature, checked).
        let (m, other) =
            unsafe { (borrow_mut(m).ok_or(BYTES_ERR_NULL)?, borrow_mut(other).ok_or(BYTES_ERR_NULL)?) };
        m.unsplit(std::mem::take(other)).map_err(|(error, back)| {
            *other = back;
            error.into()
        })
    })
}

/// Drops the first `n` written bytes (the region starts after them).
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_RANGE` if
/// `n > bytes_mut_len(m)`, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_advance(m: *mut bytes_mut_t, n: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { with_mut(m, |m| Ok(m.advance(n)?)) }
}

/// Keeps the first `len` written bytes, and the capacity. A no-op if `len
/// >= bytes_mut_len(m)` or `m` is NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_truncate(m: *mut bytes_mut_t, len: usize) {
    guard((), || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        if let Some(m) = unsafe { borrow_mut(m) } {
            m.truncate(len);
        }
    })
}

/// Forgets the written bytes and keeps the capacity, for reuse. A no-op if
/// `m` is NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_clear(m: *mut bytes_mut_t) {
    guard((), || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        if let Some(m) = unsafe { borrow_mut(m) } {
            m.clear();
        }
    })
}

/// Sets the length to `new_len`: appends copies of `fill` (growing as
/// `bytes_mut_reserve` does) or truncates.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_resize(m: *mut bytes_mut_t, new_len: usize, fill: u8) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { with_mut(m, |m| Ok(m.resize(new_len, fill)?)) }
}

/// Consumes `*m` (left empty) and returns its written bytes as a `bytes_t`
/// over the same memory: O(1), no copy, no allocation;
/// `bytes_ptr(&result) == bytes_mut_ptr(m)` before the call. The spare
/// capacity is not reachable any more. An empty buffer (or NULL) gives an
/// empty `bytes_t` and releases its storage.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_freeze(m: *mut bytes_mut_t) -> bytes_t {
    let mut out = MaybeUninit::<bytes_t>::uninit();
    // SAFETY: `m` is NULL or a valid buffer (C signature); `out` is ours.
    if !m.is_null() && unsafe { BytesMut::try_freeze_raw(m.cast(), out.as_mut_ptr().cast()) } {
        // SAFETY: written by the fast path.
        return unsafe { out.assume_init() };
    }
    // SAFETY: as above.
    unsafe { freeze_slow(m) }
}

/// `bytes_mut_freeze` for NULL and buffers with nothing written.
#[cold]
#[inline(never)]
unsafe fn freeze_slow(m: *mut bytes_mut_t) -> bytes_t {
    guard(bytes_t::EMPTY, || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        unsafe { take(m) }.map_or(bytes_t::EMPTY, |m| into_handle(m.freeze()))
    })
}

/// Releases `*m`'s storage (the storage itself is freed when no other
/// split half or frozen handle uses it) and leaves `*m` empty, so a second
/// drop is a no-op. A no-op if `m` is NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_mut_drop(m: *mut bytes_mut_t) {
    guard((), || {
        // SAFETY: `m` is NULL or a valid buffer (C signature).
        drop(unsafe { take(m) });
    })
}

/// Consumes `*b` into `*out` without copying when that is possible: `*b`
/// is the only handle of the library's own heap storage (from
/// `bytes_copy_from` or `bytes_mut_freeze`). `*out` then points at the same
/// bytes, with the capacity up to the end of the storage, and `*b` is
/// empty. The all-zero `*b` gives an empty buffer; an empty view of static
/// or shared storage is refused like any other.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_NOT_UNIQUE`
/// if the storage is shared, static, adopted from `malloc` or foreign
/// (use `bytes_into_mut` to copy). `*b` is unchanged and `*out` empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_try_into_mut(b: *mut bytes_t, out: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { into_mut(b, out, |bytes| bytes.try_into_mut().map_err(|bytes| (BYTES_ERR_NOT_UNIQUE, bytes))) }
}

/// Consumes `*b` into `*out`, copying only when it must: without a copy
/// when `bytes_try_into_mut` can, else the bytes are copied into a new
/// buffer (one allocation) and `*b`'s reference is dropped. `*b` is empty
/// afterwards.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_NOMEM` if
/// the copy cannot be allocated. `*b` is unchanged and `*out` empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_into_mut(b: *mut bytes_t, out: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { into_mut(b, out, |bytes| bytes.into_mut().map_err(|(error, bytes)| (error.into(), bytes))) }
}

/// The common part of the two conversions: moves `*b` out, converts it,
/// and on failure puts it back unchanged.
///
/// # Safety
/// `b` is NULL or a valid handle; `out` is NULL or writable; they do not
/// overlap (different types).
unsafe fn into_mut(
    b: *mut bytes_t,
    out: *mut bytes_mut_t,
    convert: impl FnOnce(crate::Bytes) -> Result<BytesMut, (bytes_status_t, crate::Bytes)>,
) -> bytes_status_t {
    // SAFETY: by the contract above.
    unsafe {
        produce(out, || {
            let slot = borrow_mut(b).ok_or(BYTES_ERR_NULL)?;
            convert(std::mem::take(slot)).map_err(|(status, bytes)| {
                *slot = bytes;
                status
            })
        })
    }
}

/// Runs `change` on the buffer at `m`.
///
/// # Safety
/// `m` is NULL or a valid buffer the caller may change.
unsafe fn with_mut(
    m: *mut bytes_mut_t,
    change: impl FnOnce(&mut BytesMut) -> Result<(), bytes_status_t>,
) -> bytes_status_t {
    guard_status(|| {
        // SAFETY: by the contract above.
        change(unsafe { borrow_mut(m) }.ok_or(BYTES_ERR_NULL)?)
    })
}

/// Appends the bytes of an integer.
///
/// # Safety
/// `m` is NULL or a valid buffer the caller may change.
#[inline(always)]
unsafe fn put<const N: usize>(m: *mut bytes_mut_t, bytes: [u8; N]) -> bytes_status_t {
    // SAFETY: by the contract above.
    if !m.is_null() && unsafe { BytesMut::try_put(m.cast(), bytes) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { put_slow(m, bytes) }
}

/// `put` for NULL and a buffer that must grow.
#[cold]
#[inline(never)]
unsafe fn put_slow<const N: usize>(m: *mut bytes_mut_t, bytes: [u8; N]) -> bytes_status_t {
    // SAFETY: as for `put`.
    unsafe { with_mut(m, |m| Ok(m.extend_from_slice(&bytes)?)) }
}

/// Appends one byte, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u8(m: *mut bytes_mut_t, v: u8) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_be_bytes()) }
}

/// Appends a big-endian `uint16_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u16_be(m: *mut bytes_mut_t, v: u16) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_be_bytes()) }
}

/// Appends a little-endian `uint16_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u16_le(m: *mut bytes_mut_t, v: u16) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_le_bytes()) }
}

/// Appends a big-endian `uint32_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u32_be(m: *mut bytes_mut_t, v: u32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_be_bytes()) }
}

/// Appends a little-endian `uint32_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u32_le(m: *mut bytes_mut_t, v: u32) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_le_bytes()) }
}

/// Appends a big-endian `uint64_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u64_be(m: *mut bytes_mut_t, v: u64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_be_bytes()) }
}

/// Appends a little-endian `uint64_t`, growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_u64_le(m: *mut bytes_mut_t, v: u64) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe { put(m, v.to_le_bytes()) }
}

/// Appends `count` copies of the byte `value` (the crate `bytes`'
/// `put_bytes`), growing as `bytes_mut_reserve` does.
///
/// Errors: `BYTES_ERR_NULL` if `m` is NULL; `BYTES_ERR_NOMEM` if growing
/// fails or the length overflows, and `*m` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_put_bytes(m: *mut bytes_mut_t, value: u8, count: usize) -> bytes_status_t {
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    unsafe {
        with_mut(m, |m| {
            let new_len = m.len().checked_add(count).ok_or(Error::NoMem)?;
            Ok(m.resize(new_len, value)?)
        })
    }
}
