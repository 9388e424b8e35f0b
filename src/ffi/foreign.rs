//! The exported constructors of foreign memory: owners, custom vtables,
//! mapped files. On every failure the caller keeps ownership of what it
//! passed: no release or drop callback runs.

use std::ffi::{c_char, c_int, c_void, CStr};

use crate::ffi::boundary::slice_arg;
use crate::ffi::bytes::produce;
use crate::ffi::handle::bytes_t;
use crate::ffi::status::bytes_status::{BYTES_ERR_INVALID, BYTES_ERR_IO, BYTES_ERR_NULL};
use crate::ffi::status::bytes_status_t;
use crate::storage::{custom, mapped, owner};
use crate::vtable::Vtable;

/// The vtable type of `bytes_from_vtable`.
pub type bytes_vtable_t = Vtable;

/// Wraps `len` bytes at `ptr` that belong to `owner`, without a copy. The
/// library counts the references: `release(owner)` runs exactly once, on
/// whichever thread drops the last handle (clones, slices and splits
/// included). One small header is allocated; clones and slices allocate
/// nothing. An empty view (`len` 0) calls `release(owner)` at once and
/// gives an empty handle.
///
/// `ptr[..len]` must stay valid and unchanged until `release(owner)`;
/// `owner` may be NULL if `release` does not need it. `release` must
/// return normally: a C++ exception or a `longjmp` out of it, through the
/// library, is undefined behaviour (make it `noexcept`). It runs after the
/// dropped handle was emptied, and the library does not touch that handle
/// afterwards (rule 10): the handle may live inside the memory `release`
/// frees (`struct msg { bytes_t view; uint8_t data[]; }` freed whole).
///
/// Errors (the caller then keeps `owner`: `release` is not called; `*out`
/// is empty): `BYTES_ERR_NULL` if `out` or `release` is NULL, or `ptr` is
/// NULL with a non-zero `len`; `BYTES_ERR_NOMEM` if the header cannot be
/// allocated or `len` exceeds `PTRDIFF_MAX`.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_from_owner(
    ptr: *const u8,
    len: usize,
    owner: *mut c_void,
    release: Option<unsafe extern "C" fn(owner: *mut c_void)>,
    out: *mut bytes_t,
) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable; `ptr[..len]` is the owner's
    // memory, valid until released (C signature and contract above).
    unsafe {
        produce(out, || {
            let release = release.ok_or(BYTES_ERR_NULL)?;
            slice_arg(ptr, len)?;
            Ok(owner::wrap(ptr, len, owner, release)?)
        })
    }
}

/// Wraps `len` bytes at `ptr` of a foreign storage that counts its own
/// references, taking over one reference to `data`, without a copy and
/// without any allocation: the library calls `vtable->clone` for every
/// clone, slice or split and `vtable->drop` for every dropped handle,
/// passing that handle's view. An empty view (`len` 0) calls
/// `vtable->drop(data, ptr, 0)` at once and gives an empty handle.
///
/// The vtable must outlive every handle made with it. These bytes become
/// mutable only by copying (`bytes_into_mut`). Its callbacks must return
/// normally (no C++ exception, no `longjmp`), and may free the memory a
/// dropped handle lives in (rule 10).
///
/// Errors (the caller then keeps its reference: no callback runs; `*out`
/// is empty): `BYTES_ERR_INVALID` if `vtable` is NULL, its `struct_size`
/// is smaller than this version's `sizeof(bytes_vtable_t)`, or its `clone`
/// or `drop` is NULL; `BYTES_ERR_NULL` if `out` is NULL, or `ptr` is NULL
/// with a non-zero `len`; `BYTES_ERR_NOMEM` if `len` exceeds
/// `PTRDIFF_MAX`.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_from_vtable(
    ptr: *const u8,
    len: usize,
    data: *mut c_void,
    vtable: *const bytes_vtable_t,
    out: *mut bytes_t,
) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable; `vtable` NULL or valid for reading
    // its first version; `ptr[..len]` valid while `data` is referenced
    // (C signature and contract above).
    unsafe {
        produce(out, || {
            let vtable = vtable.as_ref().filter(|vtable| vtable.is_complete()).ok_or(BYTES_ERR_INVALID)?;
            // Checked as a slice, passed on as given: the callbacks see the
            // caller's own pointer, NULL included.
            slice_arg(ptr, len)?;
            Ok(custom::wrap(ptr, len, data, vtable))
        })
    }
}

