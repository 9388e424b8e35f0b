//! The exported functions of `bytes_t`.
//!
//! Conventions (the numbered rules at the top of `bytes.h`): a NULL handle pointer is
//! `BYTES_ERR_NULL` for functions returning a status and an empty value
//! for the others; on any error the inputs are unchanged and every
//! out-parameter is set to empty (all zero), except an out-parameter that
//! is also an input (`out == b` where that is allowed), which is unchanged.

use std::ffi::{c_int, c_void};
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use crate::ffi::boundary::{guard, guard_status, slice_arg};
use crate::ffi::handle::{
    borrow, borrow_array_mut, borrow_mut, bytes_t, into_handle, out_array, write_out, Handle,
};
use crate::ffi::status::bytes_status_t;
use crate::storage::malloc;
use crate::{ByteRange, Bytes};

use crate::ffi::status::bytes_status::{BYTES_ERR_INVALID, BYTES_ERR_NOMEM, BYTES_ERR_NULL};

/// Stores the handle that `make` returns in `out`; on error empties `out`.
///
/// # Safety
/// `out` is NULL or valid for writing an `H`.
pub(crate) unsafe fn produce<H: Handle>(
    out: *mut H,
    make: impl FnOnce() -> Result<H::Core, bytes_status_t>,
) -> bytes_status_t {
    guard_status(|| {
        if out.is_null() {
            return Err(BYTES_ERR_NULL);
        }
        // Each arm writes its own value, so the handle goes straight from
        // registers to `out`.
        match make() {
            Ok(value) => {
                // SAFETY: `out` is non-NULL and valid for writes (contract
                // above).
                unsafe { write_out(out, value) };
                Ok(())
            }
            Err(status) => {
                // SAFETY: as above.
                unsafe { write_out(out, H::Core::default()) };
                Err(status)
            }
        }
    })
}

/// Stores in `out` the handle that `make` derives from `*b`. `out` may be
/// `b` itself: on success `b` is then replaced, and its old reference
/// released after the new handle is in place (rule 10: a release callback
/// may free the memory the handle lives in); on error it is left as it was.
///
/// # Safety
/// `b` is NULL or a valid handle; `out` is NULL or valid for writing a
/// `bytes_t`; they are the same pointer or do not overlap.
unsafe fn derive(
    b: *const bytes_t,
    out: *mut bytes_t,
    make: impl FnOnce(&Bytes) -> Result<Bytes, bytes_status_t>,
) -> bytes_status_t {
    if ptr::eq(b, out) {
        return guard_status(|| {
            // SAFETY: `b` is a valid handle and, being the out-parameter
            // too, the caller's to change.
            let b = unsafe { borrow_mut(out) }.ok_or(BYTES_ERR_NULL)?;
            let derived = make(b)?;
            b.replace(derived);
            Ok(())
        });
    }
    // SAFETY: `out` by the contract above; `b` is valid while we borrow it.
    unsafe { produce(out, || make(borrow(b).ok_or(BYTES_ERR_NULL)?)) }
}

/// An empty handle (all zero). Allocates nothing; dropping it is a no-op.
#[no_mangle]
pub extern "C" fn bytes_new() -> bytes_t {
    guard(bytes_t::EMPTY, || bytes_t::EMPTY)
}

/// A handle of `len` bytes at `ptr` that live for the rest of the program
/// (a string literal, a constant table). Borrows them forever: no copy, no
/// allocation, no reference count, nothing to free.
///
/// (NULL, 0) gives an empty handle. So does NULL with a non-zero length, or
/// a length over `PTRDIFF_MAX`, which this function cannot report.
#[no_mangle]
pub unsafe extern "C" fn bytes_from_static(ptr: *const u8, len: usize) -> bytes_t {
    guard(bytes_t::EMPTY, || {
        // SAFETY: the caller promises `ptr[..len]` is readable and unchanged
        // for the rest of the program.
        match unsafe { slice_arg(ptr, len) } {
            Ok(bytes) => into_handle(Bytes::from_static(bytes)),
            Err(_) => bytes_t::EMPTY,
        }
    })
}

