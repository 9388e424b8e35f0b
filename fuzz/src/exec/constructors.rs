//! The `bytes_t` constructors: `bytes_from_static`, `bytes_copy_from`,
//! `bytes_from_malloc`, `bytes_from_owner`, `bytes_from_vtable`,
//! `bytes_from_file` and `bytes_from_fd`.

use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};

use bytes::ffi::bytes::{bytes_copy_from, bytes_from_malloc, bytes_from_static};
use bytes::ffi::bytes_status::*;
use bytes::ffi::bytes_vtable_t;
use bytes::ffi::foreign::{bytes_from_fd, bytes_from_file, bytes_from_owner, bytes_from_vtable};

use super::{dest, Dest, Expect, Harness, STATIC_TABLE};
use crate::foreign;
use crate::model::{fits, original_capacity, BModel, Kind};
use crate::program::{FdKind, FileOffset, Idx, Out, PathKind, PtrLen, VtKind};
use crate::raw::{b_from_raw, raw_b, GARBAGE};

impl Harness<'_> {
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

    pub(super) fn new_static(&mut self, dst: usize, off: u8, len: u8, how: PtrLen) {
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

    pub(super) fn copy_from(&mut self, dst: Out, data: &[u8], how: PtrLen) {
        let dest = dest(dst, None);
        let (ptr, len) = Self::ptr_len(how, data.as_ptr(), data.len(), false);
        let expect = Expect::ok()
            .err_if(dest == Dest::Null || (ptr.is_null() && len > 0), BYTES_ERR_NULL)
            .err_if(!ptr.is_null() && !fits(len), BYTES_ERR_NOMEM);
        let mut out = b_from_raw(GARBAGE);
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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

    pub(super) fn adopt_malloc(&mut self, dst: Out, data: &[u8], how: PtrLen) {
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
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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

    pub(super) fn wrap_owner(
        &mut self,
        dst: Out,
        data: &[u8],
        how: PtrLen,
        null_owner: bool,
        null_release: bool,
    ) {
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
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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
    pub(super) fn wrap_vtable(
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
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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

    pub(super) fn map_file(&mut self, dst: Out, path: PathKind) {
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
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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

    pub(super) fn map_fd(&mut self, dst: Out, fd: FdKind, offset: FileOffset, len: Idx) {
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
        let out_ptr = dest.out_ptr(self.b.as_mut_ptr(), &mut out);
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
}
