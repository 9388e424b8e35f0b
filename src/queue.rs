//! [`Queue`]: a FIFO of [`Bytes`] chunks read as one buffer, the crate
//! `bytes`' `Buf` over a chain. Append at the back, read, search and
//! consume at the front across chunk boundaries, write out with partial
//! writes handled; nothing is copied except where a contiguous result
//! spanning chunks is asked for.
//!
//! Two behaviours keep a steady receive loop free of allocations and
//! copies: contiguous pushes merge into the last chunk (a frame that
//! arrived in two reads into one buffer is still one chunk), and the
//! receive buffer's storage is reclaimed through the queue
//! ([`Queue::reserve_buf`]).
//!
//! Costs: the chunk array grows amortised (doubling) and is compacted in
//! place when its consumed front outweighs its live chunks; when the queue
//! empties, a large array (over [`SHRINK_ABOVE`] chunks) is freed. Only
//! pushes allocate the array; `take` and `pullup` across chunks allocate
//! one storage for their copy; `write` allocates a tail storage of at
//! least [`WRITE_BLOCK`] bytes when the current one is full.
//!
//! Threads: a queue is `Send` and `Sync`; its chunks may share storage
//! with handles used on other threads.

mod chunks;
mod fast_path;

use std::mem::{self, MaybeUninit};

use crate::buf::Buf;
use crate::io::{self, MAX_IOVECS};
use crate::{Bytes, BytesMut, Error};
use chunks::Chunks;

/// The least capacity of the tail storage `write` copies into.
pub(crate) const WRITE_BLOCK: usize = 4096;

/// A chunk array of more than this many slots is freed when the queue
/// empties, so that a burst does not keep a large array for good.
pub(crate) const SHRINK_ABOVE: usize = 256;

/// The least number of free slots `push_front` makes at the front when it
/// has to move the chunks.
const FRONT_ROOM: usize = 4;

/// A FIFO of chunks read as one buffer. The layout (nine words,
/// `#[repr(C)]`) is the C handle `bytes_queue_t`; all zero is the empty
/// queue, which owns nothing.
#[repr(C)]
#[derive(Default)]
pub struct Queue {
    chunks: Chunks,
    /// The total number of bytes in the chunks.
    len: usize,
    /// The storage `write` copies into: its spare capacity follows the
    /// bytes it last wrote, so consecutive writes merge into one chunk.
    tail: BytesMut,
}

impl Queue {
    /// An empty queue: no allocation.
    pub const fn new() -> Queue {
        Queue { chunks: Chunks::new(), len: 0, tail: BytesMut::new() }
    }

    /// The total number of bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the queue holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunks, front first; none is empty.
    pub fn chunks(&self) -> &[Bytes] {
        self.chunks.as_slice()
    }

    /// The number of chunk slots the array has (live, consumed and free).
    pub fn chunk_capacity(&self) -> usize {
        self.chunks.capacity()
    }

    /// The first chunk.
    pub fn front(&self) -> Option<&Bytes> {
        self.chunks().first()
    }

    /// Room for `n` more chunks at the back: nothing when there is room,
    /// else the consumed front is reclaimed when it outweighs the live
    /// chunks (a move that the consumption paid for), else the array grows
    /// (at least doubling). `Error::NoMem` changes nothing.
    fn reserve_back(&mut self, n: usize) -> Result<(), Error> {
        if self.chunks.spare() >= n {
            return Ok(());
        }
        self.chunks.with_vec(|vec, head| {
            if vec.capacity() - vec.len() >= n {
                return Ok(());
            }
            let live = vec.len() - *head;
            if *head >= live && vec.capacity() - live >= n {
                vec.drain(..*head);
                *head = 0;
                return Ok(());
            }
            vec.try_reserve(n).map_err(|_| Error::NoMem)
        })
    }

    /// Appends `b` (non-empty) after [`reserve_back`](Queue::reserve_back)
    /// made room: merged into the last chunk when it directly follows it
    /// in the same storage, else stored in a new slot.
    fn push_reserved(&mut self, b: Bytes) {
        let n = b.len();
        let b = match self.chunks.as_mut_slice().last_mut() {
            Some(last) => match last.try_unsplit(b) {
                Ok(()) => {
                    self.len += n;
                    return;
                }
                Err(b) => b,
            },
            None => b,
        };
        self.chunks.with_vec(|vec, _| {
            debug_assert!(vec.len() < vec.capacity(), "reserve_back made room");
            vec.push(b);
        });
        self.len += n;
    }

