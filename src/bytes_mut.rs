//! [`BytesMut`]: a unique, growable buffer that splits, and freezes into
//! [`Bytes`] without a copy.

use std::mem::MaybeUninit;
use std::ops::Range;
use std::{fmt, ptr, slice};

use crate::storage::heap::{self, Block};
use crate::{Bytes, Error};

/// A unique, growable buffer in the library's heap storage.
///
/// Each handle owns a region `[ptr, ptr + cap)` of a heap block: `len`
/// written bytes, then spare capacity. Splitting cuts the region in two
/// handles that share the block (one atomic increment, no allocation) and
/// never overlap, so each may write its own bytes. Freezing turns the
/// handle into a [`Bytes`] over the same bytes, O(1).
///
/// The layout (four words, `#[repr(C)]`) is the C handle `bytes_mut_t`.
/// The all-zero value is valid: empty, with no storage.
///
/// Threads: a handle is `Send` and `Sync` (only `&mut` writes); handles
/// sharing a block may be used and dropped on different threads.
#[repr(C)]
pub struct BytesMut {
    /// NULL exactly when `block` is `None`.
    ptr: *mut u8,
    len: usize,
    cap: usize,
    /// The reference to the block this handle's region lies in.
    block: Option<Block>,
}

// SAFETY: the handle owns its region exclusively; the block's count is
// atomic (see `Block`).
unsafe impl Send for BytesMut {}
// SAFETY: `&BytesMut` only reads its own region.
unsafe impl Sync for BytesMut {}

impl BytesMut {
    /// An empty buffer without storage: all of its bits are zero, and it
    /// allocates on the first write.
    pub const fn new() -> BytesMut {
        BytesMut { ptr: ptr::null_mut(), len: 0, cap: 0, block: None }
    }

    /// An empty buffer with room for `capacity` bytes: one allocation (none
    /// for 0).
    pub fn with_capacity(capacity: usize) -> Result<BytesMut, Error> {
        if capacity == 0 {
            return Ok(BytesMut::new());
        }
        let block = Block::allocate(capacity)?;
        Ok(BytesMut { ptr: block.data(), len: 0, cap: capacity, block: Some(block) })
    }

    /// A buffer of `len` zero bytes: one allocation (none for 0).
    pub fn zeroed(len: usize) -> Result<BytesMut, Error> {
        let mut buf = BytesMut::with_capacity(len)?;
        // SAFETY: the region has room for `len` bytes.
        unsafe { buf.ptr.write_bytes(0, len) };
        buf.len = len;
        Ok(buf)
    }

