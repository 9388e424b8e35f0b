//! `bytes_status_str` and `bytes_version`.

use std::ffi::CStr;

use bytes::ffi::bytes_status::*;
use bytes::ffi::status::{bytes_status_str, bytes_version};

use super::Harness;

impl Harness<'_> {
    pub(super) fn describe(&mut self, status: u32) {
        let text = bytes_status_str(status);
        self.ensure(!text.is_null(), || "bytes_status_str returned NULL".into());
        // SAFETY: a static NUL-terminated string (checked non-NULL).
        let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
        let unknown = text == "unknown status";
        self.ensure(unknown == (status > BYTES_ERR_INTERNAL as u32), || {
            format!("bytes_status_str({status}) is {text:?}")
        });
        // A caught bug of the library's own (BYTES_ERR_INTERNAL) is told
        // apart from the caller's mistake (BYTES_ERR_INVALID).
        // SAFETY: static NUL-terminated strings.
        let (internal, invalid) = unsafe {
            (
                CStr::from_ptr(bytes_status_str(BYTES_ERR_INTERNAL as u32)),
                CStr::from_ptr(bytes_status_str(BYTES_ERR_INVALID as u32)),
            )
        };
        self.ensure(internal != invalid && internal != c"unknown status", || {
            format!("BYTES_ERR_INTERNAL is described as {internal:?}")
        });
        // SAFETY: a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(bytes_version()) }.to_string_lossy();
        let parts: Vec<&str> = version.split('.').collect();
        self.ensure(
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit())),
            || format!("bytes_version() is {version:?}"),
        );
    }
}
