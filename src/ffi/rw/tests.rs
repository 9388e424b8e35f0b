//! Every reader and writer against the crate `bytes` on the same bytes:
//! values, what is consumed or appended, and the statuses where the crate
//! reports an error (or panics: `nbytes` outside 1..=8).

use bytes_crate::{Buf as _, BufMut as _, BytesMut as CrateBytesMut};

use super::*;
use crate::ffi::bytes::{bytes_copy_from, bytes_drop};
use crate::ffi::bytes_mut::{bytes_mut_drop, bytes_mut_new};
use crate::ffi::handle::borrow;
use crate::ffi::queue::bytes_queue_t;
use crate::ffi::queue::{bytes_queue_drop, bytes_queue_push};
use crate::ffi::queue_get::*;
use crate::ffi::status::bytes_status::{BYTES_ERR_RANGE, BYTES_OK};

/// A value's bits, so that one table holds every type (floats by their
/// bits: NaNs compare too).
trait Bits: Default + Copy {
    fn bits(self) -> u64;
}
macro_rules! int_bits {
    ($($t:ty),*) => { $(impl Bits for $t { fn bits(self) -> u64 { self as u64 } })* };
}
int_bits!(u8, i8, u16, u32, i16, i32, i64, u64);
impl Bits for f32 {
    fn bits(self) -> u64 {
        self.to_bits().into()
    }
}
impl Bits for f64 {
    fn bits(self) -> u64 {
        self.to_bits()
    }
}

type Theirs<B> = fn(&mut B, usize) -> Option<u64>;

/// One reader: ours on the handle `H`, the crate's on `B`, and whether it
/// takes `nbytes`.
struct Reader<H, B> {
    name: &'static str,
    ours: fn(*mut H, usize) -> (bytes_status_t, u64),
    theirs: Theirs<B>,
    n_byte: bool,
}

/// The crate's buffer of two chunks, as a queue of two chunks.
type Chained = bytes_crate::buf::Chain<&'static [u8], &'static [u8]>;

macro_rules! fixed {
    ($ours:ident, $theirs:ident, $t:ty) => {
        Reader {
            name: stringify!($ours),
            ours: |b, _| {
                let mut v = <$t>::default();
                // SAFETY: `b` is a valid handle, `v` a valid out.
                let status = unsafe { $ours(b, &mut v) };
                (status, v.bits())
            },
            theirs: |c, _| c.$theirs().ok().map(Bits::bits),
            n_byte: false,
        }
    };
}
macro_rules! n_byte {
    ($ours:ident, $theirs:ident, $t:ty) => {
        Reader {
            name: stringify!($ours),
            ours: |b, n| {
                let mut v = <$t>::default();
                // SAFETY: `b` is a valid handle, `v` a valid out.
                let status = unsafe { $ours(b, n, &mut v) };
                (status, v.bits())
            },
            theirs: |c, n| c.$theirs(n).ok().map(Bits::bits),
            n_byte: true,
        }
    };
}

/// The crate's sign-extending `get_int`/`get_int_le`, `None` when short.
trait GetIntChecked: bytes_crate::Buf {
    fn get_int_checked(&mut self, nbytes: usize) -> Result<i64, ()> {
        (self.remaining() >= nbytes).then(|| self.get_int(nbytes)).ok_or(())
    }
    fn get_int_le_checked(&mut self, nbytes: usize) -> Result<i64, ()> {
        (self.remaining() >= nbytes).then(|| self.get_int_le(nbytes)).ok_or(())
    }
}
impl GetIntChecked for &[u8] {}
impl GetIntChecked for Chained {}

