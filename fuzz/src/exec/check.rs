//! The checks after each operation and at the end of a program (see the
//! module comment of `exec`).

use bytes::ffi::bytes::bytes_drop;
use bytes::ffi::bytes_mut::bytes_mut_drop;

use super::{short, Harness, Snapshot};
use crate::foreign::{self, VSLOTS};
use crate::model::{BModel, Kind, MModel};
use crate::program::SLOTS;
use crate::raw::{bytes_view, mut_view, raw_b, raw_m, ZERO};

impl Harness<'_> {
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

    pub(super) fn check_all(&mut self) {
        for i in 0..SLOTS {
            self.check_b(i);
            self.check_m(i);
        }
    }

    /// The checks after every operation (see the module comment).
    pub(super) fn after_op(&mut self, before: &Snapshot) {
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
    pub(super) fn callbacks_baseline(&mut self) {
        self.callbacks_before = Some(std::array::from_fn(|s| foreign::SLOTS[s].counters()));
    }

    /// Drops everything and checks that all storage was released.
    pub(super) fn finish(&mut self) {
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
}
