//! Unit tests of `BytesMut`, and a property test that runs random operation
//! sequences on it and on the crate `bytes`' `BytesMut` side by side. They
//! also run under Miri (the property test with fewer cases).

use proptest::prelude::*;

use crate::{Bytes, BytesMut, Error};

fn filled(text: &[u8], capacity: usize) -> BytesMut {
    let mut buf = BytesMut::with_capacity(capacity).unwrap();
    buf.extend_from_slice(text).unwrap();
    buf
}

#[test]
fn empty_buffers_have_no_storage() {
    let mut buf = BytesMut::new();
    assert_eq!((buf.len(), buf.capacity()), (0, 0));
    assert!(buf.as_mut_ptr().is_null());
    assert!(buf.spare_capacity_mut().is_empty());
    assert!(BytesMut::with_capacity(0).unwrap().as_mut_ptr().is_null());
    assert!(buf.split().as_slice().is_empty());
    assert!(buf.freeze().is_empty());
}

#[test]
fn zeroed_and_resize_fill() {
    let mut buf = BytesMut::zeroed(5).unwrap();
    assert_eq!(buf.as_slice(), &[0; 5]);
    buf.resize(8, 7).unwrap();
    assert_eq!(buf.as_slice(), &[0, 0, 0, 0, 0, 7, 7, 7]);
    buf.resize(2, 9).unwrap();
    assert_eq!(buf.as_slice(), &[0, 0]);
    assert_eq!(buf.resize(usize::MAX, 0), Err(Error::NoMem));
    assert_eq!(buf.as_slice(), &[0, 0], "a failed resize changes nothing");
}

#[test]
fn freeze_keeps_the_bytes_in_place() {
    let mut buf = filled(b"hello", 64);
    let ptr = buf.as_mut_ptr();
    let frozen = buf.freeze();
    assert_eq!(frozen.as_slice(), b"hello");
    assert_eq!(frozen.as_ptr(), ptr as *const u8);
    assert!(frozen.is_unique());
}

#[test]
fn splits_share_the_block_and_stay_apart() {
    let mut buf = filled(b"headerbody", 32);
    let start = buf.as_mut_ptr();
    let mut header = buf.split_to(6).unwrap();
    assert_eq!((header.as_slice(), header.capacity()), (&b"header"[..], 6));
    assert_eq!(header.as_mut_ptr(), start);
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"body"[..], 26));
    assert_eq!(buf.as_mut_ptr(), start.wrapping_add(6));

    let tail = buf.split_off(2).unwrap();
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"bo"[..], 2));
    assert_eq!((tail.as_slice(), tail.capacity()), (&b"dy"[..], 24));
    let spare = tail.freeze();
    // Writing into one half never touches the other.
    header.as_mut_slice()[0] = b'H';
    assert_eq!(spare.as_slice(), b"dy");
    assert_eq!(buf.as_slice(), b"bo");
    assert_eq!(header.as_slice(), b"Header");

    assert_eq!(buf.split_to(3).unwrap_err(), Error::Range);
    assert_eq!(buf.split_off(3).unwrap_err(), Error::Range);
}

#[test]
fn split_off_may_cut_the_spare_capacity() {
    let mut buf = filled(b"abc", 10);
    let back = buf.split_off(5).unwrap();
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"abc"[..], 5));
    assert_eq!((back.len(), back.capacity()), (0, 5));
}

#[test]
fn split_takes_the_bytes_and_leaves_the_spare() {
    let mut buf = filled(b"line\n", 16);
    let line = buf.split();
    assert_eq!(line.as_slice(), b"line\n");
    assert_eq!((buf.len(), buf.capacity()), (0, 11));
}

#[test]
fn unsplit_is_free_for_neighbours_and_copies_otherwise() {
    let mut buf = filled(b"abcdef", 6);
    let start = buf.as_mut_ptr();
    let back = buf.split_off(3).unwrap();
    buf.unsplit(back).unwrap();
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"abcdef"[..], 6));
    assert_eq!(buf.as_mut_ptr(), start, "neighbours join in place");

    let other = filled(b"gh", 2);
    buf.unsplit(other).unwrap();
    assert_eq!(buf.as_slice(), b"abcdefgh");

    let mut empty = BytesMut::new();
    empty.unsplit(filled(b"x", 1)).unwrap();
    assert_eq!(empty.as_slice(), b"x");
}

