//! What the queue needs of [`Bytes`] beyond single handles: merging a view
//! with the one that directly follows it, cloning many handles with one
//! count update per run of one storage, an empty view at a position, and
//! repointing a view whose bytes the queue moved in a storage only it and
//! its receive buffer hold.

use std::ffi::c_void;
use std::ptr;

use crate::storage::{refcount, Class, Kind};
use crate::Bytes;

impl Bytes {
    /// Appends `next` to this view when it directly follows it in the same
    /// storage of one of the library's own counted kinds (as two reads into
    /// one receive buffer do), in O(1): `next`'s reference is released
    /// (never the last one: this view holds another). Otherwise hands
    /// `next` back. Custom vtables are never merged (their `drop` may
    /// depend on the exact view it was given), nor static views: two
    /// adjacent static views may be two objects, which one view may not
    /// span.
    pub(crate) fn try_unsplit(&mut self, next: Bytes) -> Result<(), Bytes> {
        let adjacent = !self.is_empty()
            && !next.is_empty()
            && ptr::eq(self.vtable, next.vtable)
            && self.data == next.data
            && Kind::of(self.vtable).is_some_and(|kind| kind != Kind::Static)
            && self.ptr.wrapping_add(self.len) == next.ptr;
        if !adjacent {
            return Err(next);
        }
        self.len += next.len;
        drop(next);
        Ok(())
    }

    /// Appends to `out` a clone of every handle of `src`, in order. A run of
    /// neighbouring handles of one counted storage of the library's own
    /// kinds costs one atomic update; static bytes none; custom vtables one
    /// `clone` call each. `out` must have room for `src.len()` more handles
    /// (so that this never allocates, and cannot fail).
    pub(crate) fn clone_many_into(src: &[Bytes], out: &mut Vec<Bytes>) {
        debug_assert!(out.capacity() - out.len() >= src.len());
        let mut rest = src;
        while let Some((first, _)) = rest.split_first() {
            let run =
                rest.iter().take_while(|b| ptr::eq(b.vtable, first.vtable) && b.data == first.data).count();
            let (batch, tail) = rest.split_at(run);
            if Class::of(first.vtable) == Class::Counted {
                // SAFETY: `first` holds a reference to the counted storage.
                unsafe { refcount(first.data) }.add(run);
                // SAFETY: one reference was added for each new handle,
                // which views what a live handle of the storage views.
                out.extend(
                    batch.iter().map(|b| unsafe { Bytes::from_parts(b.ptr, b.len, b.data, b.vtable) }),
                );
            } else {
                out.extend(batch.iter().cloned());
            }
            rest = tail;
        }
    }

    /// Splits off the first `n` bytes (`0 < n < len`, which the caller
    /// checked): `split_to` without its checks, for the queue's paths.
    #[inline]
    pub(crate) fn split_front(&mut self, n: usize) -> Bytes {
        debug_assert!(0 < n && n < self.len);
        let front = self.share(self.ptr, n);
        self.advance_unchecked(n);
        front
    }

    /// Extends the view over the `n` bytes that directly follow it, which
    /// a merge hands over (see `BytesMut::try_hand_over`).
    ///
    /// # Safety
    /// Those bytes lie in this view's storage, are initialised, and no
    /// handle writes them any more.
    #[inline(always)]
    pub(crate) unsafe fn extend_over(&mut self, n: usize) {
        self.len += n;
    }

    /// Drops the first `n` bytes (`n <= len`, which the caller checked).
    /// No branch: `wrapping_add` is a plain addition, and stays in the view
    /// (at most one past its end; NULL plus 0 for the all-zero handle).
    #[inline]
    pub(crate) fn advance_within(&mut self, n: usize) {
        debug_assert!(n <= self.len);
        self.ptr = self.ptr.wrapping_add(n);
        self.len -= n;
    }

    /// An empty view at this view's first byte that holds no reference
    /// (rule 9; see `Bytes::empty_at`).
    pub(crate) fn empty_view_at_front(&self) -> Bytes {
        Bytes::empty_at(self.ptr)
    }

    /// The storage word of a heap view, for comparing it with a block:
    /// `None` for other kinds.
    #[inline]
    pub(crate) fn heap_data(&self) -> Option<*mut c_void> {
        ptr::eq(self.vtable, Kind::Heap.vtable()).then_some(self.data)
    }

    /// One past the view's last byte, as a raw address (no check for the
    /// all-zero handle, whose NULL plus 0 it gives).
    #[inline]
    pub(crate) fn end_ptr(&self) -> *const u8 {
        self.ptr.wrapping_add(self.len)
    }

    /// Makes the view point at `ptr`, where its bytes were moved.
    ///
    /// # Safety
    /// `ptr[..len]` lies in this view's storage and holds the view's bytes,
    /// and no other handle can see this view's old or new bytes.
    pub(crate) unsafe fn repoint(&mut self, ptr: *const u8) {
        self.ptr = ptr;
    }
}
