//! The queue harness (`fuzz_targets/queue.rs`): a program of
//! `bytes_queue_t` calls on two queues, mixed with the handle calls that
//! feed them, checked call by call against a model: each queue is a plain
//! byte string.
//!
//! Checked after every call: the status (the set the header allows); on
//! error, every queue and handle byte-for-byte unchanged and out-parameters
//! empty (rule 4); on success, the contents of both queues (through
//! `bytes_queue_chunk`, the accessors' fields and nothing else), that no
//! chunk is empty, the results' contents, and the zero-copy pointers the
//! header promises: `take` within the first chunk (and `take(0)`) returns
//! the front's own bytes, `split_to` moves chunks without a copy,
//! `clone` shares them. The storage pushed into the queues comes from
//! counting owners: each must be released exactly once, when its last
//! chunk goes, and all of them by the end of the program.
//!
//! Operations are chosen by a derived `Arbitrary`: adding one reshuffles
//! what existing inputs decode to (regenerate the seeds, `fuzz/corpus/queue`,
//! by fuzzing again).

use std::ffi::c_void;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::{Arbitrary, Unstructured};
use bytes::ffi::bytes::{bytes_drop, bytes_split_to};
use bytes::ffi::bytes_mut::{bytes_mut_drop, bytes_mut_extend_from_slice};
use bytes::ffi::bytes_status::*;
use bytes::ffi::foreign::bytes_from_owner;
use bytes::ffi::queue::*;
use bytes::ffi::queue_get::*;
use bytes::ffi::{bytes_mut_t, bytes_queue_t, bytes_status_t, bytes_t};

use crate::raw::{bytes_len, bytes_ptr, bytes_view, raw_b};

/// A queue argument: 0 or 1.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Q(u8);

impl Q {
    fn index(self) -> usize {
        self.0 as usize % 2
    }
}

/// A count relative to a queue's length: edges are where bugs live.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum N {
    Zero,
    Len,
    LenPlus1,
    Within(u16),
    FrontLen,
    FrontPlus(u8),
    Huge,
}

impl N {
    fn get(self, len: usize, front: usize) -> usize {
        match self {
            N::Zero => 0,
            N::Len => len,
            N::LenPlus1 => len + 1,
            N::Within(x) => x as usize % (len + 1),
            N::FrontLen => front,
            N::FrontPlus(k) => front + k as usize,
            N::Huge => usize::MAX,
        }
    }
}

/// A typed reader of the queue.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Reader {
    U8,
    I16Le,
    U32Be,
    F64Le,
    UintBe(u8),
    IntLe(u8),
}

/// One call (or a few that belong together).
#[derive(Arbitrary, Debug, Clone)]
pub enum Op {
    /// `bytes_queue_push` of a new owned storage holding `data`.
    Push {
        q: Q,
        data: Vec<u8>,
    },
    /// One storage cut in two with `bytes_split_to`, both pushed in order:
    /// the second merges into the first.
    PushSplit {
        q: Q,
        data: Vec<u8>,
        cut: u8,
    },
    /// `data` written into the receive buffer, then `bytes_queue_push_mut`.
    PushMut {
        q: Q,
        data: Vec<u8>,
    },
    /// `bytes_queue_reserve` of the receive buffer through `q`.
    Reserve {
        q: Q,
        additional: u16,
    },
    Write {
        q: Q,
        data: Vec<u8>,
    },
    PushFront {
        q: Q,
        data: Vec<u8>,
    },
    Take {
        q: Q,
        n: N,
    },
    Advance {
        q: Q,
        n: N,
    },
    /// `bytes_queue_split_to(q, n, &tmp)`, then `bytes_queue_append(other, &tmp)`.
    SplitAppend {
        q: Q,
        n: N,
    },
    /// `bytes_queue_append(a, b)` (the same queue: BYTES_ERR_INVALID).
    Append {
        a: Q,
        b: Q,
    },
    Pop {
        q: Q,
    },
    Get {
        q: Q,
        n: N,
    },
    Peek {
        q: Q,
        offset: N,
        n: u8,
    },
    Typed {
        q: Q,
        reader: Reader,
    },
    /// A needle cut from the model (found) or arbitrary bytes.
    Find {
        q: Q,
        from: N,
        to: N,
        at: u16,
        len: u8,
        own: bool,
        other: Vec<u8>,
    },
    Pullup {
        q: Q,
        n: N,
    },
    /// `bytes_queue_clone(a)` into `b` (the old `b` dropped first).
    Clone {
        a: Q,
        b: Q,
    },
    /// `bytes_queue_writev_fd` into a pipe, read back.
    Writev {
        q: Q,
    },
    Drop {
        q: Q,
    },
}

