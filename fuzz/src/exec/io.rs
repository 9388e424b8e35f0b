//! The I/O functions: `bytes_fill_iovec`, `bytes_writev_fd` and
//! `bytes_mut_read_fd`, on the harness' pipe and temporary file.

use std::ptr::{null, null_mut};

use bytes::ffi::bytes_status::*;
use bytes::ffi::io::{bytes_fill_iovec, bytes_mut_read_fd, bytes_writev_fd};

use super::{at, Expect, Harness};
use crate::foreign;
use crate::model::{BModel, Plan};
use crate::program::{ReadSource, Size, SLOTS};
use crate::raw::bytes_ptr;
use crate::stats;

/// The bytes the harness writes into the pipe before a `writev`.
fn filler(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i as u8) ^ 0x5C).collect()
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

impl Harness<'_> {
    pub(super) fn fill_iovec(&mut self, first: usize, n: u8, cap: u8, null_bufs: bool, null_iov: bool) {
        let n = n as usize % (SLOTS - first + 1);
        let cap = cap as usize % (SLOTS + 3);
        let garbage = libc::iovec { iov_base: 0xA5A5_A5A5usize as *mut libc::c_void, iov_len: 0xA5A5_A5A5 };
        let mut iov = vec![garbage; cap.max(1)];
        let base = self.b.as_mut_ptr();
        let bufs = if null_bufs { null() } else { at(base, Some(first)) as *const _ };
        let iov_ptr = if null_iov { null_mut() } else { iov.as_mut_ptr() };
        // SAFETY: `n` handles of the pool (or NULL), room for `cap` iovecs
        // (or NULL).
        let got = unsafe { bytes_fill_iovec(bufs, n, iov_ptr, cap) };
        // The non-empty handles, in order, at most `cap` of them.
        let expected: Vec<(usize, usize)> = if null_bufs || null_iov {
            Vec::new()
        } else {
            (first..first + n)
                .filter(|&i| !self.model.b[i].data.is_empty())
                .map(|i| (bytes_ptr(&self.b[i]) as usize, self.model.b[i].data.len()))
                .take(cap)
                .collect()
        };
        self.ensure(got == expected.len(), || {
            format!("bytes_fill_iovec returned {got}, expected {}", expected.len())
        });
        for (i, &(ptr, len)) in expected.iter().enumerate() {
            let v = iov[i];
            self.ensure(v.iov_base as usize == ptr && v.iov_len == len, || {
                format!("iov[{i}] is ({:p}, {}), expected ({ptr:#x}, {len})", v.iov_base, v.iov_len)
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn writev(
        &mut self,
        first: usize,
        n: u8,
        prefill: u16,
        bad_fd: bool,
        null_bufs: bool,
        null_written: bool,
    ) {
        let n = n as usize % (SLOTS - first + 1);
        let pipe = foreign::pipe();
        let pre = pipe.fill(&filler(prefill as usize % (pipe.capacity + 1)));
        let fd = if bad_fd { -1 } else { pipe.write };
        let total: usize = (first..first + n).map(|i| self.model.b[i].data.len()).sum();

        let mut expect = Expect::ok().err_if(null_written || (null_bufs && n > 0), BYTES_ERR_NULL);
        // Nothing to write: no write(2) at all (a bad descriptor does not
        // matter), 0 written, every handle dropped.
        if !expect.is_err() && total > 0 {
            if bad_fd {
                expect = expect.err_if(true, BYTES_ERR_IO);
            } else {
                // A full pipe: EAGAIN, nothing consumed.
                expect = expect.err_if(true, BYTES_ERR_IO).or_ok();
            }
        }
        let mut written = usize::MAX;
        let written_ptr: *mut usize = if null_written { null_mut() } else { &mut written };
        let base = self.b.as_mut_ptr();
        let bufs = if null_bufs { null_mut() } else { at(base, Some(first)) };
        // SAFETY: `n` handles of the pool (or NULL); `written` writable or
        // NULL.
        let status = unsafe { bytes_writev_fd(fd, bufs, n, written_ptr) };
        let got_errno = errno();
        let drained = pipe.drain();
        self.ensure(drained.len() >= pre && drained[..pre] == filler(pre)[..], || {
            "the pipe lost the bytes written before bytes_writev_fd".into()
        });
        let sent = &drained[pre..];
        if !self.status("bytes_writev_fd", status, expect) {
            self.ensure(null_written || written == 0, || format!("a failed writev set *written = {written}"));
            self.ensure(sent.is_empty(), || format!("a failed writev wrote {} bytes", sent.len()));
            if status == BYTES_ERR_IO {
                let want = if bad_fd { libc::EBADF } else { libc::EAGAIN };
                self.ensure(got_errno == want, || format!("errno {got_errno}, expected {want}"));
            }
            return;
        }
        // Exactly what arrived is `*written`, a prefix of the handles'
        // bytes in order: more than nothing when there was something.
        let all: Vec<u8> = (first..first + n).flat_map(|i| self.model.b[i].data.clone()).collect();
        self.ensure(written == sent.len() && sent == &all[..sent.len().min(all.len())], || {
            format!("writev: *written {written}, {} bytes arrived, of {total}", sent.len())
        });
        self.ensure(total == 0 || written > 0, || "writev wrote nothing, without an error".into());
        if written < total {
            stats::event("bytes_writev_fd", "partial write");
        }
        // Consumed: whole handles dropped, the first partial one advanced.
        let mut rest = written;
        for i in first..first + n {
            let model = self.model.b[i].clone();
            let len = model.data.len();
            if len > rest {
                if rest > 0 {
                    let advanced = self.model.advanced(&model, rest);
                    self.set_b(i, advanced);
                }
                break;
            }
            rest -= len;
            // Written (or empty, up to the end of what was written): dropped.
            self.set_b(i, BModel::default());
        }
    }

    pub(super) fn read_fd(&mut self, mi: Option<usize>, src: &ReadSource, max: Size, null_nread: bool) {
        let max = max.resolve();
        let plan = mi.filter(|_| max > 0).map(|i| self.model.plan_reserve(i, max));
        if plan == Some(Plan::TooBig) {
            return;
        }
        let file = foreign::temp_file();
        let pipe = foreign::pipe();
        // (descriptor, what a read can return, errno of a failing read)
        let (fd, ready, fails): (i32, Vec<u8>, i32) = match src {
            ReadSource::Pipe(data) => {
                let k = pipe.fill(data);
                (pipe.read, data[..k].to_vec(), if k == 0 { libc::EAGAIN } else { 0 })
            }
            ReadSource::File(off) => {
                let off = *off as usize % (file.bytes.len() + 2);
                // SAFETY: our own descriptor.
                unsafe { libc::lseek(file.read_fd, off as libc::off_t, libc::SEEK_SET) };
                (file.read_fd, file.bytes.get(off..).unwrap_or_default().to_vec(), 0)
            }
            ReadSource::Bad => (-1, Vec::new(), libc::EBADF),
            ReadSource::Dir => (file.dir_fd, Vec::new(), libc::EISDIR),
        };
        let expect = Expect::ok()
            .err_if(null_nread || mi.is_none(), BYTES_ERR_NULL)
            .err_if(mi.is_some() && max == 0, BYTES_ERR_INVALID)
            .err_if(plan == Some(Plan::NoMem), BYTES_ERR_NOMEM)
            .err_if(fails != 0, BYTES_ERR_IO);
        let mut nread = usize::MAX;
        let nread_ptr: *mut usize = if null_nread { null_mut() } else { &mut nread };
        let base = self.m.as_mut_ptr();
        // SAFETY: a buffer of the pool or NULL; `nread` writable or NULL.
        let status = unsafe { bytes_mut_read_fd(at(base, mi), fd, max, nread_ptr) };
        let got_errno = errno();
        pipe.drain();
        let ok = self.status("bytes_mut_read_fd", status, expect);
        if !ok {
            self.ensure(null_nread || nread == 0, || format!("a failed read_fd set *nread = {nread}"));
        }
        if status == BYTES_ERR_IO {
            self.ensure(got_errno == fails, || format!("errno {got_errno}, expected {fails}"));
            // "Its capacity may have grown": the room was made first.
            self.apply_plan(mi.unwrap(), plan.unwrap());
            return;
        }
        if !ok {
            return;
        }
        let i = mi.unwrap();
        let limit = max.min(ready.len());
        self.ensure(nread <= limit && (limit == 0 || nread > 0), || {
            format!("read_fd read {nread} bytes; {} were ready, max {max}", ready.len())
        });
        self.apply_plan(i, plan.unwrap());
        let mut model = self.model.m[i].clone();
        model.data.extend_from_slice(&ready[..nread]);
        self.set_m(i, model);
    }
}
