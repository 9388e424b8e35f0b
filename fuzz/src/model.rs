//! The model the library is checked against: what each handle of the pool
//! should hold, and which storage it references.
//!
//! - Each handle has its expected bytes (a `Vec<u8>`) and, when it holds a
//!   reference, the storage and the offset of its view (or region) in it,
//!   so that its pointer is known exactly (`base + offset`): this is how
//!   zero-copy promises are checked (a slice points at its parent plus
//!   `begin`, a frozen buffer keeps its pointer, a split shares the
//!   block).
//! - Each storage has its kind and base address. The number of handles
//!   referencing it is counted from the pool, so uniqueness is known
//!   (`bytes_is_unique`, `bytes_try_into_mut`, reuse in
//!   `bytes_mut_reserve`), and so is the moment its last handle goes
//!   (when a counting owner must be released, a vtable slot's count must
//!   match).
//!
//! - An empty result keeps its position (rule 9): an empty `bytes_t` cut
//!   from a view is a view of no bytes at that address which holds no
//!   reference ([`BModel::pos`]); an empty `bytes_mut_t` split from a
//!   buffer with a block holds a reference to that block like any split.
//! - Each heap block knows the original capacity it remembers, so that
//!   `bytes_mut_reserve` gives exactly the capacity the header states.

use std::alloc::Layout;

use crate::program::SLOTS;

/// A storage's index in [`Model::storages`].
pub type Sid = usize;

/// The storage kinds, with what the model needs of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Our static table: never released, never unique.
    Static,
    /// The library's own block of `cap` data bytes (`bytes_copy_from`,
    /// `bytes_mut_*`, a compacted or copied handle), which remembers the
    /// `original` capacity (see [`original_capacity`]) that reserve
    /// allocates at least when it must leave the block.
    Heap { cap: usize, original: usize },
    /// An adopted `malloc` block of `len` bytes.
    Malloc { len: usize },
    /// A counting owner (`id`; `None` for a NULL owner) of `len` bytes.
    Owner { id: Option<usize>, len: usize },
    /// A mapping of `len` bytes of the temporary file.
    Mapped { len: usize },
    /// A reference wrapped from vtable slot `slot`; `unique_fn` tells
    /// whether its vtable has `is_unique`.
    Vtable { slot: usize, unique_fn: bool },
}

/// A storage.
#[derive(Debug, Clone)]
pub struct Storage {
    pub kind: Kind,
    /// The address of its first byte: views are `base + offset`.
    pub base: usize,
    /// Its size in bytes, for the overlap check of new storage.
    pub extent: usize,
    /// False once its last handle is gone.
    pub live: bool,
}

impl Kind {
    /// Whether a handle viewing `[off, off + len)` views all of the storage
    /// (`bytes_compact` is then a no-op).
    pub fn views_whole(&self, off: usize, len: usize) -> bool {
        match *self {
            Kind::Static => true,
            Kind::Heap { cap, .. } => off == 0 && len == cap,
            Kind::Malloc { len: n } | Kind::Owner { len: n, .. } | Kind::Mapped { len: n } => {
                off == 0 && len == n
            }
            // Foreign storage of unknown size: always copied.
            Kind::Vtable { .. } => false,
        }
    }
}

/// The expected state of one `bytes_t`.
#[derive(Debug, Clone, Default)]
pub struct BModel {
    pub data: Vec<u8>,
    /// The storage referenced and the offset of the view's first byte in
    /// it; `None`: the handle holds no reference.
    pub at: Option<(Sid, usize)>,
    /// Without a reference: the address of an empty view that keeps its
    /// position (rule 9: the static kind with no bytes); `None` with `at`
    /// `None`: the all-zero handle.
    pub pos: Option<usize>,
}

/// The expected state of one `bytes_mut_t`.
#[derive(Debug, Clone, Default)]
pub struct MModel {
    pub data: Vec<u8>,
    pub cap: usize,
    /// The heap block and the offset of the region's start in it (held
    /// also with capacity 0: an empty split shares the block); `None`: the
    /// buffer is all zero.
    pub at: Option<(Sid, usize)>,
}

impl BModel {
    /// A view of `data` holding a reference at `at` (also when empty: an
    /// advanced or truncated view keeps its storage).
    pub fn view(data: Vec<u8>, at: Option<(Sid, usize)>) -> BModel {
        BModel { data, at, pos: None }
    }

