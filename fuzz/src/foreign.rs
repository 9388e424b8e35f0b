//! The foreign memory the harness hands to the library, instrumented so
//! that the harness can see every callback:
//!
//! - **Counting owners** (`bytes_from_owner`): each owner is a heap record
//!   holding its bytes; `release` logs the owner's id and frees the record
//!   (so a read after release is a use-after-free that ASan reports).
//! - **Counting vtables** (`bytes_from_vtable`): [`VSLOTS`] slots, each a
//!   storage that counts its references atomically. Every reference is a
//!   separate heap token (the `data` word), so the library must pass each
//!   handle's own `data` to `drop`: a wrong or repeated one is a double
//!   free or use-after-free. The slot's bytes are allocated when its count
//!   leaves zero and freed when it returns to zero.
//! - **A temporary file** for `bytes_from_file` / `bytes_from_fd` /
//!   `bytes_mut_read_fd`, created once per process and unlinked at once
//!   (reached through its descriptor and `/proc/self/fd/N`), so that
//!   nothing is left behind; and **a pipe** of one page for
//!   `bytes_writev_fd` and `bytes_mut_read_fd`.
//!
//! Callbacks never panic (they run inside the library, across `extern
//! "C"`): they record what they saw, and the harness checks the records
//! after each call.

use std::ffi::{c_void, CString};
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, OnceLock};

use bytes::ffi::bytes_vtable_t;

/// Set by any callback that saw something impossible (a bad token, a view
/// outside its storage, a count going below zero). Checked after each
/// call.
static ANOMALIES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn anomaly(what: String) {
    ANOMALIES.lock().unwrap_or_else(|e| e.into_inner()).push(what);
}

/// The anomalies recorded since the last call, emptied.
pub fn take_anomalies() -> Vec<String> {
    std::mem::take(&mut *ANOMALIES.lock().unwrap_or_else(|e| e.into_inner()))
}

// ---------------------------------------------------------------------------
// Counting owners

const OWNER_MAGIC: u64 = 0x4F57_4E45_5221_2121;

/// An owner: its id and the bytes it keeps alive until released.
pub struct OwnerRecord {
    magic: u64,
    id: usize,
    bytes: Box<[u8]>,
}

/// Ids of owners released since the last [`take_releases`], in order,
/// and the number of releases of NULL owners.
static RELEASES: Mutex<(Vec<usize>, usize)> = Mutex::new((Vec::new(), 0));

/// A new owner record for `bytes`; returns it (to pass as `owner`) and a
/// pointer to its bytes (to pass as `ptr`).
pub fn new_owner(id: usize, bytes: &[u8]) -> (*mut OwnerRecord, *const u8) {
    let record = Box::new(OwnerRecord { magic: OWNER_MAGIC, id, bytes: bytes.into() });
    let data = record.bytes.as_ptr();
    (Box::into_raw(record), data)
}

/// Frees an owner that the library did not take (the call failed).
///
/// # Safety
/// `owner` came from [`new_owner`] and was not released.
pub unsafe fn free_owner(owner: *mut OwnerRecord) {
    // SAFETY: by the contract above.
    drop(unsafe { Box::from_raw(owner) });
}

/// The `release` callback of counted owners.
///
/// # Safety
/// `owner` came from [`new_owner`] and is released once.
pub unsafe extern "C" fn owner_release(owner: *mut c_void) {
    if owner.is_null() {
        anomaly("owner_release(NULL)".into());
        return;
    }
    // SAFETY: the library passes back the `owner` it was given, a record
    // from `new_owner`; a second release is a double free ASan reports.
    let record = unsafe { Box::from_raw(owner as *mut OwnerRecord) };
    if record.magic != OWNER_MAGIC {
        anomaly(format!("owner_release of a bad owner {owner:p}"));
        std::mem::forget(record);
        return;
    }
    RELEASES.lock().unwrap_or_else(|e| e.into_inner()).0.push(record.id);
    // The record and its bytes are freed here: later reads are reported.
}

/// The `release` callback for NULL owners (whose bytes are static).
///
/// # Safety
/// None: `unsafe` only to match the callback type.
pub unsafe extern "C" fn null_owner_release(owner: *mut c_void) {
    if !owner.is_null() {
        anomaly(format!("null_owner_release({owner:p})"));
    }
    RELEASES.lock().unwrap_or_else(|e| e.into_inner()).1 += 1;
}