/// Copies `len` bytes at `ptr` into a new storage owned by the returned
/// handle in `*out`: one allocation holding the count and the bytes, none
/// for an empty input. The caller keeps `ptr`.
///
/// Errors: `BYTES_ERR_NULL` if `out` is NULL, or `ptr` is NULL with a
/// non-zero `len`; `BYTES_ERR_NOMEM` if the allocation fails or `len` is
/// too large for one. On error `*out` is empty.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_copy_from(ptr: *const u8, len: usize, out: *mut bytes_t) -> bytes_status_t {
    if !ptr.is_null() && !out.is_null() {
        // SAFETY: `len` readable bytes at `ptr` and a writable `out`, as
        // the C signature requires. No panic site (`scripts/no-panic.sh`).
        match unsafe { Bytes::try_copy_from_raw(ptr, len, out.cast()) } {
            Some(Ok(())) => return bytes_status_t::BYTES_OK,
            Some(Err(error)) => return error.into(),
            None => {}
        }
    }
    // SAFETY: as above.
    unsafe { copy_from_slow(ptr, len, out) }
}

/// `bytes_copy_from` for NULL pointers, an empty input and sizes no object
/// can have, inside the panic guard.
///
/// # Safety
/// As `bytes_copy_from`.
#[cold]
unsafe fn copy_from_slow(ptr: *const u8, len: usize, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: as the caller's contract.
    unsafe {
        produce(out, || {
            let src = slice_arg(ptr, len)?;
            Ok(Bytes::copy_from_slice(src)?)
        })
    }
}

/// Adopts `len` bytes at `ptr`, a block from `malloc`, `calloc` or
/// `realloc`, without copying: on success the library owns the block and
/// `free()`s it when the last handle of it is dropped, on whichever thread.
/// Allocates one small shared header; clones and slices then allocate
/// nothing. A non-NULL `ptr` with `len` 0 is freed at once and gives an
/// empty handle; (NULL, 0) gives an empty handle.
///
/// Errors (the caller then still owns `ptr`, and `*out` is empty):
/// `BYTES_ERR_NULL` if `out` is NULL, or `ptr` is NULL with a non-zero
/// `len`; `BYTES_ERR_NOMEM` if the header cannot be allocated or `len`
/// exceeds `PTRDIFF_MAX`.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_from_malloc(
    ptr: *mut c_void,
    len: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    // SAFETY: `out` is valid or NULL (C signature).
    unsafe {
        produce(out, || {
            let Some(block) = NonNull::new(ptr as *mut u8) else {
                return if len == 0 { Ok(Bytes::new()) } else { Err(BYTES_ERR_NULL) };
            };
            if len > isize::MAX as usize {
                return Err(BYTES_ERR_NOMEM);
            }
            // SAFETY: the caller hands over a malloc'd block of `len`
            // initialised bytes; `adopt` gives it back on failure.
            Ok(malloc::adopt(block, len)?)
        })
    }
}

/// A new handle of the same bytes as `*b`, sharing its storage: no copy,
/// no allocation; one atomic increment for counted storage, nothing for
/// static bytes. The caller owns the result and must drop it. A NULL `b`
/// gives an empty handle. Safe to call on one `b` from many threads.
#[no_mangle]
pub unsafe extern "C" fn bytes_clone(b: *const bytes_t) -> bytes_t {
    if b.is_null() {
        return bytes_t::EMPTY;
    }
    // SAFETY: `b` is a valid handle (C signature); the bitwise copy owns
    // the reference just made. No panic site (`scripts/no-panic.sh`).
    if unsafe { Bytes::try_share_own(b.cast()) } {
        // SAFETY: as above.
        return unsafe { ptr::read(b) };
    }
    // SAFETY: as above, for a custom vtable.
    unsafe { clone_custom(b) }
}

