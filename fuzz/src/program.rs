//! The fuzzer's input language: a program of C API calls on a pool of
//! handles, decoded from the raw input with `arbitrary`.
//!
//! Arguments are described relative to the handle they apply to (an index
//! "len + 1" rather than a number), so that short inputs reach the edges:
//! 0, len, len + 1, `SIZE_MAX`, `SIZE_MAX / 2`, NULL. [`crate::exec`]
//! resolves them against the current state.
//!
//! To cover a new function, add an operation to [`Op`] (with the next free
//! tag, see `operations!` below), its call and model in a module of
//! `exec/` and a case to `Harness::run_op` in `exec/dispatch.rs`.

use arbitrary::{Arbitrary, Unstructured};

/// The number of `bytes_t` slots and of `bytes_mut_t` slots.
pub const SLOTS: usize = 8;

/// A slot of the pool (`byte % SLOTS`).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Slot(pub u8);

impl Slot {
    pub fn index(self) -> usize {
        self.0 as usize % SLOTS
    }
}

/// A handle argument: a slot, or (1 time in 16) a NULL pointer.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Arg(pub u8);

impl Arg {
    pub fn slot(self) -> Option<usize> {
        (self.0 < 240).then_some(self.0 as usize % SLOTS)
    }
}

/// An out-parameter: a slot (which may be the input's own, where that is
/// aliasing), or (1 time in 16) NULL. A slot that receives a result has
/// its old handle dropped first, as a C caller would.
pub type Out = Arg;

/// A rarely set flag (1 time in 16).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Rare(pub u8);

impl Rare {
    pub fn get(self) -> bool {
        self.0 >= 240
    }
}

/// The huge sizes: every one is rejected before anything is allocated or
/// read, since a block of that many bytes (plus its 24-byte header) does
/// not fit `isize`.
pub const HUGE: [usize; 5] = [
    usize::MAX,
    usize::MAX / 2, // PTRDIFF_MAX
    usize::MAX / 2 + 1,
    usize::MAX / 2 - 7,
    usize::MAX - 15,
];

/// The smallest size in [`HUGE`]; any size from here up cannot be allocated.
pub const HUGE_MIN: usize = usize::MAX / 2 - 7;

/// A huge size (an index into [`HUGE`]).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Huge(pub u8);

impl Huge {
    pub fn get(self) -> usize {
        HUGE[self.0 as usize % HUGE.len()]
    }

    /// A huge size over `PTRDIFF_MAX`: for functions that wrap memory
    /// without allocating it, whose only check is that bound.
    pub fn over_ptrdiff(self) -> usize {
        self.get().max(isize::MAX as usize + 1)
    }
}

/// An index or length, relative to the length `len` of the handle it
/// applies to.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Idx {
    Zero,
    Len,
    LenPlus1,
    /// `len - 1 - k`, at least 0.
    LenMinus(u8),
    /// `x % (len + 1)`: a valid index.
    Within(u16),
    Within2(u16),
    /// Any small number (valid or not).
    Small(u16),
    Huge(Huge),
}

impl Idx {
    pub fn resolve(self, len: usize) -> usize {
        match self {
            Idx::Zero => 0,
            Idx::Len => len,
            Idx::LenPlus1 => len + 1,
            Idx::LenMinus(k) => len.saturating_sub(k as usize + 1),
            Idx::Within(x) | Idx::Within2(x) => x as usize % (len + 1),
            Idx::Small(x) => x as usize,
            Idx::Huge(h) => h.get(),
        }
    }
}

/// An allocation size (capacity, length to zero, count of bytes to put).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Size {
    Zero,
    Small(u8),
    Medium(u16),
    Huge(Huge),
}

impl Size {
    pub fn resolve(self) -> usize {
        match self {
            Size::Zero => 0,
            Size::Small(x) => x as usize,
            Size::Medium(x) => x as usize,
            Size::Huge(h) => h.get(),
        }
    }
}

/// The `additional` of `bytes_mut_reserve` / `bytes_mut_try_reclaim`,
/// around the spare capacity (where reuse and growth are decided).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Additional {
    /// The spare capacity exactly (fits).
    Spare,
    /// One more than the spare capacity, plus `k`.
    SparePlus(u8),
    /// Enough to need the whole storage's capacity, as seen from the
    /// buffer's capacity: `capacity + k`.
    CapPlus(u8),
    Size(Size),
}

/// The new length of `bytes_mut_resize`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum NewLen {
    /// Relative to the length.
    Idx(Idx),
    /// `capacity + k - 1`, at least 0.
    Cap(u8),
    Size(Size),
}

