//! The C boundary's fast paths for the library's own storage kinds (static
//! bytes and the counted kinds), on raw handle pointers.
//!
//! Each function either completes its operation and returns true, or
//! touches nothing and returns false; the exported function then takes its
//! general path (inside the panic guard), which handles NULL, errors, empty
//! results (rule 9), custom vtables and the all-zero handle. The fast paths
//! contain no panic site (loads, compares, at most one atomic update, plain
//! stores), which `scripts/no-panic.sh` proves on every build of CI with
//! the `no-panic` crate, so the exported functions run them outside the
//! guard and write results straight to the caller's handle, with no
//! `Result` temporary in between.

use std::ffi::c_void;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

use crate::storage::{heap, refcount, Class, Kind};
use crate::vtable::Vtable;
use crate::{Bytes, Error};

/// The four words of the handle at `h`.
///
/// # Safety
/// `h` is a valid handle.
#[inline(always)]
unsafe fn words(h: *const Bytes) -> (*const u8, usize, *mut c_void, *const Vtable) {
    // SAFETY: `h` is valid (contract above).
    unsafe { ((*h).ptr, (*h).len, (*h).data, (*h).vtable) }
}

impl Bytes {
    /// Makes the reference for a bitwise copy of `*src` that the caller
    /// makes next, for the own kinds: nothing for static bytes, one atomic
    /// increment for counted storage. False for a custom vtable and the
    /// all-zero handle (see [`share_custom_copy`](Bytes::share_custom_copy)).
    ///
    /// # Safety
    /// `src` is a valid handle.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_share_own(src: *const Bytes) -> bool {
        // SAFETY: `src` is valid and holds its reference (contract above).
        unsafe {
            let (data, vtable) = ((*src).data, (*src).vtable);
            match Class::of(vtable) {
                Class::Static => true,
                Class::Counted => {
                    refcount(data).increment();
                    true
                }
                Class::Custom => false,
            }
        }
    }

    /// Turns `*copy`, a bitwise copy of a live handle of a custom vtable
    /// or of the all-zero handle, into a handle of its own: its `data`
    /// becomes what the vtable's `clone` returns. Out of line, so that the
    /// own kinds' paths save no register; `clone` is `extern "C"` and
    /// cannot unwind into Rust.
    ///
    /// # Safety
    /// `copy` is a writable bitwise copy of a valid handle of a custom
    /// vtable (or the all-zero handle), whose original holds its reference
    /// during the call.
    #[inline(never)]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn share_custom_copy(copy: *mut Bytes) {
        // SAFETY: by the contract above.
        unsafe { (*copy).data = share_custom(copy) };
    }

    /// `*out = (*src)[begin..end]` for a non-empty, in-bounds range of the
    /// own kinds. `out` may be `src`: the view then narrows in place and
    /// the new handle takes over the old one's reference, with no atomic
    /// update. False, and nothing changed, for an empty or bad range and
    /// for a custom vtable (see [`try_slice_custom`](Bytes::try_slice_custom)).
    ///
    /// # Safety
    /// `src` is a valid handle; `out` is `src`, or writable and disjoint
    /// from it.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_slice_raw(src: *const Bytes, begin: usize, end: usize, out: *mut Bytes) -> bool {
        // SAFETY: `src` is valid.
        let (_, len, data, vtable) = unsafe { words(src) };
        if begin >= end || end > len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // In place, the slice takes over `src`'s reference.
            Class::Counted if ptr::eq(src, out) => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            Class::Custom => return false,
        }
        // SAFETY: `begin < end <= len`: inside the view; `out` is writable
        // (and may be `src`: `copy` allows that); the new handle holds the
        // reference just made (or, in place, the old one's; or none, for
        // static bytes). Copied whole, then changed: fewer instructions
        // than writing each word.
        unsafe {
            ptr::copy(src, out, 1);
            (*out).ptr = (*out).ptr.add(begin);
            (*out).len = end - begin;
        }
        true
    }

    /// `*out = (*src)[..at]` and `*src = (*src)[at..]` for `0 < at < len`,
    /// for the own kinds (see [`try_split_custom`](Bytes::try_split_custom)):
    /// `bytes_split_to`, and the queue's take of a frame.
    ///
    /// # Safety
    /// `src` is a valid handle the caller may change; `out` is writable and
    /// disjoint from it.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_split_to_raw(src: *mut Bytes, at: usize, out: *mut Bytes) -> bool {
        // SAFETY: `src` is valid (contract above).
        let (_, len, data, vtable) = unsafe { words(src) };
        if at == 0 || at >= len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            Class::Custom => return false,
        }
        // SAFETY: `out` is writable and disjoint from `src`; `at < len`.
        // Copied whole, then the lengths and `src`'s start changed: fewer
        // instructions than writing each word.
        unsafe {
            ptr::copy_nonoverlapping(src, out, 1);
            (*out).len = at;
            (*src).ptr = (*src).ptr.add(at);
            (*src).len = len - at;
        }
        true
    }

    /// `*out = (*src)[at..]` and `*src = (*src)[..at]` for `0 < at < len`.
    ///
    /// # Safety
    /// As for [`try_split_to_raw`](Bytes::try_split_to_raw).
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_split_off_raw(src: *mut Bytes, at: usize, out: *mut Bytes) -> bool {
        // SAFETY: `src` is valid (contract above).
        let (_, len, data, vtable) = unsafe { words(src) };
        if at == 0 || at >= len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            Class::Custom => return false,
        }
        // SAFETY: `out` is writable and disjoint from `src`; `at < len`.
        // Copied whole, then changed (as in `try_split_to_raw`).
        unsafe {
            ptr::copy_nonoverlapping(src, out, 1);
            (*out).ptr = (*out).ptr.add(at);
            (*out).len = len - at;
            (*src).len = at;
        }
        true
    }

    /// Releases `*h`'s reference and leaves it all zero. The handle is
    /// emptied before the release (rule 10), so that what may follow is a
    /// tail call that needs no saved register: the end of the release of
    /// counted storage, freeing it after its last reference (cold), or a
    /// custom vtable's `drop`.
    ///
    /// # Safety
    /// `h` is a valid handle the caller may change.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn clear_raw(h: *mut Bytes) {
        // SAFETY: `h` is valid and writable; its reference is given up
        // after it is emptied, and after the last one nothing else reaches
        // the storage.
        unsafe {
            let (data, offset) = ((*h).data, Class::offset((*h).vtable));
            match Class::at_offset(offset) {
                Class::Static => h.write(Bytes::new()),
                Class::Counted => {
                    h.write(Bytes::new());
                    if refcount(data).release_start() {
                        settle_own(offset, data);
                    }
                }
                Class::Custom => clear_custom(h),
            }
        }
    }

    /// `*out` = a new heap storage holding a copy of `src[..len]`, for
    /// `0 < len <= isize::MAX`: one `malloc`, the header and the bytes
    /// written, the handle stored in `*out`. `Some(Ok(()))` when done,
    /// `Some(Err(Error::NoMem))` with `*out` emptied when the allocation
    /// fails; `None`, nothing written, for an empty or oversized `len`
    /// (the general path).
    ///
    /// # Safety
    /// `src[..len]` is readable; `out` is writable.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_copy_from_raw(
        src: *const u8,
        len: usize,
        out: *mut Bytes,
    ) -> Option<Result<(), Error>> {
        if len == 0 || len > isize::MAX as usize {
            return None;
        }
        // SAFETY: non-NULL (the caller's check), `len` fits an object, and
        // the bytes are readable (contract above).
        let src = unsafe { std::slice::from_raw_parts(src, len) };
        let (value, result) = match heap::copy_from_slice(src) {
            Ok(b) => (b, Ok(())),
            Err(e) => (Bytes::new(), Err(e)),
        };
        // SAFETY: `out` is writable (contract above).
        unsafe { out.write(value) };
        Some(result)
    }

    /// Drops the first `n` bytes of `*h`'s view when `n <= len`; any kind
    /// (no reference changes). False, and nothing changed, when `n > len`.
    ///
    /// # Safety
    /// `h` is a valid handle the caller may change.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_advance(h: *mut Bytes, n: usize) -> bool {
        // SAFETY: `h` is valid (contract above).
        let (ptr, len, _, _) = unsafe { words(h) };
        if n > len {
            return false;
        }
        // SAFETY: `n <= len`: at most one past the view's end (`wrapping`
        // for the all-zero handle's NULL pointer with `n == 0`).
        unsafe {
            (*h).ptr = ptr.wrapping_add(n);
            (*h).len = len - n;
        }
        true
    }

    /// Reads the first `N` bytes of `*h`'s view into `*out` as `decode`
    /// makes them, and advances past them; false, and nothing changed,
    /// when the view is shorter.
    ///
    /// # Safety
    /// `h` is a valid handle the caller may change; `out` is writable.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_get<const N: usize, T>(
        h: *mut Bytes,
        out: *mut T,
        decode: impl Fn([u8; N]) -> T,
    ) -> bool {
        // SAFETY: `h` is valid (contract above).
        let (ptr, len, _, _) = unsafe { words(h) };
        if len < N {
            return false;
        }
        // SAFETY: `N <= len` bytes are readable at `ptr` (non-NULL, since
        // only the all-zero handle has a NULL pointer, with length 0, and
        // `N > 0` for every reader); `out` is writable.
        unsafe {
            let bytes = ptr.cast::<[u8; N]>().read_unaligned();
            out.write(decode(bytes));
            (*h).ptr = ptr.add(N);
            (*h).len = len - N;
        }
        true
    }
}

