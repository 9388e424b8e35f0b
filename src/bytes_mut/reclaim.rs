//! Reserving room in a receive buffer that feeds a queue: the buffer's
//! storage is reclaimed through the queue's last chunk when only the two
//! of them hold it. And handing its written bytes over to that chunk when
//! they directly follow it.

use std::ptr;

use crate::storage::heap::Block;
use crate::{Bytes, BytesMut, Error};

impl BytesMut {
    /// Makes room for `additional` more bytes in this buffer, whose written
    /// bytes were pushed (split off and frozen) into a queue whose last
    /// chunk is `last`.
    ///
    /// When the spare capacity does not suffice, and the block is held by
    /// exactly this buffer and `last`, which ends where this buffer starts
    /// (everything taken from the queue before has been dropped), the
    /// pending bytes (`last`'s and this buffer's written ones) move to the
    /// front of the block and `last` is repointed: no one else can see
    /// them, so no observer sees a `Bytes` change. Else, if this buffer can
    /// make room in its own block ([`try_reclaim`](BytesMut::try_reclaim)),
    /// it does; otherwise it reserves as [`reserve`](BytesMut::reserve)
    /// does, at least the block's capacity (the buffer's original size, as
    /// the crate's `BytesMut` remembers it), so a receive buffer keeps its
    /// size. `Error::NoMem` leaves both unchanged.
    pub(crate) fn reserve_behind(
        &mut self,
        last: Option<&mut Bytes>,
        additional: usize,
    ) -> Result<(), Error> {
        if self.cap - self.len >= additional {
            return Ok(());
        }
        if let (Some(block), Some(chunk)) = (&self.block, last) {
            let reclaimable = chunk.heap_data().is_some_and(|data| block.is(data))
                && block.has_exactly(2)
                && ptr::eq(chunk.as_ptr().wrapping_add(chunk.len()), self.ptr);
            let pending = chunk.len() + self.len;
            if reclaimable && pending.checked_add(additional).is_some_and(|needed| needed <= block.capacity())
            {
                let start = block.data();
                // SAFETY: the block holds `[chunk, chunk + pending)`, which
                // `chunk` and this buffer alone can see (the count is 2);
                // `ptr::copy` allows the overlap of source and destination.
                unsafe {
                    ptr::copy(chunk.as_ptr(), start, pending);
                    chunk.repoint(start);
                    self.ptr = start.add(chunk.len());
                }
                self.cap = block.capacity() - chunk.len();
                return Ok(());
            }
        }
        if self.try_reclaim(additional) {
            return Ok(());
        }
        let original = self.block.as_ref().map_or(0, Block::capacity);
        self.reserve(additional.max(original))
    }

    /// Hands the written bytes over to `last`, a queue's last chunk, when
    /// they directly follow it in this buffer's block (consecutive reads
    /// into one receive buffer): `last` grows over them and this buffer
    /// keeps its spare capacity, which is what `split` + `freeze` + a merge
    /// into `last` does, with no count update (the split's increment and
    /// the merge's release cancel out). False, and nothing changed,
    /// otherwise (also when nothing is written). No panic site: the C
    /// boundary runs it outside the panic guard (`scripts/no-panic.sh`).
    #[cfg_attr(not(feature = "check-no-panic"), inline(always))]
    #[cfg_attr(feature = "check-no-panic", no_panic::no_panic)]
    pub(crate) fn try_hand_over(&mut self, last: &mut Bytes) -> bool {
        let Some(block) = &self.block else {
            return false;
        };
        let n = self.len;
        let follows =
            last.heap_data().is_some_and(|data| block.is(data)) && ptr::eq(last.end_ptr(), self.ptr);
        if n == 0 || !follows {
            return false;
        }
        // SAFETY: the `n` written bytes directly follow `last` in the
        // block both hold; this buffer gives them up (its region starts
        // after them), so nobody writes them any more.
        unsafe {
            last.extend_over(n);
            self.ptr = self.ptr.add(n);
        }
        self.len = 0;
        self.cap -= n;
        true
    }
}
