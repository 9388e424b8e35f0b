//! Tests of the boundary's own logic, from Rust (the C suite in `c-tests/`
//! covers the same functions from C). Under Miri they check the pointer
//! conversions, including handles passed as both input and output.

use std::ffi::CStr;
use std::ptr;

use super::bytes::*;
use super::bytes_status::*;
use super::bytes_t;
use super::status::{bytes_status_str, bytes_version};

fn bytes_of(b: &bytes_t) -> &[u8] {
    // SAFETY: `b` is a valid handle.
    unsafe { super::handle::borrow(b) }.unwrap().as_slice()
}

fn is_zero(b: &bytes_t) -> bool {
    // SAFETY: reading the four plain words of a handle.
    let words: [usize; 4] = unsafe { std::mem::transmute_copy(b) };
    words == [0; 4]
}

fn copy_of(text: &[u8]) -> bytes_t {
    let mut out = bytes_new();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { bytes_copy_from(text.as_ptr(), text.len(), &mut out) }, BYTES_OK);
    out
}

#[test]
fn slice_into_its_own_handle_replaces_it() {
    let mut b = copy_of(b"hello world");
    let b_ptr: *mut bytes_t = &mut b;
    // SAFETY: `b` is both input and output, which `bytes_slice` allows.
    unsafe {
        assert_eq!(bytes_slice(b_ptr, 6, 11, b_ptr), BYTES_OK);
        assert_eq!(bytes_of(&b), b"world");
        assert!(bytes_is_unique(&b), "the old reference was released");
        assert_eq!(bytes_slice(b_ptr, 3, 9, b_ptr), BYTES_ERR_RANGE);
        assert_eq!(bytes_of(&b), b"world", "an error leaves an aliased out unchanged");
        let sub = bytes_of(&b)[1..3].as_ptr();
        assert_eq!(bytes_slice_ref(b_ptr, sub, 2, b_ptr), BYTES_OK);
        assert_eq!(bytes_of(&b), b"or");
        bytes_drop(&mut b);
    }
}

#[test]
fn errors_empty_the_out_parameter_and_keep_the_input() {
    let mut b = copy_of(b"abc");
    let mut out = copy_of(b"stale");
    // SAFETY: keeps the bits of `out`'s reference, overwritten below.
    let mut stale = unsafe { ptr::read(&out) };
    // SAFETY: a handle is four plain words.
    let before: [usize; 4] = unsafe { std::mem::transmute_copy(&b) };
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(bytes_slice(&b, 2, 1, &mut out), BYTES_ERR_RANGE);
        assert!(is_zero(&out));
        assert_eq!(bytes_split_to(&mut b, 4, &mut out), BYTES_ERR_RANGE);
        assert_eq!(bytes_split_off(&mut b, 4, &mut out), BYTES_ERR_RANGE);
        assert_eq!(bytes_split_to(ptr::null_mut(), 0, &mut out), BYTES_ERR_NULL);
        assert!(is_zero(&out));
        assert_eq!(bytes_split_to(&mut b, 1, ptr::null_mut()), BYTES_ERR_NULL);
        let b_ptr: *mut bytes_t = &mut b;
        assert_eq!(bytes_split_to(b_ptr, 1, b_ptr), BYTES_ERR_INVALID);
        assert_eq!(bytes_copy_from(ptr::null(), 1, &mut out), BYTES_ERR_NULL);
        assert_eq!(bytes_copy_from(b"x".as_ptr(), usize::MAX, &mut out), BYTES_ERR_NOMEM);
        assert!(is_zero(&out));
        let after: [usize; 4] = std::mem::transmute_copy(&b);
        assert_eq!(before, after, "no error touched the input");
        bytes_drop(&mut stale);
        bytes_drop(&mut b);
    }
}