/// How a constructor gets its `(ptr, len)` pair from the bytes `data`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum PtrLen {
    /// `(data, data.len())`.
    Data,
    Data2,
    Data3,
    /// `(NULL, 0)`: empty (rule 5).
    NullZero,
    /// `(NULL, n)` with `n > 0`: BYTES_ERR_NULL (rule 5).
    NullLen(Size),
    /// `(data, huge)`.
    HugeLen(Huge),
}

/// The vtable passed to `bytes_from_vtable`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum VtKind {
    Full,
    Full2,
    NoUnique,
    Newer,
    /// Invalid ones: BYTES_ERR_INVALID.
    Short,
    NoClone,
    NoDrop,
    Null,
}

/// The path passed to `bytes_from_file`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum PathKind {
    TempFile,
    TempFile2,
    /// `/`: BYTES_ERR_IO, EISDIR.
    Dir,
    /// A missing file: BYTES_ERR_IO, ENOENT.
    Missing,
    Null,
}

/// The descriptor passed to `bytes_from_fd`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum FdKind {
    TempFile,
    TempFile2,
    /// -1: BYTES_ERR_IO, EBADF.
    Bad,
    /// A directory: BYTES_ERR_IO, EISDIR.
    Dir,
}

/// The offset passed to `bytes_from_fd`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum FileOffset {
    Small(u16),
    PageMinus(u8),
    Huge(u64),
}

/// The `sub` pointer of `bytes_slice_ref`, relative to the handle.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Sub {
    /// `bytes_ptr(b) + (x % (len + 1))`.
    Inside(u16),
    Inside2(u16),
    /// `bytes_ptr(b) - 1 - k`: before the view.
    Before(u8),
    /// The bytes of another handle.
    Other(Slot, u16),
    /// Any address (only compared, never read).
    Wild(u64),
    Null,
}

/// The source of `bytes_mut_extend_from_slice`.
#[derive(Arbitrary, Debug, Clone)]
pub enum Source {
    /// Bytes of the harness.
    Data(Vec<u8>),
    /// `(NULL, len)`.
    Null(Idx),
    /// The buffer's own written bytes `[off, off + len)` (which may run
    /// into its spare capacity: BYTES_ERR_INVALID).
    Own(u16, Idx),
    /// Starting `1 + k` bytes before the buffer's region and running into
    /// it: BYTES_ERR_INVALID. With the top bit of the `u16` set, when the
    /// region does not start its block: bytes of the block before the
    /// region, not reaching it (bytes advanced over or split off):
    /// BYTES_ERR_INVALID while the buffer is the block's only user, a
    /// correct append of another handle's bytes when it is shared.
    Straddle(u8, u16),
    /// Bytes of a `bytes_t` of the pool.
    Bytes(Slot, u16, u16),
    /// Written bytes of another `bytes_mut_t` of the pool.
    Mut(Slot, u16, u16),
    /// `(data, huge)`.
    Huge(Huge),
}

/// The integer width and byte order of `bytes_get_*` / `bytes_mut_put_*`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Int {
    U8,
    U16Be,
    U16Le,
    U32Be,
    U32Le,
    U64Be,
    U64Le,
}

impl Int {
    pub fn width(self) -> usize {
        match self {
            Int::U8 => 1,
            Int::U16Be | Int::U16Le => 2,
            Int::U32Be | Int::U32Le => 4,
            Int::U64Be | Int::U64Le => 8,
        }
    }

    /// The encoding of the low `width` bytes of `v`.
    pub fn encode(self, v: u64) -> Vec<u8> {
        match self {
            Int::U8 => vec![v as u8],
            Int::U16Be => (v as u16).to_be_bytes().to_vec(),
            Int::U16Le => (v as u16).to_le_bytes().to_vec(),
            Int::U32Be => (v as u32).to_be_bytes().to_vec(),
            Int::U32Le => (v as u32).to_le_bytes().to_vec(),
            Int::U64Be => v.to_be_bytes().to_vec(),
            Int::U64Le => v.to_le_bytes().to_vec(),
        }
    }

    /// The value `bytes` (exactly `width` of them) encode.
    pub fn decode(self, bytes: &[u8]) -> u64 {
        let mut be = [0u8; 8];
        let mut le = [0u8; 8];
        be[8 - bytes.len()..].copy_from_slice(bytes);
        le[..bytes.len()].copy_from_slice(bytes);
        match self {
            Int::U8 | Int::U16Be | Int::U32Be | Int::U64Be => u64::from_be_bytes(be),
            Int::U16Le | Int::U32Le | Int::U64Le => u64::from_le_bytes(le),
        }
    }
}

/// The number of operation tags: an operation is chosen by its first byte
/// modulo this. Tags without an operation decode to [`Op::Nop`].
pub const TAGS: u8 = 64;

