//! libFuzzer target: the input is a program of `bytes_queue_t` calls on
//! two queues, checked call by call against a model (see
//! `fuzz/src/queue.rs`).
#![no_main]

use libbytes_fuzz::queue::QueueProgram;

libfuzzer_sys::fuzz_target!(|program: QueueProgram| program.run());
