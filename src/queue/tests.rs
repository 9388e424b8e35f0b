use super::*;
use crate::storage::custom;
use crate::vtable::Vtable;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The queue's bytes, concatenated.
fn contents(q: &Queue) -> Vec<u8> {
    q.chunks().iter().flat_map(|chunk| chunk.as_slice().iter().copied()).collect()
}

/// A heap storage of `text`, cut into handles of the given lengths that
/// directly follow each other (as reads into one buffer give them).
fn pieces(text: &[u8], lengths: &[usize]) -> Vec<Bytes> {
    let mut whole = Bytes::copy_from_slice(text).unwrap();
    lengths.iter().map(|&n| whole.split_to(n).unwrap()).collect()
}

#[test]
fn contiguous_pushes_merge_and_others_do_not() {
    let mut q = Queue::new();
    let mut parts = pieces(b"hello world", &[5, 6]).into_iter();
    let first = parts.next().unwrap();
    let start = first.as_ptr();
    q.push(first).unwrap();
    q.push(parts.next().unwrap()).unwrap();
    assert_eq!(q.chunks().len(), 1, "the second piece extended the first");
    assert_eq!(q.front().unwrap().as_ptr(), start);
    assert!(q.front().unwrap().is_unique(), "the merged piece's reference was released");
    q.push(Bytes::from_static(b"!")).unwrap();
    q.push(Bytes::new()).unwrap();
    assert_eq!(q.chunks().len(), 2, "other storage, and an empty handle is not stored");
    assert_eq!((q.len(), contents(&q)), (12, b"hello world!".to_vec()));
}

#[test]
fn take_is_zero_copy_within_a_chunk_and_one_copy_across() {
    let mut q = Queue::new();
    let [a, b] = <[Bytes; 2]>::try_from(pieces(b"abcdef", &[3, 3])).unwrap();
    let a_ptr = a.as_ptr();
    q.push(a).unwrap();
    q.push(Bytes::from_static(b"gh")).unwrap();
    drop(b);
    let empty = q.take(0).unwrap();
    assert_eq!((empty.len(), empty.as_ptr()), (0, a_ptr), "an empty view at the front");
    let ab = q.take(2).unwrap();
    assert_eq!((ab.as_slice(), ab.as_ptr()), (&b"ab"[..], a_ptr));
    let across = q.take(2).unwrap();
    assert_eq!(across.as_slice(), b"cg");
    assert_eq!(q.take(2), Err(Error::Range));
    assert_eq!(contents(&q), b"h");
    let h = q.take(1).unwrap();
    assert_eq!(h.as_slice(), b"h");
    assert!(q.is_empty() && q.chunks().is_empty());
    assert_eq!(q.take(0).unwrap().len(), 0, "also on an empty queue");
}

#[test]
fn peek_find_and_typed_reads_cross_chunk_boundaries() {
    let mut q = Queue::new();
    for part in [&b"GET / HTTP/1.1\r"[..], b"\n", b"Host: x\r\n\r", b"\nbody"] {
        q.push(Bytes::copy_from_slice(part).unwrap()).unwrap();
    }
    let mut dst = [0; 4];
    q.peek(14, &mut dst).unwrap();
    assert_eq!(&dst, b"\r\nHo");
    assert_eq!(q.peek(q.len() - 3, &mut dst), Err(Error::Range));
    assert_eq!(q.find(0, usize::MAX, b"\r\n\r\n"), Some(23));
    assert_eq!(q.find(0, 26, b"\r\n\r\n"), None, "must lie wholly before `to`");
    assert_eq!(q.find(0, 27, b"\r\n\r\n"), Some(23));
    assert_eq!(q.find(15, usize::MAX, b"\r\n"), Some(23));
    assert_eq!(q.find(5, 5, b""), Some(5));
    assert_eq!(q.find(40, usize::MAX, b""), None);
    assert_eq!(q.find(0, usize::MAX, b"nothere"), None);
    assert_eq!(q.get_uint_be(3), Ok(0x474554));
    let mut word = [0; 13];
    q.copy_to(&mut word).unwrap();
    assert_eq!(&word, b" / HTTP/1.1\r\n");
    assert_eq!(q.get_bytes::<2>(), Ok(*b"Ho"));
    assert_eq!(q.len(), 13);
}

