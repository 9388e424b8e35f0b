//! Memory-mapped files: a file's bytes mapped read-only, viewed without a
//! read or a copy, unmapped when the last handle drops.
//!
//! Mapping costs the same whatever the file's size: nothing is read until
//! a page is touched. The descriptor is not kept: a mapping outlives the
//! descriptor it was made from. As with any mapping, if another process
//! shrinks the file, touching the lost pages raises `SIGBUS`.
//!
//! Sizes and offsets are 64-bit on every target (`open64`, `fstat64`,
//! `mmap64`): on 32-bit ones, files of 2 GiB and more open and map, and
//! ranges at offsets beyond 4 GiB map; a mapping that does not fit the
//! address space (longer than `usize`, or refused by `mmap` with `ENOMEM`)
//! is `Error::NoMem`.

use std::ffi::{c_void, CStr};
use std::io;
use std::ptr;

use crate::storage::counted::{self, Resource};
use crate::storage::Kind;
use crate::{Bytes, Error};

/// A read-only mapping, unmapped on release.
pub(crate) struct Mapping {
    base: *mut c_void,
    len: usize,
}

// SAFETY: `munmap` may be called on any thread; the mapping is read-only.
unsafe impl Send for Mapping {}
// SAFETY: nothing reads through `&Mapping`.
unsafe impl Sync for Mapping {}

impl Resource for Mapping {
    fn release(self) {
        // SAFETY: `map_fd` mapped exactly this range, and the last handle
        // viewing it is gone. munmap of a valid mapping does not fail.
        unsafe { libc::munmap(self.base, self.len) };
    }
}

/// The `errno` of the OS call that just failed.
fn last_errno() -> Error {
    Error::Io(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
}

/// Maps the whole file at `path` read-only. An empty file gives an empty
/// handle, without a mapping.
///
/// Errors: `Error::Io` with the `errno` of the failing call (`open`,
/// `fstat`, `mmap`; `EISDIR` for a directory, `EINVAL` for anything else
/// that is not a regular file, unless `open` refuses it first, as with
/// `ENXIO` for a socket); `Error::NoMem` if the header cannot be
/// allocated or the file does not fit the address space. Nothing is left
/// open or mapped on error.
pub fn map_file(path: &CStr) -> Result<Bytes, Error> {
    // SAFETY: a NUL-terminated path; the descriptor is closed below.
    // O_NONBLOCK: opening a FIFO without a writer would otherwise block
    // until one comes; it changes nothing for a regular file or its mapping.
    let fd = unsafe { libc::open64(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK) };
    if fd < 0 {
        return Err(last_errno());
    }
    let mapped = file_len(fd)
        .and_then(|len| usize::try_from(len).map_err(|_| Error::NoMem))
        .and_then(|len| map_range(fd, 0, len));
    // SAFETY: `fd` is ours and open; the mapping does not need it.
    unsafe { libc::close(fd) };
    mapped
}

/// The size of the regular file open as `fd`.
fn file_len(fd: i32) -> Result<u64, Error> {
    // SAFETY: `fstat64` writes the zeroed struct, which is plain data.
    let mut stat: libc::stat64 = unsafe { std::mem::zeroed() };
    // SAFETY: `stat` is valid for writes; a bad `fd` is reported (EBADF).
    if unsafe { libc::fstat64(fd, &mut stat) } != 0 {
        return Err(last_errno());
    }
    match stat.st_mode & libc::S_IFMT {
        // A regular file's size is never negative.
        libc::S_IFREG => Ok(stat.st_size as u64),
        libc::S_IFDIR => Err(Error::Io(libc::EISDIR)),
        _ => Err(Error::Io(libc::EINVAL)),
    }
}

/// Maps `len` bytes of the regular file open as `fd`, from byte `offset`,
/// read-only. The offset need not be page-aligned: the mapping starts at
/// the page boundary below it and the view points into it. The descriptor
/// may be closed afterwards. An empty range gives an empty handle.
///
/// Errors: `Error::Range` if the range ends past the end of the file;
/// `Error::Io` with the `errno` of the failing call (`EBADF` for a bad
/// descriptor, `EISDIR`/`EINVAL` for a directory or another non-regular
/// file); `Error::NoMem` if the header cannot be allocated or the range
/// does not fit the address space. Nothing stays mapped on error.
pub fn map_fd(fd: i32, offset: u64, len: usize) -> Result<Bytes, Error> {
    let file_len = file_len(fd)?;
    let end = offset.checked_add(len as u64).ok_or(Error::Range)?;
    if end > file_len {
        return Err(Error::Range);
    }
    map_range(fd, offset, len)
}

/// Maps `len` bytes from `offset` of the regular file `fd`, a range known
/// to lie inside it.
fn map_range(fd: i32, offset: u64, len: usize) -> Result<Bytes, Error> {
    if len == 0 {
        return Ok(Bytes::new());
    }
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64;
    let skip = offset % page;
    // The page's head before the view: past `usize`, no room for it.
    let map_len = len.checked_add(skip as usize).ok_or(Error::NoMem)?;
    // SAFETY: a fresh read-only private mapping of a range inside the file
    // (checked above); nothing else refers to it yet.
    let base = unsafe {
        libc::mmap64(
            ptr::null_mut(),
            map_len,
            libc::PROT_READ,
            libc::MAP_PRIVATE,
            fd,
            // Below the file's size, which is an `off64_t`.
            (offset - skip) as libc::off64_t,
        )
    };
    if base == libc::MAP_FAILED {
        return Err(match last_errno() {
            // No room in the address space (or over a mapping limit).
            Error::Io(libc::ENOMEM) => Error::NoMem,
            error => error,
        });
    }
    let mapping = Mapping { base, len: map_len };
    // SAFETY: `skip < page <= map_len`, inside the mapping.
    let view = unsafe { (base as *const u8).add(skip as usize) };
    // SAFETY: the view lies in the mapping, which stays until released;
    // the file's bytes there are initialised memory once mapped.
    unsafe { counted::wrap(view, len, mapping, Kind::Mapped) }.map_err(|(error, mapping)| {
        mapping.release();
        error
    })
}
