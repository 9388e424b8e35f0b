//! The exported functions of `bytes_queue_t`, a FIFO of `bytes_t` chunks
//! read as one buffer. The typed readers `bytes_queue_get_*` are in
//! `queue_get.rs`.

use std::ffi::{c_int, c_void};
use std::mem::{self, MaybeUninit};
use std::ptr;

use crate::ffi::boundary::{guard, guard_count, guard_status, slice_arg};
use crate::ffi::bytes::produce;
use crate::ffi::handle::{borrow, borrow_mut, bytes_mut_t, bytes_t, write_out as write_handle, Handle};
use crate::ffi::status::bytes_status::{
    BYTES_ERR_INTERNAL, BYTES_ERR_INVALID, BYTES_ERR_NULL, BYTES_ERR_RANGE, BYTES_OK,
};
use crate::ffi::status::bytes_status_t;
use crate::{Buf, Bytes, Queue};

/// A FIFO of `bytes_t` chunks read as one buffer (the crate `bytes`' `Buf`
/// over a chain; folly's `IOBufQueue`, libevent's `evbuffer`): append at
/// the back, read, search and consume at the front across chunk
/// boundaries, write out with partial writes handled. Nothing is copied
/// except where a contiguous result spanning chunks is asked for (`take`
/// across chunks, `pullup`, `peek`, `get`) or bytes are copied in
/// (`bytes_queue_write`).
///
/// A value like the handles: nine words, stored anywhere; all zero
/// (`bytes_queue_t q = {0};`) is the empty queue, which owns nothing;
/// `bytes_queue_drop` releases every chunk and leaves it empty; moving is
/// a bitwise copy, after which only one copy may be used. The fields are
/// private: use `bytes_queue_len`, `bytes_queue_chunks`,
/// `bytes_queue_front` and `bytes_queue_chunk`.
///
/// Costs: pushing may allocate the queue's array of chunks, which grows
/// amortised (at least doubling), is compacted in place when its consumed
/// front outweighs its live chunks, and is freed when the queue empties
/// while holding more than 256 slots; nothing else allocates except a
/// copy. Contiguous pushes merge: bytes that directly follow the last
/// chunk in the same counted storage of one of the library's kinds (heap, malloc,
/// owner, mapped; not static bytes or custom vtables) extend it in O(1),
/// so a frame that arrived in two reads is still one chunk.
///
/// Pointers into a queue (`bytes_queue_front`, `bytes_queue_chunk`,
/// `bytes_queue_fill_iovec`'s iovecs) stay valid until the next call that
/// changes the queue; `bytes_queue_reserve` and `bytes_queue_read_fd` may
/// move the bytes of the last chunk when they reclaim, so an iovec still in
/// flight (an io_uring send) must come from a clone or a `take`, which
/// pins its bytes.
///
/// Threads: a queue needs exclusive access for every function taking a
/// non-const pointer; `const` functions may run on many threads at once.
/// Its chunks may share storage with handles used on other threads.
#[repr(C)]
pub struct bytes_queue_t {
    _chunks: *mut bytes_t,
    _head: usize,
    _count: usize,
    _cap: usize,
    _len: usize,
    _tail: bytes_mut_t,
}

// SAFETY: `Queue` is `#[repr(C)]` with the same fields in the same order
// (its chunk array's four words, the length, a `BytesMut`), asserted
// below, and all zero is `Queue::new()`.
unsafe impl Handle for bytes_queue_t {
    type Core = Queue;
}

const WORD: usize = mem::size_of::<usize>();
const _: () = assert!(mem::size_of::<bytes_queue_t>() == 9 * WORD && mem::size_of::<Queue>() == 9 * WORD);
const _: () = assert!(mem::align_of::<bytes_queue_t>() == WORD && mem::align_of::<Queue>() == WORD);

