//! A stand-in for another Rust library in the same parent project.

#[no_mangle]
pub extern "C" fn other_rust_answer() -> i32 {
    42
}
