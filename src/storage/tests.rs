//! Tests of the foreign storage kinds: owners, custom vtables, mapped
//! files. Counting callbacks check that every reference is given back
//! exactly once.

use std::ffi::{c_void, CString};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crate::storage::{custom, mapped, owner};
use crate::vtable::Vtable;
use crate::{Bytes, Error};

const TEXT: &[u8] = b"foreign bytes, counted elsewhere";

/// Counts `release` calls on an `AtomicUsize` passed as the owner.
unsafe extern "C" fn count_release(owner: *mut c_void) {
    // SAFETY: the tests pass a live `AtomicUsize`.
    unsafe { &*(owner as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn owner_is_released_once_after_the_last_handle() {
    let released = AtomicUsize::new(0);
    let owner = &released as *const AtomicUsize as *mut c_void;
    // SAFETY: TEXT is static; `released` outlives every handle.
    let bytes = unsafe { owner::wrap(TEXT.as_ptr(), TEXT.len(), owner, count_release) }.unwrap();
    assert_eq!(bytes.as_ptr(), TEXT.as_ptr(), "no copy");
    let slices: Vec<Bytes> = (0..8).map(|i| bytes.slice(i..i + 4).unwrap()).collect();
    let mut split = bytes.clone();
    let front = split.split_to(7).unwrap();
    drop(bytes);
    drop(slices);
    drop(front);
    assert_eq!(released.load(Ordering::SeqCst), 0, "one handle is left");
    drop(split);
    assert_eq!(released.load(Ordering::SeqCst), 1);

    // SAFETY: as above.
    let empty = unsafe { owner::wrap(TEXT.as_ptr(), 0, owner, count_release) }.unwrap();
    assert!(empty.is_empty());
    assert_eq!(released.load(Ordering::SeqCst), 2, "an empty view releases at once");
}

#[test]
fn owner_release_runs_once_across_threads() {
    let released = Arc::new(AtomicUsize::new(0));
    let owner = Arc::as_ptr(&released) as *mut c_void;
    // SAFETY: TEXT is static; `released` outlives every handle (joined).
    let bytes = Arc::new(unsafe { owner::wrap(TEXT.as_ptr(), TEXT.len(), owner, count_release) }.unwrap());
    let rounds = if cfg!(miri) { 4 } else { 1000 };
    let workers: Vec<_> = (0..if cfg!(miri) { 2 } else { 4 })
        .map(|_| {
            let bytes = Arc::clone(&bytes);
            thread::spawn(move || {
                for i in 0..rounds {
                    let slice = bytes.slice(i % 8..TEXT.len()).unwrap();
                    assert_eq!(slice.as_slice(), &TEXT[i % 8..]);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(released.load(Ordering::SeqCst), 0);
    drop(Arc::into_inner(bytes).unwrap());
    assert_eq!(released.load(Ordering::SeqCst), 1);
}

/// A pool slot with its own count, and a tally of the vtable's calls.
#[derive(Default)]
struct Slot {
    refs: AtomicUsize,
    clones: AtomicUsize,
    drops: AtomicUsize,
    dropped_len: AtomicUsize,
}

unsafe extern "C" fn slot_clone(data: *mut c_void, _ptr: *const u8, _len: usize) -> *mut c_void {
    // SAFETY: `data` is a live `Slot` (the tests keep it alive).
    let slot = unsafe { &*(data as *const Slot) };
    slot.refs.fetch_add(1, Ordering::SeqCst);
    slot.clones.fetch_add(1, Ordering::SeqCst);
    data
}

unsafe extern "C" fn slot_drop(data: *mut c_void, _ptr: *const u8, len: usize) {
    // SAFETY: as above.
    let slot = unsafe { &*(data as *const Slot) };
    slot.refs.fetch_sub(1, Ordering::SeqCst);
    slot.drops.fetch_add(1, Ordering::SeqCst);
    slot.dropped_len.fetch_add(len, Ordering::SeqCst);
}

unsafe extern "C" fn slot_is_unique(data: *mut c_void) -> bool {
    // SAFETY: as above.
    unsafe { &*(data as *const Slot) }.refs.load(Ordering::SeqCst) == 1
}

static SLOT_VTABLE: Vtable = Vtable::new(slot_clone, slot_drop, Some(slot_is_unique), c"slot");

#[test]
fn custom_vtables_see_every_clone_and_drop() {
    let slot = Slot { refs: AtomicUsize::new(1), ..Slot::default() };
    let data = &slot as *const Slot as *mut c_void;
    // SAFETY: TEXT is static; `slot` outlives the handles; the vtable is
    // complete and static.
    let mut bytes = unsafe { custom::wrap(TEXT.as_ptr(), TEXT.len(), data, &SLOT_VTABLE) };
    assert!(bytes.is_unique());
    let clone = bytes.clone();
    assert!(!bytes.is_unique());
    let front = bytes.split_to(8).unwrap();
    let slice = clone.slice(0..3).unwrap();
    assert_eq!(slot.clones.load(Ordering::SeqCst), 3);
    assert_eq!(slot.refs.load(Ordering::SeqCst), 4);
    let copy = slice.clone().into_mut().unwrap();
    assert_eq!(copy.as_slice(), &TEXT[..3]);
    drop((bytes, clone, front, slice));
    assert_eq!(slot.refs.load(Ordering::SeqCst), 0, "every reference given back");
    assert_eq!(slot.clones.load(Ordering::SeqCst) + 1, slot.drops.load(Ordering::SeqCst));
    // The drops saw each handle's own view: 24 + 32 + 8 + 3 + 3 bytes.
    assert_eq!(slot.dropped_len.load(Ordering::SeqCst), (TEXT.len() - 8) + TEXT.len() + 8 + 3 + 3);
}

#[test]
fn incomplete_vtables_are_refused() {
    let mut vtable = Vtable::new(slot_clone, slot_drop, None, c"slot");
    assert!(vtable.is_complete());
    vtable.struct_size -= 1;
    assert!(!vtable.is_complete());
    vtable.struct_size += 64;
    assert!(vtable.is_complete(), "a newer, larger vtable is accepted");
    vtable.drop = None;
    assert!(!vtable.is_complete());
}

/// A temporary file holding `contents`.
fn temp_file(contents: &[u8]) -> (std::path::PathBuf, CString) {
    let path = std::env::temp_dir().join(format!("libbytes-test-{}-{}", std::process::id(), contents.len()));
    std::fs::File::create(&path).unwrap().write_all(contents).unwrap();
    let c_path = CString::new(path.to_str().unwrap()).unwrap();
    (path, c_path)
}

#[test]
#[cfg_attr(miri, ignore = "Miri does not map files")]
fn files_map_whole_and_in_ranges() {
    let contents: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let (path, c_path) = temp_file(&contents);
    let whole = mapped::map_file(&c_path).unwrap();
    assert_eq!(whole.as_slice(), &contents[..]);
    assert!(whole.is_unique());
    assert!(whole.clone().try_into_mut().is_err(), "mapped bytes are never mutable in place");

    let file = std::fs::File::open(&path).unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
    let range = mapped::map_fd(fd, 4097, 100).unwrap();
    drop(file);
    assert_eq!(range.as_slice(), &contents[4097..4197], "unaligned offset, fd closed");
    assert_eq!(mapped::map_fd(fd, 0, 1).unwrap_err(), Error::Io(libc::EBADF));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(whole.as_slice(), &contents[..], "the mapping outlives the file's name");
}

#[test]
#[cfg_attr(miri, ignore = "Miri does not map files")]
fn file_errors_carry_errno() {
    let (path, c_path) = temp_file(b"");
    assert!(mapped::map_file(&c_path).unwrap().is_empty());
    let file = std::fs::File::open(&path).unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
    assert_eq!(mapped::map_fd(fd, 0, 1).unwrap_err(), Error::Range);
    assert_eq!(mapped::map_fd(fd, u64::MAX, 1).unwrap_err(), Error::Range);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(mapped::map_file(&c_path).unwrap_err(), Error::Io(libc::ENOENT));
    let dir = CString::new(std::env::temp_dir().to_str().unwrap()).unwrap();
    assert_eq!(mapped::map_file(&dir).unwrap_err(), Error::Io(libc::EISDIR));
}

#[test]
#[cfg_attr(miri, ignore = "Miri does not open FIFOs")]
fn a_fifo_is_refused_without_blocking() {
    let path = std::env::temp_dir().join(format!("libbytes-fifo-{}", std::process::id()));
    let c_path = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    assert_eq!(mapped::map_file(&c_path).unwrap_err(), Error::Io(libc::EINVAL));
    std::fs::remove_file(&path).unwrap();
}