#[test]
fn advance_releases_whole_chunks_and_resets_the_array() {
    let mut q = Queue::new();
    for part in pieces(b"0123456789", &[2, 3, 5]) {
        q.push(part).unwrap();
    }
    assert_eq!(q.chunks().len(), 1);
    q.push(Bytes::from_static(b"ab")).unwrap();
    q.advance(4).unwrap();
    assert_eq!(contents(&q), b"456789ab");
    assert_eq!(q.advance(9), Err(Error::Range));
    q.advance(8).unwrap();
    assert!(q.is_empty());
    assert_eq!(q.chunks.len(), 0);
}

#[test]
fn push_front_reuses_consumed_slots_and_makes_room_in_bulk() {
    let mut q = Queue::new();
    for i in 0..8u8 {
        q.push(Bytes::copy_from_slice(&[b'a' + i]).unwrap()).unwrap();
    }
    q.advance(2).unwrap();
    let cap = q.chunk_capacity();
    q.push_front(Bytes::from_static(b"B")).unwrap();
    q.push_front(Bytes::from_static(b"A")).unwrap();
    assert_eq!(q.chunk_capacity(), cap, "two consumed slots reused");
    assert_eq!(contents(&q), b"ABcdefgh");
    q.push_front(Bytes::from_static(b">")).unwrap();
    assert_eq!(contents(&q), b">ABcdefgh");
    let grown = q.chunk_capacity();
    // The move made room for as many as there were chunks (8), one of
    // which ">" took.
    for _ in 0..7 {
        q.push_front(Bytes::from_static(b".")).unwrap();
    }
    assert_eq!(q.chunk_capacity(), grown, "no move for the next seven");
    assert_eq!(contents(&q), b".......>ABcdefgh");
    // Directly preceding bytes of one storage merge.
    let mut parts = pieces(b"xyz", &[1, 2]).into_iter();
    let (x, yz) = (parts.next().unwrap(), parts.next().unwrap());
    let mut r = Queue::new();
    r.push(yz).unwrap();
    r.push_front(x).unwrap();
    assert_eq!((r.chunks().len(), contents(&r)), (1, b"xyz".to_vec()));
}

#[test]
fn writes_share_one_tail_storage() {
    let mut q = Queue::new();
    q.write(b"HTTP/1.1 200 OK\r\n").unwrap();
    q.write(b"Content-Length: 0\r\n\r\n").unwrap();
    assert_eq!(q.chunks().len(), 1, "consecutive writes merge");
    let storage = q.front().unwrap().as_ptr();
    let sent = q.take(q.len()).unwrap();
    assert_eq!(sent.as_ptr(), storage);
    q.write(b"x").unwrap();
    assert_eq!(q.front().unwrap().as_ptr(), storage.wrapping_add(38), "the tail is filled before another");
    drop(sent);
    q.advance(1).unwrap();
    q.write(&[7; WRITE_BLOCK]).unwrap();
    assert_eq!(q.front().unwrap().as_ptr(), storage, "an unshared tail is reclaimed");
    q.write(b"more").unwrap();
    assert_eq!(q.len(), WRITE_BLOCK + 4);
    assert_eq!(q.chunks().len(), 2, "a full tail is replaced");
}

