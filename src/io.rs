//! Network and file I/O without copies: reading straight into a
//! [`BytesMut`]'s spare capacity, and writing many [`Bytes`] with one
//! vectored write that consumes exactly what was written.

use std::io;
use std::mem::MaybeUninit;

use crate::{Bytes, BytesMut, Error};

/// The most handles one vectored write takes (Linux's `IOV_MAX`).
pub const MAX_IOVECS: usize = 1024;

/// The `errno` of the OS call that just failed.
fn last_errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

impl BytesMut {
    /// Makes room for up to `max` bytes and `read(2)`s from `fd` straight
    /// into the spare capacity, committing what arrived: returns the number
    /// of bytes read, 0 at end of file. `EINTR` is retried.
    ///
    /// Errors: `Error::NoMem` if the room cannot be made; `Error::Io` with
    /// `errno` for any other failure of `read` (`EAGAIN` included). The
    /// written bytes are unchanged on error (the capacity may have grown).
    pub fn read_fd(&mut self, fd: i32, max: usize) -> Result<usize, Error> {
        self.reserve(max)?;
        let spare = self.spare_capacity_mut();
        let want = spare.len().min(max);
        loop {
            // SAFETY: `spare` is this buffer's own writable region of at
            // least `want` bytes; `read` writes at most `want` of them.
            let n = unsafe { libc::read(fd, spare.as_mut_ptr() as *mut libc::c_void, want) };
            if n >= 0 {
                let n = n as usize;
                // SAFETY: `read` initialised the first `n` spare bytes.
                unsafe { self.commit(n) }.expect("read(2) returns at most what it was asked for");
                return Ok(n);
            }
            let errno = last_errno();
            if errno != libc::EINTR {
                return Err(Error::Io(errno));
            }
        }
    }
}

/// One `writev(2)` of the non-empty handles among `bufs` (up to
/// [`MAX_IOVECS`] of them), then consumes exactly what was written: fully
/// written handles are dropped (left empty), a partly written one advanced,
/// the rest untouched, so after a partial write `bufs` holds the unwritten
/// remainder, ready for the next call. Returns the number of bytes written.
/// When no handle has a byte to write, returns 0 and drops them all.
/// `EINTR` is retried.
///
/// Errors: `Error::Io` with `errno` (`EAGAIN` included); nothing is
/// consumed.
pub fn write_fd(fd: i32, bufs: &mut [Bytes]) -> Result<usize, Error> {
    write_vectored(fd, bufs, None)
}

/// [`write_fd`] with `sendmsg(2)` and its `flags` (`MSG_NOSIGNAL`,
/// `MSG_DONTWAIT`, `MSG_MORE`) instead of `writev(2)`: for sockets only.
pub fn send_fd(fd: i32, bufs: &mut [Bytes], flags: i32) -> Result<usize, Error> {
    write_vectored(fd, bufs, Some(flags))
}

/// One vectored write of the non-empty handles among `bufs`, then consumes
/// what was written (see [`write_fd`]).
fn write_vectored(fd: i32, bufs: &mut [Bytes], flags: Option<i32>) -> Result<usize, Error> {
    // Uninitialised: filling 16 KiB of zeros would cost more than a small
    // write.
    let mut iov = [const { MaybeUninit::<libc::iovec>::uninit() }; MAX_IOVECS];
    let count = fill_iovecs(bufs, &mut iov);
    if count == 0 {
        // Nothing to write, and every handle is consumed: empty views may
        // still hold their storage.
        Bytes::drop_many(bufs);
        return Ok(0);
    }
    // SAFETY: `fill_iovecs` initialised `iov[..count]`.
    let iov = unsafe { std::slice::from_raw_parts(iov.as_ptr() as *const libc::iovec, count) };
    let written = write_iovecs(fd, iov, flags)?;
    consume(bufs, written);
    Ok(written)
}