/// `bytes_clone` of a custom vtable's handle, out of line: the copy is
/// made in the return slot and its `data` set by the vtable's `clone`.
///
/// # Safety
/// `b` is a valid handle of a custom vtable.
#[inline(never)]
unsafe fn clone_custom(b: *const bytes_t) -> bytes_t {
    // SAFETY: by the contract above.
    unsafe {
        let mut copy = ptr::read(b);
        Bytes::share_custom_copy((&mut copy as *mut bytes_t).cast());
        copy
    }
}

/// Stores in `*out` a new handle of bytes `[begin, end)` of `*b`, sharing
/// its storage (no copy; `bytes_ptr(out) == bytes_ptr(b) + begin`, also
/// for an empty range, which gives an empty view at `begin` that holds no
/// reference: rule 9). `out` may be `b`: then `b` is replaced by the
/// slice, and its old reference released after that (rule 10).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `begin > end` or `end > bytes_len(b)`. `*b` is unchanged and `*out`
/// empty (unless it is `b`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_slice(
    b: *const bytes_t,
    begin: usize,
    end: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature); the fast path takes
    // non-empty in-bounds ranges of own kinds, `out == b` included.
    if !b.is_null() && !out.is_null() && unsafe { Bytes::try_slice_raw(b.cast(), begin, end, out.cast()) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { slice_slow(b, begin, end, out) }
}

/// `bytes_slice` for custom vtables (straight into `*out` when it is not
/// `b`), NULL, errors and empty ranges; a tail call from it.
#[cold]
#[inline(never)]
unsafe fn slice_slow(b: *const bytes_t, begin: usize, end: usize, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: as for `bytes_slice`.
    if !b.is_null() && !out.is_null() && unsafe { Bytes::try_slice_custom(b.cast(), begin, end, out.cast()) }
    {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: valid or NULL pointers (C signature); `derive` handles aliasing.
    unsafe { derive(b, out, |b| Ok(b.slice(begin..end)?)) }
}

/// Stores in `*out` a new handle of the `sub_len` bytes at `sub`, which
/// must lie inside `*b`'s bytes (typically found there by a parser),
/// sharing `b`'s storage. Only the addresses are compared; nothing is read
/// through `sub`. An empty sub-slice anywhere from `bytes_ptr(b)` to
/// `bytes_ptr(b) + bytes_len(b)` (an empty field a parser found, or an
/// empty view that `bytes_slice` or a split gave) gives an empty view at
/// `sub` (rule 9). Of an empty `b` any empty sub-slice is accepted, and
/// (NULL, 0) of any `b` gives the all-zero handle. `out` may be `b`: then
/// `b` is replaced, and its old reference released after that (rule 10).
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL, or `sub` is NULL with
/// a non-zero `sub_len`;
/// `BYTES_ERR_RANGE` if `[sub, sub + sub_len)` is not inside `b`. `*b` is
/// unchanged and `*out` empty (unless it is `b`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_slice_ref(
    b: *const bytes_t,
    sub: *const u8,
    sub_len: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    if !b.is_null() && !out.is_null() {
        // SAFETY: `b` is a valid handle (C signature); only addresses are
        // compared. A `sub` before the view wraps to a huge offset, which
        // the fast path's range check refuses.
        let start = (sub as usize).wrapping_sub(unsafe { (*b.cast::<Bytes>()).as_ptr() } as usize);
        let end = start.wrapping_add(sub_len);
        // SAFETY: as for `bytes_slice`; `start <= end` is checked there.
        if end >= start && unsafe { Bytes::try_slice_raw(b.cast(), start, end, out.cast()) } {
            return bytes_status_t::BYTES_OK;
        }
    }
    // SAFETY: as above.
    unsafe { slice_ref_slow(b, sub, sub_len, out) }
}

