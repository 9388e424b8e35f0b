//! The C boundary. Everything here is a thin layer over the safe core: it
//! converts arguments, checks them (NULL, ranges, overflow), maps
//! [`Error`](crate::Error) to [`bytes_status_t`], and runs every exported
//! function inside [`boundary::guard`] so that no panic crosses into C.
//!
//! `include/bytes.h` is generated from this module by cbindgen (see
//! `tests/header.rs`); the doc comments here are the header's comments.

//! Every exported function is `unsafe` for one reason, stated here once
//! rather than in a "Safety" section of each (which would also land in the
//! C header): pointer arguments must be NULL or valid for what the C
//! signature says (a handle the library made or an all-zero one, `len`
//! readable bytes at `ptr`, a writable out-parameter).

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

mod boundary;
pub mod bytes;
pub mod bytes_mut;
pub mod foreign;
pub mod handle;
pub mod hash;
pub mod io;
pub mod queue;
pub mod queue_get;
pub mod rw;
pub mod send;
pub mod status;

pub use foreign::bytes_vtable_t;
pub use handle::{bytes_mut_t, bytes_t};
pub use queue::bytes_queue_t;
pub use status::{bytes_status, bytes_status_t};

#[cfg(test)]
mod tests;