    /// Appends `b`; an empty `b` is dropped, not stored. `Error::NoMem`
    /// (the chunk array could not grow) hands `b` back.
    pub fn push(&mut self, b: Bytes) -> Result<(), (Error, Bytes)> {
        if b.is_empty() {
            return Ok(());
        }
        if let Err(error) = self.reserve_back(1) {
            return Err((error, b));
        }
        self.push_reserved(b);
        Ok(())
    }

    /// Splits off `m`'s written bytes, freezes them (no copy) and appends
    /// them; `m` keeps its spare capacity. `Error::NoMem` leaves both
    /// unchanged.
    pub fn push_mut(&mut self, m: &mut BytesMut) -> Result<(), Error> {
        if self.try_push_mut_in_place(m) {
            return Ok(());
        }
        self.reserve_back(1)?;
        self.push_reserved(m.split().freeze());
        Ok(())
    }

    /// Moves every chunk of `other` to the back of this queue, leaving
    /// `other` empty (its write storage stays with it). `Error::NoMem`
    /// changes neither.
    pub fn append(&mut self, other: &mut Queue) -> Result<(), Error> {
        if other.is_empty() {
            return Ok(());
        }
        self.reserve_back(other.chunks.len())?;
        other.chunks.with_vec(|vec, head| {
            for chunk in vec.drain(*head..) {
                self.push_reserved(chunk);
            }
            vec.clear();
            *head = 0;
        });
        other.len = 0;
        Ok(())
    }

    /// Puts `b` back at the front (an empty `b` is dropped, not stored):
    /// merged into the first chunk when it directly precedes it in the same
    /// storage, else into a free slot before it. O(1) amortised: when there
    /// is none, the chunks move back by at least their number.
    /// `Error::NoMem` hands `b` back.
    pub fn push_front(&mut self, b: Bytes) -> Result<(), (Error, Bytes)> {
        if b.is_empty() {
            return Ok(());
        }
        let n = b.len();
        let mut b = b;
        if let Some(first) = self.chunks.as_mut_slice().first_mut() {
            match b.try_unsplit(mem::take(first)) {
                Ok(()) => {
                    *first = b;
                    self.len += n;
                    return Ok(());
                }
                Err(old_first) => *first = old_first,
            }
        }
        let made_room = self.chunks.with_vec(|vec, head| {
            if *head > 0 {
                return Ok(());
            }
            let live = vec.len();
            let room = live.max(FRONT_ROOM);
            vec.try_reserve(room).map_err(|_| Error::NoMem)?;
            vec.resize_with(live + room, Bytes::new);
            vec.rotate_right(room);
            *head = room;
            Ok(())
        });
        if let Err(error) = made_room {
            return Err((error, b));
        }
        self.chunks.with_vec(|vec, head| {
            *head -= 1;
            vec[*head] = b;
        });
        self.len += n;
        Ok(())
    }

    /// Appends a copy of `src`, into the queue's own tail storage, which
    /// later writes fill before another is allocated (of at least
    /// [`WRITE_BLOCK`] bytes): consecutive writes share one storage and
    /// merge into one chunk. `Error::NoMem` changes nothing visible.
    pub fn write(&mut self, src: &[u8]) -> Result<(), Error> {
        if src.is_empty() {
            return Ok(());
        }
        self.reserve_back(1)?;
        if !self.tail.try_reclaim(src.len()) {
            self.tail = BytesMut::with_capacity(src.len().max(WRITE_BLOCK))?;
        }
        self.tail.extend_from_slice(src)?;
        let written = self.tail.split().freeze();
        self.push_reserved(written);
        Ok(())
    }

