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
//! Where the header leaves a detail open, the model accepts each allowed
//! outcome and learns which one happened (see [`BModel::flex`]).

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
    /// `bytes_mut_*`, a compacted or copied handle).
    Heap { cap: usize },
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
            Kind::Heap { cap } => off == 0 && len == cap,
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
    /// it; `None`: the handle is all zero.
    pub at: Option<(Sid, usize)>,
    /// The view is empty and the header does not say whether such a
    /// handle keeps its reference: the check accepts an all-zero handle
    /// (and then sets `at` to `None`) or one at the expected place.
    pub flex: bool,
}

/// The expected state of one `bytes_mut_t`.
#[derive(Debug, Clone, Default)]
pub struct MModel {
    pub data: Vec<u8>,
    pub cap: usize,
    /// The heap block and the offset of the region's start in it; `None`:
    /// the buffer is all zero.
    pub at: Option<(Sid, usize)>,
    /// The capacity is 0 and the buffer may or may not keep its block:
    /// as [`BModel::flex`].
    pub flex: bool,
}

impl BModel {
    /// A model that holds `data` at `at`; flexible when empty.
    pub fn view(data: Vec<u8>, at: Option<(Sid, usize)>) -> BModel {
        let flex = data.is_empty();
        BModel { data, at, flex }
    }
}

impl MModel {
    /// A model of a region; flexible when its capacity is 0.
    pub fn region(data: Vec<u8>, cap: usize, at: Option<(Sid, usize)>) -> MModel {
        MModel { data, cap, at, flex: cap == 0 }
    }
}

/// The largest single allocation a program may make for real; larger
/// requests (which are not meant to fail) are skipped, so that the fuzzer
/// stays within its memory limit.
pub const REAL_ALLOC_LIMIT: usize = 1 << 18;

/// Whether the library can even try to allocate a heap block of `cap`
/// data bytes (16-byte header first): the size must fit a `Layout`.
pub fn fits(cap: usize) -> bool {
    cap.checked_add(16).is_some_and(|size| Layout::from_size_align(size, 8).is_ok())
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
    /// A new block (or a `realloc`) of at least `min_cap` bytes.
    Alloc { min_cap: usize },
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
        let Kind::Heap { cap } = self.kind(sid) else {
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
        let doubled = m.cap.saturating_mul(2);
        let min_cap = if doubled > needed && fits(doubled) { doubled } else { needed };
        if !fits(min_cap) {
            Plan::NoMem
        } else if min_cap > REAL_ALLOC_LIMIT {
            assert!(
                min_cap < crate::program::HUGE_MIN / 2,
                "the harness asked for a huge allocation that can succeed"
            );
            Plan::TooBig
        } else {
            Plan::Alloc { min_cap }
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
