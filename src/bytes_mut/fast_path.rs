//! The C boundary's fast paths for `bytes_mut_t`, on raw buffer pointers,
//! as `bytes::fast_path` does for `bytes_t`: each completes its operation
//! and returns true, or touches nothing and returns false, and the exported
//! function then takes its general (guarded) path. No panic site
//! (`scripts/no-panic.sh` proves it), so they run outside the guard.

use std::ptr;

use crate::storage::heap;
use crate::{Bytes, BytesMut};

impl BytesMut {
    /// Appends `bytes` when the spare capacity holds them; false (nothing
    /// changed) when the buffer must grow.
    ///
    /// # Safety
    /// `m` is a valid buffer the caller may change.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_put<const N: usize>(m: *mut BytesMut, bytes: [u8; N]) -> bool {
        // SAFETY: `m` is valid (contract above).
        let (ptr, len, cap) = unsafe { ((*m).ptr, (*m).len, (*m).cap) };
        if cap - len < N {
            return false;
        }
        // SAFETY: `N <= cap - len` spare bytes of this buffer's own region
        // (non-NULL: the capacity is not 0) are writable.
        unsafe {
            ptr.add(len).cast::<[u8; N]>().write_unaligned(bytes);
            (*m).len = len + N;
        }
        true
    }

    /// Appends `src[..n]` when the spare capacity holds them and the source
    /// lies outside `*m`'s whole block (any byte of the storage, which
    /// other handles or `reserve` may touch, is the general path's to
    /// judge); false (nothing changed) otherwise, and for `n == 0` or a
    /// buffer without storage.
    ///
    /// # Safety
    /// `m` is a valid buffer the caller may change; `src[..n]` is readable.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_extend_raw(m: *mut BytesMut, src: *const u8, n: usize) -> bool {
        // SAFETY: `m` is valid (contract above); its block lives while it
        // does.
        let (ptr, len, cap, block) = unsafe { ((*m).ptr, (*m).len, (*m).cap, &(*m).block) };
        let Some(block) = block else {
            return false;
        };
        if n == 0 || cap - len < n {
            return false;
        }
        let (start, end) = (block.data() as usize, block.data() as usize + block.capacity());
        let from = src as usize;
        if from < end && start < from.saturating_add(n) {
            return false;
        }
        // SAFETY: `n <= cap - len` spare bytes of this buffer's own region
        // are writable; the source is readable (contract above) and outside
        // the block, so the two do not overlap.
        unsafe {
            ptr::copy_nonoverlapping(src, ptr.add(len), n);
            (*m).len = len + n;
        }
        true
    }

    /// `*out` = the first `at` written bytes of `*m` as a buffer of their
    /// own (capacity `at`), `*m` keeps the rest: one atomic increment. False
    /// when `at > len` or `*m` has no storage.
    ///
    /// # Safety
    /// `m` is a valid buffer the caller may change; `out` is writable and
    /// disjoint from it.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_split_to_raw(m: *mut BytesMut, at: usize, out: *mut BytesMut) -> bool {
        // SAFETY: `m` is valid and its block, if any, lives while it does;
        // `out` is writable and disjoint; `at <= len <= cap`.
        unsafe {
            let (ptr, len) = ((*m).ptr, (*m).len);
            let Some(block) = &(*m).block else {
                return false;
            };
            if at > len {
                return false;
            }
            let block = block.clone();
            out.write(BytesMut { ptr, len: at, cap: at, block: Some(block) });
            (*m).ptr = ptr.add(at);
            (*m).len = len - at;
            (*m).cap -= at;
        }
        true
    }

    /// Freezes `*m` into a `Bytes` over its written bytes and leaves `*m`
    /// empty: O(1), the block's reference moves to the result. False for a
    /// buffer with nothing written (the general path releases its block).
    ///
    /// # Safety
    /// `m` is a valid buffer the caller may change; `out` is writable.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_freeze_raw(m: *mut BytesMut, out: *mut Bytes) -> bool {
        // SAFETY: `m` is valid; a buffer with written bytes has a block,
        // whose reference moves out of `*m` (emptied without a drop) into
        // the frozen handle; nobody writes the bytes any more.
        unsafe {
            let (ptr, len) = ((*m).ptr, (*m).len);
            if len == 0 {
                return false;
            }
            let block = ptr::read(&(*m).block);
            m.write(BytesMut::new());
            match block {
                Some(block) => out.write(heap::into_bytes(block, ptr, len)),
                None => out.write(Bytes::new()),
            }
        }
        true
    }
}