    /// A second queue sharing every chunk: one array allocation, and one
    /// count update per run of chunks of one storage (custom vtables: one
    /// `clone` each). The write storage is not shared.
    pub fn try_clone(&self) -> Result<Queue, Error> {
        let mut vec = Vec::new();
        vec.try_reserve_exact(self.chunks.len()).map_err(|_| Error::NoMem)?;
        Bytes::clone_many_into(self.chunks(), &mut vec);
        let mut clone = Queue::new();
        clone.chunks.with_vec(|slots, head| {
            *slots = vec;
            *head = 0;
        });
        clone.len = self.len;
        Ok(clone)
    }

    /// Makes room for `additional` more bytes in `m`, the receive buffer
    /// whose written bytes this queue receives (by [`push_mut`]
    /// (Queue::push_mut)): when only `m` and this queue's last chunk hold
    /// `m`'s storage, the pending bytes move to its front instead of
    /// allocating (see `BytesMut::reserve_behind`). `Error::NoMem` changes
    /// nothing.
    pub fn reserve_buf(&mut self, m: &mut BytesMut, additional: usize) -> Result<(), Error> {
        m.reserve_behind(self.chunks.as_mut_slice().last_mut(), additional)
    }

    /// The receive loop in one call: [`reserve_buf`](Queue::reserve_buf)
    /// for `max` bytes, one `read(2)` from `fd` into `m`'s spare capacity
    /// (`EINTR` retried), then [`push_mut`](Queue::push_mut). Returns the
    /// byte count, 0 at end of file. Errors (`Error::NoMem`, `Error::Io`)
    /// leave the queue's bytes and `m`'s written bytes as they were (a
    /// reclaim may have moved them within their storage).
    pub fn read_fd(&mut self, m: &mut BytesMut, fd: i32, max: usize) -> Result<usize, Error> {
        self.reserve_back(1)?;
        self.reserve_buf(m, max)?;
        let n = m.read_fd(fd, max)?;
        self.push_reserved_mut(m);
        Ok(n)
    }

    /// `push_mut` after `reserve_back(1)`.
    fn push_reserved_mut(&mut self, m: &mut BytesMut) {
        if !m.is_empty() {
            self.push_reserved(m.split().freeze());
        }
    }

    /// The chunk index and the offset in it of byte `offset` (at most
    /// `len`; `offset == len` gives one past the last chunk).
    fn locate(&self, mut offset: usize) -> (usize, usize) {
        for (i, chunk) in self.chunks().iter().enumerate() {
            if offset < chunk.len() {
                return (i, offset);
            }
            offset -= chunk.len();
        }
        (self.chunks.len(), 0)
    }

    /// Copies `dst.len()` bytes at `offset` into `dst`; `Error::Range` when
    /// they are not all in the queue.
    pub fn peek(&self, offset: usize, dst: &mut [u8]) -> Result<(), Error> {
        let end = offset.checked_add(dst.len()).ok_or(Error::Range)?;
        if end > self.len {
            return Err(Error::Range);
        }
        if dst.is_empty() {
            return Ok(());
        }
        let (index, mut skip) = self.locate(offset);
        let mut filled = 0;
        for chunk in &self.chunks()[index..] {
            let piece = &chunk.as_slice()[skip..];
            let n = piece.len().min(dst.len() - filled);
            dst[filled..filled + n].copy_from_slice(&piece[..n]);
            filled += n;
            skip = 0;
            if filled == dst.len() {
                break;
            }
        }
        Ok(())
    }

    /// Whether `needle` (non-empty) lies at chunk `index`, offset `skip`,
    /// continuing into the next chunks; the caller knows enough bytes
    /// follow.
    fn matches_at(&self, mut index: usize, mut skip: usize, mut needle: &[u8]) -> bool {
        while !needle.is_empty() {
            let piece = &self.chunks()[index].as_slice()[skip..];
            let n = piece.len().min(needle.len());
            if piece[..n] != needle[..n] {
                return false;
            }
            needle = &needle[n..];
            index += 1;
            skip = 0;
        }
        true
    }