#[test]
fn reserve_reclaims_room_freed_by_a_dropped_half() {
    let mut buf = filled(&[1; 64], 64);
    let start = buf.as_mut_ptr();
    drop(buf.split_to(48).unwrap());
    assert_eq!(buf.capacity(), 16);
    // Step 2: the 16 remaining bytes move to the front of the block.
    buf.reserve(40).unwrap();
    assert_eq!((buf.as_mut_ptr(), buf.capacity(), buf.as_slice()), (start, 64, &[1; 16][..]));

    // Step 1: room after the region, left by a dropped split-off half.
    let back = buf.split_off(16).unwrap();
    assert_eq!(buf.capacity(), 16);
    assert!(!buf.try_reclaim(1), "the back half still owns its room");
    drop(back);
    assert!(buf.try_reclaim(48));
    assert_eq!((buf.as_mut_ptr(), buf.capacity()), (start, 64));
}

#[test]
fn try_reclaim_never_allocates() {
    let mut buf = filled(&[2; 8], 8);
    let frozen = buf.split().freeze();
    assert!(!buf.try_reclaim(1), "the frozen half keeps the block shared");
    assert_eq!(buf.capacity(), 0);
    drop(frozen);
    assert!(buf.try_reclaim(8));
    assert!(!buf.try_reclaim(9));
    assert!(!buf.try_reclaim(usize::MAX));
}

#[test]
fn reserve_grows_by_doubling_and_reports_overflow() {
    let mut buf = filled(b"abcd", 4);
    buf.reserve(1).unwrap();
    assert_eq!(buf.capacity(), 8);
    buf.reserve(100).unwrap();
    assert_eq!(buf.capacity(), 104);
    assert_eq!(buf.reserve(usize::MAX), Err(Error::NoMem));
    assert_eq!(buf.reserve(isize::MAX as usize), Err(Error::NoMem));
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"abcd"[..], 104));
}

#[test]
fn reserve_copies_out_of_a_shared_block() {
    let mut buf = filled(b"abcd", 4);
    let frozen = buf.split_to(2).unwrap().freeze();
    buf.reserve(10).unwrap();
    assert_eq!(buf.as_slice(), b"cd");
    assert_eq!(frozen.as_slice(), b"ab");
    assert!(frozen.is_unique(), "the buffer moved out and released the old block");
}

#[test]
fn spare_and_commit() {
    let mut buf = BytesMut::with_capacity(8).unwrap();
    let spare = buf.spare_capacity_mut();
    assert_eq!(spare.len(), 8);
    spare[0].write(b'o');
    spare[1].write(b'k');
    // SAFETY: two bytes were written.
    unsafe {
        assert_eq!(buf.commit(9), Err(Error::Range));
        buf.commit(2).unwrap();
    }
    assert_eq!(buf.as_slice(), b"ok");
}

#[test]
fn extend_from_within_survives_growth() {
    let mut buf = filled(b"abc", 3);
    buf.extend_from_within(0..3).unwrap();
    assert_eq!(buf.as_slice(), b"abcabc");
    assert_eq!(buf.extend_from_within(4..7), Err(Error::Range));
}

#[test]
fn advance_truncate_clear() {
    let mut buf = filled(b"abcdef", 8);
    assert_eq!(buf.advance(7), Err(Error::Range));
    buf.advance(2).unwrap();
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"cdef"[..], 6));
    buf.truncate(2);
    assert_eq!((buf.as_slice(), buf.capacity()), (&b"cd"[..], 6));
    buf.clear();
    assert_eq!((buf.len(), buf.capacity()), (0, 6));
}

#[test]
fn try_into_mut_takes_unique_heap_storage_only() {
    let mut buf = filled(b"data", 100);
    let ptr = buf.as_mut_ptr();
    let bytes = buf.freeze();
    let mut back = bytes.try_into_mut().unwrap();
    assert_eq!((back.as_mut_ptr(), back.as_slice(), back.capacity()), (ptr, &b"data"[..], 100));

    let shared = back.freeze();
    let clone = shared.clone();
    let shared = shared.try_into_mut().unwrap_err();
    assert_eq!(shared.as_slice(), b"data");
    drop(clone);
    assert!(shared.try_into_mut().is_ok());

    let stat = Bytes::from_static(b"static");
    let stat = stat.try_into_mut().unwrap_err();
    let copy = stat.into_mut().unwrap();
    assert_eq!(copy.as_slice(), b"static");
    assert!(Bytes::new().try_into_mut().unwrap().is_empty());
}