impl bytes_queue_t {
    /// The empty queue: all bits zero.
    const EMPTY: bytes_queue_t = bytes_queue_t {
        _chunks: ptr::null_mut(),
        _head: 0,
        _count: 0,
        _cap: 0,
        _len: 0,
        _tail: bytes_mut_t::EMPTY,
    };
}

/// Runs `change` on the queue `q`.
///
/// # Safety
/// `q` is NULL or a valid queue the caller may change.
unsafe fn with_queue(
    q: *mut bytes_queue_t,
    change: impl FnOnce(&mut Queue) -> Result<(), bytes_status_t>,
) -> bytes_status_t {
    guard_status(|| {
        // SAFETY: by the contract above.
        change(unsafe { borrow_mut(q) }.ok_or(BYTES_ERR_NULL)?)
    })
}

/// An empty queue (all zero). Allocates nothing.
#[no_mangle]
pub extern "C" fn bytes_queue_new() -> bytes_queue_t {
    guard(bytes_queue_t::EMPTY, || bytes_queue_t::EMPTY)
}

/// Releases every chunk (runs of one storage with one count update each)
/// and the chunk array, and leaves `*q` empty; a second drop is a no-op. A
/// NULL `q` is a no-op.
#[no_mangle]
pub unsafe extern "C" fn bytes_queue_drop(q: *mut bytes_queue_t) {
    guard((), || {
        // SAFETY: `q` is NULL or a valid queue (C signature).
        if let Some(q) = unsafe { borrow_mut(q) } {
            *q = Queue::new();
        }
    })
}

/// Appends `*b` at the back and consumes it (`*b` is left empty): merged
/// into the last chunk when it directly follows it in the same storage,
/// else stored as a new chunk. An empty `*b` is dropped, not stored.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `b` is NULL; `BYTES_ERR_NOMEM` if the
/// chunk array cannot grow. `*q` and `*b` are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_push(q: *mut bytes_queue_t, b: *mut bytes_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe {
        with_queue(q, |q| {
            let b = borrow_mut(b).ok_or(BYTES_ERR_NULL)?;
            q.push(mem::take(b)).map_err(|(error, back)| {
                *b = back;
                error.into()
            })
        })
    }
}

/// Splits off `*m`'s written bytes, freezes them (no copy) and appends
/// them as `bytes_queue_push` does (merging with the last chunk when they
/// follow it, as consecutive reads into one buffer do). `*m` keeps its
/// spare capacity for the next read. An `*m` with no written bytes is a
/// no-op.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `m` is NULL; `BYTES_ERR_NOMEM` if the
/// chunk array cannot grow. `*q` and `*m` are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_push_mut(q: *mut bytes_queue_t, m: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature). No panic site
    // (`scripts/no-panic.sh`).
    if let (Some(queue), Some(buf)) = unsafe { (borrow_mut(q), borrow_mut(m)) } {
        if queue.try_push_mut_in_place(buf) {
            return BYTES_OK;
        }
    }
    // SAFETY: as above.
    unsafe { push_mut_slow(q, m) }
}

/// `bytes_queue_push_mut` for NULL and a chunk array that must grow.
#[cold]
#[inline(never)]
unsafe extern "C" fn push_mut_slow(q: *mut bytes_queue_t, m: *mut bytes_mut_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { with_queue(q, |q| Ok(q.push_mut(borrow_mut(m).ok_or(BYTES_ERR_NULL)?)?)) }
}

/// Moves every chunk of `*other` to the back of `*q` (no copy, no count
/// update), leaving `*other` empty (it keeps its `bytes_queue_write`
/// storage).
///
/// Errors: `BYTES_ERR_NULL` if `q` or `other` is NULL; `BYTES_ERR_INVALID`
/// if they are the same queue; `BYTES_ERR_NOMEM` if `*q`'s chunk array
/// cannot grow. Both are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_append(
    q: *mut bytes_queue_t,
    other: *mut bytes_queue_t,
) -> bytes_status_t {
    if ptr::eq(q, other) && !q.is_null() {
        return BYTES_ERR_INVALID;
    }
    // SAFETY: valid or NULL pointers (C signature), distinct.
    unsafe { with_queue(q, |q| Ok(q.append(borrow_mut(other).ok_or(BYTES_ERR_NULL)?)?)) }
}