    /// An empty view at address `addr` that holds no reference (rule 9);
    /// the all-zero handle for address 0 (a position in the all-zero
    /// handle, which has none).
    pub fn empty_at(addr: usize) -> BModel {
        BModel { data: Vec::new(), at: None, pos: (addr != 0).then_some(addr) }
    }
}

impl MModel {
    /// A model of a region.
    pub fn region(data: Vec<u8>, cap: usize, at: Option<(Sid, usize)>) -> MModel {
        MModel { data, cap, at }
    }
}

/// The original capacity a block made with `capacity` bytes remembers
/// (`bytes_mut_with_capacity`, `bytes_mut_zeroed`, `bytes_copy_from`): 0
/// below 1 KiB, else the largest power of two not above it, at most 64 KiB.
pub fn original_capacity(capacity: usize) -> usize {
    if capacity < 1 << 10 {
        0
    } else {
        (1usize << capacity.ilog2()).min(1 << 16)
    }
}

/// The largest single allocation a program may make for real; larger
/// requests (which are not meant to fail) are skipped, so that the fuzzer
/// stays within its memory limit.
pub const REAL_ALLOC_LIMIT: usize = 1 << 18;

/// The size of a heap block's header: count, capacity, original capacity.
pub const HEAP_HEADER: usize = 3 * std::mem::size_of::<usize>();

/// Whether the library can even try to allocate a heap block of `cap`
/// data bytes (header first): the size must fit a `Layout`.
pub fn fits(cap: usize) -> bool {
    cap.checked_add(HEAP_HEADER).is_some_and(|size| Layout::from_size_align(size, 8).is_ok())
}

/// What `bytes_mut_reserve(m, additional)` does, by the rules in the
/// header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// The spare capacity suffices: nothing changes.
    Fits,
    /// Reuse of the block (steps 1 and 2): the region moves to `off` with
    /// capacity `cap`.
    Reclaim { off: usize, cap: usize },
    /// Step 3: the block, which the buffer uses alone, is `realloc`ed to
    /// `total` bytes; the region stays at offset `off` (capacity
    /// `total - off`).
    Realloc { off: usize, total: usize },
    /// Step 4: a new block of exactly `cap` bytes that remembers
    /// `original`; the bytes are copied to its front.
    Alloc { cap: usize, original: usize },
    /// `BYTES_ERR_NOMEM`, nothing allocated.
    NoMem,
    /// A real allocation over [`REAL_ALLOC_LIMIT`]: the harness skips it.
    TooBig,
}

/// The whole model.
#[derive(Debug)]
pub struct Model {
    pub b: [BModel; SLOTS],
    pub m: [MModel; SLOTS],
    pub storages: Vec<Storage>,
    /// The storage of the static table.
    pub static_sid: Sid,
}

impl Model {
    pub fn new(static_base: usize, static_len: usize) -> Model {
        Model {
            b: Default::default(),
            m: Default::default(),
            storages: vec![Storage { kind: Kind::Static, base: static_base, extent: static_len, live: true }],
            static_sid: 0,
        }
    }

    /// Registers a new storage.
    pub fn add(&mut self, kind: Kind, base: usize, extent: usize) -> Sid {
        self.storages.push(Storage { kind, base, extent, live: true });
        self.storages.len() - 1
    }

    pub fn kind(&self, sid: Sid) -> Kind {
        self.storages[sid].kind
    }

    /// The address `off` bytes into storage `sid`.
    pub fn addr(&self, (sid, off): (Sid, usize)) -> usize {
        self.storages[sid].base + off
    }

    /// The pointer field of a `bytes_t` modelled by `b`: its view's
    /// address, its position if it holds no reference, 0 if all zero.
    pub fn ptr_field(&self, b: &BModel) -> usize {
        b.at.map_or(b.pos.unwrap_or(0), |at| self.addr(at))
    }

    /// What a view of `[begin, end)` of `src` is: sharing its storage, or
    /// for an empty range an empty view at `begin` without a reference
    /// (rule 9).
    pub fn sub(&self, src: &BModel, begin: usize, end: usize) -> BModel {
        if begin == end {
            BModel::empty_at(self.ptr_field(src).wrapping_add(begin))
        } else {
            BModel::view(src.data[begin..end].to_vec(), src.at.map(|(s, o)| (s, o + begin)))
        }
    }

    /// `src` after its first `n` bytes were dropped (`bytes_advance`): the
    /// same reference, or the same kind of empty view, `n` bytes further.
    pub fn advanced(&self, src: &BModel, n: usize) -> BModel {
        BModel {
            data: src.data[n..].to_vec(),
            at: src.at.map(|(s, o)| (s, o + n)),
            pos: src.pos.map(|p| p + n),
        }
    }