/// `bytes_slice_ref` for custom vtables (as `slice_slow`), NULL, errors and
/// empty sub-slices.
#[cold]
#[inline(never)]
unsafe fn slice_ref_slow(
    b: *const bytes_t,
    sub: *const u8,
    sub_len: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    if !b.is_null() && !out.is_null() {
        // SAFETY: as in `bytes_slice_ref`.
        let start = (sub as usize).wrapping_sub(unsafe { (*b.cast::<Bytes>()).as_ptr() } as usize);
        let end = start.wrapping_add(sub_len);
        // SAFETY: as for `bytes_slice`.
        if end >= start && unsafe { Bytes::try_slice_custom(b.cast(), start, end, out.cast()) } {
            return bytes_status_t::BYTES_OK;
        }
    }
    // SAFETY: valid or NULL pointers (C signature); `derive` handles aliasing.
    unsafe {
        derive(b, out, |b| {
            if sub.is_null() {
                // Rule 5: (NULL, 0) is empty.
                return if sub_len == 0 { Ok(Bytes::new()) } else { Err(BYTES_ERR_NULL) };
            }
            Ok(b.slice_ref(sub, sub_len)?)
        })
    }
}

/// A range `[begin, end)` for `bytes_slice_many`.
pub type bytes_range_t = ByteRange;

/// Stores in `out[i]` a new handle of bytes `[ranges[i].begin,
/// ranges[i].end)` of `*b`, for every `i < n`, sharing `b`'s storage (no
/// copy): what a parser does with the fields it found, in one call. For the
/// library's own storage (from `bytes_copy_from`, `bytes_from_malloc`,
/// `bytes_from_owner`, `bytes_from_file`/`_fd`, `bytes_mut_freeze`) the
/// shared count is updated once for the whole batch, with no allocation;
/// static bytes need no count; custom vtables get one `clone` call per
/// slice. Empty ranges give empty views at their `begin` that hold no
/// reference (rule 9). Release
/// the handles with `bytes_drop_many` (or one by one).
///
/// All or nothing. Errors (`*b` and its count unchanged, every `out[i]`
/// empty): `BYTES_ERR_NULL` if `b` is NULL, or `ranges` or `out` is NULL
/// with a non-zero `n`; `BYTES_ERR_RANGE` if any range has `begin > end`
/// or `end > bytes_len(b)`; `BYTES_ERR_INVALID` if `out[0..n)` overlaps
/// `*b` or `ranges[0..n)` (nothing is written then); `BYTES_ERR_NOMEM` if
/// `n` is larger than any array can be (nothing is written then either).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_slice_many(
    b: *const bytes_t,
    ranges: *const bytes_range_t,
    n: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    guard_status(|| {
        if n == 0 {
            return if b.is_null() { Err(BYTES_ERR_NULL) } else { Ok(()) };
        }
        if out.is_null() {
            return Err(BYTES_ERR_NULL);
        }
        if n > isize::MAX as usize / std::mem::size_of::<bytes_t>() {
            return Err(BYTES_ERR_NOMEM);
        }
        let out_bytes = out as usize..out as usize + n * std::mem::size_of::<bytes_t>();
        let overlaps = |start: usize, len: usize| start < out_bytes.end && out_bytes.start < start + len;
        if overlaps(b as usize, std::mem::size_of::<bytes_t>())
            || overlaps(ranges as usize, n * std::mem::size_of::<bytes_range_t>())
        {
            return Err(BYTES_ERR_INVALID);
        }
        // SAFETY: `out` is valid for `n` handles (C signature), written
        // only as `MaybeUninit` until filled.
        let out: &mut [MaybeUninit<Bytes>] = unsafe { out_array(out, n) }?;
        let empty_all = |out: &mut [MaybeUninit<Bytes>]| {
            out.iter_mut().for_each(|slot| {
                slot.write(Bytes::new());
            })
        };
        // SAFETY: `b` is NULL or a valid handle not overlapping `out`.
        let (Some(b), false) = (unsafe { borrow(b) }, ranges.is_null()) else {
            empty_all(out);
            return Err(BYTES_ERR_NULL);
        };
        // SAFETY: `ranges` is non-NULL, valid for `n` ranges (C signature),
        // and does not overlap `out` (checked); `n` ranges fit an object,
        // since they are smaller than the `n` handles checked above.
        let ranges = unsafe { std::slice::from_raw_parts(ranges, n) };
        b.slice_many(ranges, out).map_err(|error| {
            empty_all(out);
            error.into()
        })
    })
}

