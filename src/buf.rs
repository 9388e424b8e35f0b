//! Reading typed values from the front of a buffer, as the crate `bytes`'
//! `Buf::get_*` do: the one operation every reader needs ([`Buf::copy_to`])
//! and the decoders of fixed-size and n-byte integers built on it. Shared
//! by `Bytes` and the queue.

use crate::{Bytes, Error};

/// A buffer read and consumed at its front.
pub trait Buf {
    /// Copies `dst.len()` bytes from the front into `dst` and consumes
    /// them; `Error::Range` and nothing consumed when fewer remain.
    fn copy_to(&mut self, dst: &mut [u8]) -> Result<(), Error>;

    /// Reads `N` bytes and consumes them, as [`copy_to`](Buf::copy_to).
    fn get_bytes<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut bytes = [0; N];
        self.copy_to(&mut bytes)?;
        Ok(bytes)
    }

    /// Reads an unsigned big-endian integer of `nbytes` bytes (1..=8; the
    /// caller checks); `Error::Range` and nothing consumed when short.
    fn get_uint_be(&mut self, nbytes: usize) -> Result<u64, Error> {
        debug_assert!((1..=8).contains(&nbytes));
        let mut bytes = [0; 8];
        self.copy_to(&mut bytes[8 - nbytes..])?;
        Ok(u64::from_be_bytes(bytes))
    }

    /// The little-endian twin of [`get_uint_be`](Buf::get_uint_be).
    fn get_uint_le(&mut self, nbytes: usize) -> Result<u64, Error> {
        debug_assert!((1..=8).contains(&nbytes));
        let mut bytes = [0; 8];
        self.copy_to(&mut bytes[..nbytes])?;
        Ok(u64::from_le_bytes(bytes))
    }

    /// A signed big-endian integer of `nbytes` bytes, sign-extended.
    fn get_int_be(&mut self, nbytes: usize) -> Result<i64, Error> {
        self.get_uint_be(nbytes).map(|v| sign_extend(v, nbytes))
    }

    /// A signed little-endian integer of `nbytes` bytes, sign-extended.
    fn get_int_le(&mut self, nbytes: usize) -> Result<i64, Error> {
        self.get_uint_le(nbytes).map(|v| sign_extend(v, nbytes))
    }
}

/// The `nbytes`-byte two's complement value in the low bytes of `v`, as an
/// `i64`.
fn sign_extend(v: u64, nbytes: usize) -> i64 {
    let shift = 64 - 8 * nbytes as u32;
    ((v << shift) as i64) >> shift
}

impl Buf for Bytes {
    fn copy_to(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        let head = self.as_slice().get(..dst.len()).ok_or(Error::Range)?;
        dst.copy_from_slice(head);
        self.advance(dst.len())
    }
}

/// The bytes of the low `nbytes` (1..=8; the caller checks) bytes of `v`,
/// big-endian, as the crate's `BufMut::put_uint` writes them.
pub fn uint_be_bytes(v: u64, nbytes: usize) -> ([u8; 8], std::ops::Range<usize>) {
    (v.to_be_bytes(), 8 - nbytes..8)
}

/// The little-endian twin of [`uint_be_bytes`].
pub fn uint_le_bytes(v: u64, nbytes: usize) -> ([u8; 8], std::ops::Range<usize>) {
    (v.to_le_bytes(), 0..nbytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_byte_integers_sign_extend_and_leave_short_input_alone() {
        let mut b = Bytes::from_static(&[0xff, 0xfe, 0x01, 0x80]);
        assert_eq!(b.get_int_be(2), Ok(-2));
        assert_eq!(b.get_uint_le(3), Err(Error::Range));
        assert_eq!(b.as_slice(), [0x01, 0x80]);
        assert_eq!(b.get_int_le(2), Ok(-32767));
        assert!(b.is_empty());
        assert_eq!(uint_be_bytes(0x0102_0304, 3), (0x0102_0304u64.to_be_bytes(), 5..8));
    }
}