/// Puts `*b` back at the front and consumes it (a length header written
/// once the body is known, or an unsent head returned): merged into the
/// first chunk when it directly precedes it in the same storage, else
/// stored before it. O(1) amortised: slots freed by consuming the front
/// are reused, and when there are none the chunks move back by at least
/// their number. An empty `*b` is dropped, not stored.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `b` is NULL; `BYTES_ERR_NOMEM` if the
/// chunk array cannot grow. `*q` and `*b` are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_push_front(q: *mut bytes_queue_t, b: *mut bytes_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe {
        with_queue(q, |q| {
            let b = borrow_mut(b).ok_or(BYTES_ERR_NULL)?;
            q.push_front(mem::take(b)).map_err(|(error, back)| {
                *b = back;
                error.into()
            })
        })
    }
}

/// Copies the `len` bytes at `ptr` in at the back, into a tail storage the
/// queue owns and fills before allocating another (of at least 4096 bytes;
/// `IOBufQueue::append`, `evbuffer_add`): many small writes share one
/// allocation and, written one after the other, form one chunk. The tail
/// storage is reused once every chunk taken from it has been dropped.
///
/// Errors: `BYTES_ERR_NULL` if `q` is NULL, or `ptr` is NULL with a
/// non-zero `len`; `BYTES_ERR_NOMEM` if an allocation fails or `len` is
/// too large. The queue's bytes are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_write(
    q: *mut bytes_queue_t,
    ptr: *const c_void,
    len: usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature); `len` readable bytes
    // at `ptr`.
    unsafe { with_queue(q, |q| Ok(q.write(slice_arg(ptr as *const u8, len)?)?)) }
}

/// Stores in `*out` a second queue sharing every chunk of `*q` (no copy):
/// one allocation for its chunk array, and one count update per run of
/// chunks of one storage (custom vtables get one `clone` call per chunk).
/// The caller owns `*out` and must drop it.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID` if
/// `out == q`; `BYTES_ERR_NOMEM` if the array cannot be allocated. `*q` is
/// unchanged and `*out` empty on error (unless it is `q`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_clone(
    q: *const bytes_queue_t,
    out: *mut bytes_queue_t,
) -> bytes_status_t {
    if ptr::eq(q, out) && !q.is_null() {
        return BYTES_ERR_INVALID;
    }
    // SAFETY: valid or NULL pointers (C signature), distinct.
    unsafe { produce(out, || Ok(borrow(q).ok_or(BYTES_ERR_NULL)?.try_clone()?)) }
}

/// Makes room for `additional` more bytes in `*m`, the receive buffer
/// whose written bytes `*q` receives (by `bytes_queue_push_mut`), for
/// receives that do not come from `read(2)` (TLS, io_uring, a test).
///
/// The receive buffer is reclaimed through the queue: when `*m`'s storage
/// is held only by `*m` and `*q`'s last chunk, which ends where `*m`
/// starts (everything taken before has been dropped), the pending bytes
/// move to the front of that storage and the chunk is repointed, as
/// `BytesMut::reserve` reclaims, instead of allocating; no one else can
/// see those bytes. Else, if `*m` alone holds its storage, it reuses it as
/// `bytes_mut_reserve` does. Otherwise it reserves as `bytes_mut_reserve`
/// does, at least the storage's original capacity.
///
/// Sizing: when the storage cannot hold the pending bytes and `additional`
/// more, `*m` gets a new storage and the pending bytes stay where they are
/// (in the queue, not copied); a frame then spanning the two storages is
/// copied once by `bytes_queue_take`. A receive buffer with room for the
/// largest partial frame (or request head) plus one read never does this.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `m` is NULL; `BYTES_ERR_NOMEM` if the
/// room cannot be allocated. Contents are unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_reserve(
    q: *mut bytes_queue_t,
    m: *mut bytes_mut_t,
    additional: usize,
) -> bytes_status_t {
    // Room already: nothing to do (the common case of a receive loop).
    // SAFETY: `m` is NULL or a valid buffer (C signature).
    if let (false, Some(buf)) = (q.is_null(), unsafe { borrow::<bytes_mut_t>(m) }) {
        if buf.capacity() - buf.len() >= additional {
            return BYTES_OK;
        }
    }
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { reserve_slow(q, m, additional) }
}

