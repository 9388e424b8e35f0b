//! The shared reference count of the counted storage kinds.
//!
//! Orderings, as in the crate `bytes` and `std::sync::Arc`:
//! - a new reference is made from an existing one, which keeps the storage
//!   alive, so the increment needs no ordering (`Relaxed`);
//! - a release is `Release`, so every use of the bytes through the dropped
//!   handle happens before the count reaches zero;
//! - the last release is followed by an `Acquire` fence, so the thread that
//!   frees the storage sees every other handle's uses as finished.
//!
//! Overflow: the count is a `usize`; exceeding `isize::MAX` references would
//! take more 32-byte handles than any address space holds, so it is not
//! checked (the crate `bytes` aborts there, and libbytes never aborts).

use std::sync::atomic::{fence, AtomicUsize, Ordering};

/// An atomic reference count starting at one.
#[derive(Debug)]
pub(crate) struct RefCount(AtomicUsize);

impl RefCount {
    /// The count of a storage with its first handle.
    pub(crate) const fn one() -> RefCount {
        RefCount(AtomicUsize::new(1))
    }

    /// Adds a reference for a new handle.
    pub(crate) fn increment(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Releases one reference; true when it was the last one, and the
    /// caller must then free the storage.
    #[must_use]
    pub(crate) fn release(&self) -> bool {
        if self.0.fetch_sub(1, Ordering::Release) != 1 {
            return false;
        }
        fence(Ordering::Acquire);
        true
    }

    /// Whether exactly one handle refers to the storage. `Acquire` pairs
    /// with the `Release` of other handles' drops, so a caller that goes on
    /// to reuse the storage sees their uses as finished.
    pub(crate) fn is_unique(&self) -> bool {
        self.0.load(Ordering::Acquire) == 1
    }
}