// The custom vtables' paths, out of line: the own kinds' paths then save
// no register. A custom vtable's callbacks are `extern "C"` and cannot
// unwind into Rust; the all-zero handle (NULL vtable) calls nothing.

/// The `data` for a new handle of the storage of `*src`: the vtable's
/// `clone`, or `data` itself for the all-zero handle.
///
/// # Safety
/// `src` is a valid handle of a custom vtable or the all-zero handle.
#[inline(always)]
unsafe fn share_custom(src: *const Bytes) -> *mut c_void {
    // SAFETY: a non-NULL vtable outlives its handles; `clone` is required
    // (checked when the handle was made), and `src` holds the reference it
    // needs.
    unsafe {
        let (ptr, len, data, vtable) = words(src);
        match vtable.as_ref().and_then(|vtable| vtable.clone) {
            Some(clone) => clone(data, ptr, len),
            None => data,
        }
    }
}

impl Bytes {
    /// [`Bytes::try_slice_raw`] for a custom vtable, called by the general
    /// path first: one call of the vtable's `clone`, straight into `*out`.
    /// False, and nothing changed, for anything else that path handles
    /// (an empty or bad range, the own kinds, the all-zero handle, and
    /// `out == src`, where the general path clones, then drops).
    ///
    /// # Safety
    /// As for `try_slice_raw`.
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_slice_custom(
        src: *const Bytes,
        begin: usize,
        end: usize,
        out: *mut Bytes,
    ) -> bool {
        // SAFETY: `src` is valid (contract above).
        let (_, len, _, vtable) = unsafe { words(src) };
        if begin >= end
            || end > len
            || vtable.is_null()
            || Class::of(vtable) != Class::Custom
            || ptr::eq(src, out)
        {
            return false;
        }
        // SAFETY: as above; `begin < end <= len`.
        unsafe { slice_custom(src, begin, end, out) };
        true
    }

