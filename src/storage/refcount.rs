//! The shared reference count of the counted storage kinds.
//!
//! Orderings, as in the crate `bytes` and `std::sync::Arc`:
//! - a new reference is made from an existing one, which keeps the storage
//!   alive, so the increment needs no ordering (`Relaxed`);
//! - a release is `Release`, so every use of the bytes through the dropped
//!   handle happens before the count reaches zero;
//! - the last release is followed by an `Acquire` load of the count, so
//!   the thread that frees the storage sees every other handle's uses as
//!   finished. (An `Acquire` fence does the same in the C11 model and in
//!   the crate `bytes`; the load is what ThreadSanitizer understands, as in
//!   `std::sync::Arc`, and it costs one plain load on the last drop only.)
//!
//! Overflow: the count is a `usize`; exceeding `isize::MAX` references would
//! take more 32-byte handles than any address space holds, so it is not
//! checked (the crate `bytes` aborts there, and libbytes never aborts).
//!
//! Built with `--cfg loom`, the count uses loom's atomics, and the tests at
//! the end of this file explore every interleaving of threads sharing and
//! releasing one storage (`scripts/loom.sh`).

#[cfg(loom)]
use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicUsize, Ordering};

/// An atomic reference count starting at one.
#[derive(Debug)]
pub(crate) struct RefCount(AtomicUsize);

impl RefCount {
    /// The count of a storage with its first handle.
    pub(crate) fn one() -> RefCount {
        RefCount(AtomicUsize::new(1))
    }

    /// Adds a reference for a new handle.
    pub(crate) fn increment(&self) {
        self.add(1);
    }

    /// Adds `n` references at once, for a batch of new handles: one atomic
    /// update whatever `n` is.
    pub(crate) fn add(&self, n: usize) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// Releases one reference; true when it was the last one, and the
    /// caller must then free the storage.
    #[must_use]
    pub(crate) fn release(&self) -> bool {
        self.release_many(1)
    }

    /// Releases `n` references at once (a batch of dropped handles), with
    /// the orderings of a single release; true when they were the last
    /// ones, and the caller must then free the storage.
    #[must_use]
    pub(crate) fn release_many(&self, n: usize) -> bool {
        if self.0.fetch_sub(n, Ordering::Release) != n {
            return false;
        }
        self.0.load(Ordering::Acquire);
        true
    }

    /// Whether exactly one handle refers to the storage. `Acquire` pairs
    /// with the `Release` of other handles' drops, so a caller that goes on
    /// to reuse the storage sees their uses as finished.
    pub(crate) fn is_unique(&self) -> bool {
        self.0.load(Ordering::Acquire) == 1
    }

    /// Whether exactly `n` handles refer to the storage, all of them known
    /// to the caller (the queue and its receive buffer): `Acquire` as in
    /// [`is_unique`](RefCount::is_unique), for the same reason.
    pub(crate) fn is_exactly(&self, n: usize) -> bool {
        self.0.load(Ordering::Acquire) == n
    }
}

/// Model checks with loom: every interleaving of 2-3 threads that share
/// one storage, clone, slice and drop, for the library's own heap storage
/// and for a counted storage whose release is observable. (There is no
/// promotion from a single owner to shared storage to check: headers are
/// allocated eagerly, see `storage::heap`.)
#[cfg(all(test, loom))]
mod loom_tests {
    use std::ffi::c_void;
    use std::mem::MaybeUninit;
    use std::sync::Arc;

    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::thread;

    use crate::storage::owner;
    use crate::{ByteRange, Bytes, BytesMut};

    const TEXT: &[u8] = b"shared";