    /// The offset of the first occurrence of `needle` lying wholly in
    /// `[from, min(to, len))`, across chunk boundaries. An empty needle is
    /// found at `from` when `from <= min(to, len)`.
    pub fn find(&self, from: usize, to: usize, needle: &[u8]) -> Option<usize> {
        let end = to.min(self.len);
        if from > end || needle.len() > end - from {
            return None;
        }
        let Some(&first_byte) = needle.first() else {
            return Some(from);
        };
        let last_start = end - needle.len();
        let (mut index, mut skip) = self.locate(from);
        let mut pos = from;
        while pos <= last_start {
            let chunk = self.chunks()[index].as_slice();
            let window = (chunk.len() - skip).min(last_start - pos + 1);
            match chunk[skip..skip + window].iter().position(|&byte| byte == first_byte) {
                Some(i) if self.matches_at(index, skip + i, needle) => return Some(pos + i),
                Some(i) => {
                    pos += i + 1;
                    skip += i + 1;
                }
                None => {
                    pos += window;
                    skip += window;
                }
            }
            if skip == chunk.len() {
                index += 1;
                skip = 0;
            }
        }
        None
    }

    /// Makes the first `n` bytes one chunk: nothing when they already are
    /// (or `n` is 0), else one allocation holding their copy, which
    /// replaces the chunks they came from. `Error::Range` if `n > len`,
    /// `Error::NoMem` if the copy cannot be allocated; nothing changes
    /// then.
    pub fn pullup(&mut self, n: usize) -> Result<(), Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        if n <= self.front().map_or(0, Bytes::len) {
            return Ok(());
        }
        let joined = self.copy_front(n)?;
        self.drop_front(n);
        // At least the first chunk was consumed whole, so a slot before
        // the rest is free (or, if nothing is left, the array is empty
        // with its capacity kept).
        self.chunks.with_vec(|vec, head| {
            if *head == 0 {
                vec.insert(0, joined);
            } else {
                *head -= 1;
                vec[*head] = joined;
            }
        });
        self.len += n;
        Ok(())
    }

    /// A copy of the first `n` bytes (`n <= len`) in a storage of their
    /// own: one allocation.
    fn copy_front(&self, n: usize) -> Result<Bytes, Error> {
        let mut copy = BytesMut::with_capacity(n)?;
        let mut left = n;
        for chunk in self.chunks() {
            let piece = &chunk.as_slice()[..chunk.len().min(left)];
            copy.extend_from_slice(piece)?;
            left -= piece.len();
            if left == 0 {
                break;
            }
        }
        Ok(copy.freeze())
    }

    /// Drops the first `n` bytes (`n <= len`): whole chunks in one batch
    /// (one count update per run of one storage), the partial one advanced.
    fn drop_front(&mut self, n: usize) {
        // Within the first chunk (a decoder skipping a length): no batch,
        // no slot to free.
        if let Some(first) = self.chunks.as_mut_slice().first_mut() {
            if n < first.len() {
                first.advance_within(n);
                self.len -= n;
                return;
            }
        }
        io::consume(self.chunks.as_mut_slice(), n);
        self.len -= n;
        self.skip_empty_front();
    }

    /// Moves the head past the emptied chunks at the front; resets the
    /// array when nothing is left, and frees it when it is large.
    fn skip_empty_front(&mut self) {
        let emptied = self.chunks().iter().take_while(|chunk| chunk.is_empty()).count();
        if emptied == 0 {
            return;
        }
        self.chunks.with_vec(|vec, head| {
            *head += emptied;
            if *head == vec.len() {
                *head = 0;
                if vec.capacity() > SHRINK_ABOVE {
                    *vec = Vec::new();
                } else {
                    vec.clear();
                }
            }
        });
    }

    /// Drops the first `n` bytes: whole chunks released together (one
    /// count update per run of one storage), the partial one advanced.
    /// `Error::Range` if `n > len`, and nothing changes.
    #[inline]
    pub fn advance(&mut self, n: usize) -> Result<(), Error> {
        if self.try_advance_within(n) {
            return Ok(());
        }
        self.advance_slow(n)
    }

    /// [`advance`](Queue::advance) past the first chunk.
    #[cold]
    #[inline(never)]
    fn advance_slow(&mut self, n: usize) -> Result<(), Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        self.drop_front(n);
        Ok(())
    }

    /// The first `n` bytes as one `Bytes`, consumed: zero-copy (sharing the
    /// storage) when they lie in the first chunk, else one allocation
    /// holding their copy. `n == 0` gives an empty view at the front
    /// (holding no reference). `Error::Range` if `n > len`, `Error::NoMem`
    /// if the copy cannot be allocated; nothing changes then.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<Bytes, Error> {
        let mut out = MaybeUninit::<Bytes>::uninit();
        // SAFETY: `out` is writable, and not a chunk.
        if unsafe { self.try_take_within(n, out.as_mut_ptr()) } {
            // SAFETY: the fast path wrote the handle.
            return Ok(unsafe { out.assume_init() });
        }
        self.take_slow(n)
    }

    /// [`take`](Queue::take) of nothing, within a first chunk of a custom
    /// vtable, of the whole first chunk or across chunks.
    #[cold]
    #[inline(never)]
    fn take_slow(&mut self, n: usize) -> Result<Bytes, Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        let Some(first) = self.chunks.as_mut_slice().first_mut() else {
            return Ok(Bytes::new());
        };
        if n == 0 {
            return Ok(first.empty_view_at_front());
        }
        if n < first.len() {
            // A custom vtable's chunk: its `clone`.
            self.len -= n;
            return Ok(first.split_front(n));
        }
        if n == first.len() {
            let front = mem::take(first);
            self.len -= n;
            self.skip_empty_front();
            return Ok(front);
        }
        let copy = self.copy_front(n)?;
        self.drop_front(n);
        Ok(copy)
    }

    /// The first `n` bytes as a queue of their own, zero-copy: whole chunks
    /// move, a partial one is split (sharing its storage). One array
    /// allocation for the new queue (none for `n == 0`). `Error::Range` if
    /// `n > len`, `Error::NoMem` if the array cannot be allocated; nothing
    /// changes then.
    pub fn split_to(&mut self, n: usize) -> Result<Queue, Error> {
        if n > self.len {
            return Err(Error::Range);
        }
        if n == 0 {
            return Ok(Queue::new());
        }
        let (whole, rest) = self.locate(n);
        let mut vec = Vec::new();
        vec.try_reserve_exact(whole + usize::from(rest > 0)).map_err(|_| Error::NoMem)?;
        let chunks = self.chunks.as_mut_slice();
        vec.extend(chunks[..whole].iter_mut().map(mem::take));
        if rest > 0 {
            vec.push(chunks[whole].split_to(rest)?);
        }
        self.len -= n;
        self.skip_empty_front();
        let mut front = Queue::new();
        front.chunks.with_vec(|slots, head| {
            *slots = vec;
            *head = 0;
        });
        front.len = n;
        Ok(front)
    }

    /// The first chunk as it is, removed; `None` when the queue is empty.
    pub fn pop(&mut self) -> Option<Bytes> {
        let first = mem::take(self.chunks.as_mut_slice().first_mut()?);
        self.len -= first.len();
        self.skip_empty_front();
        Some(first)
    }

    /// Describes the chunks as iovecs, front first, no copy: how many of
    /// `iov` were filled.
    pub fn fill_iovecs(&self, iov: &mut [MaybeUninit<libc::iovec>]) -> usize {
        io::fill_iovecs(self.chunks(), iov)
    }

    /// One `writev(2)` (`flags` `None`) or `sendmsg(2)` with `flags` of the
    /// first [`MAX_IOVECS`] chunks, then consumes exactly what was written
    /// (whole chunks released in one batch). `EINTR` is retried; other
    /// failures are `Error::Io` with nothing consumed.
    pub fn write_fd(&mut self, fd: i32, flags: Option<i32>) -> Result<usize, Error> {
        let mut iov = [const { MaybeUninit::<libc::iovec>::uninit() }; MAX_IOVECS];
        let count = self.fill_iovecs(&mut iov);
        // SAFETY: `fill_iovecs` initialised `iov[..count]`.
        let iov = unsafe { std::slice::from_raw_parts(iov.as_ptr() as *const libc::iovec, count) };
        let written = io::write_iovecs(fd, iov, flags)?;
        self.drop_front(written);
        Ok(written)
    }
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("len", &self.len).field("chunks", &self.chunks()).finish()
    }
}

impl Buf for Queue {
    /// Copies across chunk boundaries, then consumes as `advance`.
    fn copy_to(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        self.peek(0, dst)?;
        self.drop_front(dst.len());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
