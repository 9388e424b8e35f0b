//! Compiles `src/inline_shim.c`: the inline header's calls
//! (`include/bytes_inline.h`) as functions the harness can call.
//!
//! Under `cargo fuzz` (`-Zsanitizer=address`, `--cfg fuzzing`) the C code
//! gets AddressSanitizer like the Rust code, and the coverage
//! instrumentation libFuzzer understands: all of it with clang
//! (`-fsanitize=fuzzer-no-link`); with gcc, which has no edge counters
//! libFuzzer reads, its comparison tracing (`-fsanitize-coverage=trace-cmp`)
//! where supported. The shim is not linked against a sanitizer runtime of
//! its own: the Rust side's (compiler-rt) is the one in the program.

fn main() {
    println!("cargo:rerun-if-changed=src/inline_shim.c");
    println!("cargo:rerun-if-changed=../include/bytes.h");
    println!("cargo:rerun-if-changed=../include/bytes_inline.h");
    let cfg = |name: &str| std::env::var(name).unwrap_or_default();
    let asan = cfg("CARGO_CFG_SANITIZE").split(',').any(|s| s == "address");
    let fuzzing = std::env::var_os("CARGO_CFG_FUZZING").is_some();

    let mut build = cc::Build::new();
    build.file("src/inline_shim.c").include("../include").std("c11").warnings_into_errors(true);
    build.flag_if_supported("-Wpedantic");
    let clang = build.get_compiler().is_like_clang();
    if asan {
        build.flag("-fsanitize=address");
    }
    if fuzzing {
        if clang {
            build.flag("-fsanitize=fuzzer-no-link");
        } else {
            build.flag_if_supported("-fsanitize-coverage=trace-cmp");
        }
    }
    build.compile("libbytes_fuzz_inline");
}