    /// The number of written bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte is written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of bytes the region holds, written and spare.
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// The written bytes.
    pub fn as_slice(&self) -> &[u8] {
        if self.ptr.is_null() {
            return &[];
        }
        // SAFETY: `[ptr, ptr + len)` is written and owned by this handle.
        unsafe { slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The written bytes, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: `[ptr, ptr + len)` is written and owned by this handle
        // alone (regions of one block never overlap).
        unsafe { slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    /// The start of the region: NULL when there is no storage.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }

    /// The addresses of this buffer's whole block, when this handle is its
    /// only user: bytes there outside this handle's written bytes (advanced
    /// over, or split off and dropped) may be overwritten or freed by
    /// [`reserve`](BytesMut::reserve). `None` without a block or when the
    /// block is shared (other handles keep their own bytes alive).
    pub fn unique_storage(&self) -> Option<Range<usize>> {
        let block = self.block.as_ref().filter(|block| block.is_unique())?;
        let start = block.data() as usize;
        Some(start..start + block.capacity())
    }

    /// The spare capacity after the written bytes, for writing in place
    /// (e.g. by `read(2)`); [`commit`](BytesMut::commit) then marks what was
    /// written.
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: `[ptr + len, ptr + cap)` is this handle's own region;
        // `MaybeUninit` makes no claim that it is initialised.
        unsafe {
            slice::from_raw_parts_mut(self.ptr.add(self.len) as *mut MaybeUninit<u8>, self.cap - self.len)
        }
    }

    /// Marks the first `n` spare bytes as written; `Error::Range` if `n`
    /// exceeds the spare capacity.
    ///
    /// # Safety
    /// The first `n` spare bytes have been initialised.
    pub unsafe fn commit(&mut self, n: usize) -> Result<(), Error> {
        if n > self.cap - self.len {
            return Err(Error::Range);
        }
        self.len += n;
        Ok(())
    }

    /// Makes room for at least `additional` more bytes.
    ///
    /// The rule (as the crate `bytes`' `reserve_inner`): if the spare
    /// capacity suffices, nothing happens. Otherwise, when this handle is
    /// the only user of its block:
    /// 1. if the block has room after the region (left by a dropped
    ///    split-off half), the region grows over it;
    /// 2. else if the whole block has room, and the bytes to move are no
    ///    more than the free space before the region (so the move is paid
    ///    for by the bytes already consumed), the bytes move to the front
    ///    of the block.
    ///
    /// Neither allocates. Otherwise, with the crate's capacities:
    /// 3. when this handle is the block's only user, the block is
    ///    `realloc`ed to at least twice its size (or what is needed, if
    ///    more), keeping the region where it is in the block;
    /// 4. else (the block is shared, or there is none) the bytes are copied
    ///    into a new block of what is needed but at least the buffer's
    ///    original capacity (the capacity it was made with, rounded down to
    ///    a power of two, 0 below 1 KiB, at most 64 KiB), and the old
    ///    reference is released. A decoder that splits off and keeps every
    ///    frame thus allocates once per original capacity, not per frame.
    ///
    /// `Error::NoMem` if the size overflows or the allocation fails; the
    /// buffer is then unchanged.
    #[inline]
    pub fn reserve(&mut self, additional: usize) -> Result<(), Error> {
        if self.cap - self.len >= additional {
            return Ok(());
        }
        self.reserve_more(additional)
    }

    /// The part of [`reserve`](BytesMut::reserve) that makes room.
    #[cold]
    #[inline(never)]
    fn reserve_more(&mut self, additional: usize) -> Result<(), Error> {
        let needed = self.len.checked_add(additional).ok_or(Error::NoMem)?;
        if self.reclaim(needed) {
            return Ok(());
        }
        self.grow(needed)
    }

    /// Makes room for `additional` more bytes inside the current block
    /// (steps 1 and 2 of [`reserve`](BytesMut::reserve)), never allocating:
    /// true if there is room now, false and nothing changed otherwise.
    pub fn try_reclaim(&mut self, additional: usize) -> bool {
        if self.cap - self.len >= additional {
            return true;
        }
        match self.len.checked_add(additional) {
            Some(needed) => self.reclaim(needed),
            None => false,
        }
    }

    /// Steps 1 and 2 of `reserve`: room for `needed` bytes in total.
    fn reclaim(&mut self, needed: usize) -> bool {
        let Some(block) = &self.block else {
            return false;
        };
        if !block.is_unique() {
            return false;
        }
        let start = block.data();
        let offset = self.ptr as usize - start as usize;
        let block_cap = block.capacity();
        if block_cap - offset >= needed {
            self.cap = block_cap - offset;
            return true;
        }
        if block_cap >= needed && offset >= self.len {
            // SAFETY: the block is ours alone; `offset >= len` keeps the
            // source `[offset, offset + len)` and the destination `[0, len)`
            // apart.
            unsafe { ptr::copy_nonoverlapping(self.ptr, start, self.len) };
            self.ptr = start;
            self.cap = block_cap;
            return true;
        }
        false
    }

    /// Steps 3 and 4 of `reserve`: allocates room for `needed` bytes in
    /// total.
    fn grow(&mut self, needed: usize) -> Result<(), Error> {
        match &mut self.block {
            Some(block) if block.is_unique() => {
                let offset = self.ptr as usize - block.data() as usize;
                let wanted = offset.checked_add(needed).ok_or(Error::NoMem)?;
                let doubled = block.capacity().saturating_mul(2);
                let total = if doubled > wanted && heap::fits(doubled) { doubled } else { wanted };
                block.reallocate(total)?;
                // SAFETY: `offset` lies inside the moved block, whose
                // first `offset + len` bytes `realloc` kept.
                self.ptr = unsafe { block.data().add(offset) };
                self.cap = total - offset;
            }
            _ => {
                let original = self.block.as_ref().map_or(0, Block::original_capacity);
                let capacity = needed.max(original);
                let block = Block::allocate_with_original(capacity, original)?;
                if self.len != 0 {
                    // SAFETY: the new block has room for `len` bytes and
                    // cannot overlap the old region.
                    unsafe { ptr::copy_nonoverlapping(self.ptr, block.data(), self.len) };
                }
                self.ptr = block.data();
                self.cap = capacity;
                // The old reference is released after the copy.
                self.block = Some(block);
            }
        }
        Ok(())
    }

    /// Appends `src`, growing as [`reserve`](BytesMut::reserve) does.
    #[inline]
    pub fn extend_from_slice(&mut self, src: &[u8]) -> Result<(), Error> {
        self.reserve(src.len())?;
        // SAFETY: `reserve` made room for `src.len()` spare bytes, which
        // `src` (a shared borrow, while `self` is borrowed mutably) cannot
        // overlap.
        unsafe {
            ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.add(self.len), src.len());
            self.len += src.len();
        }
        Ok(())
    }

    /// Appends a copy of the written bytes in `range`, which is safe even
    /// when the buffer moves to grow. `Error::Range` if `range` is not
    /// inside the written bytes.
    pub fn extend_from_within(&mut self, range: Range<usize>) -> Result<(), Error> {
        if range.start > range.end || range.end > self.len {
            return Err(Error::Range);
        }
        let n = range.end - range.start;
        self.reserve(n)?;
        // SAFETY: the source lies in the written bytes and the destination
        // in the spare capacity after them: both inside the region, apart.
        unsafe {
            ptr::copy_nonoverlapping(self.ptr.add(range.start), self.ptr.add(self.len), n);
            self.len += n;
        }
        Ok(())
    }

    /// Splits off the first `at` written bytes: the result owns `[0, at)`
    /// (capacity `at`), `self` keeps the rest. Both share the block, also
    /// when a part is empty (it keeps its position, and a buffer left alone
    /// on the block can reclaim it); no allocation. `Error::Range` if
    /// `at > len`.
    pub fn split_to(&mut self, at: usize) -> Result<BytesMut, Error> {
        if at > self.len {
            return Err(Error::Range);
        }
        if self.block.is_none() {
            return Ok(BytesMut::new());
        }
        // Even when `at` takes the whole region, `self` keeps its (empty)
        // place in the block: once the front is dropped, `reserve` can
        // reclaim the block without allocating.
        let front = BytesMut { ptr: self.ptr, len: at, cap: at, block: self.block.clone() };
        // SAFETY: `at <= len <= cap`: inside the region or at its end.
        self.ptr = unsafe { self.ptr.add(at) };
        self.len -= at;
        self.cap -= at;
        Ok(front)
    }

    /// Splits the region at `at`, which may lie in the spare capacity: the
    /// result owns `[at, cap)` (with the written bytes past `at`), `self`
    /// keeps `[0, at)`. Both share the block, also when a part is empty
    /// (it keeps its position); no allocation. `Error::Range` if
    /// `at > capacity`.
    pub fn split_off(&mut self, at: usize) -> Result<BytesMut, Error> {
        if at > self.cap {
            return Err(Error::Range);
        }
        if self.block.is_none() {
            return Ok(BytesMut::new());
        }
        let back = BytesMut {
            // SAFETY: `at <= cap`: inside the region or at its end.
            ptr: unsafe { self.ptr.add(at) },
            len: self.len.saturating_sub(at),
            cap: self.cap - at,
            block: self.block.clone(),
        };
        self.len = self.len.min(at);
        self.cap = at;
        Ok(back)
    }

    /// Takes all written bytes, leaving `self` with the spare capacity:
    /// `split_to(len)`. Both share the block even when no byte is written,
    /// so that the result can reclaim it once `self` is dropped.
    pub fn split(&mut self) -> BytesMut {
        let len = self.len;
        self.split_to(len).unwrap_or_default()
    }

    /// Appends `other`'s bytes and consumes it: O(1) when `other`'s region
    /// directly follows this one's written bytes in the same block (as
    /// after a split), a copy otherwise. On failure (`Error::NoMem` while
    /// copying) nothing changed and `other` is handed back.
    pub fn unsplit(&mut self, other: BytesMut) -> Result<(), (Error, BytesMut)> {
        if self.block.is_none() {
            *self = other;
            return Ok(());
        }
        let adjacent = match (&self.block, &other.block) {
            (Some(mine), Some(theirs)) => {
                mine.data() == theirs.data() && self.ptr.wrapping_add(self.len) == other.ptr
            }
            _ => false,
        };
        if adjacent {
            // The regions are neighbours, so `len == cap` here.
            self.len += other.len;
            self.cap += other.cap;
            return Ok(()); // `other` drops its reference.
        }
        self.extend_from_slice(other.as_slice()).map_err(|error| (error, other))
    }

    /// Drops the first `n` written bytes (they leave the region).
    /// `Error::Range` if `n > len`.
    pub fn advance(&mut self, n: usize) -> Result<(), Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        if n != 0 {
            // SAFETY: `n <= len <= cap`: inside the region or at its end.
            self.ptr = unsafe { self.ptr.add(n) };
            self.len -= n;
            self.cap -= n;
        }
        Ok(())
    }