/// Maps the whole file at `path` read-only into a new handle, without
/// reading it: the cost does not depend on the file's size. The file is
/// unmapped when the last handle drops; the descriptor is closed before
/// returning. An empty file gives an empty handle (no mapping).
///
/// The view is the file's pages, not a snapshot of them: whoever writes
/// the file (this process or another) changes the bytes every handle sees,
/// and if the file shrinks while it is mapped, reading the lost bytes
/// raises `SIGBUS`, as with any mapping. For a snapshot, copy the view with
/// `bytes_copy_from` (or serve files that are replaced by `rename`, never
/// rewritten in place).
///
/// Errors (`*out` is empty, nothing stays open or mapped):
/// `BYTES_ERR_NULL` if `path` or `out` is NULL; `BYTES_ERR_IO` with
/// `errno` set by the failing call (`ENOENT`, `EACCES`, ...; `EISDIR` for
/// a directory, `EINVAL` for anything else that is not a regular file,
/// unless `open` refuses it first, e.g. `ENXIO` for a socket; a FIFO does
/// not block);
/// `BYTES_ERR_NOMEM` if the header cannot be allocated or the file does not
/// fit the address space (larger than `SIZE_MAX`, or `mmap` finds no room:
/// a file of 2 GiB or more may not on a 32-bit target). Sizes are 64-bit on
/// every target.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_from_file(path: *const c_char, out: *mut bytes_t) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable; `path` NULL or a NUL-terminated
    // string (C signature).
    unsafe {
        produce(out, || {
            if path.is_null() {
                return Err(BYTES_ERR_NULL);
            }
            Ok(mapped::map_file(CStr::from_ptr(path))?)
        })
    }
}

/// Maps `len` bytes of the regular file open as `fd`, from byte `offset`,
/// read-only into a new handle. The offset need not be page-aligned (the
/// mapping starts at the page below it and the handle points into it).
/// `fd` may be closed right after the call; the mapping stays until the
/// last handle drops. An empty range gives an empty handle.
///
/// As with `bytes_from_file`, the view is not a snapshot: writes to the
/// file show through, and reading bytes that a shrinking file lost raises
/// `SIGBUS`. `bytes_copy_from` of the view takes a snapshot.
///
/// Errors (`*out` is empty, nothing stays mapped): `BYTES_ERR_NULL` if
/// `out` is NULL; `BYTES_ERR_RANGE` if `offset + len` is past the end of
/// the file; `BYTES_ERR_IO` with `errno` set by the failing call (`EBADF`
/// for a bad descriptor; `EISDIR`/`EINVAL` for a directory or another
/// non-regular file); `BYTES_ERR_NOMEM` if the header cannot be
/// allocated or the range does not fit the address space (`mmap` finds no
/// room). `offset` is 64-bit on every target: ranges beyond 4 GiB map on
/// 32-bit ones too.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn bytes_from_fd(
    fd: c_int,
    offset: u64,
    len: usize,
    out: *mut bytes_t,
) -> bytes_status_t {
    // SAFETY: `out` is NULL or writable (C signature).
    unsafe {
        produce(out, || {
            if fd < 0 {
                // SAFETY: `__errno_location` returns this thread's errno.
                *libc::__errno_location() = libc::EBADF;
                return Err(BYTES_ERR_IO);
            }
            Ok(mapped::map_fd(fd, offset, len)?)
        })
    }
}
