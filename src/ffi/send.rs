//! `bytes_sendmsg_fd`: `bytes_writev_fd` with `sendmsg(2)` flags.

use std::ffi::c_int;

use crate::ffi::handle::bytes_t;
use crate::ffi::io::write_handles;
use crate::ffi::status::bytes_status_t;
use crate::io;

/// Sends the handles `bufs[0..n)` on the socket `fd` with one `sendmsg(2)`
/// (of the first 1024 non-empty ones) and `flags`, then consumes exactly
/// what was sent, as `bytes_writev_fd` does: fully sent handles are
/// dropped (left empty), a partly sent one advanced, so after a partial
/// send `bufs` holds the unsent remainder, ready for the next call.
/// `*written` receives the byte count. `EINTR` is retried.
///
/// `flags` are `sendmsg`'s: `MSG_NOSIGNAL` turns the `SIGPIPE` of a peer
/// that has gone into `BYTES_ERR_IO` with `errno == EPIPE` and no signal
/// (what a library that may not change the process's signal handling
/// needs); `MSG_DONTWAIT` makes this one call non-blocking; `MSG_MORE`
/// says more follows (TCP corks the data).
///
/// Errors: `BYTES_ERR_NULL` if `written` is NULL, or `bufs` is NULL with a
/// non-zero `n`; `BYTES_ERR_IO` with `errno` set (`EAGAIN`, `EPIPE`,
/// `ENOTSOCK` for a descriptor that is not a socket, ...): then nothing is
/// consumed and `*written` is 0.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_sendmsg_fd(
    fd: c_int,
    bufs: *mut bytes_t,
    n: usize,
    flags: c_int,
    written: *mut usize,
) -> bytes_status_t {
    // SAFETY: as the C signature says.
    unsafe { write_handles(bufs, n, written, |bufs| io::send_fd(fd, bufs, flags)) }
}