/// A program: operations until the input runs out (at most 256).
#[derive(Debug, Clone)]
pub struct QueueProgram(pub Vec<Op>);

impl<'a> Arbitrary<'a> for QueueProgram {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<QueueProgram> {
        let mut ops = Vec::new();
        while !u.is_empty() && ops.len() < 256 {
            match Op::arbitrary(u) {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        Ok(QueueProgram(ops))
    }
}

/// Owners made and released: every owner must be released exactly once.
static OWNERS_MADE: AtomicUsize = AtomicUsize::new(0);
static OWNERS_RELEASED: AtomicUsize = AtomicUsize::new(0);

/// A counting owner: a boxed copy of the bytes.
struct Owner {
    bytes: Vec<u8>,
    released: bool,
}

unsafe extern "C" fn release(owner: *mut c_void) {
    // SAFETY: `owner` is a `Box<Owner>` made by `owned`, released once
    // (checked).
    let mut owner = unsafe { Box::from_raw(owner as *mut Owner) };
    assert!(!owner.released, "an owner released twice");
    owner.released = true;
    OWNERS_RELEASED.fetch_add(1, Ordering::Relaxed);
}

/// A handle of a new owned storage holding `data` (empty: the zero handle).
fn owned(data: &[u8]) -> bytes_t {
    let owner = Box::into_raw(Box::new(Owner { bytes: data.to_vec(), released: false }));
    OWNERS_MADE.fetch_add(1, Ordering::Relaxed);
    let mut out = bytes_t_zero();
    // SAFETY: the owner's bytes live until `release` runs.
    let status = unsafe {
        let bytes = &(*owner).bytes;
        bytes_from_owner(bytes.as_ptr(), bytes.len(), owner as *mut c_void, Some(release), &mut out)
    };
    assert_eq!(status, BYTES_OK, "bytes_from_owner");
    out
}

fn bytes_t_zero() -> bytes_t {
    crate::raw::b_from_raw(crate::raw::ZERO)
}

/// The nine words of a queue.
type QRaw = [usize; 9];

fn raw_q(q: &bytes_queue_t) -> QRaw {
    // SAFETY: nine plain words (the header asserts the size).
    unsafe { std::mem::transmute_copy(q) }
}

fn zero_queue() -> bytes_queue_t {
    // SAFETY: all zero is the empty queue.
    unsafe { std::mem::transmute_copy(&[0usize; 9]) }
}

/// `bytes_queue_len` and `bytes_queue_chunks`, as the accessors read them.
fn q_len(q: &bytes_queue_t) -> usize {
    raw_q(q)[4]
}
fn q_chunks(q: &bytes_queue_t) -> usize {
    raw_q(q)[2]
}

/// The chunks of `q`, front first.
fn chunks(q: &bytes_queue_t) -> Vec<&bytes_t> {
    (0..q_chunks(q))
        .map(|i| {
            // SAFETY: a live queue.
            let c = unsafe { bytes_queue_chunk(q, i) };
            assert!(!c.is_null(), "chunk {i} of {} is NULL", q_chunks(q));
            // SAFETY: non-NULL, valid while the queue is unchanged.
            unsafe { &*c }
        })
        .collect()
}

/// The queue's bytes, concatenated.
fn contents(q: &bytes_queue_t) -> Vec<u8> {
    let mut all = Vec::new();
    for c in chunks(q) {
        assert!(bytes_len(c) > 0, "an empty chunk is stored");
        // SAFETY: a live chunk.
        all.extend_from_slice(unsafe { bytes_view(c) });
    }
    all
}

fn front(q: &bytes_queue_t) -> (*const u8, usize) {
    chunks(q).first().map_or((null(), 0), |c| (bytes_ptr(c), bytes_len(c)))
}

/// The harness state.
struct Harness {
    q: [bytes_queue_t; 2],
    model: [Vec<u8>; 2],
    rx: bytes_mut_t,
}

impl Harness {
    fn check(&self, what: &Op) {
        for i in 0..2 {
            assert_eq!(q_len(&self.q[i]), self.model[i].len(), "length of queue {i} after {what:?}");
            assert_eq!(contents(&self.q[i]), self.model[i], "contents of queue {i} after {what:?}");
            // SAFETY: a live queue.
            assert!(unsafe { bytes_queue_chunk(&self.q[i], q_chunks(&self.q[i])) }.is_null());
        }
    }