    /// Keeps the first `len` written bytes; no-op if `len` is not shorter.
    /// The capacity is kept.
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
        }
    }

    /// Forgets the written bytes, keeping the capacity.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Sets the length to `new_len`, appending copies of `fill` or
    /// truncating. `Error::NoMem` (nothing changed) if growing fails.
    pub fn resize(&mut self, new_len: usize, fill: u8) -> Result<(), Error> {
        if new_len <= self.len {
            self.truncate(new_len);
            return Ok(());
        }
        self.reserve(new_len - self.len)?;
        // SAFETY: `reserve` made room for `new_len` bytes.
        unsafe { self.ptr.add(self.len).write_bytes(fill, new_len - self.len) };
        self.len = new_len;
        Ok(())
    }

    /// The written bytes as a [`Bytes`] over the same memory: O(1), no
    /// copy, no allocation. The spare capacity is not reachable any more
    /// (it is freed with the block). An empty buffer releases its block
    /// and gives an empty `Bytes`.
    pub fn freeze(mut self) -> Bytes {
        match self.block.take() {
            // SAFETY: `[ptr, ptr + len)` is written, inside the block, and
            // with `self` consumed nobody writes it any more.
            Some(block) if self.len != 0 => unsafe { heap::into_bytes(block, self.ptr, self.len) },
            _ => Bytes::new(),
        }
    }

    /// A buffer over the region `[ptr, ptr + cap)` of `block`, of which
    /// `len` bytes are written.
    ///
    /// # Safety
    /// The region lies inside the block's data, nothing else can reach it,
    /// and its first `len` bytes are initialised.
    pub(crate) unsafe fn from_block(block: Block, ptr: *mut u8, len: usize, cap: usize) -> BytesMut {
        BytesMut { ptr, len, cap, block: Some(block) }
    }
}

impl Default for BytesMut {
    fn default() -> BytesMut {
        BytesMut::new()
    }
}

impl fmt::Debug for BytesMut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BytesMut").field("bytes", &self.as_slice()).field("capacity", &self.cap).finish()
    }
}

mod fast_path;
mod reclaim;
#[cfg(test)]
mod tests;
