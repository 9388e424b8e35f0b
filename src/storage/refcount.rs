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
//! Overflow: the count saturates, as Linux's `refcount_t` does. Live
//! handles cannot outnumber the address space, but leaked ones (a C
//! program that copies a handle and never drops it) can: on a 32-bit
//! target, 2^32 `bytes_clone` calls without a drop take minutes. A count
//! that would exceed [`LIMIT`] (`isize::MAX`) is set to [`SATURATED`],
//! where it stays: increments and releases leave it there, the storage is
//! never freed (leaked), and every handle goes on working. Nothing aborts
//! (the crate `bytes` aborts there; libbytes never does). `SATURATED` lies
//! midway between `LIMIT` and wrapping to zero, so the increments and
//! releases of racing threads between one update and the store that
//! restores it (up to 2^30 on 32-bit) can neither wrap the count nor bring
//! it down to zero. Below the limit the count is exact. The check costs
//! one comparison after the atomic update (the update's old value is
//! returned by the same instruction).
//!
//! Built with `--cfg loom`, the count uses loom's atomics, and the tests at
//! the end of this file explore every interleaving of threads sharing and
//! releasing one storage (`scripts/loom.sh`).

#[cfg(loom)]
use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most references a count tracks exactly (`isize::MAX`).
pub(crate) const LIMIT: usize = isize::MAX as usize;

/// The value a count takes and keeps once it would exceed [`LIMIT`]:
/// three quarters of the range, as far from `LIMIT` as from wrapping.
pub(crate) const SATURATED: usize = usize::MAX - usize::MAX / 4;

/// An atomic reference count starting at one.
#[derive(Debug)]
pub(crate) struct RefCount(AtomicUsize);

impl RefCount {
    /// The count of a storage with its first handle.
    pub(crate) fn one() -> RefCount {
        RefCount(AtomicUsize::new(1))
    }

    /// Adds a reference for a new handle. The same limit as `add(1)`
    /// (the old count at [`LIMIT`] or above saturates; a count at
    /// `usize::MAX`, which saturation keeps out of reach, is the one value
    /// it leaves alone), tested as the sign of the new count: the compiler
    /// reads it from the flags of the atomic update itself (`lock inc` and
    /// one branch on x86-64, no compare or loaded constant).
    #[inline]
    pub(crate) fn increment(&self) {
        let old = self.0.fetch_add(1, Ordering::Relaxed);
        if (old.wrapping_add(1) as isize) < 0 {
            self.saturate();
        }
    }

    /// Adds `n` references at once, for a batch of new handles: one atomic
    /// update whatever `n` is. Past [`LIMIT`], the count saturates.
    #[inline]
    pub(crate) fn add(&self, n: usize) {
        let old = self.0.fetch_add(n, Ordering::Relaxed);
        if old > LIMIT.saturating_sub(n) {
            self.saturate();
        }
    }

    /// Sets the count to [`SATURATED`], for good: the storage is leaked.
    /// `Relaxed`: no handle's data is published by it, and a saturated
    /// count is never the last reference. Inline (one store), so that the
    /// paths using it save no register for a call.
    #[cold]
    #[inline(always)]
    fn saturate(&self) {
        self.0.store(SATURATED, Ordering::Relaxed);
    }

    /// Releases one reference; true when it was the last one, and the
    /// caller must then free the storage.
    ///
    /// As `release_many(1)` (which leaves a count of `LIMIT + 1` at
    /// `LIMIT`, where this saturates it), tested with one signed comparison of
    /// the old count that the compiler reads from the flags of the atomic
    /// update itself (`lock dec` and one branch on x86-64): at most 1 as
    /// a signed number is 1 (the last reference), 0 (over-released) or
    /// above [`LIMIT`] (saturated), which [`settle`](RefCount::settle)
    /// tells apart.
    #[must_use]
    #[inline]
    pub(crate) fn release(&self) -> bool {
        self.release_start() && self.settle()
    }

    /// The first half of [`release`](RefCount::release), for callers that
    /// keep the rest out of line: the atomic update, and true when
    /// [`settle`](RefCount::settle) must follow.
    #[must_use]
    #[inline(always)]
    pub(crate) fn release_start(&self) -> bool {
        let old = self.0.fetch_sub(1, Ordering::Release);
        (old as isize) <= 1
    }

    /// After a release that found the count at 1, 0 or above [`LIMIT`]:
    /// true when it was the last reference, and the caller must free the
    /// storage. The count is then 0 and stays so (no handle is left to
    /// change it), and this load is the last release's `Acquire` load.
    /// Any other count was saturated (2^62 updates away from 0) or
    /// over-released: it is saturated, and the storage leaked.
    #[inline]
    pub(crate) fn settle(&self) -> bool {
        if self.0.load(Ordering::Acquire) == 0 {
            return true;
        }
        self.saturate();
        false
    }

    /// Releases `n` references at once (a batch of dropped handles), with
    /// the orderings of a single release; true when they were the last
    /// ones, and the caller must then free the storage.
    ///
    /// A saturated count stays saturated and is never the last reference.
    /// (So does a count released more often than it was taken, which only
    /// a caller breaking the handle rules can do: the storage is leaked
    /// rather than freed twice.)
    #[must_use]
    #[inline]
    pub(crate) fn release_many(&self, n: usize) -> bool {
        let old = self.0.fetch_sub(n, Ordering::Release);
        if old == n {
            self.0.load(Ordering::Acquire);
            return true;
        }
        if old.wrapping_sub(n) > LIMIT {
            self.saturate();
        }
        false
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

    /// A count of `n`, as if `n - 1` more handles had been made (tests that
    /// cannot make 2^31 clones).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn starting_at(n: usize) -> RefCount {
        RefCount(AtomicUsize::new(n))
    }

