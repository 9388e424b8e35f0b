//! Unit tests of the core `Bytes`, over every storage kind. They also run
//! under Miri, which checks the raw-pointer code and the reference counts
//! (a leaked or doubly freed storage fails the run).

use std::mem::MaybeUninit;
use std::sync::Arc;
use std::thread;

use crate::storage::malloc;
use crate::{ByteRange, Bytes, Error};

const TEXT: &[u8] = b"GET /index.html HTTP/1.1\r\n";

/// One handle of each storage kind, all holding `TEXT`.
fn every_kind() -> Vec<(&'static str, Bytes)> {
    vec![
        ("static", Bytes::from_static(TEXT)),
        ("heap", Bytes::copy_from_slice(TEXT).unwrap()),
        ("malloc", adopt_copy(TEXT)),
    ]
}

/// Copies `src` into a `malloc` block and adopts it.
fn adopt_copy(src: &[u8]) -> Bytes {
    // SAFETY: a fresh block of `src.len()` bytes, filled before adoption
    // and handed over to `adopt`.
    unsafe {
        let block = libc::malloc(src.len()) as *mut u8;
        assert!(!block.is_null());
        block.copy_from_nonoverlapping(src.as_ptr(), src.len());
        malloc::adopt(std::ptr::NonNull::new(block).unwrap(), src.len()).unwrap()
    }
}

#[test]
fn empty_handles_are_zero_and_readable() {
    let empty = Bytes::new();
    assert!(empty.is_empty());
    assert!(!empty.as_ptr().is_null());
    assert_eq!(empty.as_slice(), b"");
    assert!(!empty.is_unique());
    assert_eq!(empty.clone().as_slice(), b"");
    assert_eq!(Bytes::copy_from_slice(b"").unwrap().as_slice(), b"");
}

#[test]
fn clone_and_slice_share_the_bytes() {
    for (kind, bytes) in every_kind() {
        assert_eq!(bytes.as_slice(), TEXT, "{kind}");
        let clone = bytes.clone();
        assert_eq!(clone.as_ptr(), bytes.as_ptr(), "{kind}: clone copies nothing");
        let path = bytes.slice(4..15).unwrap();
        assert_eq!(path.as_slice(), b"/index.html", "{kind}");
        assert_eq!(path.as_ptr(), bytes.as_ptr().wrapping_add(4), "{kind}: slice copies nothing");
        let nested = path.slice(1..6).unwrap();
        assert_eq!(nested.as_slice(), b"index", "{kind}");
        drop(bytes);
        assert_eq!(nested.as_slice(), b"index", "{kind}: a slice keeps the storage alive");
        assert_eq!(clone.as_slice(), TEXT, "{kind}");
    }
}

#[test]
fn slice_checks_its_range() {
    let bytes = Bytes::copy_from_slice(TEXT).unwrap();
    let len = TEXT.len();
    assert_eq!(bytes.slice(0..len + 1).unwrap_err(), Error::Range);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = 5..4;
    assert_eq!(bytes.slice(reversed).unwrap_err(), Error::Range);
    assert_eq!(bytes.slice(len..len).unwrap().as_slice(), b"");
    assert_eq!(bytes.slice(0..len).unwrap().as_slice(), TEXT);
    assert!(bytes.is_unique(), "failed and empty slices hold no reference");
}

#[test]
fn slice_ref_finds_subslices_by_address() {
    let bytes = Bytes::copy_from_slice(TEXT).unwrap();
    let path = &bytes.as_slice()[4..15];
    let sub = bytes.slice_ref(path.as_ptr(), path.len()).unwrap();
    assert_eq!(sub.as_ptr(), path.as_ptr());
    assert_eq!(sub.as_slice(), b"/index.html");
    drop(sub);
    let whole = bytes.slice_ref(bytes.as_ptr(), TEXT.len()).unwrap();
    assert_eq!(whole.as_slice(), TEXT);
    drop(whole);
    let end = bytes.as_ptr().wrapping_add(TEXT.len());
    assert!(bytes.slice_ref(end, 0).unwrap().is_empty());

    let err = |ptr: *const u8, len: usize| bytes.slice_ref(ptr, len).unwrap_err();
    assert_eq!(err(bytes.as_ptr(), TEXT.len() + 1), Error::Range);
    assert_eq!(err(bytes.as_ptr().wrapping_sub(1), 1), Error::Range);
    assert_eq!(err(bytes.as_ptr().wrapping_sub(1), 0), Error::Range);
    assert_eq!(err(end.wrapping_add(1), 0), Error::Range);
    assert_eq!(err(path.as_ptr(), usize::MAX), Error::Range);
    let other = Bytes::copy_from_slice(TEXT).unwrap();
    assert_eq!(err(other.as_ptr(), 1), Error::Range);
    assert!(bytes.is_unique(), "failed and empty slices hold no reference");

    let empty = Bytes::new();
    assert!(empty.slice_ref(TEXT.as_ptr(), 0).unwrap().is_empty(), "any empty sub of an empty view");
    assert_eq!(empty.slice_ref(TEXT.as_ptr(), 1).unwrap_err(), Error::Range);
}