#[test]
fn getters_write_zero_on_error() {
    let mut b = copy_of(&[0x12, 0x34, 0x56]);
    let mut value: u32 = 7;
    let mut short: u16 = 0;
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(bytes_get_u32_be(&mut b, &mut value), BYTES_ERR_RANGE);
        assert_eq!(value, 0);
        assert_eq!(bytes_get_u16_le(&mut b, &mut short), BYTES_OK);
        assert_eq!(short, 0x3412);
        assert_eq!(bytes_get_u16_be(&mut b, ptr::null_mut()), BYTES_ERR_NULL);
        assert_eq!(bytes_get_u16_be(ptr::null_mut(), &mut short), BYTES_ERR_NULL);
        assert_eq!(short, 0);
        assert_eq!(bytes_of(&b), &[0x56]);
        bytes_drop(&mut b);
    }
}

#[test]
fn every_status_has_a_description() {
    let describe = |status: u32| {
        // SAFETY: bytes_status_str never returns NULL.
        unsafe { CStr::from_ptr(bytes_status_str(status)) }.to_str().unwrap().to_owned()
    };
    let unknown = describe(u32::MAX);
    assert_eq!(unknown, "unknown status");
    for status in [
        BYTES_OK,
        BYTES_ERR_NULL,
        BYTES_ERR_RANGE,
        BYTES_ERR_NOMEM,
        BYTES_ERR_NOT_UNIQUE,
        BYTES_ERR_INVALID,
        BYTES_ERR_IO,
        BYTES_ERR_INTERNAL,
    ] {
        assert_ne!(describe(status as u32), unknown, "{status:?}");
    }
    assert_eq!(BYTES_ERR_INTERNAL as u32, 7);
    assert_eq!(describe(8), unknown);
}

#[test]
fn a_caught_panic_is_an_internal_error_not_the_callers() {
    if std::env::var_os("BYTES_SKIP_UNWIND_TESTS").is_some() {
        return; // scripts/cross.sh: an emulator that cannot unwind
    }
    let status = crate::ffi::boundary::guard_status(|| panic!("a bug inside the library"));
    assert_eq!(status, BYTES_ERR_INTERNAL);
}

#[test]
fn version_is_cargos() {
    // SAFETY: a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(bytes_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

/// Every export that takes an array of handles, called the way C calls
/// them: with a raw pointer to the first of `n` handles in a heap array.
/// Under Miri this checks that each export reaches all `n` handles through
/// that pointer (not through a reference to the first one).
#[test]
fn exports_taking_arrays_reach_every_handle() {
    use super::io::{bytes_fill_iovec, bytes_writev_fd};
    let base = copy_of(b"GET /index.html HTTP/1.1");
    let ranges = [
        bytes_range_t { begin: 0, end: 3 },
        bytes_range_t { begin: 4, end: 15 },
        bytes_range_t { begin: 16, end: 24 },
    ];
    let mut fields: Vec<bytes_t> = (0..3).map(|_| bytes_new()).collect();
    let mut iov = vec![libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 }; 4];
    // SAFETY: every pointer is valid for the count passed with it.
    unsafe {
        assert_eq!(bytes_slice_many(&base, ranges.as_ptr(), 3, fields.as_mut_ptr()), BYTES_OK);
        let texts: Vec<&[u8]> = fields.iter().map(bytes_of).collect();
        assert_eq!(texts, [&b"GET"[..], b"/index.html", b"HTTP/1.1"]);

        assert_eq!(bytes_fill_iovec(fields.as_ptr(), 3, iov.as_mut_ptr(), 4), 3);
        let last = iov[2].iov_base as *const u8;
        assert_eq!((last, iov[2].iov_len), (bytes_of(&fields[2]).as_ptr(), 8));

        // All empty: nothing to write, no system call, every handle dropped.
        let mut empties: Vec<bytes_t> = fields.iter().map(|field| bytes_clone(field)).collect();
        for empty in &mut empties {
            bytes_truncate(empty, 0);
        }
        let mut written = 99;
        assert_eq!(bytes_writev_fd(-1, empties.as_mut_ptr(), 3, &mut written), BYTES_OK);
        assert_eq!(written, 0);
        assert!(empties.iter().all(is_zero));

        bytes_drop_many(fields.as_mut_ptr(), 3);
        assert!(fields.iter().all(is_zero));
        assert!(bytes_is_unique(&base), "every field's reference was released");
        let mut base = base;
        bytes_drop(&mut base);
    }
}