#[test]
fn receive_buffer_is_reclaimed_through_the_queue() {
    let mut q = Queue::new();
    let mut m = BytesMut::with_capacity(16).unwrap();
    let block = m.as_mut_ptr();
    m.extend_from_slice(b"0123456789ab").unwrap();
    q.push_mut(&mut m).unwrap();
    assert_eq!(m.capacity(), 4);
    let frame = q.take(10).unwrap();
    // The frame is still held: no reclaim, a new storage of at least the
    // original capacity.
    q.reserve_buf(&mut m, 8).unwrap();
    assert!(m.capacity() >= 16);
    assert_ne!(m.as_mut_ptr(), block.wrapping_add(12));
    drop(frame);
    drop(m);

    let mut m = BytesMut::with_capacity(16).unwrap();
    let block = m.as_mut_ptr();
    m.extend_from_slice(b"0123456789ab").unwrap();
    q = Queue::new();
    q.push_mut(&mut m).unwrap();
    drop(q.take(10).unwrap());
    q.reserve_buf(&mut m, 8).unwrap();
    assert_eq!(q.front().unwrap().as_ptr(), block as *const u8, "pending bytes moved to the front");
    assert_eq!(q.front().unwrap().as_slice(), b"ab");
    assert_eq!((m.as_mut_ptr(), m.capacity()), (block.wrapping_add(2), 14));
    m.extend_from_slice(b"cdefgh").unwrap();
    q.push_mut(&mut m).unwrap();
    assert_eq!((q.chunks().len(), contents(&q)), (1, b"abcdefgh".to_vec()), "merged after the reclaim");
}

#[test]
fn split_to_moves_chunks_and_clone_shares_them() {
    let mut q = Queue::new();
    q.push(Bytes::copy_from_slice(b"abc").unwrap()).unwrap();
    q.push(Bytes::from_static(b"def")).unwrap();
    q.push(Bytes::copy_from_slice(b"ghi").unwrap()).unwrap();
    let c = q.try_clone().unwrap();
    assert_eq!(c.chunks()[0].as_ptr(), q.chunks()[0].as_ptr());
    assert!(!q.chunks()[0].is_unique());
    let ptr_e = q.chunks()[1].as_ptr().wrapping_add(1);
    let mut front = q.split_to(5).unwrap();
    assert_eq!((contents(&front), contents(&q)), (b"abcde".to_vec(), b"fghi".to_vec()));
    assert_eq!(front.chunks()[1].as_ptr(), ptr_e.wrapping_sub(1));
    assert_eq!(q.chunks()[0].as_ptr(), ptr_e.wrapping_add(1));
    assert_eq!(q.split_to(5).unwrap_err(), Error::Range);
    q.append(&mut front).unwrap();
    assert!(front.is_empty());
    assert_eq!(contents(&q), b"fghiabcde");
    assert_eq!(contents(&c), b"abcdefghi");
    let popped = q.pop().unwrap();
    assert_eq!(popped.as_slice(), b"f");
}

#[test]
fn pullup_copies_only_when_the_bytes_are_apart() {
    let mut q = Queue::new();
    q.push(Bytes::from_static(b"ab")).unwrap();
    q.push(Bytes::copy_from_slice(b"cd").unwrap()).unwrap();
    q.push(Bytes::from_static(b"ef")).unwrap();
    let first = q.front().unwrap().as_ptr();
    q.pullup(2).unwrap();
    assert_eq!(q.front().unwrap().as_ptr(), first, "already contiguous");
    q.pullup(5).unwrap();
    assert_eq!(q.front().unwrap().as_slice(), b"abcde");
    assert_eq!((q.chunks().len(), contents(&q)), (2, b"abcdef".to_vec()));
    assert_eq!(q.pullup(7), Err(Error::Range));
    q.pullup(6).unwrap();
    assert_eq!(q.chunks().len(), 1);
    assert_eq!(q.len(), 6);
}

#[test]
fn a_large_array_is_freed_when_the_queue_empties() {
    let mut q = Queue::new();
    for _ in 0..=SHRINK_ABOVE {
        q.push(Bytes::from_static(b"x")).unwrap();
    }
    assert!(q.chunk_capacity() > SHRINK_ABOVE);
    q.advance(q.len()).unwrap();
    assert_eq!(q.chunk_capacity(), 0);
    for _ in 0..4 {
        q.push(Bytes::from_static(b"x")).unwrap();
    }
    let cap = q.chunk_capacity();
    q.advance(4).unwrap();
    assert_eq!(q.chunk_capacity(), cap, "a small array is kept");
}