/// Drops the `n` handles `bufs[0..n)` and leaves them empty. Runs of
/// neighbouring handles of one storage of the library's own kinds (as
/// `bytes_slice_many` makes them) are released with one atomic update
/// each, with the same ordering rules as `bytes_drop`; the storage is freed
/// (or its owner released) exactly once, when its count reaches zero,
/// whichever handle's drop that is. Other handles are dropped one by one
/// (custom vtables get one `drop` call each). A NULL `bufs` is a no-op.
#[no_mangle]
pub unsafe extern "C" fn bytes_drop_many(bufs: *mut bytes_t, n: usize) {
    guard((), || {
        // SAFETY: `bufs` is NULL or holds `n` valid handles the caller may
        // change (C signature).
        if let Ok(bufs) = unsafe { borrow_array_mut(bufs, n) } {
            Bytes::drop_many(bufs);
        }
    })
}

/// Splits `*b` at `at`: `*out` receives bytes `[0, at)` and `*b` keeps
/// `[at, len)`. Both share the storage; no copy, no allocation. An empty
/// part is an empty view at its position that holds no reference (rule 9):
/// `split_to(b, 0)` gives a view at `bytes_ptr(b)`, and after
/// `split_to(b, len)` `*b` is a view at the old end.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `at > bytes_len(b)`; `BYTES_ERR_INVALID` if `out == b`. `*b` is
/// unchanged and `*out` empty (unless it is `b`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_split_to(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t {
    let disjoint = !b.is_null() && !out.is_null() && b != out;
    // SAFETY: valid pointers (C signature), disjoint.
    if disjoint && unsafe { Bytes::try_split_to_raw(b.cast(), at, out.cast()) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { split_to_slow(b, at, out) }
}

/// `bytes_split_to` off its fast path: a tail call (same arguments).
#[cold]
#[inline(never)]
unsafe fn split_to_slow(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: as for `bytes_split_to`.
    unsafe { split_slow(b, at, out, true) }
}

/// Splits `*b` at `at`: `*out` receives bytes `[at, len)` and `*b` keeps
/// `[0, at)`. Both share the storage; no copy, no allocation. An empty
/// part is an empty view at its position that holds no reference (rule 9):
/// `split_off(b, len)` gives a view at the end of `*b`, and after
/// `split_off(b, 0)` `*b` is a view at its old start.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `at > bytes_len(b)`; `BYTES_ERR_INVALID` if `out == b`. `*b` is
/// unchanged and `*out` empty (unless it is `b`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_split_off(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t {
    let disjoint = !b.is_null() && !out.is_null() && b != out;
    // SAFETY: valid pointers (C signature), disjoint.
    if disjoint && unsafe { Bytes::try_split_off_raw(b.cast(), at, out.cast()) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { split_off_slow(b, at, out) }
}

/// `bytes_split_off` off its fast path: a tail call (same arguments).
#[cold]
#[inline(never)]
unsafe fn split_off_slow(b: *mut bytes_t, at: usize, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: as for `bytes_split_off`.
    unsafe { split_slow(b, at, out, false) }
}

