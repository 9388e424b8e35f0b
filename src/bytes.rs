//! [`Bytes`]: a shared, immutable view of a storage.

use std::cmp::Ordering;
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::ops::Range;
use std::{fmt, mem, ptr, slice};

use crate::storage::heap::{self, Block};
use crate::storage::{counted, refcount, Class, Kind};
use crate::vtable::Vtable;
use crate::{BytesMut, Error};

/// The first byte of every empty view made by the library: a real object,
/// so an empty view's pointer is never NULL and always valid for reading
/// zero bytes.
static EMPTY: u8 = 0;

/// A shared, immutable view of bytes in a reference-counted storage.
///
/// Cloning and slicing make a new handle over the same storage in O(1),
/// without copying a byte: one atomic increment for counted storage,
/// nothing for static bytes. Dropping the last handle releases the storage
/// through its [`Vtable`].
///
/// The layout (four words, `#[repr(C)]`) is the C handle `bytes_t`. The
/// all-zero value is valid: an empty view with no storage (`vtable` NULL).
///
/// Threads: handles are `Send` and `Sync`; handles sharing one storage may
/// be used and dropped on different threads at once, since every storage
/// kind counts its references atomically (custom vtables promise the same).
#[repr(C)]
pub struct Bytes {
    ptr: *const u8,
    len: usize,
    data: *mut c_void,
    /// NULL only for the all-zero empty handle; otherwise a vtable whose
    /// `clone` and `drop` are set and which outlives the handle.
    vtable: *const Vtable,
}

// SAFETY: the view is immutable, and every storage kind's vtable may be
// called from any thread, concurrently for one storage (see `vtable`).
unsafe impl Send for Bytes {}
// SAFETY: `&Bytes` only reads the view and calls `clone`/`is_unique`,
// which are thread-safe for every storage kind.
unsafe impl Sync for Bytes {}

impl Bytes {
    /// An empty view: no storage, no allocation. All of its bits are zero.
    pub const fn new() -> Bytes {
        Bytes { ptr: ptr::null(), len: 0, data: ptr::null_mut(), vtable: ptr::null() }
    }

    /// A view of bytes that live forever: no allocation, no count. An empty
    /// slice gives the all-zero handle: an empty slice's pointer may be
    /// dangling, which C may not be handed.
    pub const fn from_static(bytes: &'static [u8]) -> Bytes {
        if bytes.is_empty() {
            return Bytes::new();
        }
        Bytes { ptr: bytes.as_ptr(), len: bytes.len(), data: ptr::null_mut(), vtable: Kind::Static.vtable() }
    }

    /// A new storage holding a copy of `src`: one allocation (header and
    /// bytes together), none when `src` is empty.
    pub fn copy_from_slice(src: &[u8]) -> Result<Bytes, Error> {
        heap::copy_from_slice(src)
    }

    /// Assembles a handle from its parts.
    ///
    /// # Safety
    /// The handle takes over one reference to the storage `data`, which
    /// `vtable` (with `clone` and `drop` set, outliving the handle)
    /// manages, and `ptr[..len]` is initialised memory inside that storage
    /// that stays valid and unchanged while the reference is held.
    pub unsafe fn from_parts(ptr: *const u8, len: usize, data: *mut c_void, vtable: *const Vtable) -> Bytes {
        Bytes { ptr, len, data, vtable }
    }

