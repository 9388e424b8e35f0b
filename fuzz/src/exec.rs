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

use std::fmt::Display;
use std::ptr::null_mut;

use bytes::ffi::bytes::{bytes_drop, bytes_from_static, bytes_new};
use bytes::ffi::bytes_mut::{bytes_mut_drop, bytes_mut_new};
use bytes::ffi::bytes_status::*;
use bytes::ffi::{bytes_mut_t, bytes_status_t, bytes_t};

mod batch;
mod bytes_ops;
mod check;
mod constructors;
mod dispatch;
mod io;
mod mut_ops;
mod status;

use crate::foreign::{self, VSLOTS};
use crate::model::{BModel, Kind, MModel, Model, Sid};
use crate::program::{Op, Out, SLOTS};
use crate::raw::{raw_b, raw_m, Raw, ZERO};

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

impl Dest {
    /// The out-parameter to pass for this destination: NULL, the input
    /// handle itself (`base + j`, `base` the pool's array), or `temp` (a
    /// fresh variable, pre-filled with garbage, whose result
    /// [`Harness::deliver_b`] / [`Harness::deliver_m`] then moves into its
    /// slot).
    fn out_ptr<T>(self, base: *mut T, temp: &mut T) -> *mut T {
        match self {
            Dest::Null => null_mut(),
            Dest::Alias(j) => at(base, Some(j)),
            Dest::Slot(_) => temp,
        }
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
        // The inline code recognises static bytes by this address.
        assert!(
            static_vtable == crate::inline::static_vtable(),
            "static bytes' vtable is not entry 0 of bytes__own_vtables"
        );
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
}

/// A short rendering of a byte string for messages.
fn short(bytes: &[u8]) -> String {
    if bytes.len() <= 48 {
        format!("{bytes:?}")
    } else {
        format!("{:?}... ({} bytes)", &bytes[..48], bytes.len())
    }
}
