//! The exported I/O functions: reading from a descriptor into a
//! `bytes_mut_t`, and writing many `bytes_t` with one `writev(2)`.

use std::ffi::c_int;
use std::mem::{self, MaybeUninit};

use crate::ffi::boundary::{guard, guard_count};
use crate::ffi::handle::{borrow_array, borrow_array_mut, borrow_mut, bytes_mut_t, bytes_t};
use crate::ffi::status::bytes_status::{BYTES_ERR_INVALID, BYTES_ERR_NULL};
use crate::ffi::status::bytes_status_t;
use crate::io;

/// Makes room for up to `max` bytes in `*m` (growing as
/// `bytes_mut_reserve` does) and `read(2)`s from `fd` straight into its
/// spare capacity, committing what arrived; `*nread` receives the count,
/// 0 at end of file. One `read` per call; `EINTR` is retried.
///
/// Errors: `BYTES_ERR_NULL` if `m` or `nread` is NULL; `BYTES_ERR_INVALID`
/// if `max` is 0 (a read of nothing would look like end of file);
/// `BYTES_ERR_NOMEM` if the room cannot be made; `BYTES_ERR_IO` with
/// `errno` set for any failure of `read`, `EAGAIN`/`EWOULDBLOCK` on a
/// non-blocking descriptor included. On error `*nread` is 0 and the written
/// bytes of `*m` are unchanged (its capacity may have grown).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_mut_read_fd(
    m: *mut bytes_mut_t,
    fd: c_int,
    max: usize,
    nread: *mut usize,
) -> bytes_status_t {
    // SAFETY: `nread` is NULL or writable; `m` is NULL or a valid buffer
    // the caller may change (C signature).
    unsafe {
        guard_count(nread, || match borrow_mut(m) {
            None => Err(BYTES_ERR_NULL),
            Some(_) if max == 0 => Err(BYTES_ERR_INVALID),
            Some(m) => m.read_fd(fd, max).map_err(bytes_status_t::from),
        })
    }
}

/// Describes the handles `bufs[0..n)` as iovecs in `iov[0..iov_cap)`, in
/// order and without a copy, skipping empty handles: returns the number of
/// iovecs written (at most `iov_cap`). They stay valid while the handles
/// are held unchanged. NULL `bufs` or `iov` give 0.
#[no_mangle]
pub unsafe extern "C" fn bytes_fill_iovec(
    bufs: *const bytes_t,
    n: usize,
    iov: *mut libc::iovec,
    iov_cap: usize,
) -> usize {
    guard(0, || {
        if bufs.is_null() || iov.is_null() || iov_cap > isize::MAX as usize / mem::size_of::<libc::iovec>() {
            return 0;
        }
        // SAFETY: `bufs` holds `n` valid handles (C signature).
        let Ok(bufs) = (unsafe { borrow_array(bufs, n) }) else {
            return 0;
        };
        // SAFETY: `iov` is non-NULL with room for `iov_cap` iovecs (C
        // signature), which fit an object (checked); written only as
        // `MaybeUninit` until filled.
        let iov = unsafe { std::slice::from_raw_parts_mut(iov as *mut MaybeUninit<libc::iovec>, iov_cap) };
        io::fill_iovecs(bufs, iov)
    })
}

/// Writes the handles `bufs[0..n)` to `fd` with one `writev(2)` (of the
/// first 1024 non-empty ones, `IOV_MAX`; the iovecs are built on the stack,
/// which needs 16 KiB of it: mind small coroutine stacks), then consumes
/// exactly what was written: fully written handles are dropped (left
/// empty), a partly written one advanced past the written bytes. When every
/// handle is empty nothing is written, `*written` is 0, and the handles are
/// dropped all the same (an empty view may still hold its storage). After a partial write
/// `bufs` thus holds the unwritten remainder, ready for the next call (call
/// again until every handle is empty). `*written` receives the byte count.
/// `EINTR` is retried. As with `write(2)`, writing to a socket whose peer
/// has gone raises `SIGPIPE`: servers ignore it (`signal(SIGPIPE,
/// SIG_IGN)`) and get `EPIPE` here.
///
/// Errors: `BYTES_ERR_NULL` if `written` is NULL, or `bufs` is NULL with a
/// non-zero `n`; `BYTES_ERR_IO` with `errno` set, `EAGAIN`/`EWOULDBLOCK`
/// included: then nothing is consumed and `*written` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_writev_fd(
    fd: c_int,
    bufs: *mut bytes_t,
    n: usize,
    written: *mut usize,
) -> bytes_status_t {
    // SAFETY: as the C signature says.
    unsafe { write_handles(bufs, n, written, |bufs| io::write_fd(fd, bufs)) }
}

/// The common part of `bytes_writev_fd` and `bytes_sendmsg_fd`: checks the
/// arguments, runs `write` over the handles, stores the count in
/// `*written` (0 on error).
///
/// # Safety
/// `bufs` is NULL or holds `n` valid handles the caller may change;
/// `written` is NULL or writable.
pub(crate) unsafe fn write_handles(
    bufs: *mut bytes_t,
    n: usize,
    written: *mut usize,
    write: impl FnOnce(&mut [crate::Bytes]) -> Result<usize, crate::Error>,
) -> bytes_status_t {
    // SAFETY: by the contract above.
    unsafe {
        guard_count(written, || {
            borrow_array_mut(bufs, n).and_then(|bufs| write(bufs).map_err(bytes_status_t::from))
        })
    }
}