#[test]
fn compact_copies_partial_views_only() {
    let big = Bytes::copy_from_slice(&[7; 4096]).unwrap();
    let mut small = big.slice(100..120).unwrap();
    drop(big);
    let before = small.as_ptr();
    small.compact().unwrap();
    assert_ne!(small.as_ptr(), before);
    assert_eq!(small.as_slice(), &[7; 20]);
    let after = small.as_ptr();
    small.compact().unwrap();
    assert_eq!(small.as_ptr(), after, "a whole-storage view stays");

    let mut stat = Bytes::from_static(b"abc");
    stat.compact().unwrap();
    assert_eq!(stat.as_ptr(), b"abc".as_ptr());
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Op {
    Extend(Vec<u8>),
    Reserve(usize),
    SplitTo(usize),
    SplitOff(usize),
    Split,
    Unsplit,
    Advance(usize),
    Truncate(usize),
    Clear,
    Resize(usize, u8),
    FreezeThaw,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Op::Extend),
        (0usize..200).prop_map(Op::Reserve),
        (0usize..64).prop_map(Op::SplitTo),
        (0usize..64).prop_map(Op::SplitOff),
        Just(Op::Split),
        Just(Op::Unsplit),
        (0usize..64).prop_map(Op::Advance),
        (0usize..64).prop_map(Op::Truncate),
        Just(Op::Clear),
        (0usize..100, any::<u8>()).prop_map(|(len, fill)| Op::Resize(len, fill)),
        Just(Op::FreezeThaw),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Ours and the crate's `BytesMut` agree on contents and lengths after
    /// any sequence, and ours keeps the capacity promises: `reserve(n)`
    /// leaves room for `n`, splits cut the capacity as the crate's do.
    #[test]
    fn behaves_like_the_crate_bytes(ops in prop::collection::vec(op(), 1..60)) {
        let mut ours = BytesMut::new();
        let mut theirs = bytes_crate::BytesMut::new();
        // The last split-off piece of each, for `Unsplit`.
        let mut our_piece = BytesMut::new();
        let mut their_piece = bytes_crate::BytesMut::new();
        for op in ops {
            match op {
                Op::Extend(data) => {
                    ours.extend_from_slice(&data).unwrap();
                    theirs.extend_from_slice(&data);
                }
                Op::Reserve(n) => {
                    ours.reserve(n).unwrap();
                    theirs.reserve(n);
                    prop_assert!(ours.capacity() - ours.len() >= n);
                }
                Op::SplitTo(at) => {
                    if at <= theirs.len() {
                        our_piece = ours.split_to(at).unwrap();
                        their_piece = theirs.split_to(at);
                        prop_assert_eq!(our_piece.capacity(), at);
                    } else {
                        prop_assert_eq!(ours.split_to(at).unwrap_err(), Error::Range);
                    }
                }
                Op::SplitOff(at) => {
                    if at <= theirs.capacity() && at <= ours.capacity() {
                        our_piece = ours.split_off(at).unwrap();
                        their_piece = theirs.split_off(at);
                        prop_assert_eq!(ours.capacity(), at);
                    } else if at > ours.capacity() {
                        prop_assert_eq!(ours.split_off(at).unwrap_err(), Error::Range);
                    }
                }
                Op::Split => {
                    our_piece = ours.split();
                    their_piece = theirs.split();
                }
                Op::Unsplit => {
                    ours.unsplit(std::mem::take(&mut our_piece)).unwrap();
                    theirs.unsplit(std::mem::take(&mut their_piece));
                }
                Op::Advance(n) => {
                    if n <= theirs.len() {
                        ours.advance(n).unwrap();
                        bytes_crate::Buf::advance(&mut theirs, n);
                    } else {
                        prop_assert_eq!(ours.advance(n), Err(Error::Range));
                    }
                }
                Op::Truncate(len) => {
                    ours.truncate(len);
                    theirs.truncate(len);
                }
                Op::Clear => {
                    ours.clear();
                    theirs.clear();
                }
                Op::Resize(len, fill) => {
                    ours.resize(len, fill).unwrap();
                    theirs.resize(len, fill);
                }
                Op::FreezeThaw => {
                    ours = std::mem::take(&mut ours).freeze().into_mut().unwrap();
                    theirs = std::mem::take(&mut theirs).freeze().into();
                }
            }
            prop_assert_eq!(ours.as_slice(), &theirs[..]);
            prop_assert_eq!(our_piece.as_slice(), &their_piece[..]);
            prop_assert!(ours.capacity() >= ours.len());
        }
    }
}