#[test]
fn split_to_and_split_off_share_and_cover_the_view() {
    for (kind, bytes) in every_kind() {
        let mut rest = bytes.clone();
        let method = rest.split_to(3).unwrap();
        assert_eq!(method.as_slice(), b"GET", "{kind}");
        assert_eq!(rest.as_slice(), &TEXT[3..], "{kind}");
        assert_eq!(method.as_ptr(), bytes.as_ptr(), "{kind}");
        assert_eq!(rest.as_ptr(), bytes.as_ptr().wrapping_add(3), "{kind}");

        let mut head = bytes.clone();
        let tail = head.split_off(4).unwrap();
        assert_eq!(head.as_slice(), b"GET ", "{kind}");
        assert_eq!(tail.as_slice(), &TEXT[4..], "{kind}");
        assert_eq!(tail.as_ptr(), bytes.as_ptr().wrapping_add(4), "{kind}");
    }
}

#[test]
fn splits_at_the_edges_move_the_whole_view() {
    let mut bytes = Bytes::copy_from_slice(TEXT).unwrap();
    assert_eq!(bytes.split_to(TEXT.len() + 1).unwrap_err(), Error::Range);
    assert_eq!(bytes.split_off(TEXT.len() + 1).unwrap_err(), Error::Range);
    assert_eq!(bytes.as_slice(), TEXT, "a failed split changes nothing");

    assert!(bytes.split_to(0).unwrap().is_empty());
    assert!(bytes.split_off(TEXT.len()).unwrap().is_empty());
    assert!(bytes.is_unique(), "empty halves hold no reference");

    let all = bytes.split_to(TEXT.len()).unwrap();
    assert!(bytes.is_empty());
    assert!(all.is_unique(), "the whole view moved, with its one reference");
    let mut all = all;
    let again = all.split_off(0).unwrap();
    assert!(all.is_empty());
    assert_eq!(again.as_slice(), TEXT);
}

#[test]
fn advance_truncate_clear() {
    let mut bytes = adopt_copy(TEXT);
    assert_eq!(bytes.advance(TEXT.len() + 1), Err(Error::Range));
    assert_eq!(bytes.as_slice(), TEXT);
    bytes.advance(4).unwrap();
    assert_eq!(bytes.as_slice(), &TEXT[4..]);
    bytes.truncate(100);
    assert_eq!(bytes.as_slice(), &TEXT[4..]);
    bytes.truncate(11);
    assert_eq!(bytes.as_slice(), b"/index.html");
    bytes.advance(11).unwrap();
    assert!(bytes.is_empty());
    assert!(!bytes.as_ptr().is_null());
    bytes.clear();
    assert!(bytes.is_empty());
}

#[test]
fn get_array_reads_and_advances_or_changes_nothing() {
    let mut bytes = Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(bytes.get_array::<1>(), Ok([1]));
    assert_eq!(u16::from_be_bytes(bytes.get_array().unwrap()), 0x0203);
    assert_eq!(u32::from_le_bytes(bytes.get_array().unwrap()), 0x0706_0504);
    assert_eq!(bytes.get_array::<8>(), Err(Error::Range));
    assert_eq!(bytes.as_slice(), &[8, 9]);
}

#[test]
fn uniqueness_follows_the_count() {
    for (kind, bytes) in every_kind() {
        let counted = kind != "static";
        assert_eq!(bytes.is_unique(), counted, "{kind}");
        let slice = bytes.slice(0..3).unwrap();
        assert!(!bytes.is_unique(), "{kind}");
        assert!(!slice.is_unique(), "{kind}");
        drop(bytes);
        assert_eq!(slice.is_unique(), counted, "{kind}");
    }
}

#[test]
fn adopting_an_empty_block_frees_it() {
    // SAFETY: a fresh block handed over to `adopt`.
    let bytes = unsafe {
        let block = libc::malloc(8) as *mut u8;
        malloc::adopt(std::ptr::NonNull::new(block).unwrap(), 0).unwrap()
    };
    assert!(bytes.is_empty());
    assert!(!bytes.is_unique(), "the empty handle holds no storage");
}

