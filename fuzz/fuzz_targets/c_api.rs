//! libFuzzer target: the input is a program of libbytes C API calls on a
//! pool of handles, checked call by call against a model (see
//! `fuzz/src/lib.rs`). `cargo fuzz fmt c_api <input>` prints the program(s).
#![no_main]

use libbytes_fuzz::Input;

libfuzzer_sys::fuzz_target!(|input: Input| input.run());
