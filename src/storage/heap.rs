//! The library's own storage: one allocation that holds the shared header
//! followed by the bytes.
//!
//! ```text
//! +----------+----------+-------------------+------------------------+
//! | refcount | capacity | original capacity | capacity bytes of data |
//! +----------+----------+-------------------+------------------------+
//! ^ data word of every handle                 ^ views point in here
//! ```
//!
//! Header eagerly, data inline: `bytes_copy_from` costs one allocation, and
//! every later clone, slice or split is one atomic increment with no
//! allocation path at all. That matters at the C boundary: `bytes_clone`
//! (and `bytes_mut_split`, `bytes_mut_freeze`) return a handle, not a
//! status, so they must not be able to fail. The crate `bytes` instead
//! allocates its shared header on the first clone of a `Vec`-backed buffer
//! ("promotable" storage); that clone can then only abort on allocation
//! failure, which libbytes never does.
//!
//! Measured (2-core x86_64 VM, release build, C caller, 5M iterations):
//! an atomic increment+decrement pair alone costs 15 ns, `bytes_clone` +
//! `bytes_drop` of heap storage 25 ns with zero allocations; a malloc+free
//! of a small header costs 11 ns, which eager allocation pays once per
//! storage and only for adopted memory (see [`malloc`](super::malloc)):
//! here the header shares the data's allocation and costs nothing extra.
//!
//! The header records the capacity, so any handle, whatever part of the
//! storage it views, can free the whole block.
//!
//! [`Block`] is one counted reference to a block: cloning it increments the
//! count, dropping it releases, and the last release frees the block.
//! `Bytes` keeps it (as a raw pointer) in its `data` word; `BytesMut` keeps
//! it as a field.

use std::ffi::c_void;
use std::mem::{self, ManuallyDrop};
use std::ptr::{self, NonNull};

use crate::storage::refcount::RefCount;
use crate::storage::Kind;
use crate::{Bytes, Error};

/// The header at the start of every heap block; `#[repr(C)]` with the
/// count first, as `storage::refcount` reads it, and 8-byte aligned so that
/// the data after it is too, on 32-bit targets as well (three words, 16
/// bytes there with padding; 24 on 64-bit targets).
#[repr(C, align(8))]
#[derive(Debug)]
struct Header {
    refcount: RefCount,
    /// The number of data bytes after the header.
    capacity: usize,
    /// The capacity the buffer was made with, as [`original_capacity`]
    /// rounds it: what `BytesMut::reserve` allocates at least when it
    /// must leave this block. Carried over to the blocks that replace it.
    original_capacity: usize,
}

/// The smallest original capacity remembered; below it, 0 (as the crate
/// `bytes`: `MIN_ORIGINAL_CAPACITY_WIDTH`).
const MIN_ORIGINAL_CAPACITY: usize = 1 << 10;
/// The largest original capacity remembered (the crate's
/// `MAX_ORIGINAL_CAPACITY_WIDTH`): a 1 MiB buffer split into frames does
/// not make every later frame allocate 1 MiB.
const MAX_ORIGINAL_CAPACITY: usize = 1 << 16;

/// The original capacity remembered for a buffer made with `capacity`
/// bytes, as the crate `bytes` rounds it: 0 below 1 KiB, else the largest
/// power of two not above `capacity`, at most 64 KiB.
pub(crate) fn original_capacity(capacity: usize) -> usize {
    if capacity < MIN_ORIGINAL_CAPACITY {
        return 0;
    }
    (1 << capacity.ilog2()).min(MAX_ORIGINAL_CAPACITY)
}

/// The data starts right after the header, which keeps it 8-byte aligned
/// (malloc's blocks are at least that).
const DATA_OFFSET: usize = mem::size_of::<Header>();

/// The size of a block with `capacity` data bytes, or `None` when it
/// overflows `isize` (no object can be larger).
fn block_size(capacity: usize) -> Option<usize> {
    DATA_OFFSET.checked_add(capacity).filter(|&size| size <= isize::MAX as usize)
}

/// Whether a block of `capacity` data bytes could be allocated at all
/// (its size does not overflow).
pub(crate) fn fits(capacity: usize) -> bool {
    block_size(capacity).is_some()
}

/// One counted reference to a heap block. Its data bytes are
/// uninitialised until a handle writes them; which handle may write which
/// bytes is the business of `BytesMut` (each owns a disjoint region).
#[repr(transparent)]
#[derive(Debug)]
pub(crate) struct Block(NonNull<Header>);

// SAFETY: the block is shared only through its atomic count; a `Block`
// itself gives no access to the data bytes, whose regions the owning
// handles keep disjoint.
unsafe impl Send for Block {}
// SAFETY: `&Block` reads the header's count and capacity, atomically or
// immutably.
unsafe impl Sync for Block {}

impl Block {
    /// A new block of `capacity` data bytes, whose first reference this
    /// is, remembering `capacity` as its original capacity. Reports failure
    /// instead of aborting.
    pub(crate) fn allocate(capacity: usize) -> Result<Block, Error> {
        Block::allocate_with_original(capacity, original_capacity(capacity))
    }

    /// A new block of `capacity` data bytes that remembers
    /// `original_capacity` (already rounded) from the block it replaces.
    pub(crate) fn allocate_with_original(capacity: usize, original_capacity: usize) -> Result<Block, Error> {
        let size = block_size(capacity).ok_or(Error::NoMem)?;
        // SAFETY: malloc of a non-zero size; its alignment (16) suits the
        // header. Blocks come from malloc, like every allocation of the
        // library, so C allocators and allocation counters see them.
        let raw = unsafe { libc::malloc(size) } as *mut Header;
        let header = NonNull::new(raw).ok_or(Error::NoMem)?;
        // SAFETY: a fresh allocation with room and alignment for a Header.
        unsafe { header.as_ptr().write(Header { refcount: RefCount::one(), capacity, original_capacity }) };
        Ok(Block(header))
    }

