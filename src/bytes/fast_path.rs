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

use crate::storage::{refcount, Class, Kind};
use crate::vtable::Vtable;
use crate::Bytes;

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
    /// makes next, for the own kinds and the all-zero handle: nothing for
    /// static bytes and the all-zero handle, one atomic increment for
    /// counted storage. False for a custom vtable (see
    /// [`share_custom_copy`](Bytes::share_custom_copy)).
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
                Class::Custom => vtable.is_null(),
            }
        }
    }

    /// Turns `*copy`, a bitwise copy of a live handle of a custom vtable,
    /// into a handle of its own: its `data` becomes what the vtable's
    /// `clone` returns. Out of line, so that the own kinds' paths save no
    /// register; `clone` is `extern "C"` and cannot unwind into Rust.
    ///
    /// # Safety
    /// `copy` is a writable bitwise copy of a valid handle of a custom
    /// vtable, whose original holds its reference during the call.
    #[inline(never)]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn share_custom_copy(copy: *mut Bytes) {
        // SAFETY: by the contract above.
        unsafe { (*copy).data = share_custom(copy) };
    }

    /// `*out = (*src)[begin..end]` for a non-empty, in-bounds range. `out`
    /// may be `src` for the own kinds: the view then narrows in place and
    /// the new handle takes over the old one's reference, with no atomic
    /// update. False, and nothing changed, for an empty or bad range, and
    /// for a custom vtable in place (the general path clones, then drops).
    ///
    /// # Safety
    /// `src` is a valid handle; `out` is `src`, or writable and disjoint
    /// from it.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_slice_raw(src: *const Bytes, begin: usize, end: usize, out: *mut Bytes) -> bool {
        // SAFETY: `src` is valid; every field is read before `out` (which
        // may be `src`) is written.
        let (ptr, len, data, vtable) = unsafe { words(src) };
        if begin >= end || end > len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // In place, the slice takes over `src`'s reference.
            Class::Counted if ptr::eq(src, out) => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            // SAFETY: as this function's contract.
            Class::Custom => return unsafe { slice_custom(src, begin, end, out) },
        }
        // SAFETY: `begin < end <= len`: inside the view; `out` is writable;
        // the new handle holds the reference just made (or, in place, the
        // old one's; or none, for static bytes).
        unsafe { out.write(Bytes { ptr: ptr.add(begin), len: end - begin, data, vtable }) };
        true
    }

    /// `*out = (*src)[..at]` and `*src = (*src)[at..]` for `0 < at < len`.
    ///
    /// # Safety
    /// `src` is a valid handle the caller may change; `out` is writable and
    /// disjoint from it.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_split_to_raw(src: *mut Bytes, at: usize, out: *mut Bytes) -> bool {
        // SAFETY: `src` is valid (contract above).
        let (ptr, len, data, vtable) = unsafe { words(src) };
        if at == 0 || at >= len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            // SAFETY: as this function's contract; `0 < at < len`.
            Class::Custom => return unsafe { split_custom(src, at, out, true) },
        }
        // SAFETY: `out` is writable and disjoint from `src`; `at < len`.
        unsafe {
            out.write(Bytes { ptr, len: at, data, vtable });
            (*src).ptr = ptr.add(at);
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
        let (ptr, len, data, vtable) = unsafe { words(src) };
        if at == 0 || at >= len {
            return false;
        }
        match Class::of(vtable) {
            Class::Static => {}
            // SAFETY: the handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(data) }.increment(),
            // SAFETY: as this function's contract; `0 < at < len`.
            Class::Custom => return unsafe { split_custom(src, at, out, false) },
        }
        // SAFETY: `out` is writable and disjoint from `src`; `at < len`.
        unsafe {
            out.write(Bytes { ptr: ptr.add(at), len: len - at, data, vtable });
            (*src).len = at;
        }
        true
    }

    /// Releases `*h`'s reference and leaves it all zero. The handle is
    /// emptied before the release (rule 10), so that the release is a tail
    /// call that needs no saved register: freeing counted storage after
    /// its last reference (cold), or a custom vtable's `drop`.
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
                    if refcount(data).release() {
                        destroy_own(offset, data);
                    }
                }
                Class::Custom => clear_custom(h),
            }
        }
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

/// [`Bytes::try_slice_raw`] for a custom vtable or the all-zero handle,
/// whose range was checked; in place (`out == src`) it is the general
/// path's (clone, then drop).
///
/// # Safety
/// As for `try_slice_raw`, and `begin < end <= len`.
#[inline(never)]
unsafe fn slice_custom(src: *const Bytes, begin: usize, end: usize, out: *mut Bytes) -> bool {
    if ptr::eq(src, out) {
        return false;
    }
    // SAFETY: as above.
    unsafe {
        let data = share_custom(src);
        let (ptr, _, _, vtable) = words(src);
        out.write(Bytes { ptr: ptr.add(begin), len: end - begin, data, vtable });
    }
    true
}

/// The two splits for a custom vtable or the all-zero handle: `*out` gets
/// `[..at]` (`to`) or `[at..]`, `*src` keeps the rest.
///
/// # Safety
/// As for `try_split_to_raw`, and `0 < at < len`.
#[inline(never)]
unsafe fn split_custom(src: *mut Bytes, at: usize, out: *mut Bytes, to: bool) -> bool {
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
    true
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

/// Frees the counted own storage `data` whose last reference was just
/// released: out of line and cold, so that the drop paths stay short, and
/// a tail call from them. A panic cannot leave it (it would be a bug in
/// freeing; the storage then leaks), so the fast paths calling it cannot
/// unwind.
///
/// # Safety
/// `offset` is a counted own kind's ([`Class::offset`]); its count just
/// reached zero, and nothing uses the storage again.
#[cold]
#[inline(never)]
unsafe fn destroy_own(offset: usize, data: *mut c_void) {
    let free = AssertUnwindSafe(|| {
        if let Some(kind) = Kind::at_offset(offset) {
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