/// `bytes_queue_reserve` for NULL and a buffer that must make room.
#[cold]
#[inline(never)]
unsafe extern "C" fn reserve_slow(
    q: *mut bytes_queue_t,
    m: *mut bytes_mut_t,
    additional: usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { with_queue(q, |q| Ok(q.reserve_buf(borrow_mut(m).ok_or(BYTES_ERR_NULL)?, additional)?)) }
}

/// The receive loop in one call: `bytes_queue_reserve(q, m, max)`, one
/// `read(2)` from `fd` into `*m`'s spare capacity (up to `max` bytes,
/// `EINTR` retried), then `bytes_queue_push_mut(q, m)`. `*nread` receives
/// the count, 0 at end of file. Once warm (the chunk array grown, the
/// frames taken before dropped) a steady loop allocates and copies
/// nothing but the pending bytes of a partial frame.
///
/// Errors: `BYTES_ERR_NULL` if `q`, `m` or `nread` is NULL;
/// `BYTES_ERR_INVALID` if `max` is 0; `BYTES_ERR_NOMEM` if room cannot be
/// made; `BYTES_ERR_IO` with `errno` set for any failure of `read`,
/// `EAGAIN` included. On error `*nread` is 0 and the bytes of `*q` and
/// `*m` are unchanged (a reclaim may have moved them within their
/// storage).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_read_fd(
    q: *mut bytes_queue_t,
    m: *mut bytes_mut_t,
    fd: c_int,
    max: usize,
    nread: *mut usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe {
        guard_count(nread, || match (borrow_mut(q), borrow_mut::<bytes_mut_t>(m)) {
            (Some(_), Some(_)) if max == 0 => Err(BYTES_ERR_INVALID),
            (Some(q), Some(m)) => q.read_fd(m, fd, max).map_err(bytes_status_t::from),
            _ => Err(BYTES_ERR_NULL),
        })
    }
}

/// Copies the `n` bytes at `offset` into `dst`, across chunk boundaries,
/// without consuming them.
///
/// Errors: `BYTES_ERR_NULL` if `q` is NULL, or `dst` is NULL with a
/// non-zero `n`; `BYTES_ERR_RANGE` if `offset + n` exceeds the length.
/// Nothing is written to `dst` on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_peek(
    q: *const bytes_queue_t,
    offset: usize,
    dst: *mut c_void,
    n: usize,
) -> bytes_status_t {
    guard_status(|| {
        // SAFETY: `q` is NULL or a valid queue (C signature).
        let q = unsafe { borrow(q) }.ok_or(BYTES_ERR_NULL)?;
        // SAFETY: `dst` is NULL or valid for writing `n` bytes.
        let dst = unsafe { out_slice(dst, n) }?;
        Ok(q.peek(offset, dst)?)
    })
}

/// The `n` writable bytes at `dst` (rule 5: (NULL, 0) is empty).
///
/// # Safety
/// A non-NULL `dst` is valid for writing `n` bytes, and nothing else
/// refers to them for `'a`.
unsafe fn out_slice<'a>(dst: *mut c_void, n: usize) -> Result<&'a mut [u8], bytes_status_t> {
    // SAFETY: the same check as for an input slice, then the caller's
    // promise that the bytes are writable.
    let checked = unsafe { slice_arg(dst as *const u8, n) }?;
    // SAFETY: as above; `checked` only served the checks.
    Ok(unsafe { std::slice::from_raw_parts_mut(checked.as_ptr() as *mut u8, checked.len()) })
}