/// The owners released since the last call: their ids, and the number of
/// NULL owners released.
pub fn take_releases() -> (Vec<usize>, usize) {
    std::mem::take(&mut *RELEASES.lock().unwrap_or_else(|e| e.into_inner()))
}

// ---------------------------------------------------------------------------
// Counting vtables

/// The number of vtable slots (foreign storages).
pub const VSLOTS: usize = 4;

const TOKEN_MAGIC: u64 = 0x544F_4B45_4E21_2121;

/// One reference to a slot: the `data` word of one handle.
#[repr(C)]
pub struct Token {
    magic: u64,
    slot: usize,
}

/// A foreign storage that counts its own references.
pub struct Slot {
    /// Live references: handles the library holds plus the one the harness
    /// holds while it calls `bytes_from_vtable`.
    pub count: AtomicUsize,
    /// Successful `bytes_from_vtable` calls (each hands over a reference).
    pub wraps: AtomicUsize,
    /// `clone` calls by the library.
    pub clones: AtomicUsize,
    /// `drop` calls by the library.
    pub drops: AtomicUsize,
    /// The slot's bytes (a `malloc` block), NULL while `count` is 0.
    bytes: AtomicPtr<u8>,
    len: AtomicUsize,
}

#[allow(clippy::declare_interior_mutable_const)]
const NEW_SLOT: Slot = Slot {
    count: AtomicUsize::new(0),
    wraps: AtomicUsize::new(0),
    clones: AtomicUsize::new(0),
    drops: AtomicUsize::new(0),
    bytes: AtomicPtr::new(ptr::null_mut()),
    len: AtomicUsize::new(0),
};

/// The slots.
pub static SLOTS: [Slot; VSLOTS] = [NEW_SLOT; VSLOTS];

impl Slot {
    /// The slot's bytes, while it has references.
    pub fn bytes(&self) -> (*const u8, usize) {
        (self.bytes.load(SeqCst), self.len.load(SeqCst))
    }

    /// (count, wraps, clones, drops).
    pub fn counters(&self) -> [usize; 4] {
        [self.count.load(SeqCst), self.wraps.load(SeqCst), self.clones.load(SeqCst), self.drops.load(SeqCst)]
    }

    /// Whether `ptr[..len]` lies in the slot's bytes (an empty view may also
    /// be NULL: `bytes_from_vtable(NULL, 0, ...)` drops it so).
    fn holds_view(&self, ptr: *const u8, len: usize) -> bool {
        let (start, size) = self.bytes();
        if len == 0 && ptr.is_null() {
            return true;
        }
        let (p, s) = (ptr as usize, start as usize);
        !start.is_null() && p >= s && p - s <= size && len <= size - (p - s)
    }

    /// Releases one reference; the last frees the bytes.
    fn release(&self, who: &str) {
        match self.count.fetch_sub(1, SeqCst) {
            0 => {
                self.count.store(0, SeqCst);
                anomaly(format!("{who}: vtable slot count below zero"));
            }
            1 => {
                let bytes = self.bytes.swap(ptr::null_mut(), SeqCst);
                self.len.store(0, SeqCst);
                // SAFETY: allocated by `acquire` with malloc, and the last
                // reference is gone.
                unsafe { libc::free(bytes as *mut c_void) };
            }
            _ => {}
        }
    }
}

/// Makes a reference to slot `slot` for the harness to hand over, first
/// giving the slot the bytes `fill` (one byte at least) if it has none.
/// Returns the token (the `data` word) and the slot's bytes.
pub fn acquire(slot: usize, fill: &[u8]) -> (*mut Token, *const u8, usize) {
    let s = &SLOTS[slot];
    if s.count.load(SeqCst) == 0 {
        let len = fill.len().max(1);
        // SAFETY: malloc of a non-zero size; checked for NULL below.
        let block = unsafe { libc::malloc(len) } as *mut u8;
        assert!(!block.is_null(), "malloc failed");
        for i in 0..len {
            let byte = fill.get(i).copied().unwrap_or(0x5A);
            // SAFETY: inside the block.
            unsafe { block.add(i).write(byte) };
        }
        s.bytes.store(block, SeqCst);
        s.len.store(len, SeqCst);
    }
    s.count.fetch_add(1, SeqCst);
    let token = Box::into_raw(Box::new(Token { magic: TOKEN_MAGIC, slot }));
    let (bytes, len) = s.bytes();
    (token, bytes, len)
}