const READERS: [Reader<bytes_t, &[u8]>; 15] = [
    fixed!(bytes_get_i8, try_get_i8, i8),
    fixed!(bytes_get_i16_be, try_get_i16, i16),
    fixed!(bytes_get_i16_le, try_get_i16_le, i16),
    fixed!(bytes_get_i32_be, try_get_i32, i32),
    fixed!(bytes_get_i32_le, try_get_i32_le, i32),
    fixed!(bytes_get_i64_be, try_get_i64, i64),
    fixed!(bytes_get_i64_le, try_get_i64_le, i64),
    fixed!(bytes_get_f32_be, try_get_f32, f32),
    fixed!(bytes_get_f32_le, try_get_f32_le, f32),
    fixed!(bytes_get_f64_be, try_get_f64, f64),
    fixed!(bytes_get_f64_le, try_get_f64_le, f64),
    n_byte!(bytes_get_uint_be, try_get_uint, u64),
    n_byte!(bytes_get_uint_le, try_get_uint_le, u64),
    // The crate's `try_get_int` (1.12) does not sign-extend; `get_int`
    // does, as its documentation and the contract say.
    n_byte!(bytes_get_int_be, get_int_checked, i64),
    n_byte!(bytes_get_int_le, get_int_le_checked, i64),
];

const QUEUE_READERS: [Reader<bytes_queue_t, Chained>; 22] = [
    fixed!(bytes_queue_get_u8, try_get_u8, u8),
    fixed!(bytes_queue_get_i8, try_get_i8, i8),
    fixed!(bytes_queue_get_u16_be, try_get_u16, u16),
    fixed!(bytes_queue_get_u16_le, try_get_u16_le, u16),
    fixed!(bytes_queue_get_u32_be, try_get_u32, u32),
    fixed!(bytes_queue_get_u32_le, try_get_u32_le, u32),
    fixed!(bytes_queue_get_u64_be, try_get_u64, u64),
    fixed!(bytes_queue_get_u64_le, try_get_u64_le, u64),
    fixed!(bytes_queue_get_i16_be, try_get_i16, i16),
    fixed!(bytes_queue_get_i16_le, try_get_i16_le, i16),
    fixed!(bytes_queue_get_i32_be, try_get_i32, i32),
    fixed!(bytes_queue_get_i32_le, try_get_i32_le, i32),
    fixed!(bytes_queue_get_i64_be, try_get_i64, i64),
    fixed!(bytes_queue_get_i64_le, try_get_i64_le, i64),
    fixed!(bytes_queue_get_f32_be, try_get_f32, f32),
    fixed!(bytes_queue_get_f32_le, try_get_f32_le, f32),
    fixed!(bytes_queue_get_f64_be, try_get_f64, f64),
    fixed!(bytes_queue_get_f64_le, try_get_f64_le, f64),
    n_byte!(bytes_queue_get_uint_be, try_get_uint, u64),
    n_byte!(bytes_queue_get_uint_le, try_get_uint_le, u64),
    n_byte!(bytes_queue_get_int_be, get_int_checked, i64),
    n_byte!(bytes_queue_get_int_le, get_int_le_checked, i64),
];

/// Inputs with high bits set and clear, so sign extension shows.
const INPUTS: [[u8; 9]; 4] = [
    [0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88],
    [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09],
    [0xff; 9],
    [0x7f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xfe],
];

/// The inputs: all of them, or under Miri (where each call is slow) the
/// first, which has the sign bits set.
fn inputs() -> &'static [[u8; 9]] {
    if cfg!(miri) {
        &INPUTS[..1]
    } else {
        &INPUTS
    }
}

fn copy_of(bytes: &[u8]) -> bytes_t {
    let mut b = bytes_t::EMPTY;
    // SAFETY: valid pointers.
    assert_eq!(unsafe { bytes_copy_from(bytes.as_ptr(), bytes.len(), &mut b) }, BYTES_OK);
    b
}

fn view(b: &bytes_t) -> (*const u8, &[u8]) {
    // SAFETY: a valid handle.
    let core = unsafe { borrow(b) }.unwrap();
    (core.as_ptr(), core.as_slice())
}

