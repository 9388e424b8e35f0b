//! The interpreter: runs a program on the library through its C functions
//! and checks every call against the model.
//!
//! For each operation:
//! 1. the expected status is computed from the model as the set of
//!    statuses the header allows (more than one only when several errors
//!    apply at once, since the header does not rank them);
//! 2. the call is made, with out-parameters pre-filled with garbage;
//! 3. on error: every handle of the pool is byte-for-byte unchanged,
//!    out-parameters are all zero and no callback ran (rule 4);
//!    on success: the model is updated and the handles the call changed
//!    are checked (contents, length, exact pointer, capacity); every
//!    other handle is byte-for-byte unchanged;
//! 4. storage whose last handle went away is retired: a counting owner
//!    must have been released exactly then, once; the count of every
//!    vtable slot must equal the references the model says are held.
//!
//! At the end every handle is dropped, and every owner must have been
//! released exactly once and every slot's count be back at zero, with
//! `drops == clones + wraps`. Any mismatch panics (a crash for libFuzzer).

use std::ffi::{c_char, c_void, CStr};
use std::fmt::Display;
use std::ptr::{null, null_mut};

use bytes::ffi::bytes::*;
use bytes::ffi::bytes_mut::*;
use bytes::ffi::bytes_status::*;
use bytes::ffi::foreign::{bytes_from_fd, bytes_from_file, bytes_from_owner, bytes_from_vtable};
use bytes::ffi::status::{bytes_status_str, bytes_version};
use bytes::ffi::{bytes_mut_t, bytes_status_t, bytes_t, bytes_vtable_t};

mod batch;
mod io;

use crate::foreign::{self, VSLOTS};
use crate::model::{fits, original_capacity, BModel, Kind, MModel, Model, Plan, Sid, REAL_ALLOC_LIMIT};
use crate::program::*;
use crate::raw::*;
use crate::stats;

/// The static bytes of `bytes_from_static` and of NULL owners.
pub static STATIC_TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = (i as u8).wrapping_mul(37).wrapping_add(11);
        i += 1;
    }
    table
};

/// The statuses a call may return.
#[derive(Debug, Default, Clone, Copy)]
struct Expect {
    /// A bit per allowed error status.
    errs: u32,
    /// Success is allowed even though an error is too.
    ok_too: bool,
}

impl Expect {
    fn ok() -> Expect {
        Expect::default()
    }

    /// `status` is allowed when `cond` holds (and then success is not,
    /// unless [`Expect::or_ok`] says so).
    fn err_if(mut self, cond: bool, status: bytes_status_t) -> Expect {
        if cond {
            self.errs |= 1 << status as u32;
        }
        self
    }

    fn or_ok(mut self) -> Expect {
        self.ok_too = true;
        self
    }

    fn is_err(self) -> bool {
        self.errs != 0 && !self.ok_too
    }

    fn allows(self, status: bytes_status_t) -> bool {
        if status == BYTES_OK {
            self.errs == 0 || self.ok_too
        } else {
            self.errs & (1 << status as u32) != 0
        }
    }
}

/// Everything observable before an operation, to compare after it.
struct Snapshot {
    b: [Raw; SLOTS],
    m: [Raw; SLOTS],
    slots: [[usize; 4]; VSLOTS],
}

/// Where a `bytes_t` result goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// The out-parameter is NULL.
    Null,
    /// The out-parameter is the input handle itself.
    Alias(usize),
    /// A fresh out-parameter, then moved into this slot.
    Slot(usize),
}

fn dest(out: Out, input: Option<usize>) -> Dest {
    match out.slot() {
        None => Dest::Null,
        Some(j) if Some(j) == input => Dest::Alias(j),
        Some(j) => Dest::Slot(j),
    }
}

/// `base + i`, or NULL.
fn at<T>(base: *mut T, i: Option<usize>) -> *mut T {
    // SAFETY: `i < SLOTS`, inside the pool array `base` points at.
    i.map_or(null_mut(), |i| unsafe { base.add(i) })
}

/// The harness: the pool of handles, the model, and the checks.
pub struct Harness<'p> {
    b: [bytes_t; SLOTS],
    m: [bytes_mut_t; SLOTS],
    model: Model,
    program: &'p [Op],
    step: usize,
    touched_b: [bool; SLOTS],
    touched_m: [bool; SLOTS],
    /// An error was returned by the current operation.
    failed: bool,
    /// The vtable counters just before the library call of the current
    /// operation, when it differs from the snapshot before the operation.
    callbacks_before: Option<[[usize; 4]; VSLOTS]>,
    /// Storages neither released nor static.
    live: Vec<Sid>,
    /// Storages made by the current operation, to check for overlap.
    fresh: Vec<Sid>,
    /// Owners the current call must release at once (empty views).
    releases_now: Vec<Option<usize>>,
    owners_made: usize,
    owners_released: usize,
    next_owner: usize,
    /// The vtable word of the library's static kind, which empty views at
    /// a position have (learnt from a `bytes_from_static` handle).
    static_vtable: usize,
}