/// The two splits (`to`: `split_to`, else `split_off`) for custom vtables
/// (straight into `*out`), NULL, errors and splits at either end.
///
/// # Safety
/// `b` is NULL or a valid handle the caller may change; `out` is NULL or
/// valid for writing a `bytes_t`.
#[inline(always)]
unsafe fn split_slow(b: *mut bytes_t, at: usize, out: *mut bytes_t, to: bool) -> bytes_status_t {
    if ptr::eq(b, out) && !b.is_null() {
        return BYTES_ERR_INVALID;
    }
    // SAFETY: valid disjoint pointers (checked; contract above).
    if !b.is_null() && !out.is_null() && unsafe { Bytes::try_split_custom(b.cast(), at, out.cast(), to) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: `out` by the contract above; `b` does not overlap it.
    unsafe {
        produce(out, || {
            let b = borrow_mut(b).ok_or(BYTES_ERR_NULL)?;
            Ok(if to { b.split_to(at) } else { b.split_off(at) }?)
        })
    }
}

/// Drops the first `n` bytes of the view `*b` (the storage is kept).
///
/// Errors: `BYTES_ERR_NULL` if `b` is NULL; `BYTES_ERR_RANGE` if
/// `n > bytes_len(b)`, and `*b` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_advance(b: *mut bytes_t, n: usize) -> bytes_status_t {
    // SAFETY: `b` is NULL or a valid handle (C signature).
    if !b.is_null() && unsafe { Bytes::try_advance(b.cast(), n) } {
        return bytes_status_t::BYTES_OK;
    }
    guard_status(|| {
        // SAFETY: `b` is NULL or a valid handle (C signature).
        let b = unsafe { borrow_mut(b) }.ok_or(BYTES_ERR_NULL)?;
        Ok(b.advance(n)?)
    })
}

/// Shortens the view `*b` to its first `len` bytes, keeping the storage.
/// A no-op if `len >= bytes_len(b)` or `b` is NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_truncate(b: *mut bytes_t, len: usize) {
    guard((), || {
        // SAFETY: `b` is NULL or a valid handle (C signature).
        if let Some(b) = unsafe { borrow_mut(b) } {
            b.truncate(len);
        }
    })
}

/// Empties `*b` and releases its reference to the storage at once (an
/// empty view needs none): the same as `bytes_drop`. A no-op if `b` is
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn bytes_clear(b: *mut bytes_t) {
    if !b.is_null() {
        // SAFETY: `b` is a valid handle (C signature). No panic site
        // (`scripts/no-panic.sh`).
        unsafe { Bytes::clear_raw(b.cast()) }
    }
}

/// Releases `*b`'s reference and leaves `*b` empty, so a second drop is a
/// no-op. The storage is freed (or its owner released) when its last handle
/// is dropped, on whichever thread that happens. A no-op if `b` is NULL.
///
/// `*b` is emptied before the reference is released, and not touched after
/// (rule 10): the handle may live inside the memory its owner's release
/// frees, and a release callback that drops the same handle again finds it
/// empty.
#[no_mangle]
pub unsafe extern "C" fn bytes_drop(b: *mut bytes_t) {
    // SAFETY: `b` is NULL or a valid handle (C signature).
    unsafe { bytes_clear(b) }
}

/// Whether no other handle can see `*b`'s storage: true for the library's
/// own storage with a single handle (also when the view is empty, e.g.
/// advanced to its end, while it still holds the storage); false for static
/// bytes, the all-zero handle, NULL, and storage with other handles.
#[no_mangle]
pub unsafe extern "C" fn bytes_is_unique(b: *const bytes_t) -> bool {
    guard(false, || {
        // SAFETY: `b` is NULL or a valid handle (C signature).
        unsafe { borrow(b) }.is_some_and(Bytes::is_unique)
    })
}

/// Makes `*b`'s storage hold exactly `*b`'s bytes, so that a small slice
/// kept for long does not pin a large buffer (a 20-byte header value can
/// keep a 64 KiB receive buffer alive): when `*b` views only part of its
/// storage, or a foreign storage of unknown size, copies the bytes into a
/// storage of their own (one allocation) and drops the old reference. A
/// no-op for static bytes, the all-zero handle, and handles that already
/// view their whole storage; an empty view that still holds a storage
/// releases it (and becomes the all-zero handle).
///
/// Errors: `BYTES_ERR_NULL` if `b` is NULL; `BYTES_ERR_NOMEM` if the copy
/// cannot be allocated, and `*b` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_compact(b: *mut bytes_t) -> bytes_status_t {
    guard_status(|| {
        // SAFETY: `b` is NULL or a valid handle (C signature).
        let b = unsafe { borrow_mut(b) }.ok_or(BYTES_ERR_NULL)?;
        Ok(b.compact()?)
    })
}