    /// The storage word (tests that reach the storage's count).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn storage_data(&self) -> *mut c_void {
        self.data
    }

    /// The number of bytes in the view.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the view holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first byte of the view; never NULL, also for empty views.
    pub fn as_ptr(&self) -> *const u8 {
        if self.ptr.is_null() {
            &EMPTY
        } else {
            self.ptr
        }
    }

    /// The viewed bytes.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `as_ptr` is never NULL; a non-empty view is `len`
        // initialised bytes kept alive by this handle's reference
        // (`from_parts`' contract), and an empty one reads nothing.
        unsafe { slice::from_raw_parts(self.as_ptr(), self.len) }
    }

    /// The storage's vtable, `None` for the all-zero empty handle.
    fn vtable(&self) -> Option<&Vtable> {
        // SAFETY: a non-NULL vtable outlives the handle (`from_parts`).
        unsafe { self.vtable.as_ref() }
    }

    /// A new handle of the same storage viewing `ptr[..len]`, which must lie
    /// inside this view. The library's own kinds are handled inline (one
    /// atomic increment for counted storage, nothing for static bytes);
    /// custom vtables are called.
    #[inline]
    fn share(&self, ptr: *const u8, len: usize) -> Bytes {
        match Class::of(self.vtable) {
            Class::Static => {}
            // SAFETY: this handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(self.data) }.increment(),
            Class::Custom => return self.share_custom(ptr, len),
        }
        Bytes { ptr, len, data: self.data, vtable: self.vtable }
    }

    /// [`share`](Bytes::share) for a custom vtable or the all-zero handle,
    /// out of line so that the inline paths need no registers saved.
    #[cold]
    #[inline(never)]
    fn share_custom(&self, ptr: *const u8, len: usize) -> Bytes {
        match self.vtable().and_then(|vtable| vtable.clone) {
            Some(clone) => {
                // SAFETY: this handle holds a reference to `data`, as the
                // custom vtable's `clone` requires.
                let data = unsafe { clone(self.data, self.ptr, self.len) };
                Bytes { ptr, len, data, vtable: self.vtable }
            }
            None => Bytes::new(), // the all-zero handle
        }
    }

    /// Whether no other handle can see this storage. False for static
    /// bytes, for the empty handle and for vtables without `is_unique`.
    pub fn is_unique(&self) -> bool {
        match Class::of(self.vtable) {
            Class::Static => false,
            // SAFETY: this handle holds a reference to the counted storage.
            Class::Counted => unsafe { refcount(self.data) }.is_unique(),
            Class::Custom => match self.vtable().and_then(|vtable| vtable.is_unique) {
                // SAFETY: this handle holds a reference to `data`.
                Some(is_unique) => unsafe { is_unique(self.data) },
                None => false,
            },
        }
    }

    /// An empty view at `ptr` that holds no reference: the static kind
    /// with no bytes, so that an empty result keeps the position of the
    /// range it was cut from (as the crate `bytes` does), and dropping it
    /// is free. A NULL `ptr` (a position in the all-zero handle) gives the
    /// all-zero handle.
    pub(crate) fn empty_at(ptr: *const u8) -> Bytes {
        if ptr.is_null() {
            return Bytes::new();
        }
        Bytes { ptr, len: 0, data: ptr::null_mut(), vtable: Kind::Static.vtable() }
    }

    /// A view of `range` of this view, sharing the storage. An empty range
    /// gives an empty view at `range.start` that holds no reference.
    pub fn slice(&self, range: Range<usize>) -> Result<Bytes, Error> {
        if range.start > range.end || range.end > self.len {
            return Err(Error::Range);
        }
        if range.start == range.end {
            return Ok(Bytes::empty_at(self.ptr.wrapping_add(range.start)));
        }
        // SAFETY: `range.start < len`, so the offset stays inside the view.
        let ptr = unsafe { self.ptr.add(range.start) };
        Ok(self.share(ptr, range.end - range.start))
    }

    /// A view of the `sub_len` bytes at `sub`, which must lie inside this
    /// view (found there by a parser, say), sharing the storage. Only the
    /// addresses are compared; nothing is read through `sub`. An empty
    /// `sub` at any position from the view's start to its end gives an
    /// empty view there. Of an empty view any empty `sub` is accepted (the
    /// all-zero handle has no position; the crate `bytes` accepts an empty
    /// `sub` of any view, C parsers get a range check instead).
    pub fn slice_ref(&self, sub: *const u8, sub_len: usize) -> Result<Bytes, Error> {
        if self.is_empty() && (sub_len != 0 || sub != self.ptr) {
            return if sub_len == 0 { Ok(Bytes::new()) } else { Err(Error::Range) };
        }
        let start = (sub as usize).checked_sub(self.ptr as usize).ok_or(Error::Range)?;
        let end = start.checked_add(sub_len).ok_or(Error::Range)?;
        self.slice(start..end)
    }

    /// Splits the view at `at`: returns `[0, at)`, and `self` keeps
    /// `[at, len)`. Both share the storage; an empty part is an empty view
    /// at its position that holds no reference.
    pub fn split_to(&mut self, at: usize) -> Result<Bytes, Error> {
        if at > self.len {
            return Err(Error::Range);
        }
        if at == self.len {
            let end = Bytes::empty_at(self.ptr.wrapping_add(at));
            return Ok(mem::replace(self, end));
        }
        if at == 0 {
            return Ok(Bytes::empty_at(self.ptr));
        }
        let front = self.share(self.ptr, at);
        self.advance_unchecked(at);
        Ok(front)
    }

    /// Splits the view at `at`: returns `[at, len)`, and `self` keeps
    /// `[0, at)`. Both share the storage; an empty part is an empty view
    /// at its position that holds no reference.
    pub fn split_off(&mut self, at: usize) -> Result<Bytes, Error> {
        if at > self.len {
            return Err(Error::Range);
        }
        if at == 0 {
            let start = Bytes::empty_at(self.ptr);
            return Ok(mem::replace(self, start));
        }
        if at == self.len {
            return Ok(Bytes::empty_at(self.ptr.wrapping_add(at)));
        }
        // SAFETY: `at < len`, inside the view.
        let back = self.share(unsafe { self.ptr.add(at) }, self.len - at);
        self.len = at;
        Ok(back)
    }

    /// Drops the first `n` bytes of the view.
    pub fn advance(&mut self, n: usize) -> Result<(), Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        self.advance_unchecked(n);
        Ok(())
    }

    fn advance_unchecked(&mut self, n: usize) {
        debug_assert!(n <= self.len);
        if n != 0 {
            // SAFETY: `n <= len`: at most one past the view's end.
            self.ptr = unsafe { self.ptr.add(n) };
            self.len -= n;
        }
    }

    /// Shortens the view to `len` bytes, keeping the storage; no-op when
    /// `len` is not shorter.
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
        }
    }

    /// Empties the view and releases its storage now, as dropping does: an
    /// empty view needs none. The handle is emptied before the storage is
    /// released, so a release callback may free the memory the handle
    /// lives in, or drop the same handle again (a no-op then).
    pub fn clear(&mut self) {
        drop(mem::take(self));
    }

    /// Puts `value` in this handle, then releases the storage the handle
    /// held before, in that order (as [`clear`](Bytes::clear)).
    pub fn replace(&mut self, value: Bytes) {
        drop(mem::replace(self, value));
    }

    /// This handle's heap block, if its storage is the library's own.
    fn heap_block(&self) -> Option<&Block> {
        // SAFETY: a heap handle holds a block reference in `data`, borrowed
        // here for as long as the handle.
        (Kind::of(self.vtable) == Some(Kind::Heap)).then(|| unsafe { Block::borrow_raw(&self.data) })
    }

    /// Turns this handle into a [`BytesMut`] over the same bytes, without a
    /// copy, when that is possible: the storage is the library's own heap
    /// storage and this is its only handle. The buffer's capacity then
    /// reaches to the end of the block. Otherwise (shared, static, adopted
    /// or foreign storage) hands `self` back unchanged. An empty view that
    /// holds no storage (all-zero, or an empty view at a position) gives an
    /// empty buffer.
    pub fn try_into_mut(self) -> Result<BytesMut, Bytes> {
        if self.vtable.is_null() || (self.is_empty() && Class::of(self.vtable) == Class::Static) {
            return Ok(BytesMut::new());
        }
        let Some(block) = self.heap_block().filter(|block| block.is_unique()) else {
            return Err(self);
        };
        let end = block.data() as usize + block.capacity();
        let cap = end - self.ptr as usize;
        let ptr = self.ptr as *mut u8;
        let len = self.len;
        let this = mem::ManuallyDrop::new(self);
        // SAFETY: this was the block's only handle, so its reference moves
        // to the buffer and nothing else can reach the block; the region
        // from `ptr` to the end of the block holds the `len` viewed bytes
        // first (written when the storage was made).
        unsafe { Ok(BytesMut::from_block(Block::from_raw(this.data), ptr, len, cap)) }
    }

    /// Turns this handle into a [`BytesMut`]: without a copy when
    /// [`try_into_mut`](Bytes::try_into_mut) can, else by copying the bytes
    /// into a new buffer (one allocation) and dropping this reference.
    /// `Error::NoMem` hands `self` back unchanged.
    pub fn into_mut(self) -> Result<BytesMut, (Error, Bytes)> {
        let bytes = match self.try_into_mut() {
            Ok(unique) => return Ok(unique),
            Err(shared) => shared,
        };
        let mut copy = BytesMut::new();
        match copy.extend_from_slice(bytes.as_slice()) {
            Ok(()) => Ok(copy), // `bytes` drops its reference here.
            Err(error) => Err((error, bytes)),
        }
    }

    /// Makes this handle's storage hold exactly its bytes, so that a small
    /// slice does not keep a large storage alive: when the view is only
    /// part of its storage, or storage of unknown extent (a foreign
    /// vtable), copies the bytes into a storage of their own (one
    /// allocation) and drops the old reference. A no-op for static bytes,
    /// empty handles and views of their whole storage. `Error::NoMem`
    /// leaves the handle unchanged.
    pub fn compact(&mut self) -> Result<(), Error> {
        let whole = match Kind::of(self.vtable) {
            Some(Kind::Static) => true,
            Some(Kind::Heap) => self
                .heap_block()
                .is_some_and(|block| ptr::eq(block.data(), self.ptr) && block.capacity() == self.len),
            // SAFETY: a handle of a counted kind holds a counted header.
            Some(_) => unsafe { counted::views_whole(self.data, self.ptr, self.len) },
            None => self.vtable.is_null(),
        };
        if !whole {
            let copy = Bytes::copy_from_slice(self.as_slice())?;
            self.replace(copy);
        }
        Ok(())
    }

    /// Stores in `out[i]` a view of `ranges[i]` of this view, for every
    /// `i`, sharing the storage. For the library's own counted storage the
    /// count is updated once for the whole batch (no call through the
    /// vtable); static bytes need no count; custom vtables get one `clone`
    /// per slice, as their contract says. Empty ranges give empty views at
    /// their position that hold no reference. All or nothing: if any range is out of
    /// bounds (`Error::Range`), nothing is written and the count is
    /// unchanged. `out` must be as long as `ranges`.
    pub fn slice_many(&self, ranges: &[ByteRange], out: &mut [MaybeUninit<Bytes>]) -> Result<(), Error> {
        assert_eq!(ranges.len(), out.len(), "one handle per range");
        if ranges.iter().any(|range| range.begin > range.end || range.end > self.len) {
            return Err(Error::Range);
        }
        let class = Class::of(self.vtable);
        if class == Class::Counted {
            let shared = ranges.iter().filter(|range| range.begin != range.end).count();
            // SAFETY: this handle holds a reference to the counted storage.
            unsafe { refcount(self.data) }.add(shared);
        }
        for (range, slot) in ranges.iter().zip(out) {
            let len = range.end - range.begin;
            let handle = if len == 0 {
                Bytes::empty_at(self.ptr.wrapping_add(range.begin))
            } else if class != Class::Custom {
                // SAFETY: the range lies inside the view (checked), and the
                // batch added one reference for each non-empty slice.
                unsafe { Bytes::from_parts(self.ptr.add(range.begin), len, self.data, self.vtable) }
            } else {
                // SAFETY: inside the view (checked above).
                self.share(unsafe { self.ptr.add(range.begin) }, len)
            };
            slot.write(handle);
        }
        Ok(())
    }

    /// Drops every handle of `handles` and leaves them empty. A run of
    /// neighbouring handles of one storage of the library's own counted
    /// kinds is released with one atomic update (and the storage freed
    /// once, if that was its last reference), with the orderings of a
    /// single drop; other handles are dropped one by one.
    pub fn drop_many(handles: &mut [Bytes]) {
        let mut rest = handles;
        while let Some((first, _)) = rest.split_first() {
            let (vtable, data) = (first.vtable, first.data);
            let run = rest.iter().take_while(|b| ptr::eq(b.vtable, vtable) && b.data == data).count();
            let (batch, tail) = rest.split_at_mut(run);
            match Kind::of(vtable) {
                Some(kind) if kind != Kind::Static && run > 1 => {
                    batch.iter_mut().for_each(|handle| mem::forget(mem::take(handle)));
                    // SAFETY: the `run` handles just forgotten held one
                    // reference each to the counted storage `data`; when
                    // they were the last, nothing can reach it any more.
                    unsafe {
                        if refcount(data).release_many(run) {
                            kind.destroy(data);
                        }
                    }
                }
                _ => batch.iter_mut().for_each(Bytes::clear),
            }
            rest = tail;
        }
    }

    /// Reads `N` bytes from the front of the view and advances past them;
    /// `Error::Range` and nothing consumed when the view is shorter.
    pub fn get_array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let head = self.as_slice().first_chunk::<N>().copied().ok_or(Error::Range)?;
        self.advance_unchecked(N);
        Ok(head)
    }
}