#[test]
fn steady_push_and_consume_keeps_the_array_small() {
    let mut q = Queue::new();
    for i in 0..1000usize {
        // Storage of their own: adjacent static strings would merge.
        q.push(Bytes::copy_from_slice(b"ab").unwrap()).unwrap();
        if i >= 3 {
            q.advance(2).unwrap();
        }
    }
    assert_eq!(q.chunks().len(), 3);
    assert!(q.chunk_capacity() <= 16, "capacity {}", q.chunk_capacity());
}

/// The count of the counted own storage `b` holds (not in loom builds,
/// whose count has no `get`).
#[cfg(not(loom))]
fn count_of(b: &Bytes) -> usize {
    // SAFETY: `b` holds a reference to its counted own storage.
    unsafe { crate::storage::refcount(b.storage_data()) }.get()
}

/// [`Queue::try_take_within`] into a fresh handle: `Some` when it took
/// the fast path.
fn take_within(q: &mut Queue, n: usize) -> Option<Bytes> {
    let mut out = MaybeUninit::<Bytes>::uninit();
    // SAFETY: `out` is writable and no chunk; it is read only when the
    // fast path wrote it.
    unsafe { q.try_take_within(n, out.as_mut_ptr()).then(|| out.assume_init()) }
}

#[test]
#[cfg(not(loom))]
fn take_and_advance_within_the_first_chunk_take_the_fast_paths() {
    let mut q = Queue::new();
    let heap = Bytes::copy_from_slice(b"0123456789").unwrap();
    let start = heap.as_ptr();
    q.push(heap).unwrap();
    q.push(Bytes::from_static(b"abc")).unwrap();
    let taken = take_within(&mut q, 4).unwrap();
    assert_eq!((taken.as_slice(), taken.as_ptr()), (&b"0123"[..], start), "zero-copy");
    assert_eq!(count_of(&taken), 2, "one increment");
    assert!(q.try_advance_within(2));
    assert_eq!((q.len(), contents(&q)), (7, b"6789abc".to_vec()));

    // Not within the first chunk (all of it, more, nothing): no change,
    // and the general paths do the work.
    for n in [0, 4, 5, 7, 8] {
        assert!(take_within(&mut q, n).is_none(), "take {n}");
    }
    for n in [4, 5, 8] {
        assert!(!q.try_advance_within(n), "advance {n}");
    }
    assert_eq!((q.len(), contents(&q), count_of(q.front().unwrap())), (7, b"6789abc".to_vec(), 2));
    assert_eq!(q.take(8), Err(Error::Range));
    assert_eq!(q.advance(8), Err(Error::Range));
    assert_eq!((q.len(), contents(&q)), (7, b"6789abc".to_vec()), "errors change nothing");
    let whole = q.take(4).unwrap();
    assert_eq!((whole.as_slice(), count_of(&whole)), (&b"6789"[..], 2), "the chunk itself, moved");

    // Static bytes: the fast paths, no count.
    let a = take_within(&mut q, 1).unwrap();
    assert_eq!(a.as_slice(), b"a");
    assert!(q.try_advance_within(1));
    assert!(!q.try_advance_within(1), "the chunk's last byte releases it");
    q.advance(1).unwrap();
    assert!(q.is_empty() && q.chunks().is_empty());
    assert!(take_within(&mut q, 1).is_none() && !q.try_advance_within(0), "empty");
    drop((taken, whole));
    assert!(a.as_slice() == b"a");
}

/// A foreign storage counting its references and the vtable's calls.
#[derive(Default)]
struct Counted {
    refs: AtomicUsize,
    clones: AtomicUsize,
}

unsafe extern "C" fn counted_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    // SAFETY: `data` is the test's live `Counted`.
    let counted = unsafe { &*(data as *const Counted) };
    counted.refs.fetch_add(1, Ordering::SeqCst);
    counted.clones.fetch_add(1, Ordering::SeqCst);
    data
}

unsafe extern "C" fn counted_drop(data: *mut c_void, _ptr: *const u8, _len: usize) {
    // SAFETY: as above.
    unsafe { &*(data as *const Counted) }.refs.fetch_sub(1, Ordering::SeqCst);
}

static COUNTED_VTABLE: Vtable = Vtable::new(counted_clone, counted_drop, None, c"counted");

