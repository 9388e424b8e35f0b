//! Runs the harness on input files (or every file of directories) without
//! libFuzzer, then prints how often each call returned each status: a quick
//! look at what a corpus reaches, and a way to debug one input under a
//! debugger.
//!
//!     cargo +nightly run --release --example replay -- corpus/c_api
//!
//! Set LIBBYTES_FUZZ_ALLOW_KNOWN=1 to step over known defects (src/known.rs).

use libbytes_fuzz::{stats, Input};

fn main() {
    stats::enable();
    let mut files = Vec::new();
    for arg in std::env::args_os().skip(1) {
        let path = std::path::PathBuf::from(arg);
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&path)
                .expect("readable directory")
                .map(|e| e.expect("directory entry").path())
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(path);
        }
    }
    let mut ops = 0;
    for file in &files {
        let data = std::fs::read(file).expect("readable file");
        let input = Input::decode(&data);
        ops += input.0.iter().map(|p| p.0.len()).sum::<usize>();
        input.run();
    }
    println!("{} inputs, {ops} operations", files.len());
    for ((call, status), count) in stats::counts() {
        println!("{count:>9}  {call}  {status}");
    }
}
