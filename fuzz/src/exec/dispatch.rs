//! One operation of the program to its call (the simple ones inline).

use bytes::ffi::bytes::bytes_new;
use bytes::ffi::bytes_mut::{bytes_mut_clear, bytes_mut_drop, bytes_mut_new, bytes_mut_truncate};

use super::{at, Harness};
use crate::foreign::VSLOTS;
use crate::inline::Via;
use crate::model::{BModel, MModel};
use crate::program::{Arg, Op};
use crate::raw::{raw_b, raw_m, ZERO};

impl Harness<'_> {
    pub(super) fn run_op(&mut self, op: &Op) {
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
            Op::Clone { src, dst } => self.clone(src.slot(), dst.index(), Via::Exported),
            Op::Slice { b, begin, end, out } => self.slice(b.slot(), *begin, *end, *out, Via::Exported),
            Op::SliceRef { b, sub, sub_len, out } => self.slice_ref(b.slot(), *sub, *sub_len, *out),
            Op::SplitTo { b, at, out } => self.split(b.slot(), *at, *out, true, Via::Exported),
            Op::SplitOff { b, at, out } => self.split(b.slot(), *at, *out, false, Via::Exported),
            Op::Advance { b, n } => self.advance(b.slot(), *n),
            Op::Truncate { b, len } => self.truncate(b.slot(), *len),
            Op::Clear { b } => self.drop_b(b.slot(), true, Via::Exported),
            Op::Drop { b } => self.drop_b(b.slot(), false, Via::Exported),
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
            Op::InlineClone { src, dst } => self.clone(src.slot(), dst.index(), Via::Inline),
            Op::InlineSlice { b, begin, end, out } => self.slice(b.slot(), *begin, *end, *out, Via::Inline),
            Op::InlineSplit { b, at, out, to } => self.split(b.slot(), *at, *out, *to, Via::Inline),
            Op::InlineDrop { b, clear } => self.drop_b(b.slot(), *clear, Via::Inline),
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
}
