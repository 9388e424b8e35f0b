//! The fuzzing harness of libbytes' C API (see `fuzz_targets/c_api.rs`).
//!
//! The input is read as a program ([`Program`]): a sequence of
//! calls of the exported C functions on a pool of 8 `bytes_t` and 8
//! `bytes_mut_t` handles, with arguments (sizes, offsets, NULL pointers,
//! huge values) relative to the handles' current lengths. [`exec`] runs
//! it and checks every call against a model ([`model`]); the foreign
//! memory it hands over (counting owners, counting vtables, a temporary
//! file) is instrumented in [`foreign`]. Any mismatch panics, which
//! libFuzzer reports as a crash; AddressSanitizer and LeakSanitizer catch
//! memory errors and leaks.
//!
//! The harness uses only what C has: the `extern "C"` functions of
//! `bytes::ffi` and the header's accessors ([`raw`]); and, for the calls
//! that have one, the inline header's `static inline` variant
//! (`include/bytes_inline.h`, compiled into a C shim: [`inline`]), chosen
//! call by call by the program.

pub mod exec;
pub mod foreign;
pub mod inline;
pub mod known;
pub mod model;
pub mod program;
pub mod queue;
pub mod raw;
pub mod stats;

use arbitrary::{Arbitrary, Unstructured};

/// One program: the operations, at most [`Program::MAX_OPS`].
#[derive(Debug, Clone)]
pub struct Program(pub Vec<program::Op>);

impl Program {
    /// Longer programs are cut: they add time, not coverage.
    pub const MAX_OPS: usize = 512;

    /// Decodes operations until the input runs out.
    pub fn decode(u: &mut Unstructured<'_>) -> Program {
        let mut ops = Vec::new();
        while !u.is_empty() && ops.len() < Self::MAX_OPS {
            match program::Op::arbitrary(u) {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        Program(ops)
    }

    /// Runs the program on a fresh pool; panics on any mismatch.
    pub fn run(&self) {
        exec::Harness::new(&self.0).run();
    }
}

/// A whole input: programs separated by [`Input::SEPARATOR`], each run on
/// a fresh pool, as if each were an input of its own. Nearly every input
/// is one program; the separator lets the seed corpus pack many small
/// inputs into a few files without changing what they do (see
/// `examples/pack.rs`).
#[derive(Debug, Clone)]
pub struct Input(pub Vec<Program>);

impl Input {
    /// The bytes between two programs.
    pub const SEPARATOR: &'static [u8] = b"\xffLIBBYTES-FUZZ-NEXT\xff";

    /// Splits `data` at the separators and decodes each program.
    pub fn decode(data: &[u8]) -> Input {
        let mut programs = Vec::new();
        let mut rest = data;
        loop {
            let cut = rest.windows(Self::SEPARATOR.len()).position(|w| w == Self::SEPARATOR);
            let (chunk, next) = match cut {
                Some(at) => (&rest[..at], Some(&rest[at + Self::SEPARATOR.len()..])),
                None => (rest, None),
            };
            programs.push(Program::decode(&mut Unstructured::new(chunk)));
            match next {
                Some(next) => rest = next,
                None => return Input(programs),
            }
        }
    }

    /// Runs every program; panics on any mismatch.
    pub fn run(&self) {
        for program in &self.0 {
            program.run();
        }
    }
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Input> {
        let len = u.len();
        Ok(Input::decode(u.bytes(len)?))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Input> {
        Ok(Input::decode(u.take_rest()))
    }
}