/// One `writev(2)` (`flags` `None`) or `sendmsg(2)` of `iov`, retried on
/// `EINTR`: the number of bytes written. Nothing is written for no iovecs.
pub(crate) fn write_iovecs(fd: i32, iov: &[libc::iovec], flags: Option<i32>) -> Result<usize, Error> {
    if iov.is_empty() {
        return Ok(0);
    }
    loop {
        // SAFETY: `iov` describes bytes of live handles, which the kernel
        // only reads; `msg` points at `iov` for the duration of the call.
        let n = unsafe {
            match flags {
                None => libc::writev(fd, iov.as_ptr(), iov.len() as libc::c_int),
                Some(flags) => {
                    let mut msg: libc::msghdr = std::mem::zeroed();
                    msg.msg_iov = iov.as_ptr() as *mut libc::iovec;
                    msg.msg_iovlen = iov.len() as _;
                    libc::sendmsg(fd, &msg, flags)
                }
            }
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let errno = last_errno();
        if errno != libc::EINTR {
            return Err(Error::Io(errno));
        }
    }
}

/// Describes the non-empty handles among `bufs` as iovecs, in order, no
/// copy: returns how many of `iov` were filled (at most `iov.len()`).
pub fn fill_iovecs(bufs: &[Bytes], iov: &mut [MaybeUninit<libc::iovec>]) -> usize {
    let mut filled = 0;
    for (slot, buf) in iov.iter_mut().zip(bufs.iter().filter(|buf| !buf.is_empty())) {
        slot.write(libc::iovec { iov_base: buf.as_ptr() as *mut libc::c_void, iov_len: buf.len() });
        filled += 1;
    }
    filled
}

/// Drops the first `written` bytes of the handles, front to back: whole
/// handles in one batch, then advances the first handle written in part.
pub(crate) fn consume(bufs: &mut [Bytes], mut written: usize) {
    let mut whole = 0;
    for buf in bufs.iter() {
        if buf.len() > written {
            break;
        }
        written -= buf.len();
        whole += 1;
    }
    let (done, rest) = bufs.split_at_mut(whole);
    Bytes::drop_many(done);
    if let Some(first) = rest.first_mut() {
        first.advance(written).expect("the write ended inside this handle");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe() -> (i32, i32) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        (fds[0], fds[1])
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri has no pipes")]
    fn write_then_read_through_a_pipe() {
        let (rx, tx) = pipe();
        let mut bufs = [
            Bytes::from_static(b"HTTP/1.1 200 OK\r\n"),
            Bytes::new(),
            Bytes::copy_from_slice(b"\r\nbody").unwrap(),
        ];
        assert_eq!(write_fd(tx, &mut bufs).unwrap(), 23);
        assert!(bufs.iter().all(Bytes::is_empty), "everything written was consumed");
        let mut buf = BytesMut::new();
        assert_eq!(buf.read_fd(rx, 4096).unwrap(), 23);
        assert_eq!(buf.as_slice(), b"HTTP/1.1 200 OK\r\n\r\nbody");
        // SAFETY: closing our own descriptors.
        unsafe { libc::close(tx) };
        assert_eq!(buf.read_fd(rx, 10).unwrap(), 0, "end of file");
        assert_eq!(buf.read_fd(-1, 10).unwrap_err(), Error::Io(libc::EBADF));
        // SAFETY: as above.
        unsafe { libc::close(rx) };
    }

    #[test]
    fn consume_leaves_the_unwritten_remainder() {
        let mut bufs = [Bytes::from_static(b"abc"), Bytes::from_static(b"defg"), Bytes::from_static(b"hi")];
        consume(&mut bufs, 5);
        let left: Vec<&[u8]> = bufs.iter().map(Bytes::as_slice).collect();
        assert_eq!(left, [&b""[..], b"fg", b"hi"]);
        consume(&mut bufs, 4);
        assert!(bufs.iter().all(Bytes::is_empty));
    }

    #[test]
    fn fill_iovecs_skips_empty_handles_and_stops_at_capacity() {
        let bufs =
            [Bytes::from_static(b"a"), Bytes::new(), Bytes::from_static(b"bc"), Bytes::from_static(b"d")];
        let mut iov = [MaybeUninit::uninit(); 2];
        assert_eq!(fill_iovecs(&bufs, &mut iov), 2);
        // SAFETY: both were filled.
        let iov = iov.map(|slot| unsafe { slot.assume_init() });
        assert_eq!((iov[0].iov_base as *const u8, iov[0].iov_len), (bufs[0].as_ptr(), 1));
        assert_eq!((iov[1].iov_base as *const u8, iov[1].iov_len), (bufs[2].as_ptr(), 2));
    }
}