#[test]
fn every_reader_matches_the_crate() {
    for reader in &READERS {
        let sizes: &[usize] = if reader.n_byte { &[1, 2, 3, 4, 5, 6, 7, 8] } else { &[0] };
        for &nbytes in sizes {
            for input in inputs() {
                for len in 0..=input.len() {
                    let prefix = &input[..len];
                    let mut b = copy_of(prefix);
                    let before = view(&b).0;
                    let (status, ours) = (reader.ours)(&mut b, nbytes);
                    let mut theirs_rest = prefix;
                    let theirs = (reader.theirs)(&mut theirs_rest, nbytes);
                    let what = format!("{} nbytes {nbytes} on {prefix:02x?}", reader.name);
                    match theirs {
                        Some(value) => {
                            assert_eq!((status, ours), (BYTES_OK, value), "{what}");
                            assert_eq!(view(&b).1, theirs_rest, "{what}: consumed as the crate");
                        }
                        None => {
                            assert_eq!((status, ours), (BYTES_ERR_RANGE, 0), "{what}");
                            assert_eq!(view(&b), (before, prefix), "{what}: nothing consumed");
                        }
                    }
                    // SAFETY: a valid handle.
                    unsafe { bytes_drop(&mut b) };
                }
            }
        }
    }
}

/// The queue's readers on every input cut into two chunks at every point,
/// against the crate's `Chain` of the same two slices.
#[test]
fn every_queue_reader_matches_the_crate_across_chunks() {
    for reader in &QUEUE_READERS {
        let sizes: &[usize] = if reader.n_byte { &[1, 3, 8] } else { &[0] };
        for &nbytes in sizes {
            for input in inputs() {
                for cut in (0..=input.len()).step_by(if cfg!(miri) { 4 } else { 1 }) {
                    let (a, b) = input.split_at(cut);
                    let mut q = crate::ffi::queue::bytes_queue_new();
                    for part in [a, b] {
                        let mut chunk = copy_of(part);
                        // SAFETY: valid pointers.
                        assert_eq!(unsafe { bytes_queue_push(&mut q, &mut chunk) }, BYTES_OK);
                    }
                    let (status, ours) = (reader.ours)(&mut q, nbytes);
                    let mut theirs_buf: Chained = bytes_crate::Buf::chain(a, b);
                    let theirs = (reader.theirs)(&mut theirs_buf, nbytes);
                    let what = format!("{} nbytes {nbytes} on {a:02x?} + {b:02x?}", reader.name);
                    // SAFETY: a valid queue.
                    let core = unsafe { borrow(&q) }.unwrap();
                    let left: Vec<u8> = core.chunks().iter().flat_map(|c| c.as_slice().to_vec()).collect();
                    match theirs {
                        Some(value) => {
                            assert_eq!((status, ours), (BYTES_OK, value), "{what}");
                            let mut rest = vec![0; theirs_buf.remaining()];
                            theirs_buf.copy_to_slice(&mut rest);
                            assert_eq!(left, rest, "{what}: consumed as the crate");
                        }
                        None => {
                            assert_eq!((status, ours), (BYTES_ERR_RANGE, 0), "{what}");
                            assert_eq!(left, input, "{what}: nothing consumed");
                        }
                    }
                    // SAFETY: a valid queue.
                    unsafe { bytes_queue_drop(&mut q) };
                }
            }
        }
    }
}

#[test]
fn n_byte_readers_refuse_sizes_outside_one_to_eight() {
    for reader in READERS.iter().filter(|reader| reader.n_byte) {
        for nbytes in [0, 9, usize::MAX] {
            let mut b = copy_of(&[1; 16]);
            let before = view(&b).0;
            assert_eq!((reader.ours)(&mut b, nbytes), (BYTES_ERR_INVALID, 0), "{}", reader.name);
            assert_eq!(view(&b), (before, &[1; 16][..]));
            // SAFETY: a valid handle.
            unsafe { bytes_drop(&mut b) };
        }
    }
}

#[test]
fn readers_refuse_null() {
    for reader in &READERS {
        assert_eq!((reader.ours)(std::ptr::null_mut(), 1), (BYTES_ERR_NULL, 0), "{}", reader.name);
    }
    let mut b = copy_of(b"ab");
    // SAFETY: a valid handle and a NULL out.
    assert_eq!(unsafe { bytes_get_i16_be(&mut b, std::ptr::null_mut()) }, BYTES_ERR_NULL);
    assert_eq!(view(&b).1, b"ab");
    // SAFETY: a valid handle.
    unsafe { bytes_drop(&mut b) };
}