#[test]
fn a_custom_vtable_chunk_is_taken_by_the_general_path() {
    static TEXT: &[u8] = b"foreign bytes";
    let counted = Counted { refs: AtomicUsize::new(1), ..Counted::default() };
    let data = &counted as *const Counted as *mut c_void;
    // SAFETY: TEXT is static; `counted` outlives the handles; the vtable
    // is complete and static.
    let foreign = unsafe { custom::wrap(TEXT.as_ptr(), TEXT.len(), data, &COUNTED_VTABLE) };
    let mut q = Queue::new();
    q.push(foreign).unwrap();
    assert!(take_within(&mut q, 7).is_none(), "its `clone` is not on the fast path");
    assert_eq!((q.len(), counted.clones.load(Ordering::SeqCst)), (13, 0), "nothing changed");
    let front = q.take(7).unwrap();
    assert_eq!((front.as_slice(), front.as_ptr()), (&b"foreign"[..], TEXT.as_ptr()), "zero-copy");
    assert_eq!((counted.clones.load(Ordering::SeqCst), counted.refs.load(Ordering::SeqCst)), (1, 2));
    assert!(q.try_advance_within(1), "advancing changes no reference: any kind");
    assert_eq!(contents(&q), b"bytes");
    drop(q);
    drop(front);
    assert_eq!(counted.refs.load(Ordering::SeqCst), 0, "every reference given back");
}

#[test]
#[cfg(not(loom))]
fn push_mut_hands_bytes_over_or_fills_a_free_slot() {
    let mut q = Queue::new();
    let mut m = BytesMut::with_capacity(64).unwrap();
    assert!(q.try_push_mut_in_place(&mut m), "nothing written: nothing to do");
    assert_eq!((q.len(), q.chunk_capacity()), (0, 0));
    m.extend_from_slice(b"abc").unwrap();
    assert!(!q.try_push_mut_in_place(&mut m), "no slot: the array must grow");
    assert_eq!((m.len(), m.capacity(), q.len()), (3, 64, 0), "nothing changed");
    q.push_mut(&mut m).unwrap();
    assert_eq!((count_of(q.front().unwrap()), m.capacity()), (2, 61));

    // Bytes that follow the last chunk extend it, with no count update.
    m.extend_from_slice(b"def").unwrap();
    assert!(q.try_push_mut_in_place(&mut m));
    assert_eq!((q.chunks().len(), contents(&q)), (1, b"abcdef".to_vec()));
    assert_eq!((count_of(q.front().unwrap()), m.len(), m.capacity()), (2, 0, 58));

    // Bytes that do not (another chunk came in between) take a free slot:
    // one increment, no allocation.
    q.push(Bytes::from_static(b"!")).unwrap();
    m.extend_from_slice(b"ghi").unwrap();
    let slots = q.chunk_capacity();
    assert!(q.try_push_mut_in_place(&mut m));
    assert_eq!((q.chunks().len(), q.chunk_capacity(), contents(&q)), (3, slots, b"abcdef!ghi".to_vec()));
    assert_eq!(count_of(&q.chunks()[2]), 3);
    assert_eq!((m.len(), m.capacity()), (0, 55));

    // A full array: the general path grows it.
    while q.chunks().len() < q.chunk_capacity() {
        q.push(Bytes::from_static(b"?")).unwrap();
    }
    m.extend_from_slice(b"j").unwrap();
    assert!(!q.try_push_mut_in_place(&mut m));
    assert_eq!((m.len(), q.chunk_capacity()), (1, slots), "nothing changed");
    q.push_mut(&mut m).unwrap();
    assert!(q.chunk_capacity() > slots);
    assert_eq!(q.chunks().last().unwrap().as_slice(), b"j");
    assert_eq!(q.len(), 10 + (slots - 3) + 1);
}

