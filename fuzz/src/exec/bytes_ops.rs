//! The operations on `bytes_t`: clone, slice, split, advance, truncate,
//! uniqueness, compaction, comparison, typed reads and conversion to
//! `bytes_mut_t`.

use std::ptr::{null, null_mut};

use bytes::ffi::bytes::*;
use bytes::ffi::bytes_mut::{bytes_into_mut, bytes_try_into_mut};
use bytes::ffi::bytes_status::*;

use super::{at, dest, Dest, Expect, Harness};
use crate::inline::Via;
use crate::model::{original_capacity, BModel, Kind, MModel};
use crate::program::{Idx, Int, Out, Slot, Sub};
use crate::raw::{b_from_raw, bytes_len, bytes_ptr, m_from_raw, raw_b, raw_m, GARBAGE};
use crate::stats;

impl Harness<'_> {
    pub(super) fn clone(&mut self, src: Option<usize>, dst: usize, via: Via) {
        via.name("bytes_clone", src.map(|i| &self.b[i]));
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool, or NULL.
        let h = unsafe { via.clone(at(base, src)) };
        // The same view, also for an empty one (at its position, or with
        // its reference).
        let model = src.map_or_else(BModel::default, |i| self.model.b[i].clone());
        self.put_b(dst, h, model);
    }

    pub(super) fn slice(&mut self, bi: Option<usize>, begin: Idx, end: Idx, out: Out, via: Via) {
        let call = via.name("bytes_slice", bi.map(|i| &self.b[i]));
        let len = self.blen(bi);
        let (begin, end) = (begin.resolve(len), end.resolve(len));
        let dest = dest(out, bi);
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(bi.is_some() && (begin > end || end > len), BYTES_ERR_RANGE);
        let mut temp = b_from_raw(GARBAGE);
        let base = self.b.as_mut_ptr();
        let out_ptr = dest.out_ptr(base, &mut temp);
        // SAFETY: handles of the pool or NULL; aliasing is allowed.
        let status = unsafe { via.slice(at(base, bi), begin, end, out_ptr) };
        if !self.status(call, status, expect) {
            return self.out_empty_b(call, &temp, dest);
        }
        // An empty range gives an empty view at `begin` that holds no
        // reference (rule 9).
        let model = self.model.sub(&self.model.b[bi.unwrap()], begin, end);
        self.deliver_b(dest, temp, model);
    }

    pub(super) fn slice_ref(&mut self, bi: Option<usize>, sub: Sub, sub_len: Idx, out: Out) {
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
        let out_ptr = dest.out_ptr(base, &mut temp);
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

    pub(super) fn split(&mut self, bi: Option<usize>, at_idx: Idx, out: Out, to: bool, via: Via) {
        let call = via.name(if to { "bytes_split_to" } else { "bytes_split_off" }, bi.map(|i| &self.b[i]));
        let len = self.blen(bi);
        let n = at_idx.resolve(len);
        let dest = dest(out, bi);
        let expect = Expect::ok()
            .err_if(bi.is_none() || dest == Dest::Null, BYTES_ERR_NULL)
            .err_if(matches!(dest, Dest::Alias(_)), BYTES_ERR_INVALID)
            .err_if(bi.is_some() && n > len, BYTES_ERR_RANGE);
        let mut temp = b_from_raw(GARBAGE);
        let base = self.b.as_mut_ptr();
        let out_ptr = dest.out_ptr(base, &mut temp);
        // SAFETY: handles of the pool or NULL.
        let status = unsafe { via.split(to, at(base, bi), n, out_ptr) };
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

    /// `bytes_clear` (`clear`) or `bytes_drop`: empties the handle.
    pub(super) fn drop_b(&mut self, bi: Option<usize>, clear: bool, via: Via) {
        via.name(if clear { "bytes_clear" } else { "bytes_drop" }, bi.map(|i| &self.b[i]));
        let base = self.b.as_mut_ptr();
        // SAFETY: a handle of the pool, or NULL (a no-op).
        unsafe { via.drop(clear, at(base, bi)) };
        if let Some(i) = bi {
            self.set_b(i, BModel::default());
        }
    }

    pub(super) fn advance(&mut self, bi: Option<usize>, n: Idx) {
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

    pub(super) fn truncate(&mut self, bi: Option<usize>, len: Idx) {
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

    pub(super) fn is_unique(&mut self, bi: Option<usize>) {
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

    pub(super) fn compact(&mut self, bi: Option<usize>) {
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

    pub(super) fn compare(&mut self, a: Option<usize>, b: Option<usize>, eq: bool) {
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

    pub(super) fn get(&mut self, bi: Option<usize>, int: Int, null_out: bool) {
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

    pub(super) fn to_mut(&mut self, bi: Option<usize>, out: Out, try_only: bool) {
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
        let out_ptr = dest.out_ptr(self.m.as_mut_ptr(), &mut temp);
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
}