/// Gives back a reference that the library did not take (the call failed).
///
/// # Safety
/// `token` came from [`acquire`] and the library did not take it.
pub unsafe fn give_back(token: *mut Token) {
    // SAFETY: by the contract above.
    let token = unsafe { Box::from_raw(token) };
    SLOTS[token.slot].release("give_back");
}

/// The token behind `data`, or `None` (recorded) if it is not one.
///
/// # Safety
/// `data` is NULL or readable for a `Token` (a freed one is a
/// use-after-free that ASan reports).
unsafe fn token<'a>(data: *mut c_void, who: &str) -> Option<&'a Token> {
    // SAFETY: by the contract above.
    match unsafe { (data as *const Token).as_ref() } {
        Some(token) if token.magic == TOKEN_MAGIC && token.slot < VSLOTS => Some(token),
        _ => {
            anomaly(format!("{who}: bad data word {data:p}"));
            None
        }
    }
}

unsafe extern "C" fn vt_clone(data: *mut c_void, ptr: *const u8, len: usize) -> *mut c_void {
    // SAFETY: the library passes a handle's `data`: one of our tokens.
    let Some(token) = (unsafe { token(data, "clone") }) else {
        return data;
    };
    let s = &SLOTS[token.slot];
    if !s.holds_view(ptr, len) {
        anomaly(format!("clone: view {ptr:p}+{len} outside slot {}", token.slot));
    }
    if s.count.load(SeqCst) == 0 {
        anomaly(format!("clone of slot {} without references", token.slot));
    }
    s.count.fetch_add(1, SeqCst);
    s.clones.fetch_add(1, SeqCst);
    Box::into_raw(Box::new(Token { magic: TOKEN_MAGIC, slot: token.slot })) as *mut c_void
}

unsafe extern "C" fn vt_drop(data: *mut c_void, ptr: *const u8, len: usize) {
    // SAFETY: the library passes a handle's `data`: one of our tokens.
    let Some(token) = (unsafe { token(data, "drop") }) else {
        return;
    };
    let slot = token.slot;
    let s = &SLOTS[slot];
    if !s.holds_view(ptr, len) {
        anomaly(format!("drop: view {ptr:p}+{len} outside slot {slot}"));
    }
    s.drops.fetch_add(1, SeqCst);
    // SAFETY: the reference ends here: its token is freed (a second drop
    // of it is a double free).
    drop(unsafe { Box::from_raw(data as *mut Token) });
    s.release("drop");
}

unsafe extern "C" fn vt_is_unique(data: *mut c_void) -> bool {
    // SAFETY: the library passes a handle's `data`: one of our tokens.
    match unsafe { token(data, "is_unique") } {
        Some(token) => SLOTS[token.slot].count.load(SeqCst) == 1,
        None => false,
    }
}

const V1: usize = std::mem::size_of::<bytes_vtable_t>();

const fn vtable(struct_size: usize, clone: bool, drop: bool, is_unique: bool) -> bytes_vtable_t {
    bytes_vtable_t {
        struct_size,
        clone: if clone { Some(vt_clone) } else { None },
        drop: if drop { Some(vt_drop) } else { None },
        is_unique: if is_unique { Some(vt_is_unique) } else { None },
        name: c"fuzz-slot".as_ptr(),
    }
}

/// A caller compiled against a newer, larger `bytes_vtable_t`.
#[repr(C)]
pub struct NewerVtable {
    pub v1: bytes_vtable_t,
    pub extra: [usize; 3],
}

/// Complete, with `is_unique`.
pub static VT_FULL: bytes_vtable_t = vtable(V1, true, true, true);
/// Complete, without `is_unique` (never unique).
pub static VT_NO_UNIQUE: bytes_vtable_t = vtable(V1, true, true, false);
/// A newer caller's larger struct: accepted, the extra fields ignored.
pub static VT_NEWER: NewerVtable =
    NewerVtable { v1: vtable(std::mem::size_of::<NewerVtable>(), true, true, true), extra: [usize::MAX; 3] };
/// Invalid: smaller than the first version.
pub static VT_SHORT: bytes_vtable_t = vtable(V1 - 1, true, true, true);
/// Invalid: no `clone`.
pub static VT_NO_CLONE: bytes_vtable_t = vtable(V1, false, true, true);
/// Invalid: no `drop`.
pub static VT_NO_DROP: bytes_vtable_t = vtable(V1, true, false, true);