    /// [`Bytes::try_split_to_raw`] (`to`) or
    /// [`try_split_off_raw`](Bytes::try_split_off_raw) for a custom vtable,
    /// called by the general path first; false, and nothing changed, for
    /// anything else (as [`try_slice_custom`](Bytes::try_slice_custom)).
    ///
    /// # Safety
    /// As for `try_split_to_raw`.
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_split_custom(src: *mut Bytes, at: usize, out: *mut Bytes, to: bool) -> bool {
        // SAFETY: `src` is valid (contract above).
        let (_, len, _, vtable) = unsafe { words(src) };
        if at == 0 || at >= len || vtable.is_null() || Class::of(vtable) != Class::Custom {
            return false;
        }
        // SAFETY: as above; `0 < at < len`.
        unsafe { split_custom(src, at, out, to) };
        true
    }
}

/// `*out = (*src)[begin..end]` for a custom vtable.
///
/// # Safety
/// As for `try_slice_raw`, `out != src`, and `begin < end <= len`.
#[inline(always)]
unsafe fn slice_custom(src: *const Bytes, begin: usize, end: usize, out: *mut Bytes) {
    // SAFETY: as above.
    unsafe {
        let data = share_custom(src);
        let (ptr, _, _, vtable) = words(src);
        out.write(Bytes { ptr: ptr.add(begin), len: end - begin, data, vtable });
    }
}

