//! The queue's array of chunks: a `Vec<Bytes>` kept as four plain words
//! (`ptr`, `head`, `count`, `cap`) that C reads directly, so that
//! `bytes_queue_chunks` and `bytes_queue_front` are `static inline`.
//!
//! Live chunks are `[head, head + count)` of the vector; the slots before
//! `head` were consumed and hold empty handles (all zero, nothing to
//! drop), so consuming at the front moves nothing and `push_front` reuses
//! them. Every change goes through [`Chunks::with_vec`], which lends the
//! vector out as a real `Vec` and takes it back: the only `unsafe` here is
//! rebuilding it from its parts, and viewing the live slots as a slice.

use std::mem;

use crate::Bytes;

/// The vector's parts. All zero is the empty array (no allocation).
#[repr(C)]
pub(crate) struct Chunks {
    /// The vector's buffer; NULL exactly when `cap` is 0.
    ptr: *mut Bytes,
    /// The first live slot.
    head: usize,
    /// The number of live slots.
    count: usize,
    /// The vector's capacity.
    cap: usize,
}

// SAFETY: `Chunks` owns its `Bytes` (which are `Send` and `Sync`) as a
// `Vec` would.
unsafe impl Send for Chunks {}
// SAFETY: as above.
unsafe impl Sync for Chunks {}

impl Chunks {
    pub(crate) const fn new() -> Chunks {
        Chunks { ptr: std::ptr::null_mut(), head: 0, count: 0, cap: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }

    /// The number of free slots after the live chunks.
    pub(crate) fn spare(&self) -> usize {
        self.cap - self.head - self.count
    }

    /// The live chunks.
    pub(crate) fn as_slice(&self) -> &[Bytes] {
        if self.ptr.is_null() {
            return &[];
        }
        // SAFETY: `[head, head + count)` are initialised handles of the
        // vector this owns (the invariant `with_vec` keeps).
        unsafe { std::slice::from_raw_parts(self.ptr.add(self.head), self.count) }
    }

    /// The live chunks, writable.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [Bytes] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: as in `as_slice`, and `&mut self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(self.head), self.count) }
    }

    /// The first live chunk's slot, for the fast paths; `None` when there
    /// is none.
    #[inline(always)]
    pub(crate) fn first_slot(&mut self) -> Option<*mut Bytes> {
        if self.count == 0 {
            return None;
        }
        // SAFETY: a live chunk exists, so the vector is allocated and
        // `head` is in it.
        Some(unsafe { self.ptr.add(self.head) })
    }

    /// The last live chunk's slot, for the fast paths; `None` when there
    /// is none.
    #[inline(always)]
    pub(crate) fn last_slot(&mut self) -> Option<*mut Bytes> {
        if self.count == 0 {
            return None;
        }
        // SAFETY: a live chunk exists, so the vector is allocated and
        // `head + count - 1` is in it.
        Some(unsafe { self.ptr.add(self.head + self.count - 1) })
    }

    /// Stores `b` in the free slot after the live chunks, with no
    /// allocation.
    ///
    /// # Safety
    /// A slot is free (`spare() > 0`).
    #[inline(always)]
    pub(crate) unsafe fn push_unchecked(&mut self, b: Bytes) {
        // SAFETY: a free slot exists (contract above), so the vector is
        // allocated and slot `head + count` is in it, uninitialised; it
        // becomes live.
        unsafe { self.ptr.add(self.head + self.count).write(b) };
        self.count += 1;
    }

    /// Runs `change` on the vector (whose first `head` slots are empty
    /// handles) and the head index, then keeps what they became; `change`
    /// must leave `head <= vec.len()`. While it runs `self` is empty, so
    /// that a panic in it (a bug) drops the chunks and leaves an empty,
    /// consistent array rather than a dangling one.
    pub(crate) fn with_vec<R>(&mut self, change: impl FnOnce(&mut Vec<Bytes>, &mut usize) -> R) -> R {
        let parts = mem::take(self);
        let mut vec = if parts.ptr.is_null() {
            Vec::new()
        } else {
            // SAFETY: the parts are those of a `Vec<Bytes>` (kept by the
            // previous call), whose first `head + count` slots are
            // initialised; they are taken out of `self`, so owned once.
            unsafe { Vec::from_raw_parts(parts.ptr, parts.head + parts.count, parts.cap) }
        };
        let mut head = parts.head;
        mem::forget(parts);
        let result = change(&mut vec, &mut head);
        debug_assert!(head <= vec.len());
        let mut vec = mem::ManuallyDrop::new(vec);
        // Field by field: `self` is empty here, and assigning a whole
        // `Chunks` would run its `drop`.
        self.ptr = if vec.capacity() == 0 { std::ptr::null_mut() } else { vec.as_mut_ptr() };
        self.head = head;
        self.count = vec.len() - head;
        self.cap = vec.capacity();
        result
    }
}

impl Default for Chunks {
    fn default() -> Chunks {
        Chunks::new()
    }
}

impl Drop for Chunks {
    /// Releases the chunks (one count update per run of one storage) and
    /// frees the array.
    fn drop(&mut self) {
        if self.ptr.is_null() {
            return;
        }
        Bytes::drop_many(self.as_mut_slice());
        self.with_vec(|vec, head| {
            *vec = Vec::new();
            *head = 0;
        });
    }
}
