//! libbytes: cheap, reference-counted, zero-copy byte buffers with a C ABI.
//!
//! The crate has two layers:
//!
//! - a safe core that knows nothing of C: [`Bytes`] (an immutable view that
//!   clones and slices in O(1)), [`BytesMut`] (a unique growable buffer
//!   that splits and freezes into `Bytes`), the storage kinds behind them
//!   ([`storage`]), and the one vtable mechanism they all share
//!   ([`vtable::Vtable`]);
//! - [`ffi`], the C boundary, which converts and checks arguments, maps
//!   errors to `bytes_status_t` and keeps panics from crossing into C. The
//!   header `include/bytes.h` is generated from it by cbindgen.
//!
//! `unsafe` lives in the storage kinds (raw allocation and the reference
//! counts), in [`Bytes`]'s vtable dispatch, and in the FFI layer's pointer
//! conversions; each block says why it holds.

mod buf;
mod bytes;
mod bytes_mut;
mod error;
pub mod ffi;
pub mod hash;
pub mod io;
mod queue;
pub mod storage;
pub mod vtable;

pub use crate::buf::Buf;
pub use crate::bytes::{ByteRange, Bytes};
pub use crate::bytes_mut::BytesMut;
pub use crate::error::Error;
pub use crate::queue::Queue;