#[test]
fn comparison_is_lexicographic() {
    let a = Bytes::from_static(b"abc");
    let ab = Bytes::copy_from_slice(b"ab").unwrap();
    let abd = adopt_copy(b"abd");
    assert!(ab < a && a < abd);
    assert_eq!(a, Bytes::copy_from_slice(b"abc").unwrap());
    assert_ne!(a, ab);
    assert!(Bytes::new() < ab);
}

#[test]
fn handles_of_one_storage_drop_on_many_threads() {
    let threads = if cfg!(miri) { 2 } else { 4 };
    let per_thread = if cfg!(miri) { 8 } else { 1000 };
    for (kind, bytes) in every_kind() {
        let shared = Arc::new(bytes);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let handles: Vec<Bytes> =
                        (0..per_thread).map(|i| shared.slice(i % 4..4).unwrap()).collect();
                    for (i, handle) in handles.iter().enumerate() {
                        assert_eq!(handle.as_slice(), &TEXT[i % 4..4]);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        let bytes = Arc::into_inner(shared).unwrap();
        assert_eq!(bytes.is_unique(), kind != "static", "{kind}: every other reference was released");
    }
}

/// The same cuts on our `Bytes` and on the crate `bytes` give the same
/// contents.
#[test]
fn cuts_agree_with_the_crate_bytes() {
    let ours = adopt_copy(TEXT);
    let theirs = bytes_crate::Bytes::from_static(TEXT);
    for at in [0, 1, 3, TEXT.len() - 1, TEXT.len()] {
        let (mut a, mut b) = (ours.clone(), theirs.clone());
        assert_eq!(a.split_to(at).unwrap().as_slice(), &b.split_to(at)[..]);
        assert_eq!(a.as_slice(), &b[..]);
        let (mut a, mut b) = (ours.clone(), theirs.clone());
        assert_eq!(a.split_off(at).unwrap().as_slice(), &b.split_off(at)[..]);
        assert_eq!(a.as_slice(), &b[..]);
        assert_eq!(ours.slice(at..TEXT.len()).unwrap().as_slice(), &theirs.slice(at..)[..]);
    }
}

/// Empty results keep their position, at the same offset as the crate
/// `bytes` puts them, hold no reference, and go back into `slice_ref`.
#[test]
fn empty_results_keep_their_position_as_in_the_crate() {
    let ours = adopt_copy(TEXT);
    let theirs = bytes_crate::Bytes::copy_from_slice(TEXT);
    let offset = |b: &Bytes| b.as_ptr() as usize - ours.as_ptr() as usize;
    let crate_offset = |b: &bytes_crate::Bytes| b.as_ptr() as usize - theirs.as_ptr() as usize;
    for at in [0, 1, 7, TEXT.len()] {
        let empty = ours.slice(at..at).unwrap();
        assert_eq!((empty.len(), offset(&empty)), (0, crate_offset(&theirs.slice(at..at))));
        assert!(ours.is_unique(), "an empty slice holds no reference");
        let back = ours.slice_ref(empty.as_ptr(), 0).unwrap();
        assert_eq!(offset(&back), at, "slice_ref takes an empty view back");
    }
    let len = TEXT.len();
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let empty = a.split_to(0).unwrap();
    assert_eq!(offset(&empty), crate_offset(&b.split_to(0)));
    drop(a);
    assert!(ours.is_unique(), "split_to(0) gave a view without a reference");
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let empty = a.split_off(len).unwrap();
    assert_eq!(offset(&empty), crate_offset(&b.split_off(len)));
    drop(a);
    assert!(ours.is_unique(), "split_off(len) gave a view without a reference");
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let whole = a.split_to(len).unwrap();
    drop(b.split_to(len));
    assert_eq!((offset(&a), a.len()), (crate_offset(&b), 0), "what stays after split_to(len)");
    assert_eq!(offset(&whole), 0);
    drop(whole);
    assert!(ours.is_unique(), "what stays after split_to(len) holds no reference");
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let whole = a.split_off(0).unwrap();
    drop(b.split_off(0));
    assert_eq!((offset(&a), a.len()), (crate_offset(&b), 0), "what stays after split_off(0)");
    drop(whole);
    assert!(ours.is_unique(), "what stays after split_off(0) holds no reference");
    drop((a, empty));
    // The all-zero handle has no position: its empty parts are all-zero.
    let mut zero = Bytes::new();
    assert!(zero.slice(0..0).unwrap().as_ptr() == zero.as_ptr());
    assert!(zero.split_to(0).unwrap().as_ptr() == Bytes::new().as_ptr());
}

/// The article's parse: method, path, version as one batch.
const FIELDS: [ByteRange; 4] = [
    ByteRange { begin: 0, end: 3 },
    ByteRange { begin: 4, end: 15 },
    ByteRange { begin: 16, end: 24 },
    ByteRange { begin: 5, end: 5 },
];

fn slice_many(bytes: &Bytes, ranges: &[ByteRange]) -> Result<Vec<Bytes>, Error> {
    let mut out: Vec<MaybeUninit<Bytes>> = (0..ranges.len()).map(|_| MaybeUninit::uninit()).collect();
    bytes.slice_many(ranges, &mut out)?;
    // SAFETY: `slice_many` wrote every slot on success.
    Ok(out.into_iter().map(|slot| unsafe { slot.assume_init() }).collect())
}

#[test]
fn slice_many_cuts_every_range_at_once() {
    for (kind, bytes) in every_kind() {
        let fields = slice_many(&bytes, &FIELDS).unwrap();
        let texts: Vec<&[u8]> = fields.iter().map(Bytes::as_slice).collect();
        assert_eq!(texts, [&b"GET"[..], b"/index.html", b"HTTP/1.1", b""], "{kind}");
        assert_eq!(fields[1].as_ptr(), bytes.as_ptr().wrapping_add(4), "{kind}: zero copy");
        assert!(!bytes.is_unique() || kind == "static");
        drop(fields);
        assert_eq!(bytes.is_unique(), kind != "static", "{kind}: every reference returned");
    }
}

#[test]
fn slice_many_is_all_or_nothing() {
    let bytes = adopt_copy(TEXT);
    let mut bad = FIELDS;
    bad[2].end = TEXT.len() + 1;
    assert_eq!(slice_many(&bytes, &bad).unwrap_err(), Error::Range);
    bad[2] = ByteRange { begin: 4, end: 3 };
    assert_eq!(slice_many(&bytes, &bad).unwrap_err(), Error::Range);
    assert!(bytes.is_unique(), "a refused batch took no reference");
    assert!(slice_many(&bytes, &[]).unwrap().is_empty());
}

#[test]
fn drop_many_releases_runs_and_singles() {
    let heap = Bytes::copy_from_slice(TEXT).unwrap();
    let malloc = adopt_copy(TEXT);
    let mut handles = slice_many(&heap, &FIELDS).unwrap();
    handles.extend(slice_many(&malloc, &FIELDS).unwrap());
    handles.push(heap.clone());
    handles.push(Bytes::from_static(b"static"));
    handles.push(malloc.clone());
    Bytes::drop_many(&mut handles);
    assert!(handles.iter().all(Bytes::is_empty));
    assert!(heap.is_unique() && malloc.is_unique(), "every reference released");

    // The last references go in one batch: the storage is freed there
    // (Miri reports a leak or a double free otherwise).
    let mut last = slice_many(&heap, &FIELDS).unwrap();
    last.push(heap);
    Bytes::drop_many(&mut last);
}

/// The library's own kinds are handled inline by `Bytes`; their vtable
/// entries, which any holder of a vtable pointer may call, must do the
/// same: clone takes a reference, drop gives it back, is_unique agrees.
#[test]
fn own_vtable_entries_agree_with_the_inline_paths() {
    for (kind, bytes) in every_kind() {
        // SAFETY: an own kind's vtable is static and complete.
        let vtable = unsafe { &*bytes.vtable };
        let (clone, drop) = (vtable.clone.unwrap(), vtable.drop.unwrap());
        // SAFETY: `bytes` holds a reference, as `is_unique` requires.
        let unique_entry = || vtable.is_unique.is_some_and(|is_unique| unsafe { is_unique(bytes.data) });
        assert_eq!(unique_entry(), bytes.is_unique(), "{kind}");
        // SAFETY: `bytes` holds a reference, so the entries may be called;
        // the clone's reference is given back by the drop.
        let data = unsafe { clone(bytes.data, bytes.ptr, bytes.len) };
        assert_eq!(data, bytes.data, "{kind}");
        assert!(!bytes.is_unique() && !unique_entry(), "{kind}: the entry took a reference");
        // SAFETY: gives back the reference the clone entry took.
        unsafe { drop(data, bytes.ptr, bytes.len) };
        assert_eq!(bytes.is_unique(), kind != "static", "{kind}: the entry gave it back");
    }
}