impl<'p> Harness<'p> {
    pub fn new(program: &'p [Op]) -> Harness<'p> {
        foreign::reset();
        // SAFETY: a static byte.
        let mut probe = unsafe { bytes_from_static(STATIC_TABLE.as_ptr(), 1) };
        let static_vtable = raw_b(&probe)[3];
        assert!(static_vtable != 0, "bytes_from_static gave an empty handle");
        // SAFETY: a handle of ours.
        unsafe { bytes_drop(&mut probe) };
        // SAFETY: `bytes_new` / `bytes_mut_new` have no preconditions.
        Harness {
            b: std::array::from_fn(|_| bytes_new()),
            m: std::array::from_fn(|_| bytes_mut_new()),
            model: Model::new(STATIC_TABLE.as_ptr() as usize, STATIC_TABLE.len()),
            program,
            step: 0,
            touched_b: [false; SLOTS],
            touched_m: [false; SLOTS],
            failed: false,
            callbacks_before: None,
            live: Vec::new(),
            fresh: Vec::new(),
            releases_now: Vec::new(),
            owners_made: 0,
            owners_released: 0,
            next_owner: 0,
            static_vtable,
        }
    }

    /// Runs the whole program, then drops everything and checks the
    /// balance of owners and vtables.
    pub fn run(mut self) {
        let program = self.program;
        for (step, op) in program.iter().enumerate() {
            self.step = step;
            let snapshot = self.snapshot();
            self.run_op(op);
            self.after_op(&snapshot);
            if step % 16 == 15 {
                self.check_all();
            }
        }
        self.step = self.program.len();
        self.finish();
    }

    // -----------------------------------------------------------------------
    // Reporting

    #[track_caller]
    fn fail(&self, what: impl Display) -> ! {
        let from = self.step.saturating_sub(40);
        let mut trace = String::new();
        for (i, op) in self.program.iter().enumerate().take(self.step + 1).skip(from) {
            trace += &format!("  #{i}: {op:?}\n");
        }
        panic!(
            "libbytes fuzz: mismatch at operation #{} of {}: {what}\nprogram (last operations):\n{trace}",
            self.step,
            self.program.len()
        );
    }

    #[track_caller]
    fn ensure(&self, cond: bool, what: impl FnOnce() -> String) {
        if !cond {
            self.fail(what());
        }
    }

    /// Checks `got` against `expect`; true on success.
    #[track_caller]
    fn status(&mut self, call: &str, got: bytes_status_t, expect: Expect) -> bool {
        crate::stats::record(call, got);
        if !expect.allows(got) {
            self.fail(format!("{call} returned {got:?}, expected {expect:?} (bit per status)"));
        }
        if got != BYTES_OK {
            self.failed = true;
        }
        got == BYTES_OK
    }

    /// An out-parameter after a failed call must be all zero.
    #[track_caller]
    fn out_empty_b(&self, call: &str, out: &bytes_t, dest: Dest) {
        if let Dest::Slot(_) = dest {
            self.ensure(raw_b(out) == ZERO, || {
                format!("{call} failed but its out-parameter is {:x?}", raw_b(out))
            });
        }
    }

    #[track_caller]
    fn out_empty_m(&self, call: &str, out: &bytes_mut_t, dest: Dest) {
        if let Dest::Slot(_) = dest {
            self.ensure(raw_m(out) == ZERO, || {
                format!("{call} failed but its out-parameter is {:x?}", raw_m(out))
            });
        }
    }

    // -----------------------------------------------------------------------
    // The pool

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            b: std::array::from_fn(|i| raw_b(&self.b[i])),
            m: std::array::from_fn(|i| raw_m(&self.m[i])),
            slots: std::array::from_fn(|s| foreign::SLOTS[s].counters()),
        }
    }

    fn blen(&self, i: Option<usize>) -> usize {
        i.map_or(0, |i| self.model.b[i].data.len())
    }

    fn mlen(&self, i: Option<usize>) -> usize {
        i.map_or(0, |i| self.model.m[i].data.len())
    }

    fn mcap(&self, i: Option<usize>) -> usize {
        i.map_or(0, |i| self.model.m[i].cap)
    }

    /// Stores `h` (modelled by `model`) in slot `j`, dropping the handle
    /// there first, as a C caller reusing a variable would.
    fn put_b(&mut self, j: usize, h: bytes_t, model: BModel) {
        // SAFETY: a handle of the pool.
        unsafe { bytes_drop(&mut self.b[j]) };
        self.ensure(raw_b(&self.b[j]) == ZERO, || "bytes_drop left a non-empty handle".into());
        self.b[j] = h;
        self.model.b[j] = model;
        self.touched_b[j] = true;
    }

    fn put_m(&mut self, j: usize, h: bytes_mut_t, model: MModel) {
        // SAFETY: a buffer of the pool.
        unsafe { bytes_mut_drop(&mut self.m[j]) };
        self.ensure(raw_m(&self.m[j]) == ZERO, || "bytes_mut_drop left a non-empty buffer".into());
        self.m[j] = h;
        self.model.m[j] = model;
        self.touched_m[j] = true;
    }

    /// Stores a successful result by its destination.
    fn deliver_b(&mut self, dest: Dest, temp: bytes_t, model: BModel) {
        match dest {
            Dest::Null => self.fail("a call with a NULL out-parameter succeeded"),
            Dest::Alias(j) => {
                self.model.b[j] = model;
                self.touched_b[j] = true;
            }
            Dest::Slot(j) => self.put_b(j, temp, model),
        }
    }

    fn deliver_m(&mut self, dest: Dest, temp: bytes_mut_t, model: MModel) {
        match dest {
            Dest::Null => self.fail("a call with a NULL out-parameter succeeded"),
            Dest::Alias(j) => {
                self.model.m[j] = model;
                self.touched_m[j] = true;
            }
            Dest::Slot(j) => self.put_m(j, temp, model),
        }
    }

    fn set_b(&mut self, i: usize, model: BModel) {
        self.model.b[i] = model;
        self.touched_b[i] = true;
    }

    fn set_m(&mut self, i: usize, model: MModel) {
        self.model.m[i] = model;
        self.touched_m[i] = true;
    }

    /// A new storage of the library's own (heap block or mapping), whose
    /// address is learnt from the handle `raw_ptr` points into.
    fn new_storage(&mut self, kind: Kind, base: usize, extent: usize) -> Sid {
        let sid = self.model.add(kind, base, extent);
        self.live.push(sid);
        self.fresh.push(sid);
        sid
    }

    /// A new storage the harness made (its address is known).
    fn new_foreign(&mut self, kind: Kind, base: usize, extent: usize) -> Sid {
        let sid = self.model.add(kind, base, extent);
        self.live.push(sid);
        sid
    }

    // -----------------------------------------------------------------------
    // Checks

    /// Checks `b[i]` against its model.
    fn check_b(&mut self, i: usize) {
        let raw = raw_b(&self.b[i]);
        let model = &self.model.b[i];
        match model.at {
            None => {
                // All zero, or an empty view at its position holding no
                // reference: the static kind with no bytes (rule 9).
                let want = model.pos.map_or(ZERO, |pos| [pos, 0, 0, self.static_vtable]);
                self.ensure(raw == want && model.data.is_empty(), || {
                    format!("b[{i}] should be {want:x?} (empty, no reference), is {raw:x?}")
                })
            }
            Some(at) => {
                let ptr = self.model.addr(at);
                self.ensure(raw[1] == model.data.len(), || {
                    format!("b[{i}]: length {} instead of {}", raw[1], model.data.len())
                });
                self.ensure(raw[0] == ptr, || {
                    format!("b[{i}]: pointer {:#x} instead of {ptr:#x} ({at:?})", raw[0])
                });
                self.ensure(raw[3] != 0, || format!("b[{i}] has no vtable: {raw:x?}"));
                let is_static = at.0 == self.model.static_sid;
                self.ensure(is_static == (raw[3] == self.static_vtable), || {
                    format!("b[{i}]: vtable {:#x}, static {is_static} ({at:?})", raw[3])
                });
                // SAFETY: a live handle of the pool.
                let view = unsafe { bytes_view(&self.b[i]) };
                self.ensure(view == model.data.as_slice(), || {
                    format!("b[{i}] holds {:?}, expected {:?}", short(view), short(&model.data))
                });
            }
        }
    }

    /// Checks `m[i]` against its model.
    fn check_m(&mut self, i: usize) {
        let raw = raw_m(&self.m[i]);
        let model = &self.model.m[i];
        match model.at {
            None => self.ensure(raw == ZERO && model.data.is_empty() && model.cap == 0, || {
                format!("m[{i}] should be all zero (no storage), is {raw:x?}")
            }),
            Some(at) => {
                let ptr = self.model.addr(at);
                self.ensure(raw[0] == ptr && raw[1] == model.data.len() && raw[2] == model.cap, || {
                    format!(
                        "m[{i}]: (ptr, len, cap) = ({:#x}, {}, {}) instead of ({ptr:#x}, {}, {}) ({at:?})",
                        raw[0],
                        raw[1],
                        raw[2],
                        model.data.len(),
                        model.cap
                    )
                });
                self.ensure(raw[3] != 0, || format!("m[{i}] has no block: {raw:x?}"));
                // SAFETY: a live buffer of the pool.
                let view = unsafe { mut_view(&self.m[i]) };
                self.ensure(view == model.data.as_slice(), || {
                    format!("m[{i}] holds {:?}, expected {:?}", short(view), short(&model.data))
                });
            }
        }
    }

    fn check_all(&mut self) {
        for i in 0..SLOTS {
            self.check_b(i);
            self.check_m(i);
        }
    }

    /// The checks after every operation (see the module comment).
    fn after_op(&mut self, before: &Snapshot) {
        for i in 0..SLOTS {
            if std::mem::take(&mut self.touched_b[i]) {
                self.check_b(i);
            } else {
                self.ensure(raw_b(&self.b[i]) == before.b[i], || {
                    format!("b[{i}] changed though the call did not concern it (or failed)")
                });
            }
            if std::mem::take(&mut self.touched_m[i]) {
                self.check_m(i);
            } else {
                self.ensure(raw_m(&self.m[i]) == before.m[i], || {
                    format!("m[{i}] changed though the call did not concern it (or failed)")
                });
            }
        }

        // Retire storage whose last handle is gone.
        let mut released = std::mem::take(&mut self.releases_now);
        let mut still = Vec::with_capacity(self.live.len());
        for &sid in &self.live {
            if self.model.holders(sid) > 0 {
                still.push(sid);
                continue;
            }
            self.model.storages[sid].live = false;
            if let Kind::Owner { id, .. } = self.model.kind(sid) {
                released.push(id);
            }
        }
        self.live = still;

        // Owners: released exactly when their last handle went.
        let (mut ids, nulls) = foreign::take_releases();
        let mut expected_ids: Vec<usize> = released.iter().flatten().copied().collect();
        let expected_nulls = released.iter().filter(|id| id.is_none()).count();
        ids.sort_unstable();
        expected_ids.sort_unstable();
        self.ensure(ids == expected_ids && nulls == expected_nulls, || {
            format!(
                "owners released: {ids:?} and {nulls} NULL owners; expected {expected_ids:?} and {expected_nulls}"
            )
        });
        self.owners_released += ids.len() + nulls;

        // Vtable slots: the count is the references the handles hold.
        for s in 0..VSLOTS {
            let [count, _, clones, drops] = foreign::SLOTS[s].counters();
            let refs = self.model.slot_refs(s);
            self.ensure(count == refs, || {
                format!("vtable slot {s}: count {count}, but the handles hold {refs} references")
            });
            if self.failed {
                let [_, _, c0, d0] = self.callbacks_before.unwrap_or(before.slots)[s];
                self.ensure(clones == c0 && drops == d0, || {
                    format!("a failed call ran vtable callbacks on slot {s}")
                });
            }
        }
        let anomalies = foreign::take_anomalies();
        self.ensure(anomalies.is_empty(), || format!("callbacks saw: {anomalies:?}"));

        // New storage of the library must not overlap storage in use.
        for sid in std::mem::take(&mut self.fresh) {
            let new = &self.model.storages[sid];
            if !new.live {
                continue;
            }
            let (start, end) = (new.base, new.base + new.extent.max(1));
            for &other in &self.live {
                let o = &self.model.storages[other];
                if other == sid || matches!(o.kind, Kind::Static) {
                    continue;
                }
                let (os, oe) = (o.base, o.base + o.extent.max(1));
                self.ensure(end <= os || oe <= start, || {
                    format!("new storage {new:?} overlaps storage in use {o:?}")
                });
            }
        }
        self.failed = false;
        self.callbacks_before = None;
    }

    /// Marks the vtable counters as they are now as the ones a failing
    /// library call must leave unchanged: for an operation that drops
    /// handles itself before its call.
    fn callbacks_baseline(&mut self) {
        self.callbacks_before = Some(std::array::from_fn(|s| foreign::SLOTS[s].counters()));
    }

    /// Drops everything and checks that all storage was released.
    fn finish(&mut self) {
        self.check_all();
        let snapshot = self.snapshot();
        for i in 0..SLOTS {
            // SAFETY: handles of the pool.
            unsafe {
                bytes_drop(&mut self.b[i]);
                bytes_mut_drop(&mut self.m[i]);
            }
            self.set_b(i, BModel::default());
            self.set_m(i, MModel::default());
        }
        self.after_op(&snapshot);
        self.ensure(self.live.is_empty(), || format!("storage still live: {:?}", self.live));
        self.ensure(self.owners_released == self.owners_made, || {
            format!("{} owners made, {} released", self.owners_made, self.owners_released)
        });
        for (s, slot) in foreign::SLOTS.iter().enumerate() {
            let [count, wraps, clones, drops] = slot.counters();
            self.ensure(count == 0 && drops == clones + wraps, || {
                format!("vtable slot {s}: count {count}, {wraps} wraps, {clones} clones, {drops} drops")
            });
        }
    }

    // -----------------------------------------------------------------------
    // The operations

    fn run_op(&mut self, op: &Op) {
        match op {
            Op::New { dst } => {
                let h = bytes_new();
                self.ensure(raw_b(&h) == ZERO, || "bytes_new is not all zero".into());
                self.put_b(dst.index(), h, BModel::default());
            }
            Op::FromStatic { dst, off, len, how } => self.new_static(dst.index(), *off, *len, *how),
            Op::CopyFrom { dst, data, how } => self.copy_from(*dst, data, *how),
            Op::FromMalloc { dst, data, how } => self.adopt_malloc(*dst, data, *how),
            Op::FromOwner { dst, data, how, null_owner, null_release } => {
                self.wrap_owner(*dst, data, *how, null_owner.get(), null_release.get())
            }
            Op::FromVtable { dst, slot, begin, len, fill, vt, how } => {
                self.wrap_vtable(*dst, *slot as usize % VSLOTS, *begin, *len, fill, *vt, *how)
            }
            Op::FromFile { dst, path } => self.map_file(*dst, *path),
            Op::FromFd { dst, fd, offset, len } => self.map_fd(*dst, *fd, *offset, *len),
            Op::Clone { src, dst } => self.clone(src.slot(), dst.index()),
            Op::Slice { b, begin, end, out } => self.slice(b.slot(), *begin, *end, *out),
            Op::SliceRef { b, sub, sub_len, out } => self.slice_ref(b.slot(), *sub, *sub_len, *out),
            Op::SplitTo { b, at, out } => self.split(b.slot(), *at, *out, true),
            Op::SplitOff { b, at, out } => self.split(b.slot(), *at, *out, false),
            Op::Advance { b, n } => self.advance(b.slot(), *n),
            Op::Truncate { b, len } => self.truncate(b.slot(), *len),
            Op::Clear { b } | Op::Drop { b } => {
                let i = b.slot();
                let base = self.b.as_mut_ptr();
                // SAFETY: a handle of the pool, or NULL (a no-op).
                unsafe {
                    if matches!(op, Op::Clear { .. }) {
                        bytes_clear(at(base, i))
                    } else {
                        bytes_drop(at(base, i))
                    }
                }
                if let Some(i) = i {
                    self.set_b(i, BModel::default());
                }
            }
            Op::IsUnique { b } => self.is_unique(b.slot()),
            Op::Compact { b } => self.compact(b.slot()),
            Op::Eq { a, b } | Op::Cmp { a, b } => {
                self.compare(a.slot(), b.slot(), matches!(op, Op::Eq { .. }))
            }
            Op::Get { b, int, null_out } => self.get(b.slot(), *int, null_out.get()),
            Op::TryIntoMut { b, out } => self.to_mut(b.slot(), *out, true),
            Op::IntoMut { b, out } => self.to_mut(b.slot(), *out, false),

            Op::MutNew { dst } => {
                let h = bytes_mut_new();
                self.ensure(raw_m(&h) == ZERO, || "bytes_mut_new is not all zero".into());
                self.put_m(dst.index(), h, MModel::default());
            }
            Op::WithCapacity { size, out } => self.with_capacity(size.resolve(), *out, false),
            Op::Zeroed { size, out } => self.with_capacity(size.resolve(), *out, true),
            Op::Reserve { m, add } => self.reserve(m.slot(), *add, false),
            Op::TryReclaim { m, add } => self.reserve(m.slot(), *add, true),
            Op::Extend { m, src } => self.extend(m.slot(), src),
            Op::SpareCommit { m, write, n, fill, null_len } => {
                self.spare_commit(m.slot(), *write, *n, *fill, null_len.get())
            }
            Op::Scribble { m, fill } => self.scribble(m.index(), *fill),
            Op::MutSplitTo { m, at, out } => self.mut_split(m.slot(), *at, *out, true),
            Op::MutSplitOff { m, at, out } => self.mut_split(m.slot(), *at, *out, false),
            Op::MutSplit { m, dst } => self.mut_split_all(m.slot(), dst.index()),
            Op::Unsplit { m, other } => self.unsplit(m.slot(), other.slot()),
            Op::Rejoin { m, at, out, to } => {
                let (i, j) = (m.index(), out.index());
                self.mut_split(Some(i), *at, Arg(j as u8), *to);
                if !self.failed {
                    let (front, back) = if *to { (j, i) } else { (i, j) };
                    self.unsplit(Some(front), Some(back));
                }
            }
            Op::MutAdvance { m, n } => self.mut_advance(m.slot(), *n),
            Op::MutTruncate { m, len } => {
                let i = m.slot();
                let len = len.resolve(self.mlen(i));
                let base = self.m.as_mut_ptr();
                // SAFETY: a buffer of the pool, or NULL (a no-op).
                unsafe { bytes_mut_truncate(at(base, i), len) };
                if let Some(i) = i {
                    let mut model = self.model.m[i].clone();
                    model.data.truncate(len);
                    self.set_m(i, model);
                }
            }
            Op::MutClear { m } => {
                let i = m.slot();
                let base = self.m.as_mut_ptr();
                // SAFETY: a buffer of the pool, or NULL (a no-op).
                unsafe { bytes_mut_clear(at(base, i)) };
                if let Some(i) = i {
                    let mut model = self.model.m[i].clone();
                    model.data.clear();
                    self.set_m(i, model);
                }
            }
            Op::Resize { m, new_len, fill } => self.resize(m.slot(), *new_len, *fill),
            Op::Put { m, int, value } => self.put(m.slot(), *int, *value),
            Op::PutBytes { m, value, count } => self.put_bytes(m.slot(), *value, count.resolve()),
            Op::Freeze { m, dst } => self.freeze(m.slot(), dst.index()),
            Op::SliceMany { b, ranges, out, null_ranges, huge_n } => {
                self.slice_many(b.slot(), ranges, *out, null_ranges.get(), huge_n.get())
            }
            Op::DropMany { first, n, null } => self.drop_many(first.index(), *n, null.get()),
            Op::FillIovec { first, n, cap, null_bufs, null_iov } => {
                self.fill_iovec(first.index(), *n, *cap, null_bufs.get(), null_iov.get())
            }
            Op::WritevFd { first, n, prefill, bad_fd, null_bufs, null_written } => {
                self.writev(first.index(), *n, *prefill, bad_fd.get(), null_bufs.get(), null_written.get())
            }
            Op::ReadFd { m, src, max, null_nread } => self.read_fd(m.slot(), src, *max, null_nread.get()),
            Op::Describe { status } => self.describe(*status),
            Op::Nop => {}
            Op::MutDrop { m } => {
                let i = m.slot();
                let base = self.m.as_mut_ptr();
                // SAFETY: a buffer of the pool, or NULL (a no-op).
                unsafe { bytes_mut_drop(at(base, i)) };
                if let Some(i) = i {
                    self.set_m(i, MModel::default());
                }
            }
        }
    }

    // --- bytes_t constructors ---------------------------------------------

    /// `(ptr, len)` for a constructor, from bytes at `data` (`n` of them).
    fn ptr_len(how: PtrLen, data: *const u8, n: usize, wraps: bool) -> (*const u8, usize) {
        match how {
            PtrLen::Data | PtrLen::Data2 | PtrLen::Data3 => (data, n),
            PtrLen::NullZero => (null(), 0),
            PtrLen::NullLen(size) => (null(), size.resolve().max(1)),
            // A function that wraps memory without allocating may only be
            // given a length it rejects (over PTRDIFF_MAX); the others
            // reject any huge size before reading.
            PtrLen::HugeLen(h) if wraps => (data, h.over_ptrdiff()),
            PtrLen::HugeLen(h) => (data, h.get()),
        }
    }

    fn new_static(&mut self, dst: usize, off: u8, len: u8, how: PtrLen) {
        let off = off as usize;
        let n = len as usize % (STATIC_TABLE.len() - off + 1);
        // SAFETY: `off <= 255`, inside the table.
        let start = unsafe { STATIC_TABLE.as_ptr().add(off) };
        let (ptr, len) = Self::ptr_len(how, start, n, true);
        // SAFETY: `ptr[..len]` is static, or NULL, or rejected (huge).
        let h = unsafe { bytes_from_static(ptr, len) };
        let model = if !ptr.is_null() && len > 0 && len <= isize::MAX as usize {
            let sid = self.model.static_sid;
            BModel::view(STATIC_TABLE[off..off + len].to_vec(), Some((sid, off)))
        } else {
            // (NULL, n), empty slices and huge lengths give the all-zero
            // handle.
            BModel::default()
        };
        self.put_b(dst, h, model);
    }

    fn copy_from(&mut self, dst: Out, data: &[u8], how: PtrLen) {
        let dest = dest(dst, None);
        let (ptr, len) = Self::ptr_len(how, data.as_ptr(), data.len(), false);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(!ptr.is_null() && !fits(len), BYTES_ERR_NOMEM);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: `ptr[..len]` readable or NULL or rejected as too large.
        let status = unsafe { bytes_copy_from(ptr, len, out_ptr) };
        if !self.status("bytes_copy_from", status, expect) {
            return self.out_empty_b("bytes_copy_from", &out, dest);
        }
        let model = if len == 0 {
            BModel::default()
        } else {
            let base = raw_b(&out)[0];
            let kind = Kind::Heap { cap: len, original: original_capacity(len) };
            let sid = self.new_storage(kind, base, len);
            BModel::view(data.to_vec(), Some((sid, 0)))
        };
        self.deliver_b(dest, out, model);
    }

    fn adopt_malloc(&mut self, dst: Out, data: &[u8], how: PtrLen) {
        let dest = dest(dst, None);
        // SAFETY: malloc of a non-zero size, checked; filled below.
        let block = unsafe { libc::malloc(data.len().max(1)) } as *mut u8;
        assert!(!block.is_null(), "malloc failed");
        // SAFETY: the block holds `data.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), block, data.len()) };
        let (ptr, len) = Self::ptr_len(how, block, data.len(), true);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(len > isize::MAX as usize, BYTES_ERR_NOMEM);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: a malloc block of `len` bytes, NULL, or a rejected length.
        let status = unsafe { bytes_from_malloc(ptr as *mut c_void, len, out_ptr) };
        let ok = self.status("bytes_from_malloc", status, expect);
        if !ok || ptr.is_null() {
            // The block stays ours (the library frees only what it adopts).
            // SAFETY: our malloc block, not adopted.
            unsafe { libc::free(block as *mut c_void) };
        }
        if !ok {
            return self.out_empty_b("bytes_from_malloc", &out, dest);
        }
        // An adopted empty block is freed at once (LeakSanitizer checks).
        let model = if len == 0 {
            BModel::default()
        } else {
            let sid = self.new_foreign(Kind::Malloc { len }, block as usize, len);
            BModel::view(data.to_vec(), Some((sid, 0)))
        };
        self.deliver_b(dest, out, model);
    }

    fn wrap_owner(&mut self, dst: Out, data: &[u8], how: PtrLen, null_owner: bool, null_release: bool) {
        let dest = dest(dst, None);
        let id = self.next_owner;
        self.next_owner += 1;
        type Release = unsafe extern "C" fn(*mut c_void);
        let (owner, bytes, n, release): (*mut foreign::OwnerRecord, *const u8, usize, Release) = if null_owner
        {
            let n = data.len().min(STATIC_TABLE.len());
            (null_mut(), STATIC_TABLE.as_ptr(), n, foreign::null_owner_release)
        } else {
            let (owner, bytes) = foreign::new_owner(id, data);
            (owner, bytes, data.len(), foreign::owner_release)
        };
        let release = (!null_release).then_some(release);
        let (ptr, len) = Self::ptr_len(how, bytes, n, true);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || null_release || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(len > isize::MAX as usize, BYTES_ERR_NOMEM);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: the owner keeps `ptr[..len]` until released (or NULL, or
        // a rejected length).
        let status = unsafe { bytes_from_owner(ptr, len, owner as *mut c_void, release, out_ptr) };
        if !self.status("bytes_from_owner", status, expect) {
            if !owner.is_null() {
                // SAFETY: not taken by the library on error.
                unsafe { foreign::free_owner(owner) };
            }
            return self.out_empty_b("bytes_from_owner", &out, dest);
        }
        self.owners_made += 1;
        let owner_id = (!null_owner).then_some(id);
        let model = if len == 0 {
            // Released at once.
            self.releases_now.push(owner_id);
            BModel::default()
        } else {
            let kind = Kind::Owner { id: owner_id, len };
            let sid = self.new_foreign(kind, ptr as usize, len);
            // SAFETY: `len` bytes at `ptr` (ours).
            let contents = unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec();
            BModel::view(contents, Some((sid, 0)))
        };
        self.deliver_b(dest, out, model);
    }

    #[allow(clippy::too_many_arguments)]
    fn wrap_vtable(
        &mut self,
        dst: Out,
        slot: usize,
        begin: u8,
        len: u8,
        fill: &[u8],
        vt: VtKind,
        how: PtrLen,
    ) {
        let dest = dest(dst, None);
        let (token, buf, buf_len) = foreign::acquire(slot, fill);
        let begin = begin as usize % (buf_len + 1);
        let n = len as usize % (buf_len - begin + 1);
        // SAFETY: `begin <= buf_len`, inside the slot's bytes.
        let (ptr, len) = Self::ptr_len(how, unsafe { buf.add(begin) }, n, true);
        let (vtable, unique_fn): (*const bytes_vtable_t, bool) = match vt {
            VtKind::Full | VtKind::Full2 => (&foreign::VT_FULL, true),
            VtKind::NoUnique => (&foreign::VT_NO_UNIQUE, false),
            VtKind::Newer => (&foreign::VT_NEWER.v1, true),
            VtKind::Short => (&foreign::VT_SHORT, true),
            VtKind::NoClone => (&foreign::VT_NO_CLONE, true),
            VtKind::NoDrop => (&foreign::VT_NO_DROP, true),
            VtKind::Null => (null(), true),
        };
        let invalid = matches!(vt, VtKind::Short | VtKind::NoClone | VtKind::NoDrop | VtKind::Null);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(invalid, BYTES_ERR_INVALID)
            .err_if(len > isize::MAX as usize, BYTES_ERR_NOMEM);
        let before = foreign::SLOTS[slot].counters();
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: the slot keeps its bytes while referenced; the vtables
        // are static.
        let status = unsafe { bytes_from_vtable(ptr, len, token as *mut c_void, vtable, out_ptr) };
        if !self.status("bytes_from_vtable", status, expect) {
            let after = foreign::SLOTS[slot].counters();
            self.ensure(after == before, || "a failed bytes_from_vtable ran a callback".into());
            // SAFETY: the library did not take the reference.
            unsafe { foreign::give_back(token) };
            return self.out_empty_b("bytes_from_vtable", &out, dest);
        }
        foreign::SLOTS[slot].wraps.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let model = if len == 0 {
            // The reference is dropped at once: the slot check sees it.
            BModel::default()
        } else {
            let sid = self.new_foreign(Kind::Vtable { slot, unique_fn }, buf as usize, buf_len);
            // SAFETY: inside the slot's bytes.
            let contents = unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec();
            BModel::view(contents, Some((sid, begin)))
        };
        self.deliver_b(dest, out, model);
    }

    fn map_file(&mut self, dst: Out, path: PathKind) {
        let dest = dest(dst, None);
        let file = foreign::temp_file();
        let (path_ptr, errno): (*const c_char, i32) = match path {
            PathKind::TempFile | PathKind::TempFile2 => (file.path.as_ptr(), 0),
            PathKind::Dir => (c"/".as_ptr(), libc::EISDIR),
            PathKind::Missing => (c"/nonexistent-libbytes-fuzz/file".as_ptr(), libc::ENOENT),
            PathKind::Null => (null(), 0),
        };
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || path_ptr.is_null(), BYTES_ERR_NULL)
            .err_if(errno != 0, BYTES_ERR_IO);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: a NUL-terminated path or NULL.
        let status = unsafe { bytes_from_file(path_ptr, out_ptr) };
        let got_errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if !self.status("bytes_from_file", status, expect) {
            if status == BYTES_ERR_IO {
                self.ensure(got_errno == errno, || format!("errno {got_errno}, expected {errno}"));
            }
            return self.out_empty_b("bytes_from_file", &out, dest);
        }
        let len = file.bytes.len();
        let base = raw_b(&out)[0];
        let sid = self.new_storage(Kind::Mapped { len }, base, len);
        self.deliver_b(dest, out, BModel::view(file.bytes.clone(), Some((sid, 0))));
    }

    fn map_fd(&mut self, dst: Out, fd: FdKind, offset: FileOffset, len: Idx) {
        let dest = dest(dst, None);
        let file = foreign::temp_file();
        let size = file.bytes.len();
        let (fd, errno) = match fd {
            FdKind::TempFile | FdKind::TempFile2 => (file.fd, 0),
            FdKind::Bad => (-1, libc::EBADF),
            FdKind::Dir => (file.dir_fd, libc::EISDIR),
        };
        let offset = match offset {
            FileOffset::Small(x) => x as u64 % (size as u64 + 2),
            FileOffset::PageMinus(k) => 4096u64.saturating_sub(k as u64),
            FileOffset::Huge(x) => x,
        };
        let len = len.resolve(size.saturating_sub(offset.min(size as u64) as usize));
        let in_file = offset.checked_add(len as u64).is_some_and(|end| end <= size as u64);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(errno != 0, BYTES_ERR_IO)
            .err_if(errno == 0 && !in_file, BYTES_ERR_RANGE);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr: *mut bytes_t = if dest == Dest::Null { null_mut() } else { &mut out };
        // SAFETY: `out` is writable or NULL.
        let status = unsafe { bytes_from_fd(fd, offset, len, out_ptr) };
        let got_errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if !self.status("bytes_from_fd", status, expect) {
            if status == BYTES_ERR_IO {
                self.ensure(got_errno == errno, || format!("errno {got_errno}, expected {errno}"));
            }
            return self.out_empty_b("bytes_from_fd", &out, dest);
        }
        let model = if len == 0 {
            BModel::default()
        } else {
            let base = raw_b(&out)[0];
            let sid = self.new_storage(Kind::Mapped { len }, base, len);
            let o = offset as usize;
            BModel::view(file.bytes[o..o + len].to_vec(), Some((sid, 0)))
        };
        self.deliver_b(dest, out, model);
    }

    // --- bytes_t operations ---------------------------------------------------

    fn clone(&mut self, src: Option<usize>, dst: usize) {
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool, or NULL.
        let h = unsafe { bytes_clone(at(base, src)) };
        // The same view, also for an empty one (at its position, or with
        // its reference).
        let model = src.map_or_else(BModel::default, |i| self.model.b[i].clone());
        self.put_b(dst, h, model);
    }

    fn slice(&mut self, bi: Option<usize>, begin: Idx, end: Idx, out: Out) {
        let len = self.blen(bi);
        let (begin, end) = (begin.resolve(len), end.resolve(len));
        let dest = dest(out, bi);
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(bi.is_some() && (begin > end || end > len), BYTES_ERR_RANGE);
        let mut temp = b_from_raw(GARBAGE);
        let base = self.b.as_mut_ptr();
        let out_ptr = match dest {
            Dest::Null => null_mut(),
            Dest::Alias(j) => at(base, Some(j)),
            Dest::Slot(_) => &mut temp,
        };
        // SAFETY: handles of the pool or NULL; aliasing is allowed.
        let status = unsafe { bytes_slice(at(base, bi), begin, end, out_ptr) };
        if !self.status("bytes_slice", status, expect) {
            return self.out_empty_b("bytes_slice", &temp, dest);
        }
        // An empty range gives an empty view at `begin` that holds no
        // reference (rule 9).
        let model = self.model.sub(&self.model.b[bi.unwrap()], begin, end);
        self.deliver_b(dest, temp, model);
    }

    fn slice_ref(&mut self, bi: Option<usize>, sub: Sub, sub_len: Idx, out: Out) {
        let len = self.blen(bi);
        let view = bi.map_or(null(), |i| bytes_ptr(&self.b[i])) as usize;
        let other = |slot: Slot, x: u16| {
            let o = &self.b[slot.index()];
            bytes_ptr(o) as usize + x as usize % (bytes_len(o) + 1)
        };
        let sub_addr: usize = match sub {
            Sub::Inside(x) | Sub::Inside2(x) => view + x as usize % (len + 1),
            Sub::Before(k) => view.wrapping_sub(k as usize + 1),
            Sub::Other(slot, x) => other(slot, x),
            Sub::Wild(x) => x as usize,
            Sub::Null => 0,
        };
        let rel = sub_addr.wrapping_sub(view);
        let room = if rel <= len { len - rel } else { len };
        let sub_len = sub_len.resolve(room);
        let dest = dest(out, bi);

        // The header's rules, in terms of addresses only: (NULL, 0) gives
        // the all-zero handle; an empty sub at the position of an empty `b`
        // (its pointer field), or anywhere from the start to the end of a
        // non-empty one, an empty view there (rule 9); any other empty sub
        // of an empty `b` the all-zero handle.
        let field = bi.map_or(0, |i| raw_b(&self.b[i])[0]);
        let mut range_err = false;
        // On success: `[r, r + sub_len)` of `b`, or (`None`) the all-zero
        // handle.
        let mut from = None;
        if sub_addr == 0 {
            // (NULL, 0): the all-zero handle; (NULL, n): BYTES_ERR_NULL.
        } else if len == 0 {
            range_err = sub_len != 0;
            from = (sub_addr == field).then_some(0);
        } else {
            // Non-empty `b`: its pointer field is the view's start.
            match rel.checked_add(sub_len) {
                Some(end) if sub_addr >= view && end <= len => from = Some(rel),
                _ => range_err = true,
            }
        }
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null || (sub_addr == 0 && sub_len > 0), BYTES_ERR_NULL)
            .err_if(bi.is_some() && sub_addr != 0 && range_err, BYTES_ERR_RANGE);
        let mut temp = b_from_raw(GARBAGE);
        let base = self.b.as_mut_ptr();
        let out_ptr = match dest {
            Dest::Null => null_mut(),
            Dest::Alias(j) => at(base, Some(j)),
            Dest::Slot(_) => &mut temp,
        };
        // SAFETY: handles of the pool or NULL; `sub` is only compared.
        let status = unsafe { bytes_slice_ref(at(base, bi), sub_addr as *const u8, sub_len, out_ptr) };
        if !self.status("bytes_slice_ref", status, expect) {
            return self.out_empty_b("bytes_slice_ref", &temp, dest);
        }
        let model = match from {
            Some(r) => self.model.sub(&self.model.b[bi.unwrap()], r, r + sub_len),
            None => BModel::default(),
        };
        self.deliver_b(dest, temp, model);
    }

    fn split(&mut self, bi: Option<usize>, at_idx: Idx, out: Out, to: bool) {
        let call = if to { "bytes_split_to" } else { "bytes_split_off" };
        let len = self.blen(bi);
        let n = at_idx.resolve(len);
        let dest = dest(out, bi);
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(matches!(dest, Dest::Alias(_)), BYTES_ERR_INVALID)
            .err_if(bi.is_some() && n > len, BYTES_ERR_RANGE);
        let mut temp = b_from_raw(GARBAGE);
        let base = self.b.as_mut_ptr();
        let out_ptr = match dest {
            Dest::Null => null_mut(),
            Dest::Alias(j) => at(base, Some(j)),
            Dest::Slot(_) => &mut temp,
        };
        // SAFETY: handles of the pool or NULL.
        let status = unsafe {
            if to {
                bytes_split_to(at(base, bi), n, out_ptr)
            } else {
                bytes_split_off(at(base, bi), n, out_ptr)
            }
        };
        if !self.status(call, status, expect) {
            return self.out_empty_b(call, &temp, dest);
        }
        let i = bi.unwrap();
        let src = self.model.b[i].clone();
        // The part that is the whole view is the handle itself (moved, also
        // when empty); an empty part is an empty view at its position that
        // holds no reference (rule 9).
        let at_end = BModel::empty_at(self.model.ptr_field(&src).wrapping_add(len));
        let at_start = BModel::empty_at(self.model.ptr_field(&src));
        let (front, back) = if to && n == len {
            (src, at_end)
        } else if !to && n == 0 {
            (at_start, src)
        } else {
            (self.model.sub(&src, 0, n), self.model.sub(&src, n, len))
        };
        let (kept, given) = if to { (back, front) } else { (front, back) };
        self.set_b(i, kept);
        self.deliver_b(dest, temp, given);
    }

    fn advance(&mut self, bi: Option<usize>, n: Idx) {
        let len = self.blen(bi);
        let n = n.resolve(len);
        let expect = Expect::ok()
            .err_if(bi.is_none(), BYTES_ERR_NULL)
            .err_if(bi.is_some() && n > len, BYTES_ERR_RANGE);
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool or NULL.
        let status = unsafe { bytes_advance(at(base, bi), n) };
        if self.status("bytes_advance", status, expect) {
            let i = bi.unwrap();
            let model = self.model.advanced(&self.model.b[i], n);
            self.set_b(i, model);
        }
    }

    fn truncate(&mut self, bi: Option<usize>, len: Idx) {
        let len = len.resolve(self.blen(bi));
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool or NULL (a no-op).
        unsafe { bytes_truncate(at(base, bi), len) };
        if let Some(i) = bi {
            if len < self.model.b[i].data.len() {
                // Shorter, with its reference (also when emptied).
                let mut model = self.model.b[i].clone();
                model.data.truncate(len);
                self.set_b(i, model);
            }
        }
    }

    fn is_unique(&mut self, bi: Option<usize>) {
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool or NULL.
        let got = unsafe { bytes_is_unique(at(base, bi)) };
        let Some(i) = bi else {
            return self.ensure(!got, || "bytes_is_unique(NULL) is true".into());
        };
        // Also for an empty view that still holds its storage; false for
        // one without a reference.
        let expected = self.model.is_unique(self.model.b[i].at);
        self.ensure(got == expected, || format!("bytes_is_unique(b[{i}]) is {got}, expected {expected}"));
    }

    fn compact(&mut self, bi: Option<usize>) {
        let expect = Expect::ok().err_if(bi.is_none(), BYTES_ERR_NULL);
        let base = self.b.as_mut_ptr();
        let before = bi.map(|i| raw_b(&self.b[i]));
        // SAFETY: a handle of the pool or NULL.
        let status = unsafe { bytes_compact(at(base, bi)) };
        if !self.status("bytes_compact", status, expect) {
            return;
        }
        let i = bi.unwrap();
        let model = self.model.b[i].clone();
        let Some((sid, off)) = model.at else {
            return; // All zero, or an empty view without a reference: a no-op.
        };
        let kind = self.model.kind(sid);
        let len = model.data.len();
        if len == 0 && kind != Kind::Static {
            // "An empty view that still holds a storage releases it (and
            // becomes the all-zero handle)."
            return self.set_b(i, BModel::default());
        }
        if len == 0 {
            // Static bytes: a no-op.
            return self
                .ensure(Some(raw_b(&self.b[i])) == before, || "bytes_compact changed an empty view".into());
        }
        stats::event("bytes_compact", if kind.views_whole(off, len) { "no-op" } else { "copy" });
        if kind.views_whole(off, len) {
            // A no-op: checked by the snapshot comparison (not touched).
            return;
        }
        let new_base = raw_b(&self.b[i])[0];
        let kind = Kind::Heap { cap: len, original: original_capacity(len) };
        let sid = self.new_storage(kind, new_base, len);
        self.set_b(i, BModel::view(model.data, Some((sid, 0))));
    }

    fn compare(&mut self, a: Option<usize>, b: Option<usize>, eq: bool) {
        let data = |i: Option<usize>| i.map_or(&[][..], |i| &self.model.b[i].data[..]);
        let (x, y) = (data(a), data(b));
        let base = self.b.as_mut_ptr();
        if eq {
            // SAFETY: handles of the pool or NULL.
            let got = unsafe { bytes_eq(at(base, a), at(base, b)) };
            let expected = x == y;
            self.ensure(got == expected, || format!("bytes_eq is {got}, expected {expected}"));
        } else {
            // SAFETY: handles of the pool or NULL.
            let got = unsafe { bytes_cmp(at(base, a), at(base, b)) };
            let expected = x.cmp(y) as i32;
            self.ensure(got == expected, || format!("bytes_cmp is {got}, expected {expected}"));
        }
    }

    fn get(&mut self, bi: Option<usize>, int: Int, null_out: bool) {
        let len = self.blen(bi);
        let width = int.width();
        let expect = Expect::ok()
            .err_if(bi.is_none() || null_out, BYTES_ERR_NULL)
            .err_if(bi.is_some() && len < width, BYTES_ERR_RANGE);
        let base = self.b.as_mut_ptr();
        let b = at(base, bi);
        macro_rules! call {
            ($f:ident, $t:ty) => {{
                let mut value: $t = <$t>::MAX;
                let out: *mut $t = if null_out { null_mut() } else { &mut value };
                // SAFETY: a handle of the pool or NULL; `out` writable or NULL.
                let status = unsafe { $f(b, out) };
                (status, value as u64)
            }};
        }
        let (status, value) = match int {
            Int::U8 => call!(bytes_get_u8, u8),
            Int::U16Be => call!(bytes_get_u16_be, u16),
            Int::U16Le => call!(bytes_get_u16_le, u16),
            Int::U32Be => call!(bytes_get_u32_be, u32),
            Int::U32Le => call!(bytes_get_u32_le, u32),
            Int::U64Be => call!(bytes_get_u64_be, u64),
            Int::U64Le => call!(bytes_get_u64_le, u64),
        };
        if !self.status("bytes_get_*", status, expect) {
            if !null_out {
                self.ensure(value == 0, || format!("a failed bytes_get_* wrote {value:#x}"));
            }
            return;
        }
        let i = bi.unwrap();
        let src = &self.model.b[i];
        let expected = int.decode(&src.data[..width]);
        self.ensure(value == expected, || format!("{int:?} read {value:#x}, expected {expected:#x}"));
        let model = self.model.advanced(src, width);
        self.set_b(i, model);
    }

    fn to_mut(&mut self, bi: Option<usize>, out: Out, try_only: bool) {
        let call = if try_only { "bytes_try_into_mut" } else { "bytes_into_mut" };
        let dest = dest(out, None);
        let src = bi.map(|i| self.model.b[i].clone()).unwrap_or_default();
        let unique = self.model.unique_heap(src.at);
        // An empty view without storage (all zero, at a position, or of
        // static bytes) gives an empty buffer.
        let no_storage =
            src.data.is_empty() && src.at.is_none_or(|(sid, _)| self.model.kind(sid) == Kind::Static);
        // `try`: without a copy only from the only handle of heap storage;
        // static, foreign or shared storage is BYTES_ERR_NOT_UNIQUE, also
        // when the view is empty but holds it.
        let not_unique = try_only && !no_storage && unique.is_none();
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(not_unique, BYTES_ERR_NOT_UNIQUE);
        let mut temp = m_from_raw(GARBAGE);
        let out_ptr: *mut bytes_mut_t = if dest == Dest::Null { null_mut() } else { &mut temp };
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool or NULL; `out` writable or NULL.
        let status = unsafe {
            if try_only {
                bytes_try_into_mut(at(base, bi), out_ptr)
            } else {
                bytes_into_mut(at(base, bi), out_ptr)
            }
        };
        if !self.status(call, status, expect) {
            return self.out_empty_m(call, &temp, dest);
        }
        let i = bi.unwrap();
        // Consumed: emptied (rule 3).
        self.set_b(i, BModel::default());
        stats::event(call, if unique.is_some() { "OK without copy" } else { "OK" });
        let model = if let Some((sid, off, block_cap)) = unique {
            // No copy: same bytes, capacity to the end of the block.
            MModel::region(src.data, block_cap - off, Some((sid, off)))
        } else if src.data.is_empty() {
            MModel::default()
        } else {
            // A copy into a new block of exactly the length (reserve of an
            // empty buffer), which remembers no original capacity.
            let raw = raw_m(&temp);
            let cap = src.data.len();
            let sid = self.new_storage(Kind::Heap { cap, original: 0 }, raw[0], cap);
            MModel::region(src.data, cap, Some((sid, 0)))
        };
        self.deliver_m(dest, temp, model);
    }

    // --- bytes_mut_t ------------------------------------------------------------

    fn with_capacity(&mut self, size: usize, out: Out, zeroed: bool) {
        let call = if zeroed { "bytes_mut_zeroed" } else { "bytes_mut_with_capacity" };
        if size > REAL_ALLOC_LIMIT && fits(size) {
            return; // Too large to allocate for real.
        }
        let dest = dest(out, None);
        let expect =
            Expect::ok().err_if(dest == Dest::Null, BYTES_ERR_NULL).err_if(!fits(size), BYTES_ERR_NOMEM);
        let mut temp = m_from_raw(GARBAGE);
        let out_ptr: *mut bytes_mut_t = if dest == Dest::Null { null_mut() } else { &mut temp };
        // SAFETY: `out` writable or NULL.
        let status = unsafe {
            if zeroed {
                bytes_mut_zeroed(size, out_ptr)
            } else {
                bytes_mut_with_capacity(size, out_ptr)
            }
        };
        if !self.status(call, status, expect) {
            return self.out_empty_m(call, &temp, dest);
        }
        let model = if size == 0 {
            MModel::default()
        } else {
            // Exactly `size`, remembering its original capacity.
            let raw = raw_m(&temp);
            let kind = Kind::Heap { cap: size, original: original_capacity(size) };
            let sid = self.new_storage(kind, raw[0], size);
            let data = if zeroed { vec![0; size] } else { Vec::new() };
            MModel::region(data, size, Some((sid, 0)))
        };
        self.deliver_m(dest, temp, model);
    }

    /// Applies a successful reserve `plan` to the model of `m[i]`, learning
    /// a new block's address and capacity from the buffer.
    fn apply_plan(&mut self, i: usize, plan: Plan) {
        let mut model = self.model.m[i].clone();
        let event = match plan {
            Plan::Reclaim { off: 0, .. } if model.at.is_some_and(|(_, o)| o != 0) => "reclaim to front",
            Plan::Reclaim { .. } => "reclaim in place",
            Plan::Realloc { .. } => "realloc",
            Plan::Alloc { original: 0, .. } if model.at.is_some() => "alloc (had a block)",
            Plan::Alloc { .. } if model.at.is_some() => "alloc (original capacity)",
            Plan::Alloc { .. } => "alloc (first)",
            _ => "fits",
        };
        stats::event("plan", event);
        match plan {
            Plan::Fits => return,
            Plan::Reclaim { off, cap } => {
                let (sid, _) = model.at.unwrap();
                model.at = Some((sid, off));
                model.cap = cap;
            }
            Plan::Realloc { off, total } => {
                // The same block, moved (or grown in place): a new storage
                // in the model, the old one retired with its last handle.
                let (old, _) = model.at.unwrap();
                let Kind::Heap { original, .. } = self.model.kind(old) else {
                    unreachable!("a buffer's block is heap storage")
                };
                let base = raw_m(&self.m[i])[0].wrapping_sub(off);
                let sid = self.new_storage(Kind::Heap { cap: total, original }, base, total);
                model.at = Some((sid, off));
                model.cap = total - off;
            }
            Plan::Alloc { cap, original } => {
                let base = raw_m(&self.m[i])[0];
                let sid = self.new_storage(Kind::Heap { cap, original }, base, cap);
                model.at = Some((sid, 0));
                model.cap = cap;
            }
            Plan::NoMem | Plan::TooBig => unreachable!("not a successful plan"),
        }
        self.set_m(i, model);
    }

    fn additional(&self, i: Option<usize>, add: Additional) -> usize {
        let (len, cap) = (self.mlen(i), self.mcap(i));
        match add {
            Additional::Spare => cap - len,
            Additional::SparePlus(k) => cap - len + 1 + k as usize,
            Additional::CapPlus(k) => cap + k as usize,
            Additional::Size(s) => s.resolve(),
        }
    }

    fn reserve(&mut self, mi: Option<usize>, add: Additional, try_only: bool) {
        let additional = self.additional(mi, add);
        let plan = mi.map(|i| self.model.plan_reserve(i, additional));
        if plan == Some(Plan::TooBig) && !try_only {
            return;
        }
        let base = self.m.as_mut_ptr();
        if try_only {
            // SAFETY: a buffer of the pool or NULL.
            let got = unsafe { bytes_mut_try_reclaim(at(base, mi), additional) };
            let expected = matches!(plan, Some(Plan::Fits | Plan::Reclaim { .. }));
            self.ensure(got == expected, || {
                format!("bytes_mut_try_reclaim({additional}) is {got}, expected {expected} ({plan:?})")
            });
            if let Some(plan @ Plan::Reclaim { .. }) = plan {
                self.apply_plan(mi.unwrap(), plan);
            }
            return;
        }
        let expect = Expect::ok()
            .err_if(mi.is_none(), BYTES_ERR_NULL)
            .err_if(plan == Some(Plan::NoMem), BYTES_ERR_NOMEM);
        // SAFETY: a buffer of the pool or NULL.
        let status = unsafe { bytes_mut_reserve(at(base, mi), additional) };
        if self.status("bytes_mut_reserve", status, expect) {
            self.apply_plan(mi.unwrap(), plan.unwrap());
        }
    }

    fn extend(&mut self, mi: Option<usize>, src: &Source) {
        let mlen = self.mlen(mi);
        let mcap = self.mcap(mi);
        // The buffer's region, by its pointer field (NULL: no storage).
        let region = mi.map_or(0, |i| mut_ptr_field(&self.m[i]));
        let table = STATIC_TABLE.as_ptr();
        // The region's offset in its block.
        let region_off = mi.and_then(|i| self.model.m[i].at).map_or(0, |(_, o)| o);
        // (pointer, length, the bytes to be appended if it succeeds)
        let (ptr, len, bytes): (*const u8, usize, Vec<u8>) = match src {
            Source::Data(v) => (v.as_ptr(), v.len(), v.clone()),
            Source::Null(idx) => (null(), idx.resolve(mlen), Vec::new()),
            Source::Own(off, idx) if mcap > 0 => {
                let o = *off as usize % (mlen + 1);
                // Past the written bytes only while still inside the
                // region (an overlap is reported, nothing read).
                let l = if o < mcap { idx.resolve(mlen - o) } else { 0 };
                let data = &self.model.m[mi.unwrap()].data;
                let bytes = match o.checked_add(l) {
                    Some(end) if end <= data.len() => data[o..end].to_vec(),
                    _ => Vec::new(), // an error is expected
                };
                ((region + o) as *const u8, l, bytes)
            }
            Source::Straddle(k, j) if *j >= 0x8000 && region_off > 0 => {
                // Behind the region, inside the block, not reaching the
                // region: refused unread while the block is the buffer's
                // alone; else another handle's bytes, appended.
                let i = mi.unwrap();
                let d = 1 + *k as usize % region_off;
                let l = 1 + (*j as usize & 0x7fff) % d;
                let (sid, _) = self.model.m[i].at.unwrap();
                let unique = self.model.unique_heap(self.model.m[i].at).is_some();
                let bytes = match self.model.known_bytes(sid, region_off - d, l) {
                    Some(bytes) => bytes,
                    None if unique => Vec::new(),
                    // Shared, but no handle holds those bytes: their
                    // contents are unknown.
                    None => return,
                };
                stats::event(
                    "bytes_mut_extend_from_slice",
                    if unique { "behind, unique" } else { "behind, shared" },
                );
                ((region - d) as *const u8, l, bytes)
            }
            Source::Straddle(k, j) if mcap > 0 => {
                let k = *k as usize + 1;
                let l = k + 1 + *j as usize % mcap;
                ((region.wrapping_sub(k)) as *const u8, l, Vec::new())
            }
            Source::Bytes(slot, off, l) => {
                let j = slot.index();
                let data = &self.model.b[j].data;
                let o = *off as usize % (data.len() + 1);
                let l = *l as usize % (data.len() - o + 1);
                // SAFETY: inside the view of a live handle.
                let ptr = unsafe { bytes_ptr(&self.b[j]).add(o) };
                (ptr, l, data[o..o + l].to_vec())
            }
            Source::Mut(slot, off, l) => {
                let j = slot.index();
                let data = &self.model.m[j].data;
                let o = *off as usize % (data.len() + 1);
                let l = *l as usize % (data.len() - o + 1);
                let p = mut_ptr_field(&self.m[j]);
                let ptr = if p == 0 { table } else { (p + o) as *const u8 };
                (ptr, l, data[o..o + l].to_vec())
            }
            Source::Huge(h) => (table, h.get(), Vec::new()),
            // Own and Straddle of a buffer without capacity: nothing to
            // point into; append nothing.
            Source::Own(..) | Source::Straddle(..) => (table, 0, Vec::new()),
        };
        // The header's checks, each allowed if it applies. While the buffer
        // is its block's only user, the whole block counts: bytes there
        // outside its written bytes (advanced over, split off and dropped)
        // are refused; with a shared block, only its own region.
        let start = ptr as usize;
        let area = match mi.and_then(|i| self.model.unique_heap(self.model.m[i].at)) {
            Some((sid, _, block_cap)) => (self.model.storages[sid].base, block_cap),
            None => (region, mcap),
        };
        let hits =
            |(from, n): (usize, usize)| len > 0 && start < from + n && from < start.saturating_add(len);
        let overlaps = hits((region, mcap)) || hits(area);
        let inside_written =
            start >= region && (start - region).checked_add(len).is_some_and(|end| end <= mlen);
        let len_overflow = !ptr.is_null() && len > isize::MAX as usize - mlen;
        let plan = mi.map(|i| self.model.plan_reserve(i, len));
        let mut expect = Expect::ok()
            .err_if(mi.is_none() || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(mi.is_some() && len_overflow, BYTES_ERR_NOMEM)
            .err_if(mi.is_some() && !ptr.is_null() && overlaps && !inside_written, BYTES_ERR_INVALID);
        if !expect.is_err() {
            match plan {
                Some(Plan::TooBig) => return,
                Some(Plan::NoMem) => expect = expect.err_if(true, BYTES_ERR_NOMEM),
                _ => {}
            }
        }
        let base = self.m.as_mut_ptr();
        // SAFETY: a buffer of the pool or NULL; `ptr[..len]` is readable
        // wherever the library may read it (see the cases above).
        let status = unsafe { bytes_mut_extend_from_slice(at(base, mi), ptr, len) };
        if status == BYTES_OK && overlaps {
            stats::event("bytes_mut_extend_from_slice", "OK from its own bytes");
        }
        if self.status("bytes_mut_extend_from_slice", status, expect) {
            let i = mi.unwrap();
            self.apply_plan(i, plan.unwrap());
            let mut model = self.model.m[i].clone();
            model.data.extend_from_slice(&bytes);
            self.set_m(i, model);
        }
    }

    fn spare_commit(&mut self, mi: Option<usize>, write: Idx, n: Idx, fill: u8, null_len: bool) {
        let (mlen, mcap) = (self.mlen(mi), self.mcap(mi));
        let base = self.m.as_mut_ptr();
        let mut spare_len = usize::MAX;
        let len_ptr: *mut usize = if null_len { null_mut() } else { &mut spare_len };
        // SAFETY: a buffer of the pool or NULL; `len_ptr` writable or NULL.
        let spare = unsafe { bytes_mut_spare(at(base, mi), len_ptr) };
        self.ensure(!spare.is_null(), || "bytes_mut_spare returned NULL".into());
        let room = mcap - mlen;
        if !null_len {
            self.ensure(spare_len == room, || format!("spare length {spare_len}, expected {room}"));
        }
        if room > 0 {
            let expected = mi.map_or(0, |i| mut_ptr_field(&self.m[i])) + mlen;
            self.ensure(spare as usize == expected, || format!("spare at {spare:p}, expected {expected:#x}"));
        }
        let n = n.resolve(room);
        let mut w = write.resolve(room).min(room);
        if n <= room {
            w = w.max(n);
        }
        let pattern: Vec<u8> = (0..w).map(|k| fill.wrapping_add(k as u8)).collect();
        // SAFETY: `w <= room` writable bytes at `spare`.
        unsafe { std::ptr::copy_nonoverlapping(pattern.as_ptr(), spare, w) };
        let expect = Expect::ok()
            .err_if(mi.is_none(), BYTES_ERR_NULL)
            .err_if(mi.is_some() && n > room, BYTES_ERR_RANGE);
        // SAFETY: a buffer of the pool or NULL; the first `n` spare bytes
        // are written when `n` fits.
        let status = unsafe { bytes_mut_commit(at(base, mi), n) };
        if self.status("bytes_mut_commit", status, expect) {
            let i = mi.unwrap();
            let mut model = self.model.m[i].clone();
            model.data.extend_from_slice(&pattern[..n]);
            self.set_m(i, model);
        }
    }

    fn scribble(&mut self, i: usize, fill: u8) {
        let mut room = 0usize;
        // SAFETY: a buffer of the pool; `room` writable.
        let spare = unsafe { bytes_mut_spare(&mut self.m[i], &mut room) };
        let expected = self.model.m[i].cap - self.model.m[i].data.len();
        self.ensure(room == expected, || format!("spare length {room}, expected {expected}"));
        // SAFETY: the spare capacity is writable (`room` bytes).
        unsafe { spare.write_bytes(fill, room) };
    }

    fn mut_split(&mut self, mi: Option<usize>, at_idx: Idx, out: Out, to: bool) {
        let call = if to { "bytes_mut_split_to" } else { "bytes_mut_split_off" };
        let (len, cap) = (self.mlen(mi), self.mcap(mi));
        let n = at_idx.resolve(if to { len } else { cap });
        let dest = dest(out, mi);
        let limit = if to { len } else { cap };
        let expect = Expect::ok()
            .err_if(mi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(matches!(dest, Dest::Alias(_)), BYTES_ERR_INVALID)
            .err_if(mi.is_some() && n > limit, BYTES_ERR_RANGE);
        let mut temp = m_from_raw(GARBAGE);
        let base = self.m.as_mut_ptr();
        let out_ptr = match dest {
            Dest::Null => null_mut(),
            Dest::Alias(j) => at(base, Some(j)),
            Dest::Slot(_) => &mut temp,
        };
        // SAFETY: buffers of the pool or NULL.
        let status = unsafe {
            if to {
                bytes_mut_split_to(at(base, mi), n, out_ptr)
            } else {
                bytes_mut_split_off(at(base, mi), n, out_ptr)
            }
        };
        if !self.status(call, status, expect) {
            return self.out_empty_m(call, &temp, dest);
        }
        let i = mi.unwrap();
        let src = self.model.m[i].clone();
        let shift = |k: usize| src.at.map(|(s, o)| (s, o + k));
        let (kept, given) = if to {
            // out: [0, n) with capacity n; m keeps the rest.
            let given = MModel::region(src.data[..n].to_vec(), n, src.at);
            let kept = MModel::region(src.data[n..].to_vec(), cap - n, shift(n));
            (kept, given)
        } else {
            // out: [n, cap) with the written bytes past n; m keeps [0, n).
            let given = MModel::region(src.data[n.min(len)..].to_vec(), cap - n, shift(n));
            let kept = MModel::region(src.data[..n.min(len)].to_vec(), n, src.at);
            (kept, given)
        };
        self.set_m(i, kept);
        self.deliver_m(dest, temp, given);
    }

    fn mut_split_all(&mut self, mi: Option<usize>, dst: usize) {
        let base = self.m.as_mut_ptr();
        // SAFETY: a buffer of the pool or NULL.
        let h = unsafe { bytes_mut_split(at(base, mi)) };
        let Some(i) = mi else {
            self.ensure(raw_m(&h) == ZERO, || "bytes_mut_split(NULL) is not empty".into());
            return self.put_m(dst, h, MModel::default());
        };
        let src = self.model.m[i].clone();
        let len = src.data.len();
        let given = MModel::region(src.data, len, src.at);
        let kept = MModel::region(Vec::new(), src.cap - len, src.at.map(|(s, o)| (s, o + len)));
        self.set_m(i, kept);
        self.put_m(dst, h, given);
    }

    fn unsplit(&mut self, mi: Option<usize>, oi: Option<usize>) {
        let mut expect = Expect::ok()
            .err_if(mi.is_none() || oi.is_none(), BYTES_ERR_NULL)
            .err_if(mi.is_some() && mi == oi, BYTES_ERR_INVALID);
        let mut plan = None;
        let mut adjacent = false;
        if let (false, Some(i), Some(j)) = (expect.is_err(), mi, oi) {
            let (m, o) = (&self.model.m[i], &self.model.m[j]);
            adjacent = match (m.at, o.at) {
                (Some((s, mo)), Some((t, oo))) => s == t && mo + m.data.len() == oo,
                _ => false,
            };
            if m.at.is_some() && !adjacent {
                let p = self.model.plan_reserve(i, o.data.len());
                match p {
                    Plan::TooBig => return,
                    Plan::NoMem => expect = expect.err_if(true, BYTES_ERR_NOMEM),
                    _ => plan = Some(p),
                }
            }
        }
        let base = self.m.as_mut_ptr();
        // SAFETY: buffers of the pool or NULL.
        let status = unsafe { bytes_mut_unsplit(at(base, mi), at(base, oi)) };
        if !self.status("bytes_mut_unsplit", status, expect) {
            return;
        }
        let (i, j) = (mi.unwrap(), oi.unwrap());
        let other = self.model.m[j].clone();
        self.set_m(j, MModel::default());
        if self.model.m[i].at.is_none() {
            // No storage: takes `other` over.
            return self.set_m(i, other);
        }
        if let Some(plan) = plan {
            self.apply_plan(i, plan);
        }
        let mut model = self.model.m[i].clone();
        model.data.extend_from_slice(&other.data);
        if adjacent {
            model.cap += other.cap;
        }
        stats::event("unsplit", if adjacent { "adjacent" } else { "copy" });
        self.set_m(i, model);
    }

    fn mut_advance(&mut self, mi: Option<usize>, n: Idx) {
        let len = self.mlen(mi);
        let n = n.resolve(len);
        let expect = Expect::ok()
            .err_if(mi.is_none(), BYTES_ERR_NULL)
            .err_if(mi.is_some() && n > len, BYTES_ERR_RANGE);
        let base = self.m.as_mut_ptr();
        // SAFETY: a buffer of the pool or NULL.
        let status = unsafe { bytes_mut_advance(at(base, mi), n) };
        if self.status("bytes_mut_advance", status, expect) {
            let i = mi.unwrap();
            let src = &self.model.m[i];
            if n > 0 {
                let model =
                    MModel::region(src.data[n..].to_vec(), src.cap - n, src.at.map(|(s, o)| (s, o + n)));
                self.set_m(i, model);
            }
        }
    }

    fn resize(&mut self, mi: Option<usize>, new_len: NewLen, fill: u8) {
        let (len, cap) = (self.mlen(mi), self.mcap(mi));
        let new_len = match new_len {
            NewLen::Idx(idx) => idx.resolve(len),
            NewLen::Cap(k) => (cap + k as usize).saturating_sub(1),
            NewLen::Size(s) => s.resolve(),
        };
        self.grow_with(
            mi,
            "bytes_mut_resize",
            new_len.saturating_sub(len),
            new_len < len,
            |m| {
                // SAFETY: a buffer of the pool or NULL.
                unsafe { bytes_mut_resize(m, new_len, fill) }
            },
            |data| data.resize(new_len, fill),
        );
    }

    fn put(&mut self, mi: Option<usize>, int: Int, value: u64) {
        let bytes = int.encode(value);
        let n = bytes.len();
        self.grow_with(
            mi,
            "bytes_mut_put_*",
            n,
            false,
            |m| {
                // SAFETY: a buffer of the pool or NULL.
                unsafe {
                    match int {
                        Int::U8 => bytes_mut_put_u8(m, value as u8),
                        Int::U16Be => bytes_mut_put_u16_be(m, value as u16),
                        Int::U16Le => bytes_mut_put_u16_le(m, value as u16),
                        Int::U32Be => bytes_mut_put_u32_be(m, value as u32),
                        Int::U32Le => bytes_mut_put_u32_le(m, value as u32),
                        Int::U64Be => bytes_mut_put_u64_be(m, value),
                        Int::U64Le => bytes_mut_put_u64_le(m, value),
                    }
                }
            },
            |data| data.extend_from_slice(&bytes),
        );
    }

    fn put_bytes(&mut self, mi: Option<usize>, value: u8, count: usize) {
        let len = self.mlen(mi);
        let overflow = len.checked_add(count).is_none();
        let new_len = len.wrapping_add(count);
        if overflow {
            let expect =
                Expect::ok().err_if(mi.is_none(), BYTES_ERR_NULL).err_if(mi.is_some(), BYTES_ERR_NOMEM);
            let base = self.m.as_mut_ptr();
            // SAFETY: a buffer of the pool or NULL.
            let status = unsafe { bytes_mut_put_bytes(at(base, mi), value, count) };
            self.status("bytes_mut_put_bytes", status, expect);
            return;
        }
        self.grow_with(
            mi,
            "bytes_mut_put_bytes",
            count,
            false,
            |m| {
                // SAFETY: a buffer of the pool or NULL.
                unsafe { bytes_mut_put_bytes(m, value, count) }
            },
            |data| data.resize(new_len, value),
        );
    }

    /// A call that appends `additional` bytes to `m[mi]` (growing as
    /// reserve does; `shrinks`: it truncates instead), then `edit`s the
    /// model's bytes the same way.
    fn grow_with(
        &mut self,
        mi: Option<usize>,
        call: &str,
        additional: usize,
        shrinks: bool,
        f: impl FnOnce(*mut bytes_mut_t) -> bytes_status_t,
        edit: impl FnOnce(&mut Vec<u8>),
    ) {
        let plan = match mi {
            Some(i) if !shrinks => self.model.plan_reserve(i, additional),
            _ => Plan::Fits,
        };
        if plan == Plan::TooBig {
            return;
        }
        let expect = Expect::ok()
            .err_if(mi.is_none(), BYTES_ERR_NULL)
            .err_if(mi.is_some() && plan == Plan::NoMem, BYTES_ERR_NOMEM);
        let base = self.m.as_mut_ptr();
        let status = f(at(base, mi));
        if self.status(call, status, expect) {
            let i = mi.unwrap();
            self.apply_plan(i, plan);
            let mut model = self.model.m[i].clone();
            edit(&mut model.data);
            self.set_m(i, model);
        }
    }

    fn freeze(&mut self, mi: Option<usize>, dst: usize) {
        let base = self.m.as_mut_ptr();
        // SAFETY: a buffer of the pool or NULL.
        let h = unsafe { bytes_mut_freeze(at(base, mi)) };
        let Some(i) = mi else {
            self.ensure(raw_b(&h) == ZERO, || "bytes_mut_freeze(NULL) is not empty".into());
            return self.put_b(dst, h, BModel::default());
        };
        let src = self.model.m[i].clone();
        // Consumed: emptied (rule 3).
        self.set_m(i, MModel::default());
        // The same memory: bytes_ptr(result) == the buffer's pointer. "An
        // empty buffer gives an empty bytes_t and releases its storage."
        let model = if src.data.is_empty() { BModel::default() } else { BModel::view(src.data, src.at) };
        self.put_b(dst, h, model);
    }

    // --- the rest ---------------------------------------------------------------

    fn describe(&mut self, status: u32) {
        let text = bytes_status_str(status);
        self.ensure(!text.is_null(), || "bytes_status_str returned NULL".into());
        // SAFETY: a static NUL-terminated string (checked non-NULL).
        let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
        let unknown = text == "unknown status";
        self.ensure(unknown == (status > BYTES_ERR_INTERNAL as u32), || {
            format!("bytes_status_str({status}) is {text:?}")
        });
        // A caught bug of the library's own (BYTES_ERR_INTERNAL) is told
        // apart from the caller's mistake (BYTES_ERR_INVALID).
        // SAFETY: static NUL-terminated strings.
        let (internal, invalid) = unsafe {
            (
                CStr::from_ptr(bytes_status_str(BYTES_ERR_INTERNAL as u32)),
                CStr::from_ptr(bytes_status_str(BYTES_ERR_INVALID as u32)),
            )
        };
        self.ensure(internal != invalid && internal != c"unknown status", || {
            format!("BYTES_ERR_INTERNAL is described as {internal:?}")
        });
        // SAFETY: a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(bytes_version()) }.to_string_lossy();
        let parts: Vec<&str> = version.split('.').collect();
        self.ensure(
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit())),
            || format!("bytes_version() is {version:?}"),
        );
    }
}

/// A short rendering of a byte string for messages.
fn short(bytes: &[u8]) -> String {
    if bytes.len() <= 48 {
        format!("{bytes:?}")
    } else {
        format!("{:?}... ({} bytes)", &bytes[..48], bytes.len())
    }
}
