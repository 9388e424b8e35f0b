//! The queue's fast paths, which a frame decoder's loop takes on every
//! frame and every read: consuming and taking within the first chunk, and
//! pushing a receive buffer's bytes when nothing has to move or grow.
//!
//! As `bytes::fast_path` does for single handles, each either completes its
//! operation and returns true, or touches nothing and returns false; the
//! caller then takes the general path (for the C boundary: inside the panic
//! guard), which handles errors, empty results, chunk boundaries and
//! growing the chunk array. They contain no panic site (loads, compares, at
//! most one atomic update, plain stores), which `scripts/no-panic.sh` proves with the
//! `no-panic` crate, so the C boundary runs them outside the guard and
//! writes results straight to the caller's handle.

use super::Queue;
use crate::{Bytes, BytesMut};

impl Queue {
    /// Drops the first `n` bytes when they lie within the first chunk and
    /// leave some of it (`n < len` of that chunk): no reference changes. A
    /// chunk consumed whole (which releases it) and an empty queue give
    /// false.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) fn try_advance_within(&mut self, n: usize) -> bool {
        let Some(first) = self.chunks.first_slot() else {
            return false;
        };
        // SAFETY: `first` is the live first chunk, which `&mut self` lets
        // this change; `n < len`, so the chunk stays non-empty.
        unsafe {
            if n >= (*first).len() {
                return false;
            }
            (*first).advance_within(n);
        }
        self.len -= n;
        true
    }

    /// Takes the first `n` bytes into `*out` when they lie within the first
    /// chunk and leave some of it (`0 < n < len` of that chunk), and the
    /// chunk is of one of the library's own kinds: the chunk is split,
    /// sharing its storage (one atomic increment for the counted kinds,
    /// none for static bytes), and the new handle is written straight to
    /// `out`. False, and nothing changed (`out` not written), otherwise
    /// (custom vtables take the general path, which calls their `clone`).
    ///
    /// # Safety
    /// `out` is valid for writing a handle, and is not one of the queue's
    /// chunks (its previous contents are overwritten, not dropped).
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) unsafe fn try_take_within(&mut self, n: usize, out: *mut Bytes) -> bool {
        let Some(first) = self.chunks.first_slot() else {
            return false;
        };
        // SAFETY: `first` is the live first chunk, which `&mut self` lets
        // this change, disjoint from `out` (contract above).
        if !unsafe { Bytes::try_split_to_raw(first, n, out) } {
            return false;
        }
        self.len -= n;
        true
    }

    /// Appends `m`'s written bytes when that needs no allocation: handed
    /// over to the last chunk when they directly follow it (no count
    /// update), else frozen into the free slot after the live chunks (one
    /// atomic increment). Nothing written is a no-op (true). False, and
    /// nothing changed, when the chunk array has no free slot.
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) fn try_push_mut_in_place(&mut self, m: &mut BytesMut) -> bool {
        let n = m.len();
        if n == 0 {
            return true;
        }
        if let Some(last) = self.chunks.last_slot() {
            // SAFETY: `last` is the live last chunk, which `&mut self` lets
            // this change.
            if m.try_hand_over(unsafe { &mut *last }) {
                self.len += n;
                return true;
            }
        }
        if self.chunks.spare() == 0 {
            return false;
        }
        // SAFETY: a slot is free.
        unsafe { self.chunks.push_unchecked(m.split().freeze()) };
        self.len += n;
        true
    }
}