/// Searches for the first occurrence of the `needle_len` bytes at `needle`
/// lying wholly in `[from, min(to, len))`, across chunk boundaries
/// (`"\r\n\r\n"` within a header limit: a server refuses an oversized head
/// without scanning the body); `to == SIZE_MAX` searches to the end. True
/// when found, and `*at` (if `at` is not NULL) receives its offset. An
/// empty needle is found at `from` when `from <= min(to, len)`. False for
/// a NULL `q`, or a NULL `needle` with a non-zero length; `*at` is then
/// unchanged, as when nothing is found. Costs one pass over the window.
#[no_mangle]
pub unsafe extern "C" fn bytes_queue_find(
    q: *const bytes_queue_t,
    from: usize,
    to: usize,
    needle: *const c_void,
    needle_len: usize,
    at: *mut usize,
) -> bool {
    guard(false, || {
        // SAFETY: valid or NULL pointers (C signature).
        let (Some(q), Ok(needle)) =
            (unsafe { borrow(q) }, unsafe { slice_arg(needle as *const u8, needle_len) })
        else {
            return false;
        };
        let Some(found) = q.find(from, to, needle) else {
            return false;
        };
        if !at.is_null() {
            // SAFETY: a non-NULL `at` is writable (C signature).
            unsafe { at.write(found) };
        }
        true
    })
}

/// The `i`-th chunk (0 is the front), borrowed: valid until the next call
/// that changes the queue; clone it to keep it. NULL past the last chunk
/// and for a NULL `q`.
#[no_mangle]
pub unsafe extern "C" fn bytes_queue_chunk(q: *const bytes_queue_t, i: usize) -> *const bytes_t {
    guard(ptr::null(), || {
        // SAFETY: `q` is NULL or a valid queue (C signature).
        unsafe { borrow(q) }
            .and_then(|q| q.chunks().get(i))
            .map_or(ptr::null(), |chunk| chunk as *const Bytes as *const bytes_t)
    })
}

/// Makes the first `n` bytes one chunk, so that `bytes_queue_front` shows
/// them contiguous: no copy when they already are (or `n` is 0), else one
/// allocation holding their copy, which replaces the chunks they came
/// from (folly's gather, `evbuffer_pullup`).
///
/// Errors: `BYTES_ERR_NULL` if `q` is NULL; `BYTES_ERR_RANGE` if `n`
/// exceeds the length; `BYTES_ERR_NOMEM` if the copy cannot be allocated.
/// `*q` is unchanged on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_pullup(q: *mut bytes_queue_t, n: usize) -> bytes_status_t {
    // SAFETY: `q` is NULL or a valid queue (C signature).
    unsafe { with_queue(q, |q| Ok(q.pullup(n)?)) }
}

/// Consumes the first `n` bytes: whole chunks are released together (one
/// count update per run of chunks of one storage, the storage freed when
/// that was its last reference), the partial one advanced. No allocation.
///
/// Errors: `BYTES_ERR_NULL` if `q` is NULL; `BYTES_ERR_RANGE` if `n`
/// exceeds the length, and `*q` is unchanged.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_advance(q: *mut bytes_queue_t, n: usize) -> bytes_status_t {
    // SAFETY: `q` is NULL or a valid queue (C signature). No panic site
    // (`scripts/no-panic.sh`).
    if unsafe { borrow_mut(q) }.is_some_and(|q| q.try_advance_within(n)) {
        return BYTES_OK;
    }
    // SAFETY: as above.
    unsafe { advance_slow(q, n) }
}

/// `bytes_queue_advance` for NULL, errors and whole chunks.
#[cold]
#[inline(never)]
unsafe extern "C" fn advance_slow(q: *mut bytes_queue_t, n: usize) -> bytes_status_t {
    // SAFETY: `q` is NULL or a valid queue (C signature).
    unsafe { with_queue(q, |q| Ok(q.advance(n)?)) }
}