    unsafe extern "C" fn count_release(owner: *mut c_void) {
        // SAFETY: the models pass a live loom `AtomicUsize`.
        unsafe { &*(owner as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
    }

    /// A storage whose release increments `released`.
    fn owned(released: &Arc<AtomicUsize>) -> Bytes {
        let owner = Arc::as_ptr(released) as *mut c_void;
        // SAFETY: TEXT is static; `released` outlives the model's handles.
        unsafe { owner::wrap(TEXT.as_ptr(), TEXT.len(), owner, count_release) }.unwrap()
    }

    /// Threads clone, slice and drop handles of one storage while the
    /// first handle drops too: the release runs exactly once, and never
    /// while a handle is alive (each thread checks before it drops).
    #[test]
    fn release_runs_once_after_the_last_handle() {
        loom::model(|| {
            let released = Arc::new(AtomicUsize::new(0));
            let bytes = owned(&released);
            let workers: Vec<_> = (0..2)
                .map(|i| {
                    let handle = bytes.clone();
                    let released = Arc::clone(&released);
                    thread::spawn(move || {
                        let slice = handle.slice(i..TEXT.len()).unwrap();
                        assert_eq!(slice.as_slice(), &TEXT[i..]);
                        drop(handle);
                        assert_eq!(released.load(Ordering::SeqCst), 0, "released while a slice lives");
                        drop(slice);
                    })
                })
                .collect();
            drop(bytes);
            for worker in workers {
                worker.join().unwrap();
            }
            assert_eq!(released.load(Ordering::SeqCst), 1);
        });
    }

    /// Three handles dropped on three threads at once: one release.
    #[test]
    fn concurrent_last_drops_release_once() {
        loom::model(|| {
            let released = Arc::new(AtomicUsize::new(0));
            let first = owned(&released);
            let handles = [first.clone(), first.clone(), first];
            let workers: Vec<_> =
                handles.into_iter().map(|handle| thread::spawn(move || drop(handle))).collect();
            for worker in workers {
                worker.join().unwrap();
            }
            assert_eq!(released.load(Ordering::SeqCst), 1);
        });
    }

    /// A batch of slices made on one thread and released as a batch on
    /// another, while single clones come and go: one release in the end,
    /// never while a handle lives.
    #[test]
    fn batches_mixed_with_single_handles_release_once() {
        loom::model(|| {
            let released = Arc::new(AtomicUsize::new(0));
            let bytes = owned(&released);
            let ranges = [ByteRange { begin: 0, end: 2 }, ByteRange { begin: 2, end: 6 }];
            let mut out = [MaybeUninit::uninit(), MaybeUninit::uninit()];
            bytes.slice_many(&ranges, &mut out).unwrap();
            // SAFETY: `slice_many` filled both slots.
            let mut batch = out.map(|slot| unsafe { slot.assume_init() });
            let single = bytes.clone();
            let counter = Arc::clone(&released);
            let worker = thread::spawn(move || {
                assert_eq!(batch[1].as_slice(), b"ared");
                Bytes::drop_many(&mut batch);
                drop(single);
                assert!(counter.load(Ordering::SeqCst) <= 1);
            });
            assert_eq!(released.load(Ordering::SeqCst), 0, "released while `bytes` lives");
            drop(bytes);
            worker.join().unwrap();
            assert_eq!(released.load(Ordering::SeqCst), 1);
        });
    }

    /// The heap storage of a split buffer, halves frozen and dropped on two
    /// threads: the survivor sees itself unique once the other is gone, and
    /// may then reuse the block (what `reserve` and `try_into_mut` rely on).
    #[test]
    fn heap_halves_released_across_threads() {
        loom::model(|| {
            let mut buf = BytesMut::with_capacity(8).unwrap();
            buf.extend_from_slice(b"abcdefgh").unwrap();
            let front = buf.split_to(4).unwrap().freeze();
            let back = buf.freeze();
            let clone = back.clone();
            let worker = thread::spawn(move || {
                assert_eq!(front.as_slice(), b"abcd");
                drop(front);
                drop(clone);
            });
            worker.join().unwrap();
            assert!(back.is_unique());
            let reused = back.try_into_mut().unwrap();
            assert_eq!(reused.as_slice(), b"efgh");
        });
    }
}