/// Whether `*a` and `*b` hold the same bytes. NULL compares as empty.
#[no_mangle]
pub unsafe extern "C" fn bytes_eq(a: *const bytes_t, b: *const bytes_t) -> bool {
    guard(false, || {
        // SAFETY: `a` and `b` are NULL or valid handles (C signature).
        unsafe { view(a) == view(b) }
    })
}

/// Compares `*a` and `*b` lexicographically, as `memcmp` on their common
/// length and then the shorter first: -1, 0 or 1. NULL compares as empty.
#[no_mangle]
pub unsafe extern "C" fn bytes_cmp(a: *const bytes_t, b: *const bytes_t) -> c_int {
    guard(0, || {
        // SAFETY: `a` and `b` are NULL or valid handles (C signature).
        unsafe { view(a).cmp(view(b)) as c_int }
    })
}

/// The bytes of `*b`, empty for NULL.
///
/// # Safety
/// `b` is NULL or a valid handle for `'a`.
unsafe fn view<'a>(b: *const bytes_t) -> &'a [u8] {
    // SAFETY: by the contract above.
    unsafe { borrow(b) }.map_or(&[], Bytes::as_slice)
}

/// Reads an `N`-byte integer from the front of `*b` into `*out` and
/// advances `*b` past it.
///
/// # Safety
/// `b` is NULL or a valid handle the caller may change; `out` is NULL or
/// valid for writes.
#[inline(always)]
unsafe fn get<const N: usize, T: Default>(
    b: *mut bytes_t,
    out: *mut T,
    decode: impl Fn([u8; N]) -> T,
) -> bytes_status_t {
    // SAFETY: by the contract above.
    if !b.is_null() && !out.is_null() && unsafe { Bytes::try_get(b.cast(), out, &decode) } {
        return bytes_status_t::BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { get_slow(b, out, decode) }
}

/// `get` for NULL and too short a view.
#[cold]
#[inline(never)]
unsafe fn get_slow<const N: usize, T: Default>(
    b: *mut bytes_t,
    out: *mut T,
    decode: impl Fn([u8; N]) -> T,
) -> bytes_status_t {
    guard_status(|| {
        if out.is_null() {
            return Err(BYTES_ERR_NULL);
        }
        // SAFETY: `b` is NULL or a valid handle (C signature).
        let result = unsafe { borrow_mut(b) }.ok_or(BYTES_ERR_NULL).and_then(|b| Ok(b.get_array::<N>()?));
        let value = result.map_or_else(|_| T::default(), decode);
        // SAFETY: `out` is non-NULL and valid for writes (C signature).
        unsafe { out.write(value) };
        result.map(drop)
    })
}

/// Reads one byte from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u8(b: *mut bytes_t, out: *mut u8) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u8::from_be_bytes) }
}

/// Reads a big-endian `uint16_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u16_be(b: *mut bytes_t, out: *mut u16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u16::from_be_bytes) }
}

/// Reads a little-endian `uint16_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u16_le(b: *mut bytes_t, out: *mut u16) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u16::from_le_bytes) }
}

/// Reads a big-endian `uint32_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u32_be(b: *mut bytes_t, out: *mut u32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u32::from_be_bytes) }
}

/// Reads a little-endian `uint32_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u32_le(b: *mut bytes_t, out: *mut u32) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u32::from_le_bytes) }
}

/// Reads a big-endian `uint64_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u64_be(b: *mut bytes_t, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u64::from_be_bytes) }
}

/// Reads a little-endian `uint64_t` from the front of `*b` into
/// `*out` and advances `*b` past it.
///
/// Errors: `BYTES_ERR_NULL` if `b` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `*b` is too short, and nothing is consumed. On error `*out` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_get_u64_le(b: *mut bytes_t, out: *mut u64) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { get(b, out, u64::from_le_bytes) }
}