/// Consumes the first `n` bytes and stores them in `*out` as one handle:
/// zero-copy (sharing the storage, one count update) when they lie in the
/// first chunk, else one allocation holding their copy (the crate's
/// `copy_to_bytes`). `n == 0` gives an empty view at the front
/// (`bytes_ptr(out) == bytes_ptr(bytes_queue_front(q))`), also on an empty
/// queue, holding no reference. The caller owns `*out`.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// `n` exceeds the length; `BYTES_ERR_NOMEM` if the copy cannot be
/// allocated. `*q` is unchanged and `*out` empty on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_take(
    q: *mut bytes_queue_t,
    n: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    // A decoder calls this once a frame: within the first chunk the handle
    // is written straight to `*out`, outside the guard. No panic site
    // (`scripts/no-panic.sh`).
    if !out.is_null() {
        // SAFETY: `q` is NULL or a valid queue, `out` a writable handle
        // that is none of its chunks (C signature).
        if unsafe { borrow_mut(q) }.is_some_and(|q| unsafe { q.try_take_within(n, out.cast()) }) {
            return BYTES_OK;
        }
    }
    // SAFETY: as above.
    unsafe { take_slow(q, n, out) }
}

/// `bytes_queue_take` for NULL, errors, `n == 0`, a whole first chunk and
/// across chunks.
#[cold]
#[inline(never)]
unsafe extern "C" fn take_slow(q: *mut bytes_queue_t, n: usize, out: *mut bytes_t) -> bytes_status_t {
    // Not through `produce`: moving the handle through a `Result` of a
    // status costs a third of the call.
    guard(BYTES_ERR_INTERNAL, || {
        if out.is_null() {
            return BYTES_ERR_NULL;
        }
        // SAFETY: `q` is NULL or a valid queue (C signature).
        let (value, status) = match unsafe { borrow_mut(q) }.map(|q| q.take(n)) {
            Some(Ok(taken)) => (taken, BYTES_OK),
            Some(Err(error)) => (Bytes::new(), error.into()),
            None => (Bytes::new(), BYTES_ERR_NULL),
        };
        // SAFETY: `out` is non-NULL and writable (C signature).
        unsafe { write_handle(out, value) };
        status
    })
}

/// Consumes the first `n` bytes and stores them in `*out` as a queue of
/// their own, zero-copy (forwarding a body): whole chunks move, a chunk
/// cut in two is split (one count update). One allocation for `*out`'s
/// chunk array (none for `n == 0`). The caller owns `*out`.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_INVALID` if
/// `out == q`; `BYTES_ERR_RANGE` if `n` exceeds the length;
/// `BYTES_ERR_NOMEM` if the array cannot be allocated. `*q` is unchanged
/// and `*out` empty on error (unless it is `q`).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_split_to(
    q: *mut bytes_queue_t,
    n: usize,
    out: *mut bytes_queue_t,
) -> bytes_status_t {
    if ptr::eq(q, out) && !q.is_null() {
        return BYTES_ERR_INVALID;
    }
    // SAFETY: valid or NULL pointers (C signature), distinct.
    unsafe { produce(out, || Ok(borrow_mut(q).ok_or(BYTES_ERR_NULL)?.split_to(n)?)) }
}

/// Removes the first chunk and stores it, as it is, in `*out` (no copy).
/// The caller owns `*out`.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `out` is NULL; `BYTES_ERR_RANGE` if
/// the queue is empty. `*out` is empty on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_pop(q: *mut bytes_queue_t, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { produce(out, || borrow_mut(q).ok_or(BYTES_ERR_NULL)?.pop().ok_or(BYTES_ERR_RANGE)) }
}

