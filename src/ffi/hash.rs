//! `bytes_hash`: a keyed hash of a handle's bytes for C hash tables.

use crate::ffi::boundary::guard;
use crate::ffi::handle::{borrow, bytes_t};
use crate::hash::siphash24;
use crate::Bytes;

/// A hash of the bytes `*b` views (not of where they are), keyed by `seed`:
/// SipHash-2-4 with the 128-bit key made of `seed` (its eight bytes,
/// little-endian) and eight zero bytes. Equal bytes give equal hashes under
/// one seed; for a table holding untrusted keys pick the seed at random
/// (e.g. `getrandom`) once per table or process, and an attacker cannot
/// choose keys that collide (hash flooding). Stable across releases and
/// platforms: the same bytes and seed always give the same value.
///
/// A NULL `b` hashes as empty bytes. Thread-safe: reads `*b` only.
#[no_mangle]
pub unsafe extern "C" fn bytes_hash(b: *const bytes_t, seed: u64) -> u64 {
    guard(0, || {
        // SAFETY: `b` is NULL or a valid handle (C signature).
        let bytes = unsafe { borrow(b) }.map_or(&[][..], Bytes::as_slice);
        siphash24(seed, 0, bytes)
    })
}