/// Random programs against a model byte string.
#[test]
fn random_operations_match_a_model() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let steps = if cfg!(miri) { 300 } else { 5000 };
    let mut q = Queue::new();
    let mut rx = BytesMut::new();
    let mut model: Vec<u8> = Vec::new();
    let mut counter = 0u8;
    let mut fresh = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                counter = counter.wrapping_add(1);
                counter
            })
            .collect()
    };
    for _ in 0..steps {
        match next(9) {
            8 => {
                // A read into the receive buffer, pushed (merged into the
                // last chunk when it follows it).
                let data = fresh(next(9));
                q.reserve_buf(&mut rx, data.len()).unwrap();
                rx.extend_from_slice(&data).unwrap();
                q.push_mut(&mut rx).unwrap();
                model.extend_from_slice(&data);
            }
            0 => {
                let data = fresh(next(9));
                q.push(Bytes::copy_from_slice(&data).unwrap()).unwrap();
                model.extend_from_slice(&data);
            }
            1 => {
                let data = fresh(next(9));
                q.write(&data).unwrap();
                model.extend_from_slice(&data);
            }
            2 => {
                let data = fresh(next(5));
                q.push_front(Bytes::copy_from_slice(&data).unwrap()).unwrap();
                model.splice(0..0, data);
            }
            3 => {
                let n = next(model.len() + 2);
                let taken = q.take(n);
                if n > model.len() {
                    assert_eq!(taken, Err(Error::Range));
                } else {
                    assert_eq!(taken.unwrap().as_slice(), model.drain(..n).as_slice());
                }
            }
            4 => {
                let n = next(model.len() + 2);
                assert_eq!(q.advance(n).is_ok(), n <= model.len());
                if n <= model.len() {
                    model.drain(..n);
                }
            }
            5 => {
                let n = next(model.len() + 1);
                let front = q.split_to(n).unwrap();
                assert_eq!(contents(&front), model.drain(..n).as_slice());
            }
            6 => {
                let (from, len) = (next(model.len() + 1), next(3) + 1);
                if let Some(at) = q.find(0, usize::MAX, &model[from..(from + len).min(model.len())]) {
                    assert!(at <= from);
                }
                let needle: Vec<u8> = model.iter().skip(from).take(len).copied().collect();
                let expect = model.windows(needle.len().max(1)).position(|w| w == needle);
                if !needle.is_empty() {
                    assert_eq!(q.find(0, usize::MAX, &needle), expect);
                }
            }
            7 => {
                let n = next(model.len() + 1);
                q.pullup(n).unwrap();
                assert!(q.front().map_or(0, Bytes::len) >= n);
            }
            _ => unreachable!(),
        }
        assert_eq!(q.len(), model.len());
        assert_eq!(contents(&q), model);
        assert!(q.chunks().iter().all(|chunk| !chunk.is_empty()));
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri has no pipes")]
fn read_fd_and_write_fd_through_a_pipe() {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for two descriptors.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let mut out = Queue::new();
    out.write(b"frame one ").unwrap();
    out.push(Bytes::from_static(b"frame two")).unwrap();
    assert_eq!(out.write_fd(fds[1], None), Ok(19));
    assert!(out.is_empty());
    let mut q = Queue::new();
    let mut m = BytesMut::with_capacity(64).unwrap();
    assert_eq!(q.read_fd(&mut m, fds[0], 6), Ok(6));
    assert_eq!(q.read_fd(&mut m, fds[0], 32), Ok(13));
    assert_eq!((q.chunks().len(), contents(&q)), (1, b"frame one frame two".to_vec()));
    // SAFETY: closing our own descriptors.
    unsafe { libc::close(fds[1]) };
    assert_eq!(q.read_fd(&mut m, fds[0], 64), Ok(0));
    assert_eq!(q.read_fd(&mut m, -1, 64), Err(Error::Io(libc::EBADF)));
    assert_eq!(q.len(), 19);
    // SAFETY: as above.
    unsafe { libc::close(fds[0]) };
}

#[test]
fn adjacent_static_views_do_not_merge() {
    static TWO: [u8; 4] = *b"abcd";
    let mut q = Queue::new();
    q.push(Bytes::from_static(&TWO[..2])).unwrap();
    q.push(Bytes::from_static(&TWO[2..])).unwrap();
    assert_eq!(q.chunks().len(), 2, "static views may be distinct objects");
    assert_eq!(contents(&q), b"abcd");
}