    /// Sets the count to `n` (tests only, see [`RefCount::starting_at`]).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn force(&self, n: usize) {
        self.0.store(n, Ordering::Relaxed);
    }

    /// The current count (tests only).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Saturation, with the count forced near the limit: exact up to
/// [`LIMIT`], then [`SATURATED`] for good, and a saturated storage is
/// leaked while its handles keep working.
#[cfg(all(test, not(loom)))]
mod saturation_tests {
    use std::ffi::c_void;
    use std::mem::MaybeUninit;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{RefCount, LIMIT, SATURATED};
    use crate::storage::{owner, refcount, Kind};
    use crate::{ByteRange, Bytes};

    #[test]
    fn the_count_is_exact_up_to_the_limit_then_saturates() {
        let count = RefCount::starting_at(LIMIT - 1);
        count.increment();
        assert_eq!(count.get(), LIMIT, "the limit itself is still exact");
        assert!(!count.release());
        assert_eq!(count.get(), LIMIT - 1);
        count.increment();
        count.increment();
        assert_eq!(count.get(), SATURATED);
        for _ in 0..1000 {
            assert!(!count.release(), "a saturated count is never the last");
        }
        assert_eq!(count.get(), SATURATED, "releases leave it saturated");
        assert!(!count.release_many(1 << 20));
        count.add(7);
        count.increment();
        assert_eq!(count.get(), SATURATED);
        assert!(!count.is_unique());

        let batch = RefCount::starting_at(LIMIT - 2);
        batch.add(2);
        assert_eq!(batch.get(), LIMIT);
        batch.force(LIMIT - 2);
        batch.add(3);
        assert_eq!(batch.get(), SATURATED, "a batch crossing the limit saturates");

        // Far from the limit nothing changes: the last release is seen.
        let small = RefCount::one();
        small.add(2);
        assert!(!small.release_many(2));
        assert!(small.is_unique());
        assert!(small.release());
    }

    #[test]
    fn an_over_released_count_is_leaked_not_freed_twice() {
        let count = RefCount::starting_at(1);
        assert!(!count.release_many(2));
        assert_eq!(count.get(), SATURATED);
    }

    const TEXT: &[u8] = b"saturated storage";

    unsafe extern "C" fn count_release(owner: *mut c_void) {
        // SAFETY: the test passes a live `AtomicUsize`.
        unsafe { &*(owner as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
    }

    /// A storage whose count is forced to the limit, as if `LIMIT - 1`
    /// clones had been leaked: the next clones saturate it, every handle
    /// still reads the bytes, and dropping them all releases nothing.
    #[test]
    fn a_saturated_storage_is_leaked_and_its_handles_keep_working() {
        let released = AtomicUsize::new(0);
        let owner = &released as *const AtomicUsize as *mut c_void;
        // SAFETY: TEXT is static; `released` outlives every handle.
        let bytes = unsafe { owner::wrap(TEXT.as_ptr(), TEXT.len(), owner, count_release) }.unwrap();
        let data = bytes.storage_data();
        // SAFETY: `bytes` holds a reference to this owner storage.
        let count = unsafe { refcount(data) };
        count.force(LIMIT);

        let clone = bytes.clone();
        assert_eq!(count.get(), SATURATED);
        let ranges = [ByteRange { begin: 0, end: 9 }, ByteRange { begin: 10, end: 17 }];
        let mut out = [MaybeUninit::uninit(), MaybeUninit::uninit()];
        clone.slice_many(&ranges, &mut out).unwrap();
        // SAFETY: `slice_many` filled both slots.
        let mut batch = out.map(|slot| unsafe { slot.assume_init() });
        assert_eq!(batch[0].as_slice(), b"saturated");
        assert_eq!(batch[1].as_slice(), b"storage");
        let slice = bytes.slice(4..9).unwrap();
        drop(bytes);
        drop(clone);
        Bytes::drop_many(&mut batch);
        assert_eq!(slice.as_slice(), b"rated");
        drop(slice);
        assert_eq!(released.load(Ordering::SeqCst), 0, "leaked, not released");
        assert_eq!(count.get(), SATURATED);

        // The leaked header is intact: give it one reference back and drop
        // it, so the storage is released once (and Miri sees no leak).
        count.force(1);
        // SAFETY: the storage is alive (leaked) with one reference, which
        // this handle takes over.
        drop(unsafe { Bytes::from_parts(TEXT.as_ptr(), TEXT.len(), data, Kind::Owner.vtable()) });
        assert_eq!(released.load(Ordering::SeqCst), 1);
    }
}

/// Model checks with loom: every interleaving of 2-3 threads that share
/// one storage, clone, slice and drop, for the library's own heap storage
/// and for a counted storage whose release is observable. (There is no
/// promotion from a single owner to shared storage to check: headers are
/// allocated eagerly, see `storage::heap`.)
///
/// Saturation is tested without loom (`saturation_tests`): loom 0.7 lets a
/// read-modify-write skip a relaxed store of another thread that precedes
/// it in modification order, so it reports counts no C11 execution can
/// produce once `saturate`'s store races with updates.
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