    fn header(&self) -> &Header {
        // SAFETY: this reference keeps the block, and so its header, alive.
        unsafe { self.0.as_ref() }
    }

    /// The first data byte.
    pub(crate) fn data(&self) -> *mut u8 {
        // SAFETY: the block is DATA_OFFSET + capacity bytes long, so the
        // offset stays inside it (one past its end when capacity is 0).
        unsafe { (self.0.as_ptr() as *mut u8).add(DATA_OFFSET) }
    }

    /// The number of data bytes.
    pub(crate) fn capacity(&self) -> usize {
        self.header().capacity
    }

    /// The original capacity remembered for the buffer (see
    /// [`original_capacity`]).
    pub(crate) fn original_capacity(&self) -> usize {
        self.header().original_capacity
    }

    /// Whether this is the only reference to the block.
    pub(crate) fn is_unique(&self) -> bool {
        self.header().refcount.is_unique()
    }

    /// Moves the block to one of `capacity` data bytes, keeping the first
    /// `min(old, new)` data bytes. On failure the block is unchanged.
    /// Only for the only reference: no other handle may point into it.
    pub(crate) fn reallocate(&mut self, capacity: usize) -> Result<(), Error> {
        debug_assert!(self.is_unique());
        let size = block_size(capacity).ok_or(Error::NoMem)?;
        // SAFETY: the block came from malloc; the new size is non-zero; no
        // other reference exists that could see the move.
        let raw = unsafe { libc::realloc(self.0.as_ptr() as *mut c_void, size) };
        let header = NonNull::new(raw as *mut Header).ok_or(Error::NoMem)?;
        self.0 = header;
        // SAFETY: the moved block is ours alone; its header was moved along.
        unsafe { (*header.as_ptr()).capacity = capacity };
        Ok(())
    }

    /// Gives up the reference as the `data` word of a `Bytes` handle.
    pub(crate) fn into_raw(self) -> *mut c_void {
        ManuallyDrop::new(self).0.as_ptr() as *mut c_void
    }

    /// Whether `data`, the storage word of a handle, is this block.
    pub(crate) fn is(&self, data: *mut c_void) -> bool {
        self.0.as_ptr() as *mut c_void == data
    }

    /// Whether exactly `n` references to the block exist (see
    /// [`RefCount::is_exactly`]).
    pub(crate) fn has_exactly(&self, n: usize) -> bool {
        self.header().refcount.is_exactly(n)
    }

    /// Takes back a reference given up by [`into_raw`](Block::into_raw).
    ///
    /// # Safety
    /// `data` came from `into_raw`, and its reference is taken back once.
    pub(crate) unsafe fn from_raw(data: *mut c_void) -> Block {
        // SAFETY: `into_raw` made it from a non-NULL header pointer.
        Block(unsafe { NonNull::new_unchecked(data as *mut Header) })
    }

    /// The reference held in `data` by a live handle, borrowed.
    ///
    /// # Safety
    /// `data` came from `into_raw`, and its handle outlives the borrow.
    pub(crate) unsafe fn borrow_raw(data: &*mut c_void) -> &Block {
        // SAFETY: `Block` is a transparent non-NULL pointer, and `data`
        // holds one (from `into_raw`).
        unsafe { &*(data as *const *mut c_void as *const Block) }
    }
}

impl Clone for Block {
    /// A new reference: one atomic increment.
    fn clone(&self) -> Block {
        self.header().refcount.increment();
        Block(self.0)
    }
}

impl Drop for Block {
    /// Releases this reference; the last one frees the block.
    fn drop(&mut self) {
        if self.header().refcount.release() {
            // SAFETY: that was the last reference.
            unsafe { destroy(self.0.as_ptr() as *mut c_void) };
        }
    }
}

/// Frees the block whose header is `data`, once its count reached zero.
///
/// # Safety
/// The last reference to the block was released; nothing uses it again.
pub(crate) unsafe fn destroy(data: *mut c_void) {
    // SAFETY: nothing else can reach the block, which came from malloc.
    unsafe { libc::free(data) };
}

/// A new storage holding a copy of `src`: one allocation.
pub fn copy_from_slice(src: &[u8]) -> Result<Bytes, Error> {
    if src.is_empty() {
        return Ok(Bytes::new());
    }
    let block = Block::allocate(src.len())?;
    let data = block.data();
    // SAFETY: `data` has room for `src.len()` bytes, in a block that `src`
    // (a live borrow) cannot overlap.
    unsafe { ptr::copy_nonoverlapping(src.as_ptr(), data, src.len()) };
    // SAFETY: the view is the initialised bytes of the block, whose
    // reference the handle takes over.
    Ok(unsafe { into_bytes(block, data, src.len()) })
}

/// A `Bytes` handle of `ptr[..len]`, taking over `block`'s reference.
///
/// # Safety
/// `ptr[..len]` lies inside the block's data and is initialised, and no
/// handle writes it any more.
pub(crate) unsafe fn into_bytes(block: Block, ptr: *const u8, len: usize) -> Bytes {
    // SAFETY: by the contract above.
    unsafe { Bytes::from_parts(ptr, len, block.into_raw(), Kind::Heap.vtable()) }
}
