//! Gives `libbytes.so` a soname. Rust cdylibs have none, so programs would
//! record the unversioned file name; with `libbytes.so.MAJOR` they record
//! the major version they were built against, as C libraries do.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libbytes.so.{major}");
    }
}