/// Copies the first `n` bytes into `dst` and consumes them (whole chunks
/// released as `bytes_queue_advance` does).
///
/// Errors: `BYTES_ERR_NULL` if `q` is NULL, or `dst` is NULL with a
/// non-zero `n`; `BYTES_ERR_RANGE` if `n` exceeds the length. Nothing is
/// consumed, and nothing written to `dst`, on error.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_get(
    q: *mut bytes_queue_t,
    dst: *mut c_void,
    n: usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { with_queue(q, |q| Ok(q.copy_to(out_slice(dst, n)?)?)) }
}

/// Describes the chunks as iovecs in `iov[0..iov_cap)`, front first and
/// without a copy: returns the number written (at most `iov_cap`). They
/// stay valid until the next call that changes the queue. Followed by
/// `bytes_queue_advance(q, written)` this serves any sink (`SSL_write`,
/// io_uring, `sendmsg` with ancillary data). NULL `q` or `iov` give 0.
#[no_mangle]
pub unsafe extern "C" fn bytes_queue_fill_iovec(
    q: *const bytes_queue_t,
    iov: *mut libc::iovec,
    iov_cap: usize,
) -> usize {
    guard(0, || {
        // SAFETY: `q` is NULL or a valid queue (C signature).
        let Some(q) = (unsafe { borrow(q) }) else {
            return 0;
        };
        if iov.is_null() {
            return 0;
        }
        // SAFETY: `iov` has room for `iov_cap` iovecs (C signature).
        q.fill_iovecs(unsafe {
            std::slice::from_raw_parts_mut(iov as *mut MaybeUninit<libc::iovec>, iov_cap)
        })
    })
}

/// The common part of the two writes.
///
/// # Safety
/// `q` is NULL or a valid queue the caller may change; `written` is NULL
/// or writable.
unsafe fn write_out(
    q: *mut bytes_queue_t,
    fd: c_int,
    flags: Option<c_int>,
    written: *mut usize,
) -> bytes_status_t {
    // SAFETY: by the contract above.
    unsafe {
        guard_count(written, || match borrow_mut(q) {
            Some(q) => q.write_fd(fd, flags).map_err(bytes_status_t::from),
            None => Err(BYTES_ERR_NULL),
        })
    }
}

/// Writes the chunks to `fd` with one `writev(2)` (of the first 1024),
/// then consumes exactly what was written (whole chunks released together,
/// the partial one advanced), so after a partial write the queue holds the
/// unwritten remainder: call again when `fd` is writable. `*written`
/// receives the count (0 for an empty queue, which makes no call). `EINTR`
/// is retried. Writing to a socket whose peer has gone raises `SIGPIPE`:
/// use `bytes_queue_sendmsg_fd` with `MSG_NOSIGNAL` instead.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `written` is NULL; `BYTES_ERR_IO`
/// with `errno` set, `EAGAIN` included: nothing consumed, `*written` 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_writev_fd(
    q: *mut bytes_queue_t,
    fd: c_int,
    written: *mut usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { write_out(q, fd, None, written) }
}

/// `bytes_queue_writev_fd` with `sendmsg(2)` and its `flags`, for sockets:
/// `MSG_NOSIGNAL` turns a gone peer into `BYTES_ERR_IO` with `errno ==
/// EPIPE` and no `SIGPIPE` (for a library that cannot ignore the signal
/// process-wide), `MSG_DONTWAIT` makes this call non-blocking, `MSG_MORE`
/// corks.
///
/// Errors: `BYTES_ERR_NULL` if `q` or `written` is NULL; `BYTES_ERR_IO`
/// with `errno` set (`EAGAIN`, `EPIPE`, `ENOTSOCK`, ...): nothing
/// consumed, `*written` 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_queue_sendmsg_fd(
    q: *mut bytes_queue_t,
    fd: c_int,
    flags: c_int,
    written: *mut usize,
) -> bytes_status_t {
    // SAFETY: valid or NULL pointers (C signature).
    unsafe { write_out(q, fd, Some(flags), written) }
}
