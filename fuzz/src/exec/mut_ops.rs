//! The operations on `bytes_mut_t`: allocation, reserve (and the model of
//! its plans), appends, spare capacity, splits, unsplit, resize, typed
//! writes and freeze.

use std::ptr::{null, null_mut};

use bytes::ffi::bytes_mut::*;
use bytes::ffi::bytes_status::*;
use bytes::ffi::{bytes_mut_t, bytes_status_t};

use super::{at, dest, Dest, Expect, Harness, STATIC_TABLE};
use crate::model::{fits, original_capacity, BModel, Kind, MModel, Plan, REAL_ALLOC_LIMIT};
use crate::program::{Additional, Idx, Int, NewLen, Out, Source};
use crate::raw::{bytes_ptr, m_from_raw, mut_ptr_field, raw_b, raw_m, GARBAGE, ZERO};
use crate::stats;

impl Harness<'_> {
    pub(super) fn with_capacity(&mut self, size: usize, out: Out, zeroed: bool) {
        let call = if zeroed { "bytes_mut_zeroed" } else { "bytes_mut_with_capacity" };
        if size > REAL_ALLOC_LIMIT && fits(size) {
            return; // Too large to allocate for real.
        }
        let dest = dest(out, None);
        let expect =
            Expect::ok().err_if(dest == Dest::Null, BYTES_ERR_NULL).err_if(!fits(size), BYTES_ERR_NOMEM);
        let mut temp = m_from_raw(GARBAGE);
        let out_ptr = dest.out_ptr(self.m.as_mut_ptr(), &mut temp);
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
    pub(super) fn apply_plan(&mut self, i: usize, plan: Plan) {
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

    pub(super) fn reserve(&mut self, mi: Option<usize>, add: Additional, try_only: bool) {
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

    pub(super) fn extend(&mut self, mi: Option<usize>, src: &Source) {
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

    pub(super) fn spare_commit(&mut self, mi: Option<usize>, write: Idx, n: Idx, fill: u8, null_len: bool) {
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

    pub(super) fn scribble(&mut self, i: usize, fill: u8) {
        let mut room = 0usize;
        // SAFETY: a buffer of the pool; `room` writable.
        let spare = unsafe { bytes_mut_spare(&mut self.m[i], &mut room) };
        let expected = self.model.m[i].cap - self.model.m[i].data.len();
        self.ensure(room == expected, || format!("spare length {room}, expected {expected}"));
        // SAFETY: the spare capacity is writable (`room` bytes).
        unsafe { spare.write_bytes(fill, room) };
    }

    pub(super) fn mut_split(&mut self, mi: Option<usize>, at_idx: Idx, out: Out, to: bool) {
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
        let out_ptr = dest.out_ptr(base, &mut temp);
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

    pub(super) fn mut_split_all(&mut self, mi: Option<usize>, dst: usize) {
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

    pub(super) fn unsplit(&mut self, mi: Option<usize>, oi: Option<usize>) {
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

    pub(super) fn mut_advance(&mut self, mi: Option<usize>, n: Idx) {
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

    pub(super) fn resize(&mut self, mi: Option<usize>, new_len: NewLen, fill: u8) {
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

    pub(super) fn put(&mut self, mi: Option<usize>, int: Int, value: u64) {
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

    pub(super) fn put_bytes(&mut self, mi: Option<usize>, value: u8, count: usize) {
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

    pub(super) fn freeze(&mut self, mi: Option<usize>, dst: usize) {
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
}
