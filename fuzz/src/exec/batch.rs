//! The batch functions: `bytes_slice_many` and `bytes_drop_many`.

use std::ptr::null_mut;

use bytes::ffi::bytes::{bytes_drop, bytes_drop_many, bytes_range_t, bytes_slice_many};
use bytes::ffi::bytes_status::*;
use bytes::ffi::bytes_t;

use super::{at, Expect, Harness};
use crate::model::BModel;
use crate::program::{Idx, ManyOut, SLOTS};
use crate::raw::{b_from_raw, raw_b, GARBAGE, ZERO};

/// Where `bytes_slice_many` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    /// An array of the harness; results then move to slots `dst + i`.
    Array(usize),
    /// The pool from this slot on.
    Pool(usize),
    /// The ranges' own memory.
    OverRanges,
    Null,
}

/// Values of `n` no array can have: BYTES_ERR_NOMEM before anything is
/// read or written.
const HUGE_N: [usize; 3] = [usize::MAX, isize::MAX as usize, isize::MAX as usize / 32 + 1];

impl Harness<'_> {
    pub(super) fn slice_many(
        &mut self,
        bi: Option<usize>,
        ranges: &[(Idx, Idx)],
        out: ManyOut,
        null_ranges: bool,
        huge_n: bool,
    ) {
        let len = self.blen(bi);
        let place = match out {
            ManyOut::Array(dst) | ManyOut::Array2(dst) => Where::Array(dst.index()),
            ManyOut::Pool(first) => Where::Pool(first.index()),
            ManyOut::OverRanges => Where::OverRanges,
            ManyOut::Null => Where::Null,
        };
        let mut ranges: Vec<bytes_range_t> = ranges
            .iter()
            .take(SLOTS)
            .map(|(begin, end)| bytes_range_t { begin: begin.resolve(len), end: end.resolve(len) })
            .collect();
        if let Where::Pool(first) = place {
            ranges.truncate(SLOTS - first);
        }
        let count = ranges.len();
        let n = if huge_n { HUGE_N[count % HUGE_N.len()] } else { count };

        // The out array of the harness (also holding the ranges for
        // `OverRanges`), garbage until the library writes it.
        let mut array: Vec<bytes_t> = (0..count.max(1)).map(|_| b_from_raw(GARBAGE)).collect();
        let array_ptr = array.as_mut_ptr();
        let ranges_ptr = if null_ranges {
            std::ptr::null()
        } else if place == Where::OverRanges {
            let inside = array_ptr as *mut bytes_range_t;
            // SAFETY: `count` ranges (16 bytes each) fit in `count` handles
            // (32 bytes each).
            unsafe { std::ptr::copy_nonoverlapping(ranges.as_ptr(), inside, count) };
            inside as *const bytes_range_t
        } else {
            ranges.as_ptr()
        };
        let array_before: Vec<_> = array.iter().map(raw_b).collect();

        // A pool destination: its handles are dropped first, as a C caller
        // reusing the array would, except `b`'s (which makes an overlap).
        let mut overlap = place == Where::OverRanges && count > 0;
        if let Where::Pool(first) = place {
            for j in first..first + count {
                if Some(j) == bi {
                    overlap = true;
                } else {
                    // SAFETY: a handle of the pool.
                    unsafe { bytes_drop(&mut self.b[j]) };
                    self.set_b(j, BModel::default());
                }
            }
        }

        self.callbacks_baseline();
        let bad_range = ranges.iter().any(|r| r.begin > r.end || r.end > len);
        let expect = if n == 0 {
            Expect::ok().err_if(bi.is_none(), BYTES_ERR_NULL)
        } else {
            Expect::ok()
                .err_if(bi.is_none() || null_ranges || place == Where::Null, BYTES_ERR_NULL)
                .err_if(huge_n, BYTES_ERR_NOMEM)
                .err_if(!huge_n && overlap, BYTES_ERR_INVALID)
                .err_if(!huge_n && bi.is_some() && bad_range, BYTES_ERR_RANGE)
        };
        let base = self.b.as_mut_ptr();
        let out_ptr = match place {
            Where::Array(_) | Where::OverRanges => array_ptr,
            Where::Pool(first) => at(base, Some(first)),
            Where::Null => null_mut(),
        };
        // SAFETY: `b` a handle of the pool or NULL; `ranges_ptr` and
        // `out_ptr` valid for `count` elements (or NULL); a huge `n` is
        // rejected before either is used.
        let status = unsafe { bytes_slice_many(at(base, bi), ranges_ptr, n, out_ptr) };
        if !self.status("bytes_slice_many", status, expect) {
            // "Nothing is written" (an overlap, a huge `n`), or "every
            // out[i] empty".
            let untouched = matches!(status, BYTES_ERR_INVALID | BYTES_ERR_NOMEM);
            if matches!(place, Where::Array(_) | Where::OverRanges) {
                for (i, (h, before)) in array.iter().zip(&array_before).enumerate().take(count) {
                    let want = if untouched { *before } else { ZERO };
                    self.ensure(raw_b(h) == want, || {
                        format!("bytes_slice_many failed with {status:?}; out[{i}] is {:x?}", raw_b(h))
                    });
                }
            }
            return;
        }
        if n == 0 {
            return;
        }
        let src = self.model.b[bi.unwrap()].clone();
        // Empty ranges give empty views at their `begin` that hold no
        // reference (rule 9).
        let results: Vec<BModel> = ranges.iter().map(|r| self.model.sub(&src, r.begin, r.end)).collect();
        match place {
            Where::Pool(first) => {
                for (i, model) in results.into_iter().enumerate() {
                    self.set_b(first + i, model);
                }
            }
            Where::Array(dst) => {
                for (i, (h, model)) in array.into_iter().zip(results).enumerate() {
                    self.put_b((dst + i) % SLOTS, h, model);
                }
            }
            Where::OverRanges | Where::Null => self.fail("bytes_slice_many succeeded with a bad out"),
        }
    }

    pub(super) fn drop_many(&mut self, first: usize, n: u8, null: bool) {
        let n = n as usize % (SLOTS - first + 1);
        if null {
            // "A NULL bufs is a no-op", whatever `n`.
            let n = if n == 0 { usize::MAX } else { n };
            // SAFETY: NULL.
            unsafe { bytes_drop_many(null_mut(), n) };
            return;
        }
        let base = self.b.as_mut_ptr();
        // SAFETY: `n` handles of the pool from `first`.
        unsafe { bytes_drop_many(at(base, Some(first)), n) };
        for i in first..first + n {
            self.set_b(i, BModel::default());
        }
    }
}