/// Defines [`Op`] and its decoding. Each operation has a fixed tag, so
/// that adding one (on a free tag) does not change what existing inputs
/// decode to: the seeds and the regression inputs keep their meaning. (A
/// derived `Arbitrary` would pick the variant from the number of variants,
/// so every addition would reshuffle them.)
macro_rules! operations {
    ($( $(#[$meta:meta])* $tag:literal => $name:ident { $($field:ident : $ty:ty),* $(,)? } ),* $(,)?) => {
        /// One C API call (or, for `Scribble`, one thing a C caller may do
        /// with the memory the API hands out).
        #[derive(Debug, Clone)]
        pub enum Op {
            $( $(#[$meta])* $name { $($field: $ty),* }, )*
            /// A tag without an operation: does nothing.
            Nop,
        }

        impl<'a> Arbitrary<'a> for Op {
            fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Op> {
                Ok(match u8::arbitrary(u)? % TAGS {
                    $( $tag => Op::$name { $($field: Arbitrary::arbitrary(u)?),* }, )*
                    _ => Op::Nop,
                })
            }
        }

        // Every tag is below TAGS and used once.
        const _: () = {
            let tags: &[u8] = &[$($tag),*];
            let mut i = 0;
            while i < tags.len() {
                assert!(tags[i] < TAGS, "an operation tag is not below TAGS");
                let mut j = i + 1;
                while j < tags.len() {
                    assert!(tags[i] != tags[j], "two operations have the same tag");
                    j += 1;
                }
                i += 1;
            }
        };
    };
}

// Tags are permanent: give a new operation the next free tag, never
// renumber, and never change the fields of an existing one (add a new
// operation instead). The argument types above derive their decoding,
// which depends on their number of variants: changing one changes what
// every input using it decodes to (then regenerate the seeds with
// fuzz/pack-seeds.sh, and re-encode the regression inputs from the
// programs written down in fuzz/regressions/README.md).
operations! {

    // --- bytes_t constructors; the result goes to `dst` -------------------
    0 => New { dst: Slot },
    /// `bytes_from_static` of part of a static table.
    1 => FromStatic { dst: Slot, off: u8, len: u8, how: PtrLen },
    2 => CopyFrom { dst: Out, data: Vec<u8>, how: PtrLen },
    /// `bytes_from_malloc` of a `malloc`ed copy of `data`.
    3 => FromMalloc { dst: Out, data: Vec<u8>, how: PtrLen },
    /// `bytes_from_owner` with a counting owner (or a NULL one, whose
    /// bytes are static), or a NULL `release`.
    4 => FromOwner { dst: Out, data: Vec<u8>, how: PtrLen, null_owner: Rare, null_release: Rare },
    /// `bytes_from_vtable` of `[begin, begin + len)` of a counting slot,
    /// filled with `fill` if the slot has no references yet.
    5 => FromVtable { dst: Out, slot: u8, begin: u8, len: u8, fill: Vec<u8>, vt: VtKind, how: PtrLen },
    6 => FromFile { dst: Out, path: PathKind },
    7 => FromFd { dst: Out, fd: FdKind, offset: FileOffset, len: Idx },

    // --- bytes_t operations ------------------------------------------------
    8 => Clone { src: Arg, dst: Slot },
    9 => Slice { b: Arg, begin: Idx, end: Idx, out: Out },
    10 => SliceRef { b: Arg, sub: Sub, sub_len: Idx, out: Out },
    11 => SplitTo { b: Arg, at: Idx, out: Out },
    12 => SplitOff { b: Arg, at: Idx, out: Out },
    13 => Advance { b: Arg, n: Idx },
    14 => Truncate { b: Arg, len: Idx },
    15 => Clear { b: Arg },
    16 => Drop { b: Arg },
    17 => IsUnique { b: Arg },
    18 => Compact { b: Arg },
    19 => Eq { a: Arg, b: Arg },
    20 => Cmp { a: Arg, b: Arg },
    21 => Get { b: Arg, int: Int, null_out: Rare },
    /// `bytes_try_into_mut(b, m[out])`.
    22 => TryIntoMut { b: Arg, out: Out },
    /// `bytes_into_mut(b, m[out])`.
    23 => IntoMut { b: Arg, out: Out },

    // --- bytes_mut_t --------------------------------------------------------
    24 => MutNew { dst: Slot },
    25 => WithCapacity { size: Size, out: Out },
    26 => Zeroed { size: Size, out: Out },
    27 => Reserve { m: Arg, add: Additional },
    28 => TryReclaim { m: Arg, add: Additional },
    29 => Extend { m: Arg, src: Source },
    /// `bytes_mut_spare`, write `write` bytes of `fill` there (at least `n`
    /// when `n` fits), then `bytes_mut_commit(m, n)`.
    30 => SpareCommit { m: Arg, write: Idx, n: Idx, fill: u8, null_len: Rare },
    /// Writes `fill` over all of `m`'s spare capacity, without committing:
    /// the spare capacity must be `m`'s alone.
    31 => Scribble { m: Slot, fill: u8 },
    32 => MutSplitTo { m: Arg, at: Idx, out: Out },
    /// `at` relative to the capacity.
    33 => MutSplitOff { m: Arg, at: Idx, out: Out },
    34 => MutSplit { m: Arg, dst: Slot },
    35 => Unsplit { m: Arg, other: Arg },
    /// A split (`to`: `bytes_mut_split_to`, else `_split_off`) of `m` into
    /// `out`, then `bytes_mut_unsplit` of the two halves in order: the O(1)
    /// path of unsplit, which independent operations rarely line up.
    36 => Rejoin { m: Slot, at: Idx, out: Slot, to: bool },
    37 => MutAdvance { m: Arg, n: Idx },
    38 => MutTruncate { m: Arg, len: Idx },
    39 => MutClear { m: Arg },
    40 => Resize { m: Arg, new_len: NewLen, fill: u8 },
    41 => Put { m: Arg, int: Int, value: u64 },
    42 => PutBytes { m: Arg, value: u8, count: Size },
    /// `bytes_mut_freeze(m)` into `b[dst]`.
    43 => Freeze { m: Arg, dst: Slot },
    44 => MutDrop { m: Arg },

    // --- batches ---------------------------------------------------------------
    /// `bytes_slice_many(b, ranges, n, out)` with `n = ranges.len()` (at
    /// most 8) or a huge `n`.
    45 => SliceMany { b: Arg, ranges: Vec<(Idx, Idx)>, out: ManyOut, null_ranges: Rare, huge_n: Rare },
    /// `bytes_drop_many(&b[first], n)` (`n` up to the end of the pool), or
    /// with a NULL array.
    46 => DropMany { first: Slot, n: u8, null: Rare },

    // --- I/O ---------------------------------------------------------------------
    /// `bytes_fill_iovec(&b[first], n, iov, cap)`.
    47 => FillIovec { first: Slot, n: u8, cap: u8, null_bufs: Rare, null_iov: Rare },
    /// `bytes_writev_fd(fd, &b[first], n, &written)` into a non-blocking
    /// pipe of one page that already holds `prefill` bytes (so writes may
    /// be partial, or fail with EAGAIN), or into a bad descriptor.
    48 => WritevFd { first: Slot, n: u8, prefill: u16, bad_fd: Rare, null_bufs: Rare, null_written: Rare },
    /// `bytes_mut_read_fd(m, fd, max, &nread)`.
    49 => ReadFd { m: Arg, src: ReadSource, max: Size, null_nread: Rare },

    // --- the rest ------------------------------------------------------------
    /// `bytes_status_str(status)` (any value, in the enum or not) and
    /// `bytes_version()`.
    50 => Describe { status: u32 },

    // --- the inline header's variants (include/bytes_inline.h) -----------------
    // The same calls as `Clone`, `Slice`, `SplitTo`/`SplitOff` and
    // `Clear`/`Drop`, made through the header's `static inline` code
    // (src/inline.rs) on the same pool, with the same checks. At the top of
    // the tag range, leaving the next free tags to new functions.
    60 => InlineClone { src: Arg, dst: Slot },
    61 => InlineSlice { b: Arg, begin: Idx, end: Idx, out: Out },
    /// `to`: `bytes_split_to`, else `bytes_split_off`.
    62 => InlineSplit { b: Arg, at: Idx, out: Out, to: bool },
    /// `clear`: `bytes_clear`, else `bytes_drop`.
    63 => InlineDrop { b: Arg, clear: bool },
}

/// The `out` array of `bytes_slice_many`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum ManyOut {
    /// An array of its own; the results then move to the pool from `dst`
    /// on (wrapping around).
    Array(Slot),
    Array2(Slot),
    /// The pool itself from `first` on (its handles there dropped first,
    /// except `b`'s: `out` overlapping `b` is BYTES_ERR_INVALID).
    Pool(Slot),
    /// The memory of the ranges themselves: BYTES_ERR_INVALID.
    OverRanges,
    Null,
}

/// Where `bytes_mut_read_fd` reads from.
#[derive(Arbitrary, Debug, Clone)]
pub enum ReadSource {
    /// A non-blocking pipe holding these bytes (none: EAGAIN).
    Pipe(Vec<u8>),
    /// The temporary file, from this offset (past the end: end of file).
    File(u16),
    /// -1: EBADF.
    Bad,
    /// A directory: EISDIR.
    Dir,
}