/// One writer: ours and the crate's, given a value's bits.
struct Writer {
    name: &'static str,
    ours: fn(*mut bytes_mut_t, u64, usize) -> bytes_status_t,
    theirs: fn(&mut CrateBytesMut, u64, usize),
    n_byte: bool,
}

macro_rules! put_fixed {
    ($ours:ident, $theirs:ident, $from_bits:expr) => {
        Writer {
            name: stringify!($ours),
            // SAFETY: `m` is a valid buffer.
            ours: |m, v, _| unsafe { $ours(m, $from_bits(v)) },
            theirs: |c, v, _| c.$theirs($from_bits(v)),
            n_byte: false,
        }
    };
}
macro_rules! put_n_byte {
    ($ours:ident, $theirs:ident, $t:ty) => {
        Writer {
            name: stringify!($ours),
            // SAFETY: `m` is a valid buffer.
            ours: |m, v, n| unsafe { $ours(m, v as $t, n) },
            theirs: |c, v, n| c.$theirs(v as $t, n),
            n_byte: true,
        }
    };
}

const WRITERS: [Writer; 15] = [
    put_fixed!(bytes_mut_put_i8, put_i8, |v| v as i8),
    put_fixed!(bytes_mut_put_i16_be, put_i16, |v| v as i16),
    put_fixed!(bytes_mut_put_i16_le, put_i16_le, |v| v as i16),
    put_fixed!(bytes_mut_put_i32_be, put_i32, |v| v as i32),
    put_fixed!(bytes_mut_put_i32_le, put_i32_le, |v| v as i32),
    put_fixed!(bytes_mut_put_i64_be, put_i64, |v| v as i64),
    put_fixed!(bytes_mut_put_i64_le, put_i64_le, |v| v as i64),
    put_fixed!(bytes_mut_put_f32_be, put_f32, |v| f32::from_bits(v as u32)),
    put_fixed!(bytes_mut_put_f32_le, put_f32_le, |v| f32::from_bits(v as u32)),
    put_fixed!(bytes_mut_put_f64_be, put_f64, f64::from_bits),
    put_fixed!(bytes_mut_put_f64_le, put_f64_le, f64::from_bits),
    put_n_byte!(bytes_mut_put_uint_be, put_uint, u64),
    put_n_byte!(bytes_mut_put_uint_le, put_uint_le, u64),
    put_n_byte!(bytes_mut_put_int_be, put_int, i64),
    put_n_byte!(bytes_mut_put_int_le, put_int_le, i64),
];

const VALUES: [u64; 6] = [0, 1, 0x80, 0x0102_0304_0506_0708, 0x7fc0_0001_8000_0000, u64::MAX];

fn mut_bytes(m: &bytes_mut_t) -> &[u8] {
    // SAFETY: a valid buffer.
    unsafe { borrow(m) }.unwrap().as_slice()
}

#[test]
fn every_writer_matches_the_crate() {
    for writer in &WRITERS {
        let sizes: &[usize] = if writer.n_byte { &[1, 2, 3, 4, 5, 6, 7, 8] } else { &[0] };
        let mut ours = bytes_mut_new();
        let mut theirs = CrateBytesMut::new();
        for &nbytes in sizes {
            for &value in &VALUES {
                assert_eq!((writer.ours)(&mut ours, value, nbytes), BYTES_OK, "{}", writer.name);
                (writer.theirs)(&mut theirs, value, nbytes);
                assert_eq!(mut_bytes(&ours), &theirs[..], "{} {value:#x} nbytes {nbytes}", writer.name);
            }
        }
        if writer.n_byte {
            let before = mut_bytes(&ours).to_vec();
            for nbytes in [0, 9, usize::MAX] {
                assert_eq!((writer.ours)(&mut ours, 1, nbytes), BYTES_ERR_INVALID, "{}", writer.name);
            }
            assert_eq!(mut_bytes(&ours), before, "{}: unchanged after an error", writer.name);
        }
        assert_eq!((writer.ours)(std::ptr::null_mut(), 1, 1), BYTES_ERR_NULL, "{}", writer.name);
        // SAFETY: a valid buffer.
        unsafe { bytes_mut_drop(&mut ours) };
    }
}