/// A range `[begin, end)` of a view, for `bytes_slice_many`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    /// The first byte of the range.
    pub begin: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::new()
    }
}

impl Clone for Bytes {
    /// A new handle of the same view: one atomic increment for counted
    /// storage, nothing for static bytes, never an allocation.
    fn clone(&self) -> Bytes {
        self.share(self.ptr, self.len)
    }
}

impl Drop for Bytes {
    /// Releases this handle's reference: inline for the library's own kinds
    /// (one atomic decrement for counted storage, freeing it after the last
    /// one), through the vtable for custom ones.
    #[inline]
    fn drop(&mut self) {
        match Class::of(self.vtable) {
            Class::Static => {}
            // SAFETY: this handle holds one reference to the counted
            // storage `data` and gives it up here; after the last one,
            // nothing else can reach the storage.
            Class::Counted => unsafe {
                if refcount(self.data).release() {
                    self.destroy();
                }
            },
            Class::Custom => self.drop_custom(),
        }
    }
}

impl Bytes {
    /// Frees the counted storage whose last reference this handle released.
    ///
    /// # Safety
    /// The handle's storage is of a counted own kind, and its count just
    /// reached zero.
    #[cold]
    #[inline(never)]
    unsafe fn destroy(&mut self) {
        if let Some(kind) = Kind::of(self.vtable) {
            // SAFETY: by the contract above.
            unsafe { kind.destroy(self.data) };
        }
    }

    /// The drop of a custom vtable's handle (or the all-zero handle), out
    /// of line so that the inline paths need no registers saved.
    #[cold]
    #[inline(never)]
    fn drop_custom(&mut self) {
        if let Some(drop) = self.vtable().and_then(|vtable| vtable.drop) {
            // SAFETY: this handle holds one reference to `data` and gives
            // it up here; the fields are not used again.
            unsafe { drop(self.data, self.ptr, self.len) };
        }
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Bytes {}

impl PartialOrd for Bytes {
    fn partial_cmp(&self, other: &Bytes) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bytes {
    /// Lexicographic, as `memcmp` on the common prefix, then the shorter
    /// view first.
    fn cmp(&self, other: &Bytes) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bytes")
            .field("bytes", &self.as_slice())
            .field("storage", &self.vtable().map(|vtable| vtable.name))
            .finish()
    }
}

mod fast_path;
mod runs;
#[cfg(test)]
mod tests;
