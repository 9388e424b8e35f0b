//! Packs many inputs into a few files of at most 2 KiB, each file the
//! inputs joined by `Input::SEPARATOR` (each still runs on a fresh pool,
//! so a packed file does what its parts did), and unpacks them again:
//!
//!     cargo +nightly run --example pack -- split OUT_DIR INPUT_DIR...
//!     cargo +nightly run --example pack -- join OUT_DIR INPUT_DIR...
//!
//! `split` writes every program of the inputs as a file of its own; `join`
//! packs whole inputs, largest first. `fuzz/pack-seeds.sh` uses both to
//! turn what fuzzing found into the committed seed corpus.

use std::path::{Path, PathBuf};

use libbytes_fuzz::Input;

/// The largest packed file: small enough that mutating one stays cheap
/// (the fuzzer's `-max_len` is 4 KiB), large enough that a minimised
/// corpus fits a few dozen files.
const MAX_FILE: usize = 2048;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let usage = "usage: pack split|join OUT_DIR INPUT_DIR...";
    let mode = args.next().expect(usage);
    let out = PathBuf::from(args.next().expect(usage));
    let inputs: Vec<Vec<u8>> = args.flat_map(|dir| read_dir(Path::new(&dir))).collect();
    let files = match mode.to_str() {
        Some("split") => inputs.iter().flat_map(|data| split(data)).collect(),
        Some("join") => join(inputs),
        _ => panic!("{usage}"),
    };
    std::fs::create_dir_all(&out).expect("output directory");
    for (i, file) in files.iter().enumerate() {
        std::fs::write(out.join(format!("seed-{i:04}")), file).expect("writable file");
    }
    println!("{} files", files.len());
}

fn read_dir(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).expect("readable file")).collect()
}

/// The programs of one input, each as the bytes it was decoded from.
fn split(data: &[u8]) -> Vec<Vec<u8>> {
    let sep = Input::SEPARATOR;
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(rest[..at].to_vec());
        rest = &rest[at + sep.len()..];
    }
    parts.push(rest.to_vec());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Packs `inputs` first fit, largest first, into files of at most
/// `MAX_FILE` bytes (a larger input stays alone).
fn join(mut inputs: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    inputs.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    inputs.dedup();
    let mut files: Vec<Vec<u8>> = Vec::new();
    for data in inputs {
        let room = |f: &Vec<u8>| f.len() + Input::SEPARATOR.len() + data.len() <= MAX_FILE;
        match files.iter_mut().find(|f| room(f)) {
            Some(file) => {
                file.extend_from_slice(Input::SEPARATOR);
                file.extend_from_slice(&data);
            }
            None => files.push(data),
        }
    }
    files
}