    /// Rule 4: `status` is an error, and nothing changed.
    fn unchanged(&self, before: &[QRaw; 2], status: bytes_status_t, want: bytes_status_t, what: &Op) {
        assert_eq!(status, want, "status of {what:?}");
        assert_eq!(*before, [raw_q(&self.q[0]), raw_q(&self.q[1])], "an error changed a queue: {what:?}");
    }

    fn run(&mut self, op: &Op) {
        let before = [raw_q(&self.q[0]), raw_q(&self.q[1])];
        let len = |h: &Harness, q: Q| h.model[q.index()].len();
        match op {
            Op::Push { q, data } => {
                let mut b = owned(data);
                // SAFETY: live queue and handle.
                assert_eq!(unsafe { bytes_queue_push(&mut self.q[q.index()], &mut b) }, BYTES_OK);
                assert_eq!(raw_b(&b), [0; 4], "push consumes");
                self.model[q.index()].extend_from_slice(data);
            }
            Op::PushSplit { q, data, cut } => {
                let mut b = owned(data);
                let cut = *cut as usize % (data.len() + 1);
                let mut head = bytes_t_zero();
                // SAFETY: live handles.
                assert_eq!(unsafe { bytes_split_to(&mut b, cut, &mut head) }, BYTES_OK);
                let chunks_before = q_chunks(&self.q[q.index()]);
                let qp = &mut self.q[q.index()];
                // SAFETY: live queue and handles.
                unsafe {
                    assert_eq!(bytes_queue_push(qp, &mut head), BYTES_OK);
                    assert_eq!(bytes_queue_push(qp, &mut b), BYTES_OK);
                }
                assert!(q_chunks(qp) <= chunks_before + 1, "two adjacent pieces did not merge");
                self.model[q.index()].extend_from_slice(data);
            }
            Op::PushMut { q, data } => {
                // SAFETY: live buffer; `data` is not in it.
                assert_eq!(
                    unsafe { bytes_mut_extend_from_slice(&mut self.rx, data.as_ptr(), data.len()) },
                    BYTES_OK
                );
                // SAFETY: live queue and buffer.
                assert_eq!(unsafe { bytes_queue_push_mut(&mut self.q[q.index()], &mut self.rx) }, BYTES_OK);
                assert_eq!(crate::raw::mut_len(&self.rx), 0, "push_mut takes the written bytes");
                self.model[q.index()].extend_from_slice(data);
            }
            Op::Reserve { q, additional } => {
                // SAFETY: live queue and buffer.
                let status = unsafe {
                    bytes_queue_reserve(&mut self.q[q.index()], &mut self.rx, *additional as usize)
                };
                assert_eq!(status, BYTES_OK);
                let spare = crate::raw::mut_cap(&self.rx) - crate::raw::mut_len(&self.rx);
                assert!(spare >= *additional as usize, "reserve made too little room");
            }
            Op::Write { q, data } => {
                // SAFETY: live queue; `data` readable.
                let status = unsafe {
                    bytes_queue_write(&mut self.q[q.index()], data.as_ptr() as *const c_void, data.len())
                };
                assert_eq!(status, BYTES_OK);
                self.model[q.index()].extend_from_slice(data);
            }
            Op::PushFront { q, data } => {
                let mut b = owned(data);
                // SAFETY: live queue and handle.
                assert_eq!(unsafe { bytes_queue_push_front(&mut self.q[q.index()], &mut b) }, BYTES_OK);
                self.model[q.index()].splice(0..0, data.iter().copied());
            }
            Op::Take { q, n } => {
                let (fptr, flen) = front(&self.q[q.index()]);
                let n = n.get(len(self, *q), flen);
                let mut out = crate::raw::b_from_raw(crate::raw::GARBAGE);
                // SAFETY: live queue, writable out.
                let status = unsafe { bytes_queue_take(&mut self.q[q.index()], n, &mut out) };
                if n > len(self, *q) {
                    self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                    assert_eq!(raw_b(&out), [0; 4], "out is empty after an error");
                    return;
                }
                assert_eq!(status, BYTES_OK);
                let want: Vec<u8> = self.model[q.index()].drain(..n).collect();
                // SAFETY: a live handle.
                assert_eq!(unsafe { bytes_view(&out) }, &want[..]);
                if n <= flen && !fptr.is_null() {
                    assert_eq!(bytes_ptr(&out), fptr, "take within the first chunk is zero-copy");
                }
                // SAFETY: a live handle.
                unsafe { bytes_drop(&mut out) };
            }
            Op::Advance { q, n } => {
                let n = n.get(len(self, *q), front(&self.q[q.index()]).1);
                // SAFETY: live queue.
                let status = unsafe { bytes_queue_advance(&mut self.q[q.index()], n) };
                if n > len(self, *q) {
                    return self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                }
                assert_eq!(status, BYTES_OK);
                self.model[q.index()].drain(..n);
            }
            Op::SplitAppend { q, n } => {
                let (i, j) = (q.index(), 1 - q.index());
                let n = n.get(len(self, *q), front(&self.q[i]).1);
                let first_ptrs: Vec<*const u8> = chunks(&self.q[i]).iter().map(|c| bytes_ptr(c)).collect();
                let mut tmp = zero_queue();
                // SAFETY: live queues.
                let status = unsafe { bytes_queue_split_to(&mut self.q[i], n, &mut tmp) };
                if n > len(self, *q) {
                    self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                    assert_eq!(raw_q(&tmp), [0; 9]);
                    return;
                }
                assert_eq!(status, BYTES_OK);
                let moved: Vec<u8> = self.model[i].drain(..n).collect();
                assert_eq!(contents(&tmp), moved);
                for (c, p) in chunks(&tmp).iter().zip(&first_ptrs) {
                    assert_eq!(bytes_ptr(c), *p, "split_to moves chunks without a copy");
                }
                // SAFETY: live, distinct queues.
                assert_eq!(unsafe { bytes_queue_append(&mut self.q[j], &mut tmp) }, BYTES_OK);
                assert_eq!(q_len(&tmp), 0);
                self.model[j].extend_from_slice(&moved);
                // SAFETY: a live queue.
                unsafe { bytes_queue_drop(&mut tmp) };
            }
            Op::Append { a, b } => {
                let (i, j) = (a.index(), b.index());
                let qs = self.q.as_mut_ptr();
                // SAFETY: live queues (possibly the same: INVALID).
                let status = unsafe { bytes_queue_append(qs.add(i), qs.add(j)) };
                if i == j {
                    return self.unchanged(&before, status, BYTES_ERR_INVALID, op);
                }
                assert_eq!(status, BYTES_OK);
                let moved = std::mem::take(&mut self.model[j]);
                self.model[i].extend_from_slice(&moved);
            }
            Op::Pop { q } => {
                let (fptr, flen) = front(&self.q[q.index()]);
                let mut out = crate::raw::b_from_raw(crate::raw::GARBAGE);
                // SAFETY: live queue, writable out.
                let status = unsafe { bytes_queue_pop(&mut self.q[q.index()], &mut out) };
                if len(self, *q) == 0 {
                    self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                    assert_eq!(raw_b(&out), [0; 4]);
                    return;
                }
                assert_eq!(status, BYTES_OK);
                assert_eq!((bytes_ptr(&out), bytes_len(&out)), (fptr, flen), "pop gives the chunk as it is");
                self.model[q.index()].drain(..flen);
                // SAFETY: a live handle.
                unsafe { bytes_drop(&mut out) };
            }
            Op::Get { q, n } => {
                let n = n.get(len(self, *q), front(&self.q[q.index()]).1).min(1 << 16);
                let mut dst = vec![0xA5u8; n];
                // SAFETY: live queue, `n` writable bytes.
                let status =
                    unsafe { bytes_queue_get(&mut self.q[q.index()], dst.as_mut_ptr() as *mut c_void, n) };
                if n > len(self, *q) {
                    self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                    assert!(dst.iter().all(|&b| b == 0xA5), "nothing written on error");
                    return;
                }
                assert_eq!(status, BYTES_OK);
                assert_eq!(dst, self.model[q.index()].drain(..n).collect::<Vec<u8>>());
            }
            Op::Peek { q, offset, n } => {
                let offset = offset.get(len(self, *q), front(&self.q[q.index()]).1);
                let n = *n as usize;
                let mut dst = vec![0xA5u8; n];
                // SAFETY: live queue, `n` writable bytes.
                let status = unsafe {
                    bytes_queue_peek(&self.q[q.index()], offset, dst.as_mut_ptr() as *mut c_void, n)
                };
                match offset.checked_add(n) {
                    Some(end) if end <= len(self, *q) => {
                        assert_eq!(status, BYTES_OK);
                        assert_eq!(dst, self.model[q.index()][offset..end]);
                    }
                    _ => self.unchanged(&before, status, BYTES_ERR_RANGE, op),
                }
            }
            Op::Typed { q, reader } => self.typed(*q, *reader, &before, op),
            Op::Find { q, from, to, at, len: nlen, own, other } => {
                let model = &self.model[q.index()];
                let fl = front(&self.q[q.index()]).1;
                let (from, to) = (from.get(model.len(), fl), to.get(model.len(), fl));
                let needle: Vec<u8> = if *own && !model.is_empty() {
                    let start = *at as usize % model.len();
                    model[start..(start + *nlen as usize % 8).min(model.len())].to_vec()
                } else {
                    other.clone()
                };
                let end = to.min(model.len());
                let expect = if from > end || needle.len() > end - from {
                    None
                } else if needle.is_empty() {
                    Some(from)
                } else {
                    model[from..end].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
                };
                let mut found = usize::MAX;
                // SAFETY: live queue, readable needle, writable `found`.
                let got = unsafe {
                    bytes_queue_find(
                        &self.q[q.index()],
                        from,
                        to,
                        needle.as_ptr() as *const c_void,
                        needle.len(),
                        &mut found,
                    )
                };
                assert_eq!(got.then_some(found), expect, "find {needle:02x?} in [{from}, {to})");
            }
            Op::Pullup { q, n } => {
                let n = n.get(len(self, *q), front(&self.q[q.index()]).1);
                // SAFETY: live queue.
                let status = unsafe { bytes_queue_pullup(&mut self.q[q.index()], n) };
                if n > len(self, *q) {
                    return self.unchanged(&before, status, BYTES_ERR_RANGE, op);
                }
                assert_eq!(status, BYTES_OK);
                assert!(front(&self.q[q.index()]).1 >= n, "pullup left the bytes apart");
            }
            Op::Clone { a, b } => {
                let (i, j) = (a.index(), b.index());
                if i == j {
                    let q = &self.q[i] as *const bytes_queue_t;
                    // SAFETY: live queue, aliasing on purpose.
                    let status = unsafe { bytes_queue_clone(q, q as *mut bytes_queue_t) };
                    return self.unchanged(&before, status, BYTES_ERR_INVALID, op);
                }
                // SAFETY: a live queue.
                unsafe { bytes_queue_drop(&mut self.q[j]) };
                assert_eq!(raw_q(&self.q[j]), [0; 9], "drop leaves the queue empty");
                let (src, dst) = if i == 0 {
                    let (x, y) = self.q.split_at_mut(1);
                    (&x[0], &mut y[0])
                } else {
                    let (x, y) = self.q.split_at_mut(1);
                    (&y[0], &mut x[0])
                };
                // SAFETY: live, distinct queues.
                assert_eq!(unsafe { bytes_queue_clone(src, dst) }, BYTES_OK);
                for (c, d) in chunks(src).iter().zip(chunks(dst)) {
                    assert_eq!(bytes_ptr(c), bytes_ptr(d), "clone shares the chunks");
                }
                self.model[j] = self.model[i].clone();
            }
            Op::Writev { q } => {
                let mut fds = [0; 2];
                // SAFETY: room for two descriptors.
                assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK) }, 0);
                let mut written = usize::MAX;
                // SAFETY: live queue, writable count.
                let status = unsafe { bytes_queue_writev_fd(&mut self.q[q.index()], fds[1], &mut written) };
                assert_eq!(status, BYTES_OK);
                let sent: Vec<u8> = self.model[q.index()].drain(..written).collect();
                let mut back = vec![0u8; written];
                let mut got = 0;
                while got < written {
                    // SAFETY: reading into our own buffer.
                    let n =
                        unsafe { libc::read(fds[0], back[got..].as_mut_ptr() as *mut c_void, written - got) };
                    assert!(n > 0, "the pipe holds what was written");
                    got += n as usize;
                }
                assert_eq!(back, sent);
                // SAFETY: our own descriptors.
                unsafe {
                    libc::close(fds[0]);
                    libc::close(fds[1]);
                }
            }
            Op::Drop { q } => {
                // SAFETY: a live queue.
                unsafe { bytes_queue_drop(&mut self.q[q.index()]) };
                assert_eq!(raw_q(&self.q[q.index()]), [0; 9]);
                self.model[q.index()].clear();
            }
        }
    }

    fn typed(&mut self, q: Q, reader: Reader, before: &[QRaw; 2], op: &Op) {
        let qp: *mut bytes_queue_t = &mut self.q[q.index()];
        let model = &mut self.model[q.index()];
        let (status, value, width): (bytes_status_t, u64, usize) = match reader {
            Reader::U8 => {
                let mut v = 0xA5;
                // SAFETY: live queue, writable out.
                (unsafe { bytes_queue_get_u8(qp, &mut v) }, v.into(), 1)
            }
            Reader::I16Le => {
                let mut v = 0x55;
                // SAFETY: as above.
                (unsafe { bytes_queue_get_i16_le(qp, &mut v) }, v as u64, 2)
            }
            Reader::U32Be => {
                let mut v = 0x55;
                // SAFETY: as above.
                (unsafe { bytes_queue_get_u32_be(qp, &mut v) }, v.into(), 4)
            }
            Reader::F64Le => {
                let mut v = 1.5;
                // SAFETY: as above.
                (unsafe { bytes_queue_get_f64_le(qp, &mut v) }, f64::to_bits(v), 8)
            }
            Reader::UintBe(n) => {
                let mut v = 0x55;
                // SAFETY: as above.
                (unsafe { bytes_queue_get_uint_be(qp, n as usize % 10, &mut v) }, v, n as usize % 10)
            }
            Reader::IntLe(n) => {
                let mut v = 0x55;
                // SAFETY: as above.
                (unsafe { bytes_queue_get_int_le(qp, n as usize % 10, &mut v) }, v as u64, n as usize % 10)
            }
        };
        let n_byte = matches!(reader, Reader::UintBe(_) | Reader::IntLe(_));
        if n_byte && !(1..=8).contains(&width) {
            assert_eq!(value, 0);
            return self.unchanged(before, status, BYTES_ERR_INVALID, op);
        }
        if width > model.len() {
            assert_eq!(value, 0, "out is 0 after an error");
            return self.unchanged(before, status, BYTES_ERR_RANGE, op);
        }
        assert_eq!(status, BYTES_OK);
        let bytes: Vec<u8> = model.drain(..width).collect();
        let mut be = [0u8; 8];
        let mut le = [0u8; 8];
        be[8 - width..].copy_from_slice(&bytes);
        le[..width].copy_from_slice(&bytes);
        let shift = 64 - 8 * width as u32;
        let want = match reader {
            Reader::U8 | Reader::U32Be | Reader::UintBe(_) => u64::from_be_bytes(be),
            Reader::F64Le => u64::from_le_bytes(le),
            Reader::I16Le => (((u64::from_le_bytes(le) << shift) as i64) >> shift) as i16 as u64,
            Reader::IntLe(_) => (((u64::from_le_bytes(le) << shift) as i64) >> shift) as u64,
        };
        assert_eq!(value, want, "{reader:?} of {bytes:02x?}");
    }
}

impl QueueProgram {
    /// Runs the program on two fresh queues; panics on any mismatch.
    pub fn run(&self) {
        let made = OWNERS_MADE.load(Ordering::Relaxed);
        let released = OWNERS_RELEASED.load(Ordering::Relaxed);
        let mut h = Harness {
            q: [zero_queue(), zero_queue()],
            model: [Vec::new(), Vec::new()],
            rx: crate::raw::m_from_raw([0; 4]),
        };
        for op in &self.0 {
            h.run(op);
            h.check(op);
        }
        // SAFETY: live queues and buffer.
        unsafe {
            bytes_queue_drop(&mut h.q[0]);
            bytes_queue_drop(&mut h.q[1]);
            bytes_mut_drop(&mut h.rx);
            bytes_queue_drop(null_mut());
        }
        let made = OWNERS_MADE.load(Ordering::Relaxed) - made;
        let released = OWNERS_RELEASED.load(Ordering::Relaxed) - released;
        assert_eq!(made, released, "every owner is released once, by the end");
    }
}