/// Resets every counter (all slots must be free: checked at the end of
/// every input), the logs and the anomalies.
pub fn reset() {
    for s in &SLOTS {
        s.wraps.store(0, SeqCst);
        s.clones.store(0, SeqCst);
        s.drops.store(0, SeqCst);
    }
    take_releases();
    take_anomalies();
}

// ---------------------------------------------------------------------------
// The temporary file

/// A small file (a bit over one page, so that offsets cross a page),
/// created once per process and already unlinked.
pub struct TempFile {
    /// An open descriptor of it.
    pub fd: i32,
    /// `/proc/self/fd/N`: a path that opens it.
    pub path: CString,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// A descriptor of a directory (`/`), for `BYTES_ERR_IO` / `EISDIR`.
    pub dir_fd: i32,
    /// A descriptor of the file with an offset of its own, for
    /// `bytes_mut_read_fd` (seeked before each read).
    pub read_fd: i32,
}

/// The process' temporary file.
pub fn temp_file() -> &'static TempFile {
    static FILE: OnceLock<TempFile> = OnceLock::new();
    FILE.get_or_init(|| {
        let bytes: Vec<u8> = (0..4096 + 517u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let dir = std::env::temp_dir();
        let template = CString::new(format!("{}/libbytes-fuzz-XXXXXX", dir.display())).unwrap();
        let mut template = template.into_bytes_with_nul();
        // SAFETY: a writable NUL-terminated template ending in XXXXXX.
        let fd = unsafe { libc::mkstemp(template.as_mut_ptr() as *mut libc::c_char) };
        assert!(fd >= 0, "mkstemp failed");
        // SAFETY: the path mkstemp filled in; `bytes` is readable.
        unsafe {
            libc::unlink(template.as_ptr() as *const libc::c_char);
            let written = libc::write(fd, bytes.as_ptr() as *const c_void, bytes.len());
            assert_eq!(written, bytes.len() as isize, "write failed");
        }
        // SAFETY: a NUL-terminated path.
        let dir_fd = unsafe { libc::open(c"/".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        assert!(dir_fd >= 0, "open / failed");
        let path = CString::new(format!("/proc/self/fd/{fd}")).unwrap();
        // SAFETY: a NUL-terminated path.
        let read_fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        assert!(read_fd >= 0, "reopening the temporary file failed");
        TempFile { fd, path, bytes, dir_fd, read_fd }
    })
}

// ---------------------------------------------------------------------------
// The pipe

/// A non-blocking pipe of one page, for `bytes_writev_fd` (the library
/// writes, the harness reads) and `bytes_mut_read_fd` (the other way).
/// Empty between operations.
pub struct Pipe {
    pub read: i32,
    pub write: i32,
    /// Its capacity in bytes.
    pub capacity: usize,
}

/// The process' pipe.
pub fn pipe() -> &'static Pipe {
    static PIPE: OnceLock<Pipe> = OnceLock::new();
    PIPE.get_or_init(|| {
        let mut fds = [0; 2];
        // SAFETY: room for two descriptors.
        let made = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) };
        assert_eq!(made, 0, "pipe2 failed");
        // The smallest capacity (a page), so that writes fill it quickly.
        // SAFETY: fcntl on our own descriptor.
        let capacity = unsafe { libc::fcntl(fds[1], libc::F_SETPIPE_SZ, 4096) };
        assert!(capacity > 0, "F_SETPIPE_SZ failed");
        Pipe { read: fds[0], write: fds[1], capacity: capacity as usize }
    })
}

impl Pipe {
    /// Writes as much of `bytes` as fits; returns how much that was.
    pub fn fill(&self, bytes: &[u8]) -> usize {
        let mut done = 0;
        while done < bytes.len() {
            let rest = &bytes[done..];
            // SAFETY: `rest` is readable; a non-blocking write.
            let n = unsafe { libc::write(self.write, rest.as_ptr() as *const c_void, rest.len()) };
            if n <= 0 {
                break;
            }
            done += n as usize;
        }
        done
    }

    /// Reads everything the pipe holds.
    pub fn drain(&self) -> Vec<u8> {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: `buf` is writable; a non-blocking read.
            let n = unsafe { libc::read(self.read, buf.as_mut_ptr() as *mut c_void, buf.len()) };
            if n <= 0 {
                return all;
            }
            all.extend_from_slice(&buf[..n as usize]);
        }
    }
}
