//! Runs the queue harness (`src/queue.rs`) on pseudo-random inputs without
//! libFuzzer: a quick check of the harness itself, and of the queue where
//! cargo-fuzz is not installed.
//!
//!     cargo +nightly run --release --example queue_random -- [PROGRAMS]

use arbitrary::{Arbitrary, Unstructured};
use libbytes_fuzz::queue::QueueProgram;

fn main() {
    let programs: usize = std::env::args().nth(1).map_or(2000, |n| n.parse().expect("a number of programs"));
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut ops = 0;
    for _ in 0..programs {
        let len = 64 + (state % 2048) as usize;
        let input: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let program = QueueProgram::arbitrary(&mut Unstructured::new(&input)).expect("decodes");
        ops += program.0.len();
        program.run();
    }
    println!("queue_random: {programs} programs, {ops} operations, no mismatch");
}