/// The crate `bytes`' own reserve tests (`tests/test_bytes.rs`), run on
/// both: the capacities after each step must be the crate's.
#[test]
fn reserve_capacities_are_the_crates() {
    use bytes_crate::BufMut;
    // (capacity made with, bytes written, split kept alive?, advance, reserve)
    type Step = (usize, usize, Option<bool>, usize, usize);
    let cases: [(&str, Step); 7] = [
        ("reserve_growth", (64, 11, Some(false), 0, 65)),
        ("reserve_allocates_at_least_original_capacity", (1024, 1020, Some(true), 0, 16)),
        ("reserve_max_original_capacity_value", (128 * 1024, 128 * 1024, Some(true), 0, 16)),
        ("reserve_vec_recycling", (16, 16, None, 10, 8)),
        ("reserve_in_arc_unique_does_not_overallocate", (1000, 0, Some(false), 0, 2001)),
        ("reserve_in_arc_unique_doubles", (1000, 0, Some(false), 0, 1001)),
        ("reserve_in_arc_nonunique_does_not_overallocate", (1000, 0, Some(true), 0, 2001)),
    ];
    for (name, (capacity, written, split, advance, reserve)) in cases {
        if cfg!(miri) && capacity > 4096 {
            continue; // 128 KiB, byte by byte: too slow under Miri
        }
        let bytes: Vec<u8> = (0..written).map(|i| i as u8).collect();
        let mut ours = BytesMut::with_capacity(capacity).unwrap();
        let mut theirs = bytes_crate::BytesMut::with_capacity(capacity);
        ours.extend_from_slice(&bytes).unwrap();
        theirs.put_slice(&bytes);
        let kept = split.map(|keep| {
            let pair = (ours.split(), theirs.split());
            if keep {
                Some(pair)
            } else {
                None
            }
        });
        ours.advance(advance).unwrap();
        bytes_crate::Buf::advance(&mut theirs, advance);
        ours.reserve(reserve).unwrap();
        theirs.reserve(reserve);
        assert_eq!(ours.capacity(), theirs.capacity(), "{name}");
        assert_eq!(ours.as_slice(), &theirs[..], "{name}");
        drop(kept);
    }
    // The expected values, as the crate's tests state them.
    let mut growth = filled(b"hello world", 64);
    drop(growth.split());
    growth.reserve(65).unwrap();
    assert_eq!(growth.capacity(), 117);
    let mut original = BytesMut::with_capacity(1024).unwrap();
    original.resize(1020, 1).unwrap();
    let _other = original.split();
    original.reserve(16).unwrap();
    assert_eq!(original.capacity(), 1024);
}

/// `reserve_shared_reuse`: a unique block whose buffer was split at both
/// ends is reallocated with the bytes kept in place.
#[test]
fn reserve_shared_reuse_is_the_crates() {
    let mut bytes = BytesMut::with_capacity(1000).unwrap();
    bytes.extend_from_slice(b"Hello, World!").unwrap();
    drop(bytes.split());
    bytes.extend_from_slice(b"!123ex123,sadchELLO,_wORLD!").unwrap();
    drop(bytes.split_off(9).unwrap());
    assert_eq!(bytes.as_slice(), b"!123ex123");
    bytes.reserve(2000).unwrap();
    assert_eq!(bytes.as_slice(), b"!123ex123");
    assert_eq!(bytes.capacity(), 2009);
}

/// A frame decoder that freezes and keeps every frame allocates once per
/// original capacity, not once per frame.
#[test]
fn a_decoder_keeping_its_frames_allocates_per_original_capacity() {
    let mut buf = BytesMut::with_capacity(4096).unwrap();
    let mut frames = Vec::new();
    for i in 0..256u32 {
        buf.reserve(100).unwrap();
        buf.extend_from_slice(&[i as u8; 100]).unwrap();
        frames.push(buf.split().freeze());
    }
    // 40 frames of 100 bytes fill a 4 KiB block; every new block is again
    // 4 KiB: 7 blocks for 256 frames.
    let storages: std::collections::HashSet<usize> = frames.iter().map(frame_storage).collect();
    assert_eq!(storages.len(), 7);
}

/// The storage a frozen frame lives in, as an address (its `data` word).
fn frame_storage(frame: &Bytes) -> usize {
    // SAFETY: a handle is four plain words; the third is `data`.
    let words: [usize; 4] = unsafe { std::mem::transmute_copy(frame) };
    words[2]
}

/// Splitting an empty buffer shares its block, so the half left alone can
/// reclaim all of it (the crate's `try_reclaim_empty`).
#[test]
fn splitting_an_empty_buffer_shares_its_block() {
    let mut buf = BytesMut::new();
    assert!(!buf.try_reclaim(6));
    buf.reserve(6).unwrap();
    let cap = buf.capacity();
    let mut split = buf.split();
    assert_eq!(split.capacity(), 0);
    assert_eq!(split.as_mut_ptr(), buf.as_mut_ptr(), "at the same position");
    drop(buf);
    assert!(split.try_reclaim(6));
    assert!(!split.try_reclaim(cap + 1));
}