/// The two splits for a custom vtable: `*out` gets `[..at]` (`to`) or
/// `[at..]`, `*src` keeps the rest.
///
/// # Safety
/// As for `try_split_to_raw`, and `0 < at < len`.
#[inline(always)]
unsafe fn split_custom(src: *mut Bytes, at: usize, out: *mut Bytes, to: bool) {
    // SAFETY: as above.
    unsafe {
        let data = share_custom(src);
        let (ptr, len, _, vtable) = words(src);
        if to {
            out.write(Bytes { ptr, len: at, data, vtable });
            (*src).ptr = ptr.add(at);
            (*src).len = len - at;
        } else {
            out.write(Bytes { ptr: ptr.add(at), len: len - at, data, vtable });
            (*src).len = at;
        }
    }
}

/// [`Bytes::clear_raw`] for a custom vtable or the all-zero handle: empties
/// the handle, then calls the vtable's `drop` with the view it had.
///
/// # Safety
/// `h` is a valid handle the caller may change.
#[inline(never)]
unsafe fn clear_custom(h: *mut Bytes) {
    // SAFETY: as above; the reference is given up once, after the handle
    // was emptied.
    unsafe {
        let (ptr, len, data, vtable) = words(h);
        h.write(Bytes::new());
        if let Some(drop) = vtable.as_ref().and_then(|vtable| vtable.drop) {
            drop(data, ptr, len);
        }
    }
}

/// The end of a release of the counted own storage `data` that may have
/// been its last ([`RefCount::settle`](crate::storage::refcount::RefCount)):
/// then it frees the storage. Out of line and cold, so that the drop paths
/// stay short, and a tail call from them. A panic cannot leave it (it
/// would be a bug in freeing; the storage then leaks), so the fast paths
/// calling it cannot unwind.
///
/// # Safety
/// `offset` is a counted own kind's ([`Class::offset`]), and the caller's
/// `release_start` on its count just returned true; after the last
/// reference nothing uses the storage again.
#[cold]
#[inline(never)]
unsafe fn settle_own(offset: usize, data: *mut c_void) {
    // SAFETY: by the contract above.
    if !unsafe { refcount(data) }.settle() {
        return;
    }
    let free = AssertUnwindSafe(|| {
        // Heap storage (one `free`, the most common) by one comparison;
        // the other kinds through their table.
        let heap = Kind::Heap.vtable() as *const Vtable;
        if offset == Class::offset(heap) {
            // SAFETY: by the contract above, of the heap kind.
            unsafe { heap::destroy(data) };
        } else if let Some(kind) = Kind::at_offset(offset) {
            // SAFETY: by the contract above.
            unsafe { kind.destroy(data) };
        }
    });
    let freed = panic::catch_unwind(free);
    // Not a tail call: the free keeps this library frame on the stack, so
    // that tools matching stacks by module (the TSan suppressions shipped
    // for programs using an uninstrumented libbytes) see it.
    std::hint::black_box(freed.is_ok());
}
