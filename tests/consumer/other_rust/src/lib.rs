//! A stand-in for another Rust library in the same program as libbytes
//! (rustls-ffi's, say): a static library with its own copy of Rust's std,
//! which defines rust_eh_personality, the allocator shims and std's
//! functions, as libbytes' does.

/// 42, computed through std (formatting, parsing, a caught panic) so that
/// the archive really carries std's code and its unwinding.
#[no_mangle]
pub extern "C" fn other_rust_answer() -> i32 {
    let text = format!("{}", 6 * 7);
    std::panic::set_hook(Box::new(|_| {}));
    let caught = std::panic::catch_unwind(|| {
        if text.len() == 2 {
            panic!("unwinds inside other_rust");
        }
    });
    let _ = std::panic::take_hook();
    match (caught.is_err(), text.parse::<i32>()) {
        (true, Ok(n)) => n,
        _ => -1,
    }
}