    /// The `len` bytes at offset `off` of storage `sid`, if a handle of the
    /// pool holds them among its (written) bytes.
    pub fn known_bytes(&self, sid: Sid, off: usize, len: usize) -> Option<Vec<u8>> {
        let b = self.b.iter().map(|b| (b.at, &b.data));
        let m = self.m.iter().map(|m| (m.at, &m.data));
        b.chain(m).find_map(|(at, data)| {
            let (s, o) = at?;
            let inside = s == sid && o <= off && off + len <= o + data.len();
            inside.then(|| data[off - o..off - o + len].to_vec())
        })
    }

    /// The storage references the handles hold.
    fn refs(&self) -> impl Iterator<Item = Sid> + '_ {
        let b = self.b.iter().filter_map(|b| b.at);
        let m = self.m.iter().filter_map(|m| m.at);
        b.chain(m).map(|(sid, _)| sid)
    }

    /// The number of handles (of either type) referencing storage `sid`.
    pub fn holders(&self, sid: Sid) -> usize {
        self.refs().filter(|&s| s == sid).count()
    }

    /// The number of references to vtable slot `slot` the handles hold.
    pub fn slot_refs(&self, slot: usize) -> usize {
        self.refs().filter(|&sid| matches!(self.kind(sid), Kind::Vtable { slot: t, .. } if t == slot)).count()
    }

    /// What `bytes_is_unique` answers for a handle referencing `at`.
    pub fn is_unique(&self, at: Option<(Sid, usize)>) -> bool {
        let Some((sid, _)) = at else {
            return false;
        };
        match self.kind(sid) {
            Kind::Static => false,
            Kind::Vtable { slot, unique_fn } => unique_fn && self.slot_refs(slot) == 1,
            _ => self.holders(sid) == 1,
        }
    }

    /// Whether `at` is the only reference to its heap block (the condition
    /// for reusing it, and for `bytes_try_into_mut`).
    pub fn unique_heap(&self, at: Option<(Sid, usize)>) -> Option<(Sid, usize, usize)> {
        let (sid, off) = at?;
        let Kind::Heap { cap, .. } = self.kind(sid) else {
            return None;
        };
        (self.holders(sid) == 1).then_some((sid, off, cap))
    }

    /// The plan of `bytes_mut_reserve(m[i], additional)`.
    pub fn plan_reserve(&self, i: usize, additional: usize) -> Plan {
        let m = &self.m[i];
        let len = m.data.len();
        if m.cap - len >= additional {
            return Plan::Fits;
        }
        let Some(needed) = len.checked_add(additional) else {
            return Plan::NoMem;
        };
        if let Some(reclaim) = self.plan_reclaim(i, needed) {
            return reclaim;
        }
        let (plan, size) = if let Some((_, off, block_cap)) = self.unique_heap(m.at) {
            // Step 3: at least double the block, keeping the region's offset.
            let Some(wanted) = off.checked_add(needed) else {
                return Plan::NoMem;
            };
            let doubled = block_cap.saturating_mul(2);
            let total = if doubled > wanted && fits(doubled) { doubled } else { wanted };
            (Plan::Realloc { off, total }, total)
        } else {
            // Step 4: what is needed, but at least the original capacity.
            let original = match m.at.map(|(sid, _)| self.kind(sid)) {
                Some(Kind::Heap { original, .. }) => original,
                _ => 0,
            };
            let cap = needed.max(original);
            (Plan::Alloc { cap, original }, cap)
        };
        if !fits(size) {
            Plan::NoMem
        } else if size > REAL_ALLOC_LIMIT {
            assert!(
                size < crate::program::HUGE_MIN / 2,
                "the harness asked for a huge allocation that can succeed"
            );
            Plan::TooBig
        } else {
            plan
        }
    }

    /// Steps 1 and 2 of reserve: room for `needed` bytes in total inside
    /// the block, when `m[i]` is its only user.
    pub fn plan_reclaim(&self, i: usize, needed: usize) -> Option<Plan> {
        let m = &self.m[i];
        let (_, off, block_cap) = self.unique_heap(m.at)?;
        if block_cap - off >= needed {
            return Some(Plan::Reclaim { off, cap: block_cap - off });
        }
        if block_cap >= needed && off >= m.data.len() {
            return Some(Plan::Reclaim { off: 0, cap: block_cap });
        }
        None
    }
}
